// Bun entry: `bun run entries/bun.ts '<options as JSON>'` on the TypeScript sources; prints the report as JSON.
import { run, type ProgramOptions } from "../program.js";

const options = JSON.parse(process.argv[2] ?? "{}") as ProgramOptions;
console.log(JSON.stringify(await run(options)));
