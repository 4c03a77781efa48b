import { describe, expect, it } from "vitest";
import { actionDoc, fieldDoc, saysMore, type DocParts } from "../../generator/emit/field-docs.js";
import type { Field, ModelAction } from "../../generator/model/types.js";

const field = (extra: Partial<Field>): Field => ({
  name: "email",
  required: false,
  type: { kind: "string" },
  rawType: "text",
  ...extra,
});

describe("saysMore", () => {
  it.each<[string, string, boolean]>([
    ["Email", "email", false],
    ["Enter Email", "email", false],
    ["Select Method", "method", false],
    ["choose  the_Region", "the_region", false],
    ["Number of Employees", "numberofemployees", false],
    ["Enter Employee Count", "employee_count", false],
    ["Not Started", "NOT_STARTED", false],
    ["Enter After (paging cursor)", "after", true],
    ["Enter Owner Id", "hubspot_owner_id", true],
    ["Current job title", "jobtitle", true],
    ["Highest", "1", true],
    ["電話", "連絡先", true],
    ["連絡先", "連絡先", false],
    ["?!", "x-y", true],
    ["$$", "$$", false],
  ])("%j on %j: %s", (text, name, expected) => expect(saysMore(text, name)).toBe(expected));
});

describe("fieldDoc", () => {
  it.each<[string, Partial<Field>, DocParts]>([
    ["nothing for a label that spells the name", { label: "Enter Email" }, { paragraphs: [], tags: [] }],
    [
      "a label that says more",
      { name: "after", label: "Enter After (paging cursor)" },
      { paragraphs: ["Enter After (paging cursor)"], tags: [] },
    ],
    [
      "the description, not the label repeating the name",
      { label: "Email", description: "Where the receipt goes" },
      { paragraphs: ["Where the receipt goes"], tags: [] },
    ],
    [
      "a description equal to the label once",
      { name: "x", label: "Same", description: "Same" },
      { paragraphs: ["Same"], tags: [] },
    ],
    [
      "example and default as tags",
      { label: "Email", placeholder: "jane@example.com", defaultJson: '"a@b.c"' },
      {
        paragraphs: [],
        tags: [
          ["example", "jane@example.com"],
          ["default", '"a@b.c"'],
        ],
      },
    ],
    [
      "no options when every label only spells its value (the type lists the values)",
      {
        name: "status",
        type: { kind: "enum", values: ["NOT_STARTED", "done"], multiple: false },
        options: [
          { value: "NOT_STARTED", label: "Not Started" },
          { value: "done", label: "Done" },
        ],
      },
      { paragraphs: [], tags: [] },
    ],
    [
      "every option, with the labels that say more, when one does",
      {
        name: "priority",
        type: { kind: "enum", values: ["1", 2, "low"], multiple: false },
        options: [
          { value: "1", label: "Highest" },
          { value: 2, label: "2" },
          { value: "low", label: "Low" },
        ],
      },
      { paragraphs: ['Options: "1" (Highest), 2, "low"'], tags: [] },
    ],
    [
      "a note on a type refold-codegen does not know",
      { name: "upload", type: { kind: "unknown" }, rawType: "file" },
      { paragraphs: ['Refold type "file" is not known to refold-codegen.'], tags: [] },
    ],
  ])("%s", (_name, extra, want) => expect(fieldDoc(field(extra))).toEqual(want));
});

describe("actionDoc", () => {
  const action = (extra: Partial<ModelAction>): ModelAction => ({
    id: "create_contact",
    method: "createContact",
    paramsType: "XCreateContactParams",
    name: "Create Contact",
    description: "Creates a contact",
    kind: "write",
    fields: [],
    hasRequired: false,
    ...extra,
  });

  it("says the name, the id and kind once, then the description", () => {
    expect(actionDoc(action({}))).toEqual({
      paragraphs: ["Create Contact (`create_contact`, write)", "Creates a contact"],
      tags: [],
    });
  });

  it("does not repeat an id that stands in for a missing name", () => {
    expect(actionDoc(action({ name: "create_contact", kind: "read" })).paragraphs[0]).toBe("`create_contact` (read)");
  });
});
