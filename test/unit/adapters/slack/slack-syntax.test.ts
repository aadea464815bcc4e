import { GrammarError, parseCommand } from "../../../../bot/commands/grammar";
import { slackSyntax } from "../../../../adapters/slack/slack-platform";

/** Slack marks mentions and addresses up; the grammar reads them through the platform's syntax. */
describe("Slack's mention and email markup in the grammar", () => {
  test.each([
    ["role <@U024BE7LH> admin", { kind: "role", target: { mention: "U024BE7LH" }, role: "admin" }],
    ["role <@U024BE7LH|dana> viewer", { kind: "role", target: { mention: "U024BE7LH" }, role: "viewer" }],
    ["role <mailto:Dana@Example.com|Dana@Example.com> cs", { kind: "role", target: { email: "dana@example.com" }, role: "cs" }],
    ["role dana@example.com sales", { kind: "role", target: { email: "dana@example.com" }, role: "sales" }],
  ])("%s", (input, expected) => {
    expect(parseCommand(input, slackSyntax)).toEqual(expected);
  });

  test("the shell has no mention markup: a Slack mention typed there is refused, not read as someone", () => {
    expect(() => parseCommand("role <@U024BE7LH> admin")).toThrow(GrammarError);
    expect(() => parseCommand("role <@U024BE7LH> admin")).toThrow("is not a @mention or an email");
  });
});
