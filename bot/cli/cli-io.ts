/** Where a command writes: human text to stdout, warnings and progress to stderr. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Whether stderr is a terminal (progress bars, colours, prompts). */
  errIsTty: boolean;
  stdin: NodeJS.ReadableStream;
  stdinIsTty: boolean;
  env: Record<string, string | undefined>;
  /** Aborted when whoever ran the command is gone (a forwarded command's client, Ctrl-C). */
  signal?: AbortSignal;
}

export function processIo(): CliIo {
  return {
    out: (text) => process.stdout.write(text.endsWith("\n") ? text : `${text}\n`),
    err: (text) => process.stderr.write(text.endsWith("\n") ? text : `${text}\n`),
    errIsTty: Boolean(process.stderr.isTTY),
    stdin: process.stdin,
    stdinIsTty: Boolean(process.stdin.isTTY),
    env: process.env,
  };
}

/** A one-line progress bar redrawn in place on a terminal. */
export function progressBar(io: CliIo, label: string): { update(done: number, total: number): void; done(): void } {
  if (!io.errIsTty) return { update: () => undefined, done: () => undefined };
  let drawn = false;
  return {
    update(done, total) {
      const ratio = total > 0 ? Math.min(1, done / total) : 1;
      const width = 30;
      const filled = Math.round(ratio * width);
      process.stderr.write(`\r${label} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${Math.round(ratio * 100)}% ${done}/${total} rows`);
      drawn = true;
    },
    done() {
      if (drawn) process.stderr.write("\n");
    },
  };
}
