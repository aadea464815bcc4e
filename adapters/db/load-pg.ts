import type pg from "pg";

/**
 * pg, loaded without loading Node's `fetch` on Node 20. At its first load pg asks whether it
 * runs in a Cloudflare Worker: it reads the `navigator` global, which Node 21 and later
 * define, and without one builds a `Response`, whose first use loads undici, Node's HTTP
 * client. arbot never calls `fetch`, and that load was 60–70 ms of every command's start on
 * PostgreSQL on the 2-core machine (a CPU profile of `arbot stats`). For that one load,
 * `navigator` says what Node 21 and later say; it is gone afterwards. Every module of arbot
 * that needs pg at run time takes it from here (`@prisma/adapter-pg` loads after it, and
 * gets the same module from Node's cache).
 */
export function loadPg(): typeof pg {
  const global = globalThis as { navigator?: unknown };
  if (global.navigator !== undefined) return require("pg") as typeof pg;
  Object.defineProperty(global, "navigator", { value: { userAgent: `Node.js/${process.versions.node.split(".")[0]}` }, configurable: true });
  try {
    return require("pg") as typeof pg;
  } finally {
    delete global.navigator;
  }
}
