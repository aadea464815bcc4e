/**
 * Slack Web API failures in one place: the platform error code (`not_in_channel`…), a
 * rate limit, or an HTTP/network failure, and what a person should be told.
 */
interface SlackFailure {
  code?: string;
  data?: { error?: string };
  retryAfter?: number;
  statusCode?: number;
}

/** `not_in_channel`, `channel_not_found`, `ratelimited`, `http_503`… or null. */
export function slackErrorCode(error: unknown): string | null {
  const e = error as SlackFailure | null;
  if (!e || typeof e !== "object") return null;
  if (e.code === "slack_webapi_platform_error") return e.data?.error ?? "unknown_error";
  if (e.code === "slack_webapi_rate_limited_error") return "ratelimited";
  if (e.code === "slack_webapi_http_error") return `http_${e.statusCode ?? "error"}`;
  if (e.code === "slack_webapi_request_error") return "request_failed";
  return null;
}

/** Errors that retrying will not fix for this channel. */
export const PERMANENT_CHANNEL_ERRORS = new Set(["not_in_channel", "channel_not_found", "is_archived", "restricted_action", "missing_scope", "invalid_auth", "account_inactive", "token_revoked", "ekm_access_denied"]);

export function isPermanentChannelError(error: unknown): boolean {
  const code = slackErrorCode(error);
  return code !== null && PERMANENT_CHANNEL_ERRORS.has(code);
}

/** A sentence for the person who asked. */
export function describeSlackFailure(error: unknown): string {
  const code = slackErrorCode(error);
  switch (code) {
    case "not_in_channel":
      return "arbot is not a member of that channel: invite it with /invite @arbot and try again.";
    case "channel_not_found":
      return "Slack cannot find that channel for arbot (it may be private): invite arbot to it first.";
    case "is_archived":
      return "That channel is archived.";
    case "ratelimited":
      return "Slack is rate-limiting arbot right now; try again in a minute.";
    case "missing_scope":
      return "arbot's Slack app lacks a permission for this; reinstall it from manifest/slack/manifest.yaml.";
    case null:
      return "Slack did not answer; try again in a minute.";
    default:
      return code.startsWith("http_") || code === "request_failed" ? "Slack did not answer; try again in a minute." : `Slack refused the request (${code}).`;
  }
}
