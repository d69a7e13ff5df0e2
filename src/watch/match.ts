/**
 * Verifying parsed queries against one document: a positional index of the title
 * and the text (every token under its folded form and its Arabic clitic-stripped
 * forms), phrase/proximity/prefix evaluation, hits with offsets into the original
 * field text, and sentence snippets.
 */
import type { Query, QueryToken, TermNode } from "./query.ts";
import { onlyLineBreaks, type Tokens, tokenize, tokenKeys } from "./tokenize.ts";

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
export const MAX_HITS_PER_QUERY = 50;
/** Longest snippet, in UTF-16 units, before it is cut around the hit. */
export const MAX_SNIPPET = 320;

export interface FieldIndex {
  name: "text" | "title";
  text: string;
  toks: Tokens;
  /** Extra keys (clitic-stripped forms) per token, when any. */
  extra: (string[] | undefined)[];
  /** key -> ascending token positions. */
  keyPos: Map<string, number[]>;
  sortedKeys: string[] | null;
}

export interface DocIndex {
  doc: MatchableDoc;
  fields: FieldIndex[];
  /** Per-document cache of term results. */
  termCache: Map<TermNode, RawHit[]>;
  sentences: { start: number; end: number }[] | null;
}

export interface RawHit {
  f: 0 | 1; // index into DocIndex.fields: 0 title, 1 text
  s: number;
  e: number;
}

function buildField(
  name: "text" | "title",
  text: string,
  formCache: Map<string, string[]>,
): FieldIndex {
  const toks = tokenize(text);
  const extra: (string[] | undefined)[] = new Array(toks.n);
  const keyPos = new Map<string, number[]>();
  const add = (k: string, p: number) => {
    const l = keyPos.get(k);
    if (l === undefined) keyPos.set(k, [p]);
    else l.push(p);
  };
  for (let p = 0; p < toks.n; p++) {
    const key = toks.keys[p] as string;
    add(key, p);
    if (toks.sub[p] === 1) continue;
    const c = key.charCodeAt(0);
    if (c < 0x0621 || c > 0x064a) continue; // clitic forms only for Arabic letters
    let forms = formCache.get(key);
    if (forms === undefined) {
      forms = tokenKeys(key, false).slice(1);
      formCache.set(key, forms);
    }
    if (forms.length > 0) {
      extra[p] = forms;
      for (const f of forms) add(f, p);
    }
  }
  return { name, text, toks, extra, keyPos, sortedKeys: null };
}

/** Indexes a document once for any number of queries. */
export function indexDocument(doc: MatchableDoc): DocIndex {
  const formCache = new Map<string, string[]>();
  const title = typeof doc.title === "string" ? doc.title : "";
  const text = typeof doc.text === "string" ? doc.text : "";
  return {
    doc,
    fields: [buildField("title", title, formCache), buildField("text", text, formCache)],
    termCache: new Map(),
    sentences: null,
  };
}

function tokenMatches(f: FieldIndex, p: number, q: QueryToken): boolean {
  const key = f.toks.keys[p] as string;
  const extra = f.extra[p];
  if (q.prefix) {
    if (key.startsWith(q.key)) return true;
    if (extra) for (const x of extra) if (x.startsWith(q.key)) return true;
    return false;
  }
  if (key === q.key) return true;
  if (extra) for (const x of extra) if (x === q.key) return true;
  return false;
}

function lowerBound(a: string[], k: string): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const m = (lo + hi) >>> 1;
    if ((a[m] as string) < k) lo = m + 1;
    else hi = m;
  }
  return lo;
}

/** Ascending positions of tokens that match `q`. */
function positions(f: FieldIndex, q: QueryToken): number[] {
  if (!q.prefix) return f.keyPos.get(q.key) ?? [];
  if (f.sortedKeys === null) f.sortedKeys = [...f.keyPos.keys()].sort();
  const ks = f.sortedKeys;
  const out: number[] = [];
  let lists = 0;
  for (let i = lowerBound(ks, q.key); i < ks.length; i++) {
    const k = ks[i] as string;
    if (!k.startsWith(q.key)) break;
    const l = f.keyPos.get(k);
    if (l) {
      out.push(...l);
      lists++;
    }
  }
  if (lists > 1) {
    out.sort((a, b) => a - b);
    let w = 0;
    for (let i = 0; i < out.length; i++)
      if (i === 0 || out[i] !== out[w - 1]) out[w++] = out[i] as number;
    out.length = w;
  }
  return out;
}

/** Occurrences [startPos, endPos] of an exact token sequence. */
function sequence(f: FieldIndex, seq: QueryToken[]): [number, number][] {
  const first = seq[0] as QueryToken;
  const anchor = positions(f, first);
  if (seq.length === 1) return anchor.map((p) => [p, p]);
  const out: [number, number][] = [];
  const n = f.toks.n;
  outer: for (const p of anchor) {
    if (p + seq.length > n) break;
    for (let j = 1; j < seq.length; j++) {
      const q = seq[j] as QueryToken;
      if (!tokenMatches(f, p + j, q)) continue outer;
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

function proximity(f: FieldIndex, us: QueryToken[][], slop: number): [number, number][] {
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
  const occ = uniq.map((u) => sequence(f, u));
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

function evalTerm(d: DocIndex, t: TermNode): RawHit[] {
  const cached = d.termCache.get(t);
  if (cached) return cached;
  const out: RawHit[] = [];
  for (let fi = 0 as 0 | 1; fi <= 1; fi = (fi + 1) as 0 | 1) {
    if (t.field === "title" && fi !== 0) continue;
    if (t.field === "text" && fi !== 1) continue;
    const f = d.fields[fi] as FieldIndex;
    if (f.toks.n === 0) continue;
    const occ =
      t.slop !== null && t.tokens.length > 1
        ? proximity(f, units(t.tokens), t.slop)
        : sequence(f, t.tokens);
    for (const [ps, pe] of occ)
      out.push({ f: fi, s: f.toks.starts[ps] as number, e: f.toks.ends[pe] as number });
    if (fi === 1) break;
  }
  d.termCache.set(t, out);
  return out;
}

/** True when `q` matches; collects the hits of its positive parts into `hits`. */
export function evaluate(d: DocIndex, q: Query, hits: RawHit[] | null): boolean {
  switch (q.type) {
    case "term": {
      const h = evalTerm(d, q);
      if (h.length === 0) return false;
      if (hits) for (const x of h) hits.push(x);
      return true;
    }
    case "not":
      return !evaluate(d, q.child, null);
    case "and": {
      const local: RawHit[] | null = hits ? [] : null;
      // Positive parts first (cheap rejections), vetoes after.
      for (const c of q.children) if (c.type !== "not" && !evaluate(d, c, local)) return false;
      for (const c of q.children) if (c.type === "not" && !evaluate(d, c, null)) return false;
      if (hits && local) for (const x of local) hits.push(x);
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

/** Fallback sentence bounds: ends at . ! ? ؟ 。！？… (not after initials or common abbreviations) and at line breaks. */
export function sentenceSpans(text: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  const n = text.length;
  let start = 0;
  const push = (end: number) => {
    let s = start;
    let e = end;
    while (s < e && /\s/.test(text[s] as string)) s++;
    while (e > s && /\s/.test(text[e - 1] as string)) e--;
    if (e > s) out.push({ start: s, end: e });
    start = end;
  };
  for (let i = 0; i < n; i++) {
    const ch = text[i] as string;
    if (ch === "\n") {
      push(i);
      continue;
    }
    if (ch === "。" || ch === "！" || ch === "？") {
      let j = i + 1;
      while (j < n && /["'”’」』)）]/.test(text[j] as string)) j++;
      push(j);
      i = j - 1;
      continue;
    }
    if (ch === "." || ch === "!" || ch === "?" || ch === "؟" || ch === "…") {
      let j = i + 1;
      while (j < n && /[.!?؟…"'”’»)\]]/.test(text[j] as string)) j++;
      if (j < n && !/\s/.test(text[j] as string)) continue;
      if (ch === ".") {
        let w = i;
        while (w > 0 && /[\p{L}]/u.test(text[w - 1] as string)) w--;
        const word = text.slice(w, i);
        if (word.length === 1 && /\p{Lu}/u.test(word)) continue; // initials: "J. Smith", "U.S."
        if (ABBREV.has(word.toLowerCase())) continue;
        if (w > 0 && text[w - 1] === ".") continue; // "U.S."
      }
      push(j);
      i = j - 1;
    }
  }
  push(n);
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
  if (d.sentences) return d.sentences;
  const given = d.doc.sentences;
  d.sentences =
    Array.isArray(given) && given.length > 0
      ? given.slice().sort((a, b) => a.start - b.start)
      : sentenceSpans((d.fields[1] as FieldIndex).text);
  return d.sentences;
}

function snippet(d: DocIndex, h: RawHit): string {
  const f = d.fields[h.f] as FieldIndex;
  if (h.f === 0) return cut(f.text, 0, f.text.length, h.s, h.e);
  const ss = sentencesOf(d);
  // last sentence starting at or before the hit
  let lo = 0;
  let hi = ss.length - 1;
  let at = -1;
  while (lo <= hi) {
    const m = (lo + hi) >>> 1;
    if ((ss[m] as { start: number }).start <= h.s) {
      at = m;
      lo = m + 1;
    } else hi = m - 1;
  }
  let s = h.s;
  let e = h.e;
  if (at >= 0) {
    const sent = ss[at] as { start: number; end: number };
    if (sent.end > h.s) s = sent.start;
    let k = at;
    e = Math.max(e, sent.end > h.s ? sent.end : h.e);
    // a hit running into later sentences takes them too
    while (k + 1 < ss.length && (ss[k + 1] as { start: number }).start < h.e) {
      k++;
      e = Math.max(e, (ss[k] as { end: number }).end);
    }
  }
  s = Math.max(0, Math.min(s, h.s));
  e = Math.min(f.text.length, Math.max(e, h.e));
  return cut(f.text, s, e, h.s, h.e);
}

/** Turns raw hits into sorted, de-duplicated, capped `Hit`s (title first, then text). */
export function finishHits(d: DocIndex, raw: RawHit[]): Hit[] {
  raw.sort((a, b) => a.f - b.f || a.s - b.s || a.e - b.e);
  const out: Hit[] = [];
  let prev: RawHit | undefined;
  for (const h of raw) {
    if (prev && prev.f === h.f && prev.s === h.s && prev.e === h.e) continue;
    prev = h;
    const f = d.fields[h.f] as FieldIndex;
    out.push({
      field: f.name,
      start: h.s,
      end: h.e,
      text: f.text.slice(h.s, h.e),
      snippet: snippet(d, h),
    });
    if (out.length >= MAX_HITS_PER_QUERY) break;
  }
  return out;
}

/** Verifies one parsed query: its hits when it matches, else null. */
export function verify(d: DocIndex, q: Query): Hit[] | null {
  const raw: RawHit[] = [];
  if (!evaluate(d, q, raw)) return null;
  return finishHits(d, raw);
}
