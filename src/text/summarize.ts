/**
 * The extractive summariser: one method, with a policy (a set of weights) per language
 * (data/summary-policy.ts, chosen by cross-validation where a dev set exists). The
 * language tables (stopwords, stemmer, abbreviations) differ too.
 *
 * 1. The lede: the opening sentences, in order. It covers the first `lead` share of the
 *    article's words (ending at the nearest sentence boundary) and at least `leadBudget`
 *    of the summary's own budget (taking sentences until that share is reached). The
 *    lede-first policy (Arabic, Chinese, ...) sets `leadBudget` to 1, so its summary is
 *    the opening of the article; the scored one (English, ...) keeps only a short lede.
 * 2. What budget is left goes to the best-scoring remaining sentences, where
 *
 *      score = (position + centrality + title overlap) × length factor
 *
 *    - position: 1 / (1 + i)^decay — a gentle preference for the top of the story;
 *    - centrality: PageRank over cosine similarity of stemmed, stopword-free
 *      sentence vectors; each sentence is linked only to sentences within WINDOW
 *      of it (half that above LONG_TEXT sentences), so the graph stays linear in
 *      the number of sentences;
 *    - title overlap: share of the title's content stems that the sentence has;
 *    - length factor: sentences under `short` words are scaled down (captions,
 *      crumbs, fragments);
 *    - keyword density (mean in-document frequency of the sentence's stems) is
 *      available as a weight but off by default.
 * 3. A redundancy guard (MMR-style): a candidate that repeats more than 70% of an
 *    already chosen sentence's content is discounted.
 * 4. Word budgets are filled with whole sentences that fit; when none fits any more,
 *    one more sentence (the best left) is added so the summary reaches the budget,
 *    and a caller that needs an exact length truncates it (the eval does).
 *
 * Budgets: `sentences` (default 3), `words` (as above), or `ratio` — a share of the
 * article's sentences (at least one). Output is in article order and deterministic
 * (ties go to the earlier sentence).
 */

import { docTerms, termIdOf } from "./cache.ts";
import { FALLBACK_POLICY, SUMMARY_POLICY } from "./data/summary-policy.ts";
import type { SentenceSpan } from "./sentences.ts";
import { tokenize } from "./tokens.ts";

export interface Budget {
  sentences?: number;
  words?: number;
  ratio?: number;
}

export interface Weights {
  /** Share of the article's words that the lede (the opening sentences, in order) covers. */
  lead: number;
  /**
   * Share of the summary's own budget (words, or sentences) that the lede fills at
   * least: 1 makes the summary the opening of the article (the Lead baseline).
   */
  leadBudget: number;
  position: number;
  /** Exponent of the position prior 1 / (1 + i)^decay. */
  decay: number;
  centrality: number;
  /** Mean in-document frequency of the sentence's content stems (keyword density). */
  frequency: number;
  title: number;
  /** Sentences shorter than this many words are scaled by words / short. */
  short: number;
  /** Strength of the redundancy discount (0 disables it). */
  redundancy: number;
  /** 1: word budgets take whole sentences that fit, then one that crosses; 0: stop at the first that crosses. */
  fit: number;
}

/**
 * The policy for a language: SUMMARY_POLICY's entry, else the lede-first fallback
 * (see data/summary-policy.ts for what was measured and what is a judgement).
 */
export function policyFor(lang: string): Readonly<Weights> {
  // Own keys only: a `lang` such as "constructor" is not a policy.
  return Object.hasOwn(SUMMARY_POLICY, lang)
    ? (SUMMARY_POLICY[lang] ?? FALLBACK_POLICY)
    : FALLBACK_POLICY;
}

/** Share of a sentence's content already in the lede above which the lede skips it. */
const LEDE_REPEAT = 0.9;

/** Sentences are linked in the similarity graph only within this distance. */
export const WINDOW = 30;
/** Above this many sentences the window is halved. */
export const LONG_TEXT = 100;
const PAGERANK_ITERATIONS = 20;
const DAMPING = 0.85;

export interface SummaryInput {
  text: string;
  title: string;
  lang: string;
  sentences: SentenceSpan[];
}

/** Per-sentence features, computed once per document. */
export interface Features {
  /** Sorted distinct content-term ids per sentence. */
  ids: Int32Array[];
  /** Counts matching `ids`. */
  counts: Int32Array[];
  /** Euclidean norm of each sentence's count vector. */
  norms: Float64Array;
  /** Number of content tokens per sentence. */
  contentTokens: Int32Array;
  /** Word counts per sentence (as the budget counts them). */
  words: Int32Array;
  /** Occurrences of each term id in the article. */
  tf: Float64Array;
  titleTerms: Set<number>;
}

const WORDS_RE = /[\p{L}\p{M}\p{N}]+/gu;
const CJK_RE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/gu;
const HAS_CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;

/** HAS_CJK.test(s), skipping the regex when no code unit is high enough (all of those scripts are at U+2E80 or above). */
function hasCjk(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0x2e80) return HAS_CJK.test(s.slice(i));
  return false;
}

/** Words in a string as budgets count them: letter/digit runs; each CJK character is a word. */
export function countWords(s: string): number {
  let n = 0;
  WORDS_RE.lastIndex = 0;
  for (let m = WORDS_RE.exec(s); m !== null; m = WORDS_RE.exec(s)) {
    const w = m[0];
    if (!hasCjk(w)) {
      n++;
      continue;
    }
    const cjk = w.match(CJK_RE)?.length ?? 0;
    n += cjk + (w.length > cjk ? 1 : 0);
  }
  return n;
}

/** Build per-sentence term vectors from the document's (memoised) tokens. */
export function computeFeatures(doc: SummaryInput): Features {
  const terms = docTerms(doc);
  const n = doc.sentences.length;
  const ids: Int32Array[] = [];
  const counts: Int32Array[] = [];
  const norms = new Float64Array(n);
  const contentTokens = new Int32Array(n);
  const words = new Int32Array(n);
  const cjk = hasCjk(doc.text);
  const tokId = terms.id;
  const sentTok = terms.sentTok;
  // Per-term counts for the sentence being read (reset after each sentence).
  const cnt = new Int32Array(terms.stems.length);
  const distinct = new Int32Array(terms.stems.length);
  for (let si = 0; si < n; si++) {
    const from = sentTok[si] as number;
    const to = sentTok[si + 1] as number;
    let nd = 0;
    let content = 0;
    for (let k = from; k < to; k++) {
      const x = tokId[k] as number;
      if (x < 0) continue;
      content++;
      if (cnt[x] === 0) distinct[nd++] = x;
      cnt[x] = (cnt[x] as number) + 1;
    }
    contentTokens[si] = content;
    // Distinct ids in ascending order, with their counts.
    const u = distinct.slice(0, nd).sort();
    const c = new Int32Array(u.length);
    let sq = 0;
    for (let k = 0; k < u.length; k++) {
      const x = u[k] as number;
      const v = cnt[x] as number;
      c[k] = v;
      sq += v * v;
      cnt[x] = 0;
    }
    ids.push(u);
    counts.push(c);
    norms[si] = Math.sqrt(sq);
    // Without CJK the budget's words are exactly the tokens.
    words[si] = cjk ? countWords((doc.sentences[si] as SentenceSpan).text) : to - from;
  }
  const titleTerms = new Set<number>();
  if (doc.title !== "") {
    for (const t of tokenize(doc.title, doc.lang)) {
      if (t.stop) continue;
      const id = termIdOf(terms).get(t.stem);
      if (id !== undefined) titleTerms.add(id);
    }
  }
  return {
    ids,
    counts,
    norms,
    contentTokens,
    words,
    tf: Float64Array.from(terms.tf),
    titleTerms,
  };
}

/** PageRank over the windowed sentence-similarity graph; O(n · WINDOW) time and memory. */
export function centrality(f: Features, window = WINDOW): Float64Array {
  const n = f.ids.length;
  const out = new Float64Array(n);
  if (n === 0) return out;
  // Long texts get a narrower window: the graph stays linear and small.
  const w = Math.max(1, Math.min(n > LONG_TEXT ? Math.ceil(window / 2) : window, n - 1));
  // The links i–j (i < j <= i + w) with a positive similarity, row by row in order of j:
  // row i is edges rowStart[i] .. rowStart[i + 1] (about a third of the window is linked).
  const edgeTo = new Int32Array(n * w);
  const edgeSim = new Float64Array(n * w);
  const rowStart = new Int32Array(n + 1);
  let edges = 0;
  const rowSum = new Float64Array(n);
  // Cosine similarities from postings: each term lists the sentences that have it (in
  // order, with counts), so sentence i only meets the neighbours it shares a term with.
  // Counts are integers, so the dot products are exact whatever the order.
  let maxId = -1;
  for (const ids of f.ids) for (const x of ids) if (x > maxId) maxId = x;
  const termStart = new Int32Array(maxId + 2);
  for (const ids of f.ids) for (const x of ids) termStart[x + 1] = (termStart[x + 1] as number) + 1;
  for (let x = 0; x <= maxId; x++)
    termStart[x + 1] = (termStart[x + 1] as number) + (termStart[x] as number);
  const postSent = new Int32Array(termStart[maxId + 1] as number);
  const postCount = new Int32Array(postSent.length);
  const cursor = termStart.slice(0, maxId + 1);
  for (let i = 0; i < n; i++) {
    const ids = f.ids[i] as Int32Array;
    const cs = f.counts[i] as Int32Array;
    for (let k = 0; k < ids.length; k++) {
      const x = ids[k] as number;
      const p = cursor[x] as number;
      postSent[p] = i;
      postCount[p] = cs[k] as number;
      cursor[x] = p + 1;
    }
  }
  // cursor[x]: the first posting of term x after the current sentence.
  cursor.set(termStart.subarray(0, maxId + 1));
  const dots = new Float64Array(w);
  for (let i = 0; i < n; i++) {
    rowStart[i] = edges;
    const na = f.norms[i] ?? 0;
    if (na === 0) continue;
    const ia = f.ids[i] as Int32Array;
    const ca = f.counts[i] as Int32Array;
    for (let k = 0; k < ia.length; k++) {
      const x = ia[k] as number;
      const end = termStart[x + 1] as number;
      let p = cursor[x] as number;
      while (p < end && (postSent[p] as number) <= i) p++;
      cursor[x] = p;
      const c = ca[k] as number;
      for (; p < end; p++) {
        const d = (postSent[p] as number) - i - 1;
        if (d >= w) break;
        dots[d] = (dots[d] as number) + c * (postCount[p] as number);
      }
    }
    const span = Math.min(n - 1, i + w) - i;
    for (let d = 0; d < span; d++) {
      const dot = dots[d] as number;
      if (dot === 0) continue;
      dots[d] = 0;
      const j = i + 1 + d;
      const s = dot / (na * (f.norms[j] as number));
      if (s <= 0) continue;
      edgeTo[edges] = j;
      edgeSim[edges] = s;
      edges++;
      rowSum[i] = (rowSum[i] as number) + s;
      rowSum[j] = (rowSum[j] as number) + s;
    }
  }
  rowStart[n] = edges;
  const share = new Float64Array(n);
  out.fill(1 / n);
  const base = (1 - DAMPING) / n;
  const prev = new Float64Array(n);
  for (let it = 0; it < PAGERANK_ITERATIONS; it++) {
    for (let i = 0; i < n; i++) {
      const rs = rowSum[i] as number;
      share[i] = rs === 0 ? 0 : (DAMPING * (out[i] as number)) / rs;
    }
    prev.set(out);
    out.fill(base);
    for (let i = 0; i < n; i++) {
      const si = share[i] as number;
      const end = rowStart[i + 1] as number;
      let acc = 0;
      for (let e = rowStart[i] as number; e < end; e++) {
        const j = edgeTo[e] as number;
        const s = edgeSim[e] as number;
        acc += (share[j] as number) * s;
        out[j] = (out[j] as number) + si * s;
      }
      out[i] = (out[i] as number) + acc;
    }
    // Converged: the ranking no longer moves.
    let delta = 0;
    for (let i = 0; i < n; i++) delta += Math.abs((out[i] as number) - (prev[i] as number));
    if (delta < 1e-5) break;
  }
  return out;
}

function normalizeMax(a: Float64Array): Float64Array {
  let m = 0;
  for (const v of a) if (v > m) m = v;
  if (m > 0) for (let i = 0; i < a.length; i++) a[i] = (a[i] ?? 0) / m;
  return a;
}

/** Per-sentence scores. */
function scoreSentences(f: Features, w: Readonly<Weights>): Float64Array {
  const n = f.ids.length;
  const cent = w.centrality !== 0 ? normalizeMax(centrality(f)) : new Float64Array(n);
  const freq = new Float64Array(n);
  if (w.frequency !== 0) {
    for (let i = 0; i < n; i++) {
      const ids = f.ids[i] as Int32Array;
      const c = f.counts[i] as Int32Array;
      let s = 0;
      for (let k = 0; k < ids.length; k++) s += (f.tf[ids[k] as number] ?? 0) * (c[k] as number);
      const t = f.contentTokens[i] ?? 0;
      freq[i] = t === 0 ? 0 : s / t;
    }
    normalizeMax(freq);
  }
  const scores = new Float64Array(n);
  const titleSize = f.titleTerms.size;
  for (let i = 0; i < n; i++) {
    let title = 0;
    if (titleSize > 0 && w.title !== 0) {
      let hit = 0;
      for (const id of f.ids[i] as Int32Array) if (f.titleTerms.has(id)) hit++;
      title = hit / titleSize;
    }
    const words = f.words[i] ?? 0;
    const len = w.short > 0 ? Math.min(1, words / w.short) : 1;
    const pos = 1 / (1 + i) ** w.decay;
    scores[i] =
      (w.position * pos +
        w.centrality * (cent[i] ?? 0) +
        w.frequency * (freq[i] ?? 0) +
        w.title * title) *
      len;
  }
  return scores;
}

/** Share of the smaller sentence's distinct terms that the other one also has. */
function overlap(f: Features, a: number, b: number): number {
  const ia = f.ids[a] as Int32Array;
  const ib = f.ids[b] as Int32Array;
  const small = Math.min(ia.length, ib.length);
  if (small === 0) return 0;
  let x = 0;
  let y = 0;
  let common = 0;
  while (x < ia.length && y < ib.length) {
    const u = ia[x] as number;
    const v = ib[y] as number;
    if (u === v) {
      common++;
      x++;
      y++;
    } else if (u < v) x++;
    else y++;
  }
  return common / small;
}

interface Limits {
  sentences: number;
  words: number;
}

function limits(n: number, budget: Budget | undefined): Limits {
  if (budget?.words !== undefined && Number.isFinite(budget.words) && budget.words > 0) {
    return { sentences: n, words: Math.max(1, Math.floor(budget.words)) };
  }
  if (budget?.ratio !== undefined && Number.isFinite(budget.ratio) && budget.ratio > 0) {
    return {
      sentences: Math.max(1, Math.round(n * Math.min(1, budget.ratio))),
      words: Number.POSITIVE_INFINITY,
    };
  }
  const s = budget?.sentences;
  return {
    sentences: s !== undefined && Number.isFinite(s) && s >= 1 ? Math.floor(s) : 3,
    words: Number.POSITIVE_INFINITY,
  };
}

/** Choose sentence indices within the budget (by default with the language's policy); returned in article order. */
export function selectSentences(
  doc: SummaryInput,
  budget?: Budget,
  w: Readonly<Weights> = policyFor(doc.lang),
): number[] {
  if (doc.sentences.length === 0) return [];
  return selectFromFeatures(computeFeatures(doc), budget, w);
}

/** selectSentences on features computed once (cross-validation tries many weights per document). */
export function selectFromFeatures(
  f: Features,
  budget: Budget | undefined,
  w: Readonly<Weights>,
): number[] {
  const n = f.ids.length;
  if (n === 0) return [];
  return selectWithFeatures(f, limits(n, budget), w);
}

function selectWithFeatures(f: Features, lim: Limits, w: Readonly<Weights>): number[] {
  const n = f.ids.length;
  const scores = scoreSentences(f, w);
  const byWords = Number.isFinite(lim.words);
  const chosen: number[] = [];
  const taken = new Uint8Array(n);
  const red = new Float64Array(n);
  let words = 0;
  const take = (i: number): void => {
    taken[i] = 1;
    chosen.push(i);
    words += f.words[i] ?? 0;
    if (w.redundancy > 0) {
      for (let k = 0; k < n; k++) {
        if (taken[k] === 1) continue;
        const o = overlap(f, k, i);
        if (o > (red[k] ?? 0)) red[k] = o;
      }
    }
  };
  // 1. The lede: the opening sentences up to the sentence boundary nearest to the
  // first `lead` share of the article's words, within the budget.
  // It covers at least `leadBudget` of the summary's own budget.
  if (w.lead > 0 || w.leadBudget > 0) {
    let total = 0;
    for (let i = 0; i < n; i++) total += f.words[i] ?? 0;
    // The article share ends at the nearest sentence boundary; the budget share takes
    // sentences until it is reached (so leadBudget 1 is exactly the Lead baseline).
    const leadWords = Math.min(w.lead * total, lim.words);
    const budgetWords = byWords ? w.leadBudget * lim.words : 0;
    const leadSentences = byWords ? 0 : Math.ceil(w.leadBudget * lim.sentences);
    for (let i = 0; i < n && chosen.length < lim.sentences; i++) {
      const inShare = chosen.length === 0 || words + (f.words[i] ?? 0) / 2 <= leadWords;
      if (!inShare && words >= budgetWords && chosen.length >= leadSentences) break;
      // A sentence that only repeats an opening one (a restated first line) is skipped.
      if (w.redundancy > 0 && (red[i] ?? 0) >= LEDE_REPEAT) continue;
      take(i);
    }
  }
  // 2. The best remaining sentences, discounted for repetition.
  while (chosen.length < lim.sentences && words < lim.words) {
    let best = -1;
    let bestScore = Number.NEGATIVE_INFINITY;
    let fallback = -1;
    let fallbackScore = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      if (taken[i] === 1) continue;
      const r = red[i] ?? 0;
      const s = (scores[i] ?? 0) * (1 - w.redundancy * (r > 0.7 ? (r - 0.7) / 0.3 : 0));
      if (byWords && w.fit > 0 && words + (f.words[i] ?? 0) > lim.words) {
        if (s > fallbackScore) {
          fallbackScore = s;
          fallback = i;
        }
        continue;
      }
      if (s > bestScore) {
        bestScore = s;
        best = i;
      }
    }
    if (best < 0) {
      // Nothing fits whole any more: one more sentence reaches the budget.
      if (fallback >= 0) take(fallback);
      break;
    }
    take(best);
  }
  return chosen.sort((a, b) => a - b);
}

/** Plain TextRank (PageRank over sentence similarity, no position): a reference point for the eval. */
export function textRankSelect(doc: SummaryInput, maxWords: number): number[] {
  const n = doc.sentences.length;
  if (n === 0) return [];
  const f = computeFeatures(doc);
  const pr = centrality(f, n);
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => (pr[b] ?? 0) - (pr[a] ?? 0) || a - b,
  );
  const out: number[] = [];
  let words = 0;
  for (const i of order) {
    if (words >= maxWords) break;
    out.push(i);
    words += f.words[i] ?? 0;
  }
  return out.sort((a, b) => a - b);
}
