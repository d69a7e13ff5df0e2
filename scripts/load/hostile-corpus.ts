/**
 * Hostile watch queries and ~1 MiB articles of common English words for
 * `npm run load:hostile` (scripts/load/hostile.ts). Every query shape stays inside the
 * quotas (32 terms, 200 queries a watchlist, 2,000 a subscriber) and the parser's limits,
 * and each query knows whether it must match the generated articles, so the run can check
 * the service's answer. Written for this harness; no publisher's text.
 */

import { pick, rng } from "./corpus.ts";

/**
 * Frequent English words (all longer than one letter), every one of them in every
 * generated article thousands of times: proximity, OR and prefix queries over them match
 * everywhere, which is the expensive case.
 */
const COMMON = [
  "the",
  "of",
  "and",
  "to",
  "in",
  "that",
  "is",
  "was",
  "he",
  "for",
  "it",
  "with",
  "as",
  "his",
  "on",
  "be",
  "at",
  "by",
  "this",
  "had",
  "not",
  "are",
  "but",
  "from",
  "or",
  "have",
  "an",
  "they",
  "which",
  "one",
  "you",
  "were",
  "her",
  "all",
  "she",
  "there",
  "would",
  "their",
  "we",
  "him",
  "been",
  "has",
  "when",
  "who",
  "will",
  "more",
  "no",
  "if",
  "out",
  "so",
  "said",
  "what",
  "up",
  "its",
  "about",
  "into",
  "than",
  "them",
  "can",
  "only",
  "other",
  "new",
  "some",
  "could",
  "time",
  "these",
  "two",
  "may",
  "then",
  "do",
  "first",
  "any",
  "my",
  "now",
  "such",
  "like",
  "our",
  "over",
  "man",
  "me",
  "even",
  "most",
  "made",
  "after",
  "also",
  "did",
  "many",
  "before",
  "must",
  "through",
  "back",
  "years",
  "where",
  "much",
  "your",
  "way",
  "well",
  "down",
  "should",
  "because",
  "each",
  "just",
  "those",
  "people",
  "how",
  "too",
  "little",
  "state",
  "good",
  "very",
  "make",
  "world",
  "still",
  "own",
  "see",
  "men",
  "work",
  "long",
  "get",
  "here",
  "between",
  "both",
  "life",
  "being",
  "under",
  "never",
  "day",
  "same",
  "another",
  "know",
  "while",
  "last",
  "might",
  "us",
  "great",
  "old",
  "year",
  "off",
  "come",
  "since",
  "against",
  "go",
  "came",
  "right",
  "used",
  "take",
  "three",
  "company",
  "country",
  "government",
  "report",
];

/** Query words: the language parser's operators (and, or, not) are left out. */
const QUERY_WORDS = COMMON.filter((w) => !["and", "or", "not"].includes(w));

/** Two-letter prefixes of the common words (th, an, co, ...). */
const PREFIXES = [...new Set(QUERY_WORDS.map((w) => w.slice(0, 2)))];

/** The phrase planted in every article (the phrase subscriber's first query). */
const PLANTED_PHRASE: readonly string[] = (() => {
  const r = rng(0x5eed);
  return Array.from({ length: 32 }, () => pick(r, QUERY_WORDS));
})();

/** Planted in every article: a realistic query on them must match. */
const PLANTED = "Officials in Nairobi said solar power output rose again this year.";
export const PLANTED_QUERY = '"solar power" AND Nairobi';

export type Shape = "prox" | "near" | "phrase" | "prefix" | "or" | "nest" | "same";
export const SHAPES: readonly Shape[] = ["prox", "near", "phrase", "prefix", "or", "nest", "same"];
export const SHAPE_LABELS: Record<Shape, string> = {
  prox: "proximity, 32 common words ~1000",
  near: "proximity, 32 common words ~2",
  phrase: "exact phrase, 32 common words",
  prefix: "three two-letter prefixes (th* an* co*)",
  or: "OR of 32 common words",
  nest: "nesting 10 deep (AND / OR / AND NOT)",
  same: "every query the same (proximity ~1000)",
};

/** A generated query and whether it must match every generated article. */
export interface HostileQuery {
  q: string;
  matches: boolean;
}

/** The queries of one hostile subscriber (`n` of them, shape `shape`), deterministic for a seed. */
export function hostileQueries(shape: Shape, n: number, seed: number): HostileQuery[] {
  const r = rng(seed ^ ((SHAPES.indexOf(shape) + 1) * 0x2545f491));
  const words = (k: number) => Array.from({ length: k }, () => pick(r, QUERY_WORDS));
  const one = (i: number): HostileQuery => {
    switch (shape) {
      case "prox":
        return { q: `"${words(32).join(" ")}"~1000`, matches: true };
      case "near":
        // 32 given words within 34 tokens never occur in random text: nothing stops early
        return { q: `"${words(32).join(" ")}"~2`, matches: false };
      case "phrase":
        // The first one is planted in every article; random 32-word phrases never occur.
        return { q: `"${(i === 0 ? PLANTED_PHRASE : words(32)).join(" ")}"`, matches: i === 0 };
      case "prefix":
        return {
          q:
            i === 0
              ? "th* an* co*"
              : [pick(r, PREFIXES), pick(r, PREFIXES), pick(r, PREFIXES)]
                  .map((p) => `${p}*`)
                  .join(" "),
          matches: true,
        };
      case "or":
        return { q: words(32).join(" OR "), matches: true };
      case "nest": {
        // Every word occurs in the article, so each leaf is true: `(w AND x)` is x,
        // `(w OR x)` true, `(w AND NOT x)` not x.
        let q = pick(r, QUERY_WORDS);
        let v = true;
        for (let d = 0; d < 10; d++) {
          const op = pick(r, ["AND", "OR", "AND NOT"] as const);
          q = `(${pick(r, QUERY_WORDS)} ${op} ${q})`;
          v = op === "AND" ? v : op === "OR" ? true : !v;
        }
        return { q, matches: v };
      }
      case "same":
        return { q: `"${QUERY_WORDS.slice(0, 32).join(" ")}"~1000`, matches: true };
    }
  };
  return Array.from({ length: n }, (_, i) => one(i));
}

/**
 * An English article of random sentences of common words, about `bytes` long as JSON
 * text (ASCII only, so characters = bytes), with the planted phrase and sentence near
 * its start.
 */
export function commonArticle(bytes: number, seed: number): string {
  const r = rng(seed);
  const parts: string[] = [PLANTED, `${upper(PLANTED_PHRASE.join(" "))}.`];
  let len = parts[0]?.length ?? 0;
  len += (parts[1]?.length ?? 0) + 1;
  // Made-up names of this article only, one in each of its first sentences: near-duplicate
  // detection looks at the set of distinct words, and without them every article would
  // have the same set and join the first one's story.
  const names = Array.from({ length: UNIQUE_NAMES }, () => madeUpName(r));
  while (len < bytes) {
    const k = 8 + Math.floor(r() * 14);
    const words = Array.from({ length: k }, () => pick(r, COMMON));
    const name = names[parts.length - 2];
    if (name) words.splice(1 + Math.floor(r() * (k - 1)), 1, name);
    const s = `${upper(words.join(" "))}.`;
    parts.push(s);
    len += s.length + 1;
  }
  let text = parts.join(" ");
  if (text.length > bytes) text = `${text.slice(0, text.lastIndexOf(" ", bytes - 1))}.`;
  return text;
}

const UNIQUE_NAMES = 400;
const SYLLABLES = [
  "ka",
  "lo",
  "ve",
  "ri",
  "dan",
  "mo",
  "tse",
  "vu",
  "quil",
  "bra",
  "nem",
  "osk",
  "ty",
  "zar",
  "pel",
  "gou",
];

/** A capitalised made-up word of 3-4 syllables (a name no query mentions). */
function madeUpName(r: () => number): string {
  const n = 3 + Math.floor(r() * 2);
  return upper(Array.from({ length: n }, () => pick(r, SYLLABLES)).join(""));
}

function upper(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
