import { ChildProcess, spawn } from "node:child_process";
import { ARBOT, ROOT } from "./cli";
import { SIGNING_SECRET } from "./slack-requests";

export interface ArbotServer {
  baseUrl: string;
  process: ChildProcess;
  logs(): string;
  stop(): Promise<number | null>;
}

/** Starts the real `arbot serve` as an OS process against a fake Slack Web API. */
export async function startArbotServer(env: Record<string, string>): Promise<ArbotServer> {
  const child = spawn(process.execPath, [ARBOT, "serve"], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: "test",
      PORT: "0",
      SLACK_BOT_TOKEN: "xoxb-test-token",
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      // The daily escalation sweep stays out of tests that are not about it; those set the time.
      AR_ESCALATION_TIME: "23:59",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d.toString("utf8")));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString("utf8")));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`arbot serve did not start:\n${output}`)), 60_000);
    const check = () => {
      const match = /serving on port (\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stderr!.on("data", check);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`arbot serve exited with ${code}:\n${output}`));
    });
  });
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    process: child,
    logs: () => output,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once("exit", (code) => resolve(code));
        child.kill("SIGTERM");
      }),
  };
}

/** Polls until a condition holds (the bot answers after acknowledging). */
export async function eventually<T>(probe: () => T | Promise<T>, timeoutMs = 10_000): Promise<NonNullable<T>> {
  const started = Date.now();
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      last = error;
    }
    if (Date.now() - started > timeoutMs) throw last instanceof Error ? last : new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 50));
  }
}
