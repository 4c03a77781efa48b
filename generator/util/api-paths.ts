/**
 * The Actions API's paths, each segment encoded the one way the generator does it: the pull, the OpenAPI
 * document. The runtime has its own copy of `encodeSegment` (it imports nothing from the generator);
 * test/unit/api-paths.test.ts holds the two equal.
 */

/**
 * One URL path segment. encodeURIComponent leaves "." alone, and a "." or ".." segment would be read as a
 * relative step by whatever normalizes the URL on the way (a proxy, a framework): those dots are encoded too.
 */
export function encodeSegment(value: string): string {
  return value === "." || value === ".." ? value.replace(/\./g, "%2E") : encodeURIComponent(value);
}

/** `/api/v2/integration-schema/{slug}/actions`, or one action's parameters below it. */
export function actionsPath(slug: string, actionId?: string): string {
  const list = `/api/v2/integration-schema/${encodeSegment(slug)}/actions`;
  return actionId === undefined ? list : `${list}/${encodeSegment(actionId)}`;
}

/** An action's execute path, as the runtime sends it. */
export function executePath(slug: string, actionId: string): string {
  return `${actionsPath(slug, actionId)}/execute`;
}
