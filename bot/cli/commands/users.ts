import { isRole, isTeamFunction, Role, TeamFunction } from "../../../domain/model/team";
import { setFunctionLead } from "../../../domain/usecases/set-function-lead";
import { describeRoleChange, setUserRole } from "../../../domain/usecases/set-user-role";
import { commandContext } from "../../commands/dispatch";
import { localAdmin } from "../../local-admin";
import { OrganizationVariable } from "../../config";
import { App } from "../../main";
import { parseCommandArgs, refuseAsOf } from "../args";
import { UsageError } from "../cli-errors";
import { CliCommand } from "../command";

/** The local admin is resolved as any user is: first administrators and the default role. */
const USES: OrganizationVariable[] = ["AR_TIMEZONE", "AR_ADMINS", "AR_DEFAULT_ROLE"];

const usage = "arbot users [--json] | arbot users set-role EMAIL ROLE | arbot users set-lead FUNCTION EMAIL";

async function listUsers(app: App, json: boolean): Promise<string> {
  const [users, leads] = await Promise.all([app.uow.read((ws) => ws.users.listUsers()), app.uow.read((ws) => ws.users.leads())]);
  const leadOf = (id: number) => (Object.entries(leads) as [TeamFunction, { id: number }][]).filter(([, u]) => u.id === id).map(([fn]) => fn);
  const rows = users.map((u) => ({
    handle: u.handle,
    email: u.email,
    displayName: u.displayName,
    role: u.role,
    leadOf: leadOf(u.id),
    identities: u.identities.map((i) => `${i.platform}:${i.platformUserId}`),
  }));
  if (json) return JSON.stringify({ users: rows });
  if (rows.length === 0) return "No users yet: they appear when they first use arbot, or with an accounts import.";
  const table = [
    ["EMAIL OR HANDLE", "NAME", "ROLE", "LEAD OF", "CHAT IDENTITIES"],
    ...rows.map((r) => [r.email ?? r.handle, r.displayName ?? "—", r.role, r.leadOf.join(", ") || "—", r.identities.join(", ") || "—"]),
  ];
  const widths = table[0]!.map((_, column) => Math.max(...table.map((row) => row[column]!.length)));
  return table.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join("  ")).join("\n");
}

async function setRole(app: App, email: string, role: Role): Promise<string> {
  const actor = await localAdmin(app, "cli");
  const result = await setUserRole(commandContext(app.services, actor), { target: { email }, role });
  if (result.duplicate) return "Already done.";
  return describeRoleChange(result.value, role);
}

async function setLead(app: App, fn: TeamFunction, email: string): Promise<string> {
  const actor = await localAdmin(app, "cli");
  await setFunctionLead(commandContext(app.services, actor), { function: fn, email });
  return `${email} is now the ${fn} lead: escalations go to them after the owners.`;
}

export const usersCommand: CliCommand = {
  name: "users",
  usage,
  summary: "list users and roles, set a role, set the lead of a function",
  async run(args, ctx) {
    refuseAsOf(args, "users");
    const { values, positionals } = parseCommandArgs(args, { json: { type: "boolean" } }, usage);
    const [sub, a, b, ...extra] = positionals;
    ctx.rejectExtra(extra, usage);
    if (!sub) return ctx.withApp(USES, async (app) => (ctx.io.out(await listUsers(app, Boolean(values.json))), 0));
    if (sub === "set-role") {
      const role = b?.toLowerCase();
      if (!a || !a.includes("@")) throw new UsageError(`set-role needs the person's email\nusage: ${usage}`);
      if (!role || !isRole(role)) throw new UsageError(`set-role needs a role: viewer, finance, sales, cs or admin\nusage: ${usage}`);
      return ctx.withApp(USES, async (app) => (ctx.io.out(await setRole(app, a.toLowerCase(), role)), 0));
    }
    if (sub === "set-lead") {
      const fn = a?.toLowerCase();
      if (!fn || !isTeamFunction(fn)) throw new UsageError(`set-lead needs a function: finance, sales or cs\nusage: ${usage}`);
      if (!b || !b.includes("@")) throw new UsageError(`set-lead needs the lead's email\nusage: ${usage}`);
      return ctx.withApp(USES, async (app) => (ctx.io.out(await setLead(app, fn, b.toLowerCase())), 0));
    }
    throw new UsageError(`unknown users subcommand "${sub}"\nusage: ${usage}`);
  },
};
