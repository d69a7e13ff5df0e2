/**
 * `npm run eval:cv`: k-fold cross-validation of the summariser's tuned numbers on the dev
 * sets (../shared/eval, see scripts/eval.ts for the scoring method).
 *
 * Every candidate weight set in GRID is scored once per document (ROUGE-1/2 F1 at equal
 * length). The policy is chosen per language, on that language's dev set: for each fold,
 * RULE picks a candidate on the other folds and it is scored on the held-out fold.
 * Reported per language: each fold's held-out score, their mean and spread (min–max and
 * standard deviation), beside Lead and our TextRank on the same folds (and ts-textrank for
 * English). The policy to ship for a language is the one RULE picks on all its documents
 * (src/text/data/summary-policy.ts; the script says whether the table matches).
 * `EVAL_CV_K` sets k (default 5).
 *
 * RULE, on the training folds:
 * - ar (easc-dev, human summaries): the candidate with the largest worst margin over Lead
 *   (R1 and R2, on each training fold); the bar is met when that margin is not below 0.
 * - en (bbc-dev): among the candidates whose R1 and R2 are above ts-textrank's (the npm
 *   package, measured once on all of bbc-dev: TS_TEXTRANK), the best R1 + R2.
 *
 * Per-document scores are cached in the system temp directory, keyed by the grid, the
 * text pipeline's source and the dev sets, so re-running the selection is instant (EVAL_CV_FRESH=1 ignores it).
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LEDE_FIRST } from "../src/text/data/summary-policy.ts";
import { prepareDocument } from "../src/text/index.ts";
import type { Weights } from "../src/text/summarize.ts";
import {
  computeFeatures,
  policyFor,
  selectFromFeatures,
  textRankSelect,
} from "../src/text/summarize.ts";
import { type EvalDoc, evalDir, f1, ngrams, tokens } from "./eval.ts";

const K = Number(process.env.EVAL_CV_K ?? 5);
const SETS = ["easc-dev", "bbc-dev"] as const;

/** A language with a dev set, and the bar its policy must meet. */
interface LangSpec {
  set: (typeof SETS)[number];
  lang: string;
  bar: "lead" | "ts-textrank";
}
const LANGS: readonly LangSpec[] = [
  { set: "easc-dev", lang: "ar", bar: "lead" },
  { set: "bbc-dev", lang: "en", bar: "ts-textrank" },
];
const BAR_NAME = {
  lead: "R1 and R2 at least Lead's on each training fold",
  "ts-textrank": "R1 and R2 above ts-textrank",
};
/** ts-textrank on bbc-dev (scripts/eval.ts, TARGETS): the bar English must stay above. */
const TS_TEXTRANK: [number, number] = [79.3, 71.5];
/** "At least Lead" allows this much (points) for the dateline and sentence-join differences. */
const TOLERANCE = 0.05;

/** The candidate policies: every combination of these values. */
const AXES: Record<string, number[]> = {
  lead: [0.05, 0.1, 0.2],
  leadBudget: [0, 0.25, 0.5, 0.6, 0.75, 0.9, 1],
  decay: [2, 3],
  centrality: [1, 2, 4, 8],
  title: [0, 0.1],
  short: [8, 12, 16],
};

function grid(): Weights[] {
  let out: Weights[] = [{ ...LEDE_FIRST }];
  for (const [key, values] of Object.entries(AXES)) {
    const next: Weights[] = [];
    for (const w of out) for (const v of values) next.push({ ...w, [key]: v });
    out = next;
  }
  return out;
}

interface Ref {
  g1: Map<string, number>;
  g2: Map<string, number>;
  n1: number;
  n2: number;
}

/** ROUGE-1 and ROUGE-2 F1, mean over references (the same numbers as scripts/eval.ts). */
function score(c: readonly string[], refs: readonly Ref[]): [number, number] {
  const a1 = ngrams(c, 1);
  const a2 = ngrams(c, 2);
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
      g1: ngrams(t, 1),
      g2: ngrams(t, 2),
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

/** The training documents split back into their folds (i % K), so a bar can be held on each. */
function trainingFolds(train: readonly number[]): number[][] {
  return Array.from({ length: K }, (_, f) => train.filter((i) => i % K === f)).filter(
    (p) => p.length > 0,
  );
}

/**
 * RULE for one language (see the top of the file) on the training documents: the
 * candidate index, whether it met the language's bar, and its margin over the bar.
 */
function choose(
  s: SetScores,
  train: readonly number[],
  spec: LangSpec,
  cands: readonly Weights[],
): { c: number; met: boolean } {
  let best = 0;
  let bestM = Number.NEGATIVE_INFINITY;
  let bestSum = Number.NEGATIVE_INFINITY;
  if (spec.bar === "lead") {
    // At least Lead on each training fold, not only pooled: a candidate that just
    // touches Lead on the pooled documents falls below it on held-out ones.
    const parts = trainingFolds(train);
    const leads = parts.map((p) => mean(s.lead, p));
    for (let c = 0; c < cands.length; c++) {
      const rows = s.cand[c] as Array<[number, number]>;
      let m = Number.POSITIVE_INFINITY;
      parts.forEach((p, k) => {
        const a = mean(rows, p);
        const l = leads[k] as [number, number];
        m = Math.min(m, a[0] - l[0], a[1] - l[1]);
      });
      const t = mean(rows, train);
      const sum = t[0] + t[1];
      // Ties (within 0.01 point): the better total.
      if (m > bestM + 0.01 || (m > bestM - 0.01 && sum > bestSum)) {
        best = c;
        bestM = Math.max(m, bestM);
        bestSum = sum;
      }
    }
    return { c: best, met: bestM >= -TOLERANCE };
  }
  // Above ts-textrank on the training documents, then the best R1 + R2.
  let met = false;
  for (let c = 0; c < cands.length; c++) {
    const t = mean(s.cand[c] as Array<[number, number]>, train);
    const above = t[0] > TS_TEXTRANK[0] && t[1] > TS_TEXTRANK[1];
    const sum = t[0] + t[1];
    if ((above && !met) || (above === met && sum > bestSum)) {
      best = c;
      bestSum = sum;
      met = above;
    }
  }
  return { c: best, met };
}

/** Per-document scores, from the cache when the grid and the summariser are unchanged. */
function scoreAll(cands: readonly Weights[]): Record<string, SetScores> {
  // Keyed by the grid, the whole text pipeline and the dev sets.
  const hash = createHash("sha256").update(JSON.stringify(cands));
  const textDir = join(import.meta.dirname, "..", "src", "text");
  // Not the policy table: the candidates' scores do not depend on which one is shipped.
  for (const f of readdirSync(textDir, { recursive: true, encoding: "utf8" }).sort())
    if (f.endsWith(".ts") && !f.endsWith("summary-policy.ts"))
      hash.update(f).update(readFileSync(join(textDir, f)));
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

/** Mean over folds with the min–max (and the standard deviation when `sd`). */
function spread(v: readonly number[], sd = false): string {
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  const s = Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, v.length - 1));
  return `${m.toFixed(1)} (${Math.min(...v).toFixed(1)}–${Math.max(...v).toFixed(1)}${sd ? `, sd ${s.toFixed(1)}` : ""})`;
}

const diff = (w: Readonly<Weights>): string =>
  Object.keys(AXES)
    .map((k) => `${k}=${w[k as keyof Weights]}`)
    .join(" ");

function main(): void {
  const cands = grid();
  const all = scoreAll(cands);
  console.log(`${cands.length} candidates, ${K}-fold cross-validation, a policy per language`);
  const summary: string[] = [];
  for (const spec of LANGS) {
    const s = all[spec.set] as SetScores;
    const n = s.lead.length;
    const fold = (f: number): number[] =>
      Array.from({ length: n }, (_, i) => i).filter((i) => i % K === f);
    const ours: Array<[number, number]> = [];
    const lead: Array<[number, number]> = [];
    const tr: Array<[number, number]> = [];
    console.log(`\n${spec.lang} (${spec.set}, ${n} docs), bar: ${BAR_NAME[spec.bar]}`);
    for (let f = 0; f < K; f++) {
      const test = fold(f);
      const train = Array.from({ length: n }, (_, i) => i).filter((i) => i % K !== f);
      const { c, met } = choose(s, train, spec, cands);
      console.log(
        `  fold ${f + 1} chosen on the others: ${diff(cands[c] as Weights)}${met ? "" : " (bar not met)"}`,
      );
      ours.push(mean(s.cand[c] as Array<[number, number]>, test));
      lead.push(mean(s.lead, test));
      tr.push(mean(s.textrank, test));
    }
    console.log(
      `| system          | ${Array.from({ length: K }, (_, f) => `fold ${f + 1}     `).join(" | ")} | R1 mean (min–max, sd)  | R2 mean (min–max, sd)  |`,
    );
    for (const [name, rows] of [
      ["wirebrief", ours],
      ["Lead", lead],
      ["TextRank (ours)", tr],
    ] as const) {
      const cells = rows.map((r) => `${fmt(r[0])}/${fmt(r[1])}`);
      console.log(
        `| ${name.padEnd(15)} | ${cells.join(" | ")} | ${spread(
          rows.map((r) => r[0]),
          true,
        )} | ${spread(
          rows.map((r) => r[1]),
          true,
        )} |`,
      );
    }
    const everything = Array.from({ length: n }, (_, i) => i);
    const { c: final, met } = choose(s, everything, spec, cands);
    const shipped = policyFor(spec.lang);
    const same = Object.keys(AXES).every(
      (k) => shipped[k as keyof Weights] === (cands[final] as Weights)[k as keyof Weights],
    );
    const o = mean(s.cand[final] as Array<[number, number]>, everything);
    console.log(
      `chosen on all ${spec.set} (ship this for ${spec.lang}): ${diff(cands[final] as Weights)}${met ? "" : " (bar not met)"}, fitted ${o[0].toFixed(1)}/${o[1].toFixed(1)}`,
    );
    console.log(
      same
        ? `  data/summary-policy.ts ships it for ${spec.lang}`
        : `  data/summary-policy.ts ships something else for ${spec.lang}: ${diff(shipped)}`,
    );
    const r = (rows: Array<[number, number]>, k: 0 | 1): string => spread(rows.map((x) => x[k]));
    summary.push(
      `| ${spec.set} (${spec.lang}) | wirebrief | ${r(ours, 0)} | ${r(ours, 1)} |`,
      `| | Lead | ${r(lead, 0)} | ${r(lead, 1)} |`,
      `| | TextRank (ours) | ${r(tr, 0)} | ${r(tr, 1)} |`,
    );
    if (spec.bar === "ts-textrank")
      summary.push(`| | ts-textrank (npm, all docs) | ${TS_TEXTRANK[0]} | ${TS_TEXTRANK[1]} |`);
  }
  console.log("\nheld-out, mean over folds (min–max), for the README:");
  console.log("| set | system | ROUGE-1 | ROUGE-2 |\n| --- | --- | --- | --- |");
  for (const line of summary) console.log(line);
}
/** EVAL_CV_FRONTIER=1: the Arabic–English trade-off of one shared policy (why there is one per language). */
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
