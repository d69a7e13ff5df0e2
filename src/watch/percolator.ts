/**
 * All watchlists compiled into one index (a percolator, as in the Elasticsearch
 * percolator and Lucene Monitor's presearcher): each distinct query registers the
 * key(s) one of which must be in any article it matches — for an AND the best single
 * part, for an OR every branch, for a purely negative query a catch-all. At match time
 * the article's own distinct keys (plus their prefixes through a trie and CJK bigrams)
 * select the candidate queries, and only those are verified. Matching cost therefore
 * depends on the article and on how many queries are candidates, not on the total.
 */
import {
  type DocIndex,
  type FieldIndex,
  indexDocument,
  internTerms,
  type MatchableDoc,
  type QueryMatch,
  units,
  verify,
} from "./match.ts";
import { parseQuery, type Query, type QueryToken, type TermNode } from "./query.ts";

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

export interface WatchlistMatch {
  watchlistId: string;
  subscriberId: string;
  matches: QueryMatch[];
}

interface TrieNode {
  c: Map<number, TrieNode> | null;
  q: number[] | null;
}

interface CompiledWatchlist {
  id: string;
  subscriberId: string;
  langs: string[] | null;
  sources: string[] | null;
}

/** The compiled, immutable index of every watchlist's queries. */
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

interface IndexInternals {
  sources: string[];
  asts: Query[];
  /** Per query: pairs (watchlist index, query ordinal in that watchlist), flattened. */
  owners: number[][];
  watchlists: CompiledWatchlist[];
  words: Map<string, number[]>;
  trie: TrieNode;
  catchAll: number[];
  stamp: Uint32Array;
  epoch: number;
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

/** Compiles every watchlist's queries into one index. Invalid queries are skipped (and listed in `invalid`). */
export function compileWatchIndex(watchlists: WatchlistSpec[]): WatchIndex {
  const sources: string[] = [];
  const asts: Query[] = [];
  const owners: number[][] = [];
  const bySource = new Map<string, number>();
  const words = new Map<string, number[]>();
  const trie: TrieNode = { c: null, q: null };
  const catchAll: number[] = [];
  const invalid: WatchIndex["invalid"] = [];
  const compiled: CompiledWatchlist[] = [];
  const postings = (k: string) => words.get(k)?.length ?? 0;
  const termPool = new Map<string, TermNode>();

  const register = (qid: number, q: Query) => {
    const keys = required(q, postings);
    if (keys === null) {
      catchAll.push(qid);
      return;
    }
    for (const k of keys) {
      if (!k.prefix) {
        const l = words.get(k.key);
        if (l === undefined) words.set(k.key, [qid]);
        else if (l[l.length - 1] !== qid) l.push(qid);
        continue;
      }
      let node = trie;
      for (let i = 0; i < k.key.length; i++) {
        const c = k.key.charCodeAt(i);
        if (node.c === null) node.c = new Map();
        let nx = node.c.get(c);
        if (nx === undefined) {
          nx = { c: null, q: null };
          node.c.set(c, nx);
        }
        node = nx;
      }
      if (node.q === null) node.q = [qid];
      else if (node.q[node.q.length - 1] !== qid) node.q.push(qid);
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
        owners.push([]);
        register(qid, r.query);
      }
      (owners[qid] as number[]).push(wi, qi);
    }
  }
  return {
    queryCount: asts.length,
    watchlistCount: compiled.length,
    invalid,
    _: {
      sources,
      asts,
      owners,
      watchlists: compiled,
      words,
      trie,
      catchAll,
      stamp: new Uint32Array(asts.length),
      epoch: 0,
    },
  };
}

/** Candidate query ids for an indexed document (the presearch). */
function candidates(ix: IndexInternals, d: DocIndex): number[] {
  ix.epoch = (ix.epoch + 1) >>> 0;
  if (ix.epoch === 0) {
    ix.stamp.fill(0);
    ix.epoch = 1;
  }
  const epoch = ix.epoch;
  const stamp = ix.stamp;
  const out: number[] = [];
  const addAll = (l: number[] | null | undefined) => {
    if (!l) return;
    for (const q of l) {
      if (stamp[q] !== epoch) {
        stamp[q] = epoch;
        out.push(q);
      }
    }
  };
  addAll(ix.catchAll);
  const words = ix.words;
  const root = ix.trie;
  const hasTrie = root.c !== null;
  const keys = d.keys;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string;
    addAll(words.get(k));
    if (hasTrie) {
      let node: TrieNode | undefined = root;
      for (let j = 0; j < k.length && node; j++) {
        node = node.c?.get(k.charCodeAt(j));
        if (node?.q) addAll(node.q);
      }
    }
  }
  for (const f of d.fields as FieldIndex[]) {
    // CJK bigrams of contiguous characters
    const t = f.toks;
    for (let p = 0; p + 1 < t.n; p++) {
      if (t.sub[p] === 1 && t.sub[p + 1] === 1 && t.ends[p] === t.starts[p + 1]) {
        addAll(words.get((t.keys[p] as string) + (t.keys[p + 1] as string)));
      }
    }
  }
  return out;
}

/** How many distinct queries the presearch would verify for this document (for benchmarks and diagnostics). */
export function countCandidates(index: WatchIndex, doc: MatchableDoc): number {
  return candidates(index._, indexDocument(doc)).length;
}

/** Every watchlist the document matches, in compile order, with each matching query's hits. */
export function matchDocument(index: WatchIndex, doc: MatchableDoc): WatchlistMatch[] {
  const ix = index._;
  if (ix.asts.length === 0) return [];
  const d = indexDocument(doc);
  const lang = normLang(typeof doc.lang === "string" ? doc.lang : "");
  const hosts = [hostOf(doc.source), hostOf(doc.url)].filter((h) => h !== "");
  const filterCache = new Map<number, boolean>();
  const passes = (wi: number) => {
    let r = filterCache.get(wi);
    if (r === undefined) {
      r = passesFilters(ix.watchlists[wi] as CompiledWatchlist, lang, hosts);
      filterCache.set(wi, r);
    }
    return r;
  };
  const found: [number, number, QueryMatch][] = [];
  for (const qid of candidates(ix, d)) {
    const own = ix.owners[qid] as number[];
    let wanted = false;
    for (let i = 0; i < own.length; i += 2) {
      if (passes(own[i] as number)) {
        wanted = true;
        break;
      }
    }
    if (!wanted) continue;
    const hits = verify(d, ix.asts[qid] as Query);
    if (hits === null) continue;
    const query = ix.sources[qid] as string;
    for (let i = 0; i < own.length; i += 2) {
      const wi = own[i] as number;
      if (passes(wi)) found.push([wi, own[i + 1] as number, { query, hits }]);
    }
  }
  found.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: WatchlistMatch[] = [];
  let lastWi = -1;
  for (const [wi, , m] of found) {
    const w = ix.watchlists[wi] as CompiledWatchlist;
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
  for (const src of Array.isArray(queries) ? queries : []) {
    if (typeof src !== "string") continue;
    const r = parseQuery(src);
    if (!r.ok) continue;
    const hits = verify(d, r.query);
    if (hits !== null) out.push({ query: src, hits });
  }
  return out;
}
