import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analyzeArticle } from "../../../src/text/index.ts";

const dir = join(import.meta.dirname, "..", "..", "..", "fixtures", "articles");

interface Expected {
  file: string;
  title: string;
  published_at: string;
  expected: {
    lang: string;
    dateline: { place: string | null; date: string | null; agency: string | null };
    sentence_count: number;
    sentence_starts: string[];
    text_ends_with: string;
    keywords_include: string[];
    keywords_exclude?: string[];
  };
}

const cases = readdirSync(dir)
  .filter((f) => f.endsWith(".expected.json"))
  .sort()
  .map(
    (f) =>
      [
        f.replace(".expected.json", ""),
        JSON.parse(readFileSync(join(dir, f), "utf8")) as Expected,
      ] as const,
  );

describe("fixture articles", () => {
  it("covers the wire languages", () => {
    expect(cases.map(([lang]) => lang)).toEqual(["ar", "en", "es", "fr", "ru", "zh"]);
  });

  for (const [name, fx] of cases) {
    describe(name, () => {
      const text = readFileSync(join(dir, fx.file), "utf8");
      const r = analyzeArticle({ text, title: fx.title, publishedAt: fx.published_at });
      const e = fx.expected;

      it("detects the language and the dateline", () => {
        expect(r.doc.lang).toBe(e.lang);
        expect(r.doc.dateline).toEqual(e.dateline);
      });

      it("splits sentences as expected, the dateline outside the first", () => {
        expect(
          r.doc.sentences.map((s) => s.text.slice(0, e.sentence_starts[0]?.length ?? 20)),
        ).toEqual(e.sentence_starts);
        expect(r.doc.sentences).toHaveLength(e.sentence_count);
        for (const s of r.doc.sentences) expect(r.doc.text.slice(s.start, s.end)).toBe(s.text);
        const first = r.doc.sentences[0];
        expect(first?.start).toBeGreaterThan(0);
      });

      it("drops the share crumbs and keeps the article", () => {
        expect(r.doc.text.endsWith(e.text_ends_with)).toBe(true);
        expect(r.doc.text.startsWith(text.trim().slice(0, 4))).toBe(true);
      });

      it("summarises with the lead first, in article order", () => {
        expect(r.summary).toHaveLength(3);
        expect(r.summary[0]).toBe(r.doc.sentences[0]?.text);
        const idx = r.summary.map((s) => r.doc.sentences.findIndex((x) => x.text === s));
        expect([...idx].sort((a, b) => a - b)).toEqual(idx);
      });

      it("re-prepares the stored text to the same sentences (server recomputes summaries)", () => {
        const again = analyzeArticle({
          text: r.doc.text,
          title: r.doc.title,
          lang: r.doc.lang,
          publishedAt: fx.published_at,
        });
        expect(again.doc.text).toBe(r.doc.text);
        expect(again.doc.sentences).toEqual(r.doc.sentences);
        expect(again.summary).toEqual(r.summary);
        expect(again.keywords).toEqual(r.keywords);
      });

      it("finds the expected keywords", () => {
        expect(r.keywords.length).toBeGreaterThanOrEqual(5);
        expect(r.keywords.length).toBeLessThanOrEqual(10);
        for (const k of e.keywords_include) expect(r.keywords).toContain(k);
        for (const k of e.keywords_exclude ?? []) expect(r.keywords).not.toContain(k);
      });
    });
  }
});
