import type { ActionKind } from "../../templates/runtime/types.js";
import type { Shape } from "../results/shape.js";

/** A literal a `select` field accepts. */
export type OptionValue = string | number | boolean;

/** The TypeScript-facing shape of one parameter, decided once from the raw `type`. */
export type TypeNode =
  | { kind: "string" }
  | { kind: "number" }
  | { kind: "boolean" }
  | { kind: "json" }
  | { kind: "unknown" }
  | { kind: "enum"; values: readonly OptionValue[]; multiple: boolean }
  | { kind: "object"; fields: readonly Field[] }
  | { kind: "array"; items: TypeNode };

/** One select option, documentation only (its value is in the enum). */
export interface FieldOption {
  value: OptionValue;
  label?: string;
}

/** One normalized parameter. */
export interface Field {
  /** The body key, exactly as the API named it: what goes on the wire. */
  name: string;
  required: boolean;
  type: TypeNode;
  /** The raw `type` string as the API sent it, for docs and diagnostics. */
  rawType: string;
  label?: string;
  description?: string;
  placeholder?: string;
  /** JSON text of the raw `default`, when there is one. */
  defaultJson?: string;
  options?: readonly FieldOption[];
}

/** One action, with every name the emitter needs already chosen. */
export interface ModelAction {
  /** The action id, exactly as the API gave it: what goes in the URL. */
  id: string;
  /** The generated method's name (camelCase, unique in its app). */
  method: string;
  /** The parameter type's name (`<App><Action>Params`, unique across the output). */
  paramsType: string;
  name: string;
  description: string;
  kind: ActionKind;
  fields: readonly Field[];
  /** True when at least one field is required, so `params` cannot be omitted. */
  hasRequired: boolean;
  /** The recorded shape of the action's result (refold.results.json) and its type's name, when there is one. */
  result?: { shape: Shape; type: string };
  /** The declared pagination (config `pagination`), checked against the fields and the recorded shape. */
  pagination?: ModelPagination;
}

/**
 * A declared pagination scheme as the runtime's pager reads it (templates/runtime/pages.ts `PageScheme`):
 * the emitter writes this object as JSON text, so its keys are the runtime's. Paths are split on dots.
 */
export interface ModelPagination {
  scheme: "cursor" | "page" | "offset";
  /** The parameter the cursor, page number or offset goes in. */
  param: string;
  /** Where the items are, from `data`. */
  items: readonly string[];
  /** cursor: where the next cursor is. */
  next?: readonly string[];
  /** cursor or page: the has-next flag's path; page: or the page count's. */
  hasNext?: readonly string[];
  count?: readonly string[];
  /** page: the first page's number when the params give none. */
  start?: number;
  /** offset: the total item count's path. */
  total?: readonly string[];
  /** The param is a text field: page numbers, offsets and cursors go as strings (Refold's `limit: "1"`). */
  text?: true;
}

/** An app's own names, decided from the configured slugs alone (no lock entry needed). */
export interface AppNames {
  slug: string;
  /** Property on the client (`microsoftTeams`). */
  property: string;
  /** Module file name without extension (`microsoft-teams`). */
  file: string;
  /** PascalCase prefix of the app's type names (`MicrosoftTeams`). */
  typePrefix: string;
  /** Exported client interface (`MicrosoftTeamsClient`). */
  clientType: string;
  /** Exported factory (`createMicrosoftTeamsClient`). */
  factory: string;
  /** Exported action list (`microsoftTeamsActions`). */
  actionsConst: string;
  /** Exported map from action id to params and result types (`MicrosoftTeamsActionTypes`). */
  actionTypes: string;
  /** Exported union of the action ids (`MicrosoftTeamsActionId`). */
  actionIdType: string;
}

/** One app, with its output names chosen. */
export interface ModelApp extends AppNames {
  /** Sorted by action id. */
  actions: readonly ModelAction[];
}

/** The whole output's model: apps sorted by slug. */
export interface Model {
  apps: readonly ModelApp[];
}
