/**
 * `npm run eval`: ROUGE-1/2/L F1 at equal length on ../shared/eval/*.jsonl, for the
 * Lead baseline, this summariser, and a plain TextRank for reference.
 *
 * Method (../shared/eval/README.md): the word budget of a document is the mean word
 * count of its references; every system's output is truncated to that many tokens;
 * F1 is averaged over references, then over documents. Tokens: NFKC, lower case,
 * runs of letters/marks/digits, Snowball stemming (Porter for English), Arabic
 * normalisation on both sides.
 *
 * Options: EVAL_WEIGHTS='{"frequency":1,...}' overrides weights of each language's policy (for tuning);
 * EVAL_SETS=easc-dev,bbc-dev limits sets; EVAL_SPLIT=even|odd scores half the documents;
 * EVAL_DIR points at the sets. "wirebrief" is the shipped path: each document gets its
 * language's policy (src/text/data/summary-policy.ts, chosen per language by scripts/cv.ts).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { prepareDocument, summarize } from "../src/text/index.ts";
import { normalizeArabic } from "../src/text/normalize.ts";
import { stem } from "../src/text/stem.ts";
import type { Weights } from "../src/text/summarize.ts";
import { policyFor, selectSentences, textRankSelect } from "../src/text/summarize.ts";

export interface EvalDoc {
  id: string;
  lang: string;
  title?: string;
  text: string;
  references: string[];
}

/**
 * The dev sets: $EVAL_DIR, else the nearest `shared/eval` above the repository (a git
 * worktree sits one level deeper than the main checkout).
 */
export function evalDir(): string {
  if (process.env.EVAL_DIR) return process.env.EVAL_DIR;
  let d = join(import.meta.dirname, "..");
  for (let i = 0; i < 4; i++) {
    d = dirname(d);
    const c = join(d, "shared", "eval");
    if (existsSync(c)) return c;
  }
  return join(import.meta.dirname, "..", "..", "shared", "eval");
}

const dir = evalDir();

export function tokens(s: string, lang: string): string[] {
  let t = s.normalize("NFKC").toLowerCase();
  if (lang === "ar") t = normalizeArabic(t);
  const words = t.match(/[\p{L}\p{M}\p{N}]+/gu) ?? [];
  return words.map((w) => stem(w, lang));
}

export function ngrams(t: readonly string[], n: number): Map<string, number> {
  const m = new Map<string, number>();
  for (let i = 0; i + n <= t.length; i++) {
    const k =
      n === 1
        ? (t[i] as string)
        : n === 2 // the hot case in scripts/cv.ts: no slice
          ? `${t[i]}\u0001${t[i + 1]}`
          : t.slice(i, i + n).join("\u0001");
    m.set(k, (m.get(k) ?? 0) + 1);
  }
  return m;
}

export function f1(overlap: number, cand: number, ref: number): number {
  if (overlap === 0 || cand === 0 || ref === 0) return 0;
  const p = overlap / cand;
  const r = overlap / ref;
  return (2 * p * r) / (p + r);
}

function rougeN(c: string[], r: string[], n: number): number {
  const a = ngrams(c, n);
  const b = ngrams(r, n);
  let o = 0;
  for (const [k, v] of a) o += Math.min(v, b.get(k) ?? 0);
  return f1(o, Math.max(0, c.length - n + 1), Math.max(0, r.length - n + 1));
}

function lcs(a: string[], b: string[]): number {
  const prev = new Uint32Array(b.length + 1);
  const cur = new Uint32Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      cur[j] =
        a[i - 1] === b[j - 1] ? (prev[j - 1] ?? 0) + 1 : Math.max(prev[j] ?? 0, cur[j - 1] ?? 0);
    }
    prev.set(cur);
  }
  return prev[b.length] ?? 0;
}

export function rouge(c: string[], refs: string[][]): [number, number, number] {
  let r1 = 0;
  let r2 = 0;
  let rl = 0;
  for (const r of refs) {
    r1 += rougeN(c, r, 1);
    r2 += rougeN(c, r, 2);
    rl += f1(lcs(c, r), c.length, r.length);
  }
  const k = Math.max(1, refs.length);
  return [r1 / k, r2 / k, rl / k];
}

type System = (d: EvalDoc, budget: number) => string;

/**
 * Issue 13's bars: Arabic (easc-dev) R1 and R2 at least Lead's; English (bbc-dev) above
 * ts-textrank (the npm package, measured once with this method).
 */
const TARGETS: Record<string, { name: string; r1?: number; r2?: number }> = {
  "easc-dev": { name: "Lead" },
  "bbc-dev": { name: "ts-textrank (npm)", r1: 79.3, r2: 71.5 },
};

/** The shipped policy's name for a language (data/summary-policy.ts). */
function policyName(lang: string): string {
  return policyFor(lang).leadBudget >= 1 ? "lede-first" : "scored";
}

function systems(override: Partial<Weights> | undefined): Record<string, System> {
  return {
    lead: (d) => d.text,
    ours: (d, budget) => {
      const doc = prepareDocument({ text: d.text, title: d.title ?? "", lang: d.lang });
      // The shipped path (summarize, the language's policy) unless weights are overridden for tuning.
      const spans =
        override !== undefined
          ? selectSentences(doc, { words: budget }, { ...policyFor(doc.lang), ...override }).map(
              (i) => doc.sentences[i]?.text ?? "",
            )
          : summarize(doc, { words: budget }).map((s) => s.text);
      return spans.join(" ");
    },
    textrank: (d, budget) => {
      const doc = prepareDocument({ text: d.text, title: d.title ?? "", lang: d.lang });
      return textRankSelect(doc, budget)
        .map((i) => doc.sentences[i]?.text ?? "")
        .join(" ");
    },
  };
}

function main(): void {
  if (!existsSync(dir)) {
    console.error(`eval data not found at ${dir}`);
    process.exit(1);
  }
  const only = process.env.EVAL_SETS?.split(",");
  const split = process.env.EVAL_SPLIT;
  const override = process.env.EVAL_WEIGHTS
    ? (JSON.parse(process.env.EVAL_WEIGHTS) as Partial<Weights>)
    : undefined;
  const sys = systems(override);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".jsonl"))
    .sort();
  for (const file of files) {
    const set = file.replace(/\.jsonl$/, "");
    if (only !== undefined && !only.includes(set)) continue;
    let docs = readFileSync(join(dir, file), "utf8")
      .split("\n")
      .filter((l) => l.trim() !== "")
      .map((l) => JSON.parse(l) as EvalDoc);
    if (split === "even") docs = docs.filter((_, i) => i % 2 === 0);
    if (split === "odd") docs = docs.filter((_, i) => i % 2 === 1);
    const totals = new Map<string, [number, number, number]>();
    for (const d of docs) {
      const refs = d.references.map((r) => tokens(r, d.lang));
      const budget = Math.round(refs.reduce((a, r) => a + r.length, 0) / Math.max(1, refs.length));
      for (const [name, fn] of Object.entries(sys)) {
        const out = tokens(fn(d, budget), d.lang).slice(0, budget);
        const s = rouge(out, refs);
        const t = totals.get(name) ?? [0, 0, 0];
        totals.set(name, [t[0] + s[0], t[1] + s[1], t[2] + s[2]]);
      }
    }
    const n = docs.length;
    const row = (name: string, v: [number, number, number]): string =>
      `| ${name.padEnd(18)} | ${v.map((x) => ((100 * x) / n).toFixed(1).padStart(5)).join(" | ")} |`;
    const lead = totals.get("lead") ?? [0, 0, 0];
    const ours = totals.get("ours") ?? [0, 0, 0];
    const langs = [...new Set(docs.map((d) => d.lang))];
    const policy = langs.map((l) => `${l}: ${policyName(l)}`).join(", ");
    console.log(
      `\n${set} (${n} docs; policy ${policy}${override !== undefined ? " + EVAL_WEIGHTS" : ""}; on all documents, held-out: npm run eval:cv)`,
    );
    console.log("| system             |    R1 |    R2 |    RL |");
    console.log("| ------------------ | ----- | ----- | ----- |");
    console.log(row("lead", lead));
    console.log(row("wirebrief", ours));
    console.log(row("wirebrief - lead", [ours[0] - lead[0], ours[1] - lead[1], ours[2] - lead[2]]));
    const tr = totals.get("textrank");
    if (tr !== undefined) console.log(row("textrank (ours)", tr));
    const target = TARGETS[set];
    if (target !== undefined && split === undefined) {
      const r1 = (100 * ours[0]) / n;
      const r2 = (100 * ours[1]) / n;
      const bar1 = target.r1 ?? (100 * lead[0]) / n;
      const bar2 = target.r2 ?? (100 * lead[1]) / n;
      const met = target.r1 === undefined ? r1 >= bar1 && r2 >= bar2 : r1 > bar1 && r2 > bar2;
      console.log(
        `target: ${target.r1 === undefined ? "at least" : "above"} ${target.name} (${bar1.toFixed(1)}/${bar2.toFixed(1)}) ${met ? "MET" : "not met"}`,
      );
    }
  }
}

if (process.argv[1]?.endsWith("eval.ts")) main();
