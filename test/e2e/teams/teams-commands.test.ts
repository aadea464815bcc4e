import { eventually } from "../../support/arbot-server";
import { actionsOf, cardOf, cardText, TeamsHarness, user } from "../../support/teams-harness";
import { botAdded, botRemoved, FINANCE_CHANNEL, GENERAL, GROUP_CHAT, message, TEAM } from "../../support/teams-activities";

const h = new TeamsHarness();
beforeAll(() => h.start(), 180_000);
afterAll(() => h.stop());

const channel = { kind: "channel" as const, channel: FINANCE_CHANNEL };

test("the bot added to a team stores the reference and says hello in the General channel", async () => {
  const answer = await h.send(botAdded(h.serviceUrl, user("dana"), { kind: "channel", channel: GENERAL }));
  expect(answer.status).toBe(200);
  const hello = answer.calls.find((c) => c.kind === "reply" || c.kind === "send");
  expect(hello?.conversationId).toBe(GENERAL);
  expect(cardText(cardOf(hello!))).toContain("@arbot help");
  // Authentication is off: outbound calls carry no token.
  expect(hello?.authorization).toBeNull();
  expect(h.server.logs()).toContain("TEAMS_ALLOW_UNAUTHENTICATED=1");
});

test("@arbot help in a channel answers a card as a reply to the message, the mention stripped", async () => {
  const activity = message(h.serviceUrl, user("dana"), "help", channel);
  const answer = await h.send(activity);
  expect(answer.status).toBe(200);
  const reply = answer.calls.find((c) => c.kind === "reply")!;
  expect(reply.conversationId).toBe(`${FINANCE_CHANNEL};messageid=${activity.id}`);
  expect(reply.activityId).toBe(activity.id);
  const card = cardOf(reply);
  expect(card.version).toBe("1.5");
  expect(cardText(card)).toContain("claim <account>");
  expect(reply.body.text).toBe("arbot commands");
});

test("@arbot digest answers the digest card with per-account Claim / Assign / Escalate and Note / Promise / Dispute dialogs", async () => {
  const answer = await h.send(message(h.serviceUrl, user("dana"), "digest", channel));
  const reply = answer.calls.find((c) => c.kind === "reply")!;
  expect(String(reply.body.text)).toMatch(/^Overdue digest — 20 Nov 2026/);
  const card = cardOf(reply);
  expect(cardText(card)).toContain("Acme Corp");
  const actions = actionsOf(card);
  const titles = new Set(actions.map((a) => a.title));
  for (const title of ["Claim", "Assign", "Escalate", "Note", "Promise", "Dispute"]) expect(titles).toContain(title);
  for (const a of actions.filter((a) => ["Claim", "Escalate"].includes(String(a.title)))) expect(a.type).toBe("Action.Execute");
  const dialogs = actions.filter((a) => (a.data as { msteams?: { type?: string } } | undefined)?.msteams?.type === "task/fetch");
  expect(new Set(dialogs.map((a) => a.title))).toEqual(new Set(["Note", "Promise", "Dispute"]));
  expect(actions.some((a) => /^Show all \d+$/.test(String(a.title)))).toBe(true);
  expect(Buffer.byteLength(JSON.stringify(reply.body))).toBeLessThan(28_000);
});

test("a user new to arbot gets the default role, found by the email of the member lookup; a refusal names the role needed", async () => {
  const answer = await h.send(message(h.serviceUrl, user("newbie"), "role lee@example.com admin", channel));
  const reply = answer.calls.find((c) => c.kind === "reply")!;
  expect(reply.body.text).toBe("You need the admin role to change roles; your role is finance.");
  // The member lookup goes to the team, not to the channel's conversation.
  expect(h.connector.calls.some((c) => c.kind === "member" && c.path.endsWith("members/29:newbie") && c.conversationId === TEAM)).toBe(true);
  // The admin of AR_ADMINS, known by the lookup's email, may.
  const boss = await h.send(message(h.serviceUrl, user("boss"), "role newbie@example.com viewer", channel));
  expect(boss.calls.find((c) => c.kind === "reply")?.body.text).toMatch(/newbie@example.com.*viewer/);
});

test("a member lookup that fails leaves the person with the default role for that message only: the next one asks again", async () => {
  h.connector.override((c) => (c.kind === "member" && c.path.endsWith("members/29:ada") ? { status: 503, body: { error: { code: "ServiceError", message: "unavailable" } } } : null));
  expect(await say("role zed@example.com viewer", "ada")).toBe("You need the admin role to change roles; your role is finance.");
  h.connector.clearOverrides();
  expect(await say("role zed@example.com viewer", "ada")).toMatch(/zed@example.com.*viewer/);
});

test("claim in a channel is answered; the person is matched by the UPN when the lookup has no email", async () => {
  const answer = await h.send(message(h.serviceUrl, user("lee"), "claim acme", channel));
  const reply = answer.calls.find((c) => c.kind === "reply")!;
  expect(reply.body.text).toBe("You now own Acme Corp for finance.");
});

/** `@arbot <text>` in the channel as someone: the text of the reply card. */
async function say(text: string, who: Parameters<typeof user>[0] = "dana", where: Parameters<typeof message>[3] = channel): Promise<string> {
  const answer = await h.send(message(h.serviceUrl, user(who), text, where));
  const reply = answer.calls.find((c) => c.kind === "reply");
  if (!reply) throw new Error(`no reply to ${text}`);
  expect(reply.activityId).not.toBeNull();
  return String(reply.body.text);
}

test("every other command of the grammar: release, note, promise, dispute, resolve, escalate, snooze, account, a malformed and an ambiguous one", async () => {
  expect(await say("release acme", "lee")).toBe("You released Acme Corp (finance); it has no finance owner now.");
  expect(await say('note acme "Maria in AP says the run is on Thursday"')).toBe("Note added to Acme Corp.");
  expect(await say("promise acme 5000 mon")).toBe("Promise recorded: Acme Corp will pay USD 5,000.00 by 23 Nov 2026.");
  expect(await say("dispute acme-1002 Short shipment", "sam")).toBe("ACME-1002 is disputed; it leaves the ranking until resolved.");
  expect(await say("resolve ACME-1002", "sam")).toBe("You need one of the roles finance, admin to resolve disputes; your role is sales.");
  expect(await say("resolve ACME-1002")).toBe("The dispute on ACME-1002 (Acme Corp) is resolved.");
  expect(await say("escalate globex Past 120 days")).toMatch(/^Escalated Globex Industries/);
  expect(await say("snooze globex 2026-12-01 waiting for the new PO")).toBe("Globex Industries will not be escalated through 1 Dec 2026.");
  const answer = await h.send(message(h.serviceUrl, user("dana"), "account acme", channel));
  const card = cardText(cardOf(answer.calls.find((c) => c.kind === "reply")!));
  expect(card).toContain("Maria in AP says the run is on Thursday");
  expect(card).toContain("USD 5,000.00 by 23 Nov 2026");
  expect(actionsOf(cardOf(answer.calls.find((c) => c.kind === "reply")!)).map((a) => a.title)).toEqual(["Note", "Promise", "Dispute"]);
  expect(await say("promise acme lots fri")).toContain("“lots” is not an amount");
  expect(await say("claim dyn")).toContain("“dyn” matches 3 accounts");
});

test("subscribe, subscribe escalations and unsubscribe in a channel; subscribe in a personal chat is explained", async () => {
  expect(await say("subscribe sales at 08:30 Europe/Paris", "sam")).toBe("You need one of the roles finance, admin to subscribe channels to the digest; your role is sales.");
  expect(await say("subscribe sales at 08:30 Europe/Paris")).toBe("This channel gets the AR digest on business days at 08:30 (Europe/Paris), mentioning sales owners.");
  expect(await say("subscribe escalations")).toMatch(/escalation/i);
  expect(await say("unsubscribe escalations")).toMatch(/escalation/i);
  expect(await say("unsubscribe")).toBe("This channel will no longer get the AR digest.");
  expect(await say("subscribe", "dana", { kind: "personal", chat: "a:dana-personal" })).toBe("Run @arbot subscribe in the channel that should get the digest.");
});

test("note, promise and dispute typed without arguments answer a card whose button opens the dialog", async () => {
  for (const [form, title] of [
    ["note", "Add a note"],
    ["promise", "Record a promise to pay"],
    ["dispute", "Open a dispute"],
  ]) {
    const answer = await h.send(message(h.serviceUrl, user("dana"), form!, channel));
    const buttons = actionsOf(cardOf(answer.calls.find((c) => c.kind === "reply")!));
    expect(buttons).toEqual([{ type: "Action.Submit", title, data: { verb: form, msteams: { type: "task/fetch" } } }]);
  }
});

test("digest all answers the first page of every account, with Next", async () => {
  const answer = await h.send(message(h.serviceUrl, user("dana"), "digest all", channel));
  const replies = answer.calls.filter((c) => c.kind === "reply");
  expect(replies).toHaveLength(1);
  expect(cardText(cardOf(replies[0]!))).toMatch(/Accounts 1–10 of \d+/);
  expect(actionsOf(cardOf(replies[0]!)).some((a) => a.title === "Next")).toBe(true);
});

test("the digest names owners Teams knows as mentions", async () => {
  const answer = await h.send(message(h.serviceUrl, user("dana"), "digest", channel));
  const card = cardOf(answer.calls.find((c) => c.kind === "reply")!) as { msteams?: { entities?: unknown[] } };
  expect(card.msteams?.entities).toContainEqual({ type: "mention", text: "<at>dana@example.com</at>", mentioned: { id: "aad-dana", name: "dana@example.com" } });
});

test("role with a Teams @mention of the person (their Entra id from the member lookup)", async () => {
  const activity = message(h.serviceUrl, user("boss"), "role <at>Lee Okafor</at> cs", channel);
  activity.entities!.push({ type: "mention", text: "<at>Lee Okafor</at>", mentioned: { id: "29:lee", name: "Lee Okafor" } });
  const answer = await h.send(activity);
  expect(String(answer.calls.find((c) => c.kind === "reply")?.body.text)).toMatch(/lee@example.com.*cs/);
});

test("the bare grammar in a personal chat; a group chat with the mention", async () => {
  const personal = await h.send(message(h.serviceUrl, user("dana"), "mine", { kind: "personal", chat: "a:dana-personal" }));
  expect(cardText(cardOf(personal.calls.find((c) => c.kind === "reply")!))).toContain("Your accounts");
  const group = await h.send(message(h.serviceUrl, user("dana"), "stats", { kind: "groupChat", chat: GROUP_CHAT }));
  expect(cardText(cardOf(group.calls.find((c) => c.kind === "reply")!))).toContain("DSO");
});

test("an activity replayed with the same id changes nothing and posts nothing", async () => {
  const first = message(h.serviceUrl, user("dana"), "note globex Called, cheque in the post", channel);
  const a = await h.send(first);
  expect(a.calls.find((c) => c.kind === "reply")?.body.text).toBe("Note added to Globex Industries.");
  const again = await h.send(first);
  expect(again.status).toBe(200);
  expect(again.calls.filter((c) => c.kind === "reply" || c.kind === "send")).toEqual([]);
});

test("the bot removed from the team disables its conversations", async () => {
  const other = { kind: "channel" as const, channel: "19:removedTeamGeneral@thread.skype", team: "19:removedTeamGeneral@thread.skype" };
  await h.send(botAdded(h.serviceUrl, user("dana"), other));
  const removed = await h.send(botRemoved(h.serviceUrl, user("dana"), other));
  expect(removed.status).toBe(200);
  // The server's log reaches this process through a pipe, after the HTTP answer at times.
  await eventually(() => /removed from team 19:removedTeamGeneral@thread.skype \(1 conversation disabled\)/.test(h.server.logs()), 30_000);
});
