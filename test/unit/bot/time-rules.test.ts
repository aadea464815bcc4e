import { loadOrganizationConfig, ConfigError } from "../../../bot/config";
import { parseCommand } from "../../../bot/commands/grammar";

/** AR_DIGEST_TIME / AR_TIMEZONE and `subscribe … at HH:MM <zone>` follow one rule each. */
describe("a time of day and a time zone mean the same in configuration and in chat", () => {
  test.each(["8:30", "08:30", "23:59", "0:00"])("%s is a time for both", (time) => {
    const config = loadOrganizationConfig({ AR_DIGEST_TIME: time });
    const command = parseCommand(`subscribe at ${time}`);
    expect(command).toEqual({ kind: "subscribe", scope: "all", time: config.digestTime });
  });

  test.each(["24:00", "9am", "8:5", "08:60"])("%s is refused by both", (time) => {
    expect(() => loadOrganizationConfig({ AR_DIGEST_TIME: time })).toThrow(ConfigError);
    expect(() => parseCommand(`subscribe at ${time}`)).toThrow("is not a time");
  });

  test.each([
    ["Europe/Paris", true],
    ["UTC", true],
    ["America/Argentina/Buenos_Aires", true],
    ["Mars/Base", false],
    ["EST", false],
  ])("%s: a zone for both = %s", (zone, valid) => {
    const config = () => loadOrganizationConfig({ AR_TIMEZONE: zone });
    const chat = () => parseCommand(`subscribe at 09:00 ${zone}`);
    if (valid) {
      expect(config().timeZone).toBe(zone);
      expect(chat()).toMatchObject({ timeZone: zone });
    } else {
      expect(config).toThrow("AR_TIMEZONE: not an IANA time zone");
      expect(chat).toThrow("is not a time zone");
    }
  });
});
