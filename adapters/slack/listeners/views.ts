import type { App } from "@slack/bolt";
import { checkForm, FORM_OF_CALLBACK } from "../form-submissions";
import { readFormMetadata, ZViewSubmissionSchema } from "../payloads";
import { SlackBot } from "../slack-bot";
import { CALLBACKS, FIELDS } from "../slack-ids";
import { isTeamFunction } from "../../../domain/model/team";

/** Section 9: the checks before the acknowledgement get 2 s of Slack's 3. */
const CHECK_BUDGET_MS = 2000;

export function withinBudget<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`not checked within ${ms} ms`)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/**
 * Form submissions: checked before the acknowledgement so field errors travel in it
 * (`response_action: "errors"`); saved after it, keyed by view id + hash so a resubmitted
 * view changes nothing. A failure after the ack reaches the person privately.
 */
export function registerViews(app: App, bot: SlackBot): void {
  // The paging modal has no submit button; a submission (keyboard) just closes it.
  app.view(CALLBACKS.digestPages, async ({ ack }) => {
    await ack();
  });

  // Reassign: the function and the new owner's email; who may and who can own is the use case's answer.
  app.view(CALLBACKS.reassignModal, async ({ ack, body, view }) => {
    const parsed = bot.parse(ZViewSubmissionSchema, { body, view }, CALLBACKS.reassignModal);
    if (!parsed) {
      await ack();
      return;
    }
    const values = parsed.view.state.values as Record<string, Record<string, { value?: string | null; selected_option?: { value?: string } | null }>>;
    const email = (values[FIELDS.ownerEmail]?.[FIELDS.ownerEmail]?.value ?? "").trim();
    const fn = values[FIELDS.function]?.[FIELDS.function]?.selected_option?.value ?? "";
    const metadata = readFormMetadata(parsed.view.private_metadata);
    if (!/^[^\s@]+@[^\s@]+$/.test(email) || !isTeamFunction(fn) || !metadata.account) {
      await ack({ response_action: "errors", errors: { [FIELDS.ownerEmail]: "Give the new owner's email, like lee@example.com." } });
      return;
    }
    await ack();
    const origin = {
      userId: parsed.body.user.id,
      teamId: parsed.body.team?.id ?? null,
      channelId: metadata.channelId ?? null,
      triggerId: null,
      idempotencyKey: `slack:view:${parsed.view.id}:${parsed.view.hash}`,
    };
    await bot.safely("reassign form", origin, () => bot.runCommand(origin, { kind: "reassign", query: metadata.account!, function: fn, email }));
  });

  for (const [callbackId, form] of Object.entries(FORM_OF_CALLBACK)) {
    app.view(callbackId, async ({ ack, body, view }) => {
      const parsed = bot.parse(ZViewSubmissionSchema, { body, view }, callbackId);
      if (!parsed) {
        await ack();
        return;
      }
      const { services } = bot;
      const metadata = readFormMetadata(parsed.view.private_metadata);
      let check: Awaited<ReturnType<typeof checkForm>>;
      try {
        check = await withinBudget(checkForm(form, metadata, parsed.view.state.values, services.uow, services.clock.today()), CHECK_BUDGET_MS);
      } catch (error) {
        // The form stays open with what the person typed: nothing is lost by asking again.
        bot.log(`slack ${form} form check failed (user ${parsed.body.user.id}): ${(error as Error).message}`);
        const first = form === "dispute" ? FIELDS.invoice : metadata.account ? (form === "note" ? FIELDS.noteText : form === "snooze" ? FIELDS.date : FIELDS.amount) : FIELDS.account;
        await ack({ response_action: "errors", errors: { [first]: "arbot could not check this right now; press Save again in a moment." } });
        return;
      }
      if ("errors" in check) {
        await ack({ response_action: "errors", errors: check.errors });
        return;
      }
      await ack();
      const origin = {
        userId: parsed.body.user.id,
        teamId: parsed.body.team?.id ?? null,
        channelId: metadata.channelId ?? null,
        triggerId: null,
        idempotencyKey: `slack:view:${parsed.view.id}:${parsed.view.hash}`,
      };
      await bot.safely(`${form} form`, origin, () => bot.runCommand(origin, check.command));
    });
  }
}
