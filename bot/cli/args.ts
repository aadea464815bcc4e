import { parseArgs, ParseArgsConfig } from "node:util";
import { BusinessDate, isBusinessDate } from "../../domain/model/business-date";
import { UsageError } from "./cli-errors";

type Options = NonNullable<ParseArgsConfig["options"]>;

/** node:util parseArgs, with every mistake turned into a usage error that shows the form. */
export function parseCommandArgs<O extends Options>(args: string[], options: O, usage: string) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${(error as Error).message.replace(/\. To specify.*$/s, "")}\nusage: ${usage}`);
  }
}

export function parseAsOf(value: string | undefined, usage: string): BusinessDate | undefined {
  if (value === undefined) return undefined;
  if (!isBusinessDate(value)) throw new UsageError(`--as-of expects a date like 2026-10-30, not "${value}"\nusage: ${usage}`);
  return value;
}

export function refuseAsOf(args: string[], command: string): void {
  if (args.some((a) => a === "--as-of" || a.startsWith("--as-of="))) {
    throw new UsageError(`${command} changes data and always works on today: --as-of is only for stats and digest`);
  }
}
