/**
 * OpenTelemetry through the SDK's in-memory exporter and a metric reader: a span per call with its
 * attributes and status, the metrics, no key anywhere, the account only when opted in.
 */

import { AggregationTemporality, MeterProvider, MetricReader, type ResourceMetrics } from "@opentelemetry/sdk-metrics";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { describe, expect, it } from "vitest";
import {
  localLimiter,
  openTelemetry,
  RefoldConfigError,
  RefoldValidationError,
  type RefoldClient,
  type RefoldSpan,
  type RefoldTracer,
} from "../../templates/runtime/index.js";
import { ACCOUNT, API_KEY, createContact, getContact, testClient, useTestServer } from "./fixtures.js";
import { ok } from "./server.js";

class TestReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
}

const { server, client: plain, track } = useTestServer();
let spans: InMemorySpanExporter;
let reader: TestReader;

function traced(options: Parameters<typeof testClient>[1] = {}): RefoldClient {
  spans = new InMemorySpanExporter();
  reader = new TestReader();
  const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }).getTracer("refold");
  const meter = new MeterProvider({ readers: [reader] }).getMeter("refold");
  return plain({ telemetry: openTelemetry({ tracer, meter }), ...options });
}

/** Every data point of one metric, as { attributes, value } (a histogram's value is its count). */
async function points(name: string): Promise<Array<{ attributes: Record<string, unknown>; value: unknown }>> {
  const { resourceMetrics }: { resourceMetrics: ResourceMetrics } = await reader.collect();
  const metric = resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics).find((m) => m.descriptor.name === name);
  return (metric?.dataPoints ?? []).map((point) => ({
    attributes: point.attributes,
    value: typeof point.value === "number" ? point.value : (point.value as { count: number }).count,
  }));
}

describe("openTelemetry", () => {
  it("traces a call as a client span named after the app and action, with its status and attempts", async () => {
    server.script({ status: 503, json: {} }, ok({ id: "1" }));
    await traced().run(getContact, {});
    const [span] = spans.getFinishedSpans();
    expect(span?.name).toBe("hubspot.get_contact");
    expect(span?.kind).toBe(2);
    expect(span?.attributes).toEqual({
      "refold.app": "hubspot",
      "refold.action": "get_contact",
      "refold.action.kind": "read",
      "refold.attempts": 2,
      "http.response.status_code": 200,
    });
    expect(span?.status.code).toBe(0);
  });

  it("marks a failed call as an error, with the error's class, and never holds the key or the body", async () => {
    server.script({ status: 400, json: { message: `bad ${API_KEY}` } });
    const error = await traced()
      .run(createContact, { email: "jane@example.com" })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RefoldValidationError);
    const [span] = spans.getFinishedSpans();
    expect(span?.status.code).toBe(2);
    expect(span?.attributes).toMatchObject({ "error.type": "RefoldValidationError", "http.response.status_code": 400 });
    const everything = JSON.stringify([span?.attributes, span?.status, span?.events, await reader.collect()]);
    expect(everything).not.toContain(API_KEY);
    expect(everything).not.toContain("jane@example.com");
    expect(everything).not.toContain(ACCOUNT);
  });

  it("shows the linked account only with includeLinkedAccountId", async () => {
    await traced({ includeLinkedAccountId: true }).run(getContact, {});
    expect(spans.getFinishedSpans()[0]?.attributes["refold.linked_account_id"]).toBe(ACCOUNT);
  });

  it("records calls by outcome, durations, retries, 429s and the time waited for the limiter", async () => {
    server.script({ status: 429, headers: { "retry-after": "0" }, json: {} }, ok("a"), { status: 400, json: {} });
    const refold = traced({ limiter: localLimiter({ rate: 1000, burst: 10 }) });
    await refold.run(getContact, {});
    await refold.run(getContact, {}).catch(() => undefined);
    const base = { "refold.app": "hubspot", "refold.action": "get_contact", "refold.action.kind": "read" };
    expect(await points("refold.client.calls")).toEqual(
      expect.arrayContaining([
        { attributes: { ...base, "refold.outcome": "ok" }, value: 1 },
        { attributes: { ...base, "refold.outcome": "RefoldValidationError" }, value: 1 },
      ]),
    );
    expect(await points("refold.client.retries")).toEqual([{ attributes: base, value: 1 }]);
    expect(await points("refold.client.rate_limited")).toEqual([{ attributes: base, value: 1 }]);
    expect(await points("refold.client.duration")).toEqual([{ attributes: base, value: 2 }]);
    expect(await points("refold.client.limiter.wait")).toEqual([{ attributes: base, value: 2 }]);
    expect(spans.getFinishedSpans()[0]?.attributes["refold.limiter.wait_ms"]).toEqual(expect.any(Number));
  });

  it("never changes what a call does when the tracer throws", async () => {
    const tracer = {
      startActiveSpan: (_name: string, _options: unknown, fn: (span: RefoldSpan) => unknown) =>
        fn({
          setAttribute: () => {
            throw new Error("exporter down");
          },
          setStatus: () => undefined,
          end: () => undefined,
        }),
    } as RefoldTracer;
    const refold = testClient(server.url, { telemetry: openTelemetry({ tracer }) });
    track(refold);
    server.script(ok("fine"));
    await expect(refold.run(getContact, {})).resolves.toBe("fine");
  });

  it("refuses a tracer or meter that is not one", () => {
    expect(() => openTelemetry({ tracer: {} as RefoldTracer })).toThrow(RefoldConfigError);
    expect(() => testClient(server.url, { telemetry: {} as never })).toThrow(/telemetry must be openTelemetry/);
  });
});
