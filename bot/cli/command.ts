import { App } from "../main";
import { CliIo } from "./cli-io";

export interface CliContext {
  io: CliIo;
  /** Opens (and migrates) the database for the command, and always closes it. */
  withApp<T>(work: (app: App) => Promise<T>): Promise<T>;
  rejectExtra(positionals: string[], usage: string): void;
}

export interface CliCommand {
  name: string;
  usage: string;
  summary: string;
  run(args: string[], ctx: CliContext): Promise<number>;
}
