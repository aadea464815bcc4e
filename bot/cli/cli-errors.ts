import { CsvFileRejected } from "../../adapters/csv/csv-file";
import { DatabaseUnavailable } from "../../adapters/db/open-database";
import { MigrationFailed } from "../../adapters/db/migrations";
import { DatabaseInUse } from "../../adapters/db/pglite-lock";
import { ImportStopped } from "../../domain/model/imports";
import { ConfigError } from "../config";
import { ChatPlatformUnavailable } from "../platform/chat-platform";

/** Exit statuses of section 4. */
export const EXIT = { ok: 0, rejectedRows: 2, usage: 64, fileRejected: 65, unavailable: 69, platformUnavailable: 75, config: 78, unexpected: 1 } as const;

export class UsageError extends Error {}

/** Failures the CLI maps to an exit status and a stable JSON error code, in one table. */
export function classify(error: unknown): { status: number; code: string; message: string } {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof UsageError) return { status: EXIT.usage, code: "usage", message };
  if (error instanceof ConfigError) return { status: EXIT.config, code: "configuration", message };
  if (error instanceof ChatPlatformUnavailable) return { status: EXIT.platformUnavailable, code: "chat_platform_unavailable", message };
  if (error instanceof CsvFileRejected) return { status: EXIT.fileRejected, code: "file_rejected", message };
  if (error instanceof DatabaseInUse) return { status: EXIT.unavailable, code: "database_in_use", message };
  if (error instanceof DatabaseUnavailable) return { status: EXIT.unavailable, code: "database_unavailable", message };
  if (error instanceof MigrationFailed) return { status: EXIT.unavailable, code: "migration_failed", message };
  if (error instanceof ImportStopped) return { status: EXIT.unexpected, code: "import_stopped", message };
  const coded = error as { code?: unknown; userMessage?: unknown };
  if (typeof coded?.code === "string" && typeof coded.userMessage === "string") {
    return { status: EXIT.usage, code: coded.code.toLowerCase(), message: coded.userMessage };
  }
  return { status: EXIT.unexpected, code: "unexpected", message };
}
