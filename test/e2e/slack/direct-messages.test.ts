import { SlackHarness } from "../../support/slack-harness";

/** The Messages tab: what people write to arbot directly is the grammar, as after /ar. */
const h = new SlackHarness();
beforeAll(() => h.start(), 120_000);
afterAll(() => h.stop());

/** arbot's answer in the direct conversation after `since`. */
async function answerIn(channel: string, since: number): Promise<string> {
  const call = await h.waitFor("chat.postMessage", (c) => c.args.channel === channel, since);
  return String(call.args.text);
}

test("a command written to arbot is answered in that conversation; the channel hears nothing of it", async () => {
  const before = h.slack.calls.length;
  const sent = await h.message("claim acme");
  expect(sent.response.status).toBe(200);
  expect(await answerIn("DU0DANA", before)).toBe("You now own Acme Corp for finance.");
  // No announcement: a direct message is nobody else's business.
  const posts = (await h.quietAfter(before)).filter((c) => c.method === "chat.postMessage");
  expect(posts.map((c) => c.args.channel)).toEqual(["DU0DANA"]);

  // Slack retrying the same event changes nothing and answers nothing.
  const retried = h.slack.calls.length;
  await h.post(sent.body, "json", { headers: { "X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout" } });
  expect(await h.quietAfter(retried)).toEqual([]);
});

test("every command speaks the same grammar and refusals as /ar, mentions of arbot included", async () => {
  let before = h.slack.calls.length;
  await h.message("help");
  expect(await answerIn("DU0DANA", before)).toContain("arbot commands");
  before = h.slack.calls.length;
  await h.message("<@UBOT0001> account acme", "U0LEE");
  const card = await h.waitFor("chat.postMessage", (c) => c.args.channel === "DU0LEE", before);
  expect(JSON.stringify(card.args.blocks)).toContain("Acme Corp (ACME)");

  before = h.slack.calls.length;
  await h.message("subscribe finance");
  expect(await answerIn("DU0DANA", before)).toBe("Run /ar subscribe in the channel that should get the digest.");

  before = h.slack.calls.length;
  await h.message("claim");
  expect(await answerIn("DU0DANA", before)).toContain("Say which account.");
}, 60_000);

test("arbot's own posts and messages in channels are not commands", async () => {
  const before = h.slack.calls.length;
  await h.message("You now own Acme Corp for finance.", "UBOT0001", { botId: "B0ARBOT" });
  await h.message("claim globex", "U0DANA", { channelId: "C0FINANCE", channelType: "channel" });
  expect(await h.quietAfter(before)).toEqual([]);
});
