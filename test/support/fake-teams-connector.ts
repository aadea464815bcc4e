import http from "node:http";
import { AddressInfo } from "node:net";

/** One request the bot made to the Bot Connector. */
export interface ConnectorCall {
  method: string;
  /** The path without the leading `/v3/`: `conversations/{id}/activities/{replyTo}`… (decoded). */
  path: string;
  /** The conversation id of a conversation route (decoded). */
  conversationId: string | null;
  /** POST …/activities/{id} (a reply) or PUT …/activities/{id} (an update): that id. */
  activityId: string | null;
  kind: "createConversation" | "send" | "reply" | "update" | "member" | "other";
  body: Record<string, unknown>;
  bytes: number;
  /** The id the fake gave a posted activity (what the bot later sees as `replyToId`). */
  responseId?: string;
  authorization: string | null;
}

export interface TeamsMember {
  id: string;
  aadObjectId: string;
  name: string;
  email?: string;
  userPrincipalName?: string;
  userRole?: string;
  tenantId?: string;
}

/** An answer forced by a test: a status and a body, or null for the normal answer. */
export type ConnectorOverride = (call: ConnectorCall) => { status: number; body?: unknown; delayMs?: number } | null;

/**
 * A fake Bot Connector on 127.0.0.1, shaped after the recorded Connector exchanges
 * (../shared/fixtures/teams): it records createConversation, send, reply and update calls,
 * answers member lookups, and answers 413 MessageSizeTooBig above `sizeLimit` bytes.
 */
export class FakeTeamsConnector {
  readonly calls: ConnectorCall[] = [];
  readonly members = new Map<string, TeamsMember>();
  sizeLimit = Infinity;
  private overrides: ConnectorOverride[] = [];
  private server: http.Server | null = null;
  private next = 1;
  url = "";

  addMember(member: TeamsMember): void {
    this.members.set(member.id, member);
    this.members.set(member.aadObjectId, member);
  }

  override(rule: ConnectorOverride): void {
    this.overrides.push(rule);
  }

  clearOverrides(): void {
    this.overrides = [];
  }

  /** Messages posted (send or reply), optionally in one conversation (a channel's thread ids count as the channel). */
  posts(conversationId?: string): ConnectorCall[] {
    return this.calls.filter((c) => (c.kind === "send" || c.kind === "reply") && (conversationId === undefined || c.conversationId?.split(";")[0] === conversationId));
  }

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => this.handle(req, Buffer.concat(chunks), res));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/`;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server!.close(resolve));
  }

  private handle(req: http.IncomingMessage, raw: Buffer, res: http.ServerResponse): void {
    const url = new URL(req.url ?? "/", "http://localhost");
    const parts = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
    let body: Record<string, unknown> = {};
    try {
      body = raw.length > 0 ? (JSON.parse(raw.toString("utf8")) as Record<string, unknown>) : {};
    } catch {
      body = {};
    }
    const [v3, conversations, conversationId, sub, subId] = parts;
    let kind: ConnectorCall["kind"] = "other";
    if (v3 === "v3" && conversations === "conversations") {
      if (req.method === "POST" && parts.length === 2) kind = "createConversation";
      else if (req.method === "POST" && sub === "activities" && parts.length === 4) kind = "send";
      else if (req.method === "POST" && sub === "activities" && parts.length === 5) kind = "reply";
      else if (req.method === "PUT" && sub === "activities") kind = "update";
      else if (req.method === "GET" && sub === "members" && subId) kind = "member";
    }
    const call: ConnectorCall = {
      method: req.method ?? "GET",
      path: parts.slice(1).join("/"),
      conversationId: conversationId ?? null,
      activityId: kind === "reply" || kind === "update" ? (subId ?? null) : null,
      kind,
      body,
      bytes: raw.length,
      authorization: (req.headers.authorization as string | undefined) ?? null,
    };
    // Typing indicators are noise: accepted, not recorded.
    if (body.type !== "typing") this.calls.push(call);
    const send = (status: number, payload: unknown) => {
      res.writeHead(status, { "content-type": "application/json", connection: "close" });
      res.end(JSON.stringify(payload));
    };
    for (const rule of this.overrides) {
      const forced = rule(call);
      if (forced) {
        if (forced.status === 200 && (kind === "send" || kind === "reply")) call.responseId = `1700000000${String(this.next++).padStart(3, "0")}`;
        const payload = forced.status === 200 && call.responseId ? { id: call.responseId, ...(forced.body as object) } : (forced.body ?? {});
        // A delayed answer dies with its connection (a killed client), so no timer outlives the test.
        const timer = setTimeout(() => send(forced.status, payload), forced.delayMs ?? 0);
        res.once("close", () => clearTimeout(timer));
        return;
      }
    }
    switch (kind) {
      case "createConversation":
        return send(200, { id: `a:dm-${this.next++}`, activityId: `dm-activity-${this.next++}` });
      case "send":
      case "reply":
        if (raw.length > this.sizeLimit) return send(413, { error: { code: "MessageSizeTooBig", message: "Message size too big" } });
        call.responseId = `1700000000${String(this.next++).padStart(3, "0")}`;
        return send(200, { id: call.responseId });
      case "update":
        return send(200, { id: call.activityId });
      case "member": {
        const member = this.members.get(subId!);
        if (!member) return send(404, { error: { code: "MemberNotFound", message: "The member was not found" } });
        return send(200, member);
      }
      default:
        return send(404, { error: { code: "BadArgument", message: `no route ${req.method} ${url.pathname}` } });
    }
  }
}
