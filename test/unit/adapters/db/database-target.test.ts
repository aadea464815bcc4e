import path from "node:path";
import { InvalidDatabaseUrl, parseDatabaseUrl } from "../../../../adapters/db/database-target";

test("DATABASE_URL unset or pglite: is the embedded database in a folder, or in memory", () => {
  expect(parseDatabaseUrl(undefined, "/srv/arbot")).toEqual({ kind: "pglite", dataDir: path.join("/srv/arbot", "data", "pglite") });
  expect(parseDatabaseUrl("pglite:./db", "/srv/arbot")).toEqual({ kind: "pglite", dataDir: "/srv/arbot/db" });
  expect(parseDatabaseUrl("pglite:memory")).toEqual({ kind: "pglite", dataDir: null });
  expect(() => parseDatabaseUrl("pglite:")).toThrow(InvalidDatabaseUrl);
});

test("a PostgreSQL URL keeps its own parameters; schema and pgbouncer are arbot's and leave the URL", () => {
  expect(parseDatabaseUrl("postgresql://dana@db:5432/ar?schema=finance&sslmode=require")).toEqual({
    kind: "postgres",
    url: "postgresql://dana@db:5432/ar?sslmode=require",
    schema: "finance",
  });
  expect(parseDatabaseUrl("postgres://dana@pooler:6432/ar?pgbouncer=true")).toEqual({ kind: "postgres", url: "postgres://dana@pooler:6432/ar", schema: null, pgbouncer: true });
  expect(parseDatabaseUrl("postgres://dana@db/ar?pgbouncer=false")).toEqual({ kind: "postgres", url: "postgres://dana@db/ar", schema: null });
  expect(() => parseDatabaseUrl("mysql://dana@db/ar")).toThrow(/must be postgres:\/\//);
});
