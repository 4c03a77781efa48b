// Deno entry: `deno run --allow-net entries/deno.ts '<options as JSON>'` on the TypeScript sources; prints the
// report as JSON. Only Deno's own globals: no `process`, no permission but the network.
import { run, type ProgramOptions } from "../program.js";

declare const Deno: { args: string[] };

const options = JSON.parse(Deno.args[0] ?? "{}") as ProgramOptions;
console.log(JSON.stringify(await run(options)));
