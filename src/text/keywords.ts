/**
 * Keyphrases from the article's own statistics (no corpus needed): candidates are
 * runs of up to three content words inside a clause (never across punctuation or
 * stopwords); each word is weighted by its frequency, an early first mention and a
 * title mention; a phrase scores by its frequency and its words' weights, with a bonus
 * for capitalised names. Near-duplicates (same stems) are dropped. Chinese and
 * Japanese use frequent character n-grams instead. Pure, never throws.
 */
import type { SentenceSpan } from "./sentences.ts";
import { sentenceTokens } from "./cache.ts";
import { tokenize } from "./tokens.ts";
import type { Token } from "./tokens.ts";

export interface KeywordInput {
  text: string;
  title: string;
  lang: string;
  sentences: SentenceSpan[];
}

const MAX_WORDS = 3;
const CJK_LANGS = new Set(["zh", "ja"]);

interface Candidate {
  key: string;
  size: number;
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
  const wordTf = new Map<string, number>();
  const wordFirst = new Map<string, number>();
  const cands = new Map<string, Candidate>();
  const titleStems = new Set(tokenize(doc.title, doc.lang).filter((t) => !t.stop).map((t) => t.stem));
  const allTokens = sentenceTokens(doc);
  const text = doc.text;
  // Runs of content tokens inside a clause; candidates are their 1..MAX_WORDS-grams.
  const run: Token[] = [];
  const glued: boolean[] = [];
  const caps: boolean[] = [];
  const addRun = (si: number, sentStart: number): void => {
    const len0 = run.length;
    for (let a = 0; a < len0; a++) {
      if (a > 0 && glued[a - 1] === true) continue;
      let key = "";
      let allCaps = true;
      for (let len = 1; len <= MAX_WORDS && a + len <= len0; len++) {
        const t = run[a + len - 1] as Token;
        key = len === 1 ? t.stem : `${key} ${t.stem}`;
        if (caps[a + len - 1] !== true) allCaps = false;
        if (glued[a + len - 1] === true) continue;
        const first = run[a] as Token;
        let c = cands.get(key);
        if (c === undefined) {
          c = { key, size: len, count: 0, first: si, spans: [], capitalised: 0 };
          cands.set(key, c);
        }
        c.count++;
        c.spans.push(first.start, t.end);
        // Capitalised away from the sentence start: likely a name.
        if (allCaps && first.start > sentStart) c.capitalised++;
      }
    }
    run.length = 0;
    glued.length = 0;
    caps.length = 0;
  };
  for (let si = 0; si < sentCount; si++) {
    const s = doc.sentences[si] as SentenceSpan;
    let prevEnd = -1;
    for (const t of allTokens[si] ?? []) {
      const content = !t.stop && !t.num;
      if (content) {
        wordTf.set(t.stem, (wordTf.get(t.stem) ?? 0) + 1);
        if (!wordFirst.has(t.stem)) wordFirst.set(t.stem, si);
      }
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
        glued.push(false);
        caps.push(isUpper(text.charCodeAt(t.start), text, t.start));
      }
      prevEnd = t.end;
    }
    addRun(si, s.start);
  }
  const wordWeight = (stem: string): number => {
    const tf = wordTf.get(stem) ?? 0;
    const first = wordFirst.get(stem) ?? sentCount;
    return tf * (1 + 1 / (1 + first)) * (titleStems.has(stem) ? 1.5 : 1);
  };
  const scored: Array<{ c: Candidate; score: number }> = [];
  for (const c of cands.values()) {
    // Multi-word phrases must recur (or be a name) to count as phrases.
    if (c.size > 1 && c.count < 2 && c.capitalised === 0) continue;
    let sum = 0;
    const stems = c.size === 1 ? [c.key] : c.key.split(" ");
    for (const st of stems) sum += wordWeight(st);
    const mean = sum / c.size;
    const phrase = c.size > 1 ? mean * Math.sqrt(c.count) * 0.8 : mean;
    const name = c.capitalised > 0 ? 1.3 : 1;
    scored.push({ c, score: phrase * name });
  }
  scored.sort((a, b) => b.score - a.score || a.c.first - b.c.first || (a.c.key < b.c.key ? -1 : a.c.key > b.c.key ? 1 : 0));
  const out: string[] = [];
  const chosen: Array<Set<string>> = [];
  for (const { c } of scored) {
    if (out.length >= n) break;
    const stems = new Set(c.size === 1 ? [c.key] : c.key.split(" "));
    // Skip a phrase whose words are all inside one already chosen.
    if (chosen.some((s) => [...stems].every((x) => s.has(x)))) continue;
    chosen.push(stems);
    out.push(bestSurface(text, c.spans));
  }
  return out;
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
const CJK_STOP_EDGE = /^[的了和是在也有与及等对为以将从把被这那其中上下不就都而并或之于向由但还已又要会说到个我你他她它们日月年]|[的了和是在也有与及等对为以将从把被这那其中不就都而并或之于向由但还已又要会说到个我你他她它们]$/u;

const CJK_STOP_WORDS = new Set(["表示", "介绍", "记者", "新华社", "目前", "进行", "已经", "可以", "没有", "我们", "他们", "今年", "去年"]);

/** Chinese/Japanese: frequent 2–6 character strings, longer ones preferred, substrings dropped. */
function cjkKeywords(doc: KeywordInput, n: number): string[] {
  const counts = new Map<string, { count: number; first: number }>();
  let pos = 0;
  const body = doc.text.slice(doc.sentences[0]?.start ?? 0);
  CJK_RUN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = CJK_RUN.exec(body)) !== null) {
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
    .map(([g, e]) => ({ g, e, score: e.count * Math.sqrt(g.length) * (titleText.includes(g) ? 1.5 : 1) }))
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
