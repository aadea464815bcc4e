import { slackPlatform } from "../../../adapters/slack/slack-platform";
import { BusinessDate } from "../../../domain/model/business-date";
import { Digest } from "../../../domain/usecases/prepare-digest";
import { DigestSource } from "../../../bot/digest-cache";
import { ChatPlatform } from "../../../bot/platform/chat-platform";
import { RunningServer, startServer } from "../../../bot/server";
import { runImport } from "../../../bot/run-import";
import { csv, writeCsv } from "../../support/csv-files";
import { FakeSlack } from "../../support/fake-slack";
import { slashCommand } from "../../support/slack-payloads";
import { postToSlackEndpoint, SIGNING_SECRET } from "../../support/slack-requests";
import { eventually } from "../../support/arbot-server";
import { useTestApp } from "../../support/test-app";

/**
 * Slack shows the person an error and retries when a request is not acknowledged within
 * 3 s, so whatever a digest costs must come after the acknowledgement. The digest here
 * waits on a gate the test opens, so "the ack arrived while the digest was computing" is
 * an order of events, not a stopwatch.
 */
const t = useTestApp("2026-11-20T12:00:00Z");
const slack = new FakeSlack();
let server: RunningServer;
let platform: ChatPlatform;

/** A digest that starts computing when asked and finishes only when the test says so. */
class GatedDigests implements DigestSource {
  private open!: () => void;
  private readonly gate = new Promise<void>((resolve) => (this.open = resolve));
  private entered!: () => void;
  /** Resolves once a digest computation has begun (and is held at the gate). */
  readonly started = new Promise<void>((resolve) => (this.entered = resolve));
  released = false;

  constructor(private readonly inner: DigestSource) {}

  async digest(asOf: BusinessDate): Promise<Digest> {
    this.entered();
    await this.gate;
    return this.inner.digest(asOf);
  }

  release(): void {
    this.released = true;
    this.open();
  }
}

let digests: GatedDigests;

beforeAll(async () => {
  await slack.start();
  slack.addUser("U0DANA", "dana@example.com");
}, 60_000);

beforeEach(async () => {
  slack.reset();
  await runImport(
    t.app,
    "invoices",
    writeCsv("ack.csv", csv("customer_id,customer,invoice_number,issue_date,due_date,amount", "ACME,Acme Corp,A-1,2026-07-01,2026-07-31,9000.00")),
  );
  digests = new GatedDigests(t.app.digests);
  const config = slackPlatform.load({ SLACK_BOT_TOKEN: "xoxb-test-token", SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.url })!;
  platform = await slackPlatform.connect(config, { services: { ...t.app.services, digests }, directory: t.app.directory, conversations: t.app.conversations, userPolicy: t.app.users, log: () => {} });
  server = await startServer(t.app, { port: 0, platforms: [platform], log: () => {}, scheduler: false });
}, 60_000);

afterEach(async () => {
  digests.release();
  await server?.close();
});

afterAll(() => slack.stop());

test("/ar digest is acknowledged while its digest is still computing, and answered once it is done", async () => {
  const request = slashCommand("digest", { user_id: "U0DANA", responseBase: `${slack.base}/response` });
  const acknowledged = postToSlackEndpoint(`http://127.0.0.1:${server.port}`, request.body, "form");

  // The digest is being computed and cannot finish: the acknowledgement must still come.
  await digests.started;
  const ack = await acknowledged;
  expect(digests.released).toBe(false);
  expect(ack.status).toBe(200);
  expect(slack.callsTo("chat.postEphemeral")).toEqual([]);
  expect(slack.responseUrlPosts).toEqual([]);

  digests.release();
  const reply = await eventually(() => slack.callsTo("chat.postEphemeral").find((c) => c.args.user === "U0DANA"));
  expect(String(reply.args.text)).toMatch(/^Overdue digest — 20 Nov 2026/);
  expect(JSON.stringify(reply.args.blocks)).toContain("Acme Corp");
}, 60_000);
