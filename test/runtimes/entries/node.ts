// Node entry: `node entries/node.js '<options as JSON>'` after tsc; prints the report as one JSON line.
import { run, type ProgramOptions } from "../program.js";

const options = JSON.parse(process.argv[2] ?? "{}") as ProgramOptions;
console.log(JSON.stringify(await run(options)));
