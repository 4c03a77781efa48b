/**
 * OpenTelemetry, optional: a span per call and a few metrics, through the tracer and meter you pass
 * (`trace.getTracer("refold")`, `metrics.getMeter("refold")` from @opentelemetry/api). The runtime imports
 * nothing: these interfaces are the small part of the API it calls. No key, no body; the linked account only
 * with `includeLinkedAccountId`, and never in metrics.
 */

import { RefoldConfigError } from "./errors.js";

type AttributeValue = string | number | boolean;
type Attributes = Record<string, AttributeValue>;

/** The part of an OpenTelemetry `Span` the client uses. */
export interface RefoldSpan {
  setAttribute(key: string, value: AttributeValue): unknown;
  setStatus(status: { code: number; message?: string }): unknown;
  end(): void;
}

/** The part of an OpenTelemetry `Tracer` the client uses. */
export interface RefoldTracer {
  startActiveSpan<F extends (span: RefoldSpan) => unknown>(
    name: string,
    options: { kind?: number; attributes?: Attributes },
    fn: F,
  ): ReturnType<F>;
}

/** The part of an OpenTelemetry `Meter` the client uses. */
export interface RefoldMeter {
  createCounter(
    name: string,
    options?: { description?: string; unit?: string },
  ): { add(value: number, attributes?: Attributes): void };
  createHistogram(
    name: string,
    options?: { description?: string; unit?: string },
  ): {
    record(value: number, attributes?: Attributes): void;
  };
}

/** Options of `openTelemetry`. */
export interface OpenTelemetryOptions {
  tracer?: RefoldTracer | undefined;
  meter?: RefoldMeter | undefined;
}

/** The client option `telemetry`: `openTelemetry(...)`, or your own. */
export interface RefoldTelemetry {
  /** Runs one call (`call`), which fills in `record` as it goes. */
  run<T>(target: CallTarget, call: (record: CallRecord) => Promise<T>): Promise<T>;
}

/**
 * A span per call and the client's metrics:
 * `telemetry: openTelemetry({ tracer: trace.getTracer("refold"), meter: metrics.getMeter("refold") })`.
 */
export function openTelemetry(options: OpenTelemetryOptions): RefoldTelemetry {
  if (options?.tracer !== undefined && typeof options.tracer.startActiveSpan !== "function") {
    throw new RefoldConfigError("openTelemetry: tracer must be an OpenTelemetry Tracer (trace.getTracer(...))");
  }
  const meter = options?.meter;
  if (
    meter !== undefined &&
    (typeof meter.createCounter !== "function" || typeof meter.createHistogram !== "function")
  ) {
    throw new RefoldConfigError("openTelemetry: meter must be an OpenTelemetry Meter (metrics.getMeter(...))");
  }
  return new Telemetry(options);
}

/** What the sender learns about one call while it runs. */
export interface CallRecord {
  attempts: number;
  /** The last response's HTTP status. */
  status: number | undefined;
  /** Time spent waiting for the limiter's turns, in ms; undefined without a limiter. */
  waitedMs: number | undefined;
  /** Attempts answered 429. */
  rateLimited: number;
}

/** The call as telemetry names it. */
export interface CallTarget {
  readonly app: string;
  readonly action: string;
  readonly kind: "read" | "write";
  /** Only when the client shows it (`includeLinkedAccountId`). */
  readonly account: string | undefined;
}

// @opentelemetry/api's SpanKind.CLIENT and SpanStatusCode.ERROR, as numbers: the runtime imports nothing.
const SPAN_KIND_CLIENT = 2;
const STATUS_ERROR = 2;

/** One client's instruments. */
class Telemetry implements RefoldTelemetry {
  private readonly tracer: RefoldTracer | undefined;
  private readonly metrics:
    | {
        calls: { add(value: number, attributes?: Attributes): void };
        retries: { add(value: number, attributes?: Attributes): void };
        rateLimited: { add(value: number, attributes?: Attributes): void };
        duration: { record(value: number, attributes?: Attributes): void };
        limiterWait: { record(value: number, attributes?: Attributes): void };
      }
    | undefined;

  constructor(options: OpenTelemetryOptions) {
    this.tracer = options.tracer;
    const meter = options.meter;
    this.metrics = meter && {
      calls: meter.createCounter("refold.client.calls", { description: "Action calls, by outcome" }),
      retries: meter.createCounter("refold.client.retries", { description: "Attempts after the first" }),
      rateLimited: meter.createCounter("refold.client.rate_limited", { description: "Attempts answered 429" }),
      duration: meter.createHistogram("refold.client.duration", {
        description: "Call duration, retries included",
        unit: "ms",
      }),
      limiterWait: meter.createHistogram("refold.client.limiter.wait", {
        description: "Time waited for the limiter",
        unit: "ms",
      }),
    };
  }

  /** Runs one call inside its span, then records its metrics. */
  run<T>(target: CallTarget, call: (record: CallRecord) => Promise<T>): Promise<T> {
    const record: CallRecord = { attempts: 0, status: undefined, waitedMs: undefined, rateLimited: 0 };
    const base: Attributes = {
      "refold.app": target.app,
      "refold.action": target.action,
      "refold.action.kind": target.kind,
    };
    const started = Date.now();
    const traced = (span: RefoldSpan | undefined): Promise<T> =>
      call(record).then(
        (value) => {
          this.finish(span, base, record, started, target, undefined);
          return value;
        },
        (error: unknown) => {
          this.finish(span, base, record, started, target, error);
          throw error;
        },
      );
    if (this.tracer === undefined) return traced(undefined);
    return this.tracer.startActiveSpan(
      `${target.app}.${target.action}`,
      { kind: SPAN_KIND_CLIENT, attributes: base },
      traced,
    );
  }

  private finish(
    span: RefoldSpan | undefined,
    base: Attributes,
    record: CallRecord,
    started: number,
    target: CallTarget,
    error: unknown,
  ): void {
    const outcome = error === undefined ? "ok" : error instanceof Error ? error.name : "Error";
    // Telemetry must never change what the call does.
    try {
      if (span !== undefined) {
        span.setAttribute("refold.attempts", record.attempts);
        if (record.status !== undefined) span.setAttribute("http.response.status_code", record.status);
        if (record.waitedMs !== undefined) span.setAttribute("refold.limiter.wait_ms", record.waitedMs);
        if (target.account !== undefined) span.setAttribute("refold.linked_account_id", target.account);
        if (error !== undefined) {
          span.setAttribute("error.type", outcome);
          span.setStatus({ code: STATUS_ERROR, message: error instanceof Error ? error.message : outcome });
        }
        span.end();
      }
      const metrics = this.metrics;
      if (metrics === undefined) return;
      metrics.calls.add(1, { ...base, "refold.outcome": outcome });
      metrics.duration.record(Date.now() - started, base);
      if (record.attempts > 1) metrics.retries.add(record.attempts - 1, base);
      if (record.rateLimited > 0) metrics.rateLimited.add(record.rateLimited, base);
      if (record.waitedMs !== undefined) metrics.limiterWait.record(record.waitedMs, base);
    } catch {
      // Deliberately ignored, as observers are (observe.ts).
    }
  }
}
