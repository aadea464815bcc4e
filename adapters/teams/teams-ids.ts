/** The verbs of arbot's Teams cards: Action.Execute verbs and the `verb` of dialog (task/fetch) buttons. */
export const VERBS = {
  claim: "claim",
  assign: "assign",
  escalate: "escalate",
  page: "page",
  ack: "ack",
  note: "note",
  promise: "promise",
  dispute: "dispute",
  snooze: "snooze",
  reassign: "reassign",
} as const;

/** The Bot Framework endpoint on the shared server. */
export const MESSAGES_PATH = "/api/messages";
