/** The discovery client: the only stage that uses the network. */
export { pullApps, listActions, readActionList, type AppRequest, type PullResult, type ListResult } from "./pull.js";
export type { SourceOptions, SourceAuth, ProgressEvent } from "./options.js";
export { actionsPath } from "../util/api-paths.js";
