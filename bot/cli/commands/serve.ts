import { loadOrganizationConfig, loadPort, loadSlackConfig, ConfigError, ORGANIZATION_VARIABLES } from "../../config";
import { parseCommandArgs, refuseAsOf } from "../args";
import { CliCommand, CliContext } from "../command";

const usage = "arbot serve";

/** Whether npm start should serve chat platforms rather than open the shell (section 3). */
export function wantsServer(env: Record<string, string | undefined>): boolean {
  return Boolean(env.SLACK_BOT_TOKEN?.trim() || env.MicrosoftAppId?.trim() || env.TEAMS_ALLOW_UNAUTHENTICATED === "1");
}

/** Runs until SIGINT or SIGTERM, then closes the server and the database cleanly. */
export async function serve(ctx: CliContext): Promise<number> {
  loadOrganizationConfig(ctx.io.env);
  const slack = loadSlackConfig(ctx.io.env);
  const port = loadPort(ctx.io.env);
  if (!slack) throw new ConfigError("SLACK_BOT_TOKEN", "arbot serve needs Slack (SLACK_BOT_TOKEN with SLACK_SIGNING_SECRET or SLACK_APP_TOKEN) configured");
  const { startServer } = await import("../../server");
  return ctx.withApp(ORGANIZATION_VARIABLES, async (app) => {
    const server = await startServer(app, { port, slack, log: (line) => ctx.io.err(line) });
    ctx.io.err(`arbot is serving on port ${server.port}: Slack ${slack.mode === "http" ? "over HTTP at POST /slack/events" : "in Socket Mode"}; GET /healthz`);
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
  summary: "serve Slack (HTTP or Socket Mode) and the daily channel digests",
  async run(args, ctx) {
    refuseAsOf(args, "serve");
    const { positionals } = parseCommandArgs(args, {}, usage);
    ctx.rejectExtra(positionals, usage);
    return serve(ctx);
  },
};
