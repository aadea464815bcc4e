import { ConfigError, Env, present } from "../../bot/config";

export interface TeamsConfig {
  /** Empty when authentication is off (TEAMS_ALLOW_UNAUTHENTICATED=1). */
  appId: string;
  appPassword: string;
  appType: "MultiTenant" | "SingleTenant";
  tenantId: string;
  /** Bot Framework authentication is off: inbound requests are not checked, outbound calls carry no token. */
  unauthenticated: boolean;
}

/** Every variable Teams reads: setting any of them means Teams is wanted. */
export const TEAMS_VARIABLES = ["MicrosoftAppId", "MicrosoftAppPassword", "MicrosoftAppType", "MicrosoftAppTenantId", "TEAMS_ALLOW_UNAUTHENTICATED"] as const;

/**
 * Microsoft Teams through the Bot Framework: the Azure bot's app id and secret (and, for a
 * single-tenant bot, its tenant); null when nothing Teams is set; a partial set is a
 * configuration error. TEAMS_ALLOW_UNAUTHENTICATED=1 (emulators, tests) turns
 * authentication off and needs nothing else.
 */
export function loadTeamsConfig(env: Env): TeamsConfig | null {
  const e = present(env);
  const appId = e.MicrosoftAppId?.trim() ?? "";
  const appPassword = e.MicrosoftAppPassword?.trim() ?? "";
  const tenantId = e.MicrosoftAppTenantId?.trim() ?? "";
  const allow = e.TEAMS_ALLOW_UNAUTHENTICATED?.trim();
  if (allow !== undefined && allow !== "1" && allow !== "0") throw new ConfigError("TEAMS_ALLOW_UNAUTHENTICATED", "expected 1 (authentication off, for emulators and tests) or 0");
  const rawType = e.MicrosoftAppType?.trim();
  if (rawType !== undefined && rawType !== "MultiTenant" && rawType !== "SingleTenant") {
    throw new ConfigError("MicrosoftAppType", "expected MultiTenant or SingleTenant (as on the Azure Bot resource)");
  }
  const appType = rawType ?? "MultiTenant";
  if (allow === "1") return { appId: "", appPassword: "", appType: "MultiTenant", tenantId, unauthenticated: true };
  if (!appId && !appPassword && !tenantId && rawType === undefined) return null;
  if (!appId) throw new ConfigError("MicrosoftAppId", "missing: Teams needs the bot's Microsoft App ID (Azure Bot resource → Configuration)");
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(appId)) throw new ConfigError("MicrosoftAppId", "expected the bot's app id, a GUID such as 00000000-0000-0000-0000-000000000000");
  if (!appPassword) throw new ConfigError("MicrosoftAppPassword", "missing: Teams needs a client secret of the bot's app registration");
  if (appType === "SingleTenant" && !tenantId) throw new ConfigError("MicrosoftAppTenantId", "missing: a SingleTenant bot needs its directory (tenant) id");
  return { appId, appPassword, appType, tenantId, unauthenticated: false };
}
