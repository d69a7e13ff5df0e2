/**
 * Keyphrases from the article's own statistics (no corpus needed): candidates are
 * runs of up to three content words inside a clause (never across punctuation or
 * stopwords); each word is weighted by its frequency, an early first mention and a
 * title mention; a phrase scores by its frequency and its words' weights, with a bonus
 * for capitalised names. Near-duplicates (same stems) are dropped. Chinese and
 * Japanese use frequent character n-grams instead. Pure, never throws.
 */

import { docTerms } from "./cache.ts";
import type { SentenceSpan } from "./sentences.ts";
import type { Token } from "./tokens.ts";
import { tokenize } from "./tokens.ts";

export interface KeywordInput {
  text: string;
  title: string;
  lang: string;
  sentences: SentenceSpan[];
}

const MAX_WORDS = 3;
const CJK_LANGS = new Set(["zh", "ja"]);

interface Candidate {
  /** Stem ids of the phrase's words. */
  ids: number[];
  count: number;
  first: number;
  /** Start/end offsets of each occurrence, flat. */
  spans: number[];
  capitalised: number;
}

/** Whether the character at `i` is an upper-case letter (fast path for ASCII and caseless scripts). */
function isUpper(cp: number, text: string, i: number): boolean {
  if (cp < 0x80) return cp >= 0x41 && cp <= 0x5a;
  if (cp >= 0x590 && cp < 0x10a0) return false;
  if (cp >= 0x2e80) return false;
  return /^\p{Lu}/u.test(text[i] ?? "");
}

/** Up to `count` keyphrases (default 8), best first. */
export function keywords(doc: KeywordInput, count = 8): string[] {
  const n = Math.max(1, Math.min(20, Math.floor(Number.isFinite(count) ? count : 8)));
  if (doc.sentences.length === 0) return [];
  if (CJK_LANGS.has(doc.lang)) return cjkKeywords(doc, n);
  const sentCount = doc.sentences.length;
  const terms = docTerms(doc);
  const allTokens = terms.tokens;
  const text = doc.text;
  const stems = terms.stems;
  const tf = terms.tf;
  const firstSeen = terms.first;
  const K = stems.length + 1;
  const maxLen = K * K * K < Number.MAX_SAFE_INTEGER ? MAX_WORDS : 2;
  const cands = new Map<number, Candidate>();
  const titleIds = new Set<number>();
  for (const t of tokenize(doc.title, doc.lang)) {
    const id = t.stop ? undefined : terms.idOf.get(t.stem);
    if (id !== undefined) titleIds.add(id);
  }
  // Runs of content tokens inside a clause; candidates are their 1..MAX_WORDS-grams.
  const run: Token[] = [];
  const runIds: number[] = [];
  const glued: boolean[] = [];
  const caps: boolean[] = [];
  const addRun = (si: number, sentStart: number): void => {
    const len0 = run.length;
    for (let a = 0; a < len0; a++) {
      if (a > 0 && glued[a - 1] === true) continue;
      let key = 0;
      let allCaps = true;
      const first = run[a] as Token;
      for (let len = 1; len <= maxLen && a + len <= len0; len++) {
        const t = run[a + len - 1] as Token;
        key = key * K + (runIds[a + len - 1] as number) + 1;
        if (caps[a + len - 1] !== true) allCaps = false;
        if (glued[a + len - 1] === true) continue;
        let c = cands.get(key);
        if (c === undefined) {
          c = { ids: runIds.slice(a, a + len), count: 0, first: si, spans: [], capitalised: 0 };
          cands.set(key, c);
        }
        c.count++;
        // A few occurrences are enough to pick the surface form.
        if (c.spans.length < 16) c.spans.push(first.start, t.end);
        // Capitalised away from the sentence start: likely a name.
        if (allCaps && first.start > sentStart) c.capitalised++;
      }
    }
    run.length = 0;
    runIds.length = 0;
    glued.length = 0;
    caps.length = 0;
  };
  for (let si = 0; si < sentCount; si++) {
    const s = doc.sentences[si] as SentenceSpan;
    let prevEnd = -1;
    let ti = 0;
    for (const t of allTokens[si] ?? []) {
      const content = !t.stop && !t.num;
      const tid = (terms.ids[si] as Int32Array)[ti] as number;
      ti++;
      let joined = false;
      let hyphen = false;
      if (prevEnd >= 0) {
        if (t.start === prevEnd + 1) {
          const c = text.charCodeAt(prevEnd);
          joined = c === 0x20 || c === 0x2d || c === 0x2010 || c === 0x27 || c === 0x2019;
          hyphen = c === 0x2d || c === 0x2010;
        } else joined = t.start === prevEnd;
      }
      if (!content || !joined) addRun(si, s.start);
      if (content) {
        if (run.length > 0) glued[run.length - 1] = hyphen;
        run.push(t);
        runIds.push(tid);
        glued.push(false);
        caps.push(isUpper(text.charCodeAt(t.start), text, t.start));
      }
      prevEnd = t.end;
    }
    addRun(si, s.start);
  }
  const weight = new Float64Array(stems.length);
  for (let id = 0; id < stems.length; id++) {
    weight[id] =
      (tf[id] ?? 0) * (1 + 1 / (1 + (firstSeen[id] ?? 0))) * (titleIds.has(id) ? 1.5 : 1);
  }
  const scored: Array<{ c: Candidate; score: number }> = [];
  for (const c of cands.values()) {
    const size = c.ids.length;
    // Multi-word phrases must recur (or be a name) to count as phrases.
    if (size > 1 && c.count < 2 && c.capitalised === 0) continue;
    let sum = 0;
    for (const id of c.ids) sum += weight[id] ?? 0;
    const mean = sum / size;
    const phrase = size > 1 ? mean * Math.sqrt(c.count) * 0.8 : mean;
    scored.push({ c, score: phrase * (c.capitalised > 0 ? 1.3 : 1) });
  }
  // Ties: earlier first mention, then shorter, then stem order: deterministic.
  scored.sort(
    (a, b) =>
      b.score - a.score ||
      a.c.first - b.c.first ||
      a.c.ids.length - b.c.ids.length ||
      compareIds(a.c.ids, b.c.ids),
  );
  const out: string[] = [];
  const chosen: Array<Set<number>> = [];
  for (const { c } of scored) {
    if (out.length >= n) break;
    // Skip a phrase whose words are all inside one already chosen.
    if (chosen.some((s) => c.ids.every((x) => s.has(x)))) continue;
    chosen.push(new Set(c.ids));
    out.push(bestSurface(text, c.spans));
  }
  return out;
}

function compareIds(a: number[], b: number[]): number {
  for (let i = 0; i < a.length && i < b.length; i++) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/** The most frequent surface form; ties go to the shortest (fewest clitics), then the first seen. */
function bestSurface(text: string, spans: number[]): string {
  const surfaces = new Map<string, number>();
  for (let k = 0; k + 1 < spans.length; k += 2) {
    const s = text.slice(spans[k], spans[k + 1]);
    surfaces.set(s, (surfaces.get(s) ?? 0) + 1);
  }
  let best = "";
  let bestN = -1;
  for (const [s, k] of surfaces) {
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
  const counts = new Map<string, { count: number; first: number }>();
  let pos = 0;
  const body = doc.text.slice(doc.sentences[0]?.start ?? 0);
  CJK_RUN.lastIndex = 0;
  for (let m = CJK_RUN.exec(body); m !== null; m = CJK_RUN.exec(body)) {
    const run = m[0];
    for (let a = 0; a < run.length; a++) {
      for (let len = 2; len <= 6 && a + len <= run.length; len++) {
        const g = run.slice(a, a + len);
        if (CJK_STOP_EDGE.test(g) || CJK_STOP_WORDS.has(g)) continue;
        const e = counts.get(g);
        if (e === undefined) counts.set(g, { count: 1, first: pos });
        else e.count++;
        pos++;
      }
    }
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
    .filter(([, e]) => e.count >= 2)
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
