import { eventually } from "../../support/arbot-server";
import { FakeSlackSocket } from "../../support/fake-slack-socket";
import { SlackHarness } from "../../support/slack-harness";
import { slashCommand } from "../../support/slack-payloads";

const APP_TOKEN = "xapp-1-A111-1-test";
const socket = new FakeSlackSocket();
const h = new SlackHarness();
const connectionUrl = () => ({ body: { ok: true, url: socket.url } });

beforeAll(async () => {
  await socket.start();
  h.slack.override("apps.connections.open", connectionUrl);
  // The app-level token instead of the signing secret: Socket Mode.
  await h.start({ env: { SLACK_APP_TOKEN: APP_TOKEN, SLACK_SIGNING_SECRET: "" } });
}, 120_000);
afterAll(async () => {
  await h.stop();
  await socket.stop();
});

/** /ar over the socket: resolves with the private answer once the envelope is acknowledged. */
async function command(text: string, user = "U0DANA"): Promise<string> {
  const since = h.slack.calls.length;
  const envelopeId = socket.push("slash_commands", slashCommand(text, { user_id: user }).fields);
  await eventually(() => socket.acks.some((ack) => ack.envelope_id === envelopeId));
  return h.answerTo(user, since);
}

test("/ar arrives over the socket, is acknowledged and answered through the Web API; /healthz still serves", async () => {
  expect(h.server.logs()).toContain("Slack in Socket Mode");
  expect(h.slack.callsTo("apps.connections.open")[0]!.token).toBe(APP_TOKEN);
  expect(await command("claim acme")).toBe("You now own Acme Corp for finance.");
  expect(await (await fetch(`${h.server.baseUrl}/healthz`)).json()).toEqual({ db: "ok" });
});

test("a Slack outage longer than the Web API's bounded retries does not end the connection for good", async () => {
  // The client waits 5 s before reconnecting; the outage outlasts that and the retries after it.
  const outageEnds = Date.now() + 12_000;
  h.slack.clearOverrides();
  h.slack.override("apps.connections.open", () => (Date.now() < outageEnds ? { status: 503, body: { ok: false, error: "service_unavailable" } } : null));
  h.slack.override("apps.connections.open", connectionUrl);
  const connectionsBefore = socket.connections;
  socket.dropAll();
  await eventually(() => socket.connections > connectionsBefore && socket.connected, 60_000);
  expect(h.slack.callsTo("apps.connections.open").length).toBeGreaterThan(3);
  expect(h.server.process.exitCode).toBeNull();
  expect(await command("note acme Back online after the outage")).toBe("Note added to Acme Corp.");
}, 90_000);
