import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  analyzeArticle,
  contentHashInput,
  detectLanguage,
  extractKeywords,
  prepareDocument,
  summarize,
} from "../../../src/text/index.ts";

const pieces = fc.constantFrom(
  "بكين 26 يناير 2021 (شينخوا) ",
  "دعا الرئيس الصيني إلى التعاون. ",
  "بها.الأسماك ",
  "新华社北京1月26日电 ",
  "习近平同卢卡申科通电话。",
  "BEIJING, Jan. 26 (Xinhua) -- ",
  "Mr. Smith went to the U.S. ",
  "The end. ",
  "ПЕКИН, 26 января /Синьхуа/ -- ",
  "Председатель КНР. ",
  "\n\n",
  "\uD800",
  "\uDC00",
  "\u200F",
  "...",
  "؟",
  "<p>",
  "«",
  '"',
);
const mixed = fc
  .array(fc.oneof(pieces, fc.string({ unit: "binary" }), fc.string({ unit: "grapheme" })), {
    maxLength: 30,
  })
  .map((a) => a.join(""));

function checkDoc(text: string): void {
  const r = analyzeArticle({ text, title: text.slice(0, 20) }, { sentences: 3 });
  for (const s of r.doc.sentences) expect(r.doc.text.slice(s.start, s.end)).toBe(s.text);
  for (const s of r.summary) expect(r.doc.text.includes(s)).toBe(true);
  expect(r.summary.length).toBeLessThanOrEqual(3);
  expect(r.keywords.length).toBeLessThanOrEqual(10);
  expect(typeof r.doc.lang).toBe("string");
}

describe("text pipeline properties", () => {
  it("never throws and keeps summaries as exact substrings, on arbitrary and mixed Unicode", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: "binary", maxLength: 400 }), mixed), (text) => {
        checkDoc(text);
      }),
      { numRuns: 300 },
    );
  });

  it("handles HTML input and word budgets", () => {
    fc.assert(
      fc.property(mixed, fc.integer({ min: -5, max: 200 }), (html, words) => {
        const doc = prepareDocument({ html });
        for (const s of summarize(doc, { words }))
          expect(doc.text.slice(s.start, s.end)).toBe(s.text);
        extractKeywords(doc, words);
      }),
      { numRuns: 150 },
    );
  });

  it("handles edge inputs", () => {
    for (const text of [
      "",
      " ",
      "\n\n\n",
      ".",
      "\uD800",
      "\uDFFF\uD800",
      "a".repeat(100_000),
      `${"word ".repeat(20_000)}.`,
    ]) {
      checkDoc(text);
    }
    expect(() => prepareDocument({} as never)).not.toThrow();
    expect(() => prepareDocument(null as never)).not.toThrow();
    expect(prepareDocument({ text: 42 as never }).text).toBe("");
    expect(detectLanguage("\uD800\uD800")).toBe("und");
    expect(contentHashInput("\uD800x")).toBe("x");
  });

  it("is idempotent: preparing the stored text again gives the same text and sentences", () => {
    fc.assert(
      fc.property(fc.oneof(mixed, fc.string({ unit: "binary", maxLength: 300 })), (text) => {
        const a = prepareDocument({ text, publishedAt: "2021-01-27T00:00:00Z" });
        const b = prepareDocument({
          text: a.text,
          lang: a.lang,
          publishedAt: "2021-01-27T00:00:00Z",
        });
        expect(b.text).toBe(a.text);
        expect(b.sentences).toEqual(a.sentences);
        expect(b.dateline).toEqual(a.dateline);
      }),
      { numRuns: 300 },
    );
  });

  it("respects a given language", () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        expect(prepareDocument({ text, lang: "fr" }).lang).toBe("fr");
      }),
      { numRuns: 50 },
    );
  });
});
