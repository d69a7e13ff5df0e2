/**
 * The summary policy per language, as data: which weights `summarize` uses for a
 * document's `lang`. Each measured policy is chosen by 5-fold cross-validation on that
 * language's dev set (`npm run eval:cv`, scripts/cv.ts); the others are judgements.
 *
 * - `ar`: lede-first. On easc-dev (human summaries) the rule (the largest worst margin
 *   over Lead) picks it on every fold: no scored policy held Lead on held-out folds.
 *   Held-out ROUGE-1/2 53.4/44.4, equal to Lead.
 * - `en`: scored: the best ROUGE-1 + ROUGE-2 on bbc-dev among the policies above
 *   ts-textrank (79.3/71.5). Held-out 81.6 (80.7–82.6) / 74.3 (73.2–75.8); Lead 66.0/52.8.
 * - Not measured (no dev set): the other languages with a Snowball stemmer and a
 *   stopword table (fr, es, pt, de, it, nl, ru) get the English policy: agency copy in
 *   Latin or Cyrillic script is written like English wire copy, and the scoring's features
 *   (stemmed, stopword-free word vectors) work the same way for them. Chinese and
 *   Japanese (character tokens, no stemmer), Persian and Urdu (no stemmer; the nearest
 *   measured language is Arabic), `und` and anything else get lede-first, which cannot
 *   fall below the lede.
 */
import type { Weights } from "../summarize.ts";

/** The article's opening up to the budget (`leadBudget` 1: the Lead baseline). */
export const LEDE_FIRST: Readonly<Weights> = {
  lead: 0.05,
  leadBudget: 1,
  position: 1,
  decay: 2,
  centrality: 1,
  frequency: 0,
  title: 0,
  short: 8,
  redundancy: 1,
  fit: 1,
};

/**
 * The scored policy chosen on bbc-dev: the first sentence (the `lead` share), then the
 * sentences most central to the story (centrality 8 against a steep position prior).
 */
export const SCORED: Readonly<Weights> = {
  lead: 0.05,
  leadBudget: 0,
  position: 1,
  decay: 3,
  centrality: 8,
  frequency: 0,
  title: 0.1,
  short: 16,
  redundancy: 1,
  fit: 1,
};

/** Policy per language code; a language not listed gets FALLBACK_POLICY. */
export const SUMMARY_POLICY: Readonly<Record<string, Readonly<Weights>>> = {
  ar: LEDE_FIRST,
  en: SCORED,
  // Not measured: judgements (see above).
  fr: SCORED,
  es: SCORED,
  pt: SCORED,
  de: SCORED,
  it: SCORED,
  nl: SCORED,
  ru: SCORED,
  zh: LEDE_FIRST,
  ja: LEDE_FIRST,
  fa: LEDE_FIRST,
  ur: LEDE_FIRST,
};

/** For `und` and languages without an entry. */
export const FALLBACK_POLICY: Readonly<Weights> = LEDE_FIRST;
