import type { Argv } from "yargs";
import type { Globals } from "./output.js";

/** Adds one command (its options and handler) to the program (cli/program.ts assembles them). */
export type Command = (program: Argv<Globals>) => Argv<Globals>;
