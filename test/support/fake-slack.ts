import http from "node:http";
import { AddressInfo } from "node:net";
import querystring from "node:querystring";

export interface SlackCall {
  method: string;
  args: Record<string, unknown>;
  token: string | null;
}

type Answer = { status?: number; headers?: Record<string, string>; body: Record<string, unknown>; delayMs?: number };
type Override = (args: Record<string, unknown>) => Answer | null;

/**
 * A Slack Web API on 127.0.0.1 for end-to-end tests (SLACK_API_URL): it parses requests as
 * @slack/web-api sends them (form-encoded, JSON-encoded blocks/view/metadata), records every
 * call and answers like Slack, including its errors when told to.
 */
export class FakeSlack {
  readonly calls: SlackCall[] = [];
  readonly responseUrlPosts: { path: string; body: unknown }[] = [];
  readonly users = new Map<string, Record<string, unknown>>();
  readonly channels = new Map<string, Record<string, unknown>>();
  readonly history = new Map<string, Record<string, unknown>[]>();
  private readonly overrides: { method: string; answer: Override }[] = [];
  private server: http.Server | null = null;
  private sequence = 1000;
  teamId = "T0G9PQBBK";

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/api/`;
  }

  get base(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  addUser(id: string, email: string | null, extra: Record<string, unknown> = {}): void {
    this.users.set(id, { id, team_id: this.teamId, name: email?.split("@")[0] ?? id, profile: { ...(email ? { email } : {}), display_name: id }, is_restricted: false, ...extra });
  }

  /** Answers `method` with `answer` while it returns one (null: answer normally). */
  override(method: string, answer: Override): void {
    this.overrides.push({ method, answer });
  }

  clearOverrides(): void {
    this.overrides.length = 0;
  }

  callsTo(method: string): SlackCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  reset(): void {
    this.calls.length = 0;
    this.responseUrlPosts.length = 0;
    this.history.clear();
    this.clearOverrides();
  }

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", () => resolve()));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const path = req.url ?? "/";
    if (path.startsWith("/response/")) {
      this.responseUrlPosts.push({ path, body: JSON.parse(raw || "{}") });
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
      return;
    }
    const method = path.replace(/^\/api\//, "").split("?")[0]!;
    const form = req.headers["content-type"]?.includes("json") ? (JSON.parse(raw || "{}") as Record<string, unknown>) : (querystring.parse(raw) as Record<string, unknown>);
    const args: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(form)) {
      args[key] = typeof value === "string" && /^[[{]/.test(value) ? safeJson(value) : value;
    }
    const auth = req.headers.authorization;
    this.calls.push({ method, args, token: auth ? auth.replace(/^Bearer /, "") : null });
    const answer = this.answer(method, args);
    if (answer.delayMs) await new Promise((r) => setTimeout(r, answer.delayMs));
    res.writeHead(answer.status ?? 200, { "content-type": "application/json; charset=utf-8", ...(answer.headers ?? {}) });
    res.end(JSON.stringify(answer.body));
  }

  private answer(method: string, args: Record<string, unknown>): Answer {
    for (const override of this.overrides) {
      if (override.method !== method) continue;
      const answer = override.answer(args);
      if (answer) return answer;
    }
    const ok = (body: Record<string, unknown> = {}) => ({ body: { ok: true, ...body } });
    const fail = (error: string) => ({ body: { ok: false, error } });
    const ts = () => `1700000000.${String(this.sequence++).padStart(6, "0")}`;
    switch (method) {
      case "auth.test":
        return ok({ url: "https://example.slack.com/", team: "Example", user: "arbot", team_id: this.teamId, user_id: "UBOT0001", bot_id: "BBOT0001" });
      case "users.info": {
        const user = this.users.get(String(args.user));
        return user ? ok({ user }) : fail("user_not_found");
      }
      case "users.lookupByEmail": {
        const user = [...this.users.values()].find((u) => (u.profile as { email?: string }).email === args.email);
        return user ? ok({ user }) : fail("users_not_found");
      }
      case "chat.postMessage": {
        const channel = String(args.channel);
        if (this.channels.get(channel)?.member === false) return fail("not_in_channel");
        if (this.channels.get(channel)?.missing === true) return fail("channel_not_found");
        const message = { ts: ts(), text: args.text, blocks: args.blocks, metadata: args.metadata, thread_ts: args.thread_ts };
        this.history.set(channel, [message, ...(this.history.get(channel) ?? [])]);
        return ok({ channel, ts: message.ts, message });
      }
      case "chat.postEphemeral":
        return ok({ message_ts: ts() });
      case "chat.update":
        return ok({ channel: args.channel, ts: args.ts, text: args.text });
      case "views.open":
      case "views.update":
      case "views.publish":
      case "views.push": {
        const n = this.sequence++;
        return ok({ view: { id: args.view_id ?? `V${n}`, hash: `hash${n}`, ...(args.view as object) } });
      }
      case "conversations.open":
        return ok({ channel: { id: `D${String(args.users)}` } });
      case "conversations.info": {
        const channel = this.channels.get(String(args.channel));
        return channel?.missing ? fail("channel_not_found") : ok({ channel: { id: args.channel, is_channel: true, is_ext_shared: false, ...(channel ?? {}) } });
      }
      case "conversations.history":
        return ok({ messages: this.history.get(String(args.channel)) ?? [], has_more: false });
      default:
        return ok();
    }
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
