import fs from "node:fs";
import path from "node:path";

/**
 * PGlite is one process at a time: two processes on one folder corrupt it. The guard is a
 * lock file beside the folder naming the process that holds it. A child that the holder
 * starts (`prisma migrate deploy`) inherits the right through ARBOT_PGLITE_LOCK_OWNER.
 */
export class DatabaseInUse extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
  ) {
    super(
      `${path.relative(process.cwd(), dataDir) || dataDir} is in use by process ${holder.pid} (${holder.command}); ` +
        "embedded PGlite serves one process at a time: set DATABASE_URL to a PostgreSQL database to run several",
    );
  }
}

export interface LockHolder {
  pid: number;
  command: string;
  /** Where the holder takes forwarded commands (command-socket.ts), when it does. */
  socket?: string;
}

export const LOCK_OWNER_ENV = "ARBOT_PGLITE_LOCK_OWNER";

export function lockPathFor(dataDir: string): string {
  return `${dataDir}.lock`;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readHolder(lockPath: string): LockHolder | null {
  try {
    const parsed = JSON.parse(fs.readFileSync(lockPath, "utf8")) as Partial<LockHolder>;
    if (typeof parsed.pid !== "number") return null;
    return { pid: parsed.pid, command: String(parsed.command ?? "arbot"), ...(typeof parsed.socket === "string" ? { socket: parsed.socket } : {}) };
  } catch {
    return null;
  }
}

/** Takes the folder for this process, or throws DatabaseInUse. Returns the release function. */
export function acquirePgliteLock(dataDir: string, command: string, socket: string | null = null): () => void {
  const lockPath = lockPathFor(dataDir);
  fs.mkdirSync(path.dirname(lockPath), { recursive: true });
  const inheritedOwner = Number(process.env[LOCK_OWNER_ENV] ?? NaN);
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      fs.writeFileSync(lockPath, JSON.stringify({ pid: process.pid, command, ...(socket ? { socket } : {}) }), { flag: "wx" });
      const release = () => {
        const holder = readHolder(lockPath);
        if (holder?.pid === process.pid) fs.rmSync(lockPath, { force: true });
        process.removeListener("exit", release);
      };
      process.on("exit", release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const holder = readHolder(lockPath);
    if (holder && holder.pid === inheritedOwner && isAlive(holder.pid)) return () => undefined;
    if (holder && holder.pid !== process.pid && isAlive(holder.pid)) throw new DatabaseInUse(dataDir, holder);
    // Stale: the holder died without cleaning up (or the file is half written). Take it over.
    fs.rmSync(lockPath, { force: true });
  }
  throw new Error(`could not take the PGlite lock ${lockPath}`);
}


/** Who holds a folder now, if anyone (alive or not). */
export function readLockHolder(dataDir: string): LockHolder | null {
  return readHolder(lockPathFor(dataDir));
}
