import { loadTeamsConfig } from "../../../../adapters/teams/teams-config";
import { ConfigError } from "../../../../bot/config";

const APP_ID = "00000000-1111-2222-3333-444444444444";

describe("the Teams configuration", () => {
  test("nothing set: Teams is not wanted", () => {
    expect(loadTeamsConfig({})).toBeNull();
    expect(loadTeamsConfig({ MicrosoftAppId: "  " })).toBeNull();
  });

  test("app id and password: authenticated, multi-tenant by default", () => {
    expect(loadTeamsConfig({ MicrosoftAppId: APP_ID, MicrosoftAppPassword: "secret" })).toEqual({ appId: APP_ID, appPassword: "secret", appType: "MultiTenant", tenantId: "", unauthenticated: false });
  });

  test("TEAMS_ALLOW_UNAUTHENTICATED=1 turns authentication off and needs nothing else", () => {
    expect(loadTeamsConfig({ TEAMS_ALLOW_UNAUTHENTICATED: "1" })).toMatchObject({ appId: "", unauthenticated: true });
  });

  test.each([
    [{ MicrosoftAppPassword: "secret" }, "MicrosoftAppId"],
    [{ MicrosoftAppId: "not-a-guid", MicrosoftAppPassword: "secret" }, "MicrosoftAppId"],
    [{ MicrosoftAppId: APP_ID }, "MicrosoftAppPassword"],
    [{ MicrosoftAppId: APP_ID, MicrosoftAppPassword: "s", MicrosoftAppType: "SingleTenant" }, "MicrosoftAppTenantId"],
    [{ MicrosoftAppId: APP_ID, MicrosoftAppPassword: "s", MicrosoftAppType: "UserAssignedMSI" }, "MicrosoftAppType"],
    [{ TEAMS_ALLOW_UNAUTHENTICATED: "yes" }, "TEAMS_ALLOW_UNAUTHENTICATED"],
  ])("a partial or invalid set is a configuration error naming the variable (%j)", (env, variable) => {
    let error: unknown;
    try {
      loadTeamsConfig(env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe(variable);
  });
});
