import { actorLabel } from "../model/actor";
import { AppError } from "../model/app-error";
import { TeamFunction } from "../model/team";
import { ensureAllowed } from "../policies/permissions";
import { Idempotent, UserRecord } from "../ports/workspace.port";
import { CommandContext, recordChange } from "./command-context";

/** The lead of a function receives escalations after the owners. Admins set it. */
export async function setFunctionLead(ctx: CommandContext, input: { function: TeamFunction; email: string }): Promise<Idempotent<{ lead: UserRecord; previous: string | null }>> {
  ensureAllowed(ctx.actor, "manage_users");
  const email = input.email.toLowerCase();
  const fn = input.function;
  return ctx.uow.run(ctx.idempotencyKey, async (ws) => {
    const lead = (await ws.users.findByEmail(email)) ?? (await ws.users.createUser({ handle: email, email, displayName: null, role: fn }));
    if (lead.role !== fn && lead.role !== "admin") {
      throw new AppError("CONFLICT", `${email} has the ${lead.role} role; a ${fn} lead must be ${fn} or admin (arbot users set-role ${email} ${fn}).`);
    }
    const current = (await ws.users.leads())[fn];
    const previous = current ? actorLabel(current) : null;
    if (current?.id !== lead.id) {
      await ws.users.setLead(fn, lead.id);
      await recordChange(ws, ctx, null, "lead_set", { subject: fn, before: previous ? { lead: previous } : null, after: { lead: actorLabel(lead) } });
    }
    return { lead, previous };
  });
}
