// The local Refold emulator (design.md §5): the programmatic API behind `refold-codegen mock`.
export {
  startMock,
  type MockAnswer,
  type MockOptions,
  type MockServer,
  type MockStats,
  type PreflightLogEntry,
  type RequestLogEntry,
} from "./server.js";
export { loadMockFaults, parseFaults, type FaultRule, type RouteKind } from "./faults.js";
export type { RateLimitOptions } from "./rate-limit.js";
export { executeData, MOCK_TIME, type MockData } from "./data.js";
export type { MockConnection, Route } from "./router.js";
