import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  classifyResponse,
  ENDPOINT_DISABLE_AFTER_MS,
  honoursRetryAfter,
  MAX_ATTEMPTS,
  nextAttemptDelaySeconds,
  parseRetryAfter,
  planNextStep,
  QUEUE_MAX_DELAY_SECONDS,
  queueDelayChunk,
  RETRY_AFTER_MAX_SECONDS,
  RETRY_SCHEDULE_SECONDS,
  shouldDisableEndpoint,
} from "../../../src/alerts/retry.ts";

const NOW = Date.parse("2026-11-27T12:00:00Z");
const mid = () => 0.5;

describe("retry schedule", () => {
  it("is 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h then gives up", () => {
    expect(RETRY_SCHEDULE_SECONDS).toEqual([5, 300, 1800, 7200, 18000, 36000, 36000]);
    expect(MAX_ATTEMPTS).toBe(8);
    const waits = [1, 2, 3, 4, 5, 6, 7].map((n) => nextAttemptDelaySeconds(n, null, NOW, mid));
    expect(waits).toEqual([5, 300, 1800, 7200, 18000, 36000, 36000]);
    expect(nextAttemptDelaySeconds(8, null, NOW, mid)).toBeNull();
    expect(nextAttemptDelaySeconds(50, null, NOW, mid)).toBeNull();
  });

  it("jitters within ±20 % and never below 1 s", () => {
    expect(nextAttemptDelaySeconds(1, null, NOW, () => 0)).toBe(4);
    expect(nextAttemptDelaySeconds(1, null, NOW, () => 1)).toBe(6);
    expect(nextAttemptDelaySeconds(7, null, NOW, () => 0)).toBe(28800);
    expect(nextAttemptDelaySeconds(7, null, NOW, () => 0.999999)).toBe(43200);
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 7 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (n, r) => {
          const base = RETRY_SCHEDULE_SECONDS[n - 1] as number;
          const d = nextAttemptDelaySeconds(n, null, NOW, () => r) as number;
          return d >= Math.floor(base * 0.8) && d <= Math.ceil(base * 1.2) && d >= 1;
        },
      ),
    );
    // jitter spreads retries out
    const seen = new Set(Array.from({ length: 50 }, () => nextAttemptDelaySeconds(3)));
    expect(seen.size).toBeGreaterThan(5);
  });

  it("treats nonsense attempt numbers as the first attempt", () => {
    expect(nextAttemptDelaySeconds(0, null, NOW, mid)).toBe(5);
    expect(nextAttemptDelaySeconds(Number.NaN, null, NOW, mid)).toBe(5);
  });
});

describe("Retry-After", () => {
  it("parses delta-seconds and HTTP dates", () => {
    expect(parseRetryAfter("120", NOW)).toBe(120);
    expect(parseRetryAfter(" 0 ", NOW)).toBe(0);
    expect(parseRetryAfter(new Date(NOW + 90_000).toUTCString(), NOW)).toBe(90);
    expect(parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", NOW)).toBe(0);
    expect(parseRetryAfter("soon", NOW)).toBeNull();
    expect(parseRetryAfter("-5", NOW)).toBeNull();
    expect(parseRetryAfter("1.5", NOW)).toBeNull();
    expect(parseRetryAfter("", NOW)).toBeNull();
    expect(parseRetryAfter(null, NOW)).toBeNull();
  });

  it("waits at least Retry-After, at least the schedule, at most the cap", () => {
    expect(nextAttemptDelaySeconds(1, "120", NOW, mid)).toBe(120);
    expect(nextAttemptDelaySeconds(1, 120, NOW, mid)).toBe(120);
    expect(nextAttemptDelaySeconds(1, "1", NOW, mid)).toBe(5);
    expect(nextAttemptDelaySeconds(2, new Date(NOW + 3600_000).toUTCString(), NOW, mid)).toBe(3600);
    expect(nextAttemptDelaySeconds(1, "999999", NOW, mid)).toBe(RETRY_AFTER_MAX_SECONDS);
    expect(nextAttemptDelaySeconds(1, "garbage", NOW, mid)).toBe(5);
    expect(nextAttemptDelaySeconds(8, "10", NOW, mid)).toBeNull();
  });

  it("applies to 429 and 503 only", () => {
    expect(honoursRetryAfter(429)).toBe(true);
    expect(honoursRetryAfter(503)).toBe(true);
    expect(honoursRetryAfter(500)).toBe(false);
    expect(honoursRetryAfter(200)).toBe(false);
  });
});

describe("queueDelayChunk", () => {
  it("fits one queue send and leaves the rest for a re-send", () => {
    expect(QUEUE_MAX_DELAY_SECONDS).toBe(43200);
    expect(queueDelayChunk(5)).toEqual({ delaySeconds: 5, remainingSeconds: 0 });
    expect(queueDelayChunk(43200)).toEqual({ delaySeconds: 43200, remainingSeconds: 0 });
    expect(queueDelayChunk(50000)).toEqual({ delaySeconds: 43200, remainingSeconds: 6800 });
    expect(queueDelayChunk(100000.2)).toEqual({ delaySeconds: 43200, remainingSeconds: 56801 });
    expect(queueDelayChunk(-3)).toEqual({ delaySeconds: 0, remainingSeconds: 0 });
    expect(queueDelayChunk(Number.NaN)).toEqual({ delaySeconds: 0, remainingSeconds: 0 });
  });

  it("every scheduled wait fits in one send", () => {
    for (let n = 1; n < MAX_ATTEMPTS; n++) {
      const d = nextAttemptDelaySeconds(n, null, NOW, () => 1) as number;
      expect(queueDelayChunk(d).remainingSeconds).toBe(0);
    }
  });
});

describe("classifyResponse", () => {
  it("2xx success, 410 disable, everything else retry", () => {
    for (const s of [200, 201, 202, 204, 299]) expect(classifyResponse(s)).toBe("success");
    expect(classifyResponse(410)).toBe("disable");
    for (const s of [0, 100, 301, 302, 307, 400, 401, 403, 404, 408, 429, 500, 502, 503, 504]) {
      expect(classifyResponse(s)).toBe("retry");
    }
  });
});

describe("endpoint disabling", () => {
  it("after 5 days of consecutive failure", () => {
    expect(ENDPOINT_DISABLE_AFTER_MS).toBe(432_000_000);
    expect(shouldDisableEndpoint(null, NOW)).toBe(false);
    expect(shouldDisableEndpoint(NOW - ENDPOINT_DISABLE_AFTER_MS + 1, NOW)).toBe(false);
    expect(shouldDisableEndpoint(NOW - ENDPOINT_DISABLE_AFTER_MS, NOW)).toBe(true);
  });
});

describe("planNextStep", () => {
  const ok = { ok: true, status: 204 };
  const e500 = { ok: false, status: 500 };
  it("success clears the failure streak", () => {
    expect(planNextStep(3, ok, NOW - 1000, NOW, mid)).toEqual({
      step: { kind: "delivered" },
      failingSinceMs: null,
    });
  });
  it("a failure schedules the next retry and starts the streak", () => {
    expect(planNextStep(1, e500, null, NOW, mid)).toEqual({
      step: { kind: "retry", delaySeconds: 5, dueAtMs: NOW + 5000 },
      failingSinceMs: NOW,
    });
    expect(planNextStep(2, e500, NOW - 10, NOW, mid).failingSinceMs).toBe(NOW - 10);
  });
  it("honours Retry-After only for 429/503", () => {
    expect(
      planNextStep(1, { ok: false, status: 429, retryAfterSeconds: 90 }, null, NOW, mid).step,
    ).toMatchObject({
      kind: "retry",
      delaySeconds: 90,
    });
    expect(
      planNextStep(1, { ok: false, status: 500, retryAfterSeconds: 90 }, null, NOW, mid).step,
    ).toMatchObject({
      kind: "retry",
      delaySeconds: 5,
    });
  });
  it("the 8th failed attempt marks the alert failed", () => {
    expect(planNextStep(MAX_ATTEMPTS, e500, NOW, NOW, mid).step).toEqual({ kind: "failed" });
  });
  it("410 and unsafe URLs disable the endpoint; so do 5 days of failure", () => {
    expect(planNextStep(1, { ok: false, status: 410, disable: true }, null, NOW).step).toEqual({
      kind: "disable_endpoint",
      reason: "gone",
    });
    expect(planNextStep(1, { ok: false, status: 0, disable: true }, null, NOW).step).toEqual({
      kind: "disable_endpoint",
      reason: "unsafe_url",
    });
    expect(planNextStep(2, e500, NOW - ENDPOINT_DISABLE_AFTER_MS, NOW).step).toEqual({
      kind: "disable_endpoint",
      reason: "failing_5_days",
    });
  });
  it("a whole failing run takes about 32.6 h and 8 attempts", () => {
    let t = NOW;
    let since: number | null = null;
    let attempt = 1;
    for (;;) {
      const r = planNextStep(attempt, e500, since, t, mid);
      since = r.failingSinceMs;
      if (r.step.kind !== "retry") {
        expect(r.step.kind).toBe("failed");
        break;
      }
      t = r.step.dueAtMs;
      attempt++;
    }
    expect(attempt).toBe(MAX_ATTEMPTS);
    expect((t - NOW) / 3600_000).toBeCloseTo(
      (5 + 300 + 1800 + 7200 + 18000 + 36000 + 36000) / 3600,
      5,
    );
  });
});
