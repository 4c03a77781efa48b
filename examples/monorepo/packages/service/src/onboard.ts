import {
  RefoldAuthenticationError,
  RefoldError,
  RefoldConnectionError,
  RefoldNotFoundError,
  RefoldRateLimitError,
  RefoldServerError,
  RefoldTimeoutError,
  type HubspotCreateContactParams,
  type JiraCreateIssueParams,
  type Refold,
} from "@acme/refold-client";

/** What the service answers for one new customer: never throws for an API failure. */
export type OnboardResult =
  | { ok: true; contact: unknown; issue: unknown }
  | { ok: false; error: string; status?: number; retryable: boolean; hint?: string };

/**
 * Records a new customer's first contact in their HubSpot and opens an onboarding issue in their Jira,
 * both through the customer's own linked account.
 */
export async function onboardCustomer(
  refold: Refold,
  customerId: string,
  contact: HubspotCreateContactParams,
  projectKey: string,
): Promise<OnboardResult> {
  const account = refold.forAccount(customerId); // every call below runs as this linked account
  const issue: JiraCreateIssueParams = {
    project_key: projectKey,
    summary: `Onboard ${contact.email}`,
    issue_type: "Task", // a typo such as "task" is a compile error: the options are a union
    labels: ["customer-reported"],
  };
  try {
    const created = await account.hubspot.createContact(contact);
    const opened = await account.jira.createIssue(issue);
    return { ok: true, contact: created, issue: opened };
  } catch (error) {
    return describe(error);
  }
}

function describe(error: unknown): Extract<OnboardResult, { ok: false }> {
  if (!(error instanceof RefoldError)) throw error; // a bug of ours, not an API failure
  // The message names the app and the action (and never the key); `status` is there when Refold answered.
  const failure = {
    ok: false as const,
    error: error.message,
    ...(error.status !== undefined && { status: error.status }),
  };
  if (error instanceof RefoldAuthenticationError)
    return { ...failure, retryable: false, hint: "check REFOLD_API_KEY (test keys start with tk)" };
  if (error instanceof RefoldNotFoundError)
    return { ...failure, retryable: false, hint: "is the app connected for this linked account?" };
  // The client already retried what was safe to retry; these may pass later, the rest will not.
  const retryable =
    error instanceof RefoldRateLimitError ||
    error instanceof RefoldServerError ||
    error instanceof RefoldTimeoutError ||
    error instanceof RefoldConnectionError;
  return { ...failure, retryable };
}
