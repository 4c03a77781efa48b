import { describe, expect, it } from "vitest";
import {
  assignNames,
  camelCase,
  fileBase,
  idSuffix,
  memberName,
  pascalCase,
  words,
} from "../../generator/model/naming.js";
import { inferKind } from "../../generator/model/kinds.js";

describe("words / camelCase / pascalCase", () => {
  const cases: [string, string[], string, string][] = [
    ["get_contact_by_id", ["get", "contact", "by", "id"], "getContactById", "GetContactById"],
    ["google-sheets", ["google", "sheets"], "googleSheets", "GoogleSheets"],
    ["getContactByID", ["get", "Contact", "By", "ID"], "getContactById", "GetContactById"],
    ["HTTPRequest", ["HTTP", "Request"], "httpRequest", "HttpRequest"],
    ["httprequest", ["httprequest"], "httprequest", "Httprequest"],
    ["create.v2.contact", ["create", "v2", "contact"], "createV2Contact", "CreateV2Contact"],
    ["Create Contact", ["Create", "Contact"], "createContact", "CreateContact"],
    ["créer_contact", ["creer", "contact"], "creerContact", "CreerContact"],
    ["ms_365", ["ms", "365"], "ms365", "Ms365"],
    ["連絡先", [], "", ""],
    ["🚀_launch", ["launch"], "launch", "Launch"],
    ["__proto__", ["proto"], "proto", "Proto"],
  ];
  it.each(cases)("%s", (id, expectedWords, camel, pascal) => {
    expect(words(id)).toEqual(expectedWords);
    expect(camelCase(id)).toBe(camel);
    expect(pascalCase(id)).toBe(pascal);
  });
});

describe("memberName", () => {
  const cases: [string, string][] = [
    ["create_contact", "createContact"],
    ["1st_action", "_1stAction"],
    ["then", "then_"],
    ["to_string", "toString_"],
    ["constructor", "constructor_"],
    ["has_own_property", "hasOwnProperty_"],
    ["連絡先", "action"],
    ["delete", "delete"],
  ];
  it.each(cases)("%s -> %s", (id, expected) => expect(memberName(id, "action")).toBe(expected));

  it("honours extra reserved names", () =>
    expect(memberName("for_account", "app", new Set(["forAccount"]))).toBe("forAccount_"));
});

describe("assignNames", () => {
  const base = (id: string) => memberName(id, "action");

  it("gives colliding ids id-derived suffixes and keeps the canonical one bare", () => {
    const names = assignNames(["get-contact", "getContact", "get_contact"], base);
    expect(names.get("get_contact")).toBe("getContact");
    expect(names.get("get-contact")).toBe(`getContact_${idSuffix("get-contact")}`);
    expect(names.get("getContact")).toBe("getContact_" + idSuffix("getContact"));
  });

  it("does not depend on input order", () => {
    const ids = ["b_x", "a", "b-x", "bX", "c"];
    const forward = assignNames(ids, base);
    const backward = assignNames([...ids].reverse(), base);
    expect([...backward].sort()).toEqual([...forward].sort());
  });

  it("adding or removing an unrelated action renames nothing", () => {
    const before = assignNames(["get_contact", "get-contact", "list_deals"], base);
    const after = assignNames(["get_contact", "get-contact", "create_deal"], base);
    expect(after.get("get_contact")).toBe(before.get("get_contact"));
    expect(after.get("get-contact")).toBe(before.get("get-contact"));
  });

  it("avoids names already taken in the scope", () => {
    expect(assignNames(["index"], (id) => id, new Set(["index"])).get("index")).toBe(`index_${idSuffix("index")}`);
  });

  it("gives distinct names to ids that sanitize to nothing", () => {
    const names = assignNames(["連絡先", "作成", "🚀"], base);
    expect(new Set(names.values()).size).toBe(3);
  });
});

describe("fileBase", () => {
  it.each([
    ["google-sheets", "google-sheets"],
    ["ms_teams", "ms_teams"],
    ["../../etc/passwd", "etc-passwd"],
    ["Hub Spot", "hub-spot"],
    ["", "app"],
  ])("%s -> %s", (slug, expected) => expect(fileBase(slug)).toBe(expected));
});

describe("inferKind", () => {
  it.each([
    ["get_contact", "read"],
    ["list_deals", "read"],
    ["search_contacts", "read"],
    ["find_user", "read"],
    ["fetch_report", "read"],
    ["getContact", "read"],
    ["create_contact", "write"],
    ["delete_contact", "write"],
    ["httprequest", "write"],
    ["sync_stuff", "write"],
    ["getaway_booking", "write"],
    // Deny by default: a read verb first is not enough when the id also writes or joins two operations.
    ["fetch_and_delete_x", "write"],
    ["get_or_create_contact", "write"],
    ["search_then_update_deals", "write"],
    ["list_and_archive_threads", "write"],
    ["getOrCreateUser", "write"],
    ["get_contact_by_id", "read"],
    ["list_deal_stages", "read"],
  ] as const)("%s is %s", (id, kind) => expect(inferKind(id)).toBe(kind));

  it("lets the config override", () => expect(inferKind("httprequest", { httprequest: "read" })).toBe("read"));
});
