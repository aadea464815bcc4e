import { GrammarError, parseCommand, resolveDate } from "../../../../bot/commands/grammar";

describe("every command of the grammar parses into a typed command", () => {
  test.each([
    ["help", { kind: "help" }],
    ["", { kind: "help" }],
    ["digest", { kind: "digest", all: false }],
    ["digest all", { kind: "digest", all: true }],
    ["mine", { kind: "mine" }],
    ["stats", { kind: "stats" }],
    ["account acme", { kind: "account", query: "acme" }],
    ['account "acme corp"', { kind: "account", query: "acme corp" }],
    ["account acme history", { kind: "account", query: "acme", history: 1 }],
    ['account "acme corp" HISTORY 3', { kind: "account", query: "acme corp", history: 3 }],
    ["claim acme", { kind: "claim", query: "acme", takeover: false }],
    ["claim acme as sales", { kind: "claim", query: "acme", function: "sales", takeover: false }],
    ["CLAIM acme takeover as CS", { kind: "claim", query: "acme", function: "cs", takeover: true }],
    ["release acme", { kind: "release", query: "acme" }],
    ["release acme as finance", { kind: "release", query: "acme", function: "finance" }],
    ["note acme Called AP, approved on Friday", { kind: "note", query: "acme", text: "Called AP, approved on Friday" }],
    ['note "acme corp" "quoted note"', { kind: "note", query: "acme corp", text: "quoted note" }],
    ["note", { kind: "form", form: "note" }],
    ["note acme", { kind: "form", form: "note", query: "acme" }],
    ["promise acme 5000 fri", { kind: "promise", query: "acme", amount: "5000", date: "fri" }],
    ["promise acme 5000.50 USD 2026-12-01", { kind: "promise", query: "acme", amount: "5000.50", currency: "USD", date: "2026-12-01" }],
    ["promise acme EUR 120,5 tomorrow", { kind: "promise", query: "acme", amount: "120.5", currency: "EUR", date: "tomorrow" }],
    ["promise acme 300usd today", { kind: "promise", query: "acme", amount: "300", currency: "USD", date: "today" }],
    // Currency signs as in CSV cells: $ names no single currency, € and £ do.
    ["promise acme $500 fri", { kind: "promise", query: "acme", amount: "500", date: "fri" }],
    ["promise acme $ 500.25 USD fri", { kind: "promise", query: "acme", amount: "500.25", currency: "USD", date: "fri" }],
    ["promise acme 500€ fri", { kind: "promise", query: "acme", amount: "500", currency: "EUR", date: "fri" }],
    ["promise acme £1200.50 mon", { kind: "promise", query: "acme", amount: "1200.50", currency: "GBP", date: "mon" }],
    ["promise", { kind: "form", form: "promise" }],
    ["promise acme", { kind: "form", form: "promise", query: "acme" }],
    ["dispute INV-1 wrong quantity", { kind: "dispute", invoice: "INV-1", reason: "wrong quantity" }],
    ["dispute", { kind: "form", form: "dispute" }],
    ["dispute INV-1", { kind: "form", form: "dispute", query: "INV-1" }],
    ["resolve inv-1", { kind: "resolve", invoice: "inv-1" }],
    ["escalate acme", { kind: "escalate", query: "acme" }],
    ["escalate acme no answer in two weeks", { kind: "escalate", query: "acme", reason: "no answer in two weeks" }],
    ["role Dana@Example.com sales", { kind: "role", target: { email: "dana@example.com" }, role: "sales" }],
    ["subscribe", { kind: "subscribe", scope: "all" }],
    ["subscribe sales at 8:30 Europe/Paris", { kind: "subscribe", scope: "sales", time: "08:30", timeZone: "Europe/Paris" }],
    ["subscribe at 07:00", { kind: "subscribe", scope: "all", time: "07:00" }],
    ["subscribe finance America/New_York", { kind: "subscribe", scope: "finance", timeZone: "America/New_York" }],
    ["unsubscribe", { kind: "unsubscribe" }],
    ["subscribe escalations", { kind: "subscribe_escalations" }],
    ["snooze", { kind: "form", form: "snooze" }],
    ["snooze acme", { kind: "form", form: "snooze", query: "acme" }],
    ["unsubscribe Escalations", { kind: "unsubscribe_escalations" }],
    ["snooze acme 2026-12-15 waiting for their new PO", { kind: "snooze", query: "acme", date: "2026-12-15", reason: "waiting for their new PO" }],
    ['snooze "acme corp" Fri "CFO back Monday"', { kind: "snooze", query: "acme corp", date: "fri", reason: "CFO back Monday" }],
    ["claim “acme corp”", { kind: "claim", query: "acme corp", takeover: false }],
    ["promise acme 100 Monday", { kind: "promise", query: "acme", amount: "100", date: "monday" }],
    ["promise acme 100 SUN", { kind: "promise", query: "acme", amount: "100", date: "sun" }],
  ])("%s", (input, expected) => {
    expect(parseCommand(input)).toEqual(expected);
  });
});

describe("a malformed command names the wrong part and shows the expected form", () => {
  test.each([
    ["frobnicate", "“frobnicate” is not a command.\nCommands:"],
    ["account acme history last", "“last” is not a page number: account acme history 2"],
    ["account acme corp history", 'Quote account names with spaces: account "acme corp" history'],
    ["diegst", "“diegst” is not a command. Did you mean “digest”?"],
    ["acount acme", "“acount” is not a command. Did you mean “account”?"],
    ["promise acme €500 USD fri", "“€500 USD” says both EUR and USD."],
    ["account", "Say which account.\nExpected: account <account>"],
    ["account acme corp", 'Quote account names with spaces: account "acme corp"\nExpected: account <account>'],
    ['account "acme corp" now', "Unexpected “now”.\nExpected: account <account>"],
    ["claim", "Say which account.\nExpected: claim <account> [as finance|sales|cs] [takeover]"],
    ["claim acme as", "“as” needs a function: finance, sales or cs."],
    ["claim acme as legal", "“legal” is not a function: use finance, sales or cs."],
    ["claim acme corp", 'Quote account names with spaces: claim "acme corp"\nExpected: claim <account>'],
    ["release acme takeover", "Unexpected “takeover”."],
    ["promise acme fri", "The amount is missing.\nExpected: promise <account> <amount> [currency] <date>, e.g. promise acme 5000 USD fri"],
    ["promise acme 500", "The date is missing (after “500”)."],
    ["promise acme 500 next-week", "“next-week” is not a date: use YYYY-MM-DD, today, tomorrow or a weekday (mon…sun)."],
    ["promise acme five hundred fri", "“five hundred” is not an amount"],
    ["promise acme 1,000 fri", "“1,000” could be a thousand or one: write 1000 or 1.000."],
    ["promise acme 500 XYZ fri", "“XYZ” is not a currency code such as USD or EUR."],
    ["promise acme USD 500 EUR fri", "“USD 500 EUR” is not an amount"],
    ["promise acme 500 2026-02-30", "“2026-02-30” is not a calendar date.\nExpected: promise <account>"],
    ["resolve", "Say which invoice."],
    ["resolve a b", "Unexpected “b”."],
    ["escalate", "Say which account.\nExpected: escalate <account> [reason]"],
    ["role", "Say whose role: a @mention or an email."],
    ["role dana@example.com", "Say which role."],
    ["role dana@example.com boss", "“boss” is not a role: viewer, finance, sales, cs or admin."],
    ["subscribe at 25:00", "“25:00” is not a time: use HH:MM, 24-hour."],
    ["subscribe sales at 08:00 Mars/Base", "“Mars/Base” is not a time zone"],
    ["subscribe sales at 08:00 Europe/Paris now", "Unexpected “now”."],
    ["digest everything", "Unexpected “everything”."],
    ["snooze acme fri", "Give a reason: why wait until then?"],
    ["snooze acme soon busy", "“soon” is not a date: use YYYY-MM-DD, today, tomorrow or a weekday"],
    ["snooze acme corp fri busy", 'A name of several words goes in quotes: snooze "acme corp" <date> <reason>.'],
    ["snooze acme 2026-02-30 busy", "“2026-02-30” is not a calendar date."],
    ["subscribe escalations now", "Unexpected “now”."],
    ['note "acme', "is never closed."],
  ])("%s", (input, message) => {
    let thrown: unknown;
    try {
      parseCommand(input);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(GrammarError);
    expect((thrown as Error).message).toContain(message);
  });
});

test("dates resolve against today: weekdays mean the next one", () => {
  const friday = "2026-11-20";
  expect(resolveDate("today", friday)).toBe("2026-11-20");
  expect(resolveDate("tomorrow", friday)).toBe("2026-11-21");
  expect(resolveDate("fri", friday)).toBe("2026-11-27");
  expect(resolveDate("Monday", friday)).toBe("2026-11-23");
  expect(resolveDate("2026-12-24", friday)).toBe("2026-12-24");
});

/** Throws the GrammarError's whole message, or fails. */
function grammarMessage(input: string): string {
  try {
    parseCommand(input);
  } catch (error) {
    expect(error).toBeInstanceOf(GrammarError);
    return (error as Error).message;
  }
  throw new Error(`“${input}” parsed without an error`);
}

describe("note text and reasons are free text: the rest of the line as written", () => {
  test.each([
    ['note acme customer said "we pay friday', { kind: "note", query: "acme", text: 'customer said "we pay friday' }],
    ['dispute ACME-1002 the 12" ones were short', { kind: "dispute", invoice: "ACME-1002", reason: 'the 12" ones were short' }],
    ['dispute ACME-1002 only the "12 inch ones were short', { kind: "dispute", invoice: "ACME-1002", reason: 'only the "12 inch ones were short' }],
    ['escalate acme they said "next week', { kind: "escalate", query: "acme", reason: 'they said "next week' }],
    ['note "Bluth Company" called "twice" today', { kind: "note", query: "Bluth Company", text: 'called "twice" today' }],
    ["note acme  two  spaces kept", { kind: "note", query: "acme", text: "two  spaces kept" }],
    ['note acme "Called AP, invoice approved"', { kind: "note", query: "acme", text: "Called AP, invoice approved" }],
  ])("%s", (input, expected) => {
    expect(parseCommand(input)).toEqual(expected);
  });

  test("an unclosed quote around the account shows that command's form, not the command list", () => {
    expect(grammarMessage('note "Bluth Company called')).toBe(
      'A quote opened at “"Bluth Company called” is never closed.\nExpected: note <account> <text>, e.g. note acme "Called AP, invoice approved"',
    );
    expect(grammarMessage('account "acme')).toBe('A quote opened at “"acme” is never closed.\nExpected: account <account> [history [page]], e.g. account acme');
    expect(grammarMessage('claim "acme corp as sales')).toBe(
      'A quote opened at “"acme corp as sales” is never closed.\nExpected: claim <account> [as finance|sales|cs] [takeover], e.g. claim acme as sales',
    );
  });
});

describe("weekdays are mon…sun and their full names, nothing that merely starts with one", () => {
  test.each(["month", "sunny", "wedding", "thumb", "fridays", "satisfied"])("promise acme 100 %s", (word) => {
    expect(grammarMessage(`promise acme 100 ${word}`)).toBe(
      `“${word}” is not a date: use YYYY-MM-DD, today, tomorrow or a weekday (mon…sun).\nExpected: promise <account> <amount> [currency] <date>, e.g. promise acme 5000 USD fri`,
    );
  });

  test("a date-shaped word that is not a calendar day is named as such", () => {
    expect(grammarMessage("promise acme 2026-02-30")).toBe(
      "The amount is missing, and “2026-02-30” is not a calendar date.\nExpected: promise <account> <amount> [currency] <date>, e.g. promise acme 5000 USD fri",
    );
    expect(grammarMessage("promise acme 100 2026-02-30")).toBe(
      "“2026-02-30” is not a calendar date.\nExpected: promise <account> <amount> [currency] <date>, e.g. promise acme 5000 USD fri",
    );
  });
});

describe("unquoted multi-word names: the answer shows the command with the name quoted", () => {
  test.each([
    ["account Bluth Company", 'Quote account names with spaces: account "Bluth Company"\nExpected: account <account> [history [page]], e.g. account acme'],
    ["promise Bluth Company 100 fri", 'Quote account names with spaces: promise "Bluth Company" 100 fri\nExpected: promise <account> <amount> [currency] <date>, e.g. promise acme 5000 USD fri'],
    ["promise Bluth Company 100 USD 2026-12-01", 'Quote account names with spaces: promise "Bluth Company" 100 USD 2026-12-01\nExpected: promise <account> <amount> [currency] <date>, e.g. promise acme 5000 USD fri'],
    ["claim Bluth Company as sales", 'Quote account names with spaces: claim "Bluth Company" as sales\nExpected: claim <account> [as finance|sales|cs] [takeover], e.g. claim acme as sales'],
    ["release Bluth Company", 'Quote account names with spaces: release "Bluth Company"\nExpected: release <account> [as finance|sales|cs]'],
  ])("%s", (input, message) => {
    expect(grammarMessage(input)).toBe(message);
  });

  test("a one-token account with text after it stays a note", () => {
    expect(parseCommand("note Bluth Company called")).toEqual({ kind: "note", query: "Bluth", text: "Company called" });
  });
});
