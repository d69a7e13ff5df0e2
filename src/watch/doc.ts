/**
 * The per-document positional index: both fields tokenised once, every token posted
 * under its folded key and its Arabic clitic-stripped forms (CSR postings), so any
 * number of queries read positions without touching the text again.
 */
import type { Hit } from "./evaluate.ts";
import { isArabicLetter } from "./normalize.ts";
import type { QueryToken } from "./query.ts";
import {
  type Dict,
  dictGet,
  dictIntern,
  newDict,
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
  /** Sentence spans into `text` (the text pipeline's), used for snippets. */
  sentences: { start: number; end: number }[];
}

export interface FieldIndex {
  name: "text" | "title";
  text: string;
  toks: Tokens;
  /** Postings (CSR): positions of key id k are pos[off[k] .. off[k + 1]), ascending. Covers clitic forms too. */
  off: Int32Array;
  pos: Int32Array;
}

/**
 * Where a term occurs in one field: token positions of each occurrence's first and
 * last token, ascending by (start, end). For one-token terms `e === s` (no copy).
 */
export interface Occ {
  s: Int32Array;
  e: Int32Array;
}

/** A term's occurrences in one document: [title, text], and how many in all (distinct by construction). */
export interface TermResult {
  occ: [Occ, Occ];
  count: number;
  /** The finished match when the term is a query of its own (shared by every query that is this term). */
  match?: { hits: Hit[]; total: number } | null;
  /** The same occurrences restricted to [title, text] (single-token terms with a field). */
  only?: [TermResult | null, TermResult | null];
  /** Stamp of the last query evaluation that collected this term (de-duplicates terms within a query). */
  stamp: number;
}

export interface DocIndex {
  doc: MatchableDoc;
  /** Interned keys of both fields; ids index `keys` and `forms`. */
  dict: Dict;
  keys: string[];
  /** Per key id: ids of its Arabic clitic-stripped forms, when any. */
  forms: (Int32Array | undefined)[];
  /** [title, text] */
  fields: [FieldIndex, FieldIndex];
  /** Sentence spans sorted by start (null until the first snippet). */
  sentences: { start: number; end: number }[] | null;
  /** Per-document caches, so each distinct term, key and prefix is evaluated once whatever the number of queries. */
  termCache: Map<object, TermResult>;
  keyResults: (TermResult | undefined)[];
  prefixResults: Map<string, TermResult>;
  /** Set by the presearch: for each registered prefix found, the ids of the keys starting with it. */
  prefixKeys: Map<string, number[]> | null;
  /** Short sentences' snippets by sentence index. */
  snippets: Map<number, string>;
  /** Hit objects, one per span: one-token spans through `hitAtToken` (per field, position -> index in `hitList` + 1), longer ones by packed (field, start, end). */
  hitList: Hit[];
  hitAtToken: [Int32Array | null, Int32Array | null];
  hitObjects: Map<number, Hit>;
  /** Key ids by their first two UTF-16 units (built when a prefix the presearch did not see is evaluated). */
  byStart: Map<number, number[]> | null;
  /** Evaluation counter for `TermResult.stamp`. */
  stamp: number;
}

export const EMPTY = new Int32Array(0);
export const NO_OCC: Occ = { s: EMPTY, e: EMPTY };

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

/** The Arabic clitic-stripped forms (as key ids) of every key of `dict` (forms of forms too: they are keys as well). */
function arabicFormIds(dict: Dict): (Int32Array | undefined)[] {
  const keys = dict.keys;
  const forms: (Int32Array | undefined)[] = [];
  for (let id = 0; id < keys.length; id++) {
    const key = keys[id] as string;
    const c = key.charCodeAt(0);
    forms.push(undefined);
    if (!isArabicLetter(c)) continue;
    // Only a word of 4+ letters starting with و ف ب ك ل has clitic forms (see `arabicCliticForms`).
    if (
      key.length <= 3 ||
      (c !== 0x0648 && c !== 0x0641 && c !== 0x0628 && c !== 0x0643 && c !== 0x0644)
    )
      continue;
    const fs = arabicForms(key);
    if (fs.length === 0) continue;
    const fids = new Int32Array(fs.length);
    for (let i = 0; i < fs.length; i++) fids[i] = dictIntern(dict, fs[i] as string);
    forms[id] = fids;
  }
  return forms;
}

/** CSR postings of one field: a counting pass, a prefix sum, a filling pass (O(tokens + forms)). */
function postings(
  nk: number,
  forms: (Int32Array | undefined)[],
  toks: Tokens,
): { off: Int32Array; pos: Int32Array } {
  const off = new Int32Array(nk + 1);
  const ids = toks.ids;
  for (let p = 0; p < toks.n; p++) {
    const id = ids[p] as number;
    off[id + 1] = (off[id + 1] as number) + 1;
    const fs = forms[id];
    if (fs)
      for (let i = 0; i < fs.length; i++) {
        const j = (fs[i] as number) + 1;
        off[j] = (off[j] as number) + 1;
      }
  }
  for (let k = 0; k < nk; k++) off[k + 1] = (off[k + 1] as number) + (off[k] as number);
  const fill = off.slice(0, nk);
  const pos = new Int32Array(off[nk] as number);
  for (let p = 0; p < toks.n; p++) {
    const id = ids[p] as number;
    const at = fill[id] as number;
    pos[at] = p;
    fill[id] = at + 1;
    const fs = forms[id];
    if (fs)
      for (let i = 0; i < fs.length; i++) {
        const k = fs[i] as number;
        const at2 = fill[k] as number;
        pos[at2] = p;
        fill[k] = at2 + 1;
      }
  }
  return { off, pos };
}

/** Indexes a document once for any number of queries. */
export function indexDocument(doc: MatchableDoc): DocIndex {
  const dict = newDict(2048);
  const titleText = typeof doc.title === "string" ? doc.title : "";
  const bodyText = typeof doc.text === "string" ? doc.text : "";
  const title = tokenize(titleText, dict);
  const text = tokenize(bodyText, dict);
  const forms = arabicFormIds(dict);
  const nk = dict.keys.length;
  return {
    doc,
    dict,
    keys: dict.keys,
    forms,
    fields: [
      { name: "title", text: titleText, toks: title, ...postings(nk, forms, title) },
      { name: "text", text: bodyText, toks: text, ...postings(nk, forms, text) },
    ],
    sentences: null,
    termCache: new Map(),
    // preallocated: writes at scattered ids would turn a growing array into a slow dictionary
    keyResults: new Array<TermResult | undefined>(nk).fill(undefined),
    prefixResults: new Map(),
    prefixKeys: null,
    snippets: new Map(),
    hitList: [],
    hitAtToken: [null, null],
    hitObjects: new Map(),
    byStart: null,
    stamp: 0,
  };
}

/** The positions of key id `id` in field `f` (a view of the postings, no copy). */
function keyPositions(f: FieldIndex, id: number): Int32Array {
  const from = f.off[id] as number;
  const to = f.off[id + 1] as number;
  // most keys are absent from one of the two fields: no view object for those
  return from === to ? EMPTY : f.pos.subarray(from, to);
}

/** The result of one-token occurrences at positions `t` of the title and `x` of the text. */
function oneTokenResult(t: Int32Array, x: Int32Array): TermResult {
  return {
    occ: [
      { s: t, e: t },
      { s: x, e: x },
    ],
    count: t.length + x.length,
    stamp: 0,
  };
}

/** Occurrences of the exact key id `id` in both fields (cached per document). */
export function keyResult(d: DocIndex, id: number): TermResult {
  let r = d.keyResults[id];
  if (r === undefined) {
    r = oneTokenResult(keyPositions(d.fields[0], id), keyPositions(d.fields[1], id));
    d.keyResults[id] = r;
  }
  return r;
}

/** Occurrences of the exact key `key` (empty when the document lacks it). */
function keyResultOf(d: DocIndex, key: string): TermResult {
  const id = dictGet(d.dict, key);
  return id < 0 ? EMPTY_RESULT : keyResult(d, id);
}

/** Occurrences of one query token: the prefix's, or the exact key's (cached per document). */
export function tokenResult(d: DocIndex, q: QueryToken): TermResult {
  return q.prefix ? prefixResult(d, q.key) : keyResultOf(d, q.key);
}

export const EMPTY_RESULT: TermResult = { occ: [NO_OCC, NO_OCC], count: 0, stamp: 0 };

/** Ids of the document keys starting with `prefix`: the presearch's list when it saw the prefix, else one bucket of keys. */
function keysWithPrefix(d: DocIndex, prefix: string): number[] {
  const known = d.prefixKeys?.get(prefix);
  if (known !== undefined) return known;
  const keys = d.keys;
  let by = d.byStart;
  if (by === null) {
    // group once by the first two units; every later prefix scans one group
    by = new Map();
    for (let id = 0; id < keys.length; id++) {
      const k = keys[id] as string;
      const g = k.length < 2 ? k.charCodeAt(0) : (k.charCodeAt(0) << 16) | k.charCodeAt(1);
      const list = by.get(g);
      if (list === undefined) by.set(g, [id]);
      else list.push(id);
    }
    d.byStart = by;
  }
  const g =
    prefix.length < 2 ? prefix.charCodeAt(0) : (prefix.charCodeAt(0) << 16) | prefix.charCodeAt(1);
  const out: number[] = [];
  const group = by.get(g);
  if (group !== undefined)
    for (const id of group) if ((keys[id] as string).startsWith(prefix)) out.push(id);
  return out;
}

/**
 * Ascending distinct positions of the keys `ids` in one field. The lists are merged
 * by marking a bitmap over the field's tokens when they are dense, else by a typed
 * sort; either way O(tokens + postings) at worst, and each prefix runs once per document.
 */
function unionPositions(f: FieldIndex, ids: number[]): Int32Array {
  let total = 0;
  let lists = 0;
  let only = -1;
  for (const id of ids) {
    const c = (f.off[id + 1] as number) - (f.off[id] as number);
    if (c > 0) {
      total += c;
      lists++;
      only = id;
    }
  }
  if (lists === 0) return EMPTY;
  if (lists === 1) return keyPositions(f, only);
  const n = f.toks.n;
  if (total * 16 > n) {
    const mark = new Uint8Array(n);
    for (const id of ids) {
      const b = f.off[id + 1] as number;
      for (let j = f.off[id] as number; j < b; j++) mark[f.pos[j] as number] = 1;
    }
    const out = new Int32Array(total);
    let w = 0;
    for (let p = 0; p < n; p++) if (mark[p] === 1) out[w++] = p;
    return out.subarray(0, w);
  }
  const all = new Int32Array(total);
  let w = 0;
  for (const id of ids) {
    const b = f.off[id + 1] as number;
    for (let j = f.off[id] as number; j < b; j++) all[w++] = f.pos[j] as number;
  }
  all.sort();
  let u = 0;
  for (let i = 0; i < all.length; i++)
    if (i === 0 || all[i] !== all[i - 1]) all[u++] = all[i] as number;
  return all.subarray(0, u);
}

/** Occurrences of any key starting with `prefix` (a token counts once even when several of its forms match). */
export function prefixResult(d: DocIndex, prefix: string): TermResult {
  let r = d.prefixResults.get(prefix);
  if (r === undefined) {
    const ids = keysWithPrefix(d, prefix);
    r = oneTokenResult(unionPositions(d.fields[0], ids), unionPositions(d.fields[1], ids));
    d.prefixResults.set(prefix, r);
  }
  return r;
}
