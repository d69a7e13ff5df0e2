/**
 * Tokeniser shared by queries, documents and fingerprints: words of space-delimited
 * scripts are runs of letters, digits and marks; each character of CJK, Thai and
 * similar scripts is its own token (so terms in those scripts match as substrings).
 * Tokens keep their UTF-16 offsets into the original string.
 */
import { arabicCliticForms, classAt, cpLen, foldRange, MARK, SEP, SUB, WORD } from "./normalize.ts";

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
  let i = 0;
  while (i < len) {
    const k = classAt(text, i);
    if (k === SEP) {
      i += cpLen(text, i);
      continue;
    }
    const start = i;
    if (k === SUB) {
      i += cpLen(text, i);
      while (i < len && classAt(text, i) === MARK) i += cpLen(text, i);
      starts.push(start);
      ends.push(i);
      keys.push(foldRange(text, start, i));
      subFlags.push(1);
      continue;
    }
    // WORD or a leading MARK
    i += cpLen(text, i);
    while (i < len) {
      const c = classAt(text, i);
      if (c !== WORD && c !== MARK) break;
      i += cpLen(text, i);
    }
    const key = foldRange(text, start, i);
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
