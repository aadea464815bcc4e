import readline from "node:readline";
import { Actor } from "../../domain/model/actor";
import { handleText, BotServices } from "../../bot/commands/dispatch";
import { renderReplyText } from "./text-reply";

export interface ShellIo {
  input: NodeJS.ReadableStream;
  interactive: boolean;
  out(text: string): void;
  err(text: string): void;
}

const PROMPT = "arbot> ";

/**
 * The terminal adapter: one command per line as local-admin. `exit`, `quit` (any case) or the
 * end of input end it (status 0); a refusal goes to stderr and the shell goes on. The prompt only
 * shows on a terminal.
 */
export async function runShell(services: BotServices, actor: Actor, io: ShellIo): Promise<number> {
  const lines = readline.createInterface({ input: io.input, terminal: false, crlfDelay: Infinity });
  const prompt = () => {
    if (io.interactive) process.stdout.write(PROMPT);
  };
  prompt();
  for await (const raw of lines) {
    const line = raw.trim();
    if (/^(exit|quit)$/i.test(line)) break;
    if (line !== "") {
      try {
        const rendered = renderReplyText(await handleText(services, actor, line, { idempotencyKey: null, channel: null }));
        (rendered.error ? io.err : io.out)(rendered.text);
      } catch (error) {
        io.err(`Something went wrong: ${(error as Error).message}`);
      }
    }
    prompt();
  }
  lines.close();
  if (io.interactive) process.stdout.write("\n");
  return 0;
}
