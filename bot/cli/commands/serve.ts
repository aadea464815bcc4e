import { loadOrganizationConfig, loadPort, ConfigError, ORGANIZATION_VARIABLES } from "../../config";
import { PLATFORM_SETUP, platformDeps, platformsIn } from "../../main";
import { connectAll } from "../../platform/platform-module";
import { parseCommandArgs, refuseAsOf } from "../args";
import { CliCommand, CliContext } from "../command";

const usage = "arbot serve";

/**
 * Whether npm start should serve chat platforms rather than open the shell (section 3): any
 * platform configured. A platform configured in part is a configuration error, not the shell.
 */
export function wantsServer(env: Record<string, string | undefined>): boolean {
  return platformsIn(env).length > 0;
}

/** Runs until SIGINT or SIGTERM, then closes the server and the database cleanly. */
export async function serve(ctx: CliContext): Promise<number> {
  loadOrganizationConfig(ctx.io.env);
  const configured = platformsIn(ctx.io.env);
  const port = loadPort(ctx.io.env);
  if (configured.length === 0) throw new ConfigError("chat platform", `arbot serve needs one configured: set ${PLATFORM_SETUP}`);
  // The HTTP server (Express) loads only for the command that serves.
  const { startServer } = await import("../../server");
  return ctx.withApp(ORGANIZATION_VARIABLES, async (app) => {
    const log = (line: string) => ctx.io.err(line);
    const platforms = await connectAll(configured, platformDeps(app, log));
    const server = await startServer(app, { port, platforms, log });
    ctx.io.err(`arbot is serving on port ${server.port}: ${platforms.map((p) => `${p.label} ${p.endpoint}`).join("; ")}; GET /healthz`);
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
    ctx.io.err("arbot is stopping");
    await server.close();
    return 0;
  });
}

export const serveCommand: CliCommand = {
  name: "serve",
  usage,
  summary: "serve the configured chat platforms (Slack over HTTP or Socket Mode, Microsoft Teams at POST /api/messages) and the daily channel digests",
  async run(args, ctx) {
    refuseAsOf(args, "serve");
    const { positionals } = parseCommandArgs(args, {}, usage);
    ctx.rejectExtra(positionals, usage);
    return serve(ctx);
  },
};
