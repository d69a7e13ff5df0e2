/**
 * Keyphrases from the article's own statistics (no corpus needed): candidates are
 * runs of up to three content words inside a clause (never across punctuation or
 * stopwords); each word is weighted by its frequency, an early first mention and a
 * title mention; a phrase scores by its frequency and its words' weights, with a bonus
 * for capitalised names. Title words ("President") split phrases and are never
 * keywords; common verbs and weak words (data/keyword-filters.ts) do the same when in
 * lower case. A phrase inside a chosen one is dropped; a phrase containing a chosen one
 * replaces it when it carries most of its mentions ("Xi" → "Xi Jinping"), else is
 * dropped. Chinese and Japanese use frequent character n-grams instead. Pure, never throws.
 */

import type { DocTerms } from "./cache.ts";
import { docTerms, termIdOf } from "./cache.ts";
import { COMMON_VERBS, TITLE_WORDS, WEAK_WORDS } from "./data/keyword-filters.ts";
import type { SentenceSpan } from "./sentences.ts";
import { tokenize } from "./tokens.ts";

export interface KeywordInput {
  text: string;
  title: string;
  lang: string;
  sentences: SentenceSpan[];
}

const MAX_WORDS = 3;
const CJK_LANGS = new Set(["zh", "ja"]);
/** Filter flags by stem: a title word, or a verb/weak word (only in lower case). */
const TITLE = 1;
const WEAK = 2;
const filterMemo = new Map<string, Map<string, number>>();
const NO_FILTERS = new Map<string, number>();

/** Stem → TITLE or WEAK for a language, built once from the data tables. */
function filterStems(lang: string): Map<string, number> {
  let m = filterMemo.get(lang);
  if (m !== undefined) return m;
  // Only languages with tables are memoised (a given `lang` can be any string).
  if (!Object.hasOwn(TITLE_WORDS, lang)) return NO_FILTERS;
  const out = new Map<string, number>();
  const add = (words: string | undefined, flag: number): void => {
    if (words === undefined) return;
    let list = words;
    // Arabic: also the forms with the conjunction و attached (وأعرب، والرئيس).
    if (lang === "ar") list += ` ${words.replace(/(^|\s+)(?=\S)/g, "$1و")}`;
    for (const t of tokenize(list, lang)) {
      if (!t.stop && !out.has(t.stem)) out.set(t.stem, flag);
    }
  };
  const own = (table: Readonly<Record<string, string>>): string | undefined =>
    Object.hasOwn(table, lang) ? table[lang] : undefined;
  add(own(TITLE_WORDS), TITLE);
  add(own(COMMON_VERBS), WEAK);
  add(own(WEAK_WORDS), WEAK);
  m = out;
  filterMemo.set(lang, m);
  return m;
}

/** Whether the character at `i` is an upper-case letter (fast path for ASCII and caseless scripts). */
function isUpper(cp: number, text: string, i: number): boolean {
  if (cp < 0x80) return cp >= 0x41 && cp <= 0x5a;
  if (cp >= 0x590 && cp < 0x10a0) return false;
  if (cp >= 0x2e80) return false;
  return /^\p{Lu}/u.test(text[i] ?? "");
}

/** Up to `count` keyphrases (default 8), best first: collect, score, choose, surface forms. */
export function keywords(doc: KeywordInput, count = 8): string[] {
  const n = Math.max(1, Math.min(20, Math.floor(Number.isFinite(count) ? count : 8)));
  if (doc.sentences.length === 0) return [];
  if (CJK_LANGS.has(doc.lang)) return cjkKeywords(doc, n);
  const terms = docTerms(doc);
  const cands = collectCandidates(doc, terms);
  const score = scoreCandidates(doc, terms, cands);
  const chosen = chooseCandidates(cands, score, n);
  return surfaceForms(doc.text, cands, chosen);
}

/**
 * Candidate phrases in flat arrays (index = candidate number). A phrase's key is a
 * number built from its words' term ids: ((id1 + 1) · K + (id2 + 1)) · K + (id3 + 1).
 */
interface Candidates {
  /** Base of the keys: the number of distinct terms + 1. */
  K: number;
  key: number[];
  /** Words in the phrase. */
  size: number[];
  /** Mentions. */
  count: number[];
  /** Sentence of the first mention. */
  first: number[];
  /** Mentions capitalised away from the sentence start (a name). */
  caps: number[];
  /** Occurrences as flat triples: candidate, start, end (for surface forms). */
  occ: number[];
}

/** Term ids of a candidate's words, in phrase order. */
function wordIds(cands: Candidates, c: number): number[] {
  const out: number[] = [];
  let key = cands.key[c] as number;
  for (let k = 0; k < (cands.size[c] as number); k++) {
    out.unshift((key % cands.K) - 1);
    key = Math.floor(key / cands.K);
  }
  return out;
}

/**
 * Step 1, collect: runs of content words inside a clause (never across punctuation or
 * stopwords; title words always split, verbs and weak words unless capitalised) and
 * their 1..MAX_WORDS-grams, with counts, first sentence, capitalised mentions and spans.
 */
function collectCandidates(doc: KeywordInput, terms: DocTerms): Candidates {
  const text = doc.text;
  const stems = terms.stems;
  const tokStart = terms.start;
  const tokEnd = terms.end;
  const tokId = terms.id;
  const tokNum = terms.num;
  const sentTok = terms.sentTok;
  const K = stems.length + 1;
  const maxLen = K * K * K < Number.MAX_SAFE_INTEGER ? MAX_WORDS : 2;
  const filters = filterStems(doc.lang);
  const flag = new Uint8Array(stems.length);
  if (filters.size > 0) {
    for (let id = 0; id < stems.length; id++) flag[id] = filters.get(stems[id] as string) ?? 0;
  }
  const cands: Candidates = { K, key: [], size: [], count: [], first: [], caps: [], occ: [] };
  const { key: cKey, size: cSize, count: cCount, first: cFirst, caps: cCaps, occ } = cands;
  const indexOf = new Map<number, number>();
  // Single words: candidate number by key (id + 1), -1 when none yet.
  const single = new Int32Array(K).fill(-1);
  // The current run (token indices), reused; runLen is its length.
  const run: number[] = [];
  const glued: boolean[] = [];
  const caps: boolean[] = [];
  let runLen = 0;
  const addRun = (si: number, sentStart: number, len0: number): void => {
    for (let a = 0; a < len0; a++) {
      if (a > 0 && glued[a - 1] === true) continue;
      let key = 0;
      let allCaps = true;
      const firstStart = tokStart[run[a] as number] as number;
      for (let len = 1; len <= maxLen && a + len <= len0; len++) {
        const tk = run[a + len - 1] as number;
        key = key * K + (tokId[tk] as number) + 1;
        if (caps[a + len - 1] !== true) allCaps = false;
        if (glued[a + len - 1] === true) continue;
        let c = len === 1 ? (single[key] as number) : (indexOf.get(key) ?? -1);
        if (c < 0) {
          c = cKey.length;
          if (len === 1) single[key] = c;
          else indexOf.set(key, c);
          cKey.push(key);
          cSize.push(len);
          cCount.push(0);
          cFirst.push(si);
          cCaps.push(0);
        }
        cCount[c] = (cCount[c] as number) + 1;
        occ.push(c, firstStart, tokEnd[tk] as number);
        // Capitalised away from the sentence start: likely a name.
        if (allCaps && firstStart > sentStart) cCaps[c] = (cCaps[c] as number) + 1;
      }
    }
  };
  for (let si = 0; si < doc.sentences.length; si++) {
    const s = doc.sentences[si] as SentenceSpan;
    const last = sentTok[si + 1] as number;
    let prevEnd = -1;
    for (let k = sentTok[si] as number; k < last; k++) {
      const start = tokStart[k] as number;
      const tid = tokId[k] as number;
      let content = tid !== -1 && tokNum[k] === 0;
      let upper = false;
      if (content) {
        upper = isUpper(text.charCodeAt(start), text, start);
        const f = flag[tid] as number;
        // Title words split phrases; verbs and weak words too unless capitalised.
        if (f === TITLE || (f === WEAK && !upper)) content = false;
      }
      let joined = false;
      let hyphen = false;
      if (prevEnd >= 0) {
        if (start === prevEnd + 1) {
          const c = text.charCodeAt(prevEnd);
          joined = c === 0x20 || c === 0x2d || c === 0x2010 || c === 0x27 || c === 0x2019;
          hyphen = c === 0x2d || c === 0x2010;
        } else joined = start === prevEnd;
      }
      if ((!content || !joined) && runLen > 0) {
        addRun(si, s.start, runLen);
        runLen = 0;
      }
      if (content) {
        if (runLen > 0) glued[runLen - 1] = hyphen;
        run[runLen] = k;
        glued[runLen] = false;
        caps[runLen] = upper;
        runLen++;
      }
      prevEnd = tokEnd[k] as number;
    }
    if (runLen > 0) {
      addRun(si, s.start, runLen);
      runLen = 0;
    }
  }
  return cands;
}

/**
 * Step 2, score: a word weighs its frequency, an early first mention and a title
 * mention; a phrase scores the mean of its words' weights, times √mentions for
 * multi-word phrases, with a bonus for names. Multi-word phrases that neither recur nor
 * look like a name get NaN (not candidates).
 */
function scoreCandidates(doc: KeywordInput, terms: DocTerms, cands: Candidates): Float64Array {
  const nTerms = terms.stems.length;
  const titleIds = new Set<number>();
  for (const t of tokenize(doc.title, doc.lang)) {
    const id = t.stop ? undefined : termIdOf(terms).get(t.stem);
    if (id !== undefined) titleIds.add(id);
  }
  const weight = new Float64Array(nTerms);
  for (let id = 0; id < nTerms; id++) {
    weight[id] =
      (terms.tf[id] ?? 0) * (1 + 1 / (1 + (terms.first[id] ?? 0))) * (titleIds.has(id) ? 1.5 : 1);
  }
  const { K, key: cKey, size: cSize, count: cCount, caps: cCaps } = cands;
  const score = new Float64Array(cKey.length);
  for (let c = 0; c < cKey.length; c++) {
    const size = cSize[c] as number;
    const cnt = cCount[c] as number;
    if (size > 1 && cnt < 2 && cCaps[c] === 0) {
      score[c] = Number.NaN;
      continue;
    }
    const key = cKey[c] as number;
    let sum = 0;
    if (size === 1) sum += weight[key - 1] ?? 0;
    else if (size === 2) {
      sum += weight[Math.floor(key / K) - 1] ?? 0;
      sum += weight[(key % K) - 1] ?? 0;
    } else for (const id of wordIds(cands, c)) sum += weight[id] ?? 0;
    const mean = sum / size;
    const phrase = size > 1 ? mean * Math.sqrt(cnt) * 0.8 : mean;
    score[c] = phrase * ((cCaps[c] as number) > 0 ? 1.3 : 1);
  }
  return score;
}

/**
 * Step 3, choose: best first (ties: earlier first mention, shorter, key), up to `n`.
 * A phrase whose words all sit inside a chosen one is dropped; a phrase that contains
 * chosen ones takes their place when it carries at least half of their mentions
 * ("Xi" → "Xi Jinping"), else it only repeats them and is dropped.
 */
function chooseCandidates(cands: Candidates, score: Float64Array, n: number): number[] {
  const { key: cKey, size: cSize, count: cCount, first: cFirst } = cands;
  const order: number[] = [];
  for (let c = 0; c < cKey.length; c++) if (!Number.isNaN(score[c])) order.push(c);
  const before = (a: number, b: number): boolean => {
    const d =
      (score[b] as number) - (score[a] as number) ||
      (cFirst[a] as number) - (cFirst[b] as number) ||
      (cSize[a] as number) - (cSize[b] as number) ||
      (cKey[a] as number) - (cKey[b] as number);
    return d < 0;
  };
  const next = bestFirst(order, before);
  const chosenIds: number[] = [];
  const chosen: Array<Set<number>> = [];
  for (let c = next(); c >= 0 && chosenIds.length < n; c = next()) {
    const ids = wordIds(cands, c);
    if (chosen.some((s) => ids.every((x) => s.has(x)))) continue;
    let inside = -1;
    let covers = true;
    for (let j = 0; j < chosen.length; j++) {
      let all = true;
      for (const x of chosen[j] as Set<number>) {
        if (!ids.includes(x)) {
          all = false;
          break;
        }
      }
      if (!all) continue;
      if ((cCount[c] as number) * 2 < (cCount[chosenIds[j] as number] as number)) covers = false;
      if (inside < 0) inside = j;
    }
    if (inside >= 0) {
      if (!covers) continue;
      const idSet = new Set(ids);
      // Remove every chosen phrase inside this one, then take the first one's place.
      for (let j = chosen.length - 1; j > inside; j--) {
        if ([...(chosen[j] as Set<number>)].every((x) => idSet.has(x))) {
          chosen.splice(j, 1);
          chosenIds.splice(j, 1);
        }
      }
      chosen[inside] = idSet;
      chosenIds[inside] = c;
      continue;
    }
    chosen.push(new Set(ids));
    chosenIds.push(c);
  }
  return chosenIds;
}

/**
 * The items of `items` best first by `before`, popped on demand from a binary heap
 * (only the first few are usually needed); -1 when none are left. Reorders `items`.
 */
function bestFirst(items: number[], before: (a: number, b: number) => boolean): () => number {
  const heap = items;
  let size = heap.length;
  const sift = (i0: number): void => {
    let i = i0;
    const x = heap[i] as number;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= size) break;
      const right = child + 1;
      if (right < size && before(heap[right] as number, heap[child] as number)) child = right;
      if (!before(heap[child] as number, x)) break;
      heap[i] = heap[child] as number;
      i = child;
    }
    heap[i] = x;
  };
  for (let i = (size >> 1) - 1; i >= 0; i--) sift(i);
  return () => {
    if (size === 0) return -1;
    const top = heap[0] as number;
    size--;
    if (size > 0) {
      heap[0] = heap[size] as number;
      sift(0);
    }
    return top;
  };
}

/** Step 4, surface forms: each chosen phrase as the article writes it most often. */
function surfaceForms(text: string, cands: Candidates, chosen: readonly number[]): string[] {
  const occ = cands.occ;
  const slot = new Int32Array(cands.key.length).fill(-1);
  const spans: number[][] = chosen.map((c, k) => {
    slot[c] = k;
    return [];
  });
  for (let k = 0; k < occ.length; k += 3) {
    const at = slot[occ[k] as number] as number;
    if (at < 0) continue;
    const list = spans[at] as number[];
    if (list.length < 16) list.push(occ[k + 1] as number, occ[k + 2] as number);
  }
  return spans.map((list) => bestSurface(text, list));
}

/** The most frequent surface form; ties go to the shortest (fewest clitics), then the first seen. */
function bestSurface(text: string, spans: number[]): string {
  const surfaces = new Map<string, number>();
  for (let k = 0; k + 1 < spans.length; k += 2) {
    const s = text.slice(spans[k], spans[k + 1]);
    surfaces.set(s, (surfaces.get(s) ?? 0) + 1);
  }
  // Arabic: a form with the bare article (الصين) reads better than one with a
  // proclitic (والصين، بالصين، للصين); prefer it when the article uses it.
  const bare = [...surfaces.keys()].some((s) => s.startsWith("ال"));
  let best = "";
  let bestN = -1;
  for (const [s, k] of surfaces) {
    if (bare && !s.startsWith("ال")) continue;
    if (k > bestN || (k === bestN && s.length < best.length)) {
      best = s;
      bestN = k;
    }
  }
  return best;
}

const CJK_RUN = /[\p{Script=Han}\p{Script=Katakana}ー]{2,}/gu;
const CJK_STOP_EDGE =
  /^[的了和是在也有与及等对为以将从把被这那其中上下不就都而并或之于向由但还已又要会说到个我你他她它们日月年]|[的了和是在也有与及等对为以将从把被这那其中不就都而并或之于向由但还已又要会说到个我你他她它们]$/u;

const CJK_STOP_WORDS = new Set([
  "表示",
  "介绍",
  "记者",
  "新华社",
  "目前",
  "进行",
  "已经",
  "可以",
  "没有",
  "我们",
  "他们",
  "今年",
  "去年",
]);

/** Chinese/Japanese: frequent 2–6 character strings, longer ones preferred, substrings dropped. */
function cjkKeywords(doc: KeywordInput, n: number): string[] {
  const body = doc.text.slice(doc.sentences[0]?.start ?? 0);
  const runs: Array<{ run: string; at: number }> = [];
  CJK_RUN.lastIndex = 0;
  for (let m = CJK_RUN.exec(body); m !== null; m = CJK_RUN.exec(body))
    runs.push({ run: m[0], at: m.index });
  // Level-wise counting (2..6 characters): a string can recur only if both of its
  // one-shorter substrings recur, so only those are extended.
  // Whether a string is counted depends only on the string, so each position keeps the
  // entry of the string that starts there at the previous level (null: not counted).
  type Entry = { count: number; first: number };
  const all = new Map<string, Entry>();
  let prev = new Map<string, Entry>();
  let prevAt: Array<Array<Entry | null>> = [];
  for (const { run, at } of runs) {
    const row: Array<Entry | null> = [];
    for (let a = 0; a + 2 <= run.length; a++) {
      const g = run.slice(a, a + 2);
      let e = prev.get(g);
      if (e === undefined) {
        e = { count: 1, first: at + a };
        prev.set(g, e);
      } else e.count++;
      row.push(e);
    }
    prevAt.push(row);
  }
  for (const [g, e] of prev) all.set(g, e);
  for (let len = 3; len <= 6 && prev.size > 0; len++) {
    const next = new Map<string, Entry>();
    const nextAt: Array<Array<Entry | null>> = [];
    for (let r = 0; r < runs.length; r++) {
      const { run, at } = runs[r] as { run: string; at: number };
      const before = prevAt[r] as Array<Entry | null>;
      const row: Array<Entry | null> = [];
      for (let a = 0; a + len <= run.length; a++) {
        const left = before[a] ?? null;
        const right = before[a + 1] ?? null;
        if (left === null || left.count < 2 || right === null || right.count < 2) {
          row.push(null);
          continue;
        }
        const g = run.slice(a, a + len);
        let e = next.get(g);
        if (e === undefined) {
          e = { count: 1, first: at + a };
          next.set(g, e);
        } else e.count++;
        row.push(e);
      }
      nextAt.push(row);
    }
    for (const [g, e] of next) all.set(g, e);
    prev = next;
    prevAt = nextAt;
  }
  const counts = new Map<string, { count: number; first: number }>();
  for (const [g, e] of all) {
    if (e.count >= 2 && !CJK_STOP_EDGE.test(g) && !CJK_STOP_WORDS.has(g)) counts.set(g, e);
  }
  // For each string, the highest count of a one-character-longer string containing it.
  const extended = new Map<string, number>();
  for (const [h, e] of counts) {
    if (h.length < 3) continue;
    for (const sub of [h.slice(0, -1), h.slice(1)]) {
      if (e.count > (extended.get(sub) ?? 0)) extended.set(sub, e.count);
    }
  }
  const titleText = doc.title;
  const scored = [...counts.entries()]
    .map(([g, e]) => ({
      g,
      e,
      score: e.count * Math.sqrt(g.length) * (titleText.includes(g) ? 1.5 : 1),
    }))
    .sort((a, b) => b.score - a.score || a.e.first - b.e.first);
  const out: string[] = [];
  for (const { g, e } of scored) {
    if (out.length >= n) break;
    // Drop substrings of a chosen string and strings inside a longer one that is as frequent.
    if (out.some((o) => o.includes(g) || g.includes(o))) continue;
    if ((extended.get(g) ?? 0) >= e.count) continue;
    out.push(g);
  }
  return out;
}
