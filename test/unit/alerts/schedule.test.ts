import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  canonicalTimeZone,
  type Delivery,
  isPaused,
  localToInstant,
  nextPeriodEnd,
  offsetAt,
  periodKey,
  periodOf,
  previousPeriodEnd,
  validateDelivery,
  validatePausedUntil,
} from "../../../src/alerts/schedule.ts";

const T = (iso: string) => Date.parse(iso);
const ISO = (ms: number) => new Date(ms).toISOString();
const H = 3_600_000;

const NY = "America/New_York"; // 2026: DST from Sun 8 Mar 02:00 to Sun 1 Nov 02:00
const LON = "Europe/London"; // 2026: BST from Sun 29 Mar 01:00 UTC to Sun 25 Oct 01:00 UTC
const SH = "Asia/Shanghai"; // UTC+8 all year

const daily = (at: string, timezone: string): Delivery => ({ mode: "daily", at, timezone });

function period(d: Delivery, iso: string) {
  const p = periodOf(d, T(iso));
  if (!p) throw new Error("no period");
  return { start: ISO(p.start), end: ISO(p.end), hours: (p.end - p.start) / H };
}

describe("time zone arithmetic", () => {
  it("offsets change on each zone's own dates", () => {
    expect(offsetAt(NY, T("2026-03-08T06:59:59Z"))).toBe(-5 * H);
    expect(offsetAt(NY, T("2026-03-08T07:00:00Z"))).toBe(-4 * H);
    expect(offsetAt(LON, T("2026-03-08T07:00:00Z"))).toBe(0);
    expect(offsetAt(LON, T("2026-03-29T01:00:00Z"))).toBe(H);
    expect(offsetAt(SH, T("2026-03-29T01:00:00Z"))).toBe(8 * H);
    expect(offsetAt(SH, T("2026-11-01T06:00:00Z"))).toBe(8 * H);
  });

  it("a skipped local time moves forward by the gap; a repeated one is its first occurrence", () => {
    expect(ISO(localToInstant(NY, { y: 2026, mo: 3, d: 8, h: 2, mi: 30 }))).toBe(
      "2026-03-08T07:30:00.000Z",
    );
    expect(ISO(localToInstant(NY, { y: 2026, mo: 11, d: 1, h: 1, mi: 30 }))).toBe(
      "2026-11-01T05:30:00.000Z",
    );
    expect(ISO(localToInstant(LON, { y: 2026, mo: 3, d: 29, h: 1, mi: 30 }))).toBe(
      "2026-03-29T01:30:00.000Z",
    );
    expect(ISO(localToInstant(LON, { y: 2026, mo: 10, d: 25, h: 1, mi: 30 }))).toBe(
      "2026-10-25T00:30:00.000Z",
    );
    expect(ISO(localToInstant(SH, { y: 2026, mo: 3, d: 8, h: 2, mi: 30 }))).toBe(
      "2026-03-07T18:30:00.000Z",
    );
  });
});

describe("daily digests across daylight-saving changes", () => {
  it("New York: the spring-forward day is a 23-hour period, the fall-back day 25 hours", () => {
    expect(period(daily("09:00", NY), "2026-03-07T15:00:00Z")).toEqual({
      start: "2026-03-07T14:00:00.000Z",
      end: "2026-03-08T13:00:00.000Z",
      hours: 23,
    });
    expect(period(daily("09:00", NY), "2026-10-31T20:00:00Z")).toEqual({
      start: "2026-10-31T13:00:00.000Z",
      end: "2026-11-01T14:00:00.000Z",
      hours: 25,
    });
  });

  it("New York, digest at 02:30 (skipped on 8 March): sent at 03:30 that day, once", () => {
    const d = daily("02:30", NY);
    expect(ISO(nextPeriodEnd(d, T("2026-03-07T08:00:00Z")))).toBe("2026-03-08T07:30:00.000Z");
    expect(ISO(nextPeriodEnd(d, T("2026-03-08T07:30:00Z")))).toBe("2026-03-09T06:30:00.000Z");
  });

  it("New York, digest at 01:30 (repeated on 1 November): sent at the first 01:30 only", () => {
    const d = daily("01:30", NY);
    expect(ISO(nextPeriodEnd(d, T("2026-10-31T12:00:00Z")))).toBe("2026-11-01T05:30:00.000Z");
    expect(ISO(nextPeriodEnd(d, T("2026-11-01T05:30:00Z")))).toBe("2026-11-02T06:30:00.000Z");
    // an alert during the second 01:30 belongs to the period that ends the next day
    expect(period(d, "2026-11-01T06:40:00Z")).toEqual({
      start: "2026-11-01T05:30:00.000Z",
      end: "2026-11-02T06:30:00.000Z",
      hours: 25,
    });
  });

  it("London changes on other dates: 23 hours on 29 March, 25 on 25 October", () => {
    expect(period(daily("09:00", LON), "2026-03-28T12:00:00Z")).toEqual({
      start: "2026-03-28T09:00:00.000Z",
      end: "2026-03-29T08:00:00.000Z",
      hours: 23,
    });
    expect(period(daily("09:00", LON), "2026-10-24T12:00:00Z")).toEqual({
      start: "2026-10-24T08:00:00.000Z",
      end: "2026-10-25T09:00:00.000Z",
      hours: 25,
    });
    // New York's change weekend is a plain day in London
    expect(period(daily("09:00", LON), "2026-03-08T12:00:00Z").hours).toBe(24);
    // 01:30 is skipped in London on 29 March and repeated on 25 October
    expect(ISO(nextPeriodEnd(daily("01:30", LON), T("2026-03-28T12:00:00Z")))).toBe(
      "2026-03-29T01:30:00.000Z",
    );
    expect(ISO(nextPeriodEnd(daily("01:30", LON), T("2026-10-24T12:00:00Z")))).toBe(
      "2026-10-25T00:30:00.000Z",
    );
  });

  it("Shanghai has no daylight saving: every daily period of 2026 is 24 hours at 08:00 local", () => {
    const d = daily("08:00", SH);
    let t = T("2026-01-01T00:00:00Z");
    for (let i = 0; i < 365; i++) {
      const p = periodOf(d, t);
      expect(p && (p.end - p.start) / H).toBe(24);
      expect(ISO(p?.end ?? 0).slice(11)).toBe("00:00:00.000Z");
      t = p?.end ?? t;
    }
  });
});

describe("hourly and weekly digests", () => {
  it("hourly periods in New York are each one real hour, also through the repeated hour", () => {
    const d: Delivery = { mode: "hourly", timezone: NY };
    const ends: string[] = [];
    let t = T("2026-11-01T04:10:00Z");
    for (let i = 0; i < 4; i++) {
      const p = periodOf(d, t);
      expect(p && p.end - p.start).toBe(H);
      ends.push(ISO(p?.end ?? 0));
      t = p?.end ?? t;
    }
    expect(ends).toEqual([
      "2026-11-01T05:00:00.000Z", // 01:00 EDT
      "2026-11-01T06:00:00.000Z", // 01:00 EST (the repeated hour)
      "2026-11-01T07:00:00.000Z",
      "2026-11-01T08:00:00.000Z",
    ]);
  });

  it("hourly periods end on local full hours in a zone offset by 45 minutes", () => {
    const d: Delivery = { mode: "hourly", timezone: "Asia/Kathmandu" }; // UTC+05:45
    expect(period(d, "2026-03-08T12:00:00Z")).toEqual({
      start: "2026-03-08T11:15:00.000Z",
      end: "2026-03-08T12:15:00.000Z",
      hours: 1,
    });
  });

  it("weekly on Monday 08:00 London spans the spring change (167 hours)", () => {
    const d: Delivery = { mode: "weekly", weekday: 1, at: "08:00", timezone: LON };
    expect(period(d, "2026-03-25T12:00:00Z")).toEqual({
      start: "2026-03-23T08:00:00.000Z",
      end: "2026-03-30T07:00:00.000Z",
      hours: 167,
    });
    // Sunday 02:30 New York: on 8 March that is 03:30 EDT
    const sun: Delivery = { mode: "weekly", weekday: 7, at: "02:30", timezone: NY };
    expect(ISO(nextPeriodEnd(sun, T("2026-03-04T12:00:00Z")))).toBe("2026-03-08T07:30:00.000Z");
  });

  it("instant delivery has no period", () => {
    expect(periodOf({ mode: "instant", timezone: "UTC" }, 1)).toBeNull();
    expect(nextPeriodEnd({ mode: "instant", timezone: "UTC" }, 42)).toBe(42);
  });

  it("periods tile time: start <= t < end, and a boundary starts the next period (property)", () => {
    const zones = [NY, LON, SH, "Asia/Kathmandu", "Australia/Lord_Howe"];
    const modes: Delivery[] = zones.flatMap((tz) => [
      { mode: "hourly", timezone: tz },
      { mode: "daily", at: "02:30", timezone: tz },
      { mode: "daily", at: "00:00", timezone: tz },
      { mode: "weekly", weekday: 7, at: "01:30", timezone: tz },
    ]);
    fc.assert(
      fc.property(
        fc.integer({ min: T("2026-01-01T00:00:00Z"), max: T("2027-01-01T00:00:00Z") }),
        fc.constantFrom(...modes),
        (t, d) => {
          const p = periodOf(d, t);
          if (!p) throw new Error("no period");
          expect(p.start).toBeLessThanOrEqual(t);
          expect(p.end).toBeGreaterThan(t);
          expect(previousPeriodEnd(d, p.end)).toBe(p.end);
          expect(periodOf(d, p.end)?.start).toBe(p.end);
          expect(periodOf(d, p.end - 1)?.end).toBe(p.end);
          expect(periodKey(d, p)).toBe(`${d.mode}:${ISO(p.end)}`);
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe("validateDelivery", () => {
  it("defaults to instant, fills at/weekday, canonicalises the zone", () => {
    expect(validateDelivery(undefined)).toEqual({
      ok: true,
      value: { mode: "instant", timezone: "UTC" },
    });
    expect(validateDelivery({ mode: "daily" })).toEqual({
      ok: true,
      value: { mode: "daily", at: "08:00", timezone: "UTC" },
    });
    expect(validateDelivery({ mode: "weekly", timezone: "europe/london" })).toEqual({
      ok: true,
      value: { mode: "weekly", at: "08:00", weekday: 1, timezone: "Europe/London" },
    });
    expect(canonicalTimeZone("Asia/Shanghai")).toBe("Asia/Shanghai");
  });

  it("a bad time zone is an error naming the field", () => {
    const r = validateDelivery({ mode: "daily", at: "09:00", timezone: "Mars/Olympus_Mons" });
    expect(r).toEqual({
      ok: false,
      errors: [{ field: "delivery.timezone", message: expect.stringContaining("IANA") }],
    });
    expect(validateDelivery({ mode: "hourly", timezone: "" }).ok).toBe(false);
    expect(validateDelivery({ mode: "hourly", timezone: 5 }).ok).toBe(false);
  });

  it("rejects bad modes, times, weekdays and misplaced or unknown fields, each by field", () => {
    const fields = (v: unknown) => {
      const r = validateDelivery(v);
      return r.ok ? [] : r.errors.map((e) => e.field);
    };
    expect(fields({ mode: "monthly" })).toEqual(["delivery.mode"]);
    expect(fields({ mode: "daily", at: "24:00" })).toEqual(["delivery.at"]);
    expect(fields({ mode: "daily", at: "9:00" })).toEqual(["delivery.at"]);
    expect(fields({ mode: "weekly", weekday: 8 })).toEqual(["delivery.weekday"]);
    expect(fields({ mode: "weekly", weekday: 1.5 })).toEqual(["delivery.weekday"]);
    expect(fields({ mode: "daily", weekday: 2 })).toEqual(["delivery.weekday"]);
    expect(fields({ mode: "hourly", at: "08:00" })).toEqual(["delivery.at"]);
    expect(fields({ mode: "daily", every: 2 })).toEqual(["delivery.every"]);
    expect(fields("daily")).toEqual(["delivery"]);
  });
});

describe("pause", () => {
  it("validates paused_until and tells whether a watchlist is paused at t", () => {
    expect(validatePausedUntil(null)).toEqual({ ok: true, value: null });
    expect(validatePausedUntil("2026-12-24T18:00:00+01:00")).toEqual({
      ok: true,
      value: "2026-12-24T17:00:00.000Z",
    });
    expect(validatePausedUntil("2026-12-24")).toMatchObject({
      ok: false,
      errors: [{ field: "paused_until" }],
    });
    expect(validatePausedUntil("2026-13-45T99:00:00Z").ok).toBe(false);
    expect(validatePausedUntil(17).ok).toBe(false);
    const until = "2026-12-24T17:00:00.000Z";
    expect(isPaused(until, T(until) - 1)).toBe(true);
    expect(isPaused(until, T(until))).toBe(false);
    expect(isPaused(null, 0)).toBe(false);
    expect(isPaused("garbage", 0)).toBe(false);
  });
});
