import { renderReplyText } from "../../../adapters/shell/text-reply";
import { handleText } from "../../commands/dispatch";
import { USAGE } from "../../commands/grammar";
import { ORGANIZATION_VARIABLES } from "../../config";
import { localAdmin } from "../../local-admin";
import { refuseAsOf } from "../args";
import { EXIT } from "../cli-errors";
import { CliCommand } from "../command";

/** Chat commands that also make sense on the command line, with the same words. */
const CHAT_VERBS = [
  ["account", "the account card: balances, open invoices, owners, promise, disputes, timeline"],
  ["mine", "your accounts, promises due this week and escalations"],
  ["claim", "own an account for a function"],
  ["release", "give up owning an account"],
  ["note", "add a note to an account's timeline"],
  ["promise", "record a promise to pay"],
  ["dispute", "open a dispute on an invoice"],
  ["resolve", "resolve an invoice's dispute"],
  ["role", "set a person's role"],
] as const;

/** A shell word back into chat text: words with spaces are quoted, as chat expects. */
function chatWord(arg: string): string {
  return /\s/.test(arg) && !/["“”]/.test(arg) ? `"${arg}"` : arg;
}

function chatCommand(verb: (typeof CHAT_VERBS)[number][0], summary: string): CliCommand {
  return {
    name: verb,
    usage: `arbot ${USAGE[verb]}`,
    summary: `${summary} (as in chat, as local-admin)`,
    async run(args, ctx) {
      refuseAsOf(args, verb);
      const text = [verb, ...args.map(chatWord)].join(" ");
      return ctx.withApp(ORGANIZATION_VARIABLES, async (app) => {
        const actor = await localAdmin(app, "cli");
        const rendered = renderReplyText(await handleText(app.services, actor, text, { idempotencyKey: null, channel: null }));
        if (rendered.error) {
          ctx.io.err(`arbot: ${rendered.text}`);
          return EXIT.usage;
        }
        ctx.io.out(rendered.text);
        return EXIT.ok;
      });
    },
  };
}

export const CHAT_COMMANDS: CliCommand[] = CHAT_VERBS.map(([verb, summary]) => chatCommand(verb, summary));
