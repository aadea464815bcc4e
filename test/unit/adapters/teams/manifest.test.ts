import fs from "node:fs";
import path from "node:path";
import { USAGE } from "../../../../bot/commands/grammar";

const FOLDER = path.resolve(__dirname, "../../../../manifest/teams");
const manifest = JSON.parse(fs.readFileSync(path.join(FOLDER, "manifest.json"), "utf8"));
// The packaging script is plain JavaScript run by npm: loaded as it runs.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { fillManifest, zip } = require(path.join(FOLDER, "package.js")) as {
  fillManifest(template: string, env: Record<string, string>): string;
  zip(files: { name: string; data: Buffer }[]): Buffer;
};

/** Width, height and colour type from a PNG's IHDR chunk. */
function pngInfo(file: string): { width: number; height: number; colorType: number; signature: boolean } {
  const data = fs.readFileSync(path.join(FOLDER, file));
  return {
    signature: data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
    width: data.readUInt32BE(16),
    height: data.readUInt32BE(20),
    colorType: data[25]!,
  };
}

describe("the Teams app manifest", () => {
  test("has the fields the Teams schema requires, at a current schema version", () => {
    expect(manifest.$schema).toBe(`https://developer.microsoft.com/en-us/json-schemas/teams/v${manifest.manifestVersion}/MicrosoftTeams.schema.json`);
    expect(Number(manifest.manifestVersion)).toBeGreaterThanOrEqual(1.17);
    for (const field of ["version", "id", "developer", "name", "description", "icons", "accentColor"]) expect(manifest[field]).toBeDefined();
    expect(manifest.version).toMatch(/^\d+\.\d+\.\d+$/);
    for (const field of ["name", "websiteUrl", "privacyUrl", "termsOfUseUrl"]) expect(manifest.developer[field]).toEqual(expect.any(String));
    expect(manifest.name.short.length).toBeLessThanOrEqual(30);
    expect(manifest.name.full.length).toBeLessThanOrEqual(100);
    expect(manifest.description.short.length).toBeLessThanOrEqual(80);
    expect(manifest.description.full.length).toBeLessThanOrEqual(4000);
    expect(manifest.accentColor).toMatch(/^#[0-9A-Fa-f]{6}$/);
    expect(manifest.validDomains).toEqual(["{{BotDomain}}"]);
  });

  test("the bot is in team, group chat and personal scopes with the same id as the app, and lists real commands", () => {
    expect(manifest.bots).toHaveLength(1);
    const bot = manifest.bots[0];
    expect(bot.botId).toBe(manifest.id);
    expect(new Set(bot.scopes)).toEqual(new Set(["team", "groupChat", "personal"]));
    const commands = bot.commandLists.flatMap((list: { commands: { title: string; description: string }[] }) => list.commands);
    expect(commands.length).toBeGreaterThan(0);
    for (const list of bot.commandLists) expect(list.commands.length).toBeLessThanOrEqual(10);
    for (const command of commands) {
      expect(Object.keys(USAGE)).toContain(command.title);
      expect(command.title.length).toBeLessThanOrEqual(32);
      expect(command.description.length).toBeLessThanOrEqual(128);
    }
  });

  test("color.png is 192×192 and outline.png 32×32 with transparency", () => {
    expect(manifest.icons).toEqual({ color: "color.png", outline: "outline.png" });
    expect(pngInfo("color.png")).toMatchObject({ signature: true, width: 192, height: 192 });
    expect(pngInfo("outline.png")).toMatchObject({ signature: true, width: 32, height: 32, colorType: 6 });
  });

  test("teams:package fills in the app id and the domain, and refuses to package without them", () => {
    const template = fs.readFileSync(path.join(FOLDER, "manifest.json"), "utf8");
    const filled = JSON.parse(fillManifest(template, { MicrosoftAppId: "00000000-1111-2222-3333-444444444444", ARBOT_PUBLIC_URL: "https://ar.example.org/" }));
    expect(filled.id).toBe("00000000-1111-2222-3333-444444444444");
    expect(filled.bots[0].botId).toBe("00000000-1111-2222-3333-444444444444");
    expect(filled.validDomains).toEqual(["ar.example.org"]);
    expect(() => fillManifest(template, { TEAMS_BOT_DOMAIN: "ar.example.org" })).toThrow(/MicrosoftAppId/);
    expect(() => fillManifest(template, { MicrosoftAppId: "00000000-1111-2222-3333-444444444444" })).toThrow(/TEAMS_BOT_DOMAIN/);
  });

  test("the zip holds each file whole, named in its central directory", () => {
    const files = [
      { name: "manifest.json", data: Buffer.from('{"a":1}') },
      { name: "color.png", data: fs.readFileSync(path.join(FOLDER, "color.png")) },
    ];
    const archive = zip(files);
    const end = archive.length - 22;
    expect(archive.readUInt32LE(end)).toBe(0x06054b50);
    expect(archive.readUInt16LE(end + 10)).toBe(2);
    let entry = archive.readUInt32LE(end + 16);
    for (const file of files) {
      expect(archive.readUInt32LE(entry)).toBe(0x02014b50);
      const nameLength = archive.readUInt16LE(entry + 28);
      expect(archive.subarray(entry + 46, entry + 46 + nameLength).toString()).toBe(file.name);
      const local = archive.readUInt32LE(entry + 42);
      const localName = archive.readUInt16LE(local + 26);
      const size = archive.readUInt32LE(local + 18);
      expect(archive.subarray(local + 30 + localName, local + 30 + localName + size).equals(file.data)).toBe(true);
      entry += 46 + nameLength;
    }
  });
});
