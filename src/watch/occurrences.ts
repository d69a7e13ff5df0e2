/**
 * Occurrence lists of one document and the small tools that build them: exact phrases
 * (`sequence`), a k-way merge heap, sort keys of occurrences, sorted-list searches, and an
 * arena for result arrays. Shared by the evaluator, proximity and the hits merge.
 */
import { type DocIndex, EMPTY, type FieldIndex, NO_OCC, type Occ, tokenResult } from "./doc.ts";
import type { QueryToken } from "./query.ts";
import { dictGet, onlyLineBreaks } from "./tokenize.ts";

/** Words occurring at least once in this many tokens are dense: reading the tokens in order beats merging their lists. */
export const DENSE = 8;

/** Hits reported per query at most (the match and `total` are unaffected). */
export const MAX_HITS_PER_QUERY = 50;

/** Splits term tokens into units: a word, or a run of glued CJK characters. */
export function units(tokens: QueryToken[]): QueryToken[][] {
  const out: QueryToken[][] = [];
  for (const t of tokens) {
    const last = out[out.length - 1];
    if (t.glued && last) last.push(t);
    else out.push([t]);
  }
  return out;
}

// ---------------------------------------------------------------------------
// A small binary min-heap of list indices keyed by a number, ties by index (k-way merges).

export class Heap {
  keys: Float64Array;
  ids: Int32Array;
  n = 0;
  constructor(cap: number) {
    this.keys = new Float64Array(cap);
    this.ids = new Int32Array(cap);
  }
  /** Empties the heap, growing it to hold `cap` entries (so one heap can be reused). */
  reset(cap: number): this {
    if (this.keys.length < cap) {
      this.keys = new Float64Array(cap * 2);
      this.ids = new Int32Array(cap * 2);
    }
    this.n = 0;
    return this;
  }
  push(key: number, id: number): void {
    let i = this.n++;
    const keys = this.keys;
    const ids = this.ids;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const kp = keys[p] as number;
      if (kp < key || (kp === key && (ids[p] as number) <= id)) break;
      keys[i] = keys[p] as number;
      ids[i] = ids[p] as number;
      i = p;
    }
    keys[i] = key;
    ids[i] = id;
  }
  /** Replaces the top with (key, id), or removes it when `id` < 0. */
  replaceTop(key: number, id: number): void {
    const keys = this.keys;
    const ids = this.ids;
    if (id < 0) {
      this.n--;
      if (this.n === 0) return;
      key = keys[this.n] as number;
      id = ids[this.n] as number;
    }
    const n = this.n;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      const kl = keys[c] as number;
      const kr = keys[c + 1] as number;
      if (c + 1 < n && (kr < kl || (kr === kl && (ids[c + 1] as number) < (ids[c] as number)))) c++;
      const kc = keys[c] as number;
      if (kc > key || (kc === key && (ids[c] as number) >= id)) break;
      keys[i] = keys[c] as number;
      ids[i] = ids[c] as number;
      i = c;
    }
    keys[i] = key;
    ids[i] = id;
  }
}

/** Sort key of an occurrence: field, then first token, then last token (exact in a double for positions < 2^26). */
export function occKey(field: number, s: number, e: number): number {
  return field * 2 ** 52 + s * 2 ** 26 + (e - s);
}

// ---------------------------------------------------------------------------
// Terms

function tokenMatches(d: DocIndex, f: FieldIndex, p: number, q: QueryToken, qid: number): boolean {
  const id = f.toks.ids[p] as number;
  const fs = d.forms[id];
  if (q.prefix) {
    if ((d.keys[id] as string).startsWith(q.key)) return true;
    if (fs)
      for (let i = 0; i < fs.length; i++)
        if ((d.keys[fs[i] as number] as string).startsWith(q.key)) return true;
    return false;
  }
  if (id === qid) return true;
  if (fs) for (let i = 0; i < fs.length; i++) if (fs[i] === qid) return true;
  return false;
}

// Marks per key id of the document being matched (all zero between uses): an OR's words,
// a dense proximity's parts. One user at a time: matching is synchronous.
let keyMarkArray = new Int32Array(1024);

/** The key-mark scratch, with room for a document of `keys` keys. */
export function keyMarks(keys: number): Int32Array {
  if (keyMarkArray.length < keys) keyMarkArray = new Int32Array(keys * 2);
  return keyMarkArray;
}

/**
 * The mark of token key `id`, else (`arabic`) of the first of its clitic-stripped Arabic
 * forms that has one: a token matches the words among its forms too. 0: none.
 */
export function markOfToken(
  marks: Int32Array,
  forms: DocIndex["forms"],
  id: number,
  arabic: boolean,
): number {
  const m = marks[id] as number;
  if (m !== 0 || !arabic) return m;
  const fs = forms[id];
  if (fs !== undefined)
    for (let i = 0; i < fs.length; i++) {
      const f = marks[fs[i] as number] as number;
      if (f !== 0) return f;
    }
  return 0;
}

// Result arrays are views into shared chunks: a typed array over 64 bytes gets a backing
// store of its own (about a microsecond to make and to collect), a view about 50 ns.
const ARENA_INTS = 1 << 16;
let arena = new Int32Array(ARENA_INTS);
let arenaAt = 0;

/** A fresh (zeroed) Int32Array of `n` elements, a view into the current chunk when small. */
function allocInts(n: number): Int32Array {
  if (n === 0) return EMPTY;
  if (n > ARENA_INTS >> 4) return new Int32Array(n);
  if (arenaAt + n > arena.length) {
    arena = new Int32Array(ARENA_INTS);
    arenaAt = 0;
  }
  const a = arena.subarray(arenaAt, arenaAt + n);
  arenaAt += n;
  return a;
}

/** A copy of `src[0 .. n)` from `allocInts`. */
export function copyInts(src: Int32Array, n: number): Int32Array {
  const out = allocInts(n);
  for (let i = 0; i < n; i++) out[i] = src[i] as number;
  return out;
}

// Scratch for `sequence` (synchronous, never re-entered): token key ids, candidate starts.
let seqIds = new Int32Array(128);
let seqOut = new Int32Array(1024);

/**
 * Occurrences of an exact token sequence. Anchored on its rarest exact token, each
 * candidate checked token by token (stopping at the first mismatch).
 */
export function sequence(d: DocIndex, fi: 0 | 1, seq: QueryToken[]): Occ {
  const f = d.fields[fi];
  const len = seq.length;
  if (len === 1) {
    // the per-document cached lists (no allocation: read by every query with this word)
    return tokenResult(d, seq[0] as QueryToken).occ[fi];
  }
  if (seqIds.length < len) seqIds = new Int32Array(len * 2);
  const qids = seqIds;
  const off = f.off;
  let anchor = -1;
  let anchorAt = 0;
  let anchorN = 0;
  for (let j = 0; j < len; j++) {
    const q = seq[j] as QueryToken;
    if (q.prefix) {
      qids[j] = -1;
      continue;
    }
    const id = dictGet(d.dict, q.key);
    if (id < 0) return NO_OCC;
    qids[j] = id;
    const a = off[id] as number;
    const c = (off[id + 1] as number) - a;
    if (c === 0) return NO_OCC;
    if (anchor < 0 || c < anchorN) {
      anchor = j;
      anchorAt = a;
      anchorN = c;
    }
  }
  let anchorPs = f.pos;
  if (anchor < 0) {
    anchor = 0;
    anchorPs = tokenResult(d, seq[0] as QueryToken).occ[fi].s;
    anchorAt = 0;
    anchorN = anchorPs.length;
  }
  const n = f.toks.n;
  const starts = f.toks.starts;
  const ends = f.toks.ends;
  if (seqOut.length < anchorN) seqOut = new Int32Array(anchorN * 2);
  const out = seqOut;
  let w = 0;
  outer: for (let i = 0; i < anchorN; i++) {
    const p = (anchorPs[anchorAt + i] as number) - anchor;
    if (p < 0) continue;
    if (p + len > n) break;
    for (let j = 0; j < len; j++) {
      if (j === anchor) continue;
      const q = seq[j] as QueryToken;
      if (!tokenMatches(d, f, p + j, q, qids[j] as number)) continue outer;
    }
    for (let j = 1; j < len; j++) {
      if (!(seq[j] as QueryToken).glued) continue;
      const prevEnd = ends[p + j - 1] as number;
      const start = starts[p + j] as number;
      if (prevEnd !== start && !onlyLineBreaks(f.text, prevEnd, start)) continue outer;
    }
    out[w++] = p;
  }
  if (w === 0) return NO_OCC;
  const s = copyInts(out, w);
  const e = allocInts(w);
  for (let i = 0; i < w; i++) e[i] = (s[i] as number) + len - 1;
  return { s, e };
}

/**
 * The first index in xs[from .. end) of sorted `xs` whose value is >= `v`, else end: a
 * short linear scan (targets are usually a few elements on, in the same cache line),
 * then galloping, so O(log distance) and few cache lines touched.
 */
export function lowerBoundTo(xs: Int32Array, from: number, end: number, v: number): number {
  const near = Math.min(end, from + 16);
  let a = from;
  while (a < near && (xs[a] as number) < v) a++;
  if (a < near || a === end) return a;
  let step = 16;
  let b = a;
  while (b < end && (xs[b] as number) < v) {
    a = b + 1;
    b += step;
    step *= 2;
  }
  if (b > end) b = end;
  while (a < b) {
    const m = (a + b) >>> 1;
    if ((xs[m] as number) < v) a = m + 1;
    else b = m;
  }
  return a;
}
