/**
 * Evaluating parsed queries on an indexed document. Every distinct term is evaluated
 * once per document (cached on the document), so a query costs O(its terms) plus its
 * output; hits of a query come from one k-way merge of its matched terms' occurrence
 * lists (`hitsOf`), stopped at MAX_HITS_PER_QUERY.
 */
import {
  type DocIndex,
  EMPTY,
  EMPTY_RESULT,
  type FieldIndex,
  keyPositions,
  keyResult,
  keyResultOf,
  NO_OCC,
  type Occ,
  prefixResult,
  type TermResult,
} from "./doc.ts";
import type { Query, QueryToken, TermNode } from "./query.ts";
import { snippet } from "./snippets.ts";
import { dictGet, onlyLineBreaks } from "./tokenize.ts";

/** One occurrence of a query's term: UTF-16 offsets into that field as given. */
export interface Hit {
  field: "text" | "title";
  start: number;
  end: number;
  text: string;
  snippet: string;
}

export interface QueryMatch {
  query: string;
  /** The first MAX_HITS_PER_QUERY hits: title first, then text, by position. */
  hits: Hit[];
  /**
   * Occurrences of the query's matched positive terms, all of them (each distinct term
   * counted once; a span matched by two different terms, e.g. `china OR chin*`, counts
   * twice). Computed without walking the occurrences, so it never costs more than the terms.
   */
  total: number;
}

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

class Heap {
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
function occKey(field: number, s: number, e: number): number {
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

/** Ascending positions of tokens matching one query token in field `fi`. */
function tokenPositions(d: DocIndex, fi: 0 | 1, q: QueryToken): Int32Array {
  if (q.prefix) return prefixResult(d, q.key).occ[fi].s;
  const id = dictGet(d.dict, q.key);
  return id < 0 ? EMPTY : keyPositions(d.fields[fi], id);
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
function copyInts(src: Int32Array, n: number): Int32Array {
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
function sequence(d: DocIndex, fi: 0 | 1, seq: QueryToken[]): Occ {
  const f = d.fields[fi];
  const len = seq.length;
  if (len === 1) {
    // the per-document cached lists (no allocation: read by every query with this word)
    const q = seq[0] as QueryToken;
    return (q.prefix ? prefixResult(d, q.key) : keyResultOf(d, q.key)).occ[fi];
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
    anchorPs = tokenPositions(d, fi, seq[0] as QueryToken);
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
 * The first index >= `from` of sorted `xs` whose value is >= `v`: a short linear scan
 * (targets are usually a few elements on, in the same cache line), then galloping, so
 * O(log distance) and few cache lines touched.
 */
function lowerBound(xs: Int32Array, from: number, v: number): number {
  return lowerBoundTo(xs, from, xs.length, v);
}

/** `lowerBound` within xs[from .. end): end when no value there is >= v. */
function lowerBoundTo(xs: Int32Array, from: number, end: number, v: number): number {
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

/**
 * The first index >= h of sorted `ps` whose value lies within `span` of a value of
 * sorted `anchors`, scanning anchors from `reg[u]` on (advanced in place), or ps.length.
 * Skips by galloping search, so the lists are read only near the anchors.
 */
function nextNear(
  ps: Int32Array,
  h: number,
  anchors: Int32Array,
  span: number,
  reg: Int32Array,
  u: number,
): number {
  let r = reg[u] as number;
  let i = h;
  while (i < ps.length && r < anchors.length) {
    const v = ps[i] as number;
    const c = anchors[r] as number;
    if (v > c + span) r = lowerBound(anchors, r + 1, v - span);
    else if (v >= c - span) break;
    else i = lowerBound(ps, i + 1, c - span);
  }
  reg[u] = r;
  return r < anchors.length ? i : ps.length;
}

/**
 * Scratch arrays for `proximity`, reused across calls (module-level: matching is
 * synchronous and `proximity` never re-enters itself), so a call allocates only its result.
 */
const px = {
  parts: 0,
  events: 0,
  tokens: 0,
  reg: new Int32Array(0),
  head: new Int32Array(0),
  lenOf: new Int32Array(0),
  groupOf: new Int32Array(0),
  prev: new Int32Array(0),
  next: new Int32Array(0),
  latest: new Int32Array(0),
  pending: new Int32Array(0),
  isPending: new Uint8Array(0),
  initH: new Int32Array(0),
  initOrder: new Int32Array(0),
  initKey: new Float64Array(0),
  chosen: new Int32Array(0),
  evS: new Int32Array(0),
  evE: new Int32Array(0),
  evU: new Int32Array(0),
  /** Per event: the same part's previous event, or -1. */
  evPrev: new Int32Array(0),
  recorded: new Uint8Array(0),
  /** Per token: 1 while taken by an occurrence chosen in `resolveWindow` (all zero between uses). */
  taken: new Uint8Array(0),
  heap: new Heap(64),
  newest: new Heap(64),
  occ: [] as Occ[],
};

/** Ensures room for `k` parts, the per-part arrays reset. */
function pxParts(k: number): void {
  if (px.parts < k) {
    const n = Math.max(k, px.parts * 2);
    px.parts = n;
    px.reg = new Int32Array(n);
    px.head = new Int32Array(n);
    px.lenOf = new Int32Array(n);
    px.groupOf = new Int32Array(n);
    px.prev = new Int32Array(n);
    px.next = new Int32Array(n);
    px.latest = new Int32Array(n);
    px.pending = new Int32Array(n);
    px.isPending = new Uint8Array(n);
    px.initH = new Int32Array(n);
    px.initOrder = new Int32Array(n);
    px.initKey = new Float64Array(n);
    px.chosen = new Int32Array(n);
  }
  px.reg.fill(0, 0, k);
  px.prev.fill(-1, 0, k);
  px.next.fill(-1, 0, k);
  px.latest.fill(-1, 0, k);
  px.isPending.fill(0, 0, k);
}

/** Ensures room for `events` events (kept all zero in `recorded` between calls). */
function pxEvents(events: number): void {
  if (px.events < events) {
    const n = Math.max(events, px.events * 2);
    const grow = <T extends Int32Array | Uint8Array>(a: T, b: T): T => {
      b.set(a);
      return b;
    };
    px.evS = grow(px.evS, new Int32Array(n));
    px.evE = grow(px.evE, new Int32Array(n));
    px.evU = grow(px.evU, new Int32Array(n));
    px.evPrev = grow(px.evPrev, new Int32Array(n));
    px.recorded = grow(px.recorded, new Uint8Array(n));
    px.events = n;
  }
}

/**
 * True when two parts of a proximity can match one token: a prefix, a CJK run (its
 * characters can be other parts), or two Arabic words (one can be the other's clitic
 * form: بالصين is also indexed as الصين). Only then can the latest occurrences overlap.
 */
function partsMayShare(uniq: QueryToken[][]): boolean {
  let arabic = 0;
  for (const u of uniq) {
    if (u.length > 1) return true;
    const q = u[0] as QueryToken;
    if (q.prefix) return true;
    const c = q.key.charCodeAt(0);
    if (c >= 0x0621 && c <= 0x064a && ++arabic > 1) return true;
  }
  return false;
}

/**
 * The window at event `newest` when the parts' latest occurrences overlap: newest first,
 * each part takes its latest occurrence sharing no token with one already taken (the
 * latest occurrences themselves when none overlap). Writes the k events to `px.chosen`
 * and returns true when every part got one and at most `slop` other tokens lie between
 * them. Stops at the first event too early for any matching window, so its cost is
 * O((parts + occurrences skipped) · log parts).
 */
function resolveWindow(k: number, newest: number, sumLen: number, slop: number): boolean {
  const { latest, evS, evE, evPrev, chosen, taken } = px;
  const heap = px.newest.reset(k);
  // a max-heap of event indices: keys negated
  for (let u = 0; u < k; u++) heap.push(-(latest[u] as number), u);
  // the newest event is always taken, so a matching window starts at or after `low`
  const low = (evE[newest] as number) + 1 - sumLen - slop;
  let got = 0;
  let firstStart = Number.POSITIVE_INFINITY;
  let lastEnd = -1;
  while (got < k) {
    const ev = -(heap.keys[0] as number);
    const s = evS[ev] as number;
    const e = evE[ev] as number;
    if (s < low) break;
    let free = true;
    for (let p = s; p <= e && free; p++) free = taken[p] === 0;
    if (free) {
      for (let p = s; p <= e; p++) taken[p] = 1;
      chosen[got++] = ev;
      if (s < firstStart) firstStart = s;
      if (e > lastEnd) lastEnd = e;
      heap.replaceTop(0, -1);
      continue;
    }
    const before = evPrev[ev] as number;
    if (before < 0) break;
    heap.replaceTop(-before, heap.ids[0] as number);
  }
  for (let j = 0; j < got; j++) {
    const ev = chosen[j] as number;
    for (let p = evS[ev] as number; p <= (evE[ev] as number); p++) taken[p] = 0;
  }
  return got === k && lastEnd - firstStart + 1 - sumLen <= slop;
}

/**
 * Marks event `ev` recorded; true when it is a new distinct span (two parts matching the
 * same tokens record one span: such events are neighbours in merge order, up to `last`).
 */
function recordEvent(ev: number, last: number): boolean {
  const { evS, evE, recorded } = px;
  if (recorded[ev] === 1) return false;
  recorded[ev] = 1;
  const es = evS[ev] as number;
  const ee = evE[ev] as number;
  for (let j = ev - 1; j >= 0 && evS[j] === es && evE[j] === ee; j--)
    if (recorded[j] === 1) return false;
  for (let j = ev + 1; j <= last && evS[j] === es && evE[j] === ee; j++)
    if (recorded[j] === 1) return false;
  return true;
}

/** `proximityDense` is used when the parts occur at least once in this many tokens. */
const DENSE = 8;

// Scratch for `proximityDense`: per key id its part + 1 (all zero between uses); the hits.
let partOfKey = new Int32Array(1024);
let byLatest = new Float64Array(128);
let denseHits = new Int32Array(MAX_HITS_PER_QUERY + 128);

/**
 * `proximity` when every part is one exact word, no two can match one token (see
 * `partsMayShare`) and together they fill at least one token in DENSE: the field's tokens
 * near the rarest part are read in order, each mapped to its part by key, instead of a heap
 * merge of the parts' lists (O(tokens read) <= O(DENSE · postings)). The same windows: each
 * part's latest position, matching when at most `slop` other tokens lie between the oldest
 * and the newest; the same hits and the same stop at MAX_HITS_PER_QUERY.
 */
function proximityDense(
  d: DocIndex,
  fi: 0 | 1,
  k: number,
  partIds: Int32Array,
  arabic: boolean,
  slop: number,
  rarest: number,
): Occ {
  const f = d.fields[fi];
  const n = f.toks.n;
  const off = f.off;
  const pos = f.pos;
  const span = slop + k;
  // the rarest part's positions (the anchors): pos[aLo .. aHi)
  const aLo = off[partIds[rarest] as number] as number;
  const aHi = off[(partIds[rarest] as number) + 1] as number;
  pxParts(k);
  const { latest, prev, next, isPending, head } = px;
  // Jump-start (as in `proximity`): no window is complete before the point where the last
  // part first occurs near an anchor, so the scan starts there, each other part taking its
  // last occurrence before it.
  let startS = -1;
  for (let u = 0; u < k; u++) {
    const id = partIds[u] as number;
    const end = off[id + 1] as number;
    // the part's first position within `span` of an anchor
    let i = off[id] as number;
    let r = aLo;
    while (i < end && r < aHi) {
      const v = pos[i] as number;
      const c = pos[r] as number;
      if (v > c + span) r = lowerBoundTo(pos, r + 1, aHi, v - span);
      else if (v >= c - span) break;
      else i = lowerBoundTo(pos, i + 1, end, c - span);
    }
    if (i >= end || r >= aHi) return NO_OCC;
    head[u] = i;
    if ((pos[i] as number) > startS) startS = pos[i] as number;
  }
  if (partOfKey.length < d.keys.length) partOfKey = new Int32Array(d.keys.length * 2);
  if (denseHits.length < MAX_HITS_PER_QUERY + k)
    denseHits = new Int32Array(MAX_HITS_PER_QUERY + k * 2);
  const partOf = partOfKey;
  const out = denseHits;
  for (let u = 0; u < k; u++) partOf[partIds[u] as number] = u + 1;
  const ids = f.toks.ids;
  const forms = d.forms;
  let first = -1;
  let last = -1;
  // The first matching window: the first position p >= startS where every part occurs
  // within the W tokens up to p. Found from the parts' postings, not token by token: the
  // part with the oldest known occurrence moves to its last at or before p, and when it
  // has none within W, no window ends before its next occurrence, which becomes p.
  const W = slop + k - 1;
  const heap = px.heap.reset(k);
  for (let u = 0; u < k; u++) heap.push(pos[head[u] as number] as number, u);
  let p = startS;
  for (;;) {
    const u = heap.ids[0] as number;
    let i = head[u] as number;
    if ((pos[i] as number) >= p - W) break;
    const end = off[(partIds[u] as number) + 1] as number;
    i = lowerBoundTo(pos, i, end, p + 1) - 1;
    if ((pos[i] as number) < p - W) {
      if (++i >= end) {
        for (let v = 0; v < k; v++) partOf[partIds[v] as number] = 0;
        return NO_OCC;
      }
      p = pos[i] as number;
    }
    head[u] = i;
    heap.replaceTop(pos[i] as number, u);
  }
  // there every part's latest occurrence is in the window: linked oldest first (sorted as
  // position * k + part in one typed array: a native numeric sort), all hits
  if (byLatest.length < k) byLatest = new Float64Array(k * 2);
  for (let u = 0; u < k; u++) {
    const end = off[(partIds[u] as number) + 1] as number;
    const q = pos[lowerBoundTo(pos, head[u] as number, end, p + 1) - 1] as number;
    latest[u] = q;
    byLatest[u] = q * k + u;
  }
  const order = byLatest.subarray(0, k).sort();
  for (let j = 0; j < k; j++) {
    const u = (order[j] as number) % k;
    prev[u] = last;
    next[u] = -1;
    if (last >= 0) next[last] = u;
    else first = u;
    last = u;
  }
  let npending = 0;
  let distinct = 0;
  for (let v = first; v >= 0; v = next[v] as number) out[distinct++] = latest[v] as number;
  // then token by token, each part's latest occurrence kept in order of position
  let r = lowerBoundTo(pos, aLo, aHi, p + 1 - span);
  for (p++; p < n && r < aHi && distinct < MAX_HITS_PER_QUERY; p++) {
    if (p > (pos[r] as number) + span) {
      r = lowerBoundTo(pos, r + 1, aHi, p - span);
      if (r >= aHi) break;
      const lo = (pos[r] as number) - span;
      if (p < lo) p = lo;
    }
    const id = ids[p] as number;
    let u = (partOf[id] as number) - 1;
    if (u < 0) {
      // an Arabic part also matches the words it is a clitic-stripped form of
      const fs = arabic ? forms[id] : undefined;
      if (fs === undefined) continue;
      for (let j = 0; j < fs.length && u < 0; j++) u = (partOf[fs[j] as number] as number) - 1;
      if (u < 0) continue;
    }
    if (last !== u) {
      // u moves to the end of the list
      const a = prev[u] as number;
      const b = next[u] as number;
      if (a >= 0) next[a] = b;
      else first = b;
      prev[b] = a;
      prev[u] = last;
      next[u] = -1;
      next[last] = u;
      last = u;
    }
    latest[u] = p;
    if (isPending[u] === 0) {
      isPending[u] = 1;
      npending++;
    }
    if (p - (latest[first] as number) + 1 - k > slop) continue;
    // The parts updated since the last matching window are the list's last `npending`,
    // in position order, all after every position recorded so far: appended in order.
    let v = last;
    for (let j = 1; j < npending; j++) v = prev[v] as number;
    for (; v >= 0; v = next[v] as number) {
      isPending[v] = 0;
      out[distinct++] = latest[v] as number;
    }
    npending = 0;
    if (distinct >= MAX_HITS_PER_QUERY) break;
  }
  for (let u = 0; u < k; u++) partOf[partIds[u] as number] = 0;
  const hits = copyInts(out, distinct);
  return { s: hits, e: hits };
}

/**
 * `"a b c"~N` in one field: every occurrence of a part that takes part in a matching
 * window. Scanning the parts' occurrences left to right (equal spans by part order), the
 * window at each occurrence is, newest first, each part's latest occurrence that shares no
 * token with one already in the window (so each part takes its own tokens: بالصين cannot
 * be both الصين and بالصين); it matches when every part is in it and at most N other
 * tokens lie between them.
 *
 * One pass over the parts' occurrence lists merged lazily by a heap: per occurrence
 * O(log parts + its length), the window of latest occurrences' first start, last end,
 * covered length and overlaps kept incrementally, each occurrence recorded at most once.
 * Only when the latest occurrences overlap (parts that can share a token, see
 * `partsMayShare`) is the window rebuilt by `resolveWindow`. Two bounds keep hostile
 * queries cheap and change no answer:
 * - a matching window spans at most N + (all parts' lengths) tokens and contains the
 *   rarest part, so only occurrences that close to one of the rarest part's are read;
 * - the pass stops once MAX_HITS_PER_QUERY distinct hits are recorded (`count` is then a lower bound).
 */
function proximity(d: DocIndex, fi: 0 | 1, parts: Parts, partIds: Int32Array, slop: number): Occ {
  const uniq = parts.units;
  const k = uniq.length;
  const f = d.fields[fi];
  if (k > 1 && parts.words && !parts.mayShare) {
    // one-word parts: counts straight from the postings offsets (no result objects)
    const off = f.off;
    let total = 0;
    let rarest = 0;
    let rarestN = 0;
    for (let u = 0; u < k; u++) {
      const id = partIds[u] as number;
      const c = (off[id + 1] as number) - (off[id] as number);
      if (c === 0) return NO_OCC;
      total += c;
      if (u === 0 || c < rarestN) {
        rarest = u;
        rarestN = c;
      }
    }
    if (total * DENSE >= f.toks.n)
      return proximityDense(d, fi, k, partIds, parts.arabic, slop, rarest);
  }
  const occ = px.occ;
  occ.length = 0;
  let rarest = 0;
  let span = slop;
  for (let u = 0; u < k; u++) {
    const id = partIds[u] as number;
    const o = id >= 0 ? keyResult(d, id).occ[fi] : sequence(d, fi, uniq[u] as QueryToken[]);
    if (o.s.length === 0) return NO_OCC;
    if (o.s.length < (occ[rarest] ?? o).s.length) rarest = u;
    occ.push(o);
    span += (uniq[u] as QueryToken[]).length;
  }
  if (k === 1) return occ[0] as Occ;
  const sumLen = span - slop;
  // Only occurrences within `span` of one of the rarest part's are read.
  const anchors = (occ[rarest] as Occ).s;
  const mayShare = parts.mayShare;
  pxParts(k);
  const reg = px.reg;
  const head = px.head;
  let events = 0;
  for (let u = 0; u < k; u++) {
    const o = occ[u] as Occ;
    const h = nextNear(o.s, 0, anchors, span, reg, u);
    if (h >= o.s.length) return NO_OCC;
    head[u] = h;
    events += o.s.length - h;
  }
  // The processed events, in merge order (room grown as the pass goes: it may stop early).
  let cap = Math.min(events, Math.max(256, px.events));
  pxEvents(cap);
  let evS = px.evS;
  let evE = px.evE;
  let evU = px.evU;
  let evPrev = px.evPrev;
  let recorded = px.recorded;
  // Jump-start: until every part has occurred no window is complete, so nothing before
  // the point where the last part first occurs is ever recorded; only each part's latest
  // occurrence up to there matters. Those k events are processed first (in merge order),
  // then the rest through the heap. Not when parts can share a token: a window may then
  // take a part's earlier occurrences.
  const jump = mayShare ? 0 : k;
  const initH = px.initH;
  const initKey = px.initKey;
  const initOrder = px.initOrder;
  if (!mayShare) {
    let startKey = 0;
    for (let u = 0; u < k; u++) {
      const o = occ[u] as Occ;
      const h = head[u] as number;
      startKey = Math.max(startKey, occKey(0, o.s[h] as number, o.e[h] as number));
    }
    const startS = Math.floor(startKey / 2 ** 26);
    for (let u = 0; u < k; u++) {
      const o = occ[u] as Occ;
      // the last occurrence at or before startKey (o is sorted by the same key): the first
      // whose start is past startKey's, then back over equal starts with later ends
      let a = lowerBound(o.s, head[u] as number, startS + 1);
      while (a > 0 && occKey(0, o.s[a - 1] as number, o.e[a - 1] as number) > startKey) a--;
      initH[u] = a - 1;
      const key = occKey(0, o.s[a - 1] as number, o.e[a - 1] as number);
      initKey[u] = key;
      // insertion sort by key (k is small; no comparator calls)
      let j = u;
      while (j > 0 && (initKey[initOrder[j - 1] as number] as number) > key) {
        initOrder[j] = initOrder[j - 1] as number;
        j--;
      }
      initOrder[j] = u;
      head[u] = nextNear(o.s, a, anchors, span, reg, u);
    }
  }
  const heap = px.heap.reset(k);
  for (let u = 0; u < k; u++) {
    const o = occ[u] as Occ;
    const h = head[u] as number;
    if (h < o.s.length) heap.push(occKey(0, o.s[h] as number, o.e[h] as number), u);
  }
  // Parts grouped by length: a group's latest event has the group's last end.
  const lenOf = px.lenOf;
  const groupOf = px.groupOf;
  const groupLens: number[] = [];
  for (let u = 0; u < k; u++) {
    const len = (uniq[u] as QueryToken[]).length;
    lenOf[u] = len;
    let g = groupLens.indexOf(len);
    if (g < 0) {
      g = groupLens.length;
      groupLens.push(len);
    }
    groupOf[u] = g;
  }
  const groupLast = new Int32Array(groupLens.length).fill(-1);
  // Parts in order of their latest update (a linked list): the first holds the window's first start.
  const prev = px.prev;
  const next = px.next;
  let first = -1;
  let last = -1;
  const latest = px.latest;
  const pending = px.pending;
  const isPending = px.isPending;
  let npending = 0;
  let cover = d.cover;
  const tokens = Math.max(d.fields[0].toks.n, d.fields[1].toks.n);
  if (cover === null || cover.length < f.toks.n) {
    cover = new Int32Array(tokens);
    d.cover = cover;
  }
  if (mayShare && px.tokens < f.toks.n) {
    px.taken = new Uint8Array(tokens);
    px.tokens = tokens;
  }
  let distinct = 0;
  let have = 0;
  let covered = 0;
  let overlaps = 0;
  let i = 0;
  for (; i < jump || heap.n > 0; i++) {
    let u: number;
    let s: number;
    let e: number;
    if (i < jump) {
      u = initOrder[i] as number;
      const o = occ[u] as Occ;
      s = o.s[initH[u] as number] as number;
      e = o.e[initH[u] as number] as number;
    } else {
      u = heap.ids[0] as number;
      const o = occ[u] as Occ;
      const h = head[u] as number;
      s = o.s[h] as number;
      e = o.e[h] as number;
      const h2 = nextNear(o.s, h + 1, anchors, span, reg, u);
      head[u] = h2;
      if (h2 < o.s.length) heap.replaceTop(occKey(0, o.s[h2] as number, o.e[h2] as number), u);
      else heap.replaceTop(0, -1);
    }
    if (i === cap) {
      cap = Math.min(events, cap * 4);
      pxEvents(cap);
      evS = px.evS;
      evE = px.evE;
      evU = px.evU;
      evPrev = px.evPrev;
      recorded = px.recorded;
    }
    const old = latest[u] as number;
    evS[i] = s;
    evE[i] = e;
    evU[i] = u;
    evPrev[i] = old;
    if (old >= 0) {
      for (let p = evS[old] as number; p <= (evE[old] as number); p++) {
        const c = (cover[p] as number) - 1;
        cover[p] = c;
        if (c >= 1) overlaps--;
      }
      covered -= lenOf[u] as number;
      const a = prev[u] as number;
      const b = next[u] as number;
      if (a >= 0) next[a] = b;
      else first = b;
      if (b >= 0) prev[b] = a;
      else last = a;
    } else have++;
    for (let p = s; p <= e; p++) {
      const c = cover[p] as number;
      cover[p] = c + 1;
      if (c >= 1) overlaps++;
    }
    covered += lenOf[u] as number;
    latest[u] = i;
    prev[u] = last;
    next[u] = -1;
    if (last >= 0) next[last] = u;
    else first = u;
    last = u;
    groupLast[groupOf[u] as number] = s;
    if (isPending[u] === 0) {
      isPending[u] = 1;
      pending[npending++] = u;
    }
    if (have < k) continue;
    if (overlaps > 0) {
      if (!mayShare || !resolveWindow(k, i, sumLen, slop)) continue;
      const chosen = px.chosen;
      for (let j = 0; j < k; j++) if (recordEvent(chosen[j] as number, i)) distinct++;
      // parts whose latest occurrence the window passed over stay pending
      let w = 0;
      for (let j = 0; j < npending; j++) {
        const pu = pending[j] as number;
        if (recorded[latest[pu] as number] === 1) isPending[pu] = 0;
        else pending[w++] = pu;
      }
      npending = w;
    } else {
      let lastEnd = 0;
      for (let g = 0; g < groupLens.length; g++) {
        const gs = groupLast[g] as number;
        if (gs >= 0 && gs + (groupLens[g] as number) - 1 > lastEnd)
          lastEnd = gs + (groupLens[g] as number) - 1;
      }
      const firstStart = evS[latest[first] as number] as number;
      if (lastEnd - firstStart + 1 - covered > slop) continue;
      while (npending > 0) {
        const pu = pending[--npending] as number;
        isPending[pu] = 0;
        if (recordEvent(latest[pu] as number, i)) distinct++;
      }
    }
    if (distinct >= MAX_HITS_PER_QUERY) {
      i++;
      break;
    }
  }
  // leave the scratch all zero
  for (let u = 0; u < k; u++) {
    const l = latest[u] as number;
    if (l >= 0) for (let p = evS[l] as number; p <= (evE[l] as number); p++) cover[p] = 0;
  }
  let w = 0;
  for (let j = 0; j < i; j++) {
    if (recorded[j] === 0) continue;
    recorded[j] = 0; // leave the scratch all zero
    if (w > 0 && evS[w - 1] === evS[j] && evE[w - 1] === evE[j]) continue;
    evS[w] = evS[j] as number;
    evE[w] = evE[j] as number;
    w++;
  }
  const rs = copyInts(evS, w);
  // one-token parts only: every span ends where it starts
  return { s: rs, e: sumLen === k ? rs : copyInts(evE, w) };
}

/** A proximity term's distinct parts, and what `proximity` needs to know of them. */
interface Parts {
  units: QueryToken[][];
  /** Two parts can match one token (see `partsMayShare`). */
  mayShare: boolean;
  /** Every part is one exact word. */
  words: boolean;
  /** Some part is an Arabic word (it also matches words it is a clitic-stripped form of). */
  arabic: boolean;
}

const partsMemo = new WeakMap<TermNode, Parts>();

/** A proximity term's distinct parts (identical parts would compete for the same occurrence: one of each). Memoised per term node. */
function proximityParts(t: TermNode): Parts {
  let parts = partsMemo.get(t);
  if (parts === undefined) {
    const seen = new Set<string>();
    const uniq: QueryToken[][] = [];
    for (const u of units(t.tokens)) {
      const sig = u.map((q) => `${q.key}${q.prefix ? "*" : ""}`).join("\u0001");
      if (!seen.has(sig)) {
        seen.add(sig);
        uniq.push(u);
      }
    }
    const isArabic = (q: QueryToken) => {
      const c = q.key.charCodeAt(0);
      return c >= 0x0621 && c <= 0x064a;
    };
    parts = {
      units: uniq,
      mayShare: partsMayShare(uniq),
      words: uniq.every((u) => u.length === 1 && !(u[0] as QueryToken).prefix),
      arabic: uniq.some((u) => u.some(isArabic)),
    };
    partsMemo.set(t, parts);
  }
  return parts;
}

/**
 * A single-token term's result restricted to one field (the any-field result itself
 * otherwise); memoised on the result, so equal terms share one result (and count once).
 */
function restrict(r: TermResult, field: TermNode["field"]): TermResult {
  if (field === "any" || r.count === 0) return r;
  const fi = field === "title" ? 0 : 1;
  r.only ??= [null, null];
  let x = r.only[fi];
  if (x === null) {
    const o = r.occ[fi];
    x =
      o.s.length === 0
        ? EMPTY_RESULT
        : { occ: fi === 0 ? [o, NO_OCC] : [NO_OCC, o], count: o.s.length, stamp: 0 };
    r.only[fi] = x;
  }
  return x;
}

// Key ids of a proximity's one-word parts (-1 for the others), shared by both fields.
let partIdsScratch = new Int32Array(128);

function computeTerm(d: DocIndex, t: TermNode): TermResult {
  if (t.tokens.length === 1) {
    const q = t.tokens[0] as QueryToken;
    return restrict(q.prefix ? prefixResult(d, q.key) : keyResultOf(d, q.key), t.field);
  }
  let parts: Parts | null = null;
  if (t.slop !== null) {
    parts = proximityParts(t);
    const uniq = parts.units;
    const known = keyIdsOf(d);
    if (partIdsScratch.length < uniq.length) partIdsScratch = new Int32Array(uniq.length * 2);
    for (let u = 0; u < uniq.length; u++) {
      const part = uniq[u] as QueryToken[];
      const q = part[0] as QueryToken;
      let id = -1;
      if (part.length === 1 && !q.prefix) {
        id = keyIdOf(d, known, q.key);
        if (id < 0) return EMPTY_RESULT;
      }
      partIdsScratch[u] = id;
    }
  }
  let title = NO_OCC;
  let text = NO_OCC;
  const slop = t.slop as number;
  if (t.field !== "text" && d.fields[0].toks.n > 0)
    title = parts ? proximity(d, 0, parts, partIdsScratch, slop) : sequence(d, 0, t.tokens);
  if (t.field !== "title" && d.fields[1].toks.n > 0)
    text = parts ? proximity(d, 1, parts, partIdsScratch, slop) : sequence(d, 1, t.tokens);
  const count = title.s.length + text.s.length;
  // `match` in the literal: set later for a whole-query term, without a shape change
  return count === 0 ? EMPTY_RESULT : { occ: [title, text], count, stamp: 0, match: undefined };
}

/** A term's occurrences in the document (cached per term node: interned terms are shared by queries). */
function termResult(d: DocIndex, t: TermNode): TermResult {
  let r = d.termCache.get(t);
  if (r === undefined) {
    r = computeTerm(d, t);
    d.termCache.set(t, r);
  }
  return r;
}

// ---------------------------------------------------------------------------
// Queries

/**
 * True when `q` matches; pushes its matched positive terms onto `terms` (each once per
 * evaluation, by `stamp`). Positive parts of an AND first (cheap rejections), vetoes after.
 */
function evaluate(d: DocIndex, q: Query, terms: TermResult[] | null, stamp: number): boolean {
  switch (q.type) {
    case "term": {
      const r = termResult(d, q);
      if (r.count === 0) return false;
      if (terms !== null && r.stamp !== stamp) {
        r.stamp = stamp;
        terms.push(r);
      }
      return true;
    }
    case "not":
      return !evaluate(d, q.child, null, stamp);
    case "and": {
      const mark = terms === null ? 0 : terms.length;
      let ok = true;
      for (const c of q.children) {
        if (c.type !== "not" && !evaluate(d, c, terms, stamp)) {
          ok = false;
          break;
        }
      }
      if (ok)
        for (const c of q.children)
          if (c.type === "not" && !evaluate(d, c, null, stamp)) ok = false;
      if (!ok && terms !== null) {
        // un-collect this branch's terms (another branch may still collect them)
        for (let i = mark; i < terms.length; i++) (terms[i] as TermResult).stamp = 0;
        terms.length = mark;
      }
      return ok;
    }
    case "or": {
      let any = false;
      for (const c of q.children) {
        if (evaluate(d, c, terms, stamp)) {
          any = true;
          if (terms === null) return true;
        }
      }
      return any;
    }
  }
}

/** The Hit for token positions [s, e] of field `fi`; one object per span and document (shared, read-only). */
function hitAt(d: DocIndex, fi: number, s: number, e: number): Hit {
  if (s === e) {
    // one-token spans (nearly all): by position, in a per-field table made on first use
    let at = d.hitAtToken[fi];
    if (at === null || at === undefined) {
      at = new Int32Array((d.fields[fi] as FieldIndex).toks.n);
      d.hitAtToken[fi] = at;
    }
    const i = at[s] as number;
    if (i > 0) return d.hitList[i - 1] as Hit;
    const h = makeHit(d, fi, s, e);
    d.hitList.push(h);
    at[s] = d.hitList.length;
    return h;
  }
  const key = occKey(fi, s, e);
  let h = d.hitObjects.get(key);
  if (h === undefined) {
    h = makeHit(d, fi, s, e);
    d.hitObjects.set(key, h);
  }
  return h;
}

function makeHit(d: DocIndex, fi: number, s: number, e: number): Hit {
  const f = d.fields[fi] as FieldIndex;
  const hs = f.toks.starts[s] as number;
  const he = f.toks.ends[e] as number;
  return {
    field: f.name,
    start: hs,
    end: he,
    text: f.text.slice(hs, he),
    snippet: snippet(d, fi, hs, he),
  };
}

// Reused by `hitsOf` (synchronous, never re-entered).
const mergeHeap = new Heap(64);
let mergeHead = new Int32Array(64);
const fieldLists: Occ[] = [];
/** Lists merged by a linear scan of their heads (fewer compares than a heap) at most. */
const SMALL_MERGE = 8;
const smallHead = new Int32Array(SMALL_MERGE);
const smallValue = new Int32Array(SMALL_MERGE);

/**
 * Hits are gathered here, then copied out at their final size (one allocation: the hits
 * of every matching query stay alive until the document is done).
 */
const hitBuf: (Hit | null)[] = [];
let hitN = 0;

/** The gathered hits as an array of their own; the buffer emptied (no stale references). */
function takeHits(): Hit[] {
  const hits = hitBuf.slice(0, hitN) as Hit[];
  for (let i = 0; i < hitN; i++) hitBuf[i] = null;
  hitN = 0;
  return hits;
}

/** Gathers the first distinct one-token occurrences of `lists[0 .. n)` (n <= SMALL_MERGE) of field `fi`. */
function mergeSmall(d: DocIndex, fi: number, lists: Occ[], n: number): void {
  const NONE = 0x7fffffff;
  for (let l = 0; l < n; l++) {
    smallHead[l] = 0;
    smallValue[l] = (lists[l] as Occ).s[0] as number;
  }
  while (hitN < MAX_HITS_PER_QUERY) {
    let best = NONE;
    for (let l = 0; l < n; l++)
      if ((smallValue[l] as number) < best) best = smallValue[l] as number;
    if (best === NONE) return;
    hitBuf[hitN++] = hitAt(d, fi, best, best);
    // every list at this position moves on (one hit per position)
    for (let l = 0; l < n; l++) {
      if (smallValue[l] !== best) continue;
      const s = (lists[l] as Occ).s;
      const h = (smallHead[l] as number) + 1;
      smallHead[l] = h;
      smallValue[l] = h < s.length ? (s[h] as number) : NONE;
    }
  }
}

/** Gathers the first distinct occurrences of `lists[0 .. n)` of field `fi`, by (start, end), through a heap. */
function mergeLists(d: DocIndex, fi: number, lists: Occ[], n: number): void {
  const heap = mergeHeap.reset(n);
  if (mergeHead.length < n) mergeHead = new Int32Array(n * 2);
  const head = mergeHead.fill(0, 0, n);
  for (let l = 0; l < n; l++) {
    const o = lists[l] as Occ;
    heap.push(occKey(0, o.s[0] as number, o.e[0] as number), l);
  }
  let lastKey = -1;
  while (heap.n > 0 && hitN < MAX_HITS_PER_QUERY) {
    const l = heap.ids[0] as number;
    const key = heap.keys[0] as number;
    const o = lists[l] as Occ;
    const h = head[l] as number;
    if (key !== lastKey) {
      hitBuf[hitN++] = hitAt(d, fi, o.s[h] as number, o.e[h] as number);
      lastKey = key;
    }
    head[l] = h + 1;
    if (h + 1 < o.s.length)
      heap.replaceTop(occKey(0, o.s[h + 1] as number, o.e[h + 1] as number), l);
    else heap.replaceTop(0, -1);
  }
}

/**
 * The one postings-to-hits loop: the first MAX_HITS_PER_QUERY distinct occurrences of
 * `terms` in (field, start, end) order, field by field, by a k-way merge of their sorted
 * lists, and the total. O(lists + hits · log lists).
 */
export function hitsOf(d: DocIndex, terms: TermResult[]): { hits: Hit[]; total: number } {
  let total = 0;
  for (const r of terms) total += r.count;
  hitN = 0;
  for (let fi = 0; fi <= 1 && hitN < MAX_HITS_PER_QUERY; fi++) {
    const lists = fieldLists;
    let n = 0;
    let single = true;
    for (const r of terms) {
      const o = r.occ[fi] as Occ;
      if (o.s.length === 0) continue;
      lists[n++] = o;
      // one-token lists share one array for starts and ends
      if (o.s !== o.e) single = false;
    }
    if (n === 1) {
      const o = lists[0] as Occ;
      const m = Math.min(o.s.length, MAX_HITS_PER_QUERY - hitN);
      for (let i = 0; i < m; i++) hitBuf[hitN++] = hitAt(d, fi, o.s[i] as number, o.e[i] as number);
    } else if (n > 1) {
      if (single && n <= SMALL_MERGE) mergeSmall(d, fi, lists, n);
      else mergeLists(d, fi, lists, n);
    }
    lists.length = 0;
  }
  return { hits: takeHits(), total };
}

/** The finished match of a term that is a whole query (memoised on the term's result). */
export function termMatch(d: DocIndex, r: TermResult): { hits: Hit[]; total: number } | null {
  if (r.count === 0) return null;
  if (r.match === undefined) r.match = hitsOf(d, [r]);
  return r.match ?? null;
}

/** Verifies one parsed query: its hits and total when it matches, else null. */
export function verify(d: DocIndex, q: Query): { hits: Hit[]; total: number } | null {
  if (q.type === "term") return termMatch(d, termResult(d, q));
  const terms: TermResult[] = [];
  d.stamp++;
  const ok = evaluate(d, q, terms, d.stamp);
  for (const r of terms) r.stamp = 0;
  return ok ? hitsOf(d, terms) : null;
}

// Key ids of a document by key: query keys repeat across queries, and a Map lookup uses
// the string's cached hash where the dictionary hashes the key again. (A WeakMap, not a
// WeakRef: Workers enable WeakRef only behind a compatibility flag.)
const keyIdMaps = new WeakMap<DocIndex, Map<string, number>>();

/** The document's key id cache (look it up once per term or query, not per key). */
function keyIdsOf(d: DocIndex): Map<string, number> {
  let m = keyIdMaps.get(d);
  if (m === undefined) {
    m = new Map();
    keyIdMaps.set(d, m);
  }
  return m;
}

/** The id of `key` in `d` (-1 when absent), through the cache `ids` of `keyIdsOf(d)`. */
function keyIdOf(d: DocIndex, ids: Map<string, number>, key: string): number {
  let id = ids.get(key);
  if (id === undefined) {
    id = dictGet(d.dict, key);
    ids.set(key, id);
  }
  return id;
}

/** Tokens `scanOrHits` reads at most before leaving the hits to `hitsOf`. */
const SCAN_LIMIT = 1024;
let orIds = new Int32Array(128);

/**
 * The first MAX_HITS_PER_QUERY hits of an OR of the words whose key ids are marked 1 in
 * `partOfKey`, by reading the fields' tokens in order, each tested by key (when the words
 * are dense, the hits are the first few tokens: cheaper than merging their lists). Null
 * when that takes more than SCAN_LIMIT tokens.
 */
function scanOrHits(d: DocIndex, arabic: boolean): Hit[] | null {
  const mark = partOfKey;
  const forms = d.forms;
  hitN = 0;
  let budget = SCAN_LIMIT;
  for (let fi = 0; fi <= 1; fi++) {
    const toks = (d.fields[fi] as FieldIndex).toks;
    const n = toks.n;
    const ids = toks.ids;
    for (let p = 0; p < n; p++) {
      if (--budget < 0) {
        takeHits();
        return null;
      }
      const t = ids[p] as number;
      let hit = mark[t] === 1;
      if (!hit && arabic) {
        // a token matches the words among its clitic-stripped forms too
        const fs = forms[t];
        if (fs !== undefined)
          for (let i = 0; i < fs.length && !hit; i++) hit = mark[fs[i] as number] === 1;
      }
      if (!hit) continue;
      hitBuf[hitN++] = hitAt(d, fi, p, p);
      if (hitN === MAX_HITS_PER_QUERY) return takeHits();
    }
  }
  return takeHits();
}

/** Verifies an OR of single exact words in any field, from their keys (no tree walk). */
export function verifyOrKeys(d: DocIndex, keys: string[]): { hits: Hit[]; total: number } | null {
  if (orIds.length < keys.length) orIds = new Int32Array(keys.length * 2);
  if (partOfKey.length < d.keys.length) partOfKey = new Int32Array(d.keys.length * 2);
  const ids = orIds;
  const mark = partOfKey;
  const title = d.fields[0];
  const text = d.fields[1];
  let m = 0;
  let total = 0;
  let inText = 0;
  let arabic = false;
  const known = keyIdsOf(d);
  for (const k of keys) {
    const id = keyIdOf(d, known, k);
    // each distinct word once
    if (id < 0 || mark[id] === 1) continue;
    const c = (text.off[id + 1] as number) - (text.off[id] as number);
    const n = (title.off[id + 1] as number) - (title.off[id] as number) + c;
    if (n === 0) continue;
    mark[id] = 1;
    ids[m++] = id;
    total += n;
    inText += c;
    const c0 = k.charCodeAt(0);
    if (c0 >= 0x0621 && c0 <= 0x064a) arabic = true;
  }
  const hits = m > 1 && inText * DENSE >= text.toks.n ? scanOrHits(d, arabic) : null;
  for (let j = 0; j < m; j++) mark[ids[j] as number] = 0;
  if (m === 0) return null;
  if (hits !== null) return { hits, total };
  const terms: TermResult[] = [];
  for (let j = 0; j < m; j++) terms.push(keyResult(d, ids[j] as number));
  return hitsOf(d, terms);
}

/**
 * Replaces every term of `q` with a canonical node shared by all queries with the
 * same term, so a document evaluates each distinct term once. Rewrites `q` in place
 * (it must be freshly parsed).
 */
export function internTerms(q: Query, pool: Map<string, TermNode>): Query {
  switch (q.type) {
    case "term": {
      const t0 = q.tokens[0];
      let sig: string;
      if (q.tokens.length === 1 && t0 && !q.phrase && q.slop === null) {
        // the common case, without building a signature: the key itself, tagged when needed
        sig =
          q.field === "any" && !t0.prefix ? t0.key : `${q.field}|${t0.prefix ? "*" : ""}|${t0.key}`;
      } else {
        sig = `${q.field}|${q.phrase ? 1 : 0}|${q.slop ?? ""}|`;
        for (const t of q.tokens) {
          sig += ` ${t.key}${t.prefix ? "*" : ""}${t.sub ? "s" : ""}${t.glued ? "g" : ""}`;
        }
      }
      const found = pool.get(sig);
      if (found) return found;
      pool.set(sig, q);
      return q;
    }
    case "not":
      q.child = internTerms(q.child, pool);
      return q;
    case "and":
    case "or":
      for (let i = 0; i < q.children.length; i++) {
        q.children[i] = internTerms(q.children[i] as Query, pool);
      }
      return q;
  }
}
