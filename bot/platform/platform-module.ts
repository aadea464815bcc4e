import { Env } from "../config";
import { PlatformDirectory } from "../../domain/ports/platform-directory.port";
import { ChatConversationStore } from "../../domain/ports/chat-conversations.port";
import { UserPolicy } from "../../domain/usecases/resolve-user";
import { BotServices } from "../commands/dispatch";
import { ChatPlatform } from "./chat-platform";

/** What the composition root hands a platform when it connects it. */
export interface PlatformDeps {
  services: BotServices;
  directory: PlatformDirectory;
  /** Stored conversation references (Teams posts through them). */
  conversations: ChatConversationStore;
  userPolicy: UserPolicy;
  log: (line: string) => void;
}

/**
 * A chat platform as the composition root sees it, one per folder of adapters/: the
 * variables that configure it, how to read them, and how to connect it.
 */
export interface PlatformModule<Config> {
  name: string;
  label: string;
  /** The variables to set, for the line that says how to configure a platform. */
  setup: string;
  /**
   * Its configuration, or null when none of its variables is set. A partial or invalid
   * set throws a ConfigError naming the variable (exit 78).
   */
  load(env: Env): Config | null;
  /**
   * Checks the credentials with the platform and returns it ready to notify and to mount.
   * Refused credentials throw a ConfigError (78); an unreachable platform
   * ChatPlatformUnavailable (75).
   */
  connect(config: Config, deps: PlatformDeps): Promise<ChatPlatform>;
}

/** A platform whose variables are set, ready to connect. */
export interface ConfiguredPlatform {
  name: string;
  label: string;
  connect(deps: PlatformDeps): Promise<ChatPlatform>;
}

/** The configured platforms among `modules`, in order; a partial configuration throws. */
export function configuredPlatforms(modules: readonly PlatformModule<unknown>[], env: Env): ConfiguredPlatform[] {
  return modules.flatMap((module) => {
    const config = module.load(env);
    return config === null ? [] : [{ name: module.name, label: module.label, connect: (deps: PlatformDeps) => module.connect(config, deps) }];
  });
}

/** Connects each platform in turn; one that fails stops the others already connected. */
export async function connectAll(platforms: ConfiguredPlatform[], deps: PlatformDeps): Promise<ChatPlatform[]> {
  const connected: ChatPlatform[] = [];
  try {
    for (const platform of platforms) connected.push(await platform.connect(deps));
    return connected;
  } catch (error) {
    await Promise.allSettled(connected.map((p) => p.stop()));
    throw error;
  }
}
