import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { splitSentences } from "../../../src/text/sentences.ts";
import type { Hit, MatchableDoc } from "../../../src/watch/index.ts";

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
