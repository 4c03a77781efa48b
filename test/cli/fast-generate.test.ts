// The fast path's pre-parser against yargs' own reading of the same command lines, in process: whatever
// it accepts, yargs' generate handler must get the same arguments; the option set of yargs' generate
// command is read from yargs itself, so an option added there fails these tests until the pre-parser
// reads it or declines it.
import fc from "fast-check";
import type { MiddlewareFunction } from "yargs";
import { describe, expect, it } from "vitest";
import { DEFAULT_CONFIG, FAST_FLAGS, LEFT_TO_YARGS, parseGenerateArgs } from "../../generator/cli/fast-generate.js";
import type { GenerateArgs } from "../../generator/cli/generate.js";
import { createProgram } from "../../generator/cli/program.js";

/** What yargs' getOptions() holds (a runtime API @types/yargs does not declare), as far as these tests read it. */
interface YargsOptions {
  key: Record<string, boolean>;
  boolean: string[];
  string: string[];
  array: string[];
  number: string[];
  count: string[];
  normalize: string[];
  narg: Record<string, number>;
  choices: Record<string, unknown>;
  default: Record<string, unknown>;
  alias: Record<string, string[]>;
  config: Record<string, unknown>;
  configObjects: unknown[];
  demandedOptions: Record<string, unknown>;
  envPrefix: string | undefined;
}

type YargsReading = { ok: true; argv: Record<string, unknown>; options: YargsOptions } | { ok: false; message: string };

class ReachedHandler extends Error {}

/**
 * How the real yargs program reads `args`: the arguments its command handler would get (and the options
 * it knew while parsing), or its usage error. A last middleware captures them after validation and stops
 * the run before any handler does work.
 */
async function yargsReading(args: readonly string[]): Promise<YargsReading> {
  let reading: YargsReading | undefined;
  const capture = (argv: Record<string, unknown>, instance: { getOptions(): YargsOptions }) => {
    reading = { ok: true, argv: { ...argv }, options: instance.getOptions() };
    throw new ReachedHandler();
  };
  try {
    await createProgram(args)
      .exitProcess(false)
      .fail(false)
      .middleware(capture as unknown as MiddlewareFunction)
      .parseAsync();
  } catch (error) {
    if (!(error instanceof ReachedHandler)) return { ok: false, message: (error as Error).message };
  }
  return reading ?? { ok: false, message: "no command handler was reached" };
}

const { options: generateOptions } = await (async () => {
  const reading = await yargsReading(["generate"]);
  if (!reading.ok) throw new Error(`yargs refused \`generate\`: ${reading.message}`);
  return reading;
})();
/** Every option of yargs' generate command (aliases excluded), read from yargs. */
const yargsKeys = Object.keys(generateOptions.key).sort();

/** yargs' arguments restricted to the command's options, absent ones dropped: what the handler can read. */
function handlerArgs(argv: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(yargsKeys.filter((key) => argv[key] !== undefined).map((key) => [key, argv[key]]));
}

/** Asserts that yargs reads `args` as the pre-parser does (when the pre-parser accepts them). */
async function expectAgreement(args: readonly string[]): Promise<GenerateArgs | undefined> {
  const fast = parseGenerateArgs(args);
  if (fast === undefined) return undefined;
  const reading = await yargsReading(args);
  if (!reading.ok) throw new Error(`the pre-parser accepts ${JSON.stringify(args)}, yargs refuses: ${reading.message}`);
  expect(fast, JSON.stringify(args)).toStrictEqual(handlerArgs(reading.argv));
  return fast;
}

const defaults = { config: DEFAULT_CONFIG, json: false, quiet: false, verbose: false };

describe("parseGenerateArgs", () => {
  it.each<[string[], GenerateArgs]>([
    [["generate"], defaults],
    [["generate", "--offline", "--quiet"], { ...defaults, offline: true, quiet: true }],
    [["generate", "--offline", "--json"], { ...defaults, offline: true, json: true }],
    [["generate", "--check", "--verbose"], { ...defaults, check: true, verbose: true }],
    [["generate", "--refresh"], { ...defaults, refresh: true }],
    [["generate", "--config", "a/b.json", "--offline"], { ...defaults, config: "a/b.json", offline: true }],
    [["generate", "--config=a/b.json"], { ...defaults, config: "a/b.json" }],
    [["generate", "--config=a=b.json"], { ...defaults, config: "a=b.json" }],
    [["generate", "--config", "123"], { ...defaults, config: "123" }],
    [["generate", "--config", "with space.json"], { ...defaults, config: "with space.json" }],
    [
      ["generate", "--refresh", "--changelog", "CHANGES.md", "--json"],
      { ...defaults, refresh: true, changelog: "CHANGES.md", json: true },
    ],
    [["generate", "--changelog=CHANGES.md"], { ...defaults, changelog: "CHANGES.md" }],
    [
      ["generate", "--verbose", "--quiet", "--json", "--offline", "--config", "c.json"],
      { config: "c.json", json: true, quiet: true, verbose: true, offline: true },
    ],
  ])("reads %j as yargs' handler gets it", async (args, expected) => {
    expect(parseGenerateArgs(args)).toStrictEqual(expected);
    await expectAgreement(args);
  });

  it.each<[string[]]>(
    (
      [
        [],
        ["--version"],
        ["--help"],
        ["-h"],
        ["pull"],
        ["gen"],
        ["Generate"],
        ["--offline", "generate"],
        ["--config", "c.json", "generate"],
        ["generate", "--help"],
        ["generate", "-h"],
        ["generate", "--offline", "--help"],
        ["generate", "--version"],
        ["generate", "--watch"],
        ["generate", "--offline", "--watch"],
        ["generate", "--no-offline"],
        ["generate", "--no-watch"],
        ["generate", "--offline=false"],
        ["generate", "--offline=true"],
        ["generate", "--offline", "false"],
        ["generate", "--offline", "true"],
        ["generate", "--offline", "--offline"],
        ["generate", "--config", "a", "--config", "b"],
        ["generate", "--config=a", "--config", "a"],
        ["generate", "--refresh", "--offline"],
        ["generate", "--offline", "--refresh"],
        ["generate", "--refresh", "--check"],
        ["generate", "--changelog", "c.md", "--offline"],
        ["generate", "--check", "--changelog=c.md"],
        ["generate", "extra"],
        ["generate", "--offline", "extra"],
        ["generate", "generate"],
        ["generate", "--"],
        ["generate", "--offline", "--", "x"],
        ["generate", "--config"],
        ["generate", "--config="],
        ["generate", "--config", ""],
        ["generate", "--config", "--offline"],
        ["generate", "--config", "-1"],
        ["generate", "--config=-x"],
        ["generate", "--config='c.json'"],
        ["generate", '--config="c.json"'],
        ["generate", "--config", "'c.json'"],
        ["generate", "--changelog"],
        ["generate", "-q"],
        ["generate", "-offline"],
        ["generate", "---offline"],
        ["generate", "--Offline"],
        ["generate", "--off"],
        ["generate", "--offlin"],
        ["generate", "--bogus"],
        ["generate", "--constructor"],
        ["generate", "--toString"],
        ["generate", "--__proto__"],
        ["generate", "--config.path=x"],
        ["generate", "--json=1"],
      ] satisfies string[][]
    ).map((args) => [args]),
  )("declines %j", (args) => {
    expect(parseGenerateArgs(args)).toBeUndefined();
  });
});

describe("the pre-parser and yargs' generate command agree", () => {
  it("on the option set: every option of the command is read by the fast path or left to yargs", () => {
    expect(yargsKeys).toEqual([...Object.keys(FAST_FLAGS), ...LEFT_TO_YARGS].sort());
  });

  it("on each read option's type and default, with nothing else shaping yargs' reading", () => {
    const o = generateOptions;
    for (const [name, flag] of Object.entries(FAST_FLAGS)) {
      expect({
        name,
        type: o.boolean.includes(name) ? "boolean" : o.string.includes(name) ? "string" : "other",
      }).toEqual({ name, type: flag.type });
      expect({ name, default: o.default[name] }).toEqual({
        name,
        default: "default" in flag ? flag.default : undefined,
      });
      // Anything that would make yargs read a flag differently from its bare type: the pre-parser knows none of it.
      for (const list of [o.array, o.number, o.count, o.normalize]) expect(list).not.toContain(name);
      for (const table of [o.narg, o.choices, o.alias, o.config, o.demandedOptions])
        expect(table).not.toHaveProperty([name]);
    }
    // Nor does yargs read anything but the command line (environment variables, config files).
    expect(o.envPrefix).toBeUndefined();
    expect(o.configObjects).toEqual([]);
  });

  it("on every combination of the read flags (conflicts included)", async () => {
    const names = Object.keys(FAST_FLAGS);
    let accepted = 0;
    for (let mask = 0; mask < 1 << names.length; mask++) {
      const args = ["generate"];
      names.forEach((name, bit) => {
        if (mask & (1 << bit))
          args.push(
            `--${name}`,
            ...(FAST_FLAGS[name as keyof typeof FAST_FLAGS].type === "string" ? [`${name}.x`] : []),
          );
      });
      const fast = await expectAgreement(args);
      if (fast !== undefined) accepted++;
      else {
        // Declined only because yargs refuses the combination, with its own message.
        const reading = await yargsReading(args);
        expect(reading.ok, JSON.stringify(args)).toBe(false);
        if (!reading.ok) expect(reading.message).toMatch(/mutually exclusive/);
      }
    }
    expect(accepted).toBeGreaterThan(0);
  });

  it("on every value form of the command's string options", async () => {
    const values = ["c.json", "", " ", "a b", "a=b", "123", "-1", "1e3", "0x1f", "true", "false", "null", "__proto__"];
    values.push("-x", "--x", "--", "'q'", '"q"', "'q", "q'", '"q', "~/c.json", "$HOME", "ü.json", "a\nb");
    for (const name of generateOptions.string)
      for (const value of values) {
        await expectAgreement(["generate", `--${name}`, value]);
        await expectAgreement(["generate", `--${name}=${value}`]);
        await expectAgreement(["generate", "--offline", `--${name}`, value, "--quiet"]);
      }
  });

  it("on random command lines built from the command's own option names", async () => {
    const names = [...yargsKeys, "bogus"];
    const value = fc.constantFrom("x.json", "a=b", "123", "", "true", "false", "-1", "'q'", '"q"', "--", "generate");
    // The string options are weighted up: their values are where a pre-parser most easily goes wrong.
    const name = fc.oneof(fc.constantFrom(...names), fc.constantFrom(...generateOptions.string));
    const flag = fc.oneof(
      { weight: 4, arbitrary: name.map((n) => [`--${n}`]) },
      { weight: 2, arbitrary: fc.tuple(name, value).map(([n, v]) => [`--${n}=${v}`]) },
      { weight: 2, arbitrary: fc.tuple(name, value).map(([n, v]) => [`--${n}`, v]) },
      { weight: 1, arbitrary: name.map((n) => [`-${n}`]) },
      { weight: 1, arbitrary: name.map((n) => [`--no-${n}`]) },
      { weight: 1, arbitrary: fc.oneof(value, fc.constantFrom("pull", "-h")).map((v) => [v]) },
    );
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(flag, { maxLength: 5 }), fc.nat(9), async (flags, lead) => {
        const rest = flags.flat();
        if ((await expectAgreement(lead > 0 ? ["generate", ...rest] : rest)) !== undefined) accepted++;
      }),
      { numRuns: 2000 },
    );
    // Not vacuous: a fair share of the lines went through the fast path and were compared.
    expect(accepted).toBeGreaterThan(100);
  });
});
