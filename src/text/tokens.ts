/**
 * Word tokens for scoring: lower-cased, Arabic-normalised, stopword-flagged and
 * stemmed. Chinese and Japanese runs become character bigrams. The analysis of each
 * distinct word is memoised per language, so an article costs one regex scan and a
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

interface WordInfo {
  norm: string;
  stem: string;
  stop: boolean;
  num: boolean;
  cjk: boolean;
}

const WORD = /[\p{L}\p{M}\p{N}]+/gu;
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
const memos = new Map<string, Map<string, WordInfo>>();

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

function analyse(w: string, lang: string, stops: ReadonlySet<string>): WordInfo {
  if (hasCjk(w)) return { norm: w, stem: w, stop: false, num: false, cjk: true };
  let norm = w.toLowerCase();
  if (hasArabic(norm)) norm = normalizeArabic(norm);
  const num = DIGITS.test(norm);
  const stop = norm.length === 0 || stops.has(norm) || (norm.length < 2 && !num);
  return { norm, stem: stop ? norm : stem(norm, lang), stop, num, cjk: false };
}

/** Tokenise `text[from..to)`. */
export function tokenize(text: string, lang: string, from = 0, to = text.length): Token[] {
  const out: Token[] = [];
  const stops = STOPWORDS[lang] ?? EMPTY;
  let memo = memos.get(lang);
  if (memo === undefined) {
    memo = new Map();
    memos.set(lang, memo);
  }
  WORD.lastIndex = from;
  for (let m = WORD.exec(text); m !== null && m.index < to; m = WORD.exec(text)) {
    const at = m.index;
    const w = at + m[0].length > to ? m[0].slice(0, to - at) : m[0];
    let info = memo.get(w);
    if (info === undefined) {
      info = analyse(w, lang, stops);
      if (memo.size >= MAX_MEMO) memo.clear();
      if (!info.cjk) memo.set(w, info);
    }
    if (info.cjk) {
      cjkTokens(w, at, out);
      continue;
    }
    if (info.norm.length === 0) continue;
    out.push({
      start: at,
      end: at + w.length,
      norm: info.norm,
      stem: info.stem,
      stop: info.stop,
      num: info.num,
    });
  }
  return out;
}

function cjkTokens(w: string, at: number, out: Token[]): void {
  CJK_RUN.lastIndex = 0;
  for (let r = CJK_RUN.exec(w); r !== null; r = CJK_RUN.exec(w)) {
    const run = r[0];
    const base = at + r.index;
    if (!CJK.test(run)) {
      const norm = run.toLowerCase();
      const num = DIGITS.test(norm);
      out.push({
        start: base,
        end: base + run.length,
        norm,
        stem: norm,
        stop: norm.length < 2 && !num,
        num,
      });
      continue;
    }
    if (run.length === 1) {
      out.push({ start: base, end: base + 1, norm: run, stem: run, stop: true, num: false });
      continue;
    }
    for (let k = 0; k + 1 < run.length; k++) {
      const bi = run.slice(k, k + 2);
      const stop = CJK_STOP.has(bi[0] ?? "") || CJK_STOP.has(bi[1] ?? "");
      out.push({ start: base + k, end: base + k + 2, norm: bi, stem: bi, stop, num: false });
    }
  }
}
