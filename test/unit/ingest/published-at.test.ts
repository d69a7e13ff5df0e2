import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isoDateTimeMs } from "../../../src/input-checks.ts";
import { ArticleInput } from "../../../src/schemas.ts";

describe("published_at: a real ISO 8601 date or date-time", () => {
  it.each([
    ["2021-01-26", "2021-01-26T00:00:00.000Z"],
    ["2021-01-26T10:00:00Z", "2021-01-26T10:00:00.000Z"],
    ["2021-01-26T10:00Z", "2021-01-26T10:00:00.000Z"],
    ["2021-01-26T10:00:00.123456Z", "2021-01-26T10:00:00.123Z"],
    ["2021-01-26t10:00:00z", "2021-01-26T10:00:00.000Z"],
    ["2021-01-26 10:00:00+08:00", "2021-01-26T02:00:00.000Z"],
    ["2021-01-26T10:00:00+0800", "2021-01-26T02:00:00.000Z"],
    ["2021-01-26T10:00:00-05", "2021-01-26T15:00:00.000Z"],
    ["2021-01-26T10:00:00", "2021-01-26T10:00:00.000Z"],
    ["2024-02-29", "2024-02-29T00:00:00.000Z"],
  ])("accepts %s as %s", (raw, iso) => {
    expect(new Date(isoDateTimeMs(raw) as number).toISOString()).toBe(iso);
    expect(ArticleInput.safeParse({ text: "A. B.", published_at: raw }).success).toBe(true);
  });

  it.each([
    "0",
    "1",
    "2021",
    "20210126",
    "Tuesday",
    "Jan 26 2021",
    "26/01/2021",
    "2021-1-26",
    "2021-02-30",
    "2023-02-29",
    "2021-13-01",
    "2021-01-26T24:00:00Z",
    "2021-01-26T10:60Z",
    "2021-01-26T10:00:00+25:00",
    "2021-01-26T10",
    " 2021-01-26",
    "2021-01-26Z",
    "",
  ])("rejects %j (422 naming published_at)", (raw) => {
    expect(isoDateTimeMs(raw)).toBeNull();
    const r = ArticleInput.safeParse({ text: "A. B.", published_at: raw });
    expect(r.success).toBe(false);
    if (!r.success) expect(r.error.issues[0]?.path).toEqual(["published_at"]);
  });

  it("agrees with Date on every RFC 3339 timestamp it prints", () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date("0001-01-01"), max: new Date("9999-12-31"), noInvalidDate: true }),
        (d) => isoDateTimeMs(d.toISOString()) === d.getTime(),
      ),
    );
  });
});
