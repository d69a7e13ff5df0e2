/**
 * Proximity (`"a b c"~N`): the parts within N other tokens of each other, in any order,
 * each part on tokens of its own. One pass over the parts' merged occurrence lists from
 * the rarest part, or a jump-started scan of the field's tokens when the parts are dense.
 */
import { type DocIndex, keyResult, NO_OCC, type Occ } from "./doc.ts";
import { isArabicLetter } from "./normalize.ts";
import {
  copyInts,
  DENSE,
  Heap,
  keyMarks,
  lowerBoundTo,
  MAX_HITS_PER_QUERY,
  markOfToken,
  occKey,
  sequence,
  units,
} from "./occurrences.ts";
import type { QueryToken, TermNode } from "./query.ts";

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
  return nextNearTo(ps, h, ps.length, anchors, anchors.length, span, reg, u);
}

/** `nextNear` within ps[h .. end) and anchors[reg[u] .. aEnd): end when none. */
function nextNearTo(
  ps: Int32Array,
  h: number,
  end: number,
  anchors: Int32Array,
  aEnd: number,
  span: number,
  reg: Int32Array,
  u: number,
): number {
  let r = reg[u] as number;
  let i = h;
  while (i < end && r < aEnd) {
    const v = ps[i] as number;
    const c = anchors[r] as number;
    if (v > c + span) r = lowerBoundTo(anchors, r + 1, aEnd, v - span);
    else if (v >= c - span) break;
    else i = lowerBoundTo(ps, i + 1, end, c - span);
  }
  reg[u] = r;
  return r < aEnd ? i : end;
}

/**
 * Scratch arrays for `proximity`, reused across calls (module-level: matching is
 * synchronous and `proximity` never re-enters itself), so a call allocates little
 * beyond its result.
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
  /** Per event: the same part's previous event, or -1. */
  evPrev: new Int32Array(0),
  recorded: new Uint8Array(0),
  /** Per token: 1 while taken by an occurrence chosen in `resolveWindow` (all zero between uses). */
  taken: new Uint8Array(0),
  /** Per token: how many parts' latest occurrences cover it (all zero between uses). */
  cover: new Int32Array(0),
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
    if (isArabicLetter(q.key.charCodeAt(0)) && ++arabic > 1) return true;
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

// Scratch for `proximityDense` (its parts are marked part + 1 in `keyMarks`); the hits.
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
  const { latest, prev, next, isPending, head, reg } = px;
  // Jump-start (as in `proximity`): no window is complete before the point where the last
  // part first occurs near an anchor, so the scan starts there, each other part taking its
  // last occurrence before it.
  let startS = -1;
  for (let u = 0; u < k; u++) {
    const id = partIds[u] as number;
    const end = off[id + 1] as number;
    // the part's first position within `span` of an anchor
    reg[u] = aLo;
    const i = nextNearTo(pos, off[id] as number, end, pos, aHi, span, reg, u);
    if (i >= end) return NO_OCC;
    head[u] = i;
    if ((pos[i] as number) > startS) startS = pos[i] as number;
  }
  if (denseHits.length < MAX_HITS_PER_QUERY + k)
    denseHits = new Int32Array(MAX_HITS_PER_QUERY + k * 2);
  const partOf = keyMarks(d.keys.length);
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
    const u = markOfToken(partOf, forms, ids[p] as number, arabic) - 1;
    if (u < 0) continue;
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
export function proximity(
  d: DocIndex,
  fi: 0 | 1,
  parts: Parts,
  partIds: Int32Array,
  slop: number,
): Occ {
  const uniq = parts.units;
  const k = uniq.length;
  const f = d.fields[fi];
  if (k > 1 && !parts.mayShare) {
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
      let a = lowerBoundTo(o.s, head[u] as number, o.s.length, startS + 1);
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
  // Overlaps (and so the per-token cover counts) exist only when parts may share a token.
  if (mayShare && px.tokens < f.toks.n) {
    const tokens = Math.max(d.fields[0].toks.n, d.fields[1].toks.n);
    px.taken = new Uint8Array(tokens);
    px.cover = new Int32Array(tokens);
    px.tokens = tokens;
  }
  const cover = px.cover;
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
      evPrev = px.evPrev;
      recorded = px.recorded;
    }
    const old = latest[u] as number;
    evS[i] = s;
    evE[i] = e;
    evPrev[i] = old;
    if (old >= 0) {
      if (mayShare)
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
    if (mayShare)
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
      if (!resolveWindow(k, i, sumLen, slop)) continue;
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
  if (mayShare)
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
export interface Parts {
  units: QueryToken[][];
  /** Two parts can match one token (see `partsMayShare`); when not, every part is one exact word. */
  mayShare: boolean;
  /** Some part is an Arabic word (it also matches words it is a clitic-stripped form of). */
  arabic: boolean;
}

const partsMemo = new WeakMap<TermNode, Parts>();

/** A proximity term's distinct parts (identical parts would compete for the same occurrence: one of each). Memoised per term node. */
export function proximityParts(t: TermNode): Parts {
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
    parts = {
      units: uniq,
      mayShare: partsMayShare(uniq),
      arabic: uniq.some((u) => u.some((q) => isArabicLetter(q.key.charCodeAt(0)))),
    };
    partsMemo.set(t, parts);
  }
  return parts;
}
