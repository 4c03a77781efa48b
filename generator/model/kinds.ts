import type { ActionKind } from "../../templates/runtime/types.js";
import { words } from "./naming.js";

/** The verbs that begin a read (refold-api.md). */
const READ_VERBS: ReadonlySet<string> = new Set(["get", "list", "search", "find", "fetch"]);

/** Words that make an id a write wherever they stand: refold-api.md's write verbs and their kin. */
const WRITE_WORDS: ReadonlySet<string> = new Set([
  ...["create", "update", "delete", "upsert", "send", "add", "remove"],
  ...["set", "put", "post", "patch", "insert", "write", "edit", "modify", "replace", "rename", "move", "merge"],
  ...["archive", "unarchive", "restore", "cancel", "close", "complete", "approve", "reject", "revoke"],
  ...["trigger", "execute", "run", "start", "stop", "publish", "submit", "invite", "assign", "unassign"],
  ...["attach", "detach", "upload", "import", "sync", "mark", "enable", "disable", "subscribe", "unsubscribe"],
  ...["clear", "reset", "purge", "destroy", "erase", "drop", "share", "transfer", "convert", "register"],
]);

/** Words that join two operations: an id holding one does more than read, as far as anyone can tell. */
const CONJUNCTIONS: ReadonlySet<string> = new Set(["and", "or", "then"]);

/**
 * Infers whether an action reads or writes from its id, deny by default (refold-api.md): a read only when
 * it is clearly one, its first word a read verb and no other word a write word or a conjunction
 * (`fetch_and_delete_x` and `get_or_create_x` write). Anything else, `httprequest` included, is a write:
 * the safe side. The config's `kinds` override it per action.
 */
export function inferKind(actionId: string, overrides: Readonly<Record<string, ActionKind>> = {}): ActionKind {
  const override = Object.hasOwn(overrides, actionId) ? overrides[actionId] : undefined;
  if (override !== undefined) return override;
  const [first, ...rest] = words(actionId).map((word) => word.toLowerCase());
  if (first === undefined || !READ_VERBS.has(first)) return "write";
  return rest.some((word) => WRITE_WORDS.has(word) || CONJUNCTIONS.has(word)) ? "write" : "read";
}

/** Write verbs that only add (a create repeated makes a second record, but destroys nothing). */
const ADDITIVE = new Set([
  "create",
  "add",
  "send",
  "post",
  "insert",
  "upload",
  "invite",
  "submit",
  "publish",
  "import",
  "attach",
  "subscribe",
  "register",
  "schedule",
]);
/** Write verbs whose repetition changes nothing more (the second delete or update finds it done). */
const IDEMPOTENT = new Set([
  "update",
  "upsert",
  "set",
  "put",
  "delete",
  "remove",
  "archive",
  "unarchive",
  "enable",
  "disable",
  "mark",
  "assign",
  "unassign",
  "close",
  "cancel",
  "revoke",
]);

/**
 * What a write may do, for MCP's tool hints: `destructive` unless it clearly only adds (its first word
 * creates, sends, adds...; `httprequest` and unknown verbs may destroy), `idempotent` where repeating it
 * clearly changes nothing more (reads; updates, deletes, sets), unknown otherwise.
 */
export function writeEffect(actionId: string, kind: ActionKind): { destructive: boolean; idempotent?: boolean } {
  if (kind === "read") return { destructive: false, idempotent: true };
  const first = words(actionId)[0]?.toLowerCase() ?? "";
  if (ADDITIVE.has(first)) return { destructive: false, idempotent: false };
  return IDEMPOTENT.has(first) ? { destructive: true, idempotent: true } : { destructive: true };
}
