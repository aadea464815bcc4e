import { Actor } from "../../../domain/model/actor";
import { converse, CommandOrigin, Reply } from "../../../bot/commands/dispatch";
import { claimFromDigest, digestPage, formPrefill, personalHome } from "../../../bot/commands/interactions";
import { runDueDigests } from "../../../bot/jobs/digest-job";
import { runImport } from "../../../bot/run-import";
import { SUBSCRIBE_IN_SHELL } from "../../../bot/views/reply";
import { csv, writeCsv } from "../../support/csv-files";
import { actorFor, slackIdFor, textOf } from "../../support/actors";
import { RecordingPlatform } from "../../support/recording-platform";
import { useTestApp } from "../../support/test-app";

/**
 * The ChatPlatform contract, driven through bot/ alone: a platform only turns payloads into
 * these calls and renders what comes back, so a new platform that passes this behaves as
 * Slack does.
 */
const t = useTestApp("2026-11-20T12:00:00Z"); // a Friday
let platform: RecordingPlatform;
let dana: Actor;
let key = 0;

function inChannel(channelId: string | null, options: { shared?: boolean } = {}): CommandOrigin {
  return {
    idempotencyKey: `fake:${++key}`,
    platform,
    channel: channelId ? { channelId, tenantId: "T-fake", sharedWithOtherOrganizations: async () => options.shared ?? false } : null,
  };
}

/** Runs text as someone on the fake platform; returns the reply and what was sent before the person was answered. */
async function type(actor: Actor, text: string, origin = inChannel("C1")): Promise<{ reply: Reply; sentBeforeAnswer: number }> {
  let sentBeforeAnswer = -1;
  const reply = await converse(t.app.services, actor, text, origin, async () => {
    sentBeforeAnswer = platform.sent.length;
  });
  return { reply, sentBeforeAnswer };
}

beforeEach(async () => {
  platform = new RecordingPlatform();
  key = 0;
  await runImport(
    t.app,
    "invoices",
    writeCsv(
      "contract.csv",
      csv(
        "customer_id,customer,invoice_number,issue_date,due_date,amount",
        "ACME,Acme Corp,A-1,2026-07-01,2026-07-31,9000.00",
        "GLOB,Globex,G-1,2026-08-01,2026-08-31,7000.00",
        "INIT,Initech,I-1,2026-09-01,2026-09-30,5000.00",
        "UMBR,Umbrella,U-1,2026-10-01,2026-10-15,3000.00",
        "HOOL,Hooli,H-1,2026-10-01,2026-10-31,1000.00",
      ),
    ),
  );
  dana = await actorFor(t.app, "dana@example.com", "finance", { platform: "fake" });
});

describe("commands typed on a platform", () => {
  test("a claim answers the person first, then tells the channel once; a repeat of the request does neither", async () => {
    const origin = inChannel("C1");
    const { reply, sentBeforeAnswer } = await type(dana, "claim acme", origin);
    expect(textOf(reply)).toBe("You now own Acme Corp for finance.");
    expect(sentBeforeAnswer).toBe(0);
    expect(platform.sent).toEqual([{ kind: "announce", channelId: "C1", text: "dana@example.com claimed Acme Corp for finance." }]);

    const again = await type(dana, "claim acme", origin);
    expect(again.reply).toEqual({ kind: "duplicate" });
    expect(platform.sent).toHaveLength(1);
  });

  test("in a direct message the person is answered and no channel hears of it", async () => {
    expect(textOf((await type(dana, "claim globex", inChannel(null))).reply)).toBe("You now own Globex for finance.");
    expect(platform.sent).toEqual([]);
  });

  test("the platform's mention markup names a person in role", async () => {
    const boss = await actorFor(t.app, "boss@example.com", "admin", { platform: "fake" });
    await actorFor(t.app, "lee@example.com", "finance", { platform: "fake" });
    const { reply } = await type(boss, `role @{${slackIdFor("lee@example.com")}} sales`);
    expect(textOf(reply)).toContain("lee@example.com");
    expect(reply.kind).toBe("done");
  });

  test("subscribe belongs to the channel it is typed in, on that platform; never a shared channel, a direct message or the shell", async () => {
    const { reply } = await type(dana, "subscribe sales at 8:30 Europe/Paris");
    expect(textOf(reply)).toBe("This channel gets the AR digest on business days at 08:30 (Europe/Paris), mentioning sales owners.");
    expect(await t.app.runs.subscriptionOf("fake", "C1")).toMatchObject({ scope: "sales", localTime: "08:30", timeZone: "Europe/Paris", tenantId: "T-fake" });
    expect(platform.of("announce")).toEqual([{ kind: "announce", channelId: "C1", text: "dana@example.com subscribed this channel to the daily AR digest at 08:30 (Europe/Paris)." }]);

    expect(textOf((await type(dana, "subscribe", inChannel("C2", { shared: true }))).reply)).toContain("shared with another organization");
    expect(textOf((await type(dana, "subscribe", inChannel(null))).reply)).toBe("Run /fake subscribe in the channel that should get the digest.");
    expect(textOf((await converse(t.app.services, dana, "subscribe", {}, async () => undefined)))).toBe(SUBSCRIBE_IN_SHELL);
    expect(await t.app.runs.subscriptions("fake")).toHaveLength(1);

    expect(textOf((await type(dana, "unsubscribe")).reply)).toBe("This channel will no longer get the AR digest.");
    expect(await t.app.runs.subscriptions("fake")).toEqual([]);
  });

  test("escalate is delivered through the platform it was typed on: the owners when it can reach them, else the channel is asked", async () => {
    await type(dana, "claim acme", inChannel(null));
    platform.reachable.add(dana.userId);
    const owned = await type(dana, "escalate acme no answer for two weeks");
    expect(textOf(owned.reply)).toBe("Escalated Acme Corp: sent to dana@example.com.");
    expect(platform.of("ping")).toEqual([{ kind: "ping", userId: dana.userId, accountId: "ACME", reason: "no answer for two weeks" }]);
    expect(platform.of("announce")).toEqual([{ kind: "announce", channelId: "C1", text: "dana@example.com escalated Acme Corp: “no answer for two weeks”." }]);

    const unowned = await type(dana, "escalate globex");
    expect(textOf(unowned.reply)).toBe("Escalated Globex: sent to 1 channel asking someone to claim it.");
    expect(platform.of("ask")).toEqual([{ kind: "ask", channelId: "C1", accountId: "GLOB", unreachedOwners: [] }]);
    // The channel was asked: it is not told a second time.
    expect(platform.of("announce")).toHaveLength(1);

    platform.refusing.set("C9", "not_in_channel");
    const refused = await type(dana, "escalate initech", inChannel("C9"));
    expect(textOf(refused.reply)).toBe("Escalation of Initech recorded, but nobody was told: it has no owner, and no channel could be asked (could not post in C9 (not_in_channel)).");
  });
});

describe("buttons, forms and the personal home", () => {
  test("Claim on a digest claims for the channel's function and leaves the announcement to the refreshed digest", async () => {
    await type(dana, "subscribe sales");
    platform.sent.length = 0;
    const lee = await actorFor(t.app, "lee@example.com", "sales", { platform: "fake" });
    const answers: Reply[] = [];
    const { reply, subscription } = await claimFromDigest(t.app.services, lee, "ACME", inChannel("C1"), async (r) => void answers.push(r));
    expect(subscription?.scope).toBe("sales");
    expect(textOf(reply)).toBe("You now own Acme Corp for sales.");
    expect(answers).toEqual([reply]);
    expect(platform.sent).toEqual([]);

    // In a channel with no subscription, the clicker's own function.
    const mine = await claimFromDigest(t.app.services, dana, "GLOB", inChannel("C7"), async () => undefined);
    expect(textOf(mine.reply)).toBe("You now own Globex for finance.");
  });

  test("Show all pages through every qualifying account of the day the digest was for", async () => {
    const first = await digestPage(t.app.services, dana, { asOf: "2026-11-20", offset: 0, limit: 2 });
    expect(first.total).toBe(5);
    expect(first.entries.map((e) => e.rank)).toEqual([1, 2]);
    const last = await digestPage(t.app.services, dana, { asOf: "2026-11-20", offset: 4, limit: 2 });
    expect(last.entries.map((e) => e.rank)).toEqual([5]);
    const ids = [first, await digestPage(t.app.services, dana, { asOf: "2026-11-20", offset: 2, limit: 2 }), last].flatMap((p) => p.entries.map((e) => e.accountId));
    expect(new Set(ids).size).toBe(5);
  });

  test("the personal home lists what the person owns", async () => {
    expect((await personalHome(t.app.services, dana)).accounts).toEqual([]);
    await type(dana, "claim hooli", inChannel(null));
    expect((await personalHome(t.app.services, dana)).accounts).toMatchObject([{ function: "finance", accountId: "HOOL", name: "Hooli" }]);
  });

  test("a form opens with the account a query names, the query as typed when it names none, and tomorrow as the first date", async () => {
    expect(await formPrefill(t.app.services, "note", "acme")).toEqual({ tomorrow: "2026-11-21", account: { externalId: "ACME", name: "Acme Corp" } });
    expect(await formPrefill(t.app.services, "promise", "nobody")).toEqual({ tomorrow: "2026-11-21", query: "nobody" });
    expect(await formPrefill(t.app.services, "dispute", "A-1")).toEqual({ tomorrow: "2026-11-21", query: "A-1" });
  });
});

describe("the platform's notifier serves the digest job", () => {
  test("a subscribed channel gets its digest once through its own platform, and a refusal reaches the subscriber", async () => {
    await type(dana, "subscribe");
    await type(dana, "subscribe", inChannel("C2"));
    platform.refusing.set("C2", "channel_not_found");
    platform.sent.length = 0;
    const deps = { runs: t.app.runs, ledger: t.app.ledger, clock: t.app.clock, priority: t.app.priority, digestTop: 3, log: () => undefined };
    expect(await runDueDigests(deps, platform, { force: true })).toEqual(new Map([["C1", "posted"], ["C2", "failed"]]));
    expect(await runDueDigests(deps, platform, { force: true })).toEqual(new Map([["C1", "already_served"], ["C2", "failed"]]));
    expect(platform.of("digest")).toEqual([{ kind: "digest", channelId: "C1", runId: expect.any(String), accounts: 5, asOf: "2026-11-20" }]);
    expect(platform.of("digestFailed")).toEqual([{ kind: "digestFailed", userId: dana.userId, channelId: "C2", reason: "channel_not_found" }]);
  });
});
