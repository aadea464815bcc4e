import fs from "node:fs";
import path from "node:path";
import { ROOT, runArbot, unmigratedCliDatabase } from "../support/cli";

/** `arbot migrate` runs `prisma migrate deploy` on an empty database, then finds nothing to do. */
test("arbot migrate applies the committed migrations once", async () => {
  const { env, cleanup } = await unmigratedCliDatabase();
  try {
    const first = await runArbot(["migrate"], { env });
    expect(first.status).toBe(0);
    const committed = fs.readdirSync(path.join(ROOT, "prisma", "migrations")).filter((name) => /^\d{14}_/.test(name)).sort();
    expect(committed[0]).toMatch(/^\d{14}_init$/);
    expect(first.stdout).toContain(`applied ${committed.length} migration${committed.length === 1 ? "" : "s"} (${committed.join(", ")})`);
    const second = await runArbot(["migrate"], { env });
    expect(second.status).toBe(0);
    expect(second.stdout).toContain("is up to date: no pending migrations.");
    const stats = await runArbot(["stats", "--json"], { env });
    expect(JSON.parse(stats.stdout).currencies).toEqual({});
  } finally {
    await cleanup();
  }
}, 120_000);
