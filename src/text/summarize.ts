/**
 * The extractive summariser. Each sentence gets one score from simple, readable
 * evidence that works on news in any language:
 *
 *   score = (position + centrality + frequency + title overlap) × length factor
 *
 * - position: the lead matters (1 / (1 + i)^decay), plus a small bonus for the first
 *   sentence of a paragraph;
 * - centrality: PageRank over cosine similarity of stemmed, stopword-free sentence
 *   vectors (the graph is capped at MAX_GRAPH sentences; later ones are scored by
 *   similarity to the document centroid, linear time);
 * - frequency: mean in-document frequency of the sentence's content stems;
 * - title overlap: share of the title's content stems the sentence contains;
 * - length: sentences shorter than SHORT words are penalised.
 *
 * Selection is greedy with a redundancy guard (MMR): a sentence too similar to one
 * already picked is discounted. The same weights serve every language; only the
 * language tables (stopwords, stemmer, abbreviations) differ.
 */
import type { SentenceSpan } from "./sentences.ts";
import { tokenize } from "./tokens.ts";

export interface Budget {
  sentences?: number;
  words?: number;
  ratio?: number;
}

export interface Weights {
  position: number;
  decay: number;
  paragraph: number;
  centrality: number;
  frequency: number;
  title: number;
  short: number;
  redundancy: number;
  /** Share of the budget given to the lead (the first sentences, in order) before scoring fills the rest. */
  lead: number;
  /** 1: with a word budget, skip sentences that do not fit and keep filling; 0: stop at the one that crosses. */
  fit: number;
  /** 1: combine position and content multiplicatively (content × position^decay); 0: add them. */
  product: number;
  /** Exponent on the share of content words in the sentence (information density). */
  density: number;
}

export const DEFAULT_WEIGHTS: Weights = {
  position: 1,
  decay: 1,
  paragraph: 0,
  centrality: 0,
  frequency: 1,
  title: 0,
  short: 12,
  redundancy: 0.5,
  lead: 0,
  fit: 0,
  product: 0,
  density: 0,
};

/** Sentences are compared in the graph only among the first MAX_GRAPH (keeps it linear). */
export const MAX_GRAPH = 60;

export interface SummaryInput {
  text: string;
  title: string;
  lang: string;
  sentences: SentenceSpan[];
}

interface Features {
  /** Content term ids per sentence. */
  terms: Int32Array[];
  /** Word counts per sentence (as the budget counts them). */
  words: number[];
  /** Document frequency of each term id (occurrences in the article). */
  tf: Float64Array;
  titleTerms: Set<number>;
  paraStart: boolean[];
}

const WORDS_RE = /[\p{L}\p{M}\p{N}]+/gu;
const CJK_RE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/gu;

/** Words in a string as budgets count them: letter/digit runs; each CJK character is a word. */
export function countWords(s: string): number {
  let n = 0;
  WORDS_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = WORDS_RE.exec(s)) !== null) {
    const cjk = m[0].match(CJK_RE);
    n += cjk === null ? 1 : cjk.length + (m[0].length > cjk.length ? 1 : 0);
  }
  return n;
}

function features(doc: SummaryInput): Features {
  const ids = new Map<string, number>();
  const counts: number[] = [];
  const terms: Int32Array[] = [];
  const words: number[] = [];
  const paraStart: boolean[] = [];
  let prevEnd = -1;
  for (const s of doc.sentences) {
    const toks = tokenize(doc.text, doc.lang, s.start, s.end);
    const list: number[] = [];
    for (const t of toks) {
      if (t.stop) continue;
      let id = ids.get(t.stem);
      if (id === undefined) {
        id = counts.length;
        ids.set(t.stem, id);
        counts.push(0);
      }
      counts[id] = (counts[id] ?? 0) + 1;
      list.push(id);
    }
    terms.push(Int32Array.from(list));
    words.push(countWords(s.text));
    paraStart.push(prevEnd < 0 || doc.text.slice(prevEnd, s.start).includes("\n"));
    prevEnd = s.end;
  }
  const titleTerms = new Set<number>();
  if (doc.title !== "") {
    for (const t of tokenize(doc.title, doc.lang)) {
      if (t.stop) continue;
      const id = ids.get(t.stem);
      if (id !== undefined) titleTerms.add(id);
    }
  }
  return { terms, words, tf: Float64Array.from(counts), titleTerms, paraStart };
}

/** Cosine similarity of two term-id lists (as bags). */
function cosine(a: Int32Array, b: Int32Array, scratch: Map<number, number>): number {
  if (a.length === 0 || b.length === 0) return 0;
  scratch.clear();
  for (const x of a) scratch.set(x, (scratch.get(x) ?? 0) + 1);
  let dot = 0;
  let na = 0;
  for (const v of scratch.values()) na += v * v;
  const bb = new Map<number, number>();
  for (const x of b) bb.set(x, (bb.get(x) ?? 0) + 1);
  let nb = 0;
  for (const [k, v] of bb) {
    nb += v * v;
    const u = scratch.get(k);
    if (u !== undefined) dot += u * v;
  }
  return dot / Math.sqrt(na * nb);
}

function pagerank(f: Features, n: number): Float64Array {
  const scratch = new Map<number, number>();
  const sim: Float64Array[] = [];
  for (let i = 0; i < n; i++) sim.push(new Float64Array(n));
  for (let i = 0; i < n; i++) {
    const ti = f.terms[i] ?? new Int32Array(0);
    for (let j = i + 1; j < n; j++) {
      const s = cosine(ti, f.terms[j] ?? new Int32Array(0), scratch);
      (sim[i] as Float64Array)[j] = s;
      (sim[j] as Float64Array)[i] = s;
    }
  }
  const out = new Float64Array(n);
  const rowSum = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let r = 0;
    for (const v of sim[i] as Float64Array) r += v;
    rowSum[i] = r;
  }
  out.fill(1 / Math.max(1, n));
  const d = 0.85;
  for (let it = 0; it < 20; it++) {
    const next = new Float64Array(n).fill((1 - d) / n);
    for (let j = 0; j < n; j++) {
      const rs = rowSum[j] ?? 0;
      if (rs === 0) continue;
      const share = (d * (out[j] ?? 0)) / rs;
      const row = sim[j] as Float64Array;
      for (let i = 0; i < n; i++) next[i] = (next[i] ?? 0) + share * (row[i] ?? 0);
    }
    out.set(next);
  }
  return out;
}

function normalizeMax(a: Float64Array): void {
  let m = 0;
  for (const v of a) if (v > m) m = v;
  if (m > 0) for (let i = 0; i < a.length; i++) a[i] = (a[i] ?? 0) / m;
}

/** Per-sentence scores (exported for evaluation and tests). */
export function scoreSentences(doc: SummaryInput, w: Weights = DEFAULT_WEIGHTS): { scores: Float64Array; f: Features } {
  const f = features(doc);
  const n = doc.sentences.length;
  const freq = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = f.terms[i] as Int32Array;
    let s = 0;
    for (const id of t) s += f.tf[id] ?? 0;
    freq[i] = t.length === 0 ? 0 : s / t.length;
  }
  normalizeMax(freq);
  let cent = new Float64Array(n);
  if (w.centrality !== 0 && n > 0) {
    const g = Math.min(n, MAX_GRAPH);
    const pr = pagerank(f, g);
    cent.set(pr);
    normalizeMax(cent);
  }
  const title = new Float64Array(n);
  if (f.titleTerms.size > 0) {
    for (let i = 0; i < n; i++) {
      const seen = new Set<number>();
      for (const id of f.terms[i] as Int32Array) if (f.titleTerms.has(id)) seen.add(id);
      title[i] = seen.size / f.titleTerms.size;
    }
  }
  const scores = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const pos = 1 / (1 + i) ** w.decay;
    const para = f.paraStart[i] === true && i > 0 ? w.paragraph : 0;
    const words = f.words[i] ?? 0;
    let len = w.short > 0 ? Math.min(1, words / w.short) : 1;
    if (w.density > 0 && words > 0) len *= Math.min(1, (f.terms[i] as Int32Array).length / words) ** w.density;
    const content = w.centrality * (cent[i] ?? 0) + w.frequency * (freq[i] ?? 0) + w.title * (title[i] ?? 0);
    if (w.product > 0) {
      scores[i] = (content + w.position) * (1 / (1 + i)) ** w.decay * len;
      continue;
    }
    scores[i] =
      (w.position * pos + para + w.centrality * (cent[i] ?? 0) + w.frequency * (freq[i] ?? 0) + w.title * (title[i] ?? 0)) * len;
  }
  cent = new Float64Array(0);
  return { scores, f };
}

/** Share of the smaller sentence's distinct terms that the other one also has. */
function overlap(a: ReadonlySet<number>, b: ReadonlySet<number>): number {
  if (a.size === 0 || b.size === 0) return 0;
  const [small, big] = a.size <= b.size ? [a, b] : [b, a];
  let common = 0;
  for (const x of small) if (big.has(x)) common++;
  return common / small.size;
}

/** Choose sentence indices within the budget; returned in article order. */
export function selectSentences(doc: SummaryInput, budget: Budget | undefined, w: Weights = DEFAULT_WEIGHTS): number[] {
  const n = doc.sentences.length;
  if (n === 0) return [];
  const { scores, f } = scoreSentences(doc, w);
  let maxSentences = n;
  let maxWords = Number.POSITIVE_INFINITY;
  if (budget?.words !== undefined && Number.isFinite(budget.words) && budget.words > 0) {
    maxWords = Math.floor(budget.words);
  } else if (budget?.ratio !== undefined && Number.isFinite(budget.ratio) && budget.ratio > 0) {
    maxSentences = Math.max(1, Math.round(n * Math.min(1, budget.ratio)));
  } else {
    const s = budget?.sentences;
    maxSentences = s !== undefined && Number.isFinite(s) && s >= 1 ? Math.floor(s) : 3;
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (scores[b] ?? 0) - (scores[a] ?? 0) || a - b);
  const chosen: number[] = [];
  const taken = new Uint8Array(n);
  let words = 0;
  if (w.lead > 0) {
    const leadWords = Number.isFinite(maxWords) ? w.lead * maxWords : Number.POSITIVE_INFINITY;
    const leadSentences = Number.isFinite(maxWords) ? n : Math.max(1, Math.round(w.lead * maxSentences));
    for (let i = 0; i < n && chosen.length < leadSentences; i++) {
      const wi = f.words[i] ?? 0;
      if (chosen.length > 0 && words + wi > leadWords) break;
      chosen.push(i);
      taken[i] = 1;
      words += wi;
    }
  }
  const sets: Array<ReadonlySet<number> | undefined> = new Array(n);
  const setOf = (i: number): ReadonlySet<number> => {
    let s = sets[i];
    if (s === undefined) {
      s = new Set(f.terms[i]);
      sets[i] = s;
    }
    return s;
  };
  while (chosen.length < maxSentences && words < maxWords) {
    let best = -1;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (const i of order) {
      if (taken[i] === 1) continue;
      if (w.fit > 0 && Number.isFinite(maxWords) && words + (f.words[i] ?? 0) > maxWords) continue;
      let red = 0;
      if (w.redundancy > 0) {
        for (const j of chosen) {
          const o = overlap(setOf(i), setOf(j));
          if (o > red) red = o;
        }
      }
      // Only real repetition is penalised: overlap above half of the shorter sentence.
      const excess = red > 0.5 ? (red - 0.5) / 0.5 : 0;
      const s = (scores[i] ?? 0) * (1 - w.redundancy * excess);
      if (s > bestScore) {
        bestScore = s;
        best = i;
      }
    }
    if (best < 0) {
      // Nothing fits whole: add the best remaining sentence; the caller truncates.
      if (w.fit > 0) for (const i of order) if (taken[i] !== 1) { best = i; break; }
      if (best < 0) break;
      taken[best] = 1;
      chosen.push(best);
      break;
    }
    taken[best] = 1;
    chosen.push(best);
    words += f.words[best] ?? 0;
  }
  return chosen.sort((a, b) => a - b);
}

/** Plain TextRank (PageRank over sentence cosine similarity, no position): a reference point for the eval. */
export function textRankSelect(doc: SummaryInput, maxWords: number): number[] {
  const n = doc.sentences.length;
  if (n === 0) return [];
  const f = features(doc);
  const pr = pagerank(f, Math.min(n, 200));
  const order = Array.from({ length: Math.min(n, 200) }, (_, i) => i).sort((a, b) => (pr[b] ?? 0) - (pr[a] ?? 0) || a - b);
  const out: number[] = [];
  let words = 0;
  for (const i of order) {
    if (words >= maxWords) break;
    out.push(i);
    words += f.words[i] ?? 0;
  }
  return out.sort((a, b) => a - b);
}
