#!/usr/bin/env node
// The bin. Most runs are `generate` with a few flags: those skip yargs and every other command's code
// (cli/fast-generate.ts says which); anything else goes to the yargs program.
import { parseGenerateArgs } from "./cli/fast-generate.js";

// What yargs' hideBin(process.argv) returns under Node.
const generateArgs = parseGenerateArgs(process.argv.slice(2));
if (generateArgs !== undefined) await (await import("./cli/generate.js")).runGenerate(generateArgs);
else await (await import("./cli/program.js")).runProgram();
