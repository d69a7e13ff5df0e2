/**
 * Watch matching benchmark: a 5,000-word article against 10, 1,000, 10,000 and
 * 100,000 queries, plus compile time and the heap held by the compiled index.
 *
 *   node --experimental-strip-types --no-warnings bench/watch.ts [--quick]
 *
 *   (--n=N --runs=R: one index size only, for profiling)
 *
 * Articles are built from the fixtures' own words plus a Zipf-distributed vocabulary;
 * queries draw from a 100,000-word vocabulary of words and names (English-like,
 * Arabic, Chinese) that includes the article's words, in realistic shapes (words,
 * phrases, prefixes, AND/OR/NOT, proximity, title:). Deterministic (seeded).
 */
import { readFileSync } from "node:fs";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import {
  compileWatchIndex,
  type MatchableDoc,
  matchDocument,
  type WatchIndex,
  type WatchlistSpec,
} from "../src/watch/index.ts";
import { countCandidates } from "../src/watch/percolator.ts";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
const quick = process.argv.includes("--quick");
const argN = process.argv.find((a) => a.startsWith("--n="));
const argRuns = process.argv.find((a) => a.startsWith("--runs="));
const RUNS = argRuns ? Number(argRuns.slice(7)) : 200;

let seed = 0x2545f491;
function rnd(): number {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 2 ** 32;
}
const pick = <T>(a: T[]): T => a[Math.floor(rnd() * a.length)] as T;

function fixture(rel: string): string {
  return readFileSync(new URL(`../fixtures/${rel}`, import.meta.url), "utf8");
}

// --- vocabularies -----------------------------------------------------------
const latinSyl = (
  "ka ro vel min sk an to ri bel mar lo chen din ost ul gra ne ta vo is per zan qu ly dor ham et sun ber gal " +
  "pra tek nol vis hu sor mel dra fen gor ib kul nak or pes rud sha tim ur vak wen yor zel bro cas del " +
  "fal gri hol jun kor lam mon nis pol ran sel tor val wil yan zor bar cen dul"
).split(" ");
const arabicLetters = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي";
const cjkPool =
  "中国白俄罗斯卢卡申科明克经贸合作发展总统会见代表团双方表示愿同一带路工业园建设企业投资兴农产品机电贸易教育科技地方议题据国家统计委员会公布数据去年两额保持增长分析人士认为欧盟市场变化使更加重视亚洲伙伴新华社记者北京上海广州深圳天津重庆南京武汉西安成都杭州苏州政府部门官员政策改革开放安全稳定和平友好关系交流访问";

/** A Latin-script word of `min`..`max` syllables (article words are short, like English's ~5 letters; names longer). */
function latinWord(min = 3, max = 4): string {
  const n = min + Math.floor(rnd() * (max - min + 1));
  let w = "";
  for (let i = 0; i < n; i++) w += pick(latinSyl);
  return w;
}
function arabicWord(): string {
  const n = 3 + Math.floor(rnd() * 5);
  let w = "";
  for (let i = 0; i < n; i++) w += arabicLetters[Math.floor(rnd() * arabicLetters.length)];
  return w;
}
function cjkWord(): string {
  const n = 2 + Math.floor(rnd() * 3);
  let w = "";
  for (let i = 0; i < n; i++) w += cjkPool[Math.floor(rnd() * cjkPool.length)];
  return w;
}

const fixtureText = [
  fixture("watch/en-belarus-park.txt"),
  fixture("watch/en-belarus-harvest.txt"),
  fixture("seed-ar-xinhua.txt"),
  fixture("watch/ar-belarus-park.txt"),
].join(" ");
const fixtureWords = [...new Set(fixtureText.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 1))];
const enFixtureWords = fixtureWords.filter((w) => /^[A-Za-z]/.test(w));
const arFixtureWords = fixtureWords.filter((w) => /^[\u0600-\u06FF]/.test(w));

// Article vocabularies (3,000 words each, Zipf-distributed in the text).
const enArticleVocab = [
  ...new Set([...enFixtureWords, ...Array.from({ length: 3000 }, () => latinWord(1, 3))]),
].slice(0, 3000);
const arArticleVocab = [
  ...new Set([...arFixtureWords, ...Array.from({ length: 3000 }, arabicWord)]),
].slice(0, 3000);

function zipfPicker<T>(vocab: T[]): () => T {
  const cum: number[] = [];
  let s = 0;
  for (let i = 0; i < vocab.length; i++) {
    s += 1 / (i + 1);
    cum.push(s);
  }
  return () => {
    const r = rnd() * s;
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const m = (lo + hi) >> 1;
      if ((cum[m] as number) < r) lo = m + 1;
      else hi = m;
    }
    return vocab[lo] as T;
  };
}

function article(vocab: string[], words: number, enders: string[]): string {
  const z = zipfPicker(vocab);
  const out: string[] = [];
  let inSentence = 0;
  for (let i = 0; i < words; i++) {
    let w = z();
    if (inSentence === 0 && /^[a-z]/.test(w)) w = w[0]?.toUpperCase() + w.slice(1);
    out.push(w);
    inSentence++;
    if (inSentence > 8 && rnd() < 0.1) {
      out[out.length - 1] += pick(enders);
      if (rnd() < 0.2) out[out.length - 1] += "\n";
      inSentence = 0;
    }
  }
  return `${out.join(" ")}.`;
}

const enDoc: MatchableDoc = {
  title: "Belarus and China widen trade ties",
  text: article(enArticleVocab, 5000, ["."]),
  lang: "en",
  url: "https://example.com/a",
};
const arDoc: MatchableDoc = {
  title: "الصين وبيلاروسيا تعززان التعاون",
  text: article(arArticleVocab, 5000, [".", "،"]),
  lang: "ar",
};
const zhChars: string[] = [];
{
  const zhVisit = fixture("watch/zh-belarus-visit.txt") + fixture("watch/zh-belarus-harvest.txt");
  while (zhChars.join("").length < 8000)
    zhChars.push(zhVisit.slice(Math.floor(rnd() * 900), Math.floor(rnd() * 900) + 40));
}
const zhDoc: MatchableDoc = {
  title: "白俄罗斯总统会见中国代表团",
  text: zhChars.join(""),
  lang: "zh",
};

// The query vocabulary: words and names (60% Latin-script, 25% Arabic, 15% Chinese),
// including the articles' words except their 100 most frequent (function words
// nobody watches: "the", "في"). Its size sets how often a query term occurs in the
// article: 300,000 terms is the realistic default (about 0.5% of single-word queries
// occur in a 5,000-word article); the stress run uses 100,000 (about 1.5%).
function makeVocab(size: number): { all: string[]; latin: string[] } {
  const all: string[] = [...enArticleVocab.slice(100), ...arArticleVocab.slice(100)];
  const set = new Set(all);
  while (all.length < size) {
    const r = rnd();
    const w = r < 0.6 ? latinWord() : r < 0.85 ? arabicWord() : cjkWord();
    if (!set.has(w)) {
      set.add(w);
      all.push(w);
    }
  }
  return { all, latin: all.filter((w) => /^[a-z]/i.test(w)) };
}

function makeQueries(n: number, vocab: { all: string[]; latin: string[] }): string[] {
  const w = () => pick(vocab.all);
  const one = (): string => {
    const r = rnd();
    if (r < 0.4) return w();
    if (r < 0.55) return `"${w()} ${w()}"`;
    if (r < 0.65) return `${w()} AND ${w()}`;
    if (r < 0.75) return `${w()} OR ${w()} OR ${w()}`;
    if (r < 0.8) {
      // a prefix: a word without its last 1-3 letters ("lukashenk*"), at least 5 letters
      const v = pick(vocab.latin);
      return `${v.slice(0, Math.max(5, v.length - 1 - Math.floor(rnd() * 3)))}*`;
    }
    if (r < 0.85) return `${w()} -${w()}`;
    if (r < 0.9) return `"${w()} ${w()}"~5`;
    if (r < 0.95) return `title:${w()}`;
    return `${w()} AND (${w()} OR ${w()}) NOT ${w()}`;
  };
  return Array.from({ length: n }, one);
}

function watchlists(queries: string[]): WatchlistSpec[] {
  // 5 queries per watchlist
  const out: WatchlistSpec[] = [];
  for (let i = 0; i < queries.length; i += 5) {
    out.push({ id: `w${i}`, subscriberId: `s${i % 997}`, queries: queries.slice(i, i + 5) });
  }
  return out;
}

const docs = [
  ["en", enDoc],
  ["ar", arDoc],
  ["zh", zhDoc],
] as const;

interface Row {
  label: string;
  n: number;
  compileMs: number;
  heapMB: number;
  index: WatchIndex;
}

function build(label: string, queries: string[]): Row {
  const wl = watchlists(queries);
  // best of 3 compiles (JIT warm-up), heap measured on the last one
  let compileMs = Number.POSITIVE_INFINITY;
  let index: WatchIndex | null = null;
  let heapMB = 0;
  for (let i = 0; i < 3; i++) {
    index = null;
    gc();
    const h0 = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    index = compileWatchIndex(wl);
    compileMs = Math.min(compileMs, performance.now() - t0);
    gc();
    heapMB = (process.memoryUsage().heapUsed - h0) / 2 ** 20;
    if (queries.length >= 100_000) break; // one compile is enough (and slow)
  }
  return { label, n: queries.length, compileMs, heapMB, index: index as WatchIndex };
}

function quantile(ts: number[], q: number): number {
  const s = ts.slice().sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * q))] as number;
}

console.log(
  `article: en ${enDoc.text.split(/\s+/).length} words / ${enDoc.text.length} chars; ar ${arDoc.text.split(/\s+/).length} words; zh ${zhDoc.text.length} chars`,
);
// Only the query strings are kept: the vocabularies are dropped before measuring, and
// one index is alive at a time, so the heap looks like a Worker's.
const pool = makeQueries(100_000, makeVocab(300_000));
const stressPool = !argN && !quick ? makeQueries(100_000, makeVocab(100_000)) : [];
const sizes = argN
  ? [Number(argN.slice(4))]
  : quick
    ? [10, 1000, 10_000]
    : [10, 1000, 10_000, 100_000];
const plan: [string, string[]][] = sizes.map((n) => ["realistic", pool.slice(0, n)]);

console.log(
  "queries   label      compile ms  heap MB | doc  median ms   p95 ms    min ms    cpu ms  candidates  matched",
);
const fmt = (x: number) => x.toFixed(3).padStart(8);
const med = new Map<string, number>();
// Mean CPU time per call (process.cpuUsage): less sensitive than wall time to other
// tenants of a shared machine, which deschedule us.
const cpuMean = new Map<string, number>();
const rows: Row[] = [];

/** Times a group of indexes round-robin (so changing load on a shared machine hits them alike). */
function timeGroup(group: Row[]): void {
  const times = group.map(() => docs.map((): number[] => []));
  const cpu = group.map(() => docs.map(() => 0));
  for (let r = -10; r < RUNS; r++) {
    group.forEach((row, gi) => {
      docs.forEach(([, d], i) => {
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        matchDocument(row.index, d);
        const dt = performance.now() - t0;
        const c1 = process.cpuUsage(c0);
        if (r >= 0) {
          ((times[gi] as number[][])[i] as number[]).push(dt);
          (cpu[gi] as number[])[i] =
            ((cpu[gi] as number[])[i] as number) + (c1.user + c1.system) / 1000;
        }
      });
    });
  }
  group.forEach((row, gi) => {
    docs.forEach(([name, d], i) => {
      const ts = (times[gi] as number[][])[i] as number[];
      const matched = new Set(
        matchDocument(row.index, d).flatMap((m) => m.matches.map((x) => x.query)),
      ).size;
      med.set(`${row.label}/${row.n}/${name}`, quantile(ts, 0.5));
      const cpuMs = ((cpu[gi] as number[])[i] as number) / RUNS;
      cpuMean.set(`${row.label}/${row.n}/${name}`, cpuMs);
      console.log(
        `${String(row.n).padStart(7)}   ${row.label.padEnd(9)} ${fmt(row.compileMs)}  ${fmt(row.heapMB)} | ${name}  ${fmt(quantile(ts, 0.5))}  ${fmt(quantile(ts, 0.95))}  ${fmt(Math.min(...ts))}  ${fmt(cpuMs)}  ${String(countCandidates(row.index, d)).padStart(10)}  ${String(matched).padStart(7)}`,
      );
    });
  });
}

{
  const group = plan.map(([label, q]) => build(label, q));
  timeGroup(group);
  if (argN) rows.push(...group); // kept only for --phases / --debug
}
if (stressPool.length > 0) {
  // alone (the realistic indexes are dropped), with a 10-query baseline timed alongside
  timeGroup([build("stress", stressPool.slice(0, 10)), build("stress", stressPool)]);
}
if (!argN) {
  const last = quick ? 10_000 : 100_000;
  for (const [name] of docs) {
    const a = med.get(`realistic/10/${name}`) as number;
    const b = med.get(`realistic/${last}/${name}`) as number;
    const c = med.get(`realistic/10000/${name}`) as number;
    const sa = med.get(`stress/10/${name}`);
    const sb = med.get(`stress/100000/${name}`);
    const ca = cpuMean.get(`realistic/10/${name}`) as number;
    const cb = cpuMean.get(`realistic/${last}/${name}`) as number;
    const cc = cpuMean.get(`realistic/10000/${name}`) as number;
    console.log(
      `${name}: 10 -> ${last} queries: median ${(b / a).toFixed(2)}x, cpu ${(cb / ca).toFixed(2)}x (target <= 2x); at 10,000: median ${c.toFixed(3)} ms, cpu ${cc.toFixed(3)} ms (target < 2 ms)` +
        (sa && sb ? `; stress 10 -> 100000: median ${(sb / sa).toFixed(2)}x` : ""),
    );
  }
}
{
  const { fingerprint } = await import("../src/watch/index.ts");
  const parts = docs.map(([name, d]) => {
    const ts: number[] = [];
    for (let r = 0; r < 50; r++) {
      const t0 = performance.now();
      fingerprint(d.text);
      ts.push(performance.now() - t0);
    }
    return `${name} ${quantile(ts, 0.5).toFixed(3)} ms`;
  });
  console.log(`fingerprint (median): ${parts.join(", ")}`);
}
if (process.argv.includes("--phases")) {
  const { indexDocument } = await import("../src/watch/match.ts");
  for (const row of rows) {
    for (const [name, d] of docs) {
      const ts: number[] = [];
      const tc: number[] = [];
      for (let r = 0; r < 200; r++) {
        const t0 = performance.now();
        indexDocument(d);
        const t1 = performance.now();
        countCandidates(row.index, d);
        const t2 = performance.now();
        ts.push(t1 - t0);
        tc.push(t2 - t1 - (t1 - t0));
      }
      console.log(
        `${row.n} ${name}: indexDocument ${quantile(ts, 0.5).toFixed(3)} ms; presearch ${quantile(tc, 0.5).toFixed(3)} ms`,
      );
    }
  }
}
if (process.argv.includes("--debug")) {
  for (const row of rows) {
    const ix = row.index._;
    console.log(
      row.n,
      "catchAll",
      ix.catchAll.length,
      "words",
      ix.words.size,
      "prefix buckets",
      ix.prefixes.size,
      "lens",
      ix.prefixLens,
    );
  }
}
