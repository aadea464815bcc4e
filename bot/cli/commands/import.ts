import { Field, FIELD_LABELS } from "../../../adapters/csv/headers";
import { IMPORT_KINDS, ImportKind, ImportReport } from "../../../domain/model/imports";
import type { runImport as RunImport } from "../../run-import";
import { parseCommandArgs, refuseAsOf } from "../args";
import { EXIT, UsageError } from "../cli-errors";
import { progressBar } from "../cli-io";
import { CliCommand } from "../command";
import { OrganizationVariable } from "../../config";

/** Today (balance snapshots, payment dates) and the currency of rows without one. */
const USES: OrganizationVariable[] = ["AR_TIMEZONE", "AR_CURRENCY"];

const usage = "arbot import accounts|invoices|payments FILE [--full] [--dry-run] [--date-format DMY|MDY] [--json]";

/** Which of the file's columns was read as what, so a person sees at a glance how the file was read. */
function columnMapping(report: ImportReport): string[] {
  const entries = Object.entries(report.columns).filter(([, header]) => header !== undefined);
  if (entries.length === 0) return [];
  const width = Math.max(...entries.map(([field]) => (FIELD_LABELS[field as Field] ?? field).length));
  return ["Columns read:", ...entries.map(([field, header]) => `  ${(FIELD_LABELS[field as Field] ?? field).padEnd(width)}  ← ${header}`)];
}

function summary(report: ImportReport): string {
  const credits = report.credits ? report.credits.created + report.credits.updated + report.credits.unchanged : 0;
  const extra = [
    report.skipped > 0 ? `, ${report.skipped} skipped` : "",
    report.merged > 0 ? `, ${report.merged} line items merged` : "",
    credits > 0 ? `, ${credits} credit notes (${report.credits!.created} created, ${report.credits!.updated} updated)` : "",
  ].join("");
  const lines = [
    ...(report.kind === "invoices" ? columnMapping(report) : []),
    `${report.dryRun ? "Checked" : "Imported"} ${report.kind} from ${report.file}: ${report.rows} rows — ` +
      `${report.created} created, ${report.updated} updated, ${report.unchanged} unchanged, ${report.rejected.length} rejected${extra}`,
  ];
  for (const r of report.rejected) lines.push(`  line ${r.line}, column ${r.column}${r.value === "" ? "" : ` "${r.value}"`}: ${r.reason}`);
  if (report.closed && report.closed.length > 0) {
    lines.push(`  closed ${report.closed.length} open invoice(s) missing from this full export: ${report.closed.join(", ")}`);
  }
  if (report.dryRun) lines.push("Dry run: nothing was written.");
  return lines.join("\n");
}

export const importCommand: CliCommand = {
  name: "import",
  usage,
  summary: "apply an ERP/accounting CSV export (accounts, invoices or payments)",
  async run(args, ctx) {
    refuseAsOf(args, "import");
    const { values, positionals } = parseCommandArgs(
      args,
      { full: { type: "boolean" }, "dry-run": { type: "boolean" }, "date-format": { type: "string" }, json: { type: "boolean" } },
      usage,
    );
    const [kind, file, ...extra] = positionals;
    if (!kind || !(IMPORT_KINDS as readonly string[]).includes(kind)) {
      throw new UsageError(`import needs a kind: accounts, invoices or payments${kind ? ` (not "${kind}")` : ""}\nusage: ${usage}`);
    }
    if (!file) throw new UsageError(`import ${kind} needs the CSV file to read\nusage: ${usage}`);
    ctx.rejectExtra(extra, usage);
    const dateFormat = values["date-format"]?.toUpperCase();
    if (dateFormat !== undefined && dateFormat !== "DMY" && dateFormat !== "MDY") {
      throw new UsageError(`--date-format is DMY (20/11/2026) or MDY (11/20/2026), not "${values["date-format"]}"\nusage: ${usage}`);
    }
    if (values.full && kind !== "invoices") throw new UsageError(`--full applies to invoices only\nusage: ${usage}`);
    return ctx.withApp(USES, async (app) => {
      // The CSV reading and the import use cases load for an import only: 20 ms of any other command's start.
      const runImport: typeof RunImport = (require("../../run-import") as typeof import("../../run-import")).runImport;
      const bar = values.json ? progressBar({ ...ctx.io, errIsTty: false }, "") : progressBar(ctx.io, `import ${kind}`);
      const report = await runImport(app, kind as ImportKind, file, {
        dryRun: values["dry-run"],
        full: values.full,
        dateFormat,
        onProgress: bar.update,
        onWait: () => ctx.io.err(`another import is writing to this database; waiting for it to finish before importing ${file} (Ctrl-C stops waiting, nothing of this file is written yet)`),
        signal: ctx.io.signal,
      });
      bar.done();
      if (values.json) ctx.io.out(JSON.stringify(report));
      else {
        for (const warning of report.warnings) ctx.io.err(`warning: ${warning}`);
        ctx.io.out(summary(report));
      }
      return report.rejected.length > 0 ? EXIT.rejectedRows : EXIT.ok;
    });
  },
};
