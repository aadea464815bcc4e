import { z } from "zod";
import { isBusinessDate } from "../../domain/model/business-date";
import { FUNCTIONS } from "../../domain/model/team";
import type { FormMetadata } from "./render/modal-views";
import type { PageMetadata } from "./render/digest-blocks";
import type { HistoryButtonValue } from "./render/reply-blocks";
import type { SlackOrigin } from "./slack-bot";

/**
 * Slack payloads, parsed at the boundary: each field arbot reads is validated here once,
 * and the listeners see typed values (never `body as …`). Fields arbot does not read are
 * let through untouched.
 */

const id = z.string().min(1);
const optionalId = id.nullish().transform((v) => v ?? null);

/** The `/ar` slash command (form-encoded). */
export const ZSlashCommandSchema = z.object({
  user_id: id,
  team_id: optionalId,
  channel_id: optionalId,
  trigger_id: id,
  text: z.string().nullish().transform((v) => v ?? ""),
});
export type TSlashCommand = z.infer<typeof ZSlashCommandSchema>;

/** The envelope of every Events API callback. */
const ZEventEnvelopeSchema = z.object({
  event_id: id,
  team_id: optionalId,
  is_ext_shared_channel: z.boolean().nullish(),
});

/** @arbot in a channel. */
export const ZAppMentionSchema = z.object({
  envelope: ZEventEnvelopeSchema,
  event: z.object({ user: id, channel: id, text: z.string() }),
});

/** A direct message to arbot (the Messages tab): the person, the conversation and the text. */
export const ZDirectMessageSchema = z.object({
  envelope: ZEventEnvelopeSchema,
  event: z.object({
    channel_type: z.literal("im"),
    user: id,
    channel: id,
    text: z.string(),
    // Edits, joins and the bot's own posts carry a subtype or a bot id: not commands.
    subtype: z.undefined(),
    bot_id: z.undefined(),
  }),
});

/** App Home opened: only the Home tab is arbot's. */
export const ZAppHomeOpenedSchema = z.object({
  envelope: ZEventEnvelopeSchema,
  event: z.object({ user: id, tab: z.string() }),
});

/** A button click (block_actions), with the fields arbot reads. */
export const ZBlockActionSchema = z.object({
  body: z.object({
    trigger_id: id,
    user: z.object({ id, team_id: optionalId.optional() }),
    team: z.object({ id }).nullish(),
    channel: z.object({ id }).nullish(),
    container: z.object({ channel_id: id.optional(), message_ts: z.string().optional() }).nullish(),
    message: z.object({ ts: id }).nullish(),
    view: z.object({ id, hash: id, private_metadata: z.string().optional() }).nullish(),
  }),
  action: z.object({ value: z.string().optional() }),
});
export type TBlockAction = z.infer<typeof ZBlockActionSchema>;

/** A submitted modal: who, and the state of its inputs by block and action id. */
export const ZViewSubmissionSchema = z.object({
  body: z.object({ user: z.object({ id }), team: z.object({ id }).nullish() }),
  view: z.object({
    id,
    hash: id,
    private_metadata: z.string().optional(),
    state: z.object({
      values: z.record(z.record(z.object({ value: z.string().nullish(), selected_date: z.string().nullish() }).passthrough())),
    }),
  }),
});
export type TStateValues = z.infer<typeof ZViewSubmissionSchema>["view"]["state"]["values"];

/** JSON that arbot itself put in a button or a modal, read back: a bad one reads as absent. */
function fromJson<T extends z.ZodTypeAny>(schema: T, raw: string | undefined): z.infer<T> | null {
  if (!raw) return null;
  try {
    const parsed = schema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

const ZPageSchema = z.object({
  asOf: z.string().refine(isBusinessDate),
  scope: z.enum([...FUNCTIONS, "all"]).default("all"),
});

/** The "Show all" button's value or the paging modal's metadata: which digest, for whom. */
export function readPage(raw: string | undefined): Omit<PageMetadata, "offset"> | null {
  return fromJson(ZPageSchema, raw);
}

const ZHistorySchema = z.object({ account: z.string().min(1), page: z.number().int().positive() });

/** The account card's "More history" button: which account, which page of its timeline. */
export function readHistory(raw: string | undefined): HistoryButtonValue | null {
  return fromJson(ZHistorySchema, raw);
}

const ZFormMetadataSchema = z.object({
  account: z.string().optional(),
  accountName: z.string().optional(),
  query: z.string().optional(),
  channelId: z.string().optional(),
});

/** What a form was opened with (its private_metadata). */
export function readFormMetadata(raw: string | undefined): FormMetadata {
  return fromJson(ZFormMetadataSchema, raw) ?? {};
}

/** The origin of a click: who, where, and its trigger as the idempotency key. */
export function originOfAction(body: TBlockAction["body"]): SlackOrigin {
  return {
    userId: body.user.id,
    teamId: body.team?.id ?? body.user.team_id ?? null,
    channelId: body.channel?.id ?? body.container?.channel_id ?? null,
    triggerId: body.trigger_id,
    idempotencyKey: `slack:trigger:${body.trigger_id}`,
  };
}

/** A message of conversations.history: a digest carries its run id in its metadata. */
const ZDigestMessageSchema = z.object({
  ts: id,
  metadata: z.object({ event_type: z.string(), event_payload: z.object({ run_id: z.string() }).partial().passthrough() }),
});

/** The run id a posted digest carries, or null for any other message. */
export function digestRunOf(message: unknown, eventType: string): { ts: string; runId: string } | null {
  const parsed = ZDigestMessageSchema.safeParse(message);
  if (!parsed.success || parsed.data.metadata.event_type !== eventType || !parsed.data.metadata.event_payload.run_id) return null;
  return { ts: parsed.data.ts, runId: parsed.data.metadata.event_payload.run_id };
}

const ZChannelInfoSchema = z.object({
  channel: z.object({ is_ext_shared: z.boolean().optional(), is_pending_ext_shared: z.boolean().optional() }).passthrough().optional(),
});

/** conversations.info: shared with another organization, or invited to be. */
export function isSharedOutside(info: unknown): boolean {
  const channel = ZChannelInfoSchema.safeParse(info).data?.channel;
  return channel?.is_ext_shared === true || channel?.is_pending_ext_shared === true;
}

/** users.info's user, with what arbot reads: organization, guest flags, email and names. */
export const ZSlackUserSchema = z.object({
  id: z.string().nullish(),
  team_id: z.string().nullish(),
  is_restricted: z.boolean().nullish(),
  is_ultra_restricted: z.boolean().nullish(),
  is_stranger: z.boolean().nullish(),
  real_name: z.string().nullish(),
  profile: z.object({ email: z.string().nullish(), real_name: z.string().nullish(), display_name: z.string().nullish() }).nullish(),
  enterprise_user: z.object({ enterprise_id: z.string().nullish() }).nullish(),
});
export type TSlackUser = z.infer<typeof ZSlackUserSchema>;
