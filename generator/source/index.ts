/** The discovery client: the only stage that uses the network. */
export {
  pullApps,
  listActions,
  readActionList,
  actionsPath,
  type AppRequest,
  type PullResult,
  type ListResult,
} from "./pull.js";
export type { SourceOptions, SourceAuth, ProgressEvent } from "./options.js";
