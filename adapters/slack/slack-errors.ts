import { PlatformFailure } from "../../bot/platform/chat-platform";

/**
 * Slack Web API failures read in one place: the platform error code (`not_in_channel`…),
 * a rate limit, or an HTTP/network failure; whether retrying can help; and what a person
 * should be told. Everything else in the adapter asks `slackFailure`.
 */
interface SlackWebApiError {
  code?: string;
  data?: { error?: string };
  statusCode?: number;
}

/** `not_in_channel`, `channel_not_found`, `ratelimited`, `http_503`… or null. */
function codeOf(error: unknown): string | null {
  const e = error as SlackWebApiError | null;
  if (!e || typeof e !== "object") return null;
  if (e.code === "slack_webapi_platform_error") return e.data?.error ?? "unknown_error";
  if (e.code === "slack_webapi_rate_limited_error") return "ratelimited";
  if (e.code === "slack_webapi_http_error") return `http_${e.statusCode ?? "error"}`;
  if (e.code === "slack_webapi_request_error") return "request_failed";
  return null;
}

/** Errors that retrying will not fix for this channel. */
const PERMANENT = new Set(["not_in_channel", "channel_not_found", "is_archived", "restricted_action", "missing_scope", "invalid_auth", "account_inactive", "token_revoked", "ekm_access_denied"]);

const NO_ANSWER = "Slack did not answer; try again in a minute.";

function sentenceFor(code: string): string {
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
    default:
      return isOutage(code) ? NO_ANSWER : `Slack refused the request (${code}).`;
  }
}

/** Slack could not be reached, or answered with a server error: nothing about the request itself. */
export function isOutage(code: string): boolean {
  return code.startsWith("http_") || code === "request_failed";
}

/** The one reading of a Slack error; null when the error is not Slack's. */
export function slackFailure(error: unknown): PlatformFailure | null {
  const code = codeOf(error);
  return code === null ? null : { code, permanent: PERMANENT.has(code), sentence: sentenceFor(code) };
}

/** A sentence for the person who asked, for any error a Slack call threw. */
export function describeSlackFailure(error: unknown): string {
  return slackFailure(error)?.sentence ?? NO_ANSWER;
}
