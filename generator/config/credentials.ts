import { codegenError } from "../util/diagnostics.js";
import type { SourceAuth } from "../source/options.js";

/** The environment variables that carry credentials; they are never read from the config file. */
export interface CredentialEnv {
  REFOLD_API_KEY?: string | undefined;
  REFOLD_SESSION_TOKEN?: string | undefined;
}

/** The credentials for commands that call the API, or a usage error explaining how to provide them. */
export function credentialsFrom(env: CredentialEnv, why: string): SourceAuth {
  const apiKey = env.REFOLD_API_KEY?.trim();
  if (apiKey) return { apiKey };
  const sessionToken = env.REFOLD_SESSION_TOKEN?.trim();
  if (sessionToken) return { sessionToken };
  const message = `${why} needs the Refold API, and neither REFOLD_API_KEY nor REFOLD_SESSION_TOKEN is set`;
  throw codegenError(
    message,
    "no-credentials",
    "export REFOLD_API_KEY=<key> (test keys start with tk), or use --offline with a lock file that covers the config",
  );
}
