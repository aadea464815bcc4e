import { DigestTarget } from "../model/delivery";

/**
 * Outbound chat in domain words. Slack renders Block Kit, Teams Adaptive Cards, the shell
 * text; the domain never sees either. Views are the chat-neutral models of bot/views.
 */
export interface Notifier<DigestViewT = unknown, EscalationViewT = unknown> {
  sendDigest(target: DigestTarget, view: DigestViewT): Promise<{ messageRef: string }>;
  pingOwner(user: UserRef, view: EscalationViewT): Promise<void>;
  askChannelToClaim(target: DigestTarget, view: EscalationViewT): Promise<void>;
}

export interface UserRef {
  userId: number;
  email: string | null;
  handle: string;
}
