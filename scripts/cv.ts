/**
 * `npm run eval:cv`: k-fold cross-validation of the summariser's tuned numbers on the dev
 * sets (../shared/eval, see scripts/eval.ts for the scoring method).
 *
 * Every candidate weight set in GRID is scored once per document (ROUGE-1/2 F1 at equal
 * length); then, for each fold, the candidate chosen on the other folds by RULE is scored
 * on the held-out fold. Reported: each fold's held-out score, their mean and spread
 * (min–max and standard deviation), beside Lead and TextRank on the same folds. The
 * weights to ship are the ones RULE picks on all documents; `EVAL_CV_K` sets k (default 5).
 *
 * RULE (one policy for every language), on the training folds: among the candidates that
 * keep Arabic (easc-dev) R1 and R2 at or above Lead's on each training fold, the one with the largest worst
 * margin over those two and English (bbc-dev) R1 and R2 minus ts-textrank's (the npm
 * package, measured once on all of bbc-dev: TS_TEXTRANK). When none of them also keeps
 * English above ts-textrank, that is still the lede-first candidate that loses least
 * English. Our own TextRank is printed for reference.
 *
 * Per-document scores are cached in the system temp directory, keyed by the grid, the
 * text pipeline's source and the dev sets, so re-running the selection is instant (EVAL_CV_FRESH=1 ignores it).
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { prepareDocument } from "../src/text/index.ts";
import type { Weights } from "../src/text/summarize.ts";
import {
  computeFeatures,
  DEFAULT_WEIGHTS,
  selectFromFeatures,
  textRankSelect,
} from "../src/text/summarize.ts";
import { type EvalDoc, evalDir, tokens } from "./eval.ts";

const K = Number(process.env.EVAL_CV_K ?? 5);
const SETS = ["easc-dev", "bbc-dev"] as const;
/** ts-textrank on bbc-dev (scripts/eval.ts, TARGETS): the bar English must stay above. */
const TS_TEXTRANK: [number, number] = [79.3, 71.5];
/** "At least Lead" allows this much (points) for the dateline and sentence-join differences. */
const TOLERANCE = 0.05;

/** The candidate policies: every combination of these values. */
const AXES: Record<string, number[]> = {
  lead: [0.05, 0.1, 0.2],
  leadBudget: [0, 0.25, 0.5, 0.6, 0.75, 0.9, 1],
  decay: [2, 3],
  centrality: [1, 2],
  title: [0, 0.1],
  short: [8, 12, 16],
};

function grid(): Weights[] {
  let out: Weights[] = [{ ...DEFAULT_WEIGHTS }];
  for (const [key, values] of Object.entries(AXES)) {
    const next: Weights[] = [];
    for (const w of out) for (const v of values) next.push({ ...w, [key]: v });
    out = next;
  }
  return out;
}

function ngramCounts(t: readonly string[], n: number): Map<string, number> {
  const m = new Map<string, number>();
  for (let i = 0; i + n <= t.length; i++) {
    const k = n === 1 ? (t[i] as string) : `${t[i]}\u0001${t[i + 1]}`;
    m.set(k, (m.get(k) ?? 0) + 1);
  }
  return m;
}

interface Ref {
  g1: Map<string, number>;
  g2: Map<string, number>;
  n1: number;
  n2: number;
}

function f1(o: number, c: number, r: number): number {
  if (o === 0 || c === 0 || r === 0) return 0;
  const p = o / c;
  const q = o / r;
  return (2 * p * q) / (p + q);
}

/** ROUGE-1 and ROUGE-2 F1, mean over references (the same numbers as scripts/eval.ts). */
function score(c: readonly string[], refs: readonly Ref[]): [number, number] {
  const a1 = ngramCounts(c, 1);
  const a2 = ngramCounts(c, 2);
  let r1 = 0;
  let r2 = 0;
  for (const r of refs) {
    let o1 = 0;
    for (const [k, v] of a1) o1 += Math.min(v, r.g1.get(k) ?? 0);
    let o2 = 0;
    for (const [k, v] of a2) o2 += Math.min(v, r.g2.get(k) ?? 0);
    r1 += f1(o1, c.length, r.n1);
    r2 += f1(o2, Math.max(0, c.length - 1), r.n2);
  }
  const k = Math.max(1, refs.length);
  return [r1 / k, r2 / k];
}

/** Per-document scores: [system][doc] -> [R1, R2]. */
interface SetScores {
  lead: Array<[number, number]>;
  textrank: Array<[number, number]>;
  cand: Array<Array<[number, number]>>;
}

function scoreSet(set: string, cands: readonly Weights[]): SetScores {
  const docs = readFileSync(join(evalDir(), `${set}.jsonl`), "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as EvalDoc);
  const out: SetScores = { lead: [], textrank: [], cand: cands.map(() => []) };
  for (const d of docs) {
    const refToks = d.references.map((r) => tokens(r, d.lang));
    const refs: Ref[] = refToks.map((t) => ({
      g1: ngramCounts(t, 1),
      g2: ngramCounts(t, 2),
      n1: t.length,
      n2: Math.max(0, t.length - 1),
    }));
    const budget = Math.round(
      refToks.reduce((a, r) => a + r.length, 0) / Math.max(1, refToks.length),
    );
    const doc = prepareDocument({ text: d.text, title: d.title ?? "", lang: d.lang });
    const sentToks = doc.sentences.map((s) => tokens(s.text, d.lang));
    const pick = (idx: readonly number[]): string[] =>
      idx.flatMap((i) => sentToks[i] ?? []).slice(0, budget);
    out.lead.push(score(tokens(d.text, d.lang).slice(0, budget), refs));
    out.textrank.push(score(pick(textRankSelect(doc, budget)), refs));
    const f = computeFeatures(doc);
    cands.forEach((w, c) => {
      out.cand[c]?.push(score(pick(selectFromFeatures(f, { words: budget }, w)), refs));
    });
  }
  return out;
}

function mean(rows: ReadonlyArray<[number, number]>, idx: readonly number[]): [number, number] {
  let a = 0;
  let b = 0;
  for (const i of idx) {
    a += rows[i]?.[0] ?? 0;
    b += rows[i]?.[1] ?? 0;
  }
  const n = Math.max(1, idx.length);
  return [(100 * a) / n, (100 * b) / n];
}

/** RULE (see the top of the file); returns the candidate and whether English stayed above the bar. */
function choose(
  all: Record<string, SetScores>,
  idx: Record<string, number[]>,
  cands: readonly Weights[],
): { c: number; english: boolean } {
  const ar = all["easc-dev"] as SetScores;
  const en = all["bbc-dev"] as SetScores;
  const ia = idx["easc-dev"] as number[];
  const ie = idx["bbc-dev"] as number[];
  // Arabic must hold Lead on each training fold, not only pooled: a candidate that just
  // touches Lead on the pooled documents falls below it on held-out ones.
  const parts = Array.from({ length: K }, (_, f) => ia.filter((i) => i % K === f)).filter(
    (p) => p.length > 0,
  );
  const holdsLead = (c: number): boolean =>
    parts.every((p) => {
      const a = mean(ar.cand[c] as Array<[number, number]>, p);
      const l = mean(ar.lead, p);
      return a[0] >= l[0] - TOLERANCE && a[1] >= l[1] - TOLERANCE;
    });
  let best = -1;
  let bestM = Number.NEGATIVE_INFINITY;
  let bestSum = Number.NEGATIVE_INFINITY;
  const lead = mean(ar.lead, ia);
  for (let c = 0; c < cands.length; c++) {
    if (!holdsLead(c)) continue;
    const a = mean(ar.cand[c] as Array<[number, number]>, ia);
    const e = mean(en.cand[c] as Array<[number, number]>, ie);
    const m = Math.min(
      a[0] - lead[0],
      a[1] - lead[1],
      e[0] - TS_TEXTRANK[0],
      e[1] - TS_TEXTRANK[1],
    );
    const sum = a[0] + a[1] + e[0] + e[1];
    // Ties (within 0.01 point): the better total.
    if (m > bestM + 0.01 || (m > bestM - 0.01 && sum > bestSum)) {
      best = c;
      bestM = Math.max(m, bestM);
      bestSum = sum;
    }
  }
  if (best < 0) {
    // Nothing held Lead (the grid has leadBudget 1, which is Lead): the closest to it.
    let gap = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < cands.length; c++) {
      const a = mean(ar.cand[c] as Array<[number, number]>, ia);
      const m = Math.min(a[0] - lead[0], a[1] - lead[1]);
      if (m > gap) {
        gap = m;
        best = c;
      }
    }
    return { c: Math.max(0, best), english: false };
  }
  return { c: best, english: bestM > 0 };
}

/** Per-document scores, from the cache when the grid and the summariser are unchanged. */
function scoreAll(cands: readonly Weights[]): Record<string, SetScores> {
  // Keyed by the grid, the whole text pipeline and the dev sets.
  const hash = createHash("sha256").update(JSON.stringify(cands));
  const textDir = join(import.meta.dirname, "..", "src", "text");
  for (const f of readdirSync(textDir, { recursive: true, encoding: "utf8" }).sort())
    if (f.endsWith(".ts")) hash.update(f).update(readFileSync(join(textDir, f)));
  for (const set of SETS) hash.update(readFileSync(join(evalDir(), `${set}.jsonl`)));
  const key = hash.digest("hex").slice(0, 16);
  const file = join(tmpdir(), `wirebrief-cv-${key}.json`);
  if (!process.env.EVAL_CV_FRESH && existsSync(file)) {
    console.log(`per-document scores from ${file}`);
    return JSON.parse(readFileSync(file, "utf8")) as Record<string, SetScores>;
  }
  const t0 = performance.now();
  const all: Record<string, SetScores> = {};
  for (const set of SETS) all[set] = scoreSet(set, cands);
  console.log(
    `${cands.length} candidates scored in ${((performance.now() - t0) / 1000).toFixed(0)} s`,
  );
  writeFileSync(file, JSON.stringify(all));
  return all;
}

const fmt = (x: number): string => x.toFixed(1).padStart(5);

function main(): void {
  const cands = grid();
  const all = scoreAll(cands);
  console.log(`${cands.length} candidates, ${K}-fold cross-validation`);
  const folds = (n: number, k: number): number[][] =>
    Array.from({ length: k }, (_, f) =>
      Array.from({ length: n }, (_, i) => i).filter((i) => i % k === f),
    );
  const held: Record<
    string,
    { ours: Array<[number, number]>; lead: Array<[number, number]>; tr: Array<[number, number]> }
  > = {};
  for (const set of SETS) held[set] = { ours: [], lead: [], tr: [] };
  const picks: number[] = [];
  const lost: number[] = [];
  for (let f = 0; f < K; f++) {
    const train: Record<string, number[]> = {};
    const test: Record<string, number[]> = {};
    for (const set of SETS) {
      const fs = folds((all[set] as SetScores).lead.length, K);
      test[set] = fs[f] as number[];
      train[set] = fs.filter((_, j) => j !== f).flat();
    }
    const { c, english } = choose(all, train, cands);
    picks.push(c);
    if (!english) lost.push(f + 1);
    for (const set of SETS) {
      const s = all[set] as SetScores;
      const h = held[set] as (typeof held)[string];
      h.ours.push(mean(s.cand[c] as Array<[number, number]>, test[set] as number[]));
      h.lead.push(mean(s.lead, test[set] as number[]));
      h.tr.push(mean(s.textrank, test[set] as number[]));
    }
  }
  const diff = (w: Weights): string =>
    Object.keys(AXES)
      .map((k) => `${k}=${w[k as keyof Weights]}`)
      .join(" ");
  console.log("\nchosen on the training folds:");
  for (const [f, c] of picks.entries())
    console.log(`  fold ${f + 1}: ${diff(cands[c] as Weights)}`);
  for (const set of SETS) {
    const h = held[set] as (typeof held)[string];
    console.log(`\n${set}: held-out folds (R1 / R2)`);
    console.log(
      `| system     | ${Array.from({ length: K }, (_, f) => `fold ${f + 1}      `).join(" | ")} | mean (min–max, sd)          |`,
    );
    for (const [name, rows] of [
      ["wirebrief", h.ours],
      ["lead", h.lead],
      ["textrank*", h.tr],
    ] as const) {
      const cells = rows.map((r) => `${fmt(r[0])}/${fmt(r[1])}`);
      const stat = (k: 0 | 1): string => {
        const v = rows.map((r) => r[k]);
        const m = v.reduce((a, b) => a + b, 0) / v.length;
        const sd = Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, v.length - 1));
        return `${m.toFixed(1)} (${Math.min(...v).toFixed(1)}–${Math.max(...v).toFixed(1)}, ${sd.toFixed(1)})`;
      };
      console.log(`| ${name.padEnd(10)} | ${cells.join(" | ")} | R1 ${stat(0)} R2 ${stat(1)} |`);
    }
  }
  const everything: Record<string, number[]> = {};
  for (const set of SETS)
    everything[set] = Array.from({ length: (all[set] as SetScores).lead.length }, (_, i) => i);
  const { c: final, english } = choose(all, everything, cands);
  if (lost.length > 0)
    console.log(
      `\nno candidate kept Arabic at Lead and English above ts-textrank on the training folds of fold(s) ${lost.join(", ")}`,
    );
  console.log(
    `\nchosen on all documents (ship this): ${diff(cands[final] as Weights)}${english ? "" : " (lede-first: English below ts-textrank)"}`,
  );
  console.log(`  (* our TextRank; ts-textrank on all of bbc-dev: ${TS_TEXTRANK.join("/")})`);
  for (const set of SETS) {
    const s = all[set] as SetScores;
    const e = everything[set] as number[];
    const o = mean(s.cand[final] as Array<[number, number]>, e);
    console.log(
      `  ${set}: wirebrief ${o[0].toFixed(1)}/${o[1].toFixed(1)} (fitted), lead ${mean(s.lead, e)
        .map((x) => x.toFixed(1))
        .join("/")}, textrank ${mean(s.textrank, e)
        .map((x) => x.toFixed(1))
        .join("/")}`,
    );
  }
}

/** EVAL_CV_FRONTIER=1: each candidate's full-set scores, best Arabic first (for the issue note). */
function frontier(all: Record<string, SetScores>, cands: readonly Weights[]): void {
  const ar = all["easc-dev"] as SetScores;
  const en = all["bbc-dev"] as SetScores;
  const ia = ar.lead.map((_, i) => i);
  const ie = en.lead.map((_, i) => i);
  const rows = cands.map((w, c) => ({
    w,
    a: mean(ar.cand[c] as Array<[number, number]>, ia),
    e: mean(en.cand[c] as Array<[number, number]>, ie),
  }));
  rows.sort((x, y) => y.a[0] + y.a[1] - (x.a[0] + x.a[1]));
  let bestEn = Number.NEGATIVE_INFINITY;
  for (const r of rows) {
    // Pareto frontier: no candidate with better Arabic has better English.
    if (r.e[0] + r.e[1] <= bestEn) continue;
    bestEn = r.e[0] + r.e[1];
    console.log(
      `  ar ${r.a.map((x) => x.toFixed(1)).join("/")}  en ${r.e.map((x) => x.toFixed(1)).join("/")}  ${Object.keys(
        AXES,
      )
        .map((k) => `${k}=${r.w[k as keyof Weights]}`)
        .join(" ")}`,
    );
  }
}

main();
if (process.env.EVAL_CV_FRONTIER) frontier(scoreAll(grid()), grid());
