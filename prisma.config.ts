import path from "node:path";
import { defineConfig } from "prisma/config";
import { parseDatabaseUrl } from "./adapters/db/database-target";
import { migrateAdapterFor } from "./adapters/db/migrate-adapter";

// Generate and migrate run on the JS engines through driver adapters: nothing is downloaded.
// DATABASE_URL: unset = ./data/pglite, pglite:<dir>, pglite:memory, or postgres(ql)://.
const target = parseDatabaseUrl(process.env.DATABASE_URL);

// The schema's `url = env("DATABASE_URL")` must parse as a PostgreSQL URL even when the
// adapter connects to PGlite; the value is never used for a connection.
if (target.kind === "pglite") process.env.DATABASE_URL = "postgresql://pglite@localhost/pglite";

export default defineConfig({
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  experimental: { adapter: true },
  engine: "js",
  async adapter() {
    return migrateAdapterFor(target);
  },
});
