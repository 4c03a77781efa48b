import { describe, expect, it } from "vitest";
import { describeFailure } from "../../generator/cli/output.js";
import { ExitCode } from "../../generator/util/diagnostics.js";

/** A Node system error as fs raises it. */
const systemError = (code: string, path = "/work/app/generated/hubspot.ts") =>
  Object.assign(new Error(`${code}: something, open '${path}'`), { code, path, syscall: "open" });

describe("describeFailure: a failure reported as what it is", () => {
  it.each([
    ["ENOSPC", ExitCode.io, /no space left on the device/, /free some disk space/],
    ["EIO", ExitCode.io, /storage device failed/, /check the disk/],
    ["EDQUOT", ExitCode.io, /quota/, /quota/],
    ["EMFILE", ExitCode.io, /too many open files/, /ulimit -n/],
    ["EACCES", ExitCode.usage, /permission denied/, /permission/],
    ["EROFS", ExitCode.usage, /read-only/, /--check` writes nothing/],
    ["ENOTDIR", ExitCode.usage, /is a file, not a folder/, /paths in the config/],
  ])("%s exits %i, says what happened and where", (code, exitCode, what, hint) => {
    const failure = describeFailure(systemError(code));
    expect(failure.exitCode).toBe(exitCode);
    expect(failure.internal).toBe(false);
    expect(failure.message).toMatch(what);
    expect(failure.message).toContain("/work/app/generated/hubspot.ts");
    expect(failure.diagnostics[0]?.hint).toMatch(hint);
    expect(failure.message).not.toMatch(/check the paths in the config and their permissions/);
  });

  it("an error that is neither ours nor the system's is a bug of ours (70)", () => {
    expect(describeFailure(new TypeError("x is undefined"))).toMatchObject({ exitCode: 70, internal: true });
  });
});
