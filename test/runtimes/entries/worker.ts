// Cloudflare workerd entry (a module worker, bundled by esbuild as wrangler bundles it): a POST with the
// program's options as its JSON body runs the program and answers the report.
import { run, type ProgramOptions } from "../program.js";

export default {
  async fetch(request: Request): Promise<Response> {
    const options = (await request.json()) as ProgramOptions;
    return Response.json(await run(options));
  },
};
