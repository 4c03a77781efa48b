import type { Diagnostic } from "../util/diagnostics.js";
import type { Failure } from "./body.js";

/** Which call failed: the app's action list, or one action's parameter schema. */
export interface CallContext {
  app: string;
  action?: string;
  url: string;
}

/** A call that concerns no app (e.g. the org's app list): what it was doing, and its URL. */
export interface OtherCallContext {
  what: string;
  url: string;
}

/** Turns a failed call into an error diagnostic naming app, action, URL and status, with a hint when we know one. */
export function failureDiagnostic(failure: Failure, call: CallContext | OtherCallContext): Diagnostic {
  const context = "what" in call ? undefined : call;
  const what =
    context === undefined
      ? (call as OtherCallContext).what
      : context.action === undefined
        ? "listing the app's actions"
        : "fetching the action's parameters";
  const server = failure.serverMessage === undefined ? "" : `: ${failure.serverMessage}`;
  const attempts = failure.attempts > 1 ? ` (after ${failure.attempts} attempts)` : "";
  const diagnostic: Diagnostic = {
    severity: "error",
    code: failure.code,
    ...(context === undefined ? {} : { app: context.app }),
    ...(context?.action === undefined ? {} : { action: context.action }),
    url: call.url,
    message: `${what} failed: ${failure.detail}${server}${attempts}`,
  };
  if (failure.status !== undefined) diagnostic.status = failure.status;
  const hint = hintFor(failure, context);
  if (hint !== undefined) diagnostic.hint = hint;
  return diagnostic;
}

function hintFor(failure: Failure, context: CallContext | undefined): string | undefined {
  switch (failure.code) {
    case "http-status":
      return statusHint(failure.status ?? 0, context);
    case "bad-json":
      return "check that baseUrl points at the Refold API (a proxy or a login page answers HTML); if it does, try again later";
    case "network":
      return "check baseUrl and the network connection; the run retried before giving up";
    case "timeout":
      return "the server is slow or the connection stalled: try again later or raise timeoutMs";
    case "secret-in-answer":
      return "the server echoed the credentials in a schema; nothing was written. Report it to Refold";
    case "too-large":
      return "check that baseUrl points at the Refold API, or raise maxResponseBytes";
  }
}

function statusHint(status: number, context: CallContext | undefined): string | undefined {
  if (status === 401 || status === 403) {
    return "check REFOLD_API_KEY (production keys start with `pk`, test keys with `tk`) or REFOLD_SESSION_TOKEN, and that it belongs to the org that has this app";
  }
  if (status === 404) {
    if (context === undefined) return "check baseUrl: it must point at the Refold API";
    return context.action === undefined
      ? `check the app slug "${context.app}": it must be an app enabled for your org`
      : `run \`refold-codegen list ${context.app}\` to see the app's action ids`;
  }
  if (status === 400) return "check linkedAccountId (or REFOLD_LINKED_ACCOUNT_ID) and the app slug";
  if (status === 429) return "the server kept rate limiting: lower rateLimit.perSecond or try again later";
  if (status >= 500) return "the Refold API failed on its side: try again later";
  if (status >= 300 && status < 400) return "baseUrl redirects: set it to the final address";
  return undefined;
}
