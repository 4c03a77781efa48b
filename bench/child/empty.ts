/*
 * An empty module: what Node's own start-up costs on this machine, spawned exactly as the CLI is (the same
 * environment and preload), for the warm figures' context.
 */
export {};
