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
  // Phrase keys are numbers: ((id1 + 1) · K + (id2 + 1)) · K + (id3 + 1).
  const K = stems.length + 1;
  const maxLen = K * K * K < Number.MAX_SAFE_INTEGER ? MAX_WORDS : 2;
  const titleIds = new Set<number>();
  for (const t of tokenize(doc.title, doc.lang)) {
    const id = t.stop ? undefined : terms.idOf.get(t.stem);
    if (id !== undefined) titleIds.add(id);
  }
  // Candidates in flat arrays (index = candidate number).
  const indexOf = new Map<number, number>();
  const cKey: number[] = [];
  const cSize: number[] = [];
  const cCount: number[] = [];
  const cFirst: number[] = [];
  const cCaps: number[] = [];
  // Occurrences: candidate, start, end (flat triples), for choosing surface forms.
  const occ: number[] = [];
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
        key = key * K + (runIds[a + len - 1] as number) + 1;
        if (caps[a + len - 1] !== true) allCaps = false;
        if (glued[a + len - 1] === true) continue;
        let c = indexOf.get(key);
        if (c === undefined) {
          c = cKey.length;
          indexOf.set(key, c);
          cKey.push(key);
          cSize.push(len);
          cCount.push(0);
          cFirst.push(si);
          cCaps.push(0);
        }
        cCount[c] = (cCount[c] as number) + 1;
        occ.push(c, first.start, (run[a + len - 1] as Token).end);
        // Capitalised away from the sentence start: likely a name.
        if (allCaps && first.start > sentStart) cCaps[c] = (cCaps[c] as number) + 1;
      }
    }
    run.length = 0;
    runIds.length = 0;
    glued.length = 0;
    caps.length = 0;
  };
  for (let si = 0; si < sentCount; si++) {
    const s = doc.sentences[si] as SentenceSpan;
    const ids = terms.ids[si] as number[];
    const toks = allTokens[si] ?? [];
    let prevEnd = -1;
    for (let ti = 0; ti < toks.length; ti++) {
      const t = toks[ti] as Token;
      const content = !t.stop && !t.num;
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
        runIds.push(ids[ti] as number);
        glued.push(false);
        caps.push(isUpper(text.charCodeAt(t.start), text, t.start));
      }
      prevEnd = t.end;
    }
    addRun(si, s.start);
  }
  // Word weight: frequency, an early first mention, a title mention.
  const weight = new Float64Array(stems.length);
  for (let id = 0; id < stems.length; id++) {
    weight[id] =
      (terms.tf[id] ?? 0) * (1 + 1 / (1 + (terms.first[id] ?? 0))) * (titleIds.has(id) ? 1.5 : 1);
  }
  const decode = (c: number): number[] => {
    const out: number[] = [];
    let key = cKey[c] as number;
    for (let k = 0; k < (cSize[c] as number); k++) {
      out.unshift((key % K) - 1);
      key = Math.floor(key / K);
    }
    return out;
  };
  const score = new Float64Array(cKey.length);
  const order: number[] = [];
  for (let c = 0; c < cKey.length; c++) {
    const size = cSize[c] as number;
    const cnt = cCount[c] as number;
    // Multi-word phrases must recur (or be a name) to count as phrases.
    if (size > 1 && cnt < 2 && cCaps[c] === 0) continue;
    let sum = 0;
    for (const id of size === 1 ? [(cKey[c] as number) - 1] : decode(c)) sum += weight[id] ?? 0;
    const mean = sum / size;
    const phrase = size > 1 ? mean * Math.sqrt(cnt) * 0.8 : mean;
    score[c] = phrase * ((cCaps[c] as number) > 0 ? 1.3 : 1);
    order.push(c);
  }
  // Ties: earlier first mention, then shorter, then key: deterministic.
  order.sort(
    (a, b) =>
      (score[b] as number) - (score[a] as number) ||
      (cFirst[a] as number) - (cFirst[b] as number) ||
      (cSize[a] as number) - (cSize[b] as number) ||
      (cKey[a] as number) - (cKey[b] as number),
  );
  const out: string[] = [];
  const chosenIds: number[] = [];
  const chosen: Array<Set<number>> = [];
  for (const c of order) {
    if (out.length >= n) break;
    const ids = decode(c);
    // Skip a phrase whose words are all inside one already chosen.
    if (chosen.some((s) => ids.every((x) => s.has(x)))) continue;
    chosen.push(new Set(ids));
    chosenIds.push(c);
    out.push("");
  }
  // Surface forms for the chosen phrases only.
  const spans = new Map<number, number[]>();
  for (const c of chosenIds) spans.set(c, []);
  for (let k = 0; k < occ.length; k += 3) {
    const list = spans.get(occ[k] as number);
    if (list !== undefined && list.length < 16)
      list.push(occ[k + 1] as number, occ[k + 2] as number);
  }
  return chosenIds.map((c) => bestSurface(text, spans.get(c) ?? []));
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
  const all = new Map<string, { count: number; first: number }>();
  let prev = new Map<string, { count: number; first: number }>();
  for (const { run, at } of runs) {
    for (let a = 0; a + 2 <= run.length; a++) {
      const g = run.slice(a, a + 2);
      const e = prev.get(g);
      if (e === undefined) prev.set(g, { count: 1, first: at + a });
      else e.count++;
    }
  }
  for (const [g, e] of prev) all.set(g, e);
  for (let len = 3; len <= 6 && prev.size > 0; len++) {
    const next = new Map<string, { count: number; first: number }>();
    for (const { run, at } of runs) {
      for (let a = 0; a + len <= run.length; a++) {
        if ((prev.get(run.slice(a, a + len - 1))?.count ?? 0) < 2) continue;
        if ((prev.get(run.slice(a + 1, a + len))?.count ?? 0) < 2) continue;
        const g = run.slice(a, a + len);
        const e = next.get(g);
        if (e === undefined) next.set(g, { count: 1, first: at + a });
        else e.count++;
      }
    }
    for (const [g, e] of next) all.set(g, e);
    prev = next;
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
