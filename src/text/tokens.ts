/**
 * Word tokens for scoring: lower-cased, Arabic-normalised, stopword-flagged and
 * stemmed. Chinese and Japanese runs become character bigrams. The analysis of each
 * distinct word is memoised per language, so an article costs one character scan and a
 * map lookup per word. Pure, never throws.
 */
import { STOPWORDS } from "./data/stopwords.ts";
import { normalizeArabic } from "./normalize.ts";
import { stem } from "./stem.ts";

export interface Token {
  /** UTF-16 offsets into the text that was tokenised. */
  start: number;
  end: number;
  /** Lower-cased, normalised surface form. */
  norm: string;
  /** Stem (or CJK bigram): the unit of comparison. */
  stem: string;
  /** Stopword, or too short to carry content. */
  stop: boolean;
  /** All digits. */
  num: boolean;
}

/** The analysis of one word (memoised per language) or CJK bigram. */
export interface TermInfo {
  /** The word as it appears in the text. */
  word: string;
  norm: string;
  stem: string;
  stop: boolean;
  num: boolean;
  cjk: boolean;
  /** A small integer naming `stem` (see `stemNumber`); -1 for stopwords. */
  stemNo: number;
}

/** Tokens appended by `scanTokens`: offsets and the shared analysis of each token. */
export interface TokenBuffer {
  start: number[];
  end: number[];
  info: TermInfo[];
}

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}ー]/u;
const CJK_RUN =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}ー]+|[^\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}ー]+/gu;
const DIGITS = /^\p{N}+$/u;
const EMPTY: ReadonlySet<string> = new Set();
const CJK_STOP = new Set(
  "的了和是在也有与及等对为以将从把被这那其中上下不就都而并或之于向由但还已又要会说到个我你他她它们日月年のにはをたがでてとしれさもなかだ".split(
    "",
  ),
);
const MAX_MEMO = 100_000;
const memos = new Map<string, Map<string, TermInfo>>();
// The same analyses keyed by a hash of the word's code units, so a word seen before is
// found without cutting it out of the text (checked against TermInfo.word).
const hashMemos = new Map<string, Map<number, TermInfo>>();
// Stems are numbered 0, 1, 2... so a document can map stems to its term ids with an
// array instead of a string map. Reset (with the word memo) only between documents.
const MAX_STEMS = 100_000;
const stemNos = new Map<string, number>();

function stemNumber(s: string): number {
  let k = stemNos.get(s);
  if (k === undefined) {
    k = stemNos.size;
    stemNos.set(s, k);
  }
  return k;
}

/** One more than the largest stem number handed out so far. */
export function stemNumberCount(): number {
  return stemNos.size;
}

/**
 * Start of a document: forget the memoised analyses once the stem numbering has
 * grown past its cap (never in the middle of a document, so numbers stay consistent).
 */
export function trimMemos(): void {
  if (stemNos.size < MAX_STEMS) return;
  stemNos.clear();
  memos.clear();
  hashMemos.clear();
}

// Word characters are [\p{L}\p{M}\p{N}] (as the regex /[\p{L}\p{M}\p{N}]+/u would
// match them). BMP code units are classified once, lazily: 0 unknown, 1 word, 2 not.
const WORD_CP = /^[\p{L}\p{M}\p{N}]$/u;
const UNIT_CLASS = new Uint8Array(0x10000);

function isWordUnit(c: number): boolean {
  if (c < 0x80) return (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a);
  let k = UNIT_CLASS[c] as number;
  if (k === 0) {
    k = c >= 0xd800 && c <= 0xdfff ? 2 : WORD_CP.test(String.fromCharCode(c)) ? 1 : 2;
    UNIT_CLASS[c] = k;
  }
  return k === 1;
}

/** Length (1 or 2 UTF-16 units) of the word character at `i`, or 0 when it is not one. */
function wordCharLength(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c < 0xd800 || c > 0xdbff) return isWordUnit(c) ? 1 : 0;
  const lo = text.charCodeAt(i + 1);
  if (!(lo >= 0xdc00 && lo <= 0xdfff)) return 0;
  return WORD_CP.test(text.slice(i, i + 2)) ? 2 : 0;
}

function hasCjk(w: string): boolean {
  for (let i = 0; i < w.length; i++) if (w.charCodeAt(i) >= 0x2e80) return CJK.test(w);
  return false;
}

function hasArabic(w: string): boolean {
  for (let i = 0; i < w.length; i++) {
    const c = w.charCodeAt(i);
    if (c >= 0x600 && c <= 0x6ff) return true;
  }
  return false;
}

function info(
  word: string,
  norm: string,
  stem: string,
  stop: boolean,
  num: boolean,
  cjk: boolean,
): TermInfo {
  return { word, norm, stem, stop, num, cjk, stemNo: stop || cjk ? -1 : stemNumber(stem) };
}

/** Whether text[at..end) is `word`. */
function sameWord(word: string, text: string, at: number, end: number): boolean {
  if (word.length !== end - at) return false;
  for (let k = 0; k < word.length; k++)
    if (word.charCodeAt(k) !== text.charCodeAt(at + k)) return false;
  return true;
}

let allStopwords: ReadonlySet<string> | null = null;

/**
 * The stopwords of a language; for "und" and languages without a table, the union of
 * every table, so keywords of an undecided text are never "and", "de" or "في".
 */
function stopwordsFor(lang: string): ReadonlySet<string> {
  if (Object.hasOwn(STOPWORDS, lang)) return STOPWORDS[lang] ?? EMPTY;
  if (allStopwords === null) {
    const all = new Set<string>();
    for (const table of Object.values(STOPWORDS)) for (const w of table) all.add(w);
    allStopwords = all;
  }
  return allStopwords;
}

function analyse(w: string, lang: string, stops: ReadonlySet<string>): TermInfo {
  if (hasCjk(w)) return info(w, w, w, false, false, true);
  let norm = w.toLowerCase();
  if (hasArabic(norm)) norm = normalizeArabic(norm);
  const num = DIGITS.test(norm);
  const stop = norm.length === 0 || stops.has(norm) || (norm.length < 2 && !num);
  return info(w, norm, stop ? norm : stem(norm, lang), stop, num, false);
}

/**
 * Append the tokens of `text[from..to)` to `out`: one scan over the characters and a
 * memo lookup per word. A word that runs past `to` is cut at `to`.
 */
export function scanTokens(
  text: string,
  lang: string,
  from: number,
  end: number,
  out: TokenBuffer,
): void {
  const stops = stopwordsFor(lang);
  let memo = memos.get(lang);
  if (memo === undefined) {
    memo = new Map();
    memos.set(lang, memo);
  }
  let hashMemo = hashMemos.get(lang);
  if (hashMemo === undefined) {
    hashMemo = new Map();
    hashMemos.set(lang, hashMemo);
  }
  const len = text.length;
  const to = Math.min(end, len);
  let i = Math.max(0, from);
  while (i < to) {
    const first = wordCharLength(text, i);
    if (first === 0) {
      i++;
      continue;
    }
    const at = i;
    i += first;
    for (;;) {
      if (i >= len) break;
      const c = text.charCodeAt(i);
      if (c < 0x80) {
        if ((c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a)) {
          i++;
          continue;
        }
        break;
      }
      const k = wordCharLength(text, i);
      if (k === 0) break;
      i += k;
    }
    const stop = Math.min(i, to);
    let h = 0;
    for (let p = at; p < stop; p++) h = (Math.imul(h, 31) + text.charCodeAt(p)) | 0;
    h &= 0x3fffffff;
    let inf = hashMemo.get(h);
    if (inf === undefined || !sameWord(inf.word, text, at, stop)) {
      const w = text.slice(at, stop);
      inf = memo.get(w);
      if (inf === undefined) {
        inf = analyse(w, lang, stops);
        if (memo.size >= MAX_MEMO) memo.clear();
        if (!inf.cjk) memo.set(w, inf);
      }
      if (inf.cjk) {
        cjkTokens(w, at, out);
        continue;
      }
      if (hashMemo.size >= MAX_MEMO) hashMemo.clear();
      hashMemo.set(h, inf);
    }
    if (inf.norm.length === 0) continue;
    out.start.push(at);
    out.end.push(stop);
    out.info.push(inf);
  }
}

/** Tokenise `text[from..to)`. */
export function tokenize(text: string, lang: string, from = 0, to = text.length): Token[] {
  const buf: TokenBuffer = { start: [], end: [], info: [] };
  scanTokens(text, lang, from, to, buf);
  const out: Token[] = [];
  for (let k = 0; k < buf.info.length; k++) {
    const inf = buf.info[k] as TermInfo;
    out.push({
      start: buf.start[k] as number,
      end: buf.end[k] as number,
      norm: inf.norm,
      stem: inf.stem,
      stop: inf.stop,
      num: inf.num,
    });
  }
  return out;
}

function cjkTokens(w: string, at: number, out: TokenBuffer): void {
  CJK_RUN.lastIndex = 0;
  for (let r = CJK_RUN.exec(w); r !== null; r = CJK_RUN.exec(w)) {
    const run = r[0];
    const base = at + r.index;
    if (!CJK.test(run)) {
      const norm = run.toLowerCase();
      const num = DIGITS.test(norm);
      out.start.push(base);
      out.end.push(base + run.length);
      out.info.push(info(run, norm, norm, norm.length < 2 && !num, num, false));
      continue;
    }
    if (run.length === 1) {
      out.start.push(base);
      out.end.push(base + 1);
      out.info.push(info(run, run, run, true, false, false));
      continue;
    }
    for (let k = 0; k + 1 < run.length; k++) {
      const bi = run.slice(k, k + 2);
      const stop = CJK_STOP.has(bi[0] ?? "") || CJK_STOP.has(bi[1] ?? "");
      out.start.push(base + k);
      out.end.push(base + k + 2);
      out.info.push(info(bi, bi, bi, stop, false, false));
    }
  }
}
