/**
 * The executor every generated method calls. It assembles the parts: options (`options.ts`), requests
 * (`request.ts`), sending with retries (`send.ts`) over a transport (`platform.ts` picks it), observers
 * (`observe.ts`), and the result drift check (`results.ts`).
 */

import { sessionTokenOf } from "./accounts.js";
import { configError, RefoldResultError } from "./errors.js";
import { Observer } from "./observe.js";
import { checkLine, resolveOptions, type RefoldClientOptions, type ResolvedOptions } from "./options.js";
import { createTransport } from "./platform.js";
import { Scrubber } from "./redact.js";
import { RequestBuilder } from "./request.js";
import { callDetails, interpretJson, interpretResponse, type ErrorContext } from "./response.js";
import { shapeProblem, type EncodedShape } from "./results.js";
import { Sender } from "./send.js";
import type { ActionRunner, ActionSpec, CallOptions, SessionToken } from "./types.js";

// Re-exported here because generated code imports the class and its options from this module.
export type { RefoldClientOptions } from "./options.js";

/** Executes Refold actions over one connection pool (or fetch); generated app clients call its `run`. */
export class RefoldClient implements ActionRunner {
  private readonly config: ResolvedOptions;
  private readonly requests: RequestBuilder;
  private readonly sender: Sender;
  private readonly observer: Observer;
  private readonly scrubber: Scrubber;
  private readonly shapes = new WeakMap<ActionSpec, EncodedShape>();

  /** Validates the options (throws RefoldConfigError naming the problem) and prepares the transport. */
  constructor(options: RefoldClientOptions) {
    const config = resolveOptions(options);
    const transport = createTransport(config);
    if (transport === undefined) {
      throw configError("this platform has no global fetch: pass the fetch option");
    }
    this.config = config;
    this.requests = new RequestBuilder(config);
    this.observer = new Observer(config);
    this.sender = new Sender(config, transport, this.observer);
    this.scrubber = new Scrubber([config.apiKey ?? config.sessionToken ?? ""], config.includeLinkedAccountId);
  }

  /** Executes one action and resolves to the response's `data`; rejects with a RefoldError. */
  run(spec: ActionSpec, params: object | undefined, options?: CallOptions): Promise<unknown> {
    return this.execute(spec, params, options, undefined);
  }

  /** A runner bound to one linked account (a call's own `linkedAccountId` still wins). */
  forAccount(linkedAccountId: string): ActionRunner {
    checkLine(linkedAccountId, "forAccount's linkedAccountId");
    return { run: (spec, params, options) => this.execute(spec, params, options, linkedAccountId) };
  }

  /** True when the client refuses write actions locally (`readOnly: true`). */
  get readOnly(): boolean {
    return this.config.readOnly;
  }

  /** Closes the client's own connection pool (a `dispatcher` or `fetch` you passed in is left alone). */
  close(): Promise<void> {
    return this.sender.close();
  }

  /**
   * The org's apps as Refold lists them for one linked account (`GET /api/v2/public/application`): the raw
   * list, which the generated `connections()` reads for its configured apps.
   */
  async applications(linkedAccountId?: string, options?: CallOptions): Promise<unknown> {
    const account = options?.linkedAccountId ?? linkedAccountId ?? this.config.linkedAccountId;
    const ctx = this.context("refold", "connections", account);
    return this.sender.send(this.requests.applications(account, ctx), ctx, "read", options, interpretJson);
  }

  /**
   * A session token for one linked account (`POST /api/v2/public/session-token`), to hand to a browser or a
   * service that must not hold the API key. Needs an API key: a session token cannot mint another.
   */
  async sessionToken(
    linkedAccountId: string,
    options?: CallOptions & { forceRefresh?: boolean },
  ): Promise<SessionToken> {
    const ctx = this.context("refold", "sessionToken", linkedAccountId);
    const request = this.requests.sessionToken(linkedAccountId, options?.forceRefresh === true, ctx);
    return sessionTokenOf(await this.sender.send(request, ctx, "read", options, interpretJson), ctx);
  }

  private async execute(
    spec: ActionSpec,
    params: object | undefined,
    options: CallOptions | undefined,
    bound: string | undefined,
  ): Promise<unknown> {
    const account = options?.linkedAccountId ?? bound ?? this.config.linkedAccountId;
    const ctx = this.context(spec.app, spec.action, account);
    const request = this.requests.execute(spec, params, account, ctx);
    const data = await this.sender.send(
      request,
      ctx,
      spec.kind === "read" ? "read" : "write",
      options,
      interpretResponse,
    );
    if (spec.result !== undefined && this.config.checkResults !== "off") this.checkResult(spec, data, ctx);
    return data;
  }

  private context(app: string, action: string, account: string | undefined): ErrorContext {
    return { app, action, account, showAccount: this.config.includeLinkedAccountId, scrubber: this.scrubber };
  }

  /** The drift check: a result that no longer fits its recorded shape is reported, or rejected. */
  private checkResult(spec: ActionSpec, data: unknown, ctx: ErrorContext): void {
    let shape = this.shapes.get(spec);
    if (shape === undefined) {
      shape = JSON.parse(spec.result as string) as EncodedShape;
      this.shapes.set(spec, shape);
    }
    const problem = shapeProblem(data, shape);
    if (problem === undefined) return;
    if (this.config.checkResults === "throw")
      throw new RefoldResultError({ ...callDetails(ctx), status: 200, body: data, attempts: 1, ...problem });
    this.observer.drift({ app: spec.app, action: spec.action, path: problem.path, reason: problem.reason });
  }
}
