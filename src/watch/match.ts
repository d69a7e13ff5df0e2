/**
 * Verifying parsed queries against one document: a positional index of the title
 * and the text (every token under its folded form and its Arabic clitic-stripped
 * forms), phrase/proximity/prefix evaluation, hits with offsets into the original
 * field text, and sentence snippets.
 */
import type { Query, QueryToken, TermNode } from "./query.ts";
import {
  type Dict,
  dictGet,
  dictIntern,
  newDict,
  onlyLineBreaks,
  type Tokens,
  tokenize,
  tokenKeys,
} from "./tokenize.ts";

/** A document as the matcher sees it. */
export interface MatchableDoc {
  text: string;
  title: string;
  lang: string;
  source?: string | null;
  url?: string | null;
  /** Sentence spans into `text`, used for snippets; the matcher finds its own when absent. */
  sentences?: { start: number; end: number }[];
}

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
  hits: Hit[];
}

/** Hits reported per query at most (the match itself is unaffected). */
export const MAX_HITS_PER_QUERY = 20;
/** Longest snippet, in UTF-16 units, before it is cut around the hit. */
export const MAX_SNIPPET = 320;

export interface FieldIndex {
  name: "text" | "title";
  text: string;
  toks: Tokens;
  /** Interned key id of each token. */
  tokId: Int32Array;
  /** Postings (CSR): positions of key id k are pos[off[k] .. off[k + 1]), ascending. Covers clitic forms too. */
  off: Int32Array;
  pos: Int32Array;
}

export interface DocIndex {
  doc: MatchableDoc;
  /** Interned keys, shared by both fields; ids index `keys` and `forms`. */
  dict: Dict;
  /** Distinct keys of the document (token keys and their clitic-stripped forms); `dict.keys`. */
  keys: string[];
  /** Per key id: ids of its Arabic clitic-stripped forms, when any. */
  forms: (Int32Array | undefined)[];
  /** [title, text] */
  fields: FieldIndex[];
  /** Per-document cache of term results (raw hits, and finished hits once a single-term query needed them). */
  termCache: Map<TermNode, TermResult>;
  /** Key ids by their first two UTF-16 units, and by a hash of their first four (built once many prefix terms are evaluated). */
  byStart: Map<number, number[]> | null;
  byStart4: Map<number, number[]> | null;
  prefixScans?: number;
  sentences: { start: number; end: number }[] | null;
  /** Set by the presearch: for each registered prefix, the ids of the keys starting with it (all of them; a prefix absent here was not registered or matched nothing). */
  prefixKeys?: Map<string, number[]>;
  /** Finished hits of single-token queries, by key id. */
  keyHits?: (Hit[] | undefined)[];
  /** Finished hits of single-prefix queries, by prefix. */
  prefixHits?: Map<string, Hit[]>;
  snippets?: Map<number, string>;
  localSnippets?: number;
}

/** Raw hits as flat triples: field (0 title, 1 text), start, end. */
export type RawHits = number[];

/** A term's result in one document. */
export interface TermResult {
  raw: RawHits;
  /** Finished hits of the term as a query of its own (null until needed). */
  hits: Hit[] | null;
}

// Clitic forms of Arabic words, shared across documents of the isolate (bounded).
const formCache = new Map<string, string[]>();
const FORM_CACHE_MAX = 50_000;

function arabicForms(key: string): string[] {
  let f = formCache.get(key);
  if (f === undefined) {
    f = tokenKeys(key, false).slice(1);
    if (formCache.size >= FORM_CACHE_MAX) formCache.clear();
    formCache.set(key, f);
  }
  return f;
}

/** Adds the Arabic clitic-stripped forms of every key not yet seen (forms of forms too). */
function addForms(d: DocIndex, from: number): void {
  const keys = d.keys;
  for (let id = from; id < keys.length; id++) {
    const key = keys[id] as string;
    const c = key.charCodeAt(0);
    d.forms.push(undefined);
    if (c < 0x0621 || c > 0x064a) continue;
    // Only a word of 4+ letters starting with و ف ب ك ل has clitic forms (see `arabicCliticForms`).
    if (
      key.length <= 3 ||
      (c !== 0x0648 && c !== 0x0641 && c !== 0x0628 && c !== 0x0643 && c !== 0x0644)
    )
      continue;
    const fs = arabicForms(key);
    if (fs.length === 0) continue;
    const fids = new Int32Array(fs.length);
    for (let i = 0; i < fs.length; i++) fids[i] = dictIntern(d.dict, fs[i] as string);
    d.forms[id] = fids;
  }
}

function postings(
  d: DocIndex,
  toks: Tokens,
  tokId: Int32Array,
): { off: Int32Array; pos: Int32Array } {
  const nk = d.keys.length;
  const off = new Int32Array(nk + 1);
  const forms = d.forms;
  for (let p = 0; p < toks.n; p++) {
    const id = tokId[p] as number;
    off[id + 1] = (off[id + 1] as number) + 1;
    const fs = forms[id];
    if (fs) {
      for (let i = 0; i < fs.length; i++) {
        const j = (fs[i] as number) + 1;
        off[j] = (off[j] as number) + 1;
      }
    }
  }
  for (let k = 0; k < nk; k++) off[k + 1] = (off[k + 1] as number) + (off[k] as number);
  const fill = off.slice(0, nk);
  const pos = new Int32Array(off[nk] as number);
  for (let p = 0; p < toks.n; p++) {
    const id = tokId[p] as number;
    const at = fill[id] as number;
    pos[at] = p;
    fill[id] = at + 1;
    const fs = forms[id];
    if (fs) {
      for (let i = 0; i < fs.length; i++) {
        const k = fs[i] as number;
        const at2 = fill[k] as number;
        pos[at2] = p;
        fill[k] = at2 + 1;
      }
    }
  }
  return { off, pos };
}

/** Indexes a document once for any number of queries. */
export function indexDocument(doc: MatchableDoc): DocIndex {
  const dict = newDict(2048);
  const d: DocIndex = {
    doc,
    dict,
    keys: dict.keys,
    forms: [],
    fields: [],
    termCache: new Map(),
    byStart: null,
    byStart4: null,
    sentences: null,
  };
  const title = tokenize(typeof doc.title === "string" ? doc.title : "", dict);
  const text = tokenize(typeof doc.text === "string" ? doc.text : "", dict);
  addForms(d, 0);
  d.fields.push({
    name: "title",
    text: typeof doc.title === "string" ? doc.title : "",
    toks: title,
    tokId: title.ids,
    ...postings(d, title, title.ids),
  });
  d.fields.push({
    name: "text",
    text: typeof doc.text === "string" ? doc.text : "",
    toks: text,
    tokId: text.ids,
    ...postings(d, text, text.ids),
  });
  return d;
}

function tokenMatches(d: DocIndex, f: FieldIndex, p: number, q: QueryToken, qid: number): boolean {
  const id = f.tokId[p] as number;
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

const EMPTY = new Int32Array(0);

/** A hash of the first four units of `k` (groups keys for prefix terms; collisions are checked). */
function start4(k: string): number {
  const a = (k.charCodeAt(0) << 16) | k.charCodeAt(1);
  const b = (k.charCodeAt(2) << 16) | k.charCodeAt(3);
  return (Math.imul(a, 0x9e3779b1) ^ b) & 0x3fffffff;
}

/** Ascending positions of tokens that match `q`. */
function positions(d: DocIndex, f: FieldIndex, q: QueryToken): Int32Array {
  if (!q.prefix) {
    const id = dictGet(d.dict, q.key);
    return id < 0 ? EMPTY : f.pos.subarray(f.off[id], f.off[id + 1]);
  }
  const out: number[] = [];
  let lists = 0;
  const collect = (id: number) => {
    const a = f.off[id] as number;
    const b = f.off[id + 1] as number;
    if (b > a) {
      for (let j = a; j < b; j++) out.push(f.pos[j] as number);
      lists++;
    }
  };
  const known = d.prefixKeys?.get(q.key);
  const keys = d.keys;
  if (known !== undefined) {
    // the presearch already found every key starting with this prefix
    for (let i = 0; i < known.length; i++) collect(known[i] as number);
  } else {
    d.prefixScans = (d.prefixScans ?? 0) + 1;
    if (d.prefixScans <= 4 || q.key.length < 2) {
      // a few prefix terms: scan the distinct keys (cheaper than grouping them)
      for (let id = 0; id < keys.length; id++)
        if ((keys[id] as string).startsWith(q.key)) collect(id);
    } else {
      // many: group the keys by how they start once, then scan one group
      let by = d.byStart;
      let by4 = d.byStart4;
      if (by === null || by4 === null) {
        by = new Map();
        by4 = new Map();
        for (let id = 0; id < keys.length; id++) {
          const k = keys[id] as string;
          if (k.length < 2) continue;
          const g = (k.charCodeAt(0) << 16) | k.charCodeAt(1);
          const list = by.get(g);
          if (list === undefined) by.set(g, [id]);
          else list.push(id);
          if (k.length < 4) continue;
          const g4 = start4(k);
          const list4 = by4.get(g4);
          if (list4 === undefined) by4.set(g4, [id]);
          else list4.push(id);
        }
        d.byStart = by;
        d.byStart4 = by4;
      }
      const group =
        q.key.length >= 4
          ? by4.get(start4(q.key))
          : by.get((q.key.charCodeAt(0) << 16) | q.key.charCodeAt(1));
      if (group !== undefined)
        for (let i = 0; i < group.length; i++) {
          const id = group[i] as number;
          if ((keys[id] as string).startsWith(q.key)) collect(id);
        }
    }
  }
  const res = new Int32Array(out);
  if (lists <= 1) return res;
  res.sort();
  let w = 0;
  for (let i = 0; i < res.length; i++)
    if (i === 0 || res[i] !== res[i - 1]) res[w++] = res[i] as number;
  return res.subarray(0, w);
}

/** Occurrences [startPos, endPos] of an exact token sequence. */
function sequence(d: DocIndex, f: FieldIndex, seq: QueryToken[]): [number, number][] {
  const first = seq[0] as QueryToken;
  const anchor = positions(d, f, first);
  const out: [number, number][] = [];
  if (seq.length === 1) {
    for (const p of anchor) out.push([p, p]);
    return out;
  }
  const qids = seq.map((q) => {
    if (q.prefix) return -1;
    const id = dictGet(d.dict, q.key);
    return id < 0 ? -2 : id;
  });
  if (qids.includes(-2)) return out;
  const n = f.toks.n;
  outer: for (const p of anchor) {
    if (p + seq.length > n) break;
    for (let j = 1; j < seq.length; j++) {
      const q = seq[j] as QueryToken;
      if (!tokenMatches(d, f, p + j, q, qids[j] as number)) continue outer;
      if (q.glued) {
        const prevEnd = f.toks.ends[p + j - 1] as number;
        const start = f.toks.starts[p + j] as number;
        if (prevEnd !== start && !onlyLineBreaks(f.text, prevEnd, start)) continue outer;
      }
    }
    out.push([p, p + seq.length - 1]);
  }
  return out;
}

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

function proximity(
  d: DocIndex,
  f: FieldIndex,
  us: QueryToken[][],
  slop: number,
): [number, number][] {
  // Identical units would compete for the same occurrence: keep one of each.
  const seen = new Set<string>();
  const uniq: QueryToken[][] = [];
  for (const u of us) {
    const sig = u.map((t) => `${t.key}${t.prefix ? "*" : ""}`).join("\u0001");
    if (!seen.has(sig)) {
      seen.add(sig);
      uniq.push(u);
    }
  }
  const occ = uniq.map((u) => sequence(d, f, u));
  if (occ.some((o) => o.length === 0)) return [];
  if (uniq.length === 1) return occ[0] as [number, number][];
  const events: [number, number, number][] = [];
  occ.forEach((o, ui) => {
    for (const [s, e] of o) events.push([s, e, ui]);
  });
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const k = uniq.length;
  const latest: ([number, number] | undefined)[] = new Array(k);
  let have = 0;
  const hits = new Map<number, [number, number]>();
  for (const [s, e, ui] of events) {
    if (latest[ui] === undefined) have++;
    latest[ui] = [s, e];
    if (have < k) continue;
    const chosen = (latest as [number, number][]).slice().sort((a, b) => a[0] - b[0]);
    let ok = true;
    let covered = 0;
    for (let i = 0; i < chosen.length; i++) {
      const c = chosen[i] as [number, number];
      covered += c[1] - c[0] + 1;
      if (i > 0 && c[0] <= (chosen[i - 1] as [number, number])[1]) ok = false;
    }
    if (!ok) continue;
    const first = chosen[0] as [number, number];
    const last = chosen[chosen.length - 1] as [number, number];
    const between = last[1] - first[0] + 1 - covered;
    if (between <= slop) for (const c of chosen) hits.set(c[0] * 1e6 + c[1], c);
  }
  return [...hits.values()].sort((a, b) => a[0] - b[0]);
}

function evalTerm(d: DocIndex, t: TermNode): RawHits {
  return termResult(d, t).raw;
}

function termResult(d: DocIndex, t: TermNode): TermResult {
  const cached = d.termCache.get(t);
  if (cached) return cached;
  const r: TermResult = { raw: computeTerm(d, t), hits: null };
  d.termCache.set(t, r);
  return r;
}

function computeTerm(d: DocIndex, t: TermNode): RawHits {
  const out: RawHits = [];
  const only = t.tokens.length === 1 ? (t.tokens[0] as QueryToken) : null;
  if (only !== null && !only.prefix) {
    // the commonest term: one exact token, read straight from the postings
    const id = dictGet(d.dict, only.key);
    if (id >= 0) {
      for (let fi = 0; fi <= 1; fi++) {
        if ((t.field === "title" && fi !== 0) || (t.field === "text" && fi !== 1)) continue;
        const f = d.fields[fi] as FieldIndex;
        const b = f.off[id + 1] as number;
        for (let j = f.off[id] as number; j < b; j++) {
          const p = f.pos[j] as number;
          out.push(fi, f.toks.starts[p] as number, f.toks.ends[p] as number);
        }
      }
    }
    return out;
  }
  for (let fi = 0; fi <= 1; fi++) {
    if (t.field === "title" && fi !== 0) continue;
    if (t.field === "text" && fi !== 1) continue;
    const f = d.fields[fi] as FieldIndex;
    if (f.toks.n === 0) continue;
    const starts = f.toks.starts;
    const ends = f.toks.ends;
    if (t.tokens.length === 1) {
      // one token: straight from the postings
      const ps = positions(d, f, t.tokens[0] as QueryToken);
      for (let i = 0; i < ps.length; i++) {
        const p = ps[i] as number;
        out.push(fi, starts[p] as number, ends[p] as number);
      }
      continue;
    }
    const occ =
      t.slop !== null ? proximity(d, f, units(t.tokens), t.slop) : sequence(d, f, t.tokens);
    for (const [ps, pe] of occ) out.push(fi, starts[ps] as number, ends[pe] as number);
  }
  return out;
}

/** True when `q` matches; collects the hits of its positive parts into `hits`. */
export function evaluate(d: DocIndex, q: Query, hits: RawHits | null): boolean {
  switch (q.type) {
    case "term": {
      const h = evalTerm(d, q);
      if (h.length === 0) return false;
      if (hits) for (let i = 0; i < h.length; i++) hits.push(h[i] as number);
      return true;
    }
    case "not":
      return !evaluate(d, q.child, null);
    case "and": {
      const local: RawHits | null = hits ? [] : null;
      // Positive parts first (cheap rejections), vetoes after.
      for (const c of q.children) if (c.type !== "not" && !evaluate(d, c, local)) return false;
      for (const c of q.children) if (c.type === "not" && !evaluate(d, c, null)) return false;
      if (hits && local) for (let i = 0; i < local.length; i++) hits.push(local[i] as number);
      return true;
    }
    case "or": {
      let any = false;
      for (const c of q.children) {
        if (evaluate(d, c, hits)) {
          any = true;
          if (!hits) return true;
        }
      }
      return any;
    }
  }
}

// ---------------------------------------------------------------------------
// Snippets

const ABBREV = new Set([
  "mr",
  "mrs",
  "ms",
  "dr",
  "prof",
  "st",
  "gen",
  "sen",
  "rep",
  "gov",
  "jr",
  "sr",
  "inc",
  "ltd",
  "co",
  "corp",
  "vs",
  "no",
  "jan",
  "feb",
  "mar",
  "apr",
  "jun",
  "jul",
  "aug",
  "sep",
  "sept",
  "oct",
  "nov",
  "dec",
  "mt",
  "ft",
  "col",
  "lt",
  "capt",
  "sgt",
]);

const RE_WS = /\s/;
const RE_CJK_CLOSER = /["'”’」』)）]/;
const RE_CLOSER = /[.!?؟…"'”’»)\]]/;
const RE_LETTER = /\p{L}/u;
const RE_UPPER = /\p{Lu}/u;

/**
 * When a sentence ends at `text[i]`, the offset just after it (after closing quotes
 * and brackets); else -1. Ends: . ! ? ؟ … before a space (not after initials or
 * common abbreviations), 。！？ anywhere, and line breaks.
 */
function isLetterAt(text: string, k: number): boolean {
  const c = text.charCodeAt(k);
  if (c < 128) return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  return RE_LETTER.test(text[k] as string);
}

function isSpaceAt(text: string, k: number): boolean {
  const c = text.charCodeAt(k);
  if (c < 128) return c === 32 || (c >= 9 && c <= 13);
  return RE_WS.test(text[k] as string);
}

function isCloserAt(text: string, k: number): boolean {
  const c = text.charCodeAt(k);
  if (c < 128)
    return c === 46 || c === 33 || c === 63 || c === 34 || c === 39 || c === 41 || c === 93;
  return RE_CLOSER.test(text[k] as string);
}

function sentenceEndAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === 10) return i;
  const n = text.length;
  if (c === 0x3002 || c === 0xff01 || c === 0xff1f) {
    // 。！？
    let j = i + 1;
    while (j < n && RE_CJK_CLOSER.test(text[j] as string)) j++;
    return j;
  }
  if (c === 46 || c === 33 || c === 63 || c === 0x061f || c === 0x2026) {
    // . ! ? ؟ …
    let j = i + 1;
    while (j < n && isCloserAt(text, j)) j++;
    if (j < n && !isSpaceAt(text, j)) return -1;
    if (c === 46) {
      let w = i;
      while (w > 0 && i - w < 12 && isLetterAt(text, w - 1)) w--;
      const len = i - w;
      if (len === 1) {
        const u = text.charCodeAt(w);
        if (u < 128 ? u >= 65 && u <= 90 : RE_UPPER.test(text[w] as string)) return -1; // initials: "J. Smith"
      }
      if (len >= 2 && len <= 5 && ABBREV.has(text.slice(w, i).toLowerCase())) return -1;
      if (w > 0 && text.charCodeAt(w - 1) === 46) return -1; // "U.S."
    }
    return j;
  }
  return -1;
}

function trimSpan(text: string, s0: number, e0: number): { start: number; end: number } {
  let s = s0;
  let e = e0;
  while (s < e && isSpaceAt(text, s)) s++;
  while (e > s && isSpaceAt(text, e - 1)) e--;
  return { start: s, end: e };
}

/** Fallback sentence bounds for a whole text (see `sentenceEndAt`). */
const RE_ENDER = /[\n。！？.!?؟…]/g;

export function sentenceSpans(text: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  let start = 0;
  const re = new RegExp(RE_ENDER.source, "g");
  for (let i = 0; i < text.length; i++) {
    re.lastIndex = i;
    const m = re.exec(text);
    if (m === null) break;
    i = m.index;
    const j = sentenceEndAt(text, i);
    if (j < 0) continue;
    const sp = trimSpan(text, start, j);
    if (sp.end > sp.start) out.push(sp);
    start = j;
    if (j > i) i = j - 1;
  }
  const sp = trimSpan(text, start, text.length);
  if (sp.end > sp.start) out.push(sp);
  return out;
}

function cut(text: string, s: number, e: number, hs: number, he: number): string {
  // Cut a long sentence to a window around the hit, at spaces.
  if (e - s <= MAX_SNIPPET) return text.slice(s, e).trim();
  const room = Math.max(0, MAX_SNIPPET - (he - hs));
  let a = Math.max(s, hs - Math.floor(room / 2));
  let b = Math.min(e, he + (room - (hs - a)));
  if (b - a < MAX_SNIPPET) a = Math.max(s, b - MAX_SNIPPET);
  if (a > s) {
    const sp = text.indexOf(" ", a);
    if (sp >= 0 && sp < hs) a = sp + 1;
  }
  if (b < e) {
    const sp = text.lastIndexOf(" ", b);
    if (sp > he) b = sp;
  }
  return `${a > s ? "…" : ""}${text.slice(a, b).trim()}${b < e ? "…" : ""}`;
}

function sentencesOf(d: DocIndex): { start: number; end: number }[] {
  if (d.sentences === null) {
    const given = d.doc.sentences;
    d.sentences =
      Array.isArray(given) && given.length > 0
        ? given.slice().sort((a, b) => a.start - b.start)
        : sentenceSpans((d.fields[1] as FieldIndex).text);
  }
  return d.sentences;
}

/** The sentence around [hs, he), found by scanning outwards from the hit only. */
function sentenceAround(text: string, hs: number, he: number): { start: number; end: number } {
  const SCAN = 2000;
  let start = Math.max(0, hs - SCAN);
  for (let j = hs - 1; j >= start; j--) {
    const e = sentenceEndAt(text, j);
    if (e >= 0 && e <= hs) {
      start = e;
      break;
    }
  }
  let end = Math.min(text.length, he + SCAN);
  for (let j = he; j < end; j++) {
    const e = sentenceEndAt(text, j);
    if (e >= 0) {
      end = e;
      break;
    }
  }
  return trimSpan(text, start, end);
}

function snippet(d: DocIndex, hf: number, hs: number, he: number): string {
  const f = d.fields[hf] as FieldIndex;
  if (hf === 0) return cut(f.text, 0, f.text.length, hs, he);
  const given = d.doc.sentences;
  if (d.sentences === null && !(Array.isArray(given) && given.length > 0)) {
    // A few hits: look around each; many: split the whole text once.
    d.localSnippets = (d.localSnippets ?? 0) + 1;
    if (d.localSnippets <= 16) {
      const sp = sentenceAround(f.text, hs, he);
      return cut(f.text, Math.min(sp.start, hs), Math.max(sp.end, he), hs, he);
    }
  }
  const ss = sentencesOf(d);
  // last sentence starting at or before the hit
  let lo = 0;
  let hi = ss.length - 1;
  let at = -1;
  while (lo <= hi) {
    const m = (lo + hi) >>> 1;
    if ((ss[m] as { start: number }).start <= hs) {
      at = m;
      lo = m + 1;
    } else hi = m - 1;
  }
  let s = hs;
  let e = he;
  let single = false;
  if (at >= 0) {
    const sent = ss[at] as { start: number; end: number };
    if (sent.end > hs) {
      s = sent.start;
      e = Math.max(e, sent.end);
      single = he <= sent.end;
    }
    // a hit running into later sentences takes them too
    for (let k = at + 1; k < ss.length && (ss[k] as { start: number }).start < he; k++) {
      e = Math.max(e, (ss[k] as { end: number }).end);
    }
  }
  s = Math.max(0, Math.min(s, hs));
  e = Math.min(f.text.length, Math.max(e, he));
  // Short sentences are shared by all their hits.
  if (single && e - s <= MAX_SNIPPET) {
    const cache = d.snippets ?? new Map<number, string>();
    d.snippets = cache;
    let sn = cache.get(at);
    if (sn === undefined) {
      sn = f.text.slice(s, e).trim();
      cache.set(at, sn);
    }
    return sn;
  }
  return cut(f.text, s, e, hs, he);
}

/** Turns raw hits into sorted, de-duplicated, capped `Hit`s (title first, then text). */
export function finishHits(d: DocIndex, raw: RawHits, sorted = false): Hit[] {
  const k = raw.length / 3;
  let order: number[] | null = null;
  if (!sorted) {
    order = new Array(k);
    for (let i = 0; i < k; i++) order[i] = i * 3;
    order.sort(
      (a, b) =>
        (raw[a] as number) - (raw[b] as number) ||
        (raw[a + 1] as number) - (raw[b + 1] as number) ||
        (raw[a + 2] as number) - (raw[b + 2] as number),
    );
  }
  const out: Hit[] = [];
  let pf = -1;
  let ps = -1;
  let pe = -1;
  for (let i = 0; i < k; i++) {
    const at = order ? (order[i] as number) : i * 3;
    const hf = raw[at] as number;
    const hs = raw[at + 1] as number;
    const he = raw[at + 2] as number;
    if (hf === pf && hs === ps && he === pe) continue;
    pf = hf;
    ps = hs;
    pe = he;
    const f = d.fields[hf] as FieldIndex;
    out.push({
      field: f.name,
      start: hs,
      end: he,
      text: f.text.slice(hs, he),
      snippet: snippet(d, hf, hs, he),
    });
    if (out.length >= MAX_HITS_PER_QUERY) break;
  }
  return out;
}

/** The hits of a query that is the single exact token with key id `id`, in any field (the postings include its Arabic forms). */
export function keyHits(d: DocIndex, id: number): Hit[] | null {
  const cache = d.keyHits ?? [];
  d.keyHits = cache;
  const cached = cache[id];
  if (cached !== undefined) return cached.length === 0 ? null : cached;
  const raw: RawHits = [];
  for (let fi = 0; fi <= 1; fi++) {
    const f = d.fields[fi] as FieldIndex;
    const b = f.off[id + 1] as number;
    for (let j = f.off[id] as number; j < b; j++) {
      const p = f.pos[j] as number;
      raw.push(fi, f.toks.starts[p] as number, f.toks.ends[p] as number);
    }
  }
  const hits = finishHits(d, raw, true);
  cache[id] = hits;
  return hits.length === 0 ? null : hits;
}

/** The hits of a query that is an OR of single exact tokens (`keys`, in order) in any field. */
export function orKeyHits(d: DocIndex, keys: string[]): Hit[] | null {
  const raw: RawHits = [];
  for (let k = 0; k < keys.length; k++) {
    const id = dictGet(d.dict, keys[k] as string);
    if (id < 0) continue;
    for (let fi = 0; fi <= 1; fi++) {
      const f = d.fields[fi] as FieldIndex;
      const b = f.off[id + 1] as number;
      for (let j = f.off[id] as number; j < b; j++) {
        const p = f.pos[j] as number;
        raw.push(fi, f.toks.starts[p] as number, f.toks.ends[p] as number);
      }
    }
  }
  return raw.length === 0 ? null : finishHits(d, raw);
}

/** The hits of a query that is the single prefix token `prefix`, in any field. */
export function prefixHits(d: DocIndex, prefix: string): Hit[] | null {
  const cache = d.prefixHits ?? new Map<string, Hit[]>();
  d.prefixHits = cache;
  let hits = cache.get(prefix);
  if (hits === undefined) {
    const q: QueryToken = { key: prefix, prefix: true, sub: false, glued: false };
    const raw: RawHits = [];
    for (let fi = 0; fi <= 1; fi++) {
      const f = d.fields[fi] as FieldIndex;
      if (f.toks.n === 0) continue;
      const ps = positions(d, f, q);
      for (let i = 0; i < ps.length; i++) {
        const p = ps[i] as number;
        raw.push(fi, f.toks.starts[p] as number, f.toks.ends[p] as number);
      }
    }
    hits = finishHits(d, raw, true);
    cache.set(prefix, hits);
  }
  return hits.length === 0 ? null : hits;
}

/** Verifies one parsed query: its hits when it matches, else null. */
export function verify(d: DocIndex, q: Query): Hit[] | null {
  if (q.type === "term") {
    // The common case: one term, shared by many queries through interning.
    const r = termResult(d, q);
    if (r.raw.length === 0) return null;
    // one term: already in field then position order
    r.hits ??= finishHits(d, r.raw, true);
    return r.hits;
  }
  const raw: RawHits = [];
  if (!evaluate(d, q, raw)) return null;
  return finishHits(d, raw);
}

/**
 * Replaces every term of `q` with a canonical node shared by all queries with the
 * same term, so a document evaluates each distinct term once.
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
      // the tree is freshly parsed and ours: rewrite in place
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
