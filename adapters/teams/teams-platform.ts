import type { ChatPlatform, PlatformSyntax } from "../../bot/platform/chat-platform";
import type { PlatformDeps, PlatformModule } from "../../bot/platform/platform-module";
import { loadTeamsConfig, TeamsConfig } from "./teams-config";

/**
 * How Teams text reads once the bot's own mention is stripped: the controller turns another
 * person's `<at>Name</at>` into `<at:id>` from the activity's mention entities (their Entra
 * object id when Teams gives it); addresses come plain.
 */
export const teamsSyntax: PlatformSyntax = {
  decodeMention: (word: string) => /^<at:([^>\s]+)>$/.exec(word)?.[1] ?? null,
  decodeEmail: () => null,
};

/** Microsoft Teams as a chat platform: the composition root lists it; nothing else names it. */
export const teamsPlatform: PlatformModule<TeamsConfig> = {
  name: "teams",
  label: "Microsoft Teams",
  setup: "MicrosoftAppId with MicrosoftAppPassword (or TEAMS_ALLOW_UNAUTHENTICATED=1 for local tests)",
  load: loadTeamsConfig,
  // botbuilder and teams-ai load only when a command talks to Teams.
  connect: async (config: TeamsConfig, deps: PlatformDeps): Promise<ChatPlatform> => (await import("./teams-connect")).connectTeams(config, deps),
};
