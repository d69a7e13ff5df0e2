/**
 * Retry policy for webhook deliveries (SPEC "Alerts"): attempt 1 is immediate, then
 * retries after about 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, each with ±20 % jitter;
 * `Retry-After` honoured on 429/503; 410 disables the endpoint.
 */

/** Base wait before retry n (index 0 = wait after the first failed attempt), in seconds. */
export const RETRY_SCHEDULE_SECONDS: readonly number[] = [
  5,
  5 * 60,
  30 * 60,
  2 * 3600,
  5 * 3600,
  10 * 3600,
  10 * 3600,
];

/** Attempts in total: the first one plus one per schedule step. */
export const MAX_ATTEMPTS = RETRY_SCHEDULE_SECONDS.length + 1;

/** Jitter: each wait is multiplied by a uniform factor in [1 - J, 1 + J]. */
export const JITTER_FRACTION = 0.2;

/** Cloudflare Queues cap on `delaySeconds` (12 h); longer waits need a re-send. */
export const QUEUE_MAX_DELAY_SECONDS = 43_200;

/** Longest `Retry-After` we honour; a longer one is capped to this (12 h). */
export const RETRY_AFTER_MAX_SECONDS = 43_200;

/** An endpoint failing without a single success for this long is disabled (5 days). */
export const ENDPOINT_DISABLE_AFTER_MS = 5 * 24 * 60 * 60 * 1000;

/**
 * Seconds to wait from a `Retry-After` header value: delta-seconds or an HTTP date.
 * Null when absent or unparseable; never negative.
 */
export function parseRetryAfter(
  value: string | null | undefined,
  nowMs: number = Date.now(),
): number | null {
  if (value == null) return null;
  const v = value.trim();
  if (v === "") return null;
  if (/^\d+$/.test(v)) return Number(v);
  if (!/^[A-Za-z]{3}/.test(v)) return null;
  const t = Date.parse(v);
  if (!Number.isFinite(t)) return null;
  return Math.max(0, Math.ceil((t - nowMs) / 1000));
}

/**
 * Seconds to wait before the next attempt after `attempt` (1-based) failed, or null when
 * that was the last attempt (mark the alert failed). A `Retry-After` (header string or
 * seconds; pass it only for 429/503) is honoured: the wait is never shorter than it,
 * capped at {@link RETRY_AFTER_MAX_SECONDS}, and never shorter than the jittered schedule.
 * @example nextAttemptDelaySeconds(1) // ≈ 5 (4–6)
 */
export function nextAttemptDelaySeconds(
  attempt: number,
  retryAfter?: string | number | null,
  nowMs: number = Date.now(),
  random: () => number = Math.random,
): number | null {
  if (!Number.isFinite(attempt) || attempt < 1) attempt = 1;
  const base = RETRY_SCHEDULE_SECONDS[Math.floor(attempt) - 1];
  if (base === undefined) return null;
  const r = Math.min(1, Math.max(0, random()));
  const jittered = Math.max(1, Math.round(base * (1 - JITTER_FRACTION + 2 * JITTER_FRACTION * r)));
  const ra =
    typeof retryAfter === "number"
      ? Number.isFinite(retryAfter)
        ? Math.max(0, Math.ceil(retryAfter))
        : null
      : parseRetryAfter(retryAfter, nowMs);
  if (ra === null) return jittered;
  return Math.max(jittered, Math.min(ra, RETRY_AFTER_MAX_SECONDS));
}

/**
 * Split a wait into what one queue send can carry: send with `delaySeconds`, and when
 * `remainingSeconds > 0` the consumer re-sends on receipt (keep the absolute due time
 * in the message and call this again with `due - now`).
 */
export function queueDelayChunk(seconds: number): {
  delaySeconds: number;
  remainingSeconds: number;
} {
  const s = Number.isFinite(seconds) ? Math.max(0, Math.ceil(seconds)) : 0;
  const delaySeconds = Math.min(s, QUEUE_MAX_DELAY_SECONDS);
  return { delaySeconds, remainingSeconds: s - delaySeconds };
}

/** What to do after an HTTP status (0 = no response: network error, timeout, unsafe URL). */
export type ResponseClass = "success" | "retry" | "disable";

/**
 * Classify a delivery response: 2xx success; 410 Gone disables the endpoint; anything
 * else (3xx not followed, 4xx, 5xx, no response) is retried on the schedule.
 */
export function classifyResponse(status: number): ResponseClass {
  if (status >= 200 && status <= 299) return "success";
  if (status === 410) return "disable";
  return "retry";
}

/** True for statuses whose `Retry-After` header we honour (429, 503). */
export function honoursRetryAfter(status: number): boolean {
  return status === 429 || status === 503;
}

/**
 * True when an endpoint has failed continuously since `failingSinceMs` (the time of the
 * first failure after its last success; null when the last attempt succeeded) for at
 * least {@link ENDPOINT_DISABLE_AFTER_MS}.
 */
export function shouldDisableEndpoint(
  failingSinceMs: number | null | undefined,
  nowMs: number = Date.now(),
): boolean {
  return failingSinceMs != null && nowMs - failingSinceMs >= ENDPOINT_DISABLE_AFTER_MS;
}

/** The parts of a delivery result that decide what happens next. */
export interface AttemptOutcome {
  ok: boolean;
  status: number;
  retryAfterSeconds?: number;
  disable?: boolean;
}

/** What the queue consumer does after an attempt. */
export type NextStep =
  | { kind: "delivered" }
  | { kind: "retry"; delaySeconds: number; dueAtMs: number }
  | { kind: "failed" }
  | { kind: "disable_endpoint"; reason: "gone" | "unsafe_url" | "failing_5_days" };

/**
 * Decide the next step after attempt number `attempt` (1-based) of one alert, and the
 * endpoint's new `failingSinceMs` (null after a success, else the first failure time).
 * `failed` means retries are exhausted: mark the alert failed (redeliverable). On
 * `disable_endpoint` mark the alert failed too and stop sending to the endpoint.
 */
export function planNextStep(
  attempt: number,
  outcome: AttemptOutcome,
  failingSinceMs: number | null | undefined,
  nowMs: number = Date.now(),
  random: () => number = Math.random,
): { step: NextStep; failingSinceMs: number | null } {
  if (outcome.ok) return { step: { kind: "delivered" }, failingSinceMs: null };
  const since = failingSinceMs ?? nowMs;
  if (outcome.disable) {
    const reason = outcome.status === 410 ? "gone" : "unsafe_url";
    return { step: { kind: "disable_endpoint", reason }, failingSinceMs: since };
  }
  if (shouldDisableEndpoint(since, nowMs)) {
    return { step: { kind: "disable_endpoint", reason: "failing_5_days" }, failingSinceMs: since };
  }
  const ra = honoursRetryAfter(outcome.status) ? outcome.retryAfterSeconds : undefined;
  const delay = nextAttemptDelaySeconds(attempt, ra, nowMs, random);
  if (delay === null) return { step: { kind: "failed" }, failingSinceMs: since };
  return {
    step: { kind: "retry", delaySeconds: delay, dueAtMs: nowMs + delay * 1000 },
    failingSinceMs: since,
  };
}
