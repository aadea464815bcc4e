import { acquirePgliteLock } from "../../../adapters/db/pglite-lock";
import { DatabaseUnavailable, pendingInFolderOpenHere, pendingMigrationsOf } from "../../../adapters/db/open-database";
import { runPrismaMigrateDeploy } from "../../../adapters/db/migrations";
import { loadDatabaseTarget } from "../../main";
import { describeTarget } from "../../../adapters/db/database-target";
import { parseCommandArgs, refuseAsOf } from "../args";
import { UsageError } from "../cli-errors";
import { CliCommand } from "../command";

const usage = "arbot migrate";

export const migrateCommand: CliCommand = {
  name: "migrate",
  usage,
  summary: "apply pending database migrations (prisma migrate deploy)",
  async run(args, ctx) {
    refuseAsOf(args, "migrate");
    const { positionals } = parseCommandArgs(args, {}, usage);
    ctx.rejectExtra(positionals, usage);
    const target = loadDatabaseTarget(ctx.io.env);
    if (target.kind === "pglite" && !target.dataDir) throw new UsageError("pglite:memory starts empty and is migrated on open; there is nothing to migrate");
    if (target.kind === "pglite" && target.dataDir) {
      // Forwarded to the process that holds the folder: it migrated when it opened it.
      const pendingHere = await pendingInFolderOpenHere(target.dataDir);
      if (pendingHere !== null) {
        if (pendingHere.length === 0) {
          ctx.io.out(`${describeTarget(target)} is up to date: no pending migrations.`);
          return 0;
        }
        throw new DatabaseUnavailable(`${describeTarget(target)} has ${pendingHere.length} pending migration(s); the arbot process ${process.pid} holds it: stop it, then run arbot migrate`);
      }
    }
    const release = target.kind === "pglite" && target.dataDir ? acquirePgliteLock(target.dataDir, "arbot migrate") : () => undefined;
    try {
      if ((await pendingMigrationsOf(target)).length === 0) {
        ctx.io.out(`${describeTarget(target)} is up to date: no pending migrations.`);
        return 0;
      }
      const url = target.kind === "postgres" ? ctx.io.env.DATABASE_URL : `pglite:${target.dataDir}`;
      const { applied } = await runPrismaMigrateDeploy(url, () => undefined);
      ctx.io.out(
        applied.length === 0
          ? `${describeTarget(target)} is up to date: no pending migrations.`
          : `${describeTarget(target)}: applied ${applied.length} migration${applied.length === 1 ? "" : "s"} (${applied.join(", ")}).`,
      );
      return 0;
    } finally {
      release();
    }
  },
};
