import type { OptionValue } from "../model/types.js";

/*
 * Kinds of change between two locks. These strings are part of the public `diff --json` schema: never
 * rename one; new kinds may be added.
 *
 * | kind               | level          | breaking                         |
 * | ------------------ | -------------- | -------------------------------- |
 * | `app-added`        | app            | no                               |
 * | `app-removed`      | app            | yes                              |
 * | `action-added`     | action         | no                               |
 * | `action-removed`   | action         | yes                              |
 * | `field-added`      | field          | yes when the new field is required |
 * | `field-removed`    | field          | yes                              |
 * | `field-required`   | field          | yes (an optional field became required) |
 * | `field-optional`   | field          | no (a required field became optional) |
 * | `type-changed`     | field          | yes (narrowed or incompatible)   |
 * | `type-widened`     | field          | no (every value valid before is still valid) |
 * | `option-added`     | field (option) | no                               |
 * | `option-removed`   | field (option) | yes                              |
 * | `multiple-changed` | field          | yes (a select took one value and now takes a list, or back) |
 * | `default-changed`  | field          | no                               |
 * | `doc-changed`      | action, field  | no (name, description, label, example, option label, raw type name) |
 *
 * Result shapes (refold.results.json) are outputs: what the caller reads may disappear or widen.
 *
 * | `result-added`          | action       | no (the result got a recorded shape)       |
 * | `result-removed`        | action       | yes (typed results become `unknown`)       |
 * | `result-field-added`    | result field | no                                         |
 * | `result-field-removed`  | result field | yes                                        |
 * | `result-field-optional` | result field | yes (a field every sample had may be absent) |
 * | `result-field-required` | result field | no                                         |
 * | `result-field-nullable` | result field | yes (null is possible)                     |
 * | `result-type-changed`   | result field | yes (a new type to handle)                 |
 * | `result-type-narrowed`  | result field | no (a type no longer seen)                 |
 */
export type ChangeKind =
  | "app-added"
  | "app-removed"
  | "action-added"
  | "action-removed"
  | "field-added"
  | "field-removed"
  | "field-required"
  | "field-optional"
  | "type-changed"
  | "type-widened"
  | "option-added"
  | "option-removed"
  | "multiple-changed"
  | "default-changed"
  | "doc-changed"
  | "result-added"
  | "result-removed"
  | "result-field-added"
  | "result-field-removed"
  | "result-field-optional"
  | "result-field-required"
  | "result-field-nullable"
  | "result-type-changed"
  | "result-type-narrowed";

/** Every kind, in the order the README documents them. */
export const CHANGE_KINDS: readonly ChangeKind[] = [
  "app-added",
  "app-removed",
  "action-added",
  "action-removed",
  "field-added",
  "field-removed",
  "field-required",
  "field-optional",
  "type-changed",
  "type-widened",
  "option-added",
  "option-removed",
  "multiple-changed",
  "default-changed",
  "doc-changed",
  "result-added",
  "result-removed",
  "result-field-added",
  "result-field-removed",
  "result-field-optional",
  "result-field-required",
  "result-field-nullable",
  "result-type-changed",
  "result-type-narrowed",
];

/**
 * One classified change (the element of `diff --json`'s `changes`). Properties appear in this order and
 * are absent, never null, when they do not apply.
 */
export interface Change {
  /** The app's slug. */
  app: string;
  /** The action id; absent for app-level changes. */
  action?: string;
  /**
   * The field's path: its wire name, nested fields joined with `.` (`properties.grid_properties.row_count`),
   * `[]` marking the items of an array of objects (`attachments[].url`); absent for app- and action-level changes.
   */
  field?: string;
  kind: ChangeKind;
  breaking: boolean;
  /** One line for humans; it names its own subject (the app, action or field) but not the enclosing ones. */
  message: string;
  /** The select option's value, for `option-added`, `option-removed` and an option label's `doc-changed`. */
  option?: OptionValue;
  /**
   * What it was and what it is, when that is a value: a type as text (`string`, `"a" | "b"`, `number[]`)
   * for field and type kinds, a boolean for `field-required`, `field-optional` and `multiple-changed`,
   * the text for `doc-changed`, the default's JSON value for `default-changed`.
   */
  before?: unknown;
  after?: unknown;
}

/** The changes between two locks, in a stable order, and how many of them are breaking. */
export interface DiffResult {
  changes: Change[];
  breaking: number;
}
