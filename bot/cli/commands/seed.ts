import { AppError } from "../../../domain/model/app-error";
import { parseCommandArgs, refuseAsOf } from "../args";
import { UsageError } from "../cli-errors";
import { CliCommand } from "../command";
import { OrganizationVariable } from "../../config";

const usage = "arbot seed --demo";
/** The demo's dates are relative to today. */
const USES: OrganizationVariable[] = ["AR_TIMEZONE"];

/** "account C1001", "invoices INV-1, INV-2 (+3 more)"; nothing when none. */
function listed(what: string, ids: string[]): string[] {
  if (ids.length === 0) return [];
  const shown = ids.slice(0, 5).join(", ");
  return [`${what}${ids.length === 1 ? "" : "s"} ${shown}${ids.length > 5 ? ` (+${ids.length - 5} more)` : ""}`];
}

export const seedCommand: CliCommand = {
  name: "seed",
  usage,
  summary: "load the demo portfolio (idempotent; dates relative to today)",
  async run(args, ctx) {
    refuseAsOf(args, "seed");
    const { values, positionals } = parseCommandArgs(args, { demo: { type: "boolean" } }, usage);
    ctx.rejectExtra(positionals, usage);
    if (!values.demo) throw new UsageError(`seed loads the demo portfolio: add --demo\nusage: ${usage}`);
    return ctx.withApp(USES, async (app) => {
      const result = await app.seedDemo();
      if (result.status === "ids_taken") {
        // Demo notes, claims and payments must never land on a real customer's account.
        const taken = [...listed("account", result.accountIds), ...listed("invoice", result.invoiceNumbers)].join(" and ");
        throw new AppError(
          "CONFLICT",
          `seed --demo refuses: this database already has ${taken}, which the demo portfolio uses. Load the demo into an empty database (for example DATABASE_URL=pglite:./data/demo).`,
        );
      }
      ctx.io.out(
        result.status === "already_loaded"
          ? "The demo portfolio is already loaded; nothing changed."
          : `Loaded the demo portfolio: ${result.accounts} accounts, ${result.invoices} invoices. Try: arbot digest`,
      );
      return 0;
    });
  },
};
