/**
 * Pure checks of article input shared by the API (through the zod schemas and the ingest
 * pipeline) and the command line, so both accept and refuse the same things.
 */

const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?([Zz]|[+-]\d{2}(?::?\d{2})?)?)?$/;

/**
 * Epoch ms of an ISO 8601 / RFC 3339 date (`2021-01-26`) or date-time
 * (`2021-01-26T10:00:00+08:00`, UTC when no offset is given), or null: no other
 * notation (`"0"`, `"Tuesday"`, a bare year) and no impossible date (`2021-02-30`).
 */
export function isoDateTimeMs(s: string): number | null {
  const m = ISO_DATE_TIME.exec(s);
  if (!m) return null;
  const [y, mo, d, h = 0, mi = 0, sec = 0] = m.slice(1, 7).map((v) => (v ? Number(v) : 0));
  const frac = m[7] ? Number(`0.${m[7]}`) * 1000 : 0;
  if (h > 23 || mi > 59 || sec > 59) return null;
  const check = new Date(0); // setUTCFullYear, unlike Date.UTC, keeps years 0-99 as written
  check.setUTCFullYear(y as number, (mo as number) - 1, d);
  check.setUTCHours(h, mi, sec);
  const utc = check.getTime();
  if (check.getUTCFullYear() !== y || check.getUTCMonth() + 1 !== mo || check.getUTCDate() !== d) {
    return null;
  }
  let offsetMin = 0;
  const tz = m[8];
  if (tz && tz.toUpperCase() !== "Z") {
    const digits = tz.slice(1).replace(":", "");
    const oh = Number(digits.slice(0, 2));
    const om = digits.length > 2 ? Number(digits.slice(2)) : 0;
    if (oh > 23 || om > 59) return null;
    offsetMin = (tz[0] === "-" ? -1 : 1) * (oh * 60 + om);
  }
  return utc + Math.floor(frac) - offsetMin * 60_000;
}

/** Anything but white space, format (zero-width) and control characters. */
const VISIBLE = /[^\p{White_Space}\p{Cf}\p{Cc}\p{Z}]/u;

/** Whether cleaning left any text: false for only zero-width characters or white space. */
export function hasTextLeft(cleanText: string): boolean {
  return VISIBLE.test(cleanText);
}
