/**
 * One webhook delivery attempt: Standard Webhooks headers and signature, no redirects
 * followed, a timeout, URL safety re-checked. Never throws; the result is what the
 * delivery log records.
 */

import type { Digest } from "./channels/types.ts";
import { classifyResponse, honoursRetryAfter, parseRetryAfter } from "./retry.ts";
import { signatureHeader } from "./signing.ts";
import type { Alert } from "./types.ts";
import { checkWebhookUrl, type UrlCheck } from "./url-safety.ts";

/** Default per-attempt timeout (SPEC: 15 s). */
export const DELIVERY_TIMEOUT_MS = 15_000;

/** The `user-agent` of every delivery. */
export const WEBHOOK_USER_AGENT = "wirebrief-webhooks/1";

/** The `data` of a `ping` (test) delivery. */
export interface PingData {
  subscriber_id: string;
  message: string;
}

/** The event a delivery carries. */
export type WebhookEvent =
  | { type: "alert.created"; data: Alert }
  | { type: "digest.created"; data: Digest }
  | { type: "ping"; data: PingData };

/** The JSON body of a delivery: `{ type, timestamp, data }`. */
export interface WebhookBody {
  type: WebhookEvent["type"];
  timestamp: string;
  data: WebhookEvent["data"];
}

/** Build the exact body string that is signed and sent. */
export function buildWebhookBody(event: WebhookEvent, at: Date): string {
  const body: WebhookBody = { type: event.type, timestamp: at.toISOString(), data: event.data };
  return JSON.stringify(body);
}

/** The ping event of `POST /v1/subscribers/:id/test`. */
export function pingEvent(subscriberId: string): WebhookEvent {
  return {
    type: "ping",
    data: { subscriber_id: subscriberId, message: "wirebrief test delivery" },
  };
}

/** Input of {@link deliverWebhook}. */
export interface DeliverOptions {
  url: string;
  /** Signing secrets: current first, plus the previous one during a rotation. */
  secrets: readonly string[];
  event: WebhookEvent;
  /** `webhook-id`: the alert id, the same on every retry (for a ping, a fresh id). */
  msgId: string;
  /** `ALLOW_LOCAL_WEBHOOKS`. */
  allowLocal: boolean;
  fetchImpl?: typeof fetch;
  timeoutMs?: number;
  /** Clock in epoch ms (tests). */
  now?: () => number;
}

/**
 * Input of {@link deliverMessage}: any channel's message. The body is built at send time
 * (a webhook body carries the same timestamp as its `webhook-timestamp` header).
 */
export interface MessageOptions {
  url: string;
  /** The URL rule of the channel (`checkWebhookUrl`, or `checkChannelUrl` for a platform). */
  check: (url: string) => UrlCheck;
  body: (at: Date) => string;
  /** Standard Webhooks signing (webhook channels); null for chat platforms (the secret is in their URL). */
  sign: { secrets: readonly string[]; msgId: string } | null;
  fetchImpl?: typeof fetch;
  timeoutMs?: number;
  now?: () => number;
}

/** Outcome of one attempt, as the delivery log stores it. */
export interface DeliveryResult {
  ok: boolean;
  /** HTTP status, or 0 when there was no response (network error, timeout, unsafe URL). */
  status: number;
  latencyMs: number;
  /** Short, secret-free description of a failure. */
  error?: string;
  /** Parsed `Retry-After` of a 429/503, in seconds. */
  retryAfterSeconds?: number;
  /** True when the endpoint must be disabled (410 Gone, or a URL no longer safe). */
  disable?: boolean;
  /** `webhook-timestamp` sent, unix seconds. */
  timestamp: number;
}

/** A test delivery's result as the API answers it (`TestDeliveryResult`; status 0: no answer). */
export function testDeliveryAnswer(r: DeliveryResult) {
  return {
    ok: r.ok,
    status: r.status === 0 ? null : r.status,
    latency_ms: r.latencyMs,
    error: r.error ?? null,
  };
}

function shortError(e: unknown, secrets: readonly string[], url: string): string {
  let msg: string;
  if (e instanceof Error) {
    const cause = (e as { cause?: unknown }).cause;
    const code =
      cause && typeof cause === "object" && "code" in cause
        ? String((cause as { code: unknown }).code)
        : "";
    msg = code ? `${e.message} (${code})` : e.message;
  } else {
    msg = String(e);
  }
  for (const s of [...secrets, url]) if (s) msg = msg.split(s).join("[redacted]");
  return msg.replace(/\s+/g, " ").slice(0, 200);
}

/**
 * Send one signed delivery and report what happened. Redirects are not followed (a 3xx
 * is a failure), the attempt is aborted after `timeoutMs`, and the URL is re-checked
 * for safety first. Never throws.
 */
export function deliverWebhook(opts: DeliverOptions): Promise<DeliveryResult> {
  return deliverMessage({
    url: opts.url,
    check: (url) => checkWebhookUrl(url, { allowLocal: opts.allowLocal }),
    body: (at) => buildWebhookBody(opts.event, at),
    sign: { secrets: opts.secrets, msgId: opts.msgId },
    ...(opts.fetchImpl ? { fetchImpl: opts.fetchImpl } : {}),
    ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
    ...(opts.now ? { now: opts.now } : {}),
  });
}

/**
 * Send one channel message (signed for webhook channels, plain JSON for chat platforms)
 * with the rules of every delivery: URL re-checked, no redirects, a timeout, 410 disables.
 * Never throws.
 */
export async function deliverMessage(opts: MessageOptions): Promise<DeliveryResult> {
  const now = opts.now ?? Date.now;
  const fetchImpl = opts.fetchImpl ?? fetch;
  const timeoutMs = opts.timeoutMs ?? DELIVERY_TIMEOUT_MS;
  const startMs = now();
  const timestamp = Math.floor(startMs / 1000);
  const secrets = opts.sign?.secrets ?? [];
  const fail = (status: number, error: string, extra: Partial<DeliveryResult> = {}) => ({
    ok: false,
    status,
    latencyMs: Math.max(0, now() - startMs),
    error,
    timestamp,
    ...extra,
  });

  const safe = opts.check(opts.url);
  if (!safe.ok) return fail(0, `unsafe webhook URL: ${safe.reason}`, { disable: true });

  let headers: Record<string, string>;
  let body: string;
  try {
    body = opts.body(new Date(startMs));
    headers = { "content-type": "application/json", "user-agent": WEBHOOK_USER_AGENT };
    if (opts.sign) {
      const signature = await signatureHeader(secrets, opts.sign.msgId, timestamp, body);
      if (signature === "") return fail(0, "no valid signing secret");
      headers["webhook-id"] = opts.sign.msgId;
      headers["webhook-timestamp"] = String(timestamp);
      headers["webhook-signature"] = signature;
    }
  } catch (e) {
    return fail(0, `could not build delivery: ${shortError(e, secrets, opts.url)}`);
  }

  let res: Response;
  try {
    res = await fetchImpl(safe.url.href, {
      method: "POST",
      headers,
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (e) {
    const name = e instanceof Error ? e.name : "";
    if (name === "TimeoutError" || name === "AbortError")
      return fail(0, `timeout after ${timeoutMs} ms`);
    return fail(0, `network error: ${shortError(e, secrets, opts.url)}`);
  }
  const latencyMs = Math.max(0, now() - startMs);
  try {
    await res.body?.cancel();
  } catch {
    // the body is not needed; a failure to discard it does not change the outcome
  }

  const status = res.status;
  const kind = classifyResponse(status);
  if (kind === "success") return { ok: true, status, latencyMs, timestamp };
  const result: DeliveryResult = {
    ok: false,
    status,
    latencyMs,
    timestamp,
    error: `HTTP ${status}`,
  };
  if (status === 0 || (status >= 300 && status < 400)) {
    result.error = `redirect not followed (HTTP ${status})`;
  } else if (kind === "disable") {
    result.error = "HTTP 410 Gone: endpoint disabled";
    result.disable = true;
  } else if (honoursRetryAfter(status)) {
    const ra = parseRetryAfter(res.headers.get("retry-after"), now());
    if (ra !== null) result.retryAfterSeconds = ra;
  }
  return result;
}
