import { describe, expect, it } from "vitest";
import { matchQueries } from "../../../src/watch/index.ts";
import { doc, fixture, spans, wordOccurrences } from "./helpers.ts";

// The seed article exactly as scraped (raw file text), offsets computed here with
// indexOf on the expected surface forms, not by the matcher.
const seed = fixture("seed-ar-xinhua.txt");
const d = doc(seed, "", "ar");

function hitsOf(query: string) {
  const m = matchQueries([query], d);
  expect(m.map((x) => x.query)).toEqual([query]);
  return spans(m[0]?.hits ?? []);
}

describe("seed article (Arabic Xinhua)", () => {
  it("الصين matches الصين, والصين and للصين, but not the adjective الصيني", () => {
    const expected = wordOccurrences(seed, ["الصين", "والصين", "للصين", "بالصين", "وللصين"]);
    expect(expected.map((e) => e[3])).toEqual([
      "الصين",
      "الصين",
      "الصين",
      "الصين",
      "الصين",
      "الصين",
      "للصين",
      "للصين",
      "والصين",
      "الصين",
      "الصين",
      "الصين",
    ]);
    expect(hitsOf("الصين")).toEqual(expected);
    expect(seed.includes("الصيني")).toBe(true); // present, and not a hit
  });

  it("بيلاروسيا matches وبيلاروسيا and لبيلاروسيا, not البيلاروسي", () => {
    const expected = wordOccurrences(seed, ["بيلاروسيا", "وبيلاروسيا", "لبيلاروسيا"]);
    expect(expected).toHaveLength(10);
    expect(expected.filter((e) => e[3] === "وبيلاروسيا")).toHaveLength(3);
    expect(expected.filter((e) => e[3] === "لبيلاروسيا")).toHaveLength(1);
    expect(hitsOf("بيلاروسيا")).toEqual(expected);
  });

  it('"الحزام والطريق" matches both occurrences of the phrase', () => {
    const expected = wordOccurrences(seed, ["الحزام والطريق"]);
    expect(expected).toHaveLength(2);
    expect(hitsOf('"الحزام والطريق"')).toEqual(expected);
  });

  it("لوكاشينكو matches the three mentions", () => {
    const expected = wordOccurrences(seed, ["لوكاشينكو"]);
    expect(expected).toHaveLength(3);
    expect(hitsOf("لوكاشينكو")).toEqual(expected);
  });

  it("the dateline name بكين stays whole: بكين matches, كين does not", () => {
    expect(hitsOf("بكين")).toEqual([["text", 0, 4, "بكين"]]);
    expect(matchQueries(["كين"], d)).toEqual([]);
  });

  it("snippets are the sentence around the hit", () => {
    const m = matchQueries(["لوكاشينكو"], d)[0];
    const first = m?.hits[0];
    expect(first?.snippet).toBe(
      "وفي محادثته الهاتفية مع نظيره البيلاروسي ألكسندر لوكاشينكو، حث شي أيضا الجانبين على تحقيق تقدم قوي في إنشاء المجمع الصناعي الصيني-البيلاروسي.",
    );
  });

  it("all four together, in query order", () => {
    const qs = ["الصين", "بيلاروسيا", '"الحزام والطريق"', "لوكاشينكو", "football"];
    expect(matchQueries(qs, d).map((m) => [m.query, m.hits.length])).toEqual([
      ["الصين", 12],
      ["بيلاروسيا", 10],
      ['"الحزام والطريق"', 2],
      ["لوكاشينكو", 3],
    ]);
  });
});
