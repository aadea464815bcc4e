import fs from "node:fs";
import path from "node:path";

/** The folder holding arbot's package.json, from source (ts-jest) or from dist/. */
export function projectRoot(): string {
  let dir = __dirname;
  for (;;) {
    const manifest = path.join(dir, "package.json");
    if (fs.existsSync(manifest) && fs.existsSync(path.join(dir, "prisma", "schema.prisma"))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error("arbot's project folder (package.json + prisma/) was not found");
    dir = parent;
  }
}
