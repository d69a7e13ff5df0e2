import { describe, expect, it } from "vitest";
import { STOPWORDS } from "../../../src/text/data/stopwords.ts";
import { extractKeywords, prepareDocument } from "../../../src/text/index.ts";

describe("extractKeywords", () => {
  const text =
    "LONDON (Reuters) - The European Central Bank raised interest rates on Thursday. The European Central Bank said inflation was too high. " +
    "Interest rates in the euro zone are now at their highest level since 2008. Economists expect the European Central Bank to pause. " +
    "Markets rose after the decision on interest rates. Inflation fell slightly in March, data showed.";
  const doc = prepareDocument({ text, title: "ECB raises interest rates again" });

  it("returns keyphrases without stopwords, names and phrases first", () => {
    const k = extractKeywords(doc);
    expect(k.length).toBeGreaterThanOrEqual(5);
    expect(k.length).toBeLessThanOrEqual(10);
    expect(k).toContain("European Central Bank");
    expect(k).toContain("interest rates");
    const stops = STOPWORDS.en ?? new Set<string>();
    for (const p of k) expect(stops.has(p.toLowerCase())).toBe(false);
  });

  it("respects the count and never throws", () => {
    expect(extractKeywords(doc, 5)).toHaveLength(5);
    expect(extractKeywords(prepareDocument({ text: "" }))).toEqual([]);
    expect(extractKeywords(doc, Number.NaN).length).toBeGreaterThan(0);
  });

  it("merges Arabic clitic forms under one stem", () => {
    const ar = prepareDocument({
      text: "زار الرئيس الصين. وقال إن الصين شريك مهم. وتعاون بالصين مستمر. والصين دولة كبيرة.",
    });
    const k = extractKeywords(ar);
    expect(k[0]).toBe("الصين");
  });
});
