// The recipes of docs/runtimes.md (examples/runtimes: a Worker, a Next.js edge route, a Bun server, a Deno
// script, a browser page and its server side) compile strictly against the sample output, in a project with
// the DOM library and no Node types, as a Worker's or a browser app's would be. test/runtimes runs the
// client itself in each runtime.
import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);

describe("examples/runtimes", () => {
  it("compile strictly with the generated client, without Node's types", async () => {
    const tsc = resolve("node_modules/typescript/bin/tsc");
    const result = await run(process.execPath, [tsc, "-p", "examples/runtimes/tsconfig.json"]).catch(
      (error: { stdout?: string }) => ({ stdout: error.stdout ?? String(error) }),
    );
    expect(result.stdout).toBe("");
  });
});
