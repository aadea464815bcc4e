import http from "node:http";
import { CliDatabase, freshCliDatabase, runArbot } from "./cli";
import { ArbotServer, eventually, startArbotServer } from "./arbot-server";
import { FakeTeamsConnector, ConnectorCall, TeamsMember } from "./fake-teams-connector";
import { Activity, TENANT, TeamsUser } from "./teams-activities";

export const NOW = "2026-11-20T10:00:00Z"; // a Friday

/** People of the fake tenant: their Teams id, Entra object id and what the member lookup answers. */
export const TEAMS_PEOPLE: Record<string, TeamsMember> = {
  dana: { id: "29:dana", aadObjectId: "aad-dana", name: "Dana Whitfield", email: "dana@example.com", tenantId: TENANT },
  lee: { id: "29:lee", aadObjectId: "aad-lee", name: "Lee Okafor", userPrincipalName: "lee@example.com", tenantId: TENANT },
  sam: { id: "29:sam", aadObjectId: "aad-sam", name: "Sam Reyes", email: "sam@example.com", tenantId: TENANT },
  boss: { id: "29:boss", aadObjectId: "aad-boss", name: "The Boss", email: "boss@example.com", tenantId: TENANT },
  ada: { id: "29:ada", aadObjectId: "aad-ada", name: "Ada Admin", email: "ada@example.com", tenantId: TENANT },
  newbie: { id: "29:newbie", aadObjectId: "aad-newbie", name: "New Person", email: "newbie@example.com", tenantId: TENANT },
};

export const user = (name: keyof typeof TEAMS_PEOPLE): TeamsUser => {
  const m = TEAMS_PEOPLE[name]!;
  return { id: m.id, aadObjectId: m.aadObjectId, name: m.name };
};

export interface BotAnswer {
  status: number;
  body: unknown;
}

/** POSTs an activity to the bot on a new connection each time (the server closes idle sockets). */
export function postActivity(baseUrl: string, activity: Activity | Record<string, unknown>): Promise<BotAnswer> {
  const data = Buffer.from(JSON.stringify(activity));
  return new Promise((resolve, reject) => {
    const req = http.request(`${baseUrl}/api/messages`, { method: "POST", agent: false, headers: { "content-type": "application/json", "content-length": data.length } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let body: unknown = text;
        try {
          body = text ? JSON.parse(text) : null;
        } catch {
          body = text;
        }
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    req.on("error", reject);
    req.end(data);
  });
}

/** A real `arbot serve` with Teams only (TEAMS_ALLOW_UNAUTHENTICATED=1), the demo portfolio, and a fake Bot Connector. */
export class TeamsHarness {
  db!: CliDatabase;
  connector = new FakeTeamsConnector();
  server!: ArbotServer;
  env: Record<string, string> = {};

  async start(options: { env?: Record<string, string>; beforeServe?: (env: Record<string, string>) => Promise<void> } = {}): Promise<void> {
    this.db = await freshCliDatabase();
    await this.connector.start();
    for (const member of Object.values(TEAMS_PEOPLE)) this.connector.addMember(member);
    this.env = {
      ...this.db.env,
      ARBOT_NOW: NOW,
      SLACK_BOT_TOKEN: "",
      SLACK_SIGNING_SECRET: "",
      TEAMS_ALLOW_UNAUTHENTICATED: "1",
      AR_ADMINS: "boss@example.com,ada@example.com",
      AR_TIMEZONE: "UTC",
      ...(options.env ?? {}),
    };
    const seeded = await runArbot(["seed", "--demo"], { env: this.env });
    if (seeded.status !== 0) throw new Error(seeded.stderr);
    await options.beforeServe?.(this.env);
    this.server = await startArbotServer(this.env);
  }

  async restart(): Promise<void> {
    await this.server.stop();
    this.server = await startArbotServer(this.env);
  }

  async stop(): Promise<void> {
    await this.server?.stop();
    await this.connector.stop();
    await this.db?.cleanup();
  }

  get serviceUrl(): string {
    return this.connector.url;
  }

  post(activity: Activity): Promise<BotAnswer> {
    return postActivity(this.server.baseUrl, activity);
  }

  /** Posts an activity; resolves with the HTTP answer and the Connector calls the turn made (the turn ends before the answer). */
  async send(activity: Activity): Promise<BotAnswer & { calls: ConnectorCall[] }> {
    const before = this.connector.calls.length;
    const answer = await this.post(activity);
    return { ...answer, calls: this.connector.calls.slice(before).filter((c) => c.kind !== "member") };
  }

  waitFor(predicate: (call: ConnectorCall) => boolean, since = 0): Promise<ConnectorCall> {
    return eventually(() => this.connector.calls.slice(since).find(predicate));
  }
}

/** The Adaptive Card of a posted activity. */
export function cardOf(call: ConnectorCall): Record<string, unknown> {
  const attachments = call.body.attachments as { contentType: string; content: Record<string, unknown> }[] | undefined;
  const attachment = attachments?.find((a) => a.contentType === "application/vnd.microsoft.card.adaptive");
  if (!attachment) throw new Error(`no Adaptive Card in ${JSON.stringify(call.body).slice(0, 300)}`);
  return attachment.content;
}

/** Everything a card says, for assertions on its words. */
export function cardText(value: unknown): string {
  return JSON.stringify(value);
}

/** Every action of a card (nested in containers and show-cards), flat. */
export function actionsOf(value: unknown): Record<string, unknown>[] {
  const found: Record<string, unknown>[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === "object") {
      const o = node as Record<string, unknown>;
      if (typeof o.type === "string" && o.type.startsWith("Action.")) found.push(o);
      Object.values(o).forEach(walk);
    }
  };
  walk(value);
  return found;
}
