/**
 * Digest scheduling, pure: validate a watchlist's `delivery` and `paused_until`, and
 * compute digest periods in an IANA time zone with Intl.DateTimeFormat (works in workerd
 * and Node). Periods are half-open `[start, end)`; the digest of a period is due at `end`.
 *
 * Daylight saving: a local time that does not exist (skipped hour) is taken as the same
 * wall-clock time after the jump (02:30 on a spring-forward day in New York is 03:30
 * EDT), and a local time that happens twice (repeated hour) is its first occurrence, as
 * Temporal's "compatible" disambiguation does. So a daily digest is sent once a day, and a
 * day with a clock change makes a 23- or 25-hour period. Hourly periods end on every
 * local full hour, each one real hour long (a repeated hour makes two periods).
 */

import type { FieldError } from "../errors.ts";
import { isoDateTimeMs } from "../input-checks.ts";

/** Delivery modes of a watchlist (SPEC "Channels, digests, pause"). */
export const DELIVERY_MODES = ["instant", "hourly", "daily", "weekly"] as const;

/** One of {@link DELIVERY_MODES}. */
export type DeliveryMode = (typeof DELIVERY_MODES)[number];

/** A watchlist's `delivery` as validated: defaults filled, time zone in canonical spelling. */
export interface Delivery {
  mode: DeliveryMode;
  /** Local time "HH:MM" of a daily or weekly digest. */
  at?: string;
  /** ISO weekday of a weekly digest: 1 = Monday … 7 = Sunday. */
  weekday?: number;
  /** IANA time zone name. */
  timezone: string;
}

/** Result of a validation: the value, or the problems. */
export type Validated<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

/** `at` when a daily or weekly delivery gives none. */
export const DEFAULT_AT = "08:00";
/** `weekday` when a weekly delivery gives none (Monday). */
const DEFAULT_WEEKDAY = 1;
/** `timezone` when none is given. */
export const DEFAULT_TIMEZONE = "UTC";

/** The default delivery: every alert at once. */
export const INSTANT: Delivery = { mode: "instant", timezone: DEFAULT_TIMEZONE };

const MINUTE = 60_000;
const DAY = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/**
 * The canonical name of an IANA time zone (`europe/london` -> `Europe/London`), or null
 * when the runtime does not know it.
 */
export function canonicalTimeZone(name: string): string | null {
  if (typeof name !== "string" || name.trim() === "" || name.length > 64) return null;
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: name.trim() }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** Wall-clock fields of an instant in a time zone. */
interface Wall {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
}

function wallOf(tz: string, ms: number): Wall & { s: number } {
  const p: Record<string, number> = {};
  for (const part of formatter(tz).formatToParts(ms)) {
    if (part.type !== "literal") p[part.type] = Number(part.value);
  }
  return {
    y: p.year ?? 1970,
    mo: p.month ?? 1,
    d: p.day ?? 1,
    h: (p.hour ?? 0) % 24,
    mi: p.minute ?? 0,
    s: p.second ?? 0,
  };
}

/** UTC offset of `tz` at instant `ms`, in ms (local = utc + offset). */
export function offsetAt(tz: string, ms: number): number {
  const floored = Math.floor(ms / 1000) * 1000;
  const w = wallOf(tz, floored);
  return Date.UTC(w.y, w.mo - 1, w.d, w.h, w.mi, w.s) - floored;
}

/**
 * The instant of local wall-clock time `w` in `tz`: the first one when it happens twice,
 * the time shifted forward by the gap when it is skipped.
 */
export function localToInstant(tz: string, w: Wall): number {
  const wall = Date.UTC(w.y, w.mo - 1, w.d, w.h, w.mi);
  const before = offsetAt(tz, wall - DAY);
  const after = offsetAt(tz, wall + DAY);
  const candidates = [...new Set([wall - before, wall - after])]
    .filter((t) => t + offsetAt(tz, t) === wall)
    .sort((a, b) => a - b);
  const first = candidates[0];
  if (first !== undefined) return first;
  // skipped: apply the offset from before the transition, which lands after the gap
  return wall - before;
}

function parseAt(at: string): { h: number; mi: number } | null {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(at);
  return m ? { h: Number(m[1]), mi: Number(m[2]) } : null;
}

/** Civil date `days` after (y, mo, d). */
function addDays(
  y: number,
  mo: number,
  d: number,
  days: number,
): { y: number; mo: number; d: number } {
  const t = new Date(Date.UTC(y, mo - 1, d + days));
  return { y: t.getUTCFullYear(), mo: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

function isoWeekday(y: number, mo: number, d: number): number {
  const wd = new Date(Date.UTC(y, mo - 1, d)).getUTCDay();
  return wd === 0 ? 7 : wd;
}

/** Period boundaries of an hourly digest: local full hours. Offsets are multiples of 15 min. */
function hourBoundary(tz: string, ms: number): boolean {
  const w = wallOf(tz, ms);
  return w.mi === 0 && w.s === 0;
}

/** The daily/weekly boundary on local date (y, mo, d). */
function boundaryOn(
  tz: string,
  y: number,
  mo: number,
  d: number,
  at: { h: number; mi: number },
): number {
  return localToInstant(tz, { y, mo, d, h: at.h, mi: at.mi });
}

/**
 * The first period end strictly after `t` (epoch ms): when the digest that `t` falls in is
 * due. For `instant`, `t` itself.
 */
export function nextPeriodEnd(delivery: Delivery, t: number): number {
  return periodEdge(delivery, t, 1);
}

/** The last period end at or before `t` (the start of the period `t` falls in). */
export function previousPeriodEnd(delivery: Delivery, t: number): number {
  return periodEdge(delivery, t, -1);
}

/** The nearest period end after `t` (`dir` 1, strictly) or at or before it (`dir` -1). */
function periodEdge(delivery: Delivery, t: number, dir: 1 | -1): number {
  const tz = delivery.timezone;
  switch (delivery.mode) {
    case "instant":
      return t;
    case "hourly": {
      let q = Math.floor(t / (15 * MINUTE)) * 15 * MINUTE + (dir > 0 ? 15 * MINUTE : 0);
      while (!hourBoundary(tz, q)) q += dir * 15 * MINUTE;
      return q;
    }
    case "daily":
    case "weekly": {
      const at = parseAt(delivery.at ?? DEFAULT_AT) ?? { h: 8, mi: 0 };
      const w = wallOf(tz, t);
      let first = 0;
      if (delivery.mode === "weekly") {
        const target = delivery.weekday ?? DEFAULT_WEEKDAY;
        first = (dir * (target - isoWeekday(w.y, w.mo, w.d)) + 7) % 7;
      }
      const step = delivery.mode === "weekly" ? 7 : 1;
      for (let days = first; ; days += step) {
        const c = addDays(w.y, w.mo, w.d, dir * days);
        const edge = boundaryOn(tz, c.y, c.mo, c.d, at);
        if (dir > 0 ? edge > t : edge <= t) return edge;
      }
    }
  }
}

/** A digest period, `[start, end)` in epoch ms. */
export interface Period {
  start: number;
  end: number;
}

/** The period an alert created at `t` belongs to, or null for instant delivery. */
export function periodOf(delivery: Delivery, t: number): Period | null {
  if (delivery.mode === "instant") return null;
  return { start: previousPeriodEnd(delivery, t), end: nextPeriodEnd(delivery, t) };
}

/** A stable key of a period (for grouping alerts and naming the digest), e.g. `daily:2026-12-02T08:00:00.000Z`. */
export function periodKey(delivery: Delivery, period: Period): string {
  return `${delivery.mode}:${new Date(period.end).toISOString()}`;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Validate a watchlist's `delivery` (absent or null means instant). Errors name the field
 * (`delivery.timezone`, …). `at` and `weekday` belong to daily/weekly and weekly only.
 * @example validateDelivery({ mode: "daily", at: "07:30", timezone: "Europe/London" })
 */
export function validateDelivery(input: unknown, field = "delivery"): Validated<Delivery> {
  if (input === undefined || input === null) return { ok: true, value: { ...INSTANT } };
  if (!isRecord(input)) return { ok: false, errors: [{ field, message: "must be an object" }] };
  const errors: FieldError[] = [];
  for (const k of Object.keys(input)) {
    if (!["mode", "at", "weekday", "timezone"].includes(k)) {
      errors.push({ field: `${field}.${k}`, message: "unknown property" });
    }
  }
  const mode = input.mode ?? "instant";
  if (typeof mode !== "string" || !(DELIVERY_MODES as readonly string[]).includes(mode)) {
    errors.push({ field: `${field}.mode`, message: `must be one of ${DELIVERY_MODES.join(", ")}` });
  }
  const m = mode as DeliveryMode;
  let timezone = DEFAULT_TIMEZONE;
  if (input.timezone !== undefined && input.timezone !== null) {
    const tz = typeof input.timezone === "string" ? canonicalTimeZone(input.timezone) : null;
    if (tz === null) {
      errors.push({
        field: `${field}.timezone`,
        message: "must be an IANA time zone name, e.g. Europe/London",
      });
    } else timezone = tz;
  }
  const value: Delivery = { mode: m, timezone };
  if (input.at !== undefined && input.at !== null) {
    if (m !== "daily" && m !== "weekly") {
      errors.push({ field: `${field}.at`, message: "only for daily or weekly delivery" });
    } else if (typeof input.at !== "string" || parseAt(input.at) === null) {
      errors.push({ field: `${field}.at`, message: 'must be a 24-hour local time "HH:MM"' });
    } else value.at = input.at;
  }
  if (input.weekday !== undefined && input.weekday !== null) {
    if (m !== "weekly") {
      errors.push({ field: `${field}.weekday`, message: "only for weekly delivery" });
    } else if (
      typeof input.weekday !== "number" ||
      !Number.isInteger(input.weekday) ||
      input.weekday < 1 ||
      input.weekday > 7
    ) {
      errors.push({
        field: `${field}.weekday`,
        message: "must be an integer 1 (Monday) to 7 (Sunday)",
      });
    } else value.weekday = input.weekday;
  }
  if (errors.length > 0) return { ok: false, errors };
  if ((m === "daily" || m === "weekly") && value.at === undefined) value.at = DEFAULT_AT;
  if (m === "weekly" && value.weekday === undefined) value.weekday = DEFAULT_WEEKDAY;
  return { ok: true, value };
}

/**
 * Validate `paused_until`: an ISO 8601 date-time with an offset (`Z` or `±HH:MM`), or null
 * (not paused). Returned normalised to UTC ISO.
 */
export function validatePausedUntil(
  input: unknown,
  field = "paused_until",
): Validated<string | null> {
  if (input === undefined || input === null) return { ok: true, value: null };
  if (
    typeof input !== "string" ||
    !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i.test(input)
  ) {
    return {
      ok: false,
      errors: [{ field, message: "must be an ISO 8601 date-time with a time zone, or null" }],
    };
  }
  const t = isoDateTimeMs(input);
  if (t === null) return { ok: false, errors: [{ field, message: "not a valid date-time" }] };
  return { ok: true, value: new Date(t).toISOString() };
}

/** True when a watchlist with this `paused_until` is paused at `t` (epoch ms): until then, nothing is pushed. */
export function isPaused(pausedUntil: string | null | undefined, t: number): boolean {
  if (!pausedUntil) return false;
  const until = Date.parse(pausedUntil);
  return Number.isFinite(until) && t < until;
}
