import type { Diagnostic } from "../util/diagnostics.js";
import type { RawActionEntry } from "../lock/types.js";
import type { CallContext } from "./errors.js";
import { snippet } from "./text.js";

/** The usable entries of an action list, plus what was wrong with the rest. */
export interface CheckedList {
  /** Valid entries in API order, first occurrence of each `action_id`, each kept exactly as returned. */
  actions: RawActionEntry[];
  diagnostics: Diagnostic[];
}

/** Checks a list-actions answer: an array of objects, each with a non-empty string `action_id`, no id twice. */
export function checkActionList(value: unknown, context: CallContext): CheckedList {
  const where = { app: context.app, url: context.url };
  if (!Array.isArray(value)) {
    const diagnostic = shapeError(where, `expected a JSON array of actions, got ${describe(value)}`);
    return { actions: [], diagnostics: [diagnostic] };
  }
  const actions: RawActionEntry[] = [];
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();
  value.forEach((entry: unknown, index) => {
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
      diagnostics.push(
        shapeError(where, `entry #${index} of the action list is ${describe(entry)}, expected an object`),
      );
      return;
    }
    const id = (entry as Record<string, unknown>)["action_id"];
    if (typeof id !== "string" || id === "") {
      const got = id === undefined ? "has no action_id" : `has action_id ${describe(id)}`;
      diagnostics.push(shapeError(where, `entry #${index} of the action list ${got}, expected a non-empty string`));
      return;
    }
    if (seen.has(id)) {
      diagnostics.push({
        ...where,
        action: id,
        severity: "warning",
        code: "duplicate-action",
        message: `action id ${snippet(id, 120)} appears more than once in the list (entry #${index}); the first is kept`,
      });
      return;
    }
    seen.add(id);
    actions.push(entry as RawActionEntry);
  });
  return { actions, diagnostics };
}

/** Checks a parameter-schema answer: a bare array, or an object whose `parameters` is an array. */
export function checkParameters(value: unknown, context: CallContext): Diagnostic | undefined {
  if (Array.isArray(value)) return undefined;
  if (typeof value === "object" && value !== null && Array.isArray((value as Record<string, unknown>)["parameters"])) {
    return undefined;
  }
  return shapeError(
    context,
    `expected a JSON array of parameters (or { "parameters": [...] }), got ${describe(value)}`,
  );
}

function shapeError(where: CallContext, message: string): Diagnostic {
  return {
    ...where,
    severity: "error",
    code: "bad-shape",
    message,
    hint: "check that baseUrl points at the Refold API; if it does, the server answers a shape this tool does not know",
  };
}

/** A short, safe description of an unexpected JSON value: its kind and a bounded excerpt. */
function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === "object") {
    const keys = Object.keys(value);
    const shown = keys.slice(0, 8).map((k) => snippet(k, 40));
    return `an object with keys ${shown.join(", ") || "(none)"}${keys.length > 8 ? ", …" : ""}`;
  }
  if (typeof value === "string") return `a string ${snippet(value, 60)}`;
  return `${typeof value} ${String(value)}`;
}
