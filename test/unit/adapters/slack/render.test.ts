import type { types } from "@slack/bolt";
import { PAGE_SIZE, renderDigestMessage, renderDigestPage } from "../../../../adapters/slack/render/digest-blocks";
import { renderFormModal } from "../../../../adapters/slack/render/modal-views";
import { renderAccountCard, renderHome } from "../../../../adapters/slack/render/reply-blocks";
import { ACTIONS } from "../../../../adapters/slack/slack-ids";
import { clip } from "../../../../adapters/slack/render/limits";
import { renderStats } from "../../../../adapters/slack/render/reply-blocks";
import { ArStats } from "../../../../domain/usecases/get-ar-stats";
import { currenciesOf, digestViewOf } from "../../../support/digest-views";

const owners = new Map([["dana@example.com", "<@U0DANA>"]]);
const options = { owners, scope: "all" as const, interactive: true };

function sectionTexts(blocks: types.KnownBlock[]): string[] {
  return blocks.flatMap((b) => (b.type === "section" && b.text ? [b.text.text] : []));
}

function buttons(blocks: types.KnownBlock[]): types.Button[] {
  return blocks.flatMap((b) => (b.type === "actions" ? (b.elements as types.Button[]) : []));
}

describe("the channel digest message", () => {
  test("stays within 50 blocks even for 500 accounts and the largest AR_DIGEST_TOP", () => {
    for (const top of [1, 10, 20, 500]) {
      const message = renderDigestMessage(digestViewOf(500, { limit: top }), options);
      expect(message.blocks.length).toBeLessThanOrEqual(50);
    }
  });

  test("names owners as mentions, with the email when Slack does not know them, and four buttons per account", () => {
    const view = digestViewOf(3);
    view.entries[2]!.owners.finance = "lee@example.com";
    const message = renderDigestMessage(view, options);
    const texts = sectionTexts(message.blocks);
    expect(texts[1]).toContain("Owners: finance <@U0DANA>");
    expect(texts[2]).toContain("finance —");
    expect(texts[3]).toContain("finance lee@example.com");
    const perAccount = buttons(message.blocks).map((b) => b.action_id);
    expect(perAccount).toEqual(Array(3).fill([ACTIONS.digestClaim, ACTIONS.digestNote, ACTIONS.digestPromise, ACTIONS.digestEscalate]).flat());
    expect(buttons(message.blocks).every((b) => b.value === b.value?.slice(0, 2000))).toBe(true);
  });

  test("a subscription for one function names only that function's owners", () => {
    const message = renderDigestMessage(digestViewOf(1), { ...options, scope: "sales" });
    expect(sectionTexts(message.blocks)[1]).toContain("Owners: sales —");
    expect(sectionTexts(message.blocks)[1]).not.toContain("<@U0DANA>");
  });

  test("offers Show all N when not every account fits", () => {
    const message = renderDigestMessage(digestViewOf(500, { limit: 10 }), options);
    const showAll = buttons(message.blocks).find((b) => b.action_id === ACTIONS.digestShowAll)!;
    expect(showAll.text.text).toBe("Show all 500");
    expect(JSON.parse(showAll.value!)).toEqual({ asOf: "2026-11-20", scope: "all" });
  });

  test("long names and reasons are clipped to Slack's limits, and mrkdwn control characters escaped", () => {
    const view = digestViewOf(1, {}, () => `<Evil & Co> ${"x".repeat(5000)}`);
    const message = renderDigestMessage(view, options);
    for (const text of sectionTexts(message.blocks)) expect(text.length).toBeLessThanOrEqual(3000);
    expect(sectionTexts(message.blocks)[1]).toContain("&lt;Evil &amp; Co&gt;");
  });

  test("every currency's totals and aging are shown whole, or counted in a closing line, with 20 accounts still listed", () => {
    for (const count of [1, 12, 30, 200]) {
      const view = { ...digestViewOf(500, { limit: 20 }), currencies: currenciesOf(count) };
      const message = renderDigestMessage(view, options);
      expect(message.blocks.length).toBeLessThanOrEqual(50);
      const texts = sectionTexts(message.blocks);
      for (const text of texts) expect(text.length).toBeLessThanOrEqual(3000);
      const whole = texts.join("\n").match(/^\*C[A-Z]{2}\* C[A-Z]{2} 1,234,567\.89 undisputed overdue · 3 accounts\nAR .* · 90\+: 1,234,567\.89 · disputed C[A-Z]{2} 1,234,567\.89$/gm) ?? [];
      const more = Number(/…and (\d+) more currencies/.exec(texts.join("\n"))?.[1] ?? 0);
      expect(whole.length + more).toBe(count);
      expect(texts.filter((t) => /^\*\d+\. /.test(t))).toHaveLength(20);
    }
  });

  test("block ids stay unique when long account ids share a prefix", () => {
    const view = digestViewOf(3);
    view.entries.forEach((entry, i) => (entry.accountId = `${"X".repeat(300)}${i}`));
    const ids = renderDigestMessage(view, options).blocks.flatMap((b) => (b.block_id ? [b.block_id] : []));
    expect(new Set(ids).size).toBe(ids.length);
  });
});

test("clipping never splits a surrogate pair, an escaped character or a mention", () => {
  expect(clip(`${"a".repeat(8)}😀😀`, 10)).toBe(`${"a".repeat(8)}…`);
  expect(clip(`${"a".repeat(6)}&amp;b`, 10)).toBe(`${"a".repeat(6)}…`);
  expect(clip(`abc <@U012345>`, 10)).toBe("abc …");
  expect(clip("short", 10)).toBe("short");
});

describe("the Show all modal", () => {
  test("pages through 500 accounts 20 at a time, every account exactly once, each page within 100 blocks", () => {
    const seen: string[] = [];
    let offset = 0;
    let pages = 0;
    for (;;) {
      const modal = renderDigestPage(digestViewOf(500, { offset, limit: PAGE_SIZE }), { ...options, interactive: false, metadata: { asOf: "2026-11-20", offset, scope: "all" } });
      pages++;
      expect(modal.blocks.length).toBeLessThanOrEqual(100);
      const blocks = modal.blocks as types.KnownBlock[];
      expect(modal.title.text.length).toBeLessThanOrEqual(24);
      expect(modal.private_metadata!.length).toBeLessThanOrEqual(3000);
      seen.push(...sectionTexts(blocks).flatMap((text) => [...text.matchAll(/^\*\d+\. .*?\* \((A\d{4})\)/gm)].map((m) => m[1]!)));
      const next = buttons(blocks).find((b) => b.action_id === ACTIONS.pageNext);
      if (!next) break;
      offset = Number(next.value);
    }
    expect(pages).toBe(25);
    expect(seen).toHaveLength(500);
    expect(new Set(seen).size).toBe(500);
  });

  test("the first page has no Previous, the last no Next", () => {
    const first = renderDigestPage(digestViewOf(45, { offset: 0, limit: 20 }), { ...options, metadata: { asOf: "2026-11-20", offset: 0, scope: "all" } });
    expect(buttons(first.blocks as types.KnownBlock[]).map((b) => b.action_id)).toEqual([ACTIONS.pageNext]);
    const last = renderDigestPage(digestViewOf(45, { offset: 40, limit: 20 }), { ...options, metadata: { asOf: "2026-11-20", offset: 40, scope: "all" } });
    expect(buttons(last.blocks as types.KnownBlock[]).map((b) => [b.action_id, b.value])).toEqual([[ACTIONS.pagePrevious, "20"]]);
  });
});

test("forms respect modal limits and carry the account in private_metadata", () => {
  for (const form of ["note", "promise", "dispute"] as const) {
    const modal = renderFormModal(form, { account: "ACME", accountName: "Acme Corp", channelId: "C1" }, "2026-11-21");
    expect(modal.title.text.length).toBeLessThanOrEqual(24);
    expect(JSON.parse(modal.private_metadata!)).toMatchObject({ account: "ACME", channelId: "C1" });
  }
  const huge = renderFormModal("note", { query: "q".repeat(5000) }, "2026-11-21");
  expect(huge.private_metadata!.length).toBeLessThanOrEqual(3000);
  const longName = renderFormModal("promise", { account: "ACME", accountName: "&".repeat(2000) }, "2026-11-21");
  for (const text of sectionTexts(longName.blocks as types.KnownBlock[])) expect(text.length).toBeLessThanOrEqual(3000);
});

const REAL_CODES =
  "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP BYN BZD " +
  "CAD CDF CHE CHF CHW CNY COP COU CRC CUC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD";

test("stats list 40 currencies and count the rest, within 50 blocks", () => {
  const currency = (code: string): ArStats["currencies"][number] => ({
    currency: code,
    ar: 100n,
    overdue: 50n,
    disputed: 0n,
    buckets: { current: 50n, "1-30": 50n, "31-60": 0n, "61-90": 0n, "90+": 0n },
    sales90: 100n,
    dsoStandard: 90,
    dsoBestPossible: 45,
    add: 45,
    dsoCountback: 30,
    cei: 50,
  });
  const stats: ArStats = { asOf: "2026-11-20", currencies: REAL_CODES.split(" ").map(currency), promises: { open: 0, kept: 0, broken: 0, keptRate: null }, disputes: { open: 0, oldestDays: null } };
  const message = renderStats(stats);
  expect(message.blocks.length).toBeLessThanOrEqual(50);
  expect(sectionTexts(message.blocks).filter((t) => /^\*[A-Z]{3}\* AR /.test(t))).toHaveLength(40);
  expect(sectionTexts(message.blocks).join("\n")).toContain("…and 5 more currencies");
});

test("the account card and App Home stay within their block limits", () => {
  const card = renderAccountCard(
    {
      accountId: "ACME",
      name: "Acme Corp",
      title: "Acme Corp (ACME)",
      details: "Tier: enterprise",
      openInvoices: Array.from({ length: 15 }, (_, i) => ({ number: `INV-${i}`.repeat(20), due: "1 Nov 2026", daysPastDue: 20, open: "USD 1,000,000.00", disputed: i % 2 === 0 })),
      moreInvoices: "…and 300 more open invoices",
      brokenPromise: null,
      priority: "#1 of 400 in today's digest (score 92 = amount 40 + age 30 + over 90 days 10 + stalled 7 + no owner 5)",
      history: false,
      timelineNote: "Latest 10 of 400 entries: account ACME history shows them all.",
      moreTimeline: "account ACME history",
      balances: Array.from({ length: 30 }, (_, i) => ({ currency: `C${i}`, open: "1", overdue: "1", disputed: "0", maxDaysPastDue: 3 })),
      owners: [{ function: "finance", owner: "dana@example.com", since: "1 Nov 2026" }],
      openPromises: [],
      disputes: [],
      timeline: Array.from({ length: 10 }, () => ({ when: "1 Nov 2026", who: "dana@example.com", what: "x".repeat(600) })),
    },
    owners,
  );
  expect(card.blocks.length).toBeLessThanOrEqual(50);
  for (const text of sectionTexts(card.blocks)) expect(text.length).toBeLessThanOrEqual(3000);
  const home = renderHome({ asOf: "2026-11-20", accounts: Array.from({ length: 400 }, (_, i) => ({ function: "finance", accountId: `A${i}`, name: `N${i}`, overdue: "USD 1", since: "x" })), promisesDue: [], escalations: [] });
  expect(home.blocks.length).toBeLessThanOrEqual(100);
  expect(sectionTexts(home.blocks as types.KnownBlock[]).join("\n")).toContain("…and 375 more");
});
