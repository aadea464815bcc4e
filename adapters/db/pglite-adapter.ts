import { PGlite } from "@electric-sql/pglite";
import type { PrismaPg } from "@prisma/adapter-pg";
import { PrismaPGlite } from "pglite-prisma-adapter";

/**
 * pglite-prisma-adapter 0.6.1 is typed against @prisma/driver-adapter-utils 6.10, whose
 * `argTypes` declaration differs from 6.19's; the adapter never reads `argTypes`, so the
 * runtime contract is the same. The cast is confined here. The type of a migration-aware
 * factory is borrowed from adapter-pg, which is built against 6.19.
 */
export type MigrationAwareAdapterFactory = PrismaPg;

export function pgliteAdapter(pglite: PGlite): MigrationAwareAdapterFactory {
  return new PrismaPGlite(pglite) as unknown as MigrationAwareAdapterFactory;
}
