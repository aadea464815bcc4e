import { CliDatabase, freshCliDatabase, runArbot } from "../support/cli";
import { FakeSlack } from "../support/fake-slack";
import { startArbotServer } from "../support/arbot-server";
import { postActivity } from "../support/teams-harness";

/**
 * npm start with chat platforms configured in part or out of reach: the documented exit
 * statuses, one line naming what to fix, and never the shell opened instead.
 */
let db: CliDatabase;
beforeEach(async () => {
  db = await freshCliDatabase();
});
afterEach(() => db.cleanup());

test.each([
  ["SLACK_SIGNING_SECRET alone", { SLACK_SIGNING_SECRET: "secret" }, "SLACK_BOT_TOKEN: missing: SLACK_SIGNING_SECRET is set"],
  ["SLACK_APP_TOKEN alone", { SLACK_APP_TOKEN: "xapp-1-token" }, "SLACK_BOT_TOKEN: missing: SLACK_APP_TOKEN is set"],
  ["SLACK_BOT_TOKEN alone", { SLACK_BOT_TOKEN: "xoxb-token" }, "SLACK_SIGNING_SECRET: missing"],
  ["MicrosoftAppPassword alone", { MicrosoftAppPassword: "secret" }, "MicrosoftAppId: missing"],
  ["MicrosoftAppId alone", { MicrosoftAppId: "00000000-1111-2222-3333-444444444444" }, "MicrosoftAppPassword: missing"],
])("%s is a configuration error (78) naming the missing variable, not the shell", async (_, slack, message) => {
  const result = await runArbot(["start"], { env: { ...db.env, ...slack }, input: "help\nexit\n" });
  expect(result.status).toBe(78);
  expect(result.stderr.trim().split("\n")).toHaveLength(1);
  expect(result.stderr).toContain(message);
  expect(result.stdout).toBe("");
});

test("Slack out of reach at start exits 75 (not the database's 69), in one line saying what to check", async () => {
  const env = { ...db.env, SLACK_BOT_TOKEN: "xoxb-token", SLACK_SIGNING_SECRET: "secret", SLACK_API_URL: "http://127.0.0.1:9/api/", PORT: "0" };
  const result = await runArbot(["serve"], { env });
  expect(result.status).toBe(75);
  expect(result.stderr.trim().split("\n")).toHaveLength(1);
  expect(result.stderr).toContain("Slack did not answer auth.test");
  expect(result.stderr).toContain("SLACK_API_URL");
  const json = await runArbot(["digest", "--send", "--json"], { env });
  expect(json.status).toBe(75);
  expect(JSON.parse(json.stdout).error.code).toBe("chat_platform_unavailable");
}, 60_000);

test("a token Slack refuses is a configuration error (78) naming SLACK_BOT_TOKEN", async () => {
  const slack = new FakeSlack();
  await slack.start();
  try {
    slack.override("auth.test", () => ({ body: { ok: false, error: "invalid_auth" } }));
    const result = await runArbot(["serve"], { env: { ...db.env, SLACK_BOT_TOKEN: "xoxb-revoked", SLACK_SIGNING_SECRET: "secret", SLACK_API_URL: slack.url, PORT: "0" } });
    expect(result.status).toBe(78);
    expect(result.stderr.trim()).toBe("arbot: SLACK_BOT_TOKEN: Slack refused the token at auth.test (invalid_auth): check the bot token (xoxb-…)");
  } finally {
    await slack.stop();
  }
});

test("serve with no chat platform says which variables to set", async () => {
  const result = await runArbot(["serve"], { env: db.env });
  expect(result.status).toBe(78);
  expect(result.stderr).toContain("arbot serve needs one configured: set Slack (SLACK_BOT_TOKEN with SLACK_SIGNING_SECRET (HTTP) or SLACK_APP_TOKEN (Socket Mode))");
});

test("Slack and Teams at once serve both; with an app id, Teams requests without a Bot Framework token get 401", async () => {
  const slack = new FakeSlack();
  await slack.start();
  const server = await startArbotServer({ ...db.env, SLACK_API_URL: slack.url, MicrosoftAppId: "00000000-1111-2222-3333-444444444444", MicrosoftAppPassword: "secret" });
  try {
    expect(server.logs()).toMatch(/serving on port \d+: Slack over HTTP at POST \/slack\/events; Microsoft Teams at POST \/api\/messages; GET \/healthz/);
    expect(server.logs()).not.toContain("UNAUTHENTICATED");
    const activity = { type: "message", id: "1", channelId: "msteams", serviceUrl: "http://127.0.0.1:9/", text: "claim acme", from: { id: "29:x" }, recipient: { id: "28:bot" }, conversation: { id: "a:1" } };
    const answer = await postActivity(server.baseUrl, activity);
    expect(answer.status).toBe(401);
  } finally {
    await server.stop();
    await slack.stop();
  }
}, 60_000);
