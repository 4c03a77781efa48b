#!/usr/bin/env node
// The bin: parses the command line with yargs and runs the command it names (cli/program.ts).
import { hideBin } from "yargs/helpers";
import { createProgram, usageFailure } from "./cli/program.js";

await createProgram(hideBin(process.argv)).fail(usageFailure).parseAsync();
