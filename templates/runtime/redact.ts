/** Keeps secrets out of errors, logs and hooks: header masking and scrubbing of server-sent text. */

const MASK = "***";
const REDACTED = "[redacted]";
// Header names whose values are credentials, whatever the caller called them.
const SENSITIVE_HEADER = /auth|key|token|secret|session|cookie|password|signature/i;
// Scrubbing very short account ids would shred unrelated text while hiding nothing identifying.
const MIN_SCRUB_LENGTH = 4;
const MAX_DEPTH = 32;

/** Masks one header value: a key keeps its 3-character prefix (`pk_***`), a bearer token only its scheme. */
function maskHeader(name: string, value: string, showAccount: boolean): string {
  if (name === "linked_account_id") return showAccount ? value : MASK;
  if (name === "authorization") {
    const space = value.indexOf(" ");
    return space > 0 ? `${value.slice(0, space)} ${MASK}` : MASK;
  }
  if (name === "x-api-key") return value.length >= 16 ? `${value.slice(0, 3)}${MASK}` : MASK;
  return SENSITIVE_HEADER.test(name) ? MASK : value;
}

/** A copy of `headers` safe to log or hand to hooks. */
export function redactHeaders(
  headers: Readonly<Record<string, string>>,
  showAccount: boolean,
): Readonly<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    if (value !== undefined) out[name] = maskHeader(name, value, showAccount);
  }
  return out;
}

/** Replaces every occurrence of the client's secrets in text or JSON the server sent back. */
export class Scrubber {
  private readonly secrets: readonly string[];
  private readonly showAccount: boolean;

  constructor(secrets: readonly string[], showAccount: boolean) {
    this.secrets = secrets.filter((secret) => secret.length > 0);
    this.showAccount = showAccount;
  }

  /** The secrets to scrub for a call made for `account`. */
  private list(account: string | undefined): readonly string[] {
    if (this.showAccount || account === undefined || account.length < MIN_SCRUB_LENGTH) return this.secrets;
    return [...this.secrets, account];
  }

  /** `text` with every secret replaced by "[redacted]". */
  text(text: string, account?: string): string {
    return scrubString(text, this.list(account));
  }

  /** A deep copy of a parsed JSON value with every secret replaced inside its strings and keys. */
  value(value: unknown, account?: string): unknown {
    const secrets = this.list(account);
    return secrets.length === 0 ? value : scrubValue(value, secrets, 0);
  }
}

function scrubString(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  return out;
}

function scrubValue(value: unknown, secrets: readonly string[], depth: number): unknown {
  if (typeof value === "string") return scrubString(value, secrets);
  if (value === null || typeof value !== "object") return value;
  // Parsed JSON is a tree; the depth cap only guards against pathological nesting.
  if (depth > MAX_DEPTH) return REDACTED;
  if (Array.isArray(value)) return value.map((item) => scrubValue(item, secrets, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[scrubString(key, secrets)] = scrubValue(item, secrets, depth + 1);
  }
  return out;
}
