// The programmatic API: the same commands as the CLI, returning results and diagnostics instead of printing.
export { CodegenError, ExitCode } from "./util/diagnostics.js";
export type { Diagnostic } from "./util/diagnostics.js";
export type { OutputDiff } from "./write/output.js";
export type { StageTiming } from "./util/timing.js";
export { loadProjectConfig, type CommonOptions } from "./config/options.js";
export { generate, type GenerateOptions, type GenerateResult } from "./pipeline/generate.js";
export { render, type Rendered } from "./pipeline/render.js";
export { readLock } from "./lock/read.js";
export { pull, type PullOptions, type PullResult } from "./pipeline/pull.js";
export { watchGenerate, type WatchHandle, type WatchHandlers } from "./pipeline/watch.js";
export { init, type InitOptions, type InitResult } from "./commands/init.js";
export { list, type ListOptions, type ListedAction } from "./commands/list.js";
export { diff, type DiffOptions, type DiffReport } from "./commands/diff.js";
export { record, type RecordOptions, type RecordResult } from "./commands/record.js";
export { diffLocks } from "./diff/classify.js";
export { CHANGE_KINDS, type Change, type ChangeKind, type DiffResult } from "./diff/types.js";
