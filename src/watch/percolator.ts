/**
 * All watchlists compiled into one index (a percolator, as in the Elasticsearch
 * percolator and Lucene Monitor's presearcher): each distinct query registers the
 * key(s) one of which must be in any article it matches — for an AND the best single
 * part, for an OR every branch, for a purely negative query a catch-all. At match time
 * the article's own distinct keys (plus hashed prefixes of them, and CJK bigrams)
 * select the candidate queries, and only those are verified. Matching cost therefore
 * depends on the article and on how many queries are candidates, not on the total.
 */
import { type DocIndex, indexDocument, keyResult, type MatchableDoc, prefixResult } from "./doc.ts";
import {
  internTerms,
  type QueryMatch,
  termMatch,
  unevaluatedTermWork,
  verify,
  verifyOrKeys,
} from "./evaluate.ts";
import { units } from "./occurrences.ts";
import { parseQuery, type Query, type QueryToken, type TermNode } from "./query.ts";
import { FNV_OFFSET, FNV_PRIME, hashKey } from "./tokenize.ts";

/** A stored watchlist, as the matcher needs it. */
export interface WatchlistSpec {
  id: string;
  subscriberId: string;
  queries: string[];
  /** Language codes (`ar`, `zh`, `en-GB`); `zh` also accepts `zh-CN`. Absent or empty: any. */
  langs?: string[];
  /** Domains; the article's source domain or URL host must equal one or be a subdomain. Absent or empty: any. */
  sources?: string[];
}

/**
 * Hits one subscriber's matches carry on one article, over all its queries (in watchlist
 * and query order; a query past the budget keeps its `total` with fewer hits or none), so
 * no subscriber's queries can make an article's record large.
 */
export const MAX_HITS_PER_SUBSCRIBER = 200;

/** One watchlist the document matched. `hits` arrays and Hit objects are shared between queries and watchlists: treat them as read-only. */
export interface WatchlistMatch {
  watchlistId: string;
  subscriberId: string;
  matches: QueryMatch[];
}

/** Query ids: one id inline, or a list (most keys are registered by one query). */
export type Ids = number | number[];

interface PrefixEntry {
  prefix: string;
  ids: Ids;
}

export interface CompiledWatchlist {
  id: string;
  subscriberId: string;
  langs: string[] | null;
  sources: string[] | null;
}

/**
 * The compiled index of every watchlist's queries. Immutable after compile except for
 * two per-isolate parts: `_.scratches` (free match scratch, see `Scratch`: each match
 * in progress holds one of its own, so matches interleaved by `matchSteps` never share
 * one) and `_.asts` (trees parsed on first use after `decodeWatchIndex`).
 */
export interface WatchIndex {
  /** Distinct valid queries. */
  readonly queryCount: number;
  /** Watchlists compiled. */
  readonly watchlistCount: number;
  /** Queries that failed to parse (skipped). */
  readonly invalid: { watchlistId: string; query: string; message: string; position: number }[];
  /** @internal */
  readonly _: IndexInternals;
}

/** @internal The parts `encodeWatchIndex` stores (see snapshot.ts), plus scratch. */
export interface IndexInternals {
  /** Query strings by query id. */
  sources: string[];
  /** Parsed, term-interned trees by query id; filled lazily after a decode. */
  asts: (Query | undefined)[];
  /** Interned terms of `asts` (so a document evaluates each distinct term once). */
  termPool: Map<string, TermNode>;
  /** Per query, QSTRIDE slots: first owner's watchlist, its ordinal there, flags (see `qOwner`, `qOrdinal`, `qFlags`). */
  qinfo: Int32Array;
  /** Further owners of queries shared by several watchlists: pairs (watchlist, ordinal), flattened. */
  moreOwners: Map<number, number[]>;
  /** Per Q_ORKEYS query: its branches' keys as word table entries, in order. */
  orKeys: (number[] | undefined)[];
  watchlists: CompiledWatchlist[];
  /** Per watchlist: 1 when it filters by language or source (so most checks touch no watchlist object). */
  filtered: Uint8Array;
  /** Blocked Bloom filter (two probes in one cache line, see `bloomHas`) over the word table's keys, by the dictionary hash: most article keys are not registered. */
  bloom: Int32Array;
  bloomMask: number;
  /** Exact keys (words, Arabic forms, CJK bigrams/characters) -> queries: open addressing by the dictionary hash, slot pairs (see `wordLookup`). */
  wordSlots: Int32Array;
  wordMask: number;
  wordKeys: string[];
  wordIds: Ids[];
  /** Bloom filter (one probe) over the prefix bucket hashes. */
  prefixBloom: Int32Array;
  prefixBloomMask: number;
  /** The prefix bucket key lengths in use, ascending. */
  prefixLens: number[];
  /** Prefix terms bucketed by a hash of their first PREFIX_BUCKET units: open addressing, slot triples (see `P_HASH`). A bucket's entries are numbered consecutively. */
  pSlots: Int32Array;
  pMask: number;
  /** Per prefix entry: the prefix, its length, its dictionary hash (checked before the string), its queries. */
  pStr: string[];
  pLen: Int32Array;
  pHash: Int32Array;
  pIds: Ids[];
  /** Queries with no required key (purely negative): candidates for every document. */
  catchAll: number[];
  /** Per watchlist: its subscriber's number (dense, derived from `watchlists`; see `subscriberNumbers`). */
  subscriberOf: Int32Array;
  /** Scratch not in use by a match (reused, so a match allocates nothing per query). */
  scratches: Scratch[];
}

/**
 * Scratch of one match, valid for its `epoch`: the presearch's de-duplication stamps per
 * query, and per subscriber number the hits it may still carry and the work it has
 * spent on this article (`subStamp[s] === epoch` when set).
 */
interface Scratch {
  stamp: Int32Array;
  epoch: number;
  /** Per word table entry: the article key id the presearch found it as (`entryStamp[e] === epoch`). */
  entryStamp: Int32Array;
  entryKey: Int32Array;
  subStamp: Int32Array;
  hitsLeft: Int32Array;
  workSpent: Int32Array;
  /** Per subscriber: the `chargeOwners` call that last charged it (`charges` counts the calls). */
  chargedIn: Int32Array;
  charges: number;
}

interface Key {
  prefix: boolean;
  key: string;
  score: number;
}

const STOP = new Set([
  "the",
  "a",
  "an",
  "and",
  "or",
  "of",
  "to",
  "in",
  "on",
  "for",
  "at",
  "by",
  "with",
  "from",
  "is",
  "de",
  "la",
  "le",
  "les",
  "el",
  "en",
  "y",
  "et",
  "и",
  "в",
  "на",
  "في",
  "من",
  "علي",
  "الي",
  "عن",
  "ان",
  "ما",
  "لا",
]);

function tokenKeyChoice(u: QueryToken[], postings: (k: string) => number): Key {
  const t = u[0] as QueryToken;
  if (!t.sub) {
    if (t.prefix) return { prefix: true, key: t.key, score: t.key.length - 1 };
    return { prefix: false, key: t.key, score: STOP.has(t.key) ? 0 : t.key.length };
  }
  if (u.length === 1) return { prefix: false, key: t.key, score: 1 };
  // a CJK run: the bigram with the fewest queries registered so far
  let best = "";
  let bestN = Number.POSITIVE_INFINITY;
  for (let i = 0; i + 1 < u.length; i++) {
    const k = (u[i] as QueryToken).key + (u[i + 1] as QueryToken).key;
    const n = postings(k);
    if (n < bestN) {
      best = k;
      bestN = n;
    }
  }
  return { prefix: false, key: best, score: 3 };
}

/** The keys one of which any matching article contains; null when none can be required. */
function required(q: Query, postings: (k: string) => number): Key[] | null {
  switch (q.type) {
    case "term": {
      let best: Key | null = null;
      for (const u of units(q.tokens)) {
        const k = tokenKeyChoice(u, postings);
        if (best === null || k.score > best.score) best = k;
      }
      return best ? [best] : null;
    }
    case "not":
      return null;
    case "or": {
      const out: Key[] = [];
      for (const c of q.children) {
        const r = required(c, postings);
        if (r === null) return null;
        out.push(...r);
      }
      return out;
    }
    case "and": {
      let best: Key[] | null = null;
      let bestScore = Number.NEGATIVE_INFINITY;
      for (const c of q.children) {
        const r = required(c, postings);
        if (r === null) continue;
        const worst = Math.min(...r.map((k) => k.score)) - (r.length - 1) * 0.5;
        if (worst > bestScore) {
          best = r;
          bestScore = worst;
        }
      }
      return best;
    }
  }
}

function normLang(l: string): string {
  return l.trim().toLowerCase().replace(/_/g, "-");
}

/** The host name of a domain or URL, lower case, without `www.` or a trailing dot; "" if none. */
export function hostOf(s: string | null | undefined): string {
  if (typeof s !== "string") return "";
  let t = s.trim().toLowerCase();
  if (t === "") return "";
  if (!/^[a-z][a-z0-9+.-]*:\/\//.test(t)) t = `http://${t}`;
  let h: string;
  try {
    h = new URL(t).hostname;
  } catch {
    return "";
  }
  h = h.replace(/\.$/, "");
  if (h.startsWith("www.")) h = h.slice(4);
  return h;
}

function hostMatches(host: string, domain: string): boolean {
  return host === domain || (host.length > domain.length && host.endsWith(`.${domain}`));
}

function passesFilters(w: CompiledWatchlist, lang: string, hosts: string[]): boolean {
  if (w.langs) {
    if (!w.langs.some((l) => lang === l || lang.startsWith(`${l}-`))) return false;
  }
  if (w.sources) {
    const srcs = w.sources;
    if (!hosts.some((h) => srcs.some((d) => hostMatches(h, d)))) return false;
  }
  return true;
}

/** Slots per query in `qinfo`. */
const QSTRIDE = 3;
/** Flag: the query has further owners in `moreOwners`. */
const Q_MORE = 1;
/** Flag: the query is one exact token in any field (verified straight from the postings of the article key that found it). */
const Q_SINGLE = 2;
/** Flag: the query is one prefix token in any field (verified from the keys the presearch found for its prefix). */
const Q_PREFIX = 4;
/** Flag: the query is an OR of single exact tokens in any field (verified from `orKeys`, without its tree). */
const Q_ORKEYS = 8;
/** Flag: the query has a phrase or proximity (a term of two or more tokens), whose verification is charged to the work budget. */
const Q_SEQUENCES = 16;
/** Flag: the query's first owner filters by language or source (its `filtered` entry, kept with the flags read anyway). */
const Q_FILTERED = 32;

/** The watchlist index of the query's first owner. */
function qOwner(qinfo: Int32Array, q: number): number {
  return qinfo[q * QSTRIDE] as number;
}
/** The query's position in its first owner's `queries`. */
function qOrdinal(qinfo: Int32Array, q: number): number {
  return qinfo[q * QSTRIDE + 1] as number;
}
function qFlags(qinfo: Int32Array, q: number): number {
  return qinfo[q * QSTRIDE + 2] as number;
}

/**
 * What found a candidate, packed in one int: an article key id (>= 0), a prefix entry
 * (`prefixRef`), or nothing in particular (NO_KEY: catch-all, CJK bigram).
 */
const NO_KEY = -1;
function prefixRef(entry: number): number {
  return -2 - entry;
}
function refPrefixEntry(ref: number): number {
  return ref <= -2 ? -2 - ref : -1;
}

/** Word table slot pairs: [dictionary hash, entry + 1 (0 = empty)]. */
function wordSlotHash(slots: Int32Array, at: number): number {
  return slots[2 * at] as number;
}
function wordSlotEntry(slots: Int32Array, at: number): number {
  return (slots[2 * at + 1] as number) - 1;
}

/** Prefix table slot triples: [bucket hash, first entry, entry count (0 = empty)]. */
const P_HASH = 0;
const P_FIRST = 1;
const P_COUNT = 2;

function orKeysOf(q: Query): string[] | null {
  if (q.type !== "or") return null;
  const keys: string[] = [];
  for (const c of q.children) {
    if (!isSingle(c) || c.type !== "term") return null;
    keys.push((c.tokens[0] as QueryToken).key);
  }
  return keys;
}

function isPrefix(q: Query): boolean {
  return (
    q.type === "term" &&
    q.field === "any" &&
    q.tokens.length === 1 &&
    (q.tokens[0] as QueryToken).prefix === true
  );
}

function hasSequences(q: Query): boolean {
  if (q.type === "term") return q.tokens.length > 1;
  if (q.type === "not") return hasSequences(q.child);
  return q.children.some(hasSequences);
}

function isFiltered(w: CompiledWatchlist): boolean {
  return w.langs !== null || w.sources !== null;
}

function isSingle(q: Query): boolean {
  return (
    q.type === "term" &&
    q.field === "any" &&
    q.tokens.length === 1 &&
    (q.tokens[0] as QueryToken).prefix === false
  );
}

/** Prefix terms are bucketed by their first PREFIX_BUCKET characters (all of them when shorter). */
const PREFIX_BUCKET = 6;

/** The dictionary hash of a prefix's first PREFIX_BUCKET units, in small-integer range (bucket keys). */
function prefixBucket(prefix: string): number {
  return hashKey(prefix.slice(0, PREFIX_BUCKET)) & 0x3fffffff;
}

function addId(ids: Ids | undefined, qid: number): Ids {
  if (ids === undefined) return qid;
  if (typeof ids === "number") return ids === qid ? ids : [ids, qid];
  if (ids[ids.length - 1] !== qid) ids.push(qid);
  return ids;
}

function bloomProbe2(h: number): number {
  return Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) ^ (h >>> 12);
}

/**
 * The word Bloom filter is blocked: both probes of a key fall in one 512-bit block
 * (a cache line), chosen by the low bits of the dictionary hash, so a lookup in a
 * large index costs one cache miss, not two. `mask` is the block count - 1.
 */
const BLOOM_BLOCK_WORDS = 16;
function bloomWord(h: number, mask: number, bit: number): number {
  return (h & mask) * BLOOM_BLOCK_WORDS + (bit >>> 5);
}
function bloomAdd(bloom: Int32Array, mask: number, h: number): void {
  const a = (h >>> 16) & 511;
  const b = bloomProbe2(h) & 511;
  const wa = bloomWord(h, mask, a);
  const wb = bloomWord(h, mask, b);
  bloom[wa] = (bloom[wa] as number) | (1 << (a & 31));
  bloom[wb] = (bloom[wb] as number) | (1 << (b & 31));
}
function bloomHas(bloom: Int32Array, mask: number, h: number): boolean {
  const a = (h >>> 16) & 511;
  if (((bloom[bloomWord(h, mask, a)] as number) & (1 << (a & 31))) === 0) return false;
  const b = bloomProbe2(h) & 511;
  return ((bloom[bloomWord(h, mask, b)] as number) & (1 << (b & 31))) !== 0;
}

function bloomOf(words: Map<string, Ids>): { bloom: Int32Array; bloomMask: number } {
  let bits = 1024;
  while (bits < words.size * 16) bits *= 2;
  const bloom = new Int32Array(bits >>> 5);
  const mask = bits / 512 - 1;
  for (const k of words.keys()) bloomAdd(bloom, mask, hashKey(k));
  return { bloom, bloomMask: mask };
}

function wordTableOf(words: Map<string, Ids>): {
  wordSlots: Int32Array;
  wordMask: number;
  wordKeys: string[];
  wordIds: Ids[];
} {
  let cap = 16;
  while (cap < words.size * 2) cap *= 2;
  const slots = new Int32Array(cap * 2);
  const mask = cap - 1;
  const keys: string[] = [];
  const ids: Ids[] = [];
  for (const [k, l] of words) {
    const h = hashKey(k);
    let at = h & mask;
    while (slots[2 * at + 1] !== 0) at = (at + 1) & mask;
    keys.push(k);
    ids.push(l);
    slots[2 * at] = h;
    slots[2 * at + 1] = keys.length;
  }
  return { wordSlots: slots, wordMask: mask, wordKeys: keys, wordIds: ids };
}

/** The word table entry of `k` (whose dictionary hash is `h`), -1 when `k` is not registered. */
function wordLookup(
  ix: Pick<IndexInternals, "wordSlots" | "wordMask" | "wordKeys">,
  k: string,
  h: number,
): number {
  const slots = ix.wordSlots;
  const mask = ix.wordMask;
  for (let at = h & mask; ; at = (at + 1) & mask) {
    const e = wordSlotEntry(slots, at);
    if (e < 0) return -1;
    if (wordSlotHash(slots, at) === h && ix.wordKeys[e] === k) return e;
  }
}

function prefixTableOf(prefixes: Map<number, PrefixEntry[]>): {
  pSlots: Int32Array;
  pMask: number;
  pStr: string[];
  pLen: Int32Array;
  pHash: Int32Array;
  pIds: Ids[];
} {
  let cap = 16;
  while (cap < prefixes.size * 2) cap *= 2;
  const slots = new Int32Array(cap * 3);
  const mask = cap - 1;
  const str: string[] = [];
  const ids: Ids[] = [];
  const len: number[] = [];
  const hash: number[] = [];
  for (const [b, list] of prefixes) {
    let at = b & mask;
    while (slots[3 * at + P_COUNT] !== 0) at = (at + 1) & mask;
    slots[3 * at + P_HASH] = b;
    slots[3 * at + P_FIRST] = str.length;
    slots[3 * at + P_COUNT] = list.length;
    for (const e of list) {
      str.push(e.prefix);
      ids.push(e.ids);
      len.push(e.prefix.length);
      hash.push(hashKey(e.prefix));
    }
  }
  return {
    pSlots: slots,
    pMask: mask,
    pStr: str,
    pLen: Int32Array.from(len),
    pHash: Int32Array.from(hash),
    pIds: ids,
  };
}

function prefixBloomOf(prefixes: Map<number, PrefixEntry[]>): {
  prefixBloom: Int32Array;
  prefixBloomMask: number;
} {
  let bits = 1024;
  while (bits < prefixes.size * 16) bits *= 2;
  const bloom = new Int32Array(bits >>> 5);
  const mask = bits - 1;
  for (const h of prefixes.keys()) {
    const a = h & mask;
    bloom[a >>> 5] = (bloom[a >>> 5] as number) | (1 << (a & 31));
  }
  return { prefixBloom: bloom, prefixBloomMask: mask };
}

/** Compiles every watchlist's queries into one index. Invalid queries are skipped (and listed in `invalid`). */
export function compileWatchIndex(watchlists: WatchlistSpec[]): WatchIndex {
  const sources: string[] = [];
  const asts: Query[] = [];
  const ownerWl: number[] = [];
  const ownerOrd: number[] = [];
  const moreOwners = new Map<number, number[]>();
  const bySource = new Map<string, number>();
  const words = new Map<string, Ids>();
  const prefixes = new Map<number, PrefixEntry[]>();
  const lensUsed = new Set<number>();
  const prefixByKey = new Map<string, PrefixEntry>();
  const catchAll: number[] = [];
  const invalid: WatchIndex["invalid"] = [];
  const compiled: CompiledWatchlist[] = [];
  const postings = (k: string) => {
    const l = words.get(k);
    return l === undefined ? 0 : typeof l === "number" ? 1 : l.length;
  };
  const termPool = new Map<string, TermNode>();

  const register = (qid: number, q: Query) => {
    const keys = required(q, postings);
    if (keys === null) {
      catchAll.push(qid);
      return;
    }
    for (const k of keys) {
      if (!k.prefix) {
        words.set(k.key, addId(words.get(k.key), qid));
        continue;
      }
      let e = prefixByKey.get(k.key);
      if (e === undefined) {
        e = { prefix: k.key, ids: qid };
        prefixByKey.set(k.key, e);
        const b = prefixBucket(k.key);
        lensUsed.add(Math.min(PREFIX_BUCKET, k.key.length));
        const list = prefixes.get(b);
        if (list === undefined) prefixes.set(b, [e]);
        else list.push(e);
      } else {
        e.ids = addId(e.ids, qid);
      }
    }
  };

  for (const w of Array.isArray(watchlists) ? watchlists : []) {
    const wi = compiled.length;
    const langs = Array.isArray(w.langs)
      ? w.langs.filter((l) => typeof l === "string" && l.trim()).map(normLang)
      : [];
    const srcs = Array.isArray(w.sources) ? w.sources.map(hostOf).filter((h) => h !== "") : [];
    compiled.push({
      id: w.id,
      subscriberId: w.subscriberId,
      langs: langs.length > 0 ? langs : null,
      sources: srcs.length > 0 ? srcs : null,
    });
    const qs = Array.isArray(w.queries) ? w.queries : [];
    for (let qi = 0; qi < qs.length; qi++) {
      const src = qs[qi];
      if (typeof src !== "string") continue;
      let qid = bySource.get(src);
      if (qid === undefined) {
        const r = parseQuery(src);
        if (!r.ok) {
          invalid.push({ watchlistId: w.id, query: src, ...r.error });
          continue;
        }
        qid = asts.length;
        bySource.set(src, qid);
        sources.push(src);
        asts.push(internTerms(r.query, termPool));
        ownerWl.push(wi);
        ownerOrd.push(qi);
        register(qid, asts[qid] as Query);
      } else {
        const more = moreOwners.get(qid);
        if (more === undefined) moreOwners.set(qid, [wi, qi]);
        else more.push(wi, qi);
      }
    }
  }
  const subscriberOf = subscriberNumbers(compiled);
  const table = wordTableOf(words);
  // An OR's branches are all registered (see `required`), so each has a word table
  // entry; were one missing, the query would simply be verified from its tree.
  const orKeys = asts.map((q) => {
    const entries = orKeysOf(q)?.map((k) => wordLookup(table, k, hashKey(k)));
    return entries?.every((e) => e >= 0) ? entries : undefined;
  });
  const qinfo = new Int32Array(asts.length * QSTRIDE);
  for (let q = 0; q < asts.length; q++) {
    const ast = asts[q] as Query;
    qinfo[q * QSTRIDE] = ownerWl[q] as number;
    qinfo[q * QSTRIDE + 1] = ownerOrd[q] as number;
    qinfo[q * QSTRIDE + 2] =
      (moreOwners.has(q) ? Q_MORE : 0) |
      (isSingle(ast) ? Q_SINGLE : 0) |
      (isPrefix(ast) ? Q_PREFIX : 0) |
      (orKeys[q] !== undefined ? Q_ORKEYS : 0) |
      (hasSequences(ast) ? Q_SEQUENCES : 0) |
      (isFiltered(compiled[ownerWl[q] as number] as CompiledWatchlist) ? Q_FILTERED : 0);
  }
  return {
    queryCount: asts.length,
    watchlistCount: compiled.length,
    invalid,
    _: {
      sources,
      asts,
      termPool,
      orKeys,
      qinfo,
      moreOwners,
      watchlists: compiled,
      filtered: Uint8Array.from(compiled, (w) => (isFiltered(w) ? 1 : 0)),
      prefixLens: [...lensUsed].sort((a, b) => a - b),
      ...bloomOf(words),
      ...table,
      ...prefixBloomOf(prefixes),
      ...prefixTableOf(prefixes),
      catchAll,
      subscriberOf,
      scratches: [],
    },
  };
}

/** Numbers the watchlists' subscribers densely, in order of first appearance. */
export function subscriberNumbers(watchlists: CompiledWatchlist[]): Int32Array {
  const numbers = new Map<string, number>();
  const out = new Int32Array(watchlists.length);
  for (let wi = 0; wi < watchlists.length; wi++) {
    const sub = (watchlists[wi] as CompiledWatchlist).subscriberId;
    let n = numbers.get(sub);
    if (n === undefined) {
      n = numbers.size;
      numbers.set(sub, n);
    }
    out[wi] = n;
  }
  return out;
}

/** Free scratch of the index, or a new one when every one is held by a match in progress. */
function takeScratch(ix: IndexInternals): Scratch {
  const free = ix.scratches.pop();
  if (free !== undefined) return free;
  let subscribers = 0;
  for (const n of ix.subscriberOf) if (n >= subscribers) subscribers = n + 1;
  const words = ix.wordKeys.length;
  return {
    stamp: new Int32Array(ix.sources.length),
    epoch: 0,
    entryStamp: new Int32Array(words),
    entryKey: new Int32Array(words),
    subStamp: new Int32Array(subscribers),
    hitsLeft: new Int32Array(subscribers),
    workSpent: new Int32Array(subscribers),
    chargedIn: new Int32Array(subscribers),
    charges: 0,
  };
}

/** Resets subscriber `sub`'s budgets when this epoch first touches them. */
function touchSubscriber(sc: Scratch, sub: number): void {
  if (sc.subStamp[sub] !== sc.epoch) {
    sc.subStamp[sub] = sc.epoch;
    sc.hitsLeft[sub] = MAX_HITS_PER_SUBSCRIBER;
    sc.workSpent[sub] = 0;
  }
}

function nextCharge(sc: Scratch): number {
  sc.charges = (sc.charges + 1) | 0;
  if (sc.charges === 0) {
    sc.chargedIn.fill(0);
    sc.charges = 1;
  }
  return sc.charges;
}

/** Starts a new epoch of `sc` (all stamps stale), clearing the stamps when the counter wraps. */
function nextEpoch(sc: Scratch): number {
  sc.epoch = (sc.epoch + 1) | 0;
  if (sc.epoch === 0) {
    sc.stamp.fill(0);
    sc.entryStamp.fill(0);
    sc.subStamp.fill(0);
    sc.epoch = 1;
  }
  return sc.epoch;
}

/** The parsed tree of query `qid` (parsed and term-interned on first use after a decode). */
function astOf(ix: IndexInternals, qid: number): Query {
  let q = ix.asts[qid];
  if (q === undefined) {
    const r = parseQuery(ix.sources[qid] as string);
    // the source parsed when the index was compiled, and parsing is deterministic
    if (!r.ok) throw new Error(`watch index: stored query ${qid} no longer parses`);
    q = internTerms(r.query, ix.termPool);
    ix.asts[qid] = q;
  }
  return q;
}

/**
 * Candidate query ids for an indexed document (the presearch), each once (by the
 * scratch stamps). `keyOf` receives, per candidate, what found it (see `NO_KEY`,
 * `prefixRef`). The article keys each registered prefix matched are recorded on the
 * document, so prefix terms never scan the document's keys again.
 */
function candidates(
  ix: IndexInternals,
  sc: Scratch,
  d: DocIndex,
  keyOf: number[] | null,
): number[] {
  const epoch = nextEpoch(sc);
  const stamp = sc.stamp;
  const entryStamp = sc.entryStamp;
  const entryKey = sc.entryKey;
  const out: number[] = [];
  const add = (l: Ids | undefined, key: number) => {
    if (l === undefined) return;
    if (typeof l === "number") {
      if (stamp[l] !== epoch) {
        stamp[l] = epoch;
        out.push(l);
        keyOf?.push(key);
      }
      return;
    }
    for (let i = 0; i < l.length; i++) {
      const q = l[i] as number;
      if (stamp[q] !== epoch) {
        stamp[q] = epoch;
        out.push(q);
        keyOf?.push(key);
      }
    }
  };
  const prefixKeys = new Map<string, number[]>();
  d.prefixKeys = prefixKeys;
  for (const q of ix.catchAll) add(q, NO_KEY);
  const lens = ix.prefixLens;
  const pSlots = ix.pSlots;
  const pTabMask = ix.pMask;
  const pLen = ix.pLen;
  const pHash = ix.pHash;
  const pStr = ix.pStr;
  const pIds = ix.pIds;
  const hasPrefixes = lens.length > 0;
  const keys = d.keys;
  const hashes = d.dict.hashes;
  const bloom = ix.bloom;
  const bmask = ix.bloomMask;
  const pbloom = ix.prefixBloom;
  const pmask = ix.prefixBloomMask;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string;
    const h = hashes[i] as number;
    if (bloomHas(bloom, bmask, h)) {
      const e = wordLookup(ix, k, h);
      if (e >= 0) {
        entryStamp[e] = epoch;
        entryKey[e] = i;
        add(ix.wordIds[e], i);
      }
    }
    if (hasPrefixes && k.length >= (lens[0] as number)) {
      // FNV-1a over the key, probing the buckets at each length in use
      let h = FNV_OFFSET;
      let li = 0;
      for (let j = 0; j < k.length && li < lens.length; j++) {
        h = Math.imul(h ^ k.charCodeAt(j), FNV_PRIME);
        if (j + 1 !== lens[li]) continue;
        li++;
        const ph = h & 0x3fffffff;
        const pa = ph & pmask;
        if (((pbloom[pa >>> 5] as number) & (1 << (pa & 31))) === 0) continue;
        let at = ph & pTabMask;
        let e = pSlots[3 * at + P_COUNT] as number;
        while (e !== 0 && pSlots[3 * at + P_HASH] !== ph) {
          at = (at + 1) & pTabMask;
          e = pSlots[3 * at + P_COUNT] as number;
        }
        if (e === 0) continue;
        const first = pSlots[3 * at + P_FIRST] as number;
        for (let pe = first; pe < first + e; pe++) {
          const plen = pLen[pe] as number;
          if (plen > k.length) continue;
          // the dictionary hash of k's first plen units, then the string itself
          let fh = h;
          for (let m = j + 1; m < plen; m++) fh = Math.imul(fh ^ k.charCodeAt(m), FNV_PRIME);
          if (fh !== pHash[pe]) continue;
          const prefix = pStr[pe] as string;
          if (!k.startsWith(prefix)) continue;
          add(pIds[pe], prefixRef(pe));
          const ks = prefixKeys.get(prefix);
          if (ks === undefined) prefixKeys.set(prefix, [i]);
          else ks.push(i);
        }
      }
    }
  }
  for (const f of d.fields) {
    // CJK bigrams of contiguous characters
    const t = f.toks;
    for (let p = 0; p + 1 < t.n; p++) {
      if (t.sub[p] === 1 && t.sub[p + 1] === 1 && t.ends[p] === t.starts[p + 1]) {
        // the bigram's hash continues FNV from the first character's: check the filter first
        const second = keys[t.ids[p + 1] as number] as string;
        let h = hashes[t.ids[p] as number] as number;
        for (let j = 0; j < second.length; j++) h = Math.imul(h ^ second.charCodeAt(j), FNV_PRIME);
        if (!bloomHas(bloom, bmask, h)) continue;
        const e = wordLookup(ix, (keys[t.ids[p] as number] as string) + second, h);
        if (e >= 0) add(ix.wordIds[e], NO_KEY);
      }
    }
  }
  return out;
}

/** How many distinct queries the presearch would verify for this document (for benchmarks and diagnostics). */
export function countCandidates(index: WatchIndex, doc: MatchableDoc): number {
  const ix = index._;
  const sc = takeScratch(ix);
  const n = candidates(ix, sc, indexDocument(doc), null).length;
  ix.scratches.push(sc);
  return n;
}

let orKeyIds = new Int32Array(64);

/**
 * Verifies candidate `qid` by the shortcut its flags allow (each gives what `verify`
 * gives); undefined when none does and only `verify`, a walk of the query's tree (the
 * only way to read more than cached results), can tell.
 */
function verifyShortcut(
  ix: IndexInternals,
  sc: Scratch,
  d: DocIndex,
  qid: number,
  flags: number,
  found: number,
): { hits: QueryMatch["hits"]; total: number } | null | undefined {
  if ((flags & Q_SINGLE) !== 0 && found >= 0) return termMatch(d, keyResult(d, found));
  const pe = refPrefixEntry(found);
  if ((flags & Q_PREFIX) !== 0 && pe >= 0)
    return termMatch(d, prefixResult(d, ix.pStr[pe] as string));
  if ((flags & Q_ORKEYS) !== 0) {
    // the branches' article key ids, as the presearch found them (-1: not in the article)
    const entries = ix.orKeys[qid] as number[];
    if (orKeyIds.length < entries.length) orKeyIds = new Int32Array(entries.length * 2);
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i] as number;
      orKeyIds[i] = sc.entryStamp[e] === sc.epoch ? (sc.entryKey[e] as number) : -1;
    }
    return verifyOrKeys(d, orKeyIds, entries.length);
  }
  return undefined;
}

/**
 * The occurrences a query's phrases and proximities not yet evaluated on this document
 * would read (`unevaluatedTermWork`, summed over its terms), which bounds their cost.
 */
function unevaluatedWork(d: DocIndex, q: Query): number {
  if (q.type === "term") return unevaluatedTermWork(d, q);
  if (q.type === "not") return unevaluatedWork(d, q.child);
  let n = 0;
  for (const c of q.children) n += unevaluatedWork(d, c);
  return n;
}

/**
 * Occurrences one subscriber's phrases and proximities may read on one article
 * (`unevaluatedWork`, each charged to the subscribers who first need it). Past it the
 * subscriber's remaining such queries are not evaluated on that article (`overBudget`),
 * so no subscriber's queries can make an ingest slow for everyone: about 10 ms of CPU at
 * the slowest (proximities of the commonest words). A 5,000-word article holds 5,000
 * occurrences in all; a 1 MiB one about 150,000, so a subscriber can still run some 30
 * proximities of its commonest words on it.
 */
export const MAX_WORK_PER_SUBSCRIBER = 500_000;

export interface MatchOptions {
  /** Default MAX_WORK_PER_SUBSCRIBER. */
  workPerSubscriber?: number;
  /** Filled with the subscribers whose budget ran out on this article. */
  overBudget?: string[];
  /** `matchSteps`: work between two steps (default MATCH_STEP_WORK). */
  stepWork?: number;
}

/**
 * Charges `cost` to each subscriber among the first `n` of `targets` (watchlist, ordinal
 * pairs) with room for it, once per subscriber, and keeps only their watchlists at the
 * front of `targets`; returns how many entries are kept. Subscribers without room go
 * into `over`.
 */
function chargeOwners(
  ix: IndexInternals,
  sc: Scratch,
  targets: number[],
  n: number,
  cost: number,
  budget: number,
  over: Set<string>,
): number {
  const call = nextCharge(sc);
  let kept = 0;
  for (let i = 0; i < n; i += 2) {
    const wi = targets[i] as number;
    const sub = ix.subscriberOf[wi] as number;
    touchSubscriber(sc, sub);
    if (sc.chargedIn[sub] !== call) {
      const used = sc.workSpent[sub] as number;
      if (used + cost > budget) {
        over.add((ix.watchlists[wi] as CompiledWatchlist).subscriberId);
        continue;
      }
      sc.workSpent[sub] = used + cost;
      sc.chargedIn[sub] = call;
    }
    targets[kept++] = wi;
    targets[kept++] = targets[i + 1] as number;
  }
  return kept;
}

/**
 * The indexes of the matches in watchlist order, then by the query's ordinal in its
 * watchlist: one number a match (watchlist, ordinal, index, in mixed radix) sorted as a typed array,
 * not tuples through a comparator. Exact while the product of the radices stays under
 * 2^53 (about a billion watchlists at ordinals under 2^8 and 2^16 matches).
 */
function inWatchlistOrder(
  watchlists: number,
  keys: { wi: number[]; ordinal: number[] },
): Int32Array {
  let ordinals = 1;
  for (const o of keys.ordinal) if (o >= ordinals) ordinals = o + 1;
  const n = keys.wi.length;
  if (watchlists * ordinals * n >= 2 ** 53) throw new Error("too many matches to order");
  const sorted = new Float64Array(n);
  for (let i = 0; i < n; i++)
    sorted[i] = ((keys.wi[i] as number) * ordinals + (keys.ordinal[i] as number)) * n + i;
  sorted.sort();
  const order = new Int32Array(n);
  for (let k = 0; k < n; k++) order[k] = (sorted[k] as number) % n;
  return order;
}

/**
 * Every watchlist the document matches, in compile order, with each matching query's
 * hits. Takes the document, or its `indexDocument` when the caller needs it too. One
 * subscriber's phrases and proximities read at most `options.workPerSubscriber`
 * occurrences of the article (see MAX_WORK_PER_SUBSCRIBER).
 */
export function matchDocument(
  index: WatchIndex,
  document: MatchableDoc | DocIndex,
  options: MatchOptions = {},
): WatchlistMatch[] {
  const steps = matchSteps(index, document, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * Work between two steps of `matchSteps`: a candidate counts 1, a parse 10, a phrase or
 * proximity also the occurrences it reads / 64 (a few milliseconds of CPU a step).
 */
const MATCH_STEP_WORK = 2000;

/**
 * `matchDocument` in steps of about MATCH_STEP_WORK, so a server can let other requests
 * run between them (hostile watchlists on a 1 MiB article take up to ~100 ms). Steps of
 * several matches may interleave: each holds scratch of its own.
 */
export function* matchSteps(
  index: WatchIndex,
  document: MatchableDoc | DocIndex,
  options: MatchOptions = {},
): Generator<void, WatchlistMatch[]> {
  const ix = index._;
  if (ix.sources.length === 0) return [];
  const sc = takeScratch(ix);
  try {
    return yield* matchWith(ix, sc, document, options);
  } finally {
    ix.scratches.push(sc);
  }
}

function* matchWith(
  ix: IndexInternals,
  sc: Scratch,
  document: MatchableDoc | DocIndex,
  options: MatchOptions,
): Generator<void, WatchlistMatch[]> {
  const d = "fields" in document ? document : indexDocument(document);
  const doc = d.doc;
  const lang = normLang(typeof doc.lang === "string" ? doc.lang : "");
  let hosts: string[] | null = null; // parsed only when a watchlist filters by source
  const filterCache = new Map<number, boolean>();
  const filtered = ix.filtered;
  const passes = (wi: number) => {
    if (filtered[wi] === 0) return true;
    const w = ix.watchlists[wi] as CompiledWatchlist;
    let r = filterCache.get(wi);
    if (r === undefined) {
      hosts ??= [hostOf(doc.source), hostOf(doc.url)].filter((h) => h !== "");
      r = passesFilters(w, lang, hosts);
      filterCache.set(wi, r);
    }
    return r;
  };
  // Matches in the order found, with the watchlist and ordinal of each.
  const found: QueryMatch[] = [];
  const foundAt = { wi: [] as number[], ordinal: [] as number[] };
  let hitsFound = 0;
  const qinfo = ix.qinfo;
  const keyOf: number[] = [];
  const cands = candidates(ix, sc, d, keyOf);
  const stepWork = options.stepWork ?? MATCH_STEP_WORK;
  let work = 0;
  const budget = options.workPerSubscriber ?? MAX_WORK_PER_SUBSCRIBER;
  const over = new Set<string>();
  // Watchlists that want the candidate, as [watchlist, ordinal] pairs (reused: the first `nt`).
  const targets: number[] = [];
  for (let ci = 0; ci < cands.length; ci++) {
    if (++work >= stepWork) {
      work = 0;
      yield;
    }
    const qid = cands[ci] as number;
    const first = qOwner(qinfo, qid);
    const flags = qFlags(qinfo, qid);
    let nt = 0;
    if ((flags & Q_FILTERED) === 0 || passes(first)) {
      targets[nt++] = first;
      targets[nt++] = qOrdinal(qinfo, qid);
    }
    if ((flags & Q_MORE) !== 0) {
      const more = ix.moreOwners.get(qid) as number[];
      for (let i = 0; i < more.length; i += 2) {
        const wi = more[i] as number;
        if (passes(wi)) {
          targets[nt++] = wi;
          targets[nt++] = more[i + 1] as number;
        }
      }
    }
    if (nt === 0) continue;
    let r = verifyShortcut(ix, sc, d, qid, flags, keyOf[ci] as number);
    if (r === undefined) {
      if (ix.asts[qid] === undefined) work += 10; // parsed now: the first match after a decode
      const q = astOf(ix, qid);
      const cost = (flags & Q_SEQUENCES) !== 0 ? unevaluatedWork(d, q) : 0;
      if (cost > 0) {
        nt = chargeOwners(ix, sc, targets, nt, cost, budget, over);
        if (nt === 0) continue;
        work += cost >>> 6;
      }
      r = verify(d, q);
    }
    if (r === null) continue;
    const m: QueryMatch = { query: ix.sources[qid] as string, hits: r.hits, total: r.total };
    for (let i = 0; i < nt; i += 2) {
      foundAt.wi.push(targets[i] as number);
      foundAt.ordinal.push(targets[i + 1] as number);
      found.push(m);
      hitsFound += m.hits.length;
    }
  }
  options.overBudget?.push(...over);
  const out: WatchlistMatch[] = [];
  // no subscriber can pass its hit budget when all hits together do not
  const budgetHits = hitsFound > MAX_HITS_PER_SUBSCRIBER;
  let lastWi = -1;
  for (const i of inWatchlistOrder(ix.watchlists.length, foundAt)) {
    const wi = foundAt.wi[i] as number;
    const match = found[i] as QueryMatch;
    const w = ix.watchlists[wi] as CompiledWatchlist;
    let m = match;
    if (budgetHits) {
      // a subscriber's hits on one article are bounded whatever its queries (match objects are shared: copy to cut)
      const sub = ix.subscriberOf[wi] as number;
      touchSubscriber(sc, sub);
      const left = sc.hitsLeft[sub] as number;
      if (match.hits.length > left) m = { ...match, hits: match.hits.slice(0, left) };
      sc.hitsLeft[sub] = left - m.hits.length;
    }
    const last = out[out.length - 1];
    if (last && lastWi === wi) {
      last.matches.push(m);
    } else {
      out.push({ watchlistId: w.id, subscriberId: w.subscriberId, matches: [m] });
      lastWi = wi;
    }
  }
  return out;
}

/** Verifies each query directly against one document (no index); only matching queries are returned, in order. Invalid queries are skipped. */
export function matchQueries(queries: string[], doc: MatchableDoc): QueryMatch[] {
  const d = indexDocument(doc);
  const out: QueryMatch[] = [];
  const pool = new Map<string, TermNode>(); // equal terms are one term, as in the index
  for (const src of Array.isArray(queries) ? queries : []) {
    if (typeof src !== "string") continue;
    const r = parseQuery(src);
    if (!r.ok) continue;
    const m = verify(d, internTerms(r.query, pool));
    if (m !== null) out.push({ query: src, hits: m.hits, total: m.total });
  }
  return out;
}
