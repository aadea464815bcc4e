// npm run teams:package: the zip a Teams admin uploads (Teams admin center → Manage apps →
// Upload, or Teams → Apps → Manage your apps → Upload an app): manifest.json with the bot's
// app id (MicrosoftAppId) and the server's domain (TEAMS_BOT_DOMAIN, else the host of
// ARBOT_PUBLIC_URL) filled in, and the two icons. Store-only zip, written here: no dependency.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { crc32 } = require("./png");

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The manifest with the app id and domain filled in; throws a sentence naming the variable. */
function fillManifest(template, env) {
  const appId = (env.MicrosoftAppId || "").trim();
  if (!GUID.test(appId)) throw new Error("MicrosoftAppId: set it to the bot's Microsoft App ID (a GUID, from the Azure Bot resource → Configuration)");
  let domain = (env.TEAMS_BOT_DOMAIN || "").trim();
  if (!domain && env.ARBOT_PUBLIC_URL) domain = new URL(env.ARBOT_PUBLIC_URL).host;
  if (!domain) throw new Error("TEAMS_BOT_DOMAIN: set it to the public host name of the messaging endpoint, such as arbot.example.com");
  return template.replaceAll("{{MicrosoftAppId}}", appId).replaceAll("{{BotDomain}}", domain);
}

/** A zip archive of the files, stored (not deflated): every Teams client and admin center reads it. */
function zip(files) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const { name, data } of files) {
    const nameBytes = Buffer.from(name, "utf8");
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(0, 8); // stored
    local.writeUInt16LE(0, 10); // time
    local.writeUInt16LE(0x21, 12); // date: 1980-01-01, the earliest a zip can say
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, nameBytes, data);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(0, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

function main() {
  const out = path.resolve(process.argv[2] || path.join(__dirname, "build", "arbot-teams.zip"));
  let manifest;
  try {
    manifest = fillManifest(fs.readFileSync(path.join(__dirname, "manifest.json"), "utf8"), process.env);
  } catch (error) {
    process.stderr.write(`teams:package: ${error.message}\n`);
    process.exit(78);
  }
  const files = [
    { name: "manifest.json", data: Buffer.from(manifest, "utf8") },
    { name: "color.png", data: fs.readFileSync(path.join(__dirname, "color.png")) },
    { name: "outline.png", data: fs.readFileSync(path.join(__dirname, "outline.png")) },
  ];
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, zip(files));
  process.stdout.write(`wrote ${out}: upload it in the Teams admin center (Manage apps → Upload) or in Teams (Apps → Manage your apps → Upload an app)\n`);
}

if (require.main === module) main();

module.exports = { fillManifest, zip };
