import { businessDateAt, formatHumanDate } from "../../domain/model/business-date";
import { formatMoney } from "../../domain/model/money";
import { Home } from "../../domain/usecases/get-home";

export interface HomeView {
  asOf: string;
  accounts: { function: string; accountId: string; name: string; overdue: string; since: string }[];
  promisesDue: string[];
  escalations: string[];
}

/** mine and App Home: my accounts by function, promises due this week, open escalations. */
export function buildHomeView(home: Home, timeZone: string): HomeView {
  return {
    asOf: home.asOf,
    accounts: home.accounts.map((a) => ({
      function: a.function,
      accountId: a.account.externalId,
      name: a.account.name,
      overdue: a.overdue.length > 0 ? a.overdue.map((o) => formatMoney(o.amountMinor, o.currency)).join(" + ") : "nothing overdue",
      since: formatHumanDate(businessDateAt(a.since, timeZone)),
    })),
    promisesDue: home.promisesDue.map((p) => `${p.account.name}: ${formatMoney(p.amountMinor, p.currency)} by ${formatHumanDate(p.promisedOn)}`),
    escalations: home.escalations.map(
      (e) =>
        `${e.account.name}: ${e.kind === "manual" ? "escalated" : `${e.kind.replace(/_/g, " ")}, level ${e.level} of 3`}${e.reason ? ` — “${e.reason}”` : ""} (${formatHumanDate(businessDateAt(e.createdAt, timeZone))})`,
    ),
  };
}
