// The few platform globals the examples use, declared here so that one compile checks every example
// against the generated client without installing each platform's types (bun-types, Deno's, @types/node).
declare const Bun: {
  readonly env: Record<string, string | undefined>;
  serve(options: { port: number; fetch(request: Request): Response | Promise<Response> }): unknown;
};
declare const Deno: { readonly env: { get(name: string): string | undefined } };
declare const process: { readonly env: Record<string, string | undefined> };
