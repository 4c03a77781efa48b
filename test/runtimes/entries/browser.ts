// Browser entry: bundled by esbuild (platform browser, ESM) and imported by the test page, which calls
// `run` with a session token and `apiKeyRefusal` with an API key.
export { apiKeyRefusal, run } from "../program.js";
