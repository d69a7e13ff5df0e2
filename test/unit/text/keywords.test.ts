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

  it("tags names, not titles or overlapping variants", () => {
    const wire = prepareDocument({
      text:
        "BEIJING, Jan. 26 (Xinhua) -- Chinese President Xi Jinping held talks with Belarusian President Alexander Lukashenko on Tuesday. " +
        "President Xi said China supports Belarus. President Alexander Lukashenko said Belarus supports China.",
      publishedAt: "2021-01-26T12:00:00Z",
    });
    const k = extractKeywords(wire);
    expect(k).toContain("Xi Jinping");
    expect(k).toContain("Alexander Lukashenko");
    expect(k).toContain("China");
    expect(k).toContain("Belarus");
    for (const p of k) {
      expect(p).not.toMatch(/President/);
      expect(p).not.toBe("Xi");
      expect(p).not.toBe("Lukashenko");
    }
  });

  it("keeps common verbs and weak words out, in each language", () => {
    const en = prepareDocument({
      text: "The ferry carries passengers across the bay. The new ferry carries cars too. The ferry launched in May. Passengers like the ferry.",
    });
    expect(extractKeywords(en)).not.toContain("carries");
    expect(extractKeywords(en)).not.toContain("new");
    expect(extractKeywords(en)).toContain("ferry");
    const ru = prepareDocument({
      text: "В области открыли новый мост. Мост открыли в пятницу. Новый мост соединил два района. Жители ждали мост.",
    });
    const kr = extractKeywords(ru);
    expect(kr).not.toContain("открыли");
    expect(kr).not.toContain("новый");
    expect(kr.some((p) => p.startsWith("мост") || p.startsWith("Мост"))).toBe(true);
  });

  it("never starts or ends a phrase with a title word", () => {
    const fr = prepareDocument({
      text: "Le président Emmanuel Macron a reçu le ministre Olaf Scholz. Le président Emmanuel Macron a salué le ministre. Olaf Scholz a remercié le président.",
    });
    for (const p of extractKeywords(fr))
      expect(p).not.toMatch(/^(président|ministre)|(président|ministre)$/i);
  });
});
