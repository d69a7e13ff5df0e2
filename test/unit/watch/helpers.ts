import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { splitSentences } from "../../../src/text/sentences.ts";
import { type Hit, MAX_HITS_PER_SUBSCRIBER, type MatchableDoc } from "../../../src/watch/index.ts";

export function fixture(rel: string): string {
  return readFileSync(fileURLToPath(new URL(`../../../fixtures/${rel}`, import.meta.url)), "utf8");
}

export function doc(
  text: string,
  title = "",
  lang = "en",
  extra: Partial<MatchableDoc> = {},
): MatchableDoc {
  // sentences as the ingest pipeline finds them (every caller passes them)
  return { text, title, lang, sentences: splitSentences(text, lang), ...extra };
}

/** Hits without snippets, for compact exact assertions. */
export function spans(hits: Hit[]): [Hit["field"], number, number, string][] {
  return hits.map((h) => [h.field, h.start, h.end, h.text]);
}

/**
 * Independent expectation: every occurrence of any of `surfaces` in `text` that is a
 * whole word (no letter or mark right before or after), as [field, start, end, text].
 */
export function wordOccurrences(
  text: string,
  surfaces: string[],
  field: Hit["field"] = "text",
): [Hit["field"], number, number, string][] {
  const out: [Hit["field"], number, number, string][] = [];
  const letter = /[\p{L}\p{M}\p{N}]/u;
  for (const s of surfaces) {
    for (let i = text.indexOf(s); i >= 0; i = text.indexOf(s, i + 1)) {
      const before = i > 0 ? text[i - 1] : "";
      const after = text[i + s.length] ?? "";
      if ((before && letter.test(before)) || (after && letter.test(after))) continue;
      out.push([field, i, i + s.length, s]);
    }
  }
  return out.sort((a, b) => a[1] - b[1]);
}

/** Every occurrence of a substring (for CJK, where terms match as substrings). */
export function substringOccurrences(text: string, s: string, field: Hit["field"] = "text") {
  const out: [Hit["field"], number, number, string][] = [];
  for (let i = text.indexOf(s); i >= 0; i = text.indexOf(s, i + 1))
    out.push([field, i, i + s.length, s]);
  return out;
}

/** The small vocabulary the property tests draw from: words, Arabic clitic forms, CJK. */
const PROPERTY_WORDS = [
  "xi",
  "belarus",
  "china",
  "minsk",
  "road",
  "belt",
  "الصين",
  "والصين",
  "للصين",
  "بالبنان",
  "لبنان",
  "بكين",
  "chinaware",
  "crisis",
  "isis",
];
const PROPERTY_CJK = ["白俄罗斯", "卢卡申科", "俄罗斯", "中国"];

/**
 * Random queries over that vocabulary: words, prefixes, phrases, proximity, fields, AND,
 * OR, NOT and nesting, plus (with `broken`) a few strings the parser rejects.
 */
export function propertyQueries(broken = false) {
  const words = PROPERTY_WORDS;
  const term = fc.oneof(
    fc.constantFrom(...words, ...PROPERTY_CJK),
    fc.constantFrom("chin*", "bel*", "الص*", "بي*", "mi*"),
    fc.tuple(fc.constantFrom(...words), fc.constantFrom(...words)).map(([a, b]) => `"${a} ${b}"`),
    fc
      .tuple(fc.constantFrom(...words), fc.constantFrom(...words), fc.nat(4))
      .map(([a, b, n]) => `"${a} ${b}"~${n}`),
  );
  return fc.letrec<{ q: string }>((tie) => ({
    q: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      term,
      term.map((t) => `title:${t}`),
      fc.tuple(tie("q"), tie("q")).map(([a, b]) => `(${a} AND ${b})`),
      fc.tuple(tie("q"), tie("q")).map(([a, b]) => `(${a} OR ${b})`),
      fc.tuple(tie("q"), tie("q")).map(([a, b]) => `(${a} -${b})`),
      tie("q").map((a) => `NOT ${a}`),
      ...(broken ? [fc.constantFrom("(broken", "a~", '"')] : []),
    ),
  })).q;
}

/** Random texts over the same vocabulary (up to 30 words, with line breaks and full stops). */
export function propertyText() {
  return fc
    .array(fc.constantFrom(...PROPERTY_WORDS, ...PROPERTY_CJK, "the", "and", "\n", "."), {
      maxLength: 30,
    })
    .map((ws) => ws.join(" "));
}

/**
 * Matches as one subscriber's hit budget leaves them: their `key` lists cut as the
 * budget is spent in order, from `budget.left` (which is spent).
 */
export function withinHitBudget<K extends string, M extends Record<K, unknown[]>>(
  ms: M[],
  key: K,
  budget = { left: MAX_HITS_PER_SUBSCRIBER },
): M[] {
  return ms.map((m) => {
    const kept = m[key].slice(0, budget.left);
    budget.left -= kept.length;
    return { ...m, [key]: kept };
  });
}
