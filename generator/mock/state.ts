// The emulator's state that tests change while it runs: set answers, and which apps each account has connected.
import type { ResultsFile } from "../results/file.js";
import type { MockConnection } from "./router.js";
import { dataOfShape } from "./shaped.js";
import type { RawPagination } from "../config/pagination.js";
import { MOCK_PAGE_ITEMS, pagedAnswer } from "./paged.js";

/** An action's `data`: a fixed value, or computed from the request's parsed body and linked account. */
export type MockAnswer = { data: unknown } | ((body: unknown, account: string) => unknown);

/** What an action answers instead of the echo: a set answer, else data of its recorded result shape. */
export class Answers {
  private readonly set_ = new Map<string, MockAnswer>();

  constructor(
    private readonly options: {
      answers?: Readonly<Record<string, MockAnswer>>;
      results?: ResultsFile["apps"];
      pagination?: RawPagination;
      pageItems?: number;
    },
  ) {
    for (const [key, answer] of Object.entries(options.answers ?? {})) this.set_.set(key, answer);
  }

  set(app: string, action: string, answer: MockAnswer | undefined): void {
    if (answer === undefined) this.set_.delete(`${app}.${action}`);
    else this.set_.set(`${app}.${action}`, answer);
  }

  of(app: string, action: string): ((body: unknown, account: string) => unknown) | undefined {
    const answer = this.set_.get(`${app}.${action}`);
    if (answer !== undefined) return typeof answer === "function" ? answer : () => answer.data;
    const entry = own(own(this.options.results, app), action);
    const paged = own(own(this.options.pagination, app), action);
    if (paged !== undefined) return pagedAnswer(paged, entry?.schema, this.options.pageItems ?? MOCK_PAGE_ITEMS);
    return entry === undefined ? undefined : () => dataOfShape(entry.schema);
  }
}

function own<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}

/** Which apps each linked account has connected, and the session tokens minted for accounts. */
export class Connections {
  private readonly states = new Map<string, MockConnection>();
  /** Token -> linked account. */
  readonly minted = new Map<string, string>();
  private readonly current = new Map<string, string>();

  constructor(initial: Readonly<Record<string, Readonly<Record<string, MockConnection>>>>) {
    for (const [account, apps] of Object.entries(initial))
      for (const [app, connection] of Object.entries(apps)) this.set(account, app, connection);
  }

  set(account: string, app: string, connection: MockConnection): void {
    this.states.set(JSON.stringify([account, app]), connection);
  }

  of(account: string, app: string): MockConnection {
    return this.states.get(JSON.stringify([account, app])) ?? "connected";
  }

  /** The account's token; a new one when forced or when it has none. Deterministic: the n-th token minted. */
  mint(account: string, force: boolean): string {
    const known = this.current.get(account);
    if (known !== undefined && !force) return known;
    const token = `mock-session-${this.minted.size + 1}`;
    this.minted.set(token, account);
    this.current.set(account, token);
    return token;
  }
}
