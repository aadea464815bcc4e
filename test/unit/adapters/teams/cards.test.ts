import { activityBytes, renderDialogCard, renderDigestCards, renderEscalationCard, renderReplyCard } from "../../../../adapters/teams/render/cards";
import { MAX_ACTIVITY_BYTES } from "../../../../adapters/teams/teams-delivery";
import { currenciesOf, digestViewOf } from "../../../support/digest-views";
import { actionsOf as actions } from "../../../support/teams-harness";

const ids = new Map([["dana@example.com", "aad-dana"]]);
const context = { asOf: "2026-11-20", scope: "all" as const, offset: 0, limit: 20, paging: false };

describe("the Teams digest cards", () => {
  test("are Adaptive Cards 1.5 with per-account Claim / Assign / Escalate (Action.Execute) and Note / Promise / Dispute dialogs", () => {
    const [message] = renderDigestCards(digestViewOf(3), { ids, context, interactive: true }, MAX_ACTIVITY_BYTES);
    expect(message!.card.version).toBe("1.5");
    const titles = actions(message!.card).map((a) => `${a.type}:${a.title}`);
    expect(titles.filter((t) => t === "Action.Execute:Claim")).toHaveLength(3);
    expect(titles.filter((t) => t === "Action.ShowCard:Assign")).toHaveLength(3);
    expect(titles.filter((t) => t === "Action.Execute:Assign")).toHaveLength(3);
    expect(titles.filter((t) => t === "Action.Execute:Escalate")).toHaveLength(3);
    for (const form of ["Note", "Promise", "Dispute"]) {
      const buttons = actions(message!.card).filter((a) => a.title === form);
      expect(buttons).toHaveLength(3);
      for (const b of buttons) expect(b).toMatchObject({ type: "Action.Submit", data: { msteams: { type: "task/fetch" } } });
    }
    // Every Action.Execute carries the account's external id.
    for (const a of actions(message!.card).filter((a) => a.type === "Action.Execute")) expect((a.data as { account: string }).account).toMatch(/^A\d{4}$/);
  });

  test("mention owners Teams knows (an entity per person) and show the email of the others", () => {
    const view = digestViewOf(3);
    view.entries[1]!.owners.finance = "lee@example.com";
    const [message] = renderDigestCards(view, { ids, context, interactive: true }, MAX_ACTIVITY_BYTES);
    const text = JSON.stringify(message!.card.body);
    expect(text).toContain("finance <at>dana@example.com</at>");
    expect(text).toContain("finance lee@example.com");
    expect(message!.card.msteams?.entities).toEqual([{ type: "mention", text: "<at>dana@example.com</at>", mentioned: { id: "aad-dana", name: "dana@example.com" } }]);
  });

  test("split into activities each under 28 000 bytes, however many accounts, currencies and long names", () => {
    const longName = (i: number) => `Société Générale d'Équipements Industriels et Logistiques de la Région Nord ${i} — 株式会社`;
    for (const [count, top] of [
      [500, 20],
      [500, 500],
      [1, 1],
    ] as const) {
      const view = digestViewOf(count, { limit: top }, longName);
      view.currencies = currenciesOf(30);
      const messages = renderDigestCards(view, { ids, context: { ...context, limit: top }, interactive: true }, MAX_ACTIVITY_BYTES);
      for (const m of messages) expect(activityBytes(m)).toBeLessThan(MAX_ACTIVITY_BYTES);
      // Every account shown once, in order; the parts say so.
      const claims = messages.flatMap((m) => actions(m.card).filter((a) => a.title === "Claim").map((a) => (a.data as { account: string }).account));
      expect(claims).toEqual(view.entries.map((e) => e.accountId));
      if (messages.length > 1) expect(messages[1]!.text).toContain(`(part 2 of ${messages.length})`);
      messages.forEach((m, i) => actions(m.card).filter((a) => a.title === "Claim").forEach((a) => expect((a.data as { part: number }).part).toBe(i + 1)));
    }
  });

  test("offer Show all when the digest shows the top accounts only, and Previous / Next on pages", () => {
    const top = renderDigestCards(digestViewOf(45, { limit: 10 }), { ids, context: { ...context, limit: 10 }, interactive: true }, MAX_ACTIVITY_BYTES);
    expect(actions(top.at(-1)!.card).find((a) => a.title === "Show all 45")).toMatchObject({ type: "Action.Execute", data: { verb: "page", paging: true, offset: 0, limit: 10 } });
    const middle = renderDigestCards(digestViewOf(45, { offset: 10, limit: 10 }), { ids, context: { ...context, offset: 10, limit: 10, paging: true }, interactive: true }, MAX_ACTIVITY_BYTES);
    const paging = actions(middle.at(-1)!.card).filter((a) => a.title === "Previous" || a.title === "Next");
    expect(paging.map((a) => [a.title, (a.data as { offset: number }).offset])).toEqual([
      ["Previous", 0],
      ["Next", 20],
    ]);
    expect(JSON.stringify(middle[0]!.card)).toContain("Accounts 11–20 of 45");
  });
});

describe("replies, escalations and dialogs", () => {
  test("a reply card carries a plain-text summary; forms typed without arguments answer a dialog button", () => {
    expect(renderReplyCard({ kind: "done", text: "You now own Acme Corp for finance.", accountId: "ACME" }, "@arbot").text).toBe("You now own Acme Corp for finance.");
    const form = renderReplyCard({ kind: "form", form: "note" }, "@arbot");
    expect(actions(form.card)).toEqual([expect.objectContaining({ type: "Action.Submit", title: "Add a note", data: { verb: "note", msteams: { type: "task/fetch" } } })]);
  });

  test("an escalation card has I'm on it, Snooze and Reassign; a message without an escalation id has no buttons", () => {
    const view = { escalationId: 7, accountId: "ACME", accountName: "Acme Corp", reason: null, raisedBy: "arbot" };
    expect(actions(renderEscalationCard(view, ["Acme Corp has had no activity for 12 days."]).card).map((a) => a.title)).toEqual(["I'm on it", "Snooze", "Reassign"]);
    expect(actions(renderEscalationCard({ ...view, escalationId: null }, ["x"]).card)).toEqual([]);
  });

  test("a dialog shows each error right under its field, with what was typed", () => {
    const card = renderDialogCard("promise", { account: { externalId: "ACME", name: "Acme Corp" }, tomorrow: "2026-11-21", values: { amount: "12x" }, errors: { amount: "“12x” is not an amount." } });
    const body = card.body as Record<string, unknown>[];
    const amount = body.findIndex((b) => b.id === "amount");
    expect(body[amount]).toMatchObject({ type: "Input.Text", value: "12x" });
    expect(body[amount + 1]).toMatchObject({ type: "TextBlock", text: "“12x” is not an amount.", color: "Attention" });
    expect(body.find((b) => b.id === "promised_on")).toMatchObject({ type: "Input.Date", value: "2026-11-21" });
    expect(actions(card)).toEqual([{ type: "Action.Submit", title: "Save", data: { verb: "promise", account: "ACME" } }]);
  });
});
