import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { CommandListener, ForwardedIo, forwardCommand, listenForCommands } from "../../../../adapters/db/command-socket";
import { CliIo, progressBar } from "../../../../bot/cli/cli-io";
import { serveForwardedCommands } from "../../../../bot/cli/forwarding";

let listener: CommandListener | null = null;
afterEach(async () => {
  await listener?.close();
  listener = null;
});

/** A client that sends one command, as `forwardCommand` does, and can go away at any moment. */
async function client(socketPath: string, argv: string[]): Promise<{ socket: net.Socket; answers: string[] }> {
  const socket = net.createConnection(socketPath);
  await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
  const answers: string[] = [];
  socket.setEncoding("utf8").on("data", (d: string) => answers.push(d));
  // Handed to the system before the client can go away: the holder reads it, then the end.
  await new Promise<void>((resolve, reject) => socket.write(`${JSON.stringify({ argv, env: {} })}\n${JSON.stringify({ stdinEnd: true })}\n`, (error) => (error ? reject(error) : resolve())));
  return { socket, answers };
}

/** Waits, without spinning, for what the holder does on its own time. */
function until(condition: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const check = () => (condition() ? resolve() : setTimeout(check, 5));
    check();
  });
}

test("a client that goes away takes its command with it: the running one sees its signal aborted, a queued one never runs", async () => {
  const dataDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "arbot-socket-")), "db");
  const ran: string[] = [];
  const signals = new Map<string, AbortSignal>();
  let letFirstEnd!: () => void;
  const firstMayEnd = new Promise<void>((resolve) => (letFirstEnd = resolve));
  const log: string[] = [];
  listener = await listenForCommands(
    dataDir,
    async (request, io: ForwardedIo) => {
      const name = request.argv[1]!;
      ran.push(name);
      signals.set(name, io.signal);
      if (name === "first") await firstMayEnd;
      return 0;
    },
    (line) => log.push(line),
  );
  const first = await client(listener.socketPath, ["import", "first"]);
  await until(() => ran.includes("first"));
  const second = await client(listener.socketPath, ["import", "second"]);
  // Both go away (Ctrl-C): the first while it runs, the second while it waits its turn.
  first.socket.destroy();
  await until(() => signals.get("first")!.aborted);
  second.socket.destroy();
  await until(() => log.some((line) => line.includes("while it waited its turn")));
  letFirstEnd();
  const third = await client(listener.socketPath, ["import", "third"]);
  await until(() => third.answers.join("").includes('"exit":0'));
  expect(ran).toEqual(["first", "third"]);
  expect(signals.get("third")!.aborted).toBe(false);
  expect(log).toEqual([
    "running a forwarded command: arbot import first",
    "a forwarded command's client left: arbot import first is told to stop (an import writes no further batch; other commands finish)",
    "a forwarded command's client left while it waited its turn: arbot import second will not run",
    "running a forwarded command: arbot import third",
  ]);
  third.socket.destroy();
});

test("the holder hands a forwarded command its client's signal", async () => {
  const dataDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "arbot-socket-")), "db");
  let seen: CliIo | null = null;
  let letEnd!: () => void;
  const ends = new Promise<void>((resolve) => (letEnd = resolve));
  listener = await serveForwardedCommands(
    dataDir,
    async (_argv, io) => {
      seen = io;
      await ends;
      return 0;
    },
    () => undefined,
  );
  const { socket } = await client(listener!.socketPath, ["import", "invoices", "/tmp/x.csv"]);
  await until(() => seen !== null);
  expect(seen!.signal!.aborted).toBe(false);
  socket.destroy();
  await until(() => seen!.signal!.aborted);
  letEnd();
});

test("a forwarded import draws its progress on the client's terminal, and only on one", async () => {
  const dataDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "arbot-socket-")), "db");
  listener = await serveForwardedCommands(
    dataDir,
    async (_argv, io) => {
      const bar = progressBar(io, "import invoices");
      bar.update(500, 1000);
      bar.update(1000, 1000);
      bar.done();
      io.err("done");
      return 0;
    },
    () => undefined,
  );
  const run = async (errIsTty: boolean) => {
    const raw: string[] = [];
    const lines: string[] = [];
    const status = await forwardCommand(listener!.socketPath, () => true, { argv: ["import", "invoices", "/tmp/x.csv"], env: {}, errIsTty }, { out: () => undefined, err: (t) => lines.push(t), errRaw: (t) => raw.push(t), stdin: null });
    return { status, raw, lines };
  };
  expect(await run(true)).toEqual({
    status: 0,
    raw: [`\rimport invoices [${"#".repeat(15)}${"-".repeat(15)}] 50% 500/1000 rows`, `\rimport invoices [${"#".repeat(30)}] 100% 1000/1000 rows`, "\n"],
    lines: ["done"],
  });
  // Piped to a file or another program: no bar, the same lines.
  expect(await run(false)).toEqual({ status: 0, raw: [], lines: ["done"] });
});
