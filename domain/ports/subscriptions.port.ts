import { Subscription } from "../model/subscription";

/** A channel's digest subscription, read by the subscribe use case, the digest job and the platforms. */
export interface SubscriptionReader {
  subscriptionOf(platform: string, channelId: string): Promise<Subscription | null>;
}

/** Every subscription of a platform (or all of them), for the digest job and escalations. */
export interface SubscriptionList extends SubscriptionReader {
  subscriptions(platform?: string): Promise<Subscription[]>;
}
