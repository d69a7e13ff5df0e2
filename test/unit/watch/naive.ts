/**
 * A direct evaluator, written for obviousness rather than speed: every token of a field
 * is compared with every query token, phrases are checked at every position, and
 * proximity rebuilds its window from every earlier occurrence at every step. Hits are
 * every matched positive term's occurrences, sorted and de-duplicated, then capped. Used to check the fast matcher on small texts.
 */
import {
  MAX_HITS_PER_QUERY,
  type MatchableDoc,
  parseQuery,
  type Query,
  type QueryToken,
  type TermNode,
} from "../../../src/watch/index.ts";
import { onlyLineBreaks, tokenize, tokenKeys } from "../../../src/watch/tokenize.ts";

interface NField {
  name: "title" | "text";
  text: string;
  starts: number[];
  ends: number[];
  /** Every key of each token: its folded form and its Arabic clitic forms. */
  keys: string[][];
}

function field(name: "title" | "text", text: string): NField {
  const t = tokenize(text);
  const f: NField = { name, text, starts: [], ends: [], keys: [] };
  for (let i = 0; i < t.n; i++) {
    f.starts.push(t.starts[i] as number);
    f.ends.push(t.ends[i] as number);
  }
  // keys through a fresh tokenisation of each token's own text (no shared dictionary)
  for (let i = 0; i < t.n; i++) {
    const one = tokenize(text.slice(f.starts[i], f.ends[i]));
    const dictKey = (one.n === 1 ? keyOf(text.slice(f.starts[i], f.ends[i])) : null) ?? "";
    f.keys.push(tokenKeys(dictKey, t.sub[i] === 1));
  }
  return f;
}

/** The folded key of a one-token string, through the query parser (the same folding). */
function keyOf(s: string): string | null {
  const r = parseQuery(`"${s}"`);
  if (!r.ok || r.query.type !== "term" || r.query.tokens.length !== 1) return null;
  return (r.query.tokens[0] as QueryToken).key;
}

function tokenOk(f: NField, p: number, q: QueryToken): boolean {
  const ks = f.keys[p] as string[];
  return q.prefix ? ks.some((k) => k.startsWith(q.key)) : ks.includes(q.key);
}

function seq(f: NField, toks: QueryToken[]): [number, number][] {
  const out: [number, number][] = [];
  for (let p = 0; p + toks.length <= f.starts.length; p++) {
    let ok = true;
    for (let j = 0; j < toks.length && ok; j++) {
      const q = toks[j] as QueryToken;
      if (!tokenOk(f, p + j, q)) ok = false;
      else if (
        j > 0 &&
        q.glued &&
        f.ends[p + j - 1] !== f.starts[p + j] &&
        !onlyLineBreaks(f.text, f.ends[p + j - 1] as number, f.starts[p + j] as number)
      )
        ok = false;
    }
    if (ok) out.push([p, p + toks.length - 1]);
  }
  return out;
}

function unitsOf(tokens: QueryToken[]): QueryToken[][] {
  const out: QueryToken[][] = [];
  for (const t of tokens) {
    const last = out[out.length - 1];
    if (t.glued && last) last.push(t);
    else out.push([t]);
  }
  return out;
}

function prox(f: NField, tokens: QueryToken[], slop: number): [number, number][] {
  const seen = new Set<string>();
  const uniq = unitsOf(tokens).filter((u) => {
    const sig = u.map((t) => `${t.key}${t.prefix ? "*" : ""}`).join("\u0001");
    if (seen.has(sig)) return false;
    seen.add(sig);
    return true;
  });
  const occ = uniq.map((u) => seq(f, u));
  if (occ.some((o) => o.length === 0)) return [];
  if (uniq.length === 1) return occ[0] as [number, number][];
  const events: [number, number, number][] = [];
  occ.forEach((o, ui) => {
    for (const [s, e] of o) events.push([s, e, ui]);
  });
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const hits = new Map<string, [number, number]>();
  for (let t = 0; t < events.length; t++) {
    // newest first, each part's latest occurrence sharing no token with one already chosen
    const chosen: [number, number][] = [];
    const done = new Set<number>();
    for (let j = t; j >= 0 && chosen.length < uniq.length; j--) {
      const [s, e, ui] = events[j] as [number, number, number];
      if (done.has(ui) || chosen.some(([cs, ce]) => s <= ce && cs <= e)) continue;
      done.add(ui);
      chosen.push([s, e]);
    }
    if (chosen.length < uniq.length) continue;
    chosen.sort((a, b) => a[0] - b[0]);
    let covered = 0;
    for (const [s, e] of chosen) covered += e - s + 1;
    const between =
      (chosen[chosen.length - 1] as [number, number])[1] -
      (chosen[0] as [number, number])[0] +
      1 -
      covered;
    if (between <= slop) for (const c of chosen) hits.set(`${c[0]},${c[1]}`, c);
    // the matcher stops once the first MAX_HITS_PER_QUERY hits are known (see `proximity`)
    if (hits.size >= MAX_HITS_PER_QUERY) break;
  }
  return [...hits.values()].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}

type Occ = [number, number, number][]; // field index, start token, end token

function term(fs: NField[], t: TermNode): Occ {
  const out: Occ = [];
  fs.forEach((f, fi) => {
    if ((t.field === "title" && fi !== 0) || (t.field === "text" && fi !== 1)) return;
    const o = t.tokens.length > 1 && t.slop !== null ? prox(f, t.tokens, t.slop) : seq(f, t.tokens);
    for (const [s, e] of o) out.push([fi, s, e]);
  });
  return out;
}

/** Term identity for `total`: equal terms are one term; a one-word term is its field and word (`"china"` = `china`). */
function sig(t: TermNode): string {
  if (t.tokens.length === 1) {
    const q = t.tokens[0] as QueryToken;
    return JSON.stringify([t.field, q.prefix, q.key]);
  }
  return JSON.stringify([t.field, t.phrase, t.slop, t.tokens]);
}

function evalQ(fs: NField[], q: Query, terms: Map<string, Occ> | null): boolean {
  switch (q.type) {
    case "term": {
      const o = term(fs, q);
      if (o.length === 0) return false;
      terms?.set(sig(q), o);
      return true;
    }
    case "not":
      return !evalQ(fs, q.child, null);
    case "and": {
      const local = terms ? new Map<string, Occ>() : null;
      for (const c of q.children) if (c.type !== "not" && !evalQ(fs, c, local)) return false;
      for (const c of q.children) if (c.type === "not" && !evalQ(fs, c, null)) return false;
      if (terms && local) for (const [k, v] of local) terms.set(k, v);
      return true;
    }
    case "or": {
      let any = false;
      for (const c of q.children) if (evalQ(fs, c, terms)) any = true;
      return any;
    }
  }
}

export interface NaiveMatch {
  query: string;
  spans: [string, number, number, string][];
  total: number;
}

/** Matches each query directly; hits as [field, start, end, text]. */
export function naiveMatch(queries: string[], doc: MatchableDoc): NaiveMatch[] {
  const fs = [field("title", doc.title), field("text", doc.text)];
  const out: NaiveMatch[] = [];
  for (const src of queries) {
    const r = parseQuery(src);
    if (!r.ok) continue;
    const terms = new Map<string, Occ>();
    if (!evalQ(fs, r.query, terms)) continue;
    let total = 0;
    const all: Occ = [];
    for (const o of terms.values()) {
      total += o.length;
      all.push(...o);
    }
    all.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
    const spans: NaiveMatch["spans"] = [];
    let prev = "";
    for (const [fi, s, e] of all) {
      const k = `${fi},${s},${e}`;
      if (k === prev) continue;
      prev = k;
      const f = fs[fi] as NField;
      const start = f.starts[s] as number;
      const end = f.ends[e] as number;
      spans.push([f.name, start, end, f.text.slice(start, end)]);
      if (spans.length === MAX_HITS_PER_QUERY) break;
    }
    out.push({ query: src, spans, total });
  }
  return out;
}
