import { createHmac } from "node:crypto";

export const SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";

/** Slack's signature: v0=hex(HMAC-SHA256(secret, "v0:" + timestamp + ":" + raw body)). */
export function slackSignature(secret: string, timestamp: number | string, rawBody: string): string {
  return `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${rawBody}`).digest("hex")}`;
}

export interface SignedPostOptions {
  secret?: string;
  timestamp?: number;
  headers?: Record<string, string>;
  signature?: string;
}

/** POSTs exactly as Slack does: form-encoded commands and interactivity, JSON events, signed. */
export async function postToSlackEndpoint(baseUrl: string, body: string, contentType: "form" | "json", options: SignedPostOptions = {}): Promise<{ status: number; text: string; json: unknown }> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const response = await fetch(`${baseUrl}/slack/events`, {
    method: "POST",
    headers: {
      "content-type": contentType === "form" ? "application/x-www-form-urlencoded" : "application/json",
      "x-slack-request-timestamp": String(timestamp),
      "x-slack-signature": options.signature ?? slackSignature(options.secret ?? SIGNING_SECRET, timestamp, body),
      ...(options.headers ?? {}),
    },
    body,
  });
  const text = await response.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status: response.status, text, json };
}
