/** Block Kit limits (../shared/fixtures/slack/block-kit-limits.md), enforced by the renderers. */
export const LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  sectionText: 3000,
  headerText: 150,
  buttonText: 75,
  buttonValue: 2000,
  contextElements: 10,
  sectionFields: 10,
  fieldText: 2000,
  modalTitle: 24,
  privateMetadata: 3000,
  actionElements: 25,
} as const;

/**
 * Cuts text to a limit (in UTF-16 units, as Slack counts) with an ellipsis: never between
 * the halves of a surrogate pair, nor inside an `&amp;`-style entity or a `<@U…>` mention.
 */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max - 1);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  cut = cut.replace(/&[a-z]*$/, "").replace(/<[^<>]*$/, "");
  return `${cut}…`;
}

/** Escapes the three characters Slack mrkdwn treats as control characters. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
