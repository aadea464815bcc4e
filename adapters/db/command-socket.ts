import { createHash } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";

/**
 * Embedded PGlite is one process per folder. So that `arbot import`, `stats`, `digest` and the
 * rest still work while a server (or a shell) holds the folder, the holder listens on a Unix
 * socket named in its lock file and runs the commands other processes forward to it, in its
 * own process, against its open database: the same words, output and exit status as if they
 * ran themselves.
 *
 * Wire format: newline-delimited JSON. The client sends one request line, then its standard
 * input as `{ "stdin": text }` lines and `{ "stdinEnd": true }`; the holder answers with
 * `{ "out": text }`, `{ "err": text }`, `{ "errRaw": text }` (no line end added) and finally
 * `{ "exit": status }`.
 */
export interface ForwardedRequest {
  argv: string[];
  /** The variables arbot reads, from the client's environment. */
  env: Record<string, string>;
  /** The client's stderr is a terminal: the command may draw progress on it (`errRaw`). */
  errIsTty?: boolean;
}

export interface ForwardedIo {
  out(text: string): void;
  err(text: string): void;
  /** Written to the client's stderr as given (a progress bar redrawn in place). */
  errRaw(text: string): void;
  stdin: NodeJS.ReadableStream;
  /** Aborted when the client goes away (Ctrl-C) before its command has ended. */
  signal: AbortSignal;
}

export type ForwardedHandler = (request: ForwardedRequest, io: ForwardedIo) => Promise<number>;

/** Unix socket paths are limited to about 107 bytes: a long folder gets a short path in the temp folder. */
export function socketPathFor(dataDir: string): string {
  const beside = `${dataDir}.sock`;
  if (Buffer.byteLength(beside) <= 100) return beside;
  return path.join(os.tmpdir(), `arbot-${createHash("sha256").update(dataDir).digest("hex").slice(0, 16)}.sock`);
}

function send(socket: net.Socket, message: Record<string, unknown>): void {
  if (!socket.destroyed) socket.write(`${JSON.stringify(message)}\n`);
}

/** Splits a stream into JSON lines. */
function onLines(socket: net.Socket, handle: (message: Record<string, unknown>) => void): void {
  let buffered = "";
  socket.setEncoding("utf8");
  socket.on("data", (chunk: string) => {
    buffered += chunk;
    for (let end = buffered.indexOf("\n"); end >= 0; end = buffered.indexOf("\n")) {
      const line = buffered.slice(0, end);
      buffered = buffered.slice(end + 1);
      if (line.trim() === "") continue;
      try {
        handle(JSON.parse(line) as Record<string, unknown>);
      } catch {
        socket.destroy();
        return;
      }
    }
  });
}

export interface CommandListener {
  socketPath: string;
  close(): Promise<void>;
}

/**
 * Listens for forwarded commands; each runs through `handler`, one at a time (the database
 * is one connection; concurrent requests queue as chat requests do). Only this user can
 * connect (the socket is 0600). A client that goes away (Ctrl-C, a closed terminal) takes
 * its command with it, as if it had run in its own process: a command still queued is not
 * run, and a running one sees its signal aborted (an import writes no further batch).
 */
export async function listenForCommands(dataDir: string, handler: ForwardedHandler, log: (line: string) => void = () => undefined): Promise<CommandListener> {
  const socketPath = socketPathFor(dataDir);
  // A socket left by a process that died: nobody listens on it any more (we hold the lock).
  fs.rmSync(socketPath, { force: true });
  let queue: Promise<unknown> = Promise.resolve();
  const live = new Set<net.Socket>();
  const inputs = new Set<PassThrough>();
  const server = net.createServer((socket) => {
    live.add(socket);
    socket.on("close", () => live.delete(socket));
    socket.on("error", () => undefined);
    const stdin = new PassThrough();
    inputs.add(stdin);
    stdin.on("end", () => inputs.delete(stdin));
    const gone = new AbortController();
    let started = false;
    let what = "";
    let running = false;
    let ended = false;
    onLines(socket, (message) => {
      if (!started) {
        started = true;
        const request = message as unknown as ForwardedRequest;
        if (!Array.isArray(request.argv) || typeof request.env !== "object" || request.env === null) {
          ended = true; // refused, not queued: nothing to stop
          socket.destroy();
          return;
        }
        const io: ForwardedIo = {
          out: (text) => send(socket, { out: text }),
          err: (text) => send(socket, { err: text }),
          errRaw: (text) => send(socket, { errRaw: text }),
          stdin,
          signal: gone.signal,
        };
        what = `arbot ${request.argv.slice(0, 2).join(" ")}`;
        const run = queue.then(async () => {
          // Its client left while it waited (said when it left).
          if (gone.signal.aborted) return;
          log(`running a forwarded command: ${what}`);
          running = true;
          let status = 1;
          try {
            status = await handler(request, io);
          } catch (error) {
            send(socket, { err: `arbot: ${(error as Error).message}` });
          }
          ended = true;
          send(socket, { exit: status });
          socket.end();
        });
        queue = run.catch(() => undefined);
        return;
      }
      if (typeof message.stdin === "string") stdin.write(message.stdin);
      if (message.stdinEnd === true) stdin.end();
    });
    socket.on("close", () => {
      stdin.end();
      if (!started || ended || gone.signal.aborted) return;
      gone.abort();
      log(
        running
          ? `a forwarded command's client left: ${what} is told to stop (an import writes no further batch; other commands finish)`
          : `a forwarded command's client left while it waited its turn: ${what} will not run`,
      );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(socketPath, () => {
      server.off("error", reject);
      resolve();
    });
  });
  fs.chmodSync(socketPath, 0o600);
  return {
    socketPath,
    async close() {
      // No new commands; a forwarded shell sees the end of its input; running commands finish.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const input of inputs) input.end();
      await queue;
      for (const socket of live) socket.end();
      await closed;
      fs.rmSync(socketPath, { force: true });
    },
  };
}

export class HolderUnreachable extends Error {}

/**
 * Connects to the holder's socket, waiting while the holder is still opening the folder
 * (the socket is named in the lock before it listens) and alive.
 */
export async function connectToHolder(socketPath: string, holderAlive: () => boolean, waitMs = 60_000): Promise<net.Socket> {
  const started = Date.now();
  for (;;) {
    const socket = await new Promise<net.Socket | Error>((resolve) => {
      const attempt = net.createConnection(socketPath);
      attempt.once("connect", () => resolve(attempt));
      attempt.once("error", (error) => resolve(error));
    });
    if (!(socket instanceof Error)) return socket;
    const code = (socket as NodeJS.ErrnoException).code;
    const notYet = code === "ENOENT" || code === "ECONNREFUSED";
    if (!notYet || !holderAlive() || Date.now() - started > waitMs) throw new HolderUnreachable(socket.message);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Sends a command to the holder and relays its output; resolves with its exit status.
 * Rejects with HolderUnreachable when nobody answers on the socket (before any output).
 */
export async function forwardCommand(
  socketPath: string,
  holderAlive: () => boolean,
  request: ForwardedRequest,
  io: { out(text: string): void; err(text: string): void; errRaw?(text: string): void; stdin: NodeJS.ReadableStream | null },
): Promise<number> {
  const socket = await connectToHolder(socketPath, holderAlive);
  return new Promise((resolve, reject) => {
    let answered = false;
    let exit: number | null = null;
    send(socket, request as unknown as Record<string, unknown>);
    if (!io.stdin) send(socket, { stdinEnd: true });
    else {
      io.stdin.on("data", (chunk: Buffer | string) => send(socket, { stdin: chunk.toString() }));
      io.stdin.on("end", () => send(socket, { stdinEnd: true }));
      io.stdin.on("error", () => send(socket, { stdinEnd: true }));
    }
    onLines(socket, (message) => {
      answered = true;
      if (typeof message.out === "string") io.out(message.out);
      if (typeof message.err === "string") io.err(message.err);
      if (typeof message.errRaw === "string") io.errRaw?.(message.errRaw);
      if (typeof message.exit === "number") exit = message.exit;
    });
    socket.on("error", (error) => {
      if (!answered) reject(new HolderUnreachable(error.message));
    });
    socket.on("close", () => {
      // Stop reading our stdin: the holder is done with it.
      if (io.stdin && "pause" in io.stdin) (io.stdin as NodeJS.ReadStream).pause();
      if (exit !== null) resolve(exit);
      else if (!answered) reject(new HolderUnreachable("the holder closed the connection"));
      else {
        io.err("arbot: the process holding the database stopped before the command finished");
        resolve(69);
      }
    });
  });
}
