import { csv, writeCsv } from "../../support/csv-files";
import { runArbot } from "../../support/cli";
import { blocksText, SlackHarness } from "../../support/slack-harness";
import { eventCallback, appHomeOpened } from "../../support/slack-payloads";
import { SlackCall } from "../../support/fake-slack";
import { eventually } from "../../support/arbot-server";

const h = new SlackHarness();
let digest: SlackCall;

beforeAll(async () => {
  await h.start({
    beforeServe: async (env) => {
      // 500 more overdue accounts, for the paging modal.
      const rows = Array.from({ length: 500 }, (_, i) => `P${String(i).padStart(3, "0")},Pager ${String(i).padStart(3, "0")},PG-${i},2026-08-01,2026-09-01,${100 + i}.00`);
      const imported = await runArbot(["import", "invoices", writeCsv("pager.csv", csv("customer_id,customer,invoice_number,issue_date,due_date,amount", ...rows))], { env });
      if (imported.status !== 0) throw new Error(imported.stderr);
    },
  });
  // Subscribe the channel, then restart: the scheduler's first tick posts today's digest.
  const since = h.slack.calls.length;
  await h.command("subscribe finance");
  await h.answerTo("U0DANA", since);
  await h.restart();
  digest = await h.waitFor("chat.postMessage", (c) => c.args.channel === "C0FINANCE" && (c.args.metadata as { event_type?: string } | undefined)?.event_type === "arbot_digest");
}, 180_000);
afterAll(() => h.stop());

const digestTs = () => h.slack.history.get("C0FINANCE")!.find((m) => (m.metadata as { event_type?: string } | undefined)?.event_type === "arbot_digest")!.ts as string;

test("the scheduled digest: header, top accounts with reasons and buttons, Show all, run id in metadata", async () => {
  const text = blocksText(digest);
  expect(digest.args.text).toMatch(/^Overdue digest — 20 Nov 2026/);
  expect((digest.args.blocks as unknown[]).length).toBeLessThanOrEqual(50);
  expect(text).toContain("Acme Corp");
  expect(text).toContain("_Why:_");
  expect(text).toContain("Show all 5");
  expect(digest.args.metadata).toMatchObject({ event_type: "arbot_digest", event_payload: { run_id: expect.any(String), as_of: "2026-11-20" } });
  await eventually(() => /digest slack:C0FINANCE 2026-11-20 run .*: posted/.test(h.server.logs()));
});

test("Claim on the digest claims for the channel's function and updates the message in place", async () => {
  const since = h.slack.calls.length;
  await h.click({ actionId: "digest_claim", value: "ACME", userId: "U0LEE", messageTs: digestTs() });
  const update = await h.waitFor("chat.update", () => true, since);
  expect(update.args).toMatchObject({ channel: "C0FINANCE", ts: digestTs() });
  expect(blocksText(update)).toMatch(/Acme Corp.*Owners: finance <@U0LEE>/);
  expect(await h.answerTo("U0LEE", since)).toBe("You now own Acme Corp for finance.");

  let again = h.slack.calls.length;
  const refused = await h.click({ actionId: "digest_claim", value: "ACME", userId: "U0DANA", messageTs: digestTs() });
  expect(await h.answerTo("U0DANA", again)).toMatch(/^Acme Corp is already owned by lee@example.com \(finance\)/);
  // The same click delivered again is not answered twice.
  again = h.slack.calls.length;
  await h.post(refused.body, "form");
  expect(await h.quietAfter(again)).toEqual([]);
});

test("a claim whose digest cannot be refreshed is still a claim, and the person is told both", async () => {
  h.slack.override("chat.update", () => ({ body: { ok: false, error: "message_not_found" } }));
  const since = h.slack.calls.length;
  await h.click({ actionId: "digest_claim", value: "C1012", userId: "U0DANA", messageTs: digestTs() });
  const answers = async () => h.slack.callsTo("chat.postEphemeral").filter((c) => h.slack.calls.indexOf(c) >= since).map((c) => String(c.args.text));
  expect(await eventually(async () => ((await answers()).length === 2 ? answers() : null))).toEqual([
    "You now own Vandelay Imports for finance.",
    "The digest message could not show your claim: Slack refused the request (message_not_found).",
  ]);
  h.slack.clearOverrides();
});

test("Note and Promise open their forms with the account; Escalate messages the owner", async () => {
  let since = h.slack.calls.length;
  const click = await h.click({ actionId: "digest_note", value: "ACME", messageTs: digestTs() });
  const note = await h.waitFor("views.open", () => true, since);
  expect(note.args.trigger_id).toBe(click.payload.trigger_id);
  expect(note.args.view).toMatchObject({ callback_id: "note_modal" });
  expect(JSON.parse((note.args.view as { private_metadata: string }).private_metadata)).toMatchObject({ account: "ACME", channelId: "C0FINANCE" });

  since = h.slack.calls.length;
  await h.click({ actionId: "digest_promise", value: "ACME", messageTs: digestTs() });
  expect((await h.waitFor("views.open", () => true, since)).args.view).toMatchObject({ callback_id: "promise_modal" });

  since = h.slack.calls.length;
  await h.click({ actionId: "digest_escalate", value: "ACME", userId: "U0SAM", messageTs: digestTs() });
  expect(await h.answerTo("U0SAM", since)).toBe("Escalated Acme Corp: sent to lee@example.com.");
  expect((await h.waitFor("chat.postMessage", (c) => c.args.channel === "DU0LEE", since)).args.text).toContain("escalated *Acme Corp*");
  const thread = await h.waitFor("chat.postMessage", (c) => c.args.channel === "C0FINANCE" && c.args.thread_ts === digestTs(), since);
  expect(thread.args.text).toBe("sam@example.com escalated Acme Corp.");
});

test("Show all pages through every qualifying account, 20 at a time, with views.update", async () => {
  const since = h.slack.calls.length;
  const showAll = JSON.stringify({ asOf: "2026-11-20", scope: "finance" });
  await h.click({ actionId: "digest_show_all", value: showAll, messageTs: digestTs() });
  const opened = await h.waitFor("views.open", () => true, since);
  let view = opened.args.view as { id?: string; blocks: { type: string; block_id?: string; elements?: { action_id: string; value: string }[] }[]; private_metadata: string; callback_id: string };
  expect(view.callback_id).toBe("digest_pages");
  const total = Number(/of (\d+)/.exec(JSON.stringify(view.blocks[0]))![1]);
  expect(total).toBeGreaterThanOrEqual(530);
  const seen: string[] = [];
  let viewId = "V-pages";
  for (let page = 0; ; page++) {
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    seen.push(...view.blocks.filter((b) => b.block_id?.startsWith("entry:")).map((b) => b.block_id!));
    const next = view.blocks.flatMap((b) => b.elements ?? []).find((e) => e.action_id === "page_next");
    if (!next) break;
    const before = h.slack.calls.length;
    await h.click({ actionId: "page_next", value: next.value, view: { id: viewId, hash: `h${page}`, private_metadata: view.private_metadata, callback_id: "digest_pages" } });
    const updated = await h.waitFor("views.update", () => true, before);
    expect(updated.args).toMatchObject({ view_id: viewId, hash: `h${page}` });
    view = updated.args.view as typeof view;
    viewId = `V-pages`;
  }
  expect(seen).toHaveLength(total);
  expect(new Set(seen).size).toBe(total);
}, 120_000);

describe("forms: field errors in the acknowledgement, saving after it", () => {
  const meta = JSON.stringify({ account: "ACME", accountName: "Acme Corp", channelId: "C0FINANCE" });

  test("note: an empty note or an unknown account comes back as field errors; a valid one is saved once", async () => {
    const empty = await h.submit({ callbackId: "note_modal", values: { note_text: { value: "  " } }, privateMetadata: meta });
    expect(empty.response.json).toEqual({ response_action: "errors", errors: { note_text: "The note is empty: write what happened." } });
    const unknown = await h.submit({ callbackId: "note_modal", values: { account: { value: "nobody" }, note_text: { value: "x" } }, privateMetadata: "{}" });
    expect(unknown.response.json).toEqual({ response_action: "errors", errors: { account: "No account matches “nobody”. Try its customer id or part of its name." } });

    let since = h.slack.calls.length;
    const ok = await h.submit({ callbackId: "note_modal", values: { note_text: { value: "Promised to escalate internally" } }, privateMetadata: meta, viewId: "VNOTE1", hash: "1.abc" });
    expect(ok.response.status).toBe(200);
    expect(ok.response.text).toBe("");
    expect(await h.answerTo("U0DANA", since)).toBe("Note added to Acme Corp.");
    // The same view submitted again (same id and hash) changes nothing and posts nothing.
    since = h.slack.calls.length;
    await h.post(ok.body, "form");
    expect(await h.quietAfter(since)).toEqual([]);
  });

  test("promise: bad amount and past date are field errors; a valid promise is recorded and announced", async () => {
    const bad = await h.submit({ callbackId: "promise_modal", values: { amount: { value: "lots" }, currency: { value: "" }, promised_on: { selected_date: "2026-11-01" } }, privateMetadata: meta });
    expect(bad.response.json).toMatchObject({
      response_action: "errors",
      errors: { amount: expect.stringContaining("“lots” is not an amount"), promised_on: "That date is in the past; a promise is for today or later." },
    });
    const since = h.slack.calls.length;
    await h.submit({ callbackId: "promise_modal", values: { amount: { value: "1200,50" }, currency: { value: "usd" }, promised_on: { selected_date: "2026-11-25" } }, privateMetadata: meta });
    expect(await h.answerTo("U0DANA", since)).toBe("Promise recorded: Acme Corp will pay USD 1,200.50 by 25 Nov 2026.");
    expect((await h.waitFor("chat.postMessage", (c) => c.args.thread_ts === digestTs(), since)).args.text).toContain("recorded a promise: Acme Corp will pay USD 1,200.50");
  });

  test("a promise over the open balance is refused after the acknowledgement, privately", async () => {
    const since = h.slack.calls.length;
    const big = await h.submit({ callbackId: "promise_modal", values: { amount: { value: "99999999" }, currency: { value: "" }, promised_on: { selected_date: "2026-11-25" } }, privateMetadata: meta });
    expect(big.response.text).toBe("");
    expect(await h.answerTo("U0DANA", since)).toMatch(/^USD 99,999,999.00 is more than Acme Corp's open USD balance/);
  });

  test("dispute: an unknown invoice is a field error; a valid dispute is saved and announced", async () => {
    const bad = await h.submit({ callbackId: "dispute_modal", values: { invoice: { value: "NOPE-1" }, reason: { value: "x" } }, privateMetadata: JSON.stringify({ channelId: "C0FINANCE" }) });
    expect(bad.response.json).toEqual({ response_action: "errors", errors: { invoice: "No invoice numbered “NOPE-1”." } });
    const since = h.slack.calls.length;
    await h.submit({ callbackId: "dispute_modal", values: { invoice: { value: "acme-1003" }, reason: { value: "Wrong unit price" } }, privateMetadata: JSON.stringify({ channelId: "C0FINANCE" }), userId: "U0SAM" });
    expect(await h.answerTo("U0SAM", since)).toBe("ACME-1003 is disputed; it leaves the ranking until resolved.");
  });

  test("the account card's buttons open the forms", async () => {
    for (const [actionId, callback] of [
      ["card_note", "note_modal"],
      ["card_promise", "promise_modal"],
      ["card_dispute", "dispute_modal"],
    ]) {
      const since = h.slack.calls.length;
      await h.click({ actionId: actionId!, value: "ACME", messageTs: null });
      expect((await h.waitFor("views.open", () => true, since)).args.view).toMatchObject({ callback_id: callback });
    }
  });

  test("the account card lists open invoices, and More history pages through the whole timeline", async () => {
    const since = h.slack.calls.length;
    await h.command("account acme");
    const card = await h.waitFor("chat.postEphemeral", (c) => c.args.user === "U0DANA", since);
    expect(blocksText(card)).toContain("*Open invoices* (oldest due first)");
    expect(blocksText(card)).toMatch(/ACME-\d+ {2}due \d+ \w+ 2026, \d+ days past due {2}USD [\d,]+\.\d\d/);

    const page = h.slack.calls.length;
    await h.click({ actionId: "card_history", value: JSON.stringify({ account: "ACME", page: 1 }), messageTs: null });
    const history = await h.waitFor("chat.postEphemeral", (c) => c.args.user === "U0DANA", page);
    expect(history.args.text).toBe("Acme Corp (ACME): timeline");
    expect(blocksText(history)).toMatch(/Entries 1–\d+ of \d+/);
  });
});

test("App Home publishes my accounts, promises due this week and escalations", async () => {
  const since = h.slack.calls.length;
  const event = eventCallback(appHomeOpened("U0LEE"));
  await h.post(event.body, "json");
  const published = await h.waitFor("views.publish", () => true, since);
  expect(published.args.user_id).toBe("U0LEE");
  const view = blocksText(published);
  expect(view).toContain("As finance owner");
  expect(view).toContain("Acme Corp (ACME)");
  expect(view).toContain("Open escalations");
  expect(view).toContain("Acme Corp: escalated");
  // The retried event publishes nothing new.
  const retry = h.slack.calls.length;
  await h.post(event.body, "json", { headers: { "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" } });
  expect(await h.quietAfter(retry)).toEqual([]);
});
