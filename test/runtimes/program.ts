// The one small program the runtime tests run in every runtime (Node, Bun, Deno, workerd, Vercel's
// edge-runtime, a headless Chromium), written against the generated client's public API only, as a user
// would write it. Each step uses its own action, so the test sets every emulator fault up front (see
// runtimes.test.ts, which also checks what the emulator received). The report is plain JSON.
import {
  createRefold,
  RefoldAbortError,
  RefoldActionError,
  RefoldConfigError,
  RefoldError,
  RefoldRateLimitError,
  RefoldTimeoutError,
} from "../../generated/index.js";

/** Where and as whom the program runs. */
export interface ProgramOptions {
  baseUrl: string;
  /** A server-side key (Node, Bun, Deno, workerd, edge-runtime); give this or `sessionToken`. */
  apiKey?: string;
  /** A session token (the browser); it names its own linked account. */
  sessionToken?: string;
  /** Passed per call (`{ linkedAccountId }`) when given. */
  linkedAccountId?: string;
}

/** How a step that must fail failed. */
export interface ErrorReport {
  /** The expected class the error is an instance of (checked with instanceof), or "other". */
  class: string;
  refoldError: boolean;
  name: string;
  app: string;
  action: string;
  status: number | null;
  attempts: number;
  /** RefoldActionError's node_status, RefoldTimeoutError's deadline. */
  nodeStatus?: string | null;
  timeoutMs?: number;
}

export type StepReport =
  { ok: true; data: unknown; elapsedMs: number } | { ok: false; error: ErrorReport; elapsedMs: number };

export interface ProgramReport {
  read: StepReport;
  write: StepReport;
  actionFailure: StepReport;
  rateLimited: StepReport;
  stalled: StepReport;
  aborted: StepReport;
}

/** The parameters of the write step; the test compares the emulator's received body with them. */
export const WRITE_PARAMS = { email: "jane@example.com", firstname: "Jane", lastname: "Doe", phone: "+1 555 0100" };
/** The stalled step's deadline, in milliseconds. */
export const STALL_TIMEOUT_MS = 1_000;
/** When the aborted step's signal fires, in milliseconds after the call started. */
export const ABORT_AFTER_MS = 300;

/** Runs every step in order; never throws for a step's failure (it is reported). */
export async function run(options: ProgramOptions): Promise<ProgramReport> {
  const auth = options.sessionToken !== undefined ? { sessionToken: options.sessionToken } : { apiKey: options.apiKey };
  // Tiny backoff so a retry that is not the server's Retry-After stays fast; the 429 step waits Retry-After.
  const refold = createRefold({ ...auth, baseUrl: options.baseUrl, retryBaseDelayMs: 10, retryMaxDelayMs: 50 });
  const account = options.linkedAccountId === undefined ? {} : { linkedAccountId: options.linkedAccountId };
  try {
    const read = await step(() => refold.hubspot.getContact({ limit: "2" }, account), undefined);
    const write = await step(() => refold.hubspot.createContact(WRITE_PARAMS, account), undefined);
    const actionFailure = await step(
      () => refold.hubspot.createNote({ hs_note_body: "a note the provider refuses" }, account),
      [RefoldActionError, "RefoldActionError"],
    );
    const rateLimited = await step(
      () =>
        refold.hubspot.searchContacts({ propertyName: "email", operator: "EQ", value: "jane@example.com" }, account),
      [RefoldRateLimitError, "RefoldRateLimitError"],
    );
    const stalled = await step(
      () =>
        refold.hubspot.getContactById({ contact_id: "42" }, { ...account, timeoutMs: STALL_TIMEOUT_MS, maxRetries: 0 }),
      [RefoldTimeoutError, "RefoldTimeoutError"],
    );
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), ABORT_AFTER_MS);
    const aborted = await step(
      () =>
        refold.hubspot.updateContact({ contact_id: "42", firstname: "J" }, { ...account, signal: controller.signal }),
      [RefoldAbortError, "RefoldAbortError"],
    );
    clearTimeout(timer);
    return { read, write, actionFailure, rateLimited, stalled, aborted };
  } finally {
    await refold.close();
  }
}

/**
 * In a browser: a client made with an API key must refuse to start (RefoldConfigError) and send nothing.
 * Reports the class of what was thrown, or, if the client started, what its call did.
 */
export async function apiKeyRefusal(options: { baseUrl: string; apiKey: string; linkedAccountId: string }): Promise<{
  refused: string;
  message: string;
}> {
  let refold: ReturnType<typeof createRefold>;
  try {
    refold = createRefold({ apiKey: options.apiKey, baseUrl: options.baseUrl });
  } catch (error) {
    const refused = error instanceof RefoldConfigError ? "RefoldConfigError" : "other";
    return { refused, message: error instanceof Error ? error.message : String(error) };
  }
  // It started: try a call, which the test sees in the emulator's log.
  try {
    await refold.hubspot.getContact({}, { linkedAccountId: options.linkedAccountId });
    return { refused: "no", message: "the API key client started and its call succeeded" };
  } catch (error) {
    return { refused: "no", message: `the API key client started; its call failed: ${String(error)}` };
  } finally {
    await refold.close();
  }
}

/** An error class and its name, given as text so that a minifier renaming classes changes nothing. */
type Expected = readonly [abstract new (...args: never[]) => RefoldError, string];

async function step(call: () => Promise<unknown>, expected: Expected | undefined): Promise<StepReport> {
  const started = Date.now();
  try {
    const data = await call();
    return { ok: true, data, elapsedMs: Date.now() - started };
  } catch (error) {
    return { ok: false, error: describe(error, expected), elapsedMs: Date.now() - started };
  }
}

function describe(error: unknown, expected: Expected | undefined): ErrorReport {
  const refold = error instanceof RefoldError ? error : undefined;
  const report: ErrorReport = {
    class: expected !== undefined && error instanceof expected[0] ? expected[1] : "other",
    refoldError: refold !== undefined,
    name: error instanceof Error ? error.name : typeof error,
    app: refold?.app ?? "",
    action: refold?.action ?? "",
    status: refold?.status ?? null,
    attempts: refold?.attempts ?? 0,
  };
  if (!refold) report.name = `${report.name}: ${error instanceof Error ? error.message : String(error)}`;
  if (error instanceof RefoldActionError) report.nodeStatus = error.nodeStatus ?? null;
  if (error instanceof RefoldTimeoutError) report.timeoutMs = error.timeoutMs;
  return report;
}
