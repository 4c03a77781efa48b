/*
 * Random catalogs for the property tests: what a hostile or careless Refold API (or the author of a
 * custom action) could list. Every string is drawn from a hostile alphabet; shapes cover every raw
 * parameter form the normalizer (generator/model/fields.ts) accepts, and a few it must skip.
 *
 * A catalog is JSON-clean (it is round-tripped through JSON, as a lock read from disk would be) and
 * keyed by own properties only, so `__proto__` stays an ordinary key everywhere.
 */
import fc from "fast-check";
import type { PulledApp, RawActionEntry } from "../../generator/lock/types.js";
import type { Catalog } from "../helpers/project.js";

/** Markers of injected code: the child process that imports the output traps both. */
export const TRIPWIRE = "globalThis.__pwned = 1";
export const EXIT_PAYLOAD = "process.exit(7)";

/** Code that must never run, in every syntactic context a careless emitter could open. */
export const PAYLOADS: readonly string[] = [
  `*/ ${TRIPWIRE}; /*`,
  `*/ ${EXIT_PAYLOAD} /*`,
  `"; ${TRIPWIRE}; "`,
  `'; ${TRIPWIRE}; '`,
  `\`; ${TRIPWIRE}; \``,
  `\${${TRIPWIRE}}`,
  `\${${EXIT_PAYLOAD}}`,
  `\u2028${TRIPWIRE}`,
  `\u2029${TRIPWIRE}; //`,
  `\n${TRIPWIRE}; //`,
  `\r${TRIPWIRE}; //`,
  `\r\n${EXIT_PAYLOAD}; //`,
  `\\"; ${TRIPWIRE}; //`,
  `\\'; ${TRIPWIRE}; //`,
  `'); ${EXIT_PAYLOAD}; ('`,
  `"); ${EXIT_PAYLOAD}; ("`,
  `}; ${EXIT_PAYLOAD}; {`,
  `]; ${EXIT_PAYLOAD}; [`,
  `--> ${EXIT_PAYLOAD}`,
  `<!-- ${EXIT_PAYLOAD}`,
  `\u202e*/ ${TRIPWIRE} /*`,
  `\u0000*/ ${EXIT_PAYLOAD} /*`,
  `\\u002a/ ${TRIPWIRE} /*`,
  `@deprecated */ ${TRIPWIRE} /**`,
  `</script><script>${EXIT_PAYLOAD}</script>`,
];

/** Names with a meaning to JavaScript objects, promises, TypeScript, the output's files or its own code. */
export const SPECIAL_NAMES: readonly string[] = [
  "__proto__",
  "constructor",
  "toString",
  "then",
  "valueOf",
  "hasOwnProperty",
  "isPrototypeOf",
  "propertyIsEnumerable",
  "toLocaleString",
  "prototype",
  "toJSON",
  "__defineGetter__",
  "default",
  "forAccount",
  "createRefold",
  "Refold",
  "RefoldClient",
  "RefoldApps",
  "bindApps",
  "refold",
  "refold-apps",
  "specs",
  "runner",
  "params",
  "options",
  "ActionInfo",
  "JsonValue",
  "index",
  "INDEX",
  "runtime",
  "package",
  "delete",
  "class",
  "new",
  "await",
  "arguments",
  "eval",
  "undefined",
  "NaN",
  "null",
  "true",
  "enum",
  "import",
  ".",
  "..",
  "...",
  "",
  " ",
  "1st-action",
  "0",
  "123",
  "1e3",
  "-1",
  "first-name",
  'a"b',
  "a'b",
  "x*/y",
  "/*",
  "${x}",
  "🚀",
  "連絡先を作成",
  "名前",
  "Ünïcödé",
  "get_contact",
  "get-contact",
  "getContact",
  "GetContact",
  "get.contact",
  "get contact",
  "GET_CONTACT",
];

const LETTERS = [..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"];
const DIGITS = [..."0123456789"];
const SEPARATORS = [..." -_./:?#%&=+~!@$()[]{}<>,;|^"];
const SYNTAX = ["'", '"', "`", "\\", "\\u0041", "\\n", "*/", "/*", "//", "${", "}", "<!--", "-->", "#!", "@see"];
const BREAKS = ["\r", "\n", "\r\n", "\u2028", "\u2029", "\u0085", "\t", "\v", "\f"];
const INVISIBLE = ["\u202e", "\u2066", "\u2069", "\u200b", "\u200d", "\ufeff", "\u061c", "\u0000", "\u0001", "\u001b"];
const NON_ASCII = ["é", "É", "ß", "ı", "İ", "ﬁ", "Ａ", "①", "名", "連絡先", "Ω", "ä", "ñ", "ø", "Ж", "ع", "e\u0301"];
const ASTRAL = ["😀", "🚀", "👨‍👩‍👧", "𝒳", "𠀀", "🏳️‍🌈"];
const LONE_SURROGATES = ["\ud800", "\udbff", "\udc00", "\udfff"];

/** One unit of hostile text: mostly letters, often syntax, sometimes everything else. */
export const hostileUnit: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...LETTERS) },
  { weight: 2, arbitrary: fc.constantFrom(...DIGITS) },
  { weight: 3, arbitrary: fc.constantFrom(...SEPARATORS) },
  { weight: 3, arbitrary: fc.constantFrom(...SYNTAX) },
  { weight: 2, arbitrary: fc.constantFrom(...BREAKS) },
  { weight: 1, arbitrary: fc.constantFrom(...INVISIBLE) },
  { weight: 2, arbitrary: fc.constantFrom(...NON_ASCII) },
  { weight: 1, arbitrary: fc.constantFrom(...ASTRAL) },
  { weight: 1, arbitrary: fc.constantFrom(...LONE_SURROGATES) },
  { weight: 1, arbitrary: fc.constantFrom(...SPECIAL_NAMES) },
  { weight: 1, arbitrary: fc.constantFrom(...PAYLOADS) },
);

/** Hostile text of bounded length: whole special names and payloads, free mixes, and long runs. */
export function hostileText(maxLength = 16, longLength = 300): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom(...SPECIAL_NAMES) },
    { weight: 1, arbitrary: fc.constantFrom(...PAYLOADS) },
    { weight: 8, arbitrary: fc.string({ unit: hostileUnit, maxLength }) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.string({ unit: hostileUnit, minLength: 1, maxLength: 3 }), fc.integer({ min: 40, max: longLength }))
        .map(([seed, length]) => (seed || "a").repeat(length).slice(0, length)),
    },
  );
}

const WORDS = ["get", "contact", "list", "rows", "by", "id", "create", "x", "2", "api", "url", "HTTP", "then"];

/** Ids built from a few words in every casing and separator style, so they collide after sanitizing. */
export const collidingId: fc.Arbitrary<string> = fc
  .tuple(
    fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 3 }),
    fc.constantFrom("snake", "kebab", "camel", "pascal", "dotted", "spaced", "upper", "padded", "doubled"),
  )
  .map(([words, style]) => {
    const cap = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);
    switch (style) {
      case "snake":
        return words.join("_");
      case "kebab":
        return words.join("-");
      case "camel":
        return (words[0] ?? "") + words.slice(1).map(cap).join("");
      case "pascal":
        return words.map(cap).join("");
      case "dotted":
        return words.join(".");
      case "spaced":
        return words.join(" ");
      case "upper":
        return words.join("_").toUpperCase();
      case "padded":
        return `_${words.join("_")}_`;
      default:
        return words.join("__");
    }
  });

/** An action id: often colliding with a sibling after sanitizing, often hostile. */
export const actionId: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: collidingId },
  { weight: 4, arbitrary: hostileText(20, 200) },
);

/** A field name: the body key that must reach the wire unchanged. */
export const fieldName: fc.Arbitrary<string> = fc.oneof(
  { weight: 2, arbitrary: collidingId },
  { weight: 3, arbitrary: fc.constantFrom(...SPECIAL_NAMES) },
  { weight: 4, arbitrary: hostileText(12, 120) },
);

/**
 * An app slug (the config requires at least one character). Long slugs stay under 120 characters here:
 * longer ones are the subject of their own property (file names must fit the file system).
 */
export const appSlug: fc.Arbitrary<string> = fc
  .oneof(
    { weight: 3, arbitrary: collidingId },
    { weight: 3, arbitrary: hostileText(16, 120) },
    { weight: 1, arbitrary: fc.constantFrom("hubspot", "google-sheets", "Google Sheets", "google_sheets") },
  )
  .filter((slug) => slug.length > 0);

const STRING_TYPES = ["text", "string", "email", "url", "textarea", "password", "date", "datetime", "phone", "Text"];
const NUMBER_TYPES = ["number", "integer", "float", "int", " Number "];
const BOOLEAN_TYPES = ["boolean", "bool", "checkbox", "BOOLEAN"];
const SELECT_TYPES = ["select", "multiselect", "multi_select", "dropdown", "enum", "Select"];
const UNKNOWN_TYPES = ["file", "attachment", "date_range", "Object[]", "any", "map", "object[]", "selectt"];

/** `required` as the API sends it: a boolean, a string, a number, garbage, or nothing. */
const requiredValue = fc.constantFrom<unknown>(true, false, "true", "false", "TRUE", " true ", "1", "0", 1, 0, "yes");

/** A select option value: strings, numbers (negative, fractional, huge) and booleans, duplicates included. */
const optionValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileText(10, 60) },
  { weight: 2, arbitrary: fc.integer({ min: -1000, max: 1000 }) },
  { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 2, arbitrary: fc.constantFrom<unknown>(0, -0, 1, -1, 1e21, 1.5, 1e-7, "0", "1", "true", "", "a", "a") },
);

const option: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: optionValue },
  {
    weight: 4,
    arbitrary: fc.record(
      { value: optionValue, name: hostileText(10), label: hostileText(10) },
      { requiredKeys: ["value"] },
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(null, {}, { value: null }, [1], { name: "no value" }) },
);

/** A small JSON value (defaults, garbage), keys hostile. */
const jsonValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constantFrom<unknown>(null, true, false, 0, -1, 2.5),
    hostileText(8),
    fc.array(tie("value"), { maxLength: 3 }),
    fc
      .array(fc.tuple(fieldName, tie("value")), { maxLength: 3 })
      .map((entries) => Object.fromEntries(entries) as unknown),
  ),
})).value;

/** Items the normalizer must skip with a warning: not an object, or no string name. */
const badField = fc.constantFrom<unknown>(null, "text", 5, [], { type: "text" }, { name: 5, type: "text" });

type Spec = Record<string, unknown>;

/** The type-related keys of a raw parameter (`type`, `options`, nested fields, `items`), depth-bounded. */
function typeSpec(depth: number): fc.Arbitrary<Spec> {
  const leaf = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...STRING_TYPES).map((type): Spec => ({ type })) },
    { weight: 2, arbitrary: fc.constantFrom(...NUMBER_TYPES).map((type): Spec => ({ type })) },
    { weight: 2, arbitrary: fc.constantFrom(...BOOLEAN_TYPES).map((type): Spec => ({ type })) },
    { weight: 1, arbitrary: fc.constantFrom("json", "JSON").map((type): Spec => ({ type })) },
    {
      weight: 3,
      arbitrary: fc.record(
        {
          type: fc.constantFrom(...SELECT_TYPES),
          options: fc.oneof(
            fc.array(option, { maxLength: 6 }),
            // few distinct values, many duplicates
            fc.array(fc.constantFrom<unknown>("a", "a", 1, "1", true, { value: "a" }), { maxLength: 6 }),
          ),
          multiple: fc.constantFrom<unknown>(true, false, "true", "false"),
        },
        { requiredKeys: ["type", "options"] },
      ),
    },
    {
      weight: 1,
      arbitrary: fc.oneof(fc.constantFrom(...UNKNOWN_TYPES), hostileText(8)).map((type): Spec => ({ type })),
    },
    { weight: 1, arbitrary: fc.constantFrom<Spec>({}, { type: 5 }, { type: null }, { type: "" }) },
    // an object without nested fields (typed as JSON) and an array without items
    { weight: 1, arbitrary: fc.constantFrom<Spec>({ type: "object" }, { type: "array" }, { type: "list" }) },
  );
  if (depth <= 0) return leaf;
  const nested = fc.array(field(depth - 1), { maxLength: 3 });
  const map = fc
    .uniqueArray(fc.tuple(fieldName, typeSpec(depth - 1)), { maxLength: 3, selector: ([name]) => name })
    .map((entries) => Object.fromEntries(entries));
  const object = fc.oneof(
    nested.map((fields): Spec => ({ type: "object", fields })),
    nested.map((children): Spec => ({ type: "Object", children })),
    nested.map((parameters): Spec => ({ type: "object", parameters })),
    map.map((properties): Spec => ({ type: "object", properties })),
    fc
      .tuple(map, fc.array(fieldName, { maxLength: 2 }))
      .map(([properties, required]): Spec => ({ type: "object", schema: { properties, required } })),
  );
  const array = fc.oneof(
    fc
      .constantFrom(...STRING_TYPES, ...NUMBER_TYPES, "json", "select", "file")
      .map((items): Spec => ({ type: "array", items })),
    typeSpec(depth - 1).map((items): Spec => ({ type: "array", items })),
    nested.map((fields): Spec => ({ type: "list", items: { fields } })),
    nested.map((fields): Spec => ({ type: "array", fields })),
  );
  return fc.oneof({ weight: 5, arbitrary: leaf }, { weight: 1, arbitrary: object }, { weight: 1, arbitrary: array });
}

const fieldCache = new Map<number, fc.Arbitrary<unknown>>();

/** One raw parameter: a name, type keys, `required`, documentation, a default; rarely garbage. */
export function field(depth: number): fc.Arbitrary<unknown> {
  const cached = fieldCache.get(depth);
  if (cached) return cached;
  const made = fc.oneof(
    {
      weight: 20,
      arbitrary: fc
        .record(
          {
            name: fieldName,
            spec: typeSpec(depth),
            required: requiredValue,
            label: hostileText(16),
            description: hostileText(24),
            help_text: hostileText(16),
            placeholder: hostileText(12),
            default: jsonValue,
          },
          { requiredKeys: ["name", "spec"] },
        )
        .map(({ spec, ...rest }): unknown => ({ ...rest, ...spec })),
    },
    { weight: 1, arbitrary: badField },
  );
  fieldCache.set(depth, made);
  return made;
}

/** Depth of nested fields: 3 allows arrays of arrays of objects with fields. */
const FIELD_DEPTH = 3;

/** An action's parameter list: 0-10 fields (duplicate names likely), bare or wrapped in `{ parameters }`. */
export const parameterPayload: fc.Arbitrary<unknown> = fc
  .tuple(
    fc.array(field(FIELD_DEPTH), { maxLength: 10 }),
    fc.boolean(),
    fc.option(fc.nat({ max: 9 }), { nil: undefined }),
  )
  .map(([fields, wrapped, duplicateAt]) => {
    // a duplicate of an existing field name, with another type: the first must win
    const named = fields.filter((item): item is Spec => typeof item === "object" && item !== null && "name" in item);
    const source = duplicateAt === undefined ? undefined : named[duplicateAt % Math.max(named.length, 1)];
    const list = source === undefined ? fields : [...fields, { name: source["name"], type: "number", required: true }];
    return wrapped ? { parameters: list } : list;
  });

/** One entry of an app's action list. */
const actionEntry = (id: string): fc.Arbitrary<RawActionEntry> =>
  fc
    .record(
      {
        name: fc.oneof({ weight: 5, arbitrary: hostileText(24) }, { weight: 1, arbitrary: fc.constantFrom(5, null) }),
        description: hostileText(40),
        tag: hostileText(8),
      },
      { requiredKeys: [] },
    )
    .map((rest) => ({ action_id: id, ...rest }));

/** An app: 1-8 actions with distinct ids (rarely one listed twice), each with its parameter payload. */
export const app: fc.Arbitrary<PulledApp> = fc
  .uniqueArray(actionId, { minLength: 1, maxLength: 8 })
  .chain((ids) =>
    fc.tuple(
      fc.tuple(...ids.map((id) => fc.tuple(actionEntry(id), parameterPayload))),
      fc.option(fc.tuple(fc.nat(), hostileText(12)), { nil: undefined, freq: 10 }),
    ),
  )
  .map(([actions, listedTwice]) => {
    const entries = actions.map(([entry]) => entry);
    if (listedTwice !== undefined) {
      const [at, name] = listedTwice;
      const twice = entries[at % entries.length];
      if (twice) entries.push({ ...twice, name });
    }
    const parameters = Object.fromEntries(actions.map(([entry, payload]) => [entry.action_id, payload]));
    return { actions: entries, parameters };
  });

/** A catalog of 1-3 apps with distinct slugs, JSON-clean. */
export const catalog: fc.Arbitrary<Catalog> = fc
  .uniqueArray(fc.tuple(appSlug, app), { minLength: 1, maxLength: 3, selector: ([slug]) => slug })
  .map((apps) => jsonClean({ apps: Object.fromEntries(apps) }));

/** A catalog whose action lists never name the same id twice (each entry is then unambiguous). */
export const catalogWithoutRepeats: fc.Arbitrary<Catalog> = catalog.map((value) => {
  const apps = Object.entries(value.apps).map(([slug, pulled]): [string, PulledApp] => {
    const seen = new Set<string>();
    const actions = pulled.actions.filter((entry) => !seen.has(entry.action_id) && seen.add(entry.action_id));
    return [slug, { ...pulled, actions }];
  });
  return { apps: Object.fromEntries(apps) };
});

/** What reading a lock from disk gives: JSON values only (`-0` becomes `0`), `__proto__` kept as an own key. */
export function jsonClean<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** True when a string holds half of a surrogate pair: it cannot be put in a URL. */
export function hasLoneSurrogate(text: string): boolean {
  return /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text);
}
