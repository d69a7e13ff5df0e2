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
  FOLD_COMPLEX,
  FOLD_EMPTY,
  FOLD_MAP,
  foldRange,
  foldUnit,
  MARK,
  SEP,
  SUB,
  WORD,
} from "./normalize.ts";

export interface Tokens {
  /** Number of tokens. */
  n: number;
  starts: Int32Array;
  ends: Int32Array;
  /** Interned id of each token's key (its folded form) in the dictionary used. */
  ids: Int32Array;
  /** 1 when the token is a single character of a no-space script. */
  sub: Uint8Array;
}

/**
 * Interned keys: an open-addressing hash table (FNV-1a over the folded key's UTF-16
 * units) so repeated tokens of a document cost no string allocation.
 */
export interface Dict {
  keys: string[];
  hashes: number[];
  table: Int32Array; // id + 1, 0 = empty
  mask: number;
}

export function newDict(capacity = 1024): Dict {
  let cap = 16;
  while (cap < capacity * 2) cap *= 2;
  return { keys: [], hashes: [], table: new Int32Array(cap), mask: cap - 1 };
}

/** FNV-1a's basis and prime (the dictionary hash; the presearch continues it incrementally). */
export const FNV_OFFSET = 0x811c9dc5 | 0;
export const FNV_PRIME = 0x01000193;

/** FNV-1a hash of a string (the dictionary hash). */
export function hashKey(key: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), FNV_PRIME);
  return h;
}

function grow(d: Dict): void {
  const cap = d.table.length * 2;
  const table = new Int32Array(cap);
  const mask = cap - 1;
  for (let id = 0; id < d.keys.length; id++) {
    let at = (d.hashes[id] as number) & mask;
    while (table[at] !== 0) at = (at + 1) & mask;
    table[at] = id + 1;
  }
  d.table = table;
  d.mask = mask;
}

function insert(d: Dict, at: number, h: number, key: string): number {
  const id = d.keys.length;
  d.keys.push(key);
  d.hashes.push(h);
  d.table[at] = id + 1;
  if (d.keys.length * 2 > d.table.length) grow(d);
  return id;
}

/** The id of `key`, or -1. */
export function dictGet(d: Dict, key: string): number {
  const h = hashKey(key);
  for (let at = h & d.mask; ; at = (at + 1) & d.mask) {
    const slot = d.table[at] as number;
    if (slot === 0) return -1;
    if (d.hashes[slot - 1] === h && d.keys[slot - 1] === key) return slot - 1;
  }
}

/** The id of `key`, added when new. */
export function dictIntern(d: Dict, key: string): number {
  const h = hashKey(key);
  for (let at = h & d.mask; ; at = (at + 1) & d.mask) {
    const slot = d.table[at] as number;
    if (slot === 0) return insert(d, at, h, key);
    if (d.hashes[slot - 1] === h && d.keys[slot - 1] === key) return slot - 1;
  }
}

/**
 * Interns text[s, e) whose units each fold to at most one unit (FOLD_MAP); `h` is the
 * hash of the folded units and `units` their number. Builds the key only when new.
 */
function internFolded(
  d: Dict,
  text: string,
  s: number,
  e: number,
  h: number,
  units: number,
  changed: number,
): number {
  const FM = FOLD_MAP;
  for (let at = h & d.mask; ; at = (at + 1) & d.mask) {
    const slot = d.table[at] as number;
    if (slot === 0) {
      // new key: build it the cheapest way
      const key =
        changed === 0
          ? text.slice(s, e)
          : changed === 1
            ? text.slice(s, e).toLowerCase()
            : foldRange(text, s, e);
      return insert(d, at, h, key);
    }
    if (d.hashes[slot - 1] === h) {
      const k = d.keys[slot - 1] as string;
      if (k.length === units) {
        let j = 0;
        let same = true;
        for (let i = s; i < e; i++) {
          const m = FM[text.charCodeAt(i)] as number;
          if (m === FOLD_EMPTY) continue;
          if (m !== k.charCodeAt(j++)) {
            same = false;
            break;
          }
        }
        if (same) return slot - 1;
      }
    }
  }
}

// Scratch dictionary for callers that do not keep one (queries, fingerprints).
let scratch = newDict(8192);

/** Reused scan buffers (the tokenizer is synchronous, so one set suffices). */
export const buf = {
  starts: new Int32Array(1024),
  ends: new Int32Array(1024),
  ids: new Int32Array(1024),
  subs: new Uint8Array(1024),
};

function growBuf(): void {
  const cap = buf.starts.length * 2;
  const s2 = new Int32Array(cap);
  s2.set(buf.starts);
  buf.starts = s2;
  const e2 = new Int32Array(cap);
  e2.set(buf.ends);
  buf.ends = e2;
  const i2 = new Int32Array(cap);
  i2.set(buf.ids);
  buf.ids = i2;
  const u2 = new Uint8Array(cap);
  u2.set(buf.subs);
  buf.subs = u2;
}

/** The dictionary to use: `dict`, or the shared scratch one. */
export function dictOrScratch(dict?: Dict): Dict {
  if (dict !== undefined) return dict;
  if (scratch.keys.length > 8192) scratch = newDict(8192);
  return scratch;
}

/**
 * Scans `text` into the shared buffers `buf` (valid until the next scan) and returns
 * the number of tokens. Keys are interned into `dict`. Never throws.
 */
export function scan(text: string, dict: Dict): number {
  const len = typeof text === "string" ? text.length : 0;
  let n = 0;
  // the buffers in locals (grown in place, stored back in `buf`)
  let bStarts = buf.starts;
  let bEnds = buf.ends;
  let bIds = buf.ids;
  let bSubs = buf.subs;
  let cap = bStarts.length;
  const T = CLASS_TABLE;
  const FM = FOLD_MAP;
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
    let id: number;
    let sub = 0;
    if (k === SUB) {
      i += cpLen(text, i);
      while (i < len) {
        const c = text.charCodeAt(i);
        let kk = T[c] as number;
        if (kk >= 254) kk = classAt(text, i);
        if (kk !== MARK) break;
        i += cpLen(text, i);
      }
      id = dictIntern(dict, foldRange(text, start, i));
      sub = 1;
    } else {
      // WORD, or a MARK with no base before it. While every unit folds to at most one
      // unit (`simple`), hash the folded units on the fly and intern without building
      // the key string unless it is new.
      let simple = true;
      let units = 0;
      let changed = 0; // 0: key is the text; 1: only ASCII capitals lowered; 2: other folding
      let h = FNV_OFFSET;
      let c = c0;
      for (;;) {
        if (c < 128) {
          // ASCII: letters and digits only reach here (folding lowers capitals)
          if (c <= 90 && c >= 65) {
            c += 32;
            changed |= 1;
          }
          h = Math.imul(h ^ c, FNV_PRIME);
          units++;
          i++;
        } else {
          if (simple) {
            let m = FM[c] as number;
            if (m === -1) m = foldUnit(c);
            if (m >= 0) {
              h = Math.imul(h ^ m, FNV_PRIME);
              units++;
              if (m !== c) changed = 2;
            } else if (m === FOLD_COMPLEX) {
              simple = false;
            } else {
              changed = 2; // removed (a mark, tatweel...)
            }
          }
          if (c >= 0xd800 && c <= 0xdbff) i += cpLen(text, i);
          else i++;
        }
        if (i >= len) break;
        c = text.charCodeAt(i);
        let kk = T[c] as number;
        if (kk >= 254) kk = classAt(text, i);
        if (kk !== WORD && kk !== MARK) break;
      }
      if (simple) {
        if (units === 0) continue; // e.g. a lone tatweel or joiner
        id = internFolded(dict, text, start, i, h, units, changed);
      } else {
        const key = foldRange(text, start, i);
        if (key.length === 0) continue;
        id = dictIntern(dict, key);
      }
    }
    if (n === cap) {
      growBuf();
      bStarts = buf.starts;
      bEnds = buf.ends;
      bIds = buf.ids;
      bSubs = buf.subs;
      cap = bStarts.length;
    }
    bStarts[n] = start;
    bEnds[n] = i;
    bIds[n] = id;
    bSubs[n] = sub;
    n++;
  }
  return n;
}

/** Splits `text` into tokens, interning keys into `dict` (a shared scratch one when absent). Never throws. */
export function tokenize(text: string, dict?: Dict): Tokens {
  const d = dictOrScratch(dict);
  const n = scan(text, d);
  return {
    n,
    starts: buf.starts.slice(0, n),
    ends: buf.ends.slice(0, n),
    ids: buf.ids.slice(0, n),
    sub: buf.subs.slice(0, n),
  };
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
