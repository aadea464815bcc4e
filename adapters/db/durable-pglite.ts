import fs from "node:fs";
import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";
// The types by path: this project resolves modules as Node 10 did, which reads no `exports`.
import type { NodeFS } from "@electric-sql/pglite/dist/fs/nodefs";

/**
 * An embedded database folder whose commits are on disk when they return, as PostgreSQL's
 * are. PGlite as it comes runs PostgreSQL with fsync off (`-F`), and its Node file system
 * (Emscripten's NODEFS) has no fsync of its own: a commit reached the operating system's
 * cache, not the disk, so a power cut or a crash of the machine (not of the process) could
 * lose the last minute of notes, claims and imports, or leave WAL behind the data pages it
 * describes, which PostgreSQL's recovery cannot repair.
 *
 * Here PostgreSQL runs with fsync on and flushes its WAL by `fsync` (`wal_sync_method`; the
 * WebAssembly build's `fdatasync` does nothing), and NODEFS's files get an fsync that is
 * Node's `fs.fsyncSync` on the real file. A checkpoint then syncs the data files it wrote,
 * as on a server. Measured on the development machine: a commit costs one fsync of the WAL
 * segment (0.3–1 ms).
 */
export const DURABLE_START_PARAMS = ["-c", "fsync=on", "-c", "wal_sync_method=fsync"];

/** PGlite's default start parameters, fsync on (see above). */
export function durableStartParams(defaults: readonly string[]): string[] {
  return [...defaults.filter((param) => param !== "-F"), ...DURABLE_START_PARAMS];
}

type StreamOps = { fsync?: (stream: { nfd?: number }) => number };
type EmscriptenModule = {
  NODEFS: { stream_ops: StreamOps; convertNodeCode(error: NodeJS.ErrnoException): number };
  FS: { ErrnoError: new (errno: number) => Error };
};
type InitOptions = Parameters<NodeFS["init"]>[1] & { preRun?: ((module: EmscriptenModule) => void)[] };

/** PGlite's Node file system, as its package exports it (`dist/` is not among its exports). */
const NODEFS_MODULE: string = "@electric-sql/pglite/nodefs";

/** The folder as PGlite's NodeFS mounts it, with the fsync NODEFS lacks. */
export async function durableFolder(dataDir: string): Promise<NodeFS> {
  const { NodeFS } = (await import(NODEFS_MODULE)) as typeof import("@electric-sql/pglite/dist/fs/nodefs");
  class DurableNodeFS extends NodeFS {
    override async init(pg: PGlite, options: InitOptions) {
      const syncing = (module: EmscriptenModule) => {
        module.NODEFS.stream_ops.fsync = (stream) => {
          // A stream without a file of its own (none in PGlite's folder) has nothing to sync.
          if (stream.nfd === undefined) return 0;
          try {
            fs.fsyncSync(stream.nfd);
          } catch (error) {
            // As an errno to PostgreSQL, as NODEFS's other operations fail, so that its own
            // rules apply (a folder whose fsync is refused is tolerated; a file's is not).
            if (!(error as NodeJS.ErrnoException).code) throw error;
            throw new module.FS.ErrnoError(module.NODEFS.convertNodeCode(error as NodeJS.ErrnoException));
          }
          return 0;
        };
      };
      return super.init(pg, { ...options, preRun: [...(options.preRun ?? []), syncing] } as InitOptions);
    }
  }
  return new DurableNodeFS(dataDir);
}

/**
 * Every file and folder under `dir` synced to disk, for what another process wrote there
 * without syncing: PGlite creating a folder, `prisma migrate deploy` applying migrations
 * (both run PostgreSQL with fsync off). Once, after they end; from then on each commit syncs.
 */
export function syncFolder(dir: string): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) syncFolder(full);
    else if (entry.isFile()) syncPath(full);
  }
  syncPath(dir);
}

function syncPath(file: string): void {
  const fd = fs.openSync(file, "r");
  try {
    fs.fsyncSync(fd);
  } catch (error) {
    // Some file systems refuse to sync a folder (EINVAL, EISDIR): PostgreSQL tolerates it too.
    const code = (error as NodeJS.ErrnoException).code;
    if (!(fs.fstatSync(fd).isDirectory() && (code === "EINVAL" || code === "EISDIR"))) throw error;
  } finally {
    fs.closeSync(fd);
  }
}
