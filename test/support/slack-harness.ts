import { CliDatabase, freshCliDatabase, runArbot } from "./cli";
import { FakeSlack, SlackCall } from "./fake-slack";
import { ArbotServer, eventually, startArbotServer } from "./arbot-server";
import { postToSlackEndpoint, SignedPostOptions, SIGNING_SECRET } from "./slack-requests";
import { appMention, blockAction, BlockActionOptions, directMessage, eventCallback, slashCommand, viewSubmission, ViewSubmissionOptions } from "./slack-payloads";

export const NOW = "2026-11-20T10:00:00Z"; // a Friday

/** People of the fake workspace, by Slack id. */
export const PEOPLE: Record<string, { email: string | null; extra?: Record<string, unknown> }> = {
  U0DANA: { email: "dana@example.com" },
  U0LEE: { email: "lee@example.com" },
  U0SAM: { email: "sam@example.com" },
  U0BOSS: { email: "boss@example.com" },
  U0GUEST: { email: "guest@partner.com", extra: { is_restricted: true } },
  U0EXT: { email: "someone@other.org", extra: { team_id: "T0OTHERORG" } },
};

/**
 * A real `arbot serve` process on a fresh database with the demo portfolio, a fake Slack
 * Web API, and helpers that send requests exactly as Slack does.
 */
export class SlackHarness {
  db!: CliDatabase;
  slack = new FakeSlack();
  server!: ArbotServer;
  env: Record<string, string> = {};

  async start(options: { beforeServe?: (env: Record<string, string>) => Promise<void>; env?: Record<string, string> } = {}): Promise<void> {
    this.db = await freshCliDatabase();
    await this.slack.start();
    for (const [id, person] of Object.entries(PEOPLE)) this.slack.addUser(id, person.email, person.extra);
    this.env = { ...this.db.env, ARBOT_NOW: NOW, SLACK_BOT_TOKEN: "xoxb-test-token", SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: this.slack.url, AR_ADMINS: "boss@example.com", AR_TIMEZONE: "UTC", ...(options.env ?? {}) };
    const seeded = await runArbot(["seed", "--demo"], { env: this.env });
    if (seeded.status !== 0) throw new Error(seeded.stderr);
    await options.beforeServe?.(this.env);
    this.server = await startArbotServer(this.env);
  }

  async restart(between?: () => Promise<void>): Promise<void> {
    await this.server.stop();
    await between?.();
    this.server = await startArbotServer(this.env);
  }

  async stop(): Promise<void> {
    await this.server?.stop();
    await this.slack.stop();
    await this.db?.cleanup();
  }

  post(body: string, type: "form" | "json", options: SignedPostOptions = {}) {
    return postToSlackEndpoint(this.server.baseUrl, body, type, options);
  }

  /** /ar <text> as someone; resolves once the bot has answered the person. */
  async command(text: string, user = "U0DANA", overrides: Parameters<typeof slashCommand>[1] = {}) {
    const before = this.slack.calls.length;
    const request = slashCommand(text, { user_id: user, responseBase: `${this.slack.base}/response`, ...overrides });
    const response = await this.post(request.body, "form");
    return { response, request, replies: () => this.callsSince(before) };
  }

  async mention(text: string, user = "U0DANA", options: { eventId?: string; headers?: Record<string, string>; channelId?: string } = {}) {
    const before = this.slack.calls.length;
    const event = eventCallback(appMention(text, { userId: user, channelId: options.channelId }), { eventId: options.eventId });
    const response = await this.post(event.body, "json", { headers: options.headers });
    return { response, eventId: event.eventId, body: event.body, replies: () => this.callsSince(before) };
  }

  /** A message sent to arbot in its Messages tab (or, with options, a message it must ignore). */
  async message(text: string, user = "U0DANA", options: Parameters<typeof directMessage>[1] & { eventId?: string } = {}) {
    const before = this.slack.calls.length;
    const event = eventCallback(directMessage(text, { userId: user, ...options }), { eventId: options.eventId });
    const response = await this.post(event.body, "json");
    return { response, eventId: event.eventId, body: event.body, replies: () => this.callsSince(before) };
  }

  async click(options: BlockActionOptions) {
    const before = this.slack.calls.length;
    const action = blockAction(options);
    const response = await this.post(action.body, "form");
    return { response, payload: action.payload, body: action.body, replies: () => this.callsSince(before) };
  }

  async submit(options: ViewSubmissionOptions) {
    const before = this.slack.calls.length;
    const submission = viewSubmission(options);
    const response = await this.post(submission.body, "form");
    return { response, body: submission.body, replies: () => this.callsSince(before) };
  }

  callsSince(index: number): SlackCall[] {
    return this.slack.calls.slice(index);
  }

  /** The first call to a method after `index` that matches, waiting for the bot. */
  waitFor(method: string, predicate: (call: SlackCall) => boolean = () => true, since = 0): Promise<SlackCall> {
    return eventually(() => this.slack.calls.slice(since).find((c) => c.method === method && predicate(c)));
  }

  /** The text of the private answer to a person after `since`. */
  async answerTo(user: string, since: number): Promise<string> {
    const call = await this.waitFor("chat.postEphemeral", (c) => c.args.user === user, since);
    return String(call.args.text);
  }

  /** Gives the server a moment and returns what it posted since `index` (for "posts nothing"). */
  async quietAfter(index: number, ms = 800): Promise<SlackCall[]> {
    await new Promise((r) => setTimeout(r, ms));
    return this.callsSince(index).filter((c) => c.method !== "users.info" && c.method !== "users.lookupByEmail");
  }
}

export function blocksText(call: SlackCall): string {
  return JSON.stringify(call.args.blocks ?? call.args.view ?? "");
}
