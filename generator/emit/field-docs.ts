import type { Field, ModelAction, ModelApp } from "../model/types.js";

/** What a JSDoc block says: paragraphs of text, then tags (`[name, text]`). Every string is untrusted. */
export interface DocParts {
  paragraphs: string[];
  tags: [string, string][];
}

/** Documentation paragraphs of one field: label, description, example, options, default. */
export function fieldDoc(field: Field): DocParts {
  const paragraphs: string[] = [];
  if (field.label !== undefined) paragraphs.push(field.label);
  if (field.description !== undefined && field.description !== field.label) paragraphs.push(field.description);
  if (field.placeholder !== undefined) paragraphs.push(`Example: ${field.placeholder}`);
  if (field.options !== undefined) {
    const options = field.options.map((option) =>
      option.label !== undefined && option.label !== String(option.value)
        ? `${JSON.stringify(option.value)} (${option.label})`
        : JSON.stringify(option.value),
    );
    paragraphs.push(`Options: ${options.join(", ")}`);
  }
  if (field.defaultJson !== undefined) paragraphs.push(`Default: ${field.defaultJson}`);
  if (field.type.kind === "unknown" && field.rawType !== "")
    paragraphs.push(`Refold type "${field.rawType}" is not known to refold-codegen.`);
  return { paragraphs, tags: [] };
}

/** Documentation paragraphs of one action's method. */
export function actionDoc(action: ModelAction): DocParts {
  return { paragraphs: [action.name, action.description, `Action \`${action.id}\` (${action.kind}).`], tags: [] };
}

/** Documentation of an action's parameter type. */
export function paramsDoc(app: ModelApp, action: ModelAction): DocParts {
  return { paragraphs: [`Parameters of ${app.slug} "${action.name}" (\`${action.id}\`).`], tags: [] };
}
