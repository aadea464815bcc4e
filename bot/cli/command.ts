import { OrganizationVariable } from "../config";
import { App } from "../main";
import { CliIo } from "./cli-io";

export interface CliContext {
  io: CliIo;
  /**
   * Validates the organization variables the command uses (and no others), opens (and
   * migrates) the database for it, and always closes it.
   */
  withApp<T>(uses: readonly OrganizationVariable[], work: (app: App) => Promise<T>): Promise<T>;
  rejectExtra(positionals: string[], usage: string): void;
}

export interface CliCommand {
  name: string;
  usage: string;
  summary: string;
  run(args: string[], ctx: CliContext): Promise<number>;
}
