import { eventually } from "../../support/arbot-server";
import { runArbot } from "../../support/cli";
import { csv, writeCsv } from "../../support/csv-files";
import { blocksText, SlackHarness } from "../../support/slack-harness";
import { slashCommand } from "../../support/slack-payloads";
import { slackSignature, SIGNING_SECRET } from "../../support/slack-requests";

const h = new SlackHarness();
beforeAll(() => h.start(), 120_000);
afterAll(() => h.stop());

describe("request signing (Bolt's verification stays on)", () => {
  test("a forged signature gets 401 and changes nothing", async () => {
    const before = h.slack.calls.length;
    const forged = slashCommand("claim acme", { user_id: "U0LEE" });
    const response = await h.post(forged.body, "form", { signature: slackSignature("not-the-secret", Math.floor(Date.now() / 1000), forged.body) });
    expect(response.status).toBe(401);
    expect(await h.quietAfter(before)).toEqual([]);
  });

  test("a timestamp older than 5 minutes gets 401, even correctly signed", async () => {
    const before = h.slack.calls.length;
    const stale = slashCommand("claim acme", { user_id: "U0LEE" });
    const response = await h.post(stale.body, "form", { timestamp: Math.floor(Date.now() / 1000) - 301 });
    expect(response.status).toBe(401);
    expect(await h.quietAfter(before)).toEqual([]);
  });

  test("the Slack docs' signing vector signs as Slack does", () => {
    const body =
      "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
    expect(slackSignature(SIGNING_SECRET, 1531420618, body)).toBe("v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503");
  });

  test("url_verification is answered with the challenge", async () => {
    const body = JSON.stringify({ token: "Jhj5dZrVaK7ZwHHjRyZWjbDl", challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", type: "url_verification" });
    const response = await h.post(body, "json");
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" });
  });

  test("GET /healthz reports the database", async () => {
    const response = await fetch(`${h.server.baseUrl}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ db: "ok" });
  });
});

describe("/ar subcommands", () => {
  test("help, digest, stats and mine answer privately", async () => {
    let since = h.slack.calls.length;
    await h.command("help");
    // Escaped as Slack requires, so that "<account>" shows instead of being read as a link.
    expect(await h.answerTo("U0DANA", since)).toContain("claim &lt;account&gt; [as finance|sales|cs] [takeover]");

    since = h.slack.calls.length;
    await h.command("digest");
    const digest = await h.waitFor("chat.postEphemeral", (c) => c.args.user === "U0DANA", since);
    expect(digest.args.text).toMatch(/^Overdue digest — 20 Nov 2026/);
    expect(blocksText(digest)).toContain("Acme Corp");
    expect(blocksText(digest)).toContain('"action_id":"digest_claim"');
    expect(blocksText(digest)).toMatch(/Show all \d+/);
    expect((digest.args.blocks as unknown[]).length).toBeLessThanOrEqual(50);
    // dana@example.com is a known Slack user: demo owners she holds are mentions.
    expect(blocksText(digest)).toContain("<@U0DANA>");

    since = h.slack.calls.length;
    await h.command("stats");
    expect(blocksText(await h.waitFor("chat.postEphemeral", () => true, since))).toContain("DSO");

    since = h.slack.calls.length;
    await h.command("mine");
    expect(blocksText(await h.waitFor("chat.postEphemeral", () => true, since))).toContain("As finance owner");
  });

  test("claim answers the caller and tells the channel; a second claim says who owns it", async () => {
    let since = h.slack.calls.length;
    await h.command("claim acme", "U0LEE");
    expect(await h.answerTo("U0LEE", since)).toBe("You now own Acme Corp for finance.");
    const announcement = await h.waitFor("chat.postMessage", (c) => c.args.channel === "C0FINANCE", since);
    expect(announcement.args.text).toBe("lee@example.com claimed Acme Corp for finance.");

    since = h.slack.calls.length;
    await h.command("claim ACME");
    expect(await h.answerTo("U0DANA", since)).toMatch(/^Acme Corp is already owned by lee@example.com \(finance\) since 20 Nov 2026/);

    since = h.slack.calls.length;
    await h.command("account acme", "U0SAM");
    const card = await h.waitFor("chat.postEphemeral", (c) => c.args.user === "U0SAM", since);
    expect(blocksText(card)).toContain("finance <@U0LEE> since 20 Nov 2026");
    expect(blocksText(card)).toContain('"action_id":"card_note"');
  });

  test("release, note, promise, dispute and resolve", async () => {
    let since = h.slack.calls.length;
    await h.command("release acme", "U0LEE");
    expect(await h.answerTo("U0LEE", since)).toBe("You released Acme Corp (finance); it has no finance owner now.");

    since = h.slack.calls.length;
    await h.command('note acme "Maria in AP says the run is on Thursday"');
    expect(await h.answerTo("U0DANA", since)).toBe("Note added to Acme Corp.");

    since = h.slack.calls.length;
    await h.command("promise acme 5000 mon");
    expect(await h.answerTo("U0DANA", since)).toBe("Promise recorded: Acme Corp will pay USD 5,000.00 by 23 Nov 2026.");
    expect((await h.waitFor("chat.postMessage", () => true, since)).args.text).toBe("dana@example.com recorded a promise: Acme Corp will pay USD 5,000.00 by 23 Nov 2026.");

    since = h.slack.calls.length;
    await h.command("dispute acme-1002 Short shipment", "U0SAM");
    expect(await h.answerTo("U0SAM", since)).toBe("ACME-1002 is disputed; it leaves the ranking until resolved.");

    since = h.slack.calls.length;
    await h.command("resolve ACME-1002", "U0SAM");
    expect(await h.answerTo("U0SAM", since)).toBe("You need one of the roles finance, admin to resolve disputes; your role is sales.");
    since = h.slack.calls.length;
    await h.command("resolve ACME-1002");
    expect(await h.answerTo("U0DANA", since)).toBe("The dispute on ACME-1002 (Acme Corp) is resolved.");

    since = h.slack.calls.length;
    await h.command("account acme");
    const card = blocksText(await h.waitFor("chat.postEphemeral", () => true, since));
    expect(card).toContain("note added: “Maria in AP says the run is on Thursday”");
    expect(card).toContain("USD 5,000.00 by 23 Nov 2026");
  });

  test("a malformed command names the wrong part; an ambiguous one lists candidates", async () => {
    let since = h.slack.calls.length;
    await h.command("promise acme lots fri");
    expect(await h.answerTo("U0DANA", since)).toContain("“lots” is not an amount");
    since = h.slack.calls.length;
    await h.command("claim dyn");
    expect(await h.answerTo("U0DANA", since)).toContain("“dyn” matches 3 accounts");
    // Reads that cannot be answered are refused out loud too, once.
    since = h.slack.calls.length;
    const read = await h.command("account dyn");
    expect(await h.answerTo("U0DANA", since)).toContain("“dyn” matches 3 accounts");
    since = h.slack.calls.length;
    await h.post(read.request.body, "form");
    expect(await h.quietAfter(since)).toEqual([]);
  });

  test("note, promise and dispute without arguments open a form", async () => {
    let since = h.slack.calls.length;
    const note = await h.command("note");
    const opened = await h.waitFor("views.open", () => true, since);
    expect(opened.args.trigger_id).toBe(note.request.fields.trigger_id);
    expect((opened.args.view as { callback_id: string }).callback_id).toBe("note_modal");

    since = h.slack.calls.length;
    await h.command("promise acme");
    const promise = (await h.waitFor("views.open", () => true, since)).args.view as { callback_id: string; private_metadata: string };
    expect(promise.callback_id).toBe("promise_modal");
    expect(JSON.parse(promise.private_metadata)).toMatchObject({ account: "ACME", accountName: "Acme Corp", channelId: "C0FINANCE" });

    since = h.slack.calls.length;
    await h.command("dispute");
    expect(((await h.waitFor("views.open", () => true, since)).args.view as { callback_id: string }).callback_id).toBe("dispute_modal");
  });

  test("escalate: one direct message per owner, or the channel is asked to claim", async () => {
    let since = h.slack.calls.length;
    await h.command("claim umbrella", "U0LEE");
    expect(await h.answerTo("U0LEE", since)).toBe("You now own Umbrella Logistics for finance.");
    since = h.slack.calls.length;
    await h.command("escalate umbrella No answer for three weeks", "U0SAM");
    expect(await h.answerTo("U0SAM", since)).toBe("Escalated Umbrella Logistics: sent to lee@example.com.");
    const opened = await h.waitFor("conversations.open", () => true, since);
    expect(opened.args.users).toBe("U0LEE");
    const dm = await h.waitFor("chat.postMessage", (c) => c.args.channel === "DU0LEE", since);
    expect(dm.args.text).toContain("sam@example.com escalated *Umbrella Logistics* (C1003), which you own: “No answer for three weeks”");

    since = h.slack.calls.length;
    await h.command("escalate acme", "U0SAM");
    expect(await h.answerTo("U0SAM", since)).toBe("Escalated Acme Corp: sent to 1 channel asking someone to claim it.");
    const ask = await h.waitFor("chat.postMessage", (c) => c.args.channel === "C0FINANCE" && String(c.args.text).includes("Acme"), since);
    expect(ask.args.text).toContain("nobody owns it. Can someone claim it? `/ar claim ACME`");

    // Owned, but nobody Slack knows: the channel is asked to follow up, once, and the person hears why.
    since = h.slack.calls.length;
    await h.command("escalate soylent <!channel> they stopped answering", "U0SAM");
    expect(await h.answerTo("U0SAM", since)).toBe(
      "Escalated Soylent Nutrition: none of its owners could be reached (not on Slack: morgan@example.com); sent to 1 channel asking someone to follow up.",
    );
    const posts = (await h.quietAfter(since)).filter((c) => c.method === "chat.postMessage" && c.args.channel === "C0FINANCE");
    expect(posts).toHaveLength(1);
    expect(posts[0]!.args.text).toContain("Its owners (morgan@example.com) could not be reached on Slack: can someone follow up?");
    // What people type is shown, never executed: no channel-wide ping.
    expect(posts[0]!.args.text).toContain("“&lt;!channel&gt; they stopped answering”");
    expect(posts[0]!.args.text).not.toContain("<!channel>");
  });

  test("role: admins change roles; others are told the role they need", async () => {
    let since = h.slack.calls.length;
    await h.command("role <@U0SAM|sam> viewer");
    expect(await h.answerTo("U0DANA", since)).toBe("You need the admin role to change roles; your role is finance.");
    since = h.slack.calls.length;
    await h.command("role sam@example.com cs", "U0BOSS");
    expect(await h.answerTo("U0BOSS", since)).toBe("sam@example.com is now cs (was sales).");
    since = h.slack.calls.length;
    await h.command("role <@U0SAM|sam> sales", "U0BOSS");
    expect(await h.answerTo("U0BOSS", since)).toBe("sam@example.com is now sales (was cs).");

    // A role change applies at sam's very next command, in the same server process.
    since = h.slack.calls.length;
    await h.command("role <@U0SAM|sam> viewer", "U0BOSS");
    await h.answerTo("U0BOSS", since);
    since = h.slack.calls.length;
    await h.command("note initech called", "U0SAM");
    expect(await h.answerTo("U0SAM", since)).toContain("your role is viewer");
    since = h.slack.calls.length;
    await h.command("role <@U0SAM|sam> sales", "U0BOSS");
    expect(await h.answerTo("U0BOSS", since)).toBe("sam@example.com is now sales (was viewer).");
  });

  test("guests and users of other organizations are read-only", async () => {
    let since = h.slack.calls.length;
    await h.command("claim initech", "U0GUEST");
    expect(await h.answerTo("U0GUEST", since)).toBe("Guests and people from other organizations can read but not claim accounts.");
    since = h.slack.calls.length;
    await h.command("note initech hello", "U0EXT");
    expect(await h.answerTo("U0EXT", since)).toBe("Guests and people from other organizations can read but not add notes.");
    since = h.slack.calls.length;
    await h.command("account initech", "U0GUEST");
    expect(blocksText(await h.waitFor("chat.postEphemeral", (c) => c.args.user === "U0GUEST", since))).toContain("Initech");
  });

  test("subscribe and unsubscribe: finance or admin, never a shared channel", async () => {
    h.slack.channels.set("C0SHARED", { is_ext_shared: true });
    let since = h.slack.calls.length;
    await h.command("subscribe", "U0DANA", { channel_id: "C0SHARED" });
    expect(await h.answerTo("U0DANA", since)).toBe("This channel is shared with another organization: digests stay inside the company. Subscribe an internal channel.");

    since = h.slack.calls.length;
    await h.command("subscribe sales at 08:30 Europe/Paris", "U0SAM", { channel_id: "C0SALES" });
    expect(await h.answerTo("U0SAM", since)).toBe("You need one of the roles finance, admin to subscribe channels to the digest; your role is sales.");

    since = h.slack.calls.length;
    await h.command("subscribe sales at 08:30 Europe/Paris", "U0DANA", { channel_id: "C0SALES" });
    expect(await h.answerTo("U0DANA", since)).toBe("This channel gets the AR digest on business days at 08:30 (Europe/Paris), mentioning sales owners.");
    since = h.slack.calls.length;
    await h.command("subscribe finance", "U0DANA", { channel_id: "C0SALES" });
    expect(await h.answerTo("U0DANA", since)).toBe("This channel gets the AR digest on business days at 09:00 (UTC), mentioning finance owners. It replaces the previous subscription.");
    since = h.slack.calls.length;
    await h.command("unsubscribe", "U0DANA", { channel_id: "C0SALES" });
    expect(await h.answerTo("U0DANA", since)).toBe("This channel will no longer get the AR digest.");
    since = h.slack.calls.length;
    await h.command("unsubscribe", "U0DANA", { channel_id: "C0SALES" });
    expect(await h.answerTo("U0DANA", since)).toBe("This channel has no digest subscription.");
  });
});

describe("@arbot and delivery guarantees", () => {
  test("@arbot <command> works like /ar, and a retried event changes nothing and posts nothing", async () => {
    let since = h.slack.calls.length;
    const first = await h.mention("claim monarch", "U0LEE");
    expect(first.response.status).toBe(200);
    expect(await h.answerTo("U0LEE", since)).toBe("You now own Monarch Analytics for finance.");
    await h.waitFor("chat.postMessage", (c) => c.args.text === "lee@example.com claimed Monarch Analytics for finance.", since);

    since = h.slack.calls.length;
    const retry = await h.post(first.body, "json", { headers: { "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" } });
    expect(retry.status).toBe(200);
    expect(await h.quietAfter(since)).toEqual([]);
    // Nor is a refusal, or a read command.
    since = h.slack.calls.length;
    const refused = await h.mention("claim nosuchcustomer", "U0LEE");
    expect(await h.answerTo("U0LEE", since)).toContain("nosuchcustomer");
    since = h.slack.calls.length;
    await h.post(refused.body, "json", { headers: { "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" } });
    expect(await h.quietAfter(since)).toEqual([]);
    const read = await h.mention("stats", "U0LEE");
    await h.waitFor("chat.postEphemeral", () => true, since);
    since = h.slack.calls.length;
    await h.post(read.body, "json", { headers: { "x-slack-retry-num": "2", "x-slack-retry-reason": "http_timeout" } });
    expect(await h.quietAfter(since)).toEqual([]);
  });

  test("a repeated trigger_id changes nothing and posts nothing", async () => {
    const request = slashCommand("note initech Left a voicemail", { user_id: "U0LEE" });
    let since = h.slack.calls.length;
    await h.post(request.body, "form");
    expect(await h.answerTo("U0LEE", since)).toBe("Note added to Initech.");
    since = h.slack.calls.length;
    await h.post(request.body, "form");
    expect(await h.quietAfter(since)).toEqual([]);
    since = h.slack.calls.length;
    await h.command("account initech", "U0LEE");
    const card = blocksText(await h.waitFor("chat.postEphemeral", () => true, since));
    expect(card.match(/Left a voicemail/g)).toHaveLength(1);
  });

  test("a Web API failure is told to the person another way and never crashes the server", async () => {
    h.slack.override("chat.postEphemeral", (args) => (args.channel === "C0PRIVATE" ? { body: { ok: false, error: "channel_not_found" } } : null));
    const before = h.slack.responseUrlPosts.length;
    await h.command("claim vandelay", "U0DANA", { channel_id: "C0PRIVATE" });
    const posted = await new Promise<{ body: unknown }>((resolve) => {
      const poll = setInterval(() => {
        if (h.slack.responseUrlPosts.length > before) {
          clearInterval(poll);
          resolve(h.slack.responseUrlPosts.at(-1)!);
        }
      }, 50);
    });
    expect(posted.body).toMatchObject({ response_type: "ephemeral", text: "You now own Vandelay Imports for finance." });
    await eventually(() => h.server.logs().includes("chat.postEphemeral in C0PRIVATE failed"), 30_000);
    h.slack.clearOverrides();

    // Slack rate-limits the bot: the person hears it, the server stays up.
    h.slack.override("views.open", () => ({ status: 429, headers: { "retry-after": "30" }, body: { ok: false, error: "ratelimited" } }));
    let since = h.slack.calls.length;
    await h.command("note zorg", "U0DANA");
    expect(await h.answerTo("U0DANA", since)).toBe("Slack is rate-limiting arbot right now; try again in a minute.");
    await eventually(() => /slack \/ar failed \(user U0DANA, channel C0FINANCE\): WebAPIRateLimitedError/.test(h.server.logs()));
    h.slack.clearOverrides();

    // An escalation is recorded even when the channel cannot be asked; the person hears what went out.
    h.slack.override("chat.postMessage", () => ({ status: 429, headers: { "retry-after": "30" }, body: { ok: false, error: "ratelimited" } }));
    since = h.slack.calls.length;
    await h.command("escalate zorg", "U0DANA");
    expect(await h.answerTo("U0DANA", since)).toBe(
      "Escalation of Zorg Manufacturing recorded, but nobody was told: it has no owner, and no channel could be asked (could not post in C0FINANCE (ratelimited)).",
    );
    h.slack.clearOverrides();
    expect((await fetch(`${h.server.baseUrl}/healthz`)).status).toBe(200);
    expect(h.server.process.exitCode).toBeNull();
  });
});

describe("mentions", () => {
  test("an owner Slack does not know is named by email, and by mention from the card after they first use arbot", async () => {
    const owners = writeCsv("owners.csv", csv("account_id,name,finance_owner_email", "NOVA1,Nova Labs,nova@example.com"));
    const imported = await runArbot(["import", "accounts", owners], { env: h.env });
    expect({ status: imported.status, stderr: imported.stderr }).toEqual({ status: 0, stderr: "" });

    let since = h.slack.calls.length;
    await h.command("account NOVA1", "U0SAM");
    expect(blocksText(await h.waitFor("chat.postEphemeral", (c) => c.args.user === "U0SAM", since))).toContain("finance nova@example.com since");

    // Nova joins Slack and asks arbot something: the next card mentions her, without waiting for any cache.
    h.slack.addUser("U0NOVA", "nova@example.com");
    since = h.slack.calls.length;
    await h.command("mine", "U0NOVA");
    await h.waitFor("chat.postEphemeral", (c) => c.args.user === "U0NOVA", since);
    since = h.slack.calls.length;
    await h.command("account NOVA1", "U0SAM");
    expect(blocksText(await h.waitFor("chat.postEphemeral", (c) => c.args.user === "U0SAM", since))).toContain("finance <@U0NOVA> since");
  });
});
