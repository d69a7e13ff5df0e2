import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cleanText, ELLIPSIS, truncate, utf8Length } from "../../../src/alerts/text-limits.ts";

const graphemes = (s: string) =>
  [...new Intl.Segmenter(undefined, { granularity: "grapheme" }).segment(s)].map((g) => g.segment);

/** The cut text (without the ellipsis) is a prefix of the input made of whole graphemes. */
function expectCleanPrefix(input: string, out: string) {
  const head = out.endsWith(ELLIPSIS) ? out.slice(0, -ELLIPSIS.length) : out;
  expect(input.startsWith(head)).toBe(true);
  const inG = graphemes(input);
  const headG = graphemes(head);
  expect(inG.slice(0, headG.length)).toEqual(headG);
  // no lone surrogate (String.prototype.isWellFormed is ES2024)
  expect(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(out)).toBe(
    false,
  );
}

describe("truncate", () => {
  it("leaves text that fits alone", () => {
    expect(truncate("Xi meets Lukashenko", 19)).toBe("Xi meets Lukashenko");
    expect(truncate("الصين", 5)).toBe("الصين");
  });

  it("cuts English at a word boundary, with an ellipsis, within the limit", () => {
    expect(truncate("Xi meets Lukashenko in Beijing", 20)).toBe("Xi meets Lukashenko…");
    expect(truncate("Xi meets Lukashenko in Beijing", 19)).toBe("Xi meets…");
    expect(truncate("Xi meets Lukashenko, in Beijing", 21)).toBe("Xi meets Lukashenko…");
  });

  it("never splits an Arabic word, even with tashkeel", () => {
    const s = "دعا الرئيس الصيني شي جين بينغ اليوم الصين وبيلاروسيا إلى دفع التنمية";
    for (let max = 6; max < s.length; max++) {
      const out = truncate(s, max);
      expect(out.length).toBeLessThanOrEqual(max);
      const head = out.slice(0, -1);
      // every word of the head is a whole word of the input
      const words = new Set(s.split(" "));
      for (const w of head.split(" ").filter(Boolean))
        expect(words.has(w), `${max}: ${w}`).toBe(true);
    }
    const voweled = "مُحَمَّدٌ رَسُولُ اللَّهِ وَالَّذِينَ مَعَهُ";
    const cut = truncate(voweled, 20);
    expect(cut.length).toBeLessThanOrEqual(20);
    expectCleanPrefix(voweled, cut);
    expect(voweled.split(" ")).toContain(cut.slice(0, -1).split(" ").pop());
  });

  it("cuts Chinese between words (no spaces there) and never splits a surrogate pair", () => {
    const zh =
      "国家主席习近平26日同白俄罗斯总统卢卡申科通电话。习近平指出，中白建交以来两国关系持续发展。";
    const out = truncate(zh, 12);
    expect(out.length).toBeLessThanOrEqual(12);
    expectCleanPrefix(zh, out);
    const astral = "𠀀𠀁𠀂𠀃𠀄𠀅𠀆𠀇"; // CJK Extension B, two code units each
    for (let max = 2; max < astral.length; max++) {
      const o = truncate(astral, max);
      expect(o.length).toBeLessThanOrEqual(max);
      expectCleanPrefix(astral, o);
    }
  });

  it("keeps emoji sequences and flags whole", () => {
    const s = "👩‍👩‍👧‍👦🇨🇳🇧🇾 family and flags";
    for (let max = 2; max < 16; max++) {
      const o = truncate(s, max);
      expect(o.length).toBeLessThanOrEqual(max);
      expectCleanPrefix(s, o);
    }
  });

  it("falls back to a grapheme cut inside one very long word", () => {
    const long = "a".repeat(5000);
    const o = truncate(long, 100);
    expect(o).toBe(`${"a".repeat(99)}${ELLIPSIS}`);
  });

  it("drops a dangling Arabic comma or space before the ellipsis", () => {
    expect(truncate("الصين، بيلاروسيا والطريق", 8)).toBe("الصين…");
  });

  it("is within the limit, cleanly, for any string (property)", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "grapheme", maxLength: 300 }),
        fc.integer({ min: 1, max: 200 }),
        (s, max) => {
          const o = truncate(s, max);
          expect(o.length).toBeLessThanOrEqual(max);
          expectCleanPrefix(cleanText(s), o);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("cuts long Arabic between words", () => {
    const big = "الصين وبيلاروسيا ".repeat(20_000);
    const o = truncate(big, 3000);
    expect(o.length).toBeLessThanOrEqual(3000);
    expect(o.endsWith("الصين…") || o.endsWith("وبيلاروسيا…")).toBe(true);
  });
});

describe("cleanText", () => {
  it("replaces lone surrogates and drops control characters but keeps newlines and tabs", () => {
    expect(cleanText("a\uD800b\uDC00c😀\u0001\u0007d\te\r\nf\u009F")).toBe(
      "a\uFFFDb\uFFFDc😀d\te\nf",
    );
  });
});

describe("utf8Length", () => {
  it("matches TextEncoder", () => {
    for (const s of ["abc", "الصين", "中国", "😀🇨🇳", "a\uD800b"]) {
      expect(utf8Length(s)).toBe(new TextEncoder().encode(s).length);
    }
  });
});
