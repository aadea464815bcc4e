import { spawnSync } from "node:child_process";
import path from "node:path";

const LOAD_PG = path.join(__dirname, "..", "..", "..", "..", "dist", "adapters", "db", "load-pg.js");

/** What a fresh Node process reports after `script`: each command starts as one. */
function inFreshNode(script: string): Record<string, unknown> {
  const run = spawnSync(process.execPath, ["-e", script], { encoding: "utf8" });
  expect(run.stderr).toBe("");
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

const undiciLoaded = `process.moduleLoadList.some((m) => m.includes("undici"))`;

test("pg loads without Node's fetch client, leaves no navigator behind, and works", () => {
  const after = inFreshNode(`
    const hadNavigator = typeof navigator !== "undefined";
    const pg = require(${JSON.stringify(LOAD_PG)}).loadPg();
    console.log(JSON.stringify({ undici: ${undiciLoaded}, navigator: typeof navigator !== "undefined", hadNavigator, client: typeof pg.Client, cached: require("pg") === pg }));
  `);
  expect(after).toMatchObject({ undici: false, client: "function", cached: true });
  // Node 20 has no navigator: the one pg saw for its load is gone. Node 21+ keeps its own.
  expect(after.navigator).toBe(after.hadNavigator);
});

test("loaded plainly on this Node, pg would load the fetch client (what loadPg avoids)", () => {
  const plain = inFreshNode(`require("pg"); console.log(JSON.stringify({ undici: ${undiciLoaded}, navigator: typeof navigator !== "undefined" }));`);
  // Where Node defines navigator (21 and later) pg never looked further; on Node 20 it did.
  expect(plain.undici).toBe(!plain.navigator);
});
