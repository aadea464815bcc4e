import { PlatformFailure } from "../../bot/platform/chat-platform";

/** The HTTP status and the Connector's error code of a failed Bot Connector call, if it is one. */
function connectorError(error: unknown): { status: number | null; code: string | null } | null {
  if (!error || typeof error !== "object") return null;
  const e = error as { statusCode?: unknown; status?: unknown; code?: unknown; body?: unknown; response?: { status?: unknown; bodyAsText?: unknown } };
  const status = typeof e.statusCode === "number" ? e.statusCode : typeof e.response?.status === "number" ? e.response.status : null;
  let body = e.body as { error?: { code?: unknown } } | string | undefined;
  if (typeof body === "string" || (body === undefined && typeof e.response?.bodyAsText === "string")) {
    try {
      body = JSON.parse((typeof body === "string" ? body : e.response!.bodyAsText) as string);
    } catch {
      body = undefined;
    }
  }
  const code = typeof body === "object" && typeof body?.error?.code === "string" ? body.error.code : null;
  if (status === null && code === null) {
    // Node's network errors (connection refused, reset): the Connector out of reach.
    const net = typeof e.code === "string" && /^(E[A-Z]+|UND_ERR_\w+)$/.test(e.code) ? e.code : null;
    return net ? { status: null, code: net } : null;
  }
  return { status, code };
}

const PERMANENT_STATUS = new Set([400, 401, 403, 404, 413]);

/**
 * The one reading of Bot Connector errors: its code (`MessageSizeTooBig`, `ConversationNotFound`,
 * `http_503`…), whether retrying can help (429, 5xx and network failures can), and a sentence.
 */
export function teamsFailure(error: unknown): PlatformFailure | null {
  const failure = connectorError(error);
  if (!failure) return null;
  const { status, code } = failure;
  const name = code ?? (status !== null ? `http_${status}` : "network");
  const permanent = status !== null && PERMANENT_STATUS.has(status);
  const sentence =
    status === 413
      ? "Teams refused the message as too large (MessageSizeTooBig)."
      : status === 403 || status === 404 || code === "ConversationNotFound"
        ? "arbot is no longer in that Teams conversation: add the app to it again."
        : permanent
          ? `Teams refused the message (${name}).`
          : `Teams did not answer (${name}); arbot tries again later.`;
  return { code: name, permanent, sentence };
}

export function describeTeamsFailure(error: unknown): string {
  return teamsFailure(error)?.code ?? (error as Error)?.message ?? String(error);
}
