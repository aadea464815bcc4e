/** Where a command writes: human text to stdout, warnings and progress to stderr. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Whether stderr is a terminal (progress bars, colours, prompts). */
  errIsTty: boolean;
  /** Writes to stderr as given, no line end added (a progress bar redrawn in place). */
  errRaw?(text: string): void;
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
    errRaw: (text) => process.stderr.write(text),
    stdin: process.stdin,
    stdinIsTty: Boolean(process.stdin.isTTY),
    env: process.env,
  };
}

/** A one-line progress bar redrawn in place on a terminal. */
export function progressBar(io: CliIo, label: string): { update(done: number, total: number): void; done(): void } {
  const write = io.errRaw;
  if (!io.errIsTty || !write) return { update: () => undefined, done: () => undefined };
  let drawn = false;
  return {
    update(done, total) {
      const ratio = total > 0 ? Math.min(1, done / total) : 1;
      const width = 30;
      const filled = Math.round(ratio * width);
      write(`\r${label} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${Math.round(ratio * 100)}% ${done}/${total} rows`);
      drawn = true;
    },
    done() {
      if (drawn) write("\n");
    },
  };
}
