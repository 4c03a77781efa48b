/** The runtime's public surface, re-exported by the generated index. */

export { RefoldClient } from "./client.js";
export type { RefoldClientOptions, RefoldLogger, RefoldRequestEvent, RefoldResponseEvent } from "./options.js";
export type { RefoldDispatcher } from "./transport-undici.js";
export type { RefoldFetch } from "./transport-fetch.js";
export {
  RefoldError,
  RefoldHttpError,
  RefoldValidationError,
  RefoldAuthenticationError,
  RefoldNotFoundError,
  RefoldRateLimitError,
  RefoldServerError,
  RefoldActionError,
  RefoldAppAuthError,
  RefoldTimeoutError,
  RefoldAbortError,
  RefoldConnectionError,
  RefoldResponseError,
  RefoldConfigError,
  RefoldLimiterError,
  RefoldReadOnlyError,
  RefoldLocalValidationError,
  RefoldResultError,
  RefoldPaginationError,
} from "./errors.js";
export type { RefoldErrorDetails, RefoldHttpErrorDetails, RefoldActionErrorDetails } from "./errors.js";
export { runBulk } from "./bulk.js";
export { localLimiter } from "./limiter-local.js";
export { redisLimiter, type RedisLimiterOptions } from "./limiter-redis.js";
export type { LimiterOptions, LimiterRequest, RefoldLimiter } from "./limiter.js";
export { openTelemetry } from "./telemetry.js";
export type {
  CallRecord,
  CallTarget,
  OpenTelemetryOptions,
  RefoldMeter,
  RefoldSpan,
  RefoldTelemetry,
  RefoldTracer,
} from "./telemetry.js";
export {
  defineApp,
  listActions,
  type ActionTable,
  type AppDefinition,
  type MethodExtension,
  type ResultTable,
} from "./bind.js";
export type { PageScheme } from "./pages.js";
export type { ResultCheck, ResultProblem, ResultShape } from "./results.js";
export type { RefoldBulkOptions, RefoldBulkResult } from "./bulk.js";
export { clientIsReadOnly, createRoot, type AppEntries, type AppEntry } from "./root.js";
export type {
  ActionInfo,
  ActionKind,
  ActionRunner,
  ActionSpec,
  AsyncDisposableClient,
  CallOptions,
  Connection,
  FieldSpec,
  JsonValue,
  PageOptions,
  SessionToken,
} from "./types.js";
