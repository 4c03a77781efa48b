// Connector updates: classify what changed between two locks (pure functions, no I/O).
export { diffLocks } from "./classify.js";
export { CHANGE_KINDS, type Change, type ChangeKind, type DiffResult } from "./types.js";
export { widens, equalType } from "./widen.js";
export {
  appendSection,
  diffJson,
  formatChangelog,
  formatDiffReport,
  formatDiffSummary,
  formatDiffTable,
} from "./format.js";
