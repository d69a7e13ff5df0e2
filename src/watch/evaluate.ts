/**
 * Evaluating parsed queries on an indexed document. Every distinct term is evaluated
 * once per document (cached on the document), so a query costs O(its terms) plus its
 * output; hits of a query come from its matched terms' occurrence lists (`hitsOf`, one
 * k-way merge) or, for an OR of dense words, from a scan of the first tokens
 * (`scanOrHits`), stopped at MAX_HITS_PER_QUERY.
 */
import {
  type DocIndex,
  EMPTY_RESULT,
  type FieldIndex,
  keyResult,
  NO_OCC,
  type Occ,
  type TermResult,
  tokenResult,
} from "./doc.ts";
import { isArabicLetter } from "./normalize.ts";
import {
  DENSE,
  Heap,
  keyMarks,
  MAX_HITS_PER_QUERY,
  markOfToken,
  occKey,
  sequence,
} from "./occurrences.ts";
import { type Parts, proximity, proximityParts } from "./proximity.ts";
import type { Query, QueryToken, TermNode } from "./query.ts";
import { snippet } from "./snippets.ts";
import { dictGet } from "./tokenize.ts";

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
    return restrict(tokenResult(d, q), t.field);
  }
  let parts: Parts | null = null;
  if (t.slop !== null) {
    parts = proximityParts(t);
    const uniq = parts.units;
    if (partIdsScratch.length < uniq.length) partIdsScratch = new Int32Array(uniq.length * 2);
    for (let u = 0; u < uniq.length; u++) {
      const part = uniq[u] as QueryToken[];
      const q = part[0] as QueryToken;
      let id = -1;
      if (part.length === 1 && !q.prefix) {
        id = dictGet(d.dict, q.key);
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
  return count === 0 ? EMPTY_RESULT : { occ: [title, text], count, stamp: 0 };
}

/**
 * The occurrences evaluating term `t` on this document would read, which bounds its
 * cost: a phrase is anchored on its rarest word, a proximity reads every part. 0 once it
 * is evaluated, and for a word or prefix (their occurrences are computed once per
 * document whatever the number of queries). A phrase or proximity with a part absent
 * from the document is settled here (no match), at no cost.
 */
export function unevaluatedTermWork(d: DocIndex, t: TermNode): number {
  if (t.tokens.length < 2 || d.termCache.has(t)) return 0;
  let sum = 0;
  let rarest = Number.POSITIVE_INFINITY;
  for (const q of t.tokens) {
    const n = tokenResult(d, q).count;
    if (n === 0) {
      d.termCache.set(t, EMPTY_RESULT);
      return 0;
    }
    sum += n;
    if (n < rarest) rarest = n;
  }
  return t.slop === null ? rarest * t.tokens.length : sum;
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
    if (!at) {
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
  dropHits();
  return hits;
}

function dropHits(): void {
  for (let i = 0; i < hitN; i++) hitBuf[i] = null;
  hitN = 0;
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
 * Occurrences to hits: the first MAX_HITS_PER_QUERY distinct occurrences of `terms` in
 * (field, start, end) order, field by field, by a k-way merge of their sorted lists (one
 * term's lists are copied as they are), and the total. O(lists + hits · log lists).
 */
export function hitsOf(d: DocIndex, terms: TermResult[]): { hits: Hit[]; total: number } {
  if (terms.length === 1) return oneTermHits(d, terms[0] as TermResult);
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

/** `hitsOf` for one term (most matches): its lists are already distinct and in order, so no merge and no buffer. */
function oneTermHits(d: DocIndex, r: TermResult): { hits: Hit[]; total: number } {
  const t = r.occ[0];
  const x = r.occ[1];
  const nt = Math.min(t.s.length, MAX_HITS_PER_QUERY);
  const nx = Math.min(x.s.length, MAX_HITS_PER_QUERY - nt);
  const hits: Hit[] = [];
  for (let i = 0; i < nt; i++) hits.push(hitAt(d, 0, t.s[i] as number, t.e[i] as number));
  for (let i = 0; i < nx; i++) hits.push(hitAt(d, 1, x.s[i] as number, x.e[i] as number));
  return { hits, total: r.count };
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

/** Tokens `scanOrHits` reads at most before leaving the hits to `hitsOf`. */
const SCAN_LIMIT = 1024;
let orIds = new Int32Array(128);

/**
 * The first MAX_HITS_PER_QUERY hits of an OR of the words whose key ids are marked in
 * `marks`, by reading the fields' tokens in order, each tested by key (when the words
 * are dense, the hits are the first few tokens: cheaper than merging their lists). Null
 * when that takes more than SCAN_LIMIT tokens.
 */
function scanOrHits(d: DocIndex, marks: Int32Array, arabic: boolean): Hit[] | null {
  const forms = d.forms;
  hitN = 0;
  let budget = SCAN_LIMIT;
  for (let fi = 0; fi <= 1; fi++) {
    const toks = (d.fields[fi] as FieldIndex).toks;
    const n = toks.n;
    const ids = toks.ids;
    for (let p = 0; p < n; p++) {
      if (--budget < 0) {
        dropHits();
        return null;
      }
      if (markOfToken(marks, forms, ids[p] as number, arabic) === 0) continue;
      hitBuf[hitN++] = hitAt(d, fi, p, p);
      if (hitN === MAX_HITS_PER_QUERY) return takeHits();
    }
  }
  return takeHits();
}

/** Verifies an OR of single exact words in any field, from the article key ids of its first `count` branches (-1: absent), without its tree. */
export function verifyOrKeys(
  d: DocIndex,
  keyIds: Int32Array,
  count: number,
): { hits: Hit[]; total: number } | null {
  if (orIds.length < count) orIds = new Int32Array(count * 2);
  const ids = orIds;
  const mark = keyMarks(d.keys.length);
  const title = d.fields[0];
  const text = d.fields[1];
  let m = 0;
  let total = 0;
  let inText = 0;
  let arabic = false;
  for (let i = 0; i < count; i++) {
    const id = keyIds[i] as number;
    // each distinct word once
    if (id < 0 || mark[id] === 1) continue;
    const c = (text.off[id + 1] as number) - (text.off[id] as number);
    const n = (title.off[id + 1] as number) - (title.off[id] as number) + c;
    if (n === 0) continue;
    mark[id] = 1;
    ids[m++] = id;
    total += n;
    inText += c;
    if (isArabicLetter((d.keys[id] as string).charCodeAt(0))) arabic = true;
  }
  const hits = m > 1 && inText * DENSE >= text.toks.n ? scanOrHits(d, mark, arabic) : null;
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
