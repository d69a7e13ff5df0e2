/**
 * Tokeniser shared by queries, documents and fingerprints: words of space-delimited
 * scripts are runs of letters, digits and marks; each character of CJK, Thai and
 * similar scripts is its own token (so terms in those scripts match as substrings).
 * Tokens keep their UTF-16 offsets into the original string.
 */
import {
  arabicCliticForms,
  CLASS_TABLE,
  classAt,
  cpLen,
  foldRange,
  foldsToItself,
  MARK,
  SEP,
  SUB,
  WORD,
} from "./normalize.ts";

export interface Tokens {
  /** Number of tokens. */
  n: number;
  starts: number[];
  ends: number[];
  /** Folded form of each token (the primary matching key). */
  keys: string[];
  /** 1 when the token is a single character of a no-space script. */
  sub: Uint8Array;
}

/** Splits `text` into tokens. Never throws. */
export function tokenize(text: string): Tokens {
  const starts: number[] = [];
  const ends: number[] = [];
  const keys: string[] = [];
  const subFlags: number[] = [];
  const len = text.length;
  const T = CLASS_TABLE;
  let i = 0;
  while (i < len) {
    const c0 = text.charCodeAt(i);
    let k = T[c0] as number;
    if (k >= 254) k = classAt(text, i);
    if (k === SEP) {
      i += k === T[c0] ? 1 : cpLen(text, i);
      continue;
    }
    const start = i;
    if (k === SUB) {
      i += cpLen(text, i);
      while (i < len) {
        const c = text.charCodeAt(i);
        let kk = T[c] as number;
        if (kk >= 254) kk = classAt(text, i);
        if (kk !== MARK) break;
        i += cpLen(text, i);
      }
      starts.push(start);
      ends.push(i);
      keys.push(foldRange(text, start, i));
      subFlags.push(1);
      continue;
    }
    // WORD, or a MARK with no base before it. `same`: every unit folds to itself.
    let same = true;
    let c = c0;
    for (;;) {
      if (c >= 0xd800 && c <= 0xdfff) {
        same = false;
        i += cpLen(text, i);
      } else {
        if (same && (c >= 128 ? !foldsToItself(c) : c >= 65 && c <= 90)) same = false;
        i++;
      }
      if (i >= len) break;
      c = text.charCodeAt(i);
      let kk = T[c] as number;
      if (kk >= 254) kk = classAt(text, i);
      if (kk !== WORD && kk !== MARK) break;
    }
    const key = same ? text.slice(start, i) : foldRange(text, start, i);
    if (key.length === 0) continue; // e.g. a lone tatweel or joiner
    starts.push(start);
    ends.push(i);
    keys.push(key);
    subFlags.push(0);
  }
  return { n: starts.length, starts, ends, keys, sub: Uint8Array.from(subFlags) };
}

/** All matching keys of a token: its folded form plus Arabic clitic-stripped forms. */
export function tokenKeys(key: string, sub: boolean): string[] {
  if (sub) return [key];
  const extra = arabicCliticForms(key);
  return extra.length === 0 ? [key] : [key, ...extra];
}

/** Only line-break characters between two offsets (lets CJK substrings wrap lines). */
export function onlyLineBreaks(text: string, from: number, to: number): boolean {
  if (to - from > 4) return false;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c !== 10 && c !== 13) return false;
  }
  return true;
}
