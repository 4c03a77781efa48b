// The documented `diff --json` schema, the human table and the changelog section.
import { describe, expect, it } from "vitest";
import {
  appendSection,
  CHANGE_KINDS,
  diffJson,
  diffLocks,
  formatChangelog,
  formatDiffReport,
  formatDiffSummary,
  formatDiffTable,
  type DiffResult,
} from "../../generator/diff/index.js";
import { buildLock, lockApp } from "../../generator/lock/build.js";
import type { LockFile } from "../../generator/lock/types.js";

const lock = (apps: Record<string, Record<string, unknown[]>>): LockFile =>
  buildLock(
    Object.fromEntries(
      Object.entries(apps).map(([slug, actions]) => [
        slug,
        lockApp({ actions: Object.keys(actions).map((action_id) => ({ action_id })), parameters: actions }),
      ]),
    ),
  );

const BEFORE = lock({
  crm: {
    create_contact: [
      { name: "email", type: "text" },
      { name: "stage", type: "select", options: ["lead", 2] },
    ],
    delete_contact: [],
  },
  gone: { a: [] },
});
const AFTER = lock({
  crm: {
    create_contact: [
      { name: "email", type: "text", required: true, label: "E-mail" },
      { name: "stage", type: "select", options: ["lead", "2"] },
      { name: "phone", type: "text" },
    ],
    "new`action": [],
  },
  fresh: { a: [] },
});
const APPS = ["crm", "gone", "fresh"].map((slug) => ({ slug, kinds: {} }));
const RESULT = diffLocks(BEFORE, AFTER, APPS);

/** The documented schema, checked by hand so that a drift in the code cannot drift the test along. */
const ORDER = ["app", "action", "field", "kind", "breaking", "message", "option", "before", "after"];
const ACTION_LEVEL = new Set(["action-added", "action-removed"]);
const APP_LEVEL = new Set(["app-added", "app-removed"]);

describe("diff --json schema", () => {
  const document = JSON.parse(JSON.stringify(diffJson(RESULT))) as {
    changes: Record<string, unknown>[];
    breaking: number;
  };

  it("is exactly { changes, breaking }, breaking counting the breaking changes", () => {
    expect(Object.keys(document)).toEqual(["changes", "breaking"]);
    expect(document.breaking).toBe(document.changes.filter((c) => c["breaking"] === true).length);
    expect(document.breaking).toBe(RESULT.breaking);
    expect(document.breaking).toBeGreaterThan(0);
  });

  it("each change has its properties in the documented order, typed, and never null", () => {
    for (const change of document.changes) {
      const keys = Object.keys(change);
      expect(
        keys.every((key) => ORDER.includes(key)),
        keys.join(),
      ).toBe(true);
      expect(keys).toEqual(ORDER.filter((key) => keys.includes(key)));
      expect(typeof change["app"]).toBe("string");
      expect(CHANGE_KINDS).toContain(change["kind"]);
      expect(typeof change["breaking"]).toBe("boolean");
      expect(typeof change["message"]).toBe("string");
      expect(Object.values(change)).not.toContain(null);
      const kind = String(change["kind"]);
      if (APP_LEVEL.has(kind)) expect(keys.slice(0, 2)).toEqual(["app", "kind"]);
      else if (ACTION_LEVEL.has(kind)) expect(keys.slice(0, 3)).toEqual(["app", "action", "kind"]);
      else expect(typeof change["action"]).toBe("string");
      if (kind.startsWith("option-")) expect(["string", "number", "boolean"]).toContain(typeof change["option"]);
    }
  });

  it("names the app, action, field and option of each change", () => {
    expect(document.changes).toEqual([
      expect.objectContaining({ app: "crm", action: "create_contact", field: "email", kind: "doc-changed" }),
      expect.objectContaining({ app: "crm", action: "create_contact", field: "email", kind: "field-required" }),
      expect.objectContaining({ app: "crm", action: "create_contact", field: "phone", kind: "field-added" }),
      expect.objectContaining({ field: "stage", kind: "option-added", option: "2", breaking: false }),
      expect.objectContaining({ field: "stage", kind: "option-removed", option: 2, breaking: true }),
      {
        app: "crm",
        action: "delete_contact",
        kind: "action-removed",
        breaking: true,
        message: 'action "delete_contact" removed',
      },
      { app: "crm", action: "new`action", kind: "action-added", breaking: false, message: 'action "new`action" added' },
      { app: "fresh", kind: "app-added", breaking: false, message: 'app "fresh" added with 1 action' },
      { app: "gone", kind: "app-removed", breaking: true, message: 'app "gone" removed with its 1 action' },
    ]);
  });

  it("has no change for equal locks", () => {
    expect(diffJson(diffLocks(BEFORE, BEFORE, APPS))).toEqual({ changes: [], breaking: 0 });
  });
});

describe("human output", () => {
  it("groups by app, then action, marks breaking rows and ends with a summary", () => {
    expect(formatDiffReport(RESULT)).toEqual([
      "crm",
      "  create_contact",
      '              doc-changed     field "email" label added: "E-mail"',
      '    BREAKING  field-required  field "email" is now required',
      '              field-added     optional field "phone" added (string)',
      '              option-added    field "stage" option "2" added',
      '    BREAKING  option-removed  field "stage" option 2 removed',
      "  delete_contact",
      '    BREAKING  action-removed  action "delete_contact" removed',
      "  new`action",
      '              action-added    action "new`action" added',
      "fresh",
      '            app-added       app "fresh" added with 1 action',
      "gone",
      '  BREAKING  app-removed     app "gone" removed with its 1 action',
      "",
      "9 changes in 3 apps: 4 breaking, 5 not breaking",
    ]);
    expect(formatDiffReport({ changes: [], breaking: 0 })).toEqual(["no changes"]);
    expect(formatDiffSummary({ changes: RESULT.changes.slice(0, 1), breaking: 0 })).toBe(
      "1 change in 1 app: 0 breaking, 1 not breaking",
    );
  });

  it("shows terminal control characters from the API escaped, never raw", () => {
    const hostile: DiffResult = {
      changes: [{ app: "a\u001b[2J", action: "x\u202ey", kind: "doc-changed", breaking: false, message: "m\u009bz\r" }],
      breaking: 0,
    };
    const text = formatDiffTable(hostile.changes).join("\n");
    expect(text).not.toMatch(/[\u001b\u202e\u009b\r]/);
    expect(text).toContain("a\\u{1b}[2J");
    expect(text).toContain("x\\u{202e}y");
  });
});

describe("changelog section", () => {
  it("is deterministic markdown without a date, per app, breaking changes marked", () => {
    const section = formatChangelog(RESULT, "refold.lock.json update");
    expect(section).toBe(formatChangelog(diffLocks(BEFORE, AFTER, [...APPS].reverse()), "refold.lock.json update"));
    expect(section).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(section).toBe(
      [
        "## refold.lock.json update",
        "",
        "9 changes in 3 apps: 4 breaking, 5 not breaking.",
        "",
        "### crm",
        "",
        '- `create_contact`: field "email" label added: "E-mail"',
        '- **BREAKING** `create_contact`: field "email" is now required',
        '- `create_contact`: optional field "phone" added (string)',
        '- `create_contact`: field "stage" option "2" added',
        '- **BREAKING** `create_contact`: field "stage" option 2 removed',
        '- **BREAKING** `delete_contact`: action "delete\\_contact" removed',
        '- ``new`action``: action "new\\`action" added',
        "",
        "### fresh",
        "",
        '- app "fresh" added with 1 action',
        "",
        "### gone",
        "",
        '- **BREAKING** app "gone" removed with its 1 action',
        "",
      ].join("\n"),
    );
    expect(formatChangelog({ changes: [], breaking: 0 }, "x")).toBe("");
  });

  it("appends after one blank line, creating the text when there is none", () => {
    expect(appendSection("", "## b\n")).toBe("## b\n");
    expect(appendSection("# Changes\n", "## b\n")).toBe("# Changes\n\n## b\n");
    expect(appendSection("# Changes\n\n\n", "## b\n")).toBe("# Changes\n\n## b\n");
    expect(appendSection("# Changes", "## b\n")).toBe("# Changes\n\n## b\n");
  });
});
