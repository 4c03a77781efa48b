import type { Field, ModelAction } from "../model/types.js";

/** What a JSDoc block says: paragraphs of text, then tags (`[name, text]`). Every string is untrusted. */
export interface DocParts {
  paragraphs: string[];
  tags: [string, string][];
}

/**
 * A field's documentation, where it says more than the field's name and type: the label and the
 * description (each left out when it only repeats the name: `email` labelled "Enter Email"), the options
 * when one of their labels says more than its value (the type already lists the values), a note on a
 * type refold-codegen does not know, and the example and default as `@example` and `@default`.
 */
export function fieldDoc(field: Field): DocParts {
  const paragraphs: string[] = [];
  const tags: [string, string][] = [];
  const label = field.label !== undefined && saysMore(field.label, field.name) ? field.label : undefined;
  if (label !== undefined) paragraphs.push(label);
  if (field.description !== undefined && field.description !== field.label && saysMore(field.description, field.name))
    paragraphs.push(field.description);
  const options = field.options ?? [];
  if (options.some((option) => option.label !== undefined && saysMore(option.label, String(option.value)))) {
    const described = options.map((option) =>
      option.label !== undefined && saysMore(option.label, String(option.value))
        ? `${JSON.stringify(option.value)} (${option.label})`
        : JSON.stringify(option.value),
    );
    paragraphs.push(`Options: ${described.join(", ")}`);
  }
  if (field.type.kind === "unknown" && field.rawType !== "")
    paragraphs.push(`Refold type "${field.rawType}" is not known to refold-codegen.`);
  if (field.placeholder !== undefined) tags.push(["example", field.placeholder]);
  if (field.defaultJson !== undefined) tags.push(["default", field.defaultJson]);
  return { paragraphs, tags };
}

/** A method's documentation: the action's name, its id and kind (said once, here), and its description. */
export function actionDoc(action: ModelAction): DocParts {
  const id = `\`${action.id}\``;
  const title = action.name === action.id ? `${id} (${action.kind})` : `${action.name} (${id}, ${action.kind})`;
  return { paragraphs: [title, action.description], tags: [] };
}

/** Leading words of a label that say nothing about the field ("Enter Email", "Select Method"). */
const LEADING_VERB = /^\s*(?:enter|select|choose)\s+/i;

/**
 * Whether a label (or description, or an option's label) says more than the name it documents: false when,
 * letters and digits alone and case aside, it spells the name, with or without a leading "Enter", "Select"
 * or "Choose" ("Enter Email" on `email`, "Number of Employees" on `numberofemployees`, "Vip" on `"vip"`).
 */
export function saysMore(text: string, name: string): boolean {
  if (text.trim() === name) return false;
  const key = squash(name);
  if (key === "") return true;
  return squash(text) !== key && squash(text.replace(LEADING_VERB, "")) !== key;
}

function squash(text: string): string {
  // Most labels and names are ASCII, which NFKC leaves as it is: the Unicode path only for the rest.
  if (/^[\x00-\x7f]*$/.test(text)) return text.toLowerCase().replace(/[^a-z0-9]+/g, "");
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "");
}
