// The commonest command lines, `generate` with a few flags, skip yargs (about 80 ms to import, more than
// half of a warm run's whole budget): this strict pre-parser accepts only forms that yargs reads the same
// way and returns undefined for anything else, which yargs then parses, so help, errors and suggestions
// stay yargs'. test/cli/fast-generate.test.ts holds it to yargs' own reading of the same arguments.
import type { GenerateArgs } from "./generate.js";

/** Default of --config, shared with yargs' option. */
export const DEFAULT_CONFIG = "refold.codegen.json";

/** Flags of `generate` that exclude each other: yargs' command declares them from here, the fast path refuses them. */
export const GENERATE_CONFLICTS: Readonly<Record<string, readonly string[]>> = {
  refresh: ["offline", "check"],
  watch: ["check"],
  changelog: ["offline", "check"],
};

type FastArgs = Omit<GenerateArgs, "watch">;
type FlagFor<T> =
  NonNullable<T> extends boolean ? { type: "boolean"; default?: boolean } : { type: "string"; default?: string };

/** Every flag the fast path reads, with its yargs type and default; the types must match GenerateArgs. */
export const FAST_FLAGS: { readonly [K in keyof FastArgs]-?: FlagFor<FastArgs[K]> } = {
  config: { type: "string", default: DEFAULT_CONFIG },
  json: { type: "boolean", default: false },
  quiet: { type: "boolean", default: false },
  verbose: { type: "boolean", default: false },
  refresh: { type: "boolean" },
  offline: { type: "boolean" },
  check: { type: "boolean" },
  changelog: { type: "string" },
};

/**
 * Options of yargs' generate command the fast path never reads: seeing one, it returns undefined.
 * Listed so that the test comparing with yargs notices an option added to the command but to neither list.
 */
export const LEFT_TO_YARGS: readonly string[] = ["watch", "help", "version"];

/**
 * A value yargs keeps as it is: not starting with `-` (yargs would read a flag, or a negative number),
 * not quoted (yargs strips the quotes of `--x="..."`); and not empty, which no common command line passes.
 */
const plainValue = (value: string) => value !== "" && !/^[-'"]/.test(value) && !/['"]$/.test(value);

/**
 * The arguments of `generate` exactly as yargs' handler would get them (flags absent stay absent,
 * defaults applied), or undefined when the command line is anything but `generate` followed by distinct
 * known flags: `--flag` for a boolean, `--flag value` or `--flag=value` for a string.
 */
export function parseGenerateArgs(args: readonly string[]): GenerateArgs | undefined {
  if (args[0] !== "generate") return undefined;
  const given = new Map<string, string | boolean>();
  for (let i = 1; i < args.length; i++) {
    const match = /^--([a-z]+)(?:=([\s\S]*))?$/.exec(args[i] ?? "");
    const name = match?.[1];
    if (name === undefined || !Object.hasOwn(FAST_FLAGS, name) || given.has(name)) return undefined;
    const flag = FAST_FLAGS[name as keyof FastArgs];
    const inline = match?.[2];
    if (flag.type === "boolean") {
      // `--flag=false` and `--flag false` mean false to yargs; only the bare flag is ours.
      if (inline !== undefined) return undefined;
      given.set(name, true);
    } else {
      const value = inline ?? args[++i];
      if (value === undefined || !plainValue(value)) return undefined;
      given.set(name, value);
    }
  }
  const parsed: Record<string, string | boolean> = {};
  for (const [name, flag] of Object.entries(FAST_FLAGS)) {
    const value = given.get(name) ?? flag.default;
    if (value !== undefined) parsed[name] = value;
  }
  // As yargs does: a flag counts as given when it has a value, a default included.
  for (const [name, others] of Object.entries(GENERATE_CONFLICTS))
    if (parsed[name] !== undefined && others.some((other) => parsed[other] !== undefined)) return undefined;
  // FAST_FLAGS' type ties every name to its type in GenerateArgs, so parsed has GenerateArgs' shape.
  return parsed as unknown as GenerateArgs;
}
