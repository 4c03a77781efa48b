import { createHash } from "node:crypto";
import { compareCodeUnits } from "../util/stable-json.js";
import type { AppNames } from "./types.js";

/*
 * Every identifier in the output is decided here. Rules (documented in ARCHITECTURE.md):
 * - words: the id is NFKD-normalized, diacritics dropped, split on anything but ASCII letters and digits
 *   and on camelCase boundaries (`getContactByID` -> get, Contact, By, ID);
 * - camelCase / PascalCase join the words; only ASCII letters, digits and `_` ever reach the output;
 * - a name that starts with a digit gets a leading `_` (methods) or is safe behind its prefix (types);
 * - a name that would sanitize to nothing becomes `action` / `app`, then gets an id-derived suffix;
 * - names that would shadow Object.prototype members or make an object thenable get a trailing `_`;
 * - colliding names: the id that maps to the name most directly keeps it, the others get `_` plus a
 *   hash of their own id, so adding or removing another action never renames an existing one.
 */

/** Property names that must not be own members of a generated object. */
const RESERVED_MEMBERS = new Set([
  "then",
  // `new(...)` in an interface is a construct signature, not a method.
  "new",
  "constructor",
  "prototype",
  "toString",
  "toLocaleString",
  "valueOf",
  "hasOwnProperty",
  "isPrototypeOf",
  "propertyIsEnumerable",
]);

/** Splits an id into ASCII words. */
export function words(id: string): string[] {
  const ascii = id.normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
  return ascii
    .split(/[^A-Za-z0-9]+/)
    .flatMap((chunk) => chunk.split(/(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])/))
    .filter((word) => word !== "");
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1).toLowerCase();
}

/** `get_contact_by_id` -> `getContactById`. */
export function camelCase(id: string): string {
  const [first = "", ...rest] = words(id);
  return first.toLowerCase() + rest.map(capitalize).join("");
}

/** `google-sheets` -> `GoogleSheets`. */
export function pascalCase(id: string): string {
  return words(id).map(capitalize).join("");
}

/** A short, stable suffix derived from the original id. */
export function idSuffix(id: string, length = 6): string {
  return createHash("sha256").update(id).digest("hex").slice(0, length);
}

/** A safe member name (method or app property) from an id, before collision handling. */
export function memberName(id: string, fallback: string, reserved: ReadonlySet<string> = RESERVED_MEMBERS): string {
  let name = camelCase(id);
  if (name === "") name = fallback;
  if (/^[0-9]/.test(name)) name = `_${name}`;
  if (reserved.has(name) || RESERVED_MEMBERS.has(name)) name = `${name}_`;
  return name;
}

/**
 * How directly an id maps to its name: 0 for the snake_case spelling Refold uses, 1 for an id that is
 * already the name, 2 otherwise. The lowest rank keeps the bare name when ids collide.
 */
function directness(id: string, name: string): number {
  if (
    id ===
    words(id)
      .map((word) => word.toLowerCase())
      .join("_")
  )
    return 0;
  return id === name ? 1 : 2;
}

/**
 * Assigns unique names to ids. `base` maps an id to its preferred name; `taken` holds names already used
 * in the same scope. Deterministic for a given set, whatever order the ids arrive in.
 */
export function assignNames(
  ids: readonly string[],
  base: (id: string) => string,
  taken: ReadonlySet<string> = new Set(),
): Map<string, string> {
  const groups = new Map<string, string[]>();
  for (const id of [...ids].sort(compareCodeUnits)) {
    const name = base(id);
    const group = groups.get(name);
    if (group) group.push(id);
    else groups.set(name, [id]);
  }
  const result = new Map<string, string>();
  // Every bare name is reserved first, so no suffixed name can take another id's bare name.
  const used = new Set([...taken, ...groups.keys()]);
  for (const [name, group] of groups) {
    const ranked = [...group].sort((a, b) => directness(a, name) - directness(b, name) || compareCodeUnits(a, b));
    ranked.forEach((id, index) => {
      if (index === 0 && !taken.has(name)) {
        result.set(id, name);
        return;
      }
      let suffixed = `${name}_${idSuffix(id)}`;
      for (let length = 8; used.has(suffixed); length += 2) suffixed = `${name}_${idSuffix(id, length)}`;
      used.add(suffixed);
      result.set(id, suffixed);
    });
  }
  return result;
}

/** `googleSheets` -> `GoogleSheets`: type names derive from the already unique member name. */
export function upperFirst(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** The module file name for an app slug: lowercase, `[a-z0-9_-]` only. */
export function fileBase(slug: string): string {
  const base = slug
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, "-")
    .replace(/^[-_]+|[-_]+$/g, "");
  if (base === "") return "app";
  // File systems cap a name at 255 bytes: keep room for the extension and a collision suffix.
  return base.length > MAX_FILE_BASE ? `${base.slice(0, MAX_FILE_BASE - 7)}-${idSuffix(slug)}` : base;
}

const MAX_FILE_BASE = 120;

/** Names the generated index module itself declares (emit/index-module.ts; a test holds the two equal). */
export const INDEX_NAMES: readonly string[] = [
  "APPS",
  "createRefold",
  "Refold",
  "RefoldAccount",
  "RefoldApps",
  "RefoldConnections",
];

/** Members of the root client beside the apps (the index's `Refold` interface; a test holds the two equal). */
export const ROOT_MEMBERS: ReadonlySet<string> = new Set(["close", "connections", "forAccount", "sessionToken"]);

/** File names the output already uses: the index, the runtime's folder, the MCP server's module and folder. */
export const RESERVED_FILES: ReadonlySet<string> = new Set(["index", "mcp", "runtime"]);

/** An app's exported names, from its property name: what `AppNames` holds beside the slug and file. */
export function appExports(property: string): Omit<AppNames, "slug" | "property" | "file"> {
  const typePrefix = upperFirst(property);
  return {
    typePrefix,
    clientType: `${typePrefix}Client`,
    factory: `create${typePrefix}Client`,
    actionsConst: `${property}Actions`,
    actionTypes: `${typePrefix}ActionTypes`,
    actionIdType: `${typePrefix}ActionId`,
  };
}

/**
 * An action's type name (`<App><Method><suffix>`, e.g. `HubspotGetContactParams`); when that is taken, the
 * app and action id's own hash goes before the suffix, so the name stays stable.
 */
export function actionTypeName(
  typePrefix: string,
  method: string,
  suffix: "Params" | "Result",
  taken: ReadonlySet<string>,
  qualifiedId: string,
): string {
  const name = `${typePrefix}${upperFirst(method)}${suffix}`;
  return taken.has(name) ? `${typePrefix}${upperFirst(method)}_${idSuffix(qualifiedId)}${suffix}` : name;
}
