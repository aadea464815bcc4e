import { PrismaChatConversations } from "../../../adapters/db/prisma-chat-conversations";
import { StoredConversation } from "../../../domain/ports/chat-conversations.port";
import { useTestApp } from "../../support/test-app";

const t = useTestApp();
const store = () => new PrismaChatConversations(t.app.db.prisma);
const now = () => t.app.clock.now();

function conversation(id: string, over: Partial<StoredConversation> = {}): Omit<StoredConversation, "disabled"> {
  return { platform: "teams", conversationId: id, tenantId: "tenant-1", teamId: "team-1", kind: "channel", userId: null, reference: { serviceUrl: "https://smba.example/", conversation: { id } }, ...over };
}

test("an installation stores the reference; a later message refreshes it", async () => {
  await store().save(conversation("19:general"), now());
  await store().save(conversation("19:general", { reference: { serviceUrl: "https://smba.example/emea/", conversation: { id: "19:general" } } }), now());
  expect(await store().find("teams", "19:general")).toMatchObject({ kind: "channel", teamId: "team-1", disabled: false, reference: { serviceUrl: "https://smba.example/emea/" } });
  expect(await store().find("slack", "19:general")).toBeNull();
});

test("the bot removed from a team disables every channel of that team; installed again, a channel is enabled", async () => {
  await store().save(conversation("19:general"), now());
  await store().save(conversation("19:finance"), now());
  await store().save(conversation("19:other", { teamId: "team-2" }), now());
  expect(await store().disable("teams", { teamId: "team-1" }, now())).toBe(2);
  expect((await store().find("teams", "19:finance"))?.disabled).toBe(true);
  expect((await store().find("teams", "19:other"))?.disabled).toBe(false);
  await store().save(conversation("19:finance"), now());
  expect((await store().find("teams", "19:finance"))?.disabled).toBe(false);
  expect(await store().disable("teams", { conversationId: "19:other" }, now())).toBe(1);
});

test("a person's personal chat, and where a new 1:1 chat can start from (the same tenant first)", async () => {
  await store().save(conversation("a:dana", { kind: "personal", teamId: null, userId: "aad-dana" }), now());
  await store().save(conversation("19:elsewhere", { tenantId: "tenant-2" }), now());
  expect((await store().personalOf("teams", "aad-dana"))?.conversationId).toBe("a:dana");
  expect(await store().personalOf("teams", "aad-lee")).toBeNull();
  expect((await store().anyOf("teams", "tenant-1"))?.conversationId).toBe("a:dana");
  expect((await store().anyOf("teams", "tenant-9"))?.tenantId).toEqual(expect.any(String));
  await store().disable("teams", { conversationId: "a:dana" }, now());
  expect(await store().personalOf("teams", "aad-dana")).toBeNull();
});
