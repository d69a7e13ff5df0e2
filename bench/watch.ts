/**
 * Watch index benchmark. For 10 / 1,000 / 10,000 / 100,000 / 1,000,000 queries:
 * compile ms, snapshot bytes, decode ms, match median / p95 / mean CPU ms per article
 * (English, Arabic: 5,000 words; Chinese: 8,000 characters) on the DECODED index (what
 * an isolate runs), and the heap the decoded index holds. "vs 10" is the growth over the
 * 10-query index: the median of run-by-run CPU ratios, each size timed alternately with
 * it. Then the hostile rows: a 1 MiB article against 10,000 queries, one subscriber's
 * full quota (2,000) of each hostile shape among 8,000 realistic ones, and 10,000 of
 * that shape alone (five subscribers at their quota).
 *
 *   npm run bench                  (the pipeline bench, then this one)
 *   node --experimental-strip-types --no-warnings bench/watch.ts [--quick] [--max=N]
 *        [--no-hostile] [--hostile-only] [--runs=R]
 *
 * Articles are built from the fixtures' own words plus a Zipf-distributed vocabulary;
 * queries draw from a 300,000-word vocabulary of words and names (English-like,
 * Arabic, Chinese) that includes the article's words, in realistic shapes (words,
 * phrases, prefixes, AND/OR/NOT, proximity, title:). Deterministic (seeded).
 */
import { readFileSync } from "node:fs";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { splitSentences } from "../src/text/sentences.ts";
import {
  compileWatchIndex,
  decodeWatchIndex,
  encodeWatchIndex,
  type MatchableDoc,
  matchDocument,
  type WatchIndex,
  type WatchlistSpec,
} from "../src/watch/index.ts";
import { countCandidates } from "../src/watch/percolator.ts";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
const quick = process.argv.includes("--quick");
const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
const RUNS = Number(arg("runs") ?? 100);
const MAX = Number(arg("max") ?? (quick ? 10_000 : 1_000_000));

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

/** A document with the sentence spans the ingest pipeline would pass. */
function mdoc(title: string, text: string, lang: string, url?: string): MatchableDoc {
  return { title, text, lang, url: url ?? null, sentences: splitSentences(text, lang) };
}
const enDoc = mdoc(
  "Belarus and China widen trade ties",
  article(enArticleVocab, 5000, ["."]),
  "en",
  "https://example.com/a",
);
const arDoc = mdoc(
  "الصين وبيلاروسيا تعززان التعاون",
  article(arArticleVocab, 5000, [".", "،"]),
  "ar",
);
const zhChars: string[] = [];
{
  const zhVisit = fixture("watch/zh-belarus-visit.txt") + fixture("watch/zh-belarus-harvest.txt");
  while (zhChars.join("").length < 8000)
    zhChars.push(zhVisit.slice(Math.floor(rnd() * 900), Math.floor(rnd() * 900) + 40));
}
const zhDoc = mdoc("白俄罗斯总统会见中国代表团", zhChars.join(""), "zh");

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

function watchlists(queries: string[], perList = 5, prefix = "w"): WatchlistSpec[] {
  const out: WatchlistSpec[] = [];
  for (let i = 0; i < queries.length; i += perList) {
    out.push({
      id: `${prefix}${i}`,
      subscriberId: `s${(i / perList) % 997}`,
      queries: queries.slice(i, i + perList),
    });
  }
  return out;
}

function quantile(ts: number[], q: number): number {
  const s = ts.slice().sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * q))] as number;
}
const fmt = (x: number, w = 9, d = 2) => x.toFixed(d).padStart(w);

interface Built {
  n: number;
  compileMs: number;
  bytes: number;
  decodeMs: number;
  heapMB: number;
  index: WatchIndex;
}

/** Compiles, encodes, drops the compiled index, decodes (best of 3 below 100,000 queries) and measures the decoded index's heap. */
function build(lists: WatchlistSpec[], n: number): Built {
  const reps = n >= 100_000 ? 1 : 3;
  let compileMs = Number.POSITIVE_INFINITY;
  let bytes: Uint8Array | null = null;
  for (let i = 0; i < reps; i++) {
    gc();
    const t0 = performance.now();
    const compiled = compileWatchIndex(lists);
    compileMs = Math.min(compileMs, performance.now() - t0);
    if (i === reps - 1) bytes = encodeWatchIndex(compiled);
  }
  const snap = bytes as Uint8Array;
  let decodeMs = Number.POSITIVE_INFINITY;
  let index: WatchIndex | null = null;
  let heapMB = 0;
  for (let i = 0; i < reps; i++) {
    index = null;
    gc();
    const h0 = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    index = decodeWatchIndex(snap);
    decodeMs = Math.min(decodeMs, performance.now() - t0);
    gc();
    heapMB = (process.memoryUsage().heapUsed - h0) / 2 ** 20;
  }
  return { n, compileMs, bytes: snap.byteLength, decodeMs, heapMB, index: index as WatchIndex };
}

interface Timing {
  median: number;
  p95: number;
  cpu: number;
  /** CPU ms of each run (the runs of every index alternate, so run r of two indexes are neighbours in time). */
  cpuRuns: number[];
}

/** Times indexes on documents round-robin, so a shared machine's changing load hits them alike. CPU is process.cpuUsage per call. */
function timeAll(indexes: WatchIndex[], ds: MatchableDoc[], runs: number, warm = 5): Timing[][] {
  const wall = indexes.map(() => ds.map((): number[] => []));
  const cpu = indexes.map(() => ds.map((): number[] => []));
  for (let r = -warm; r < runs; r++) {
    indexes.forEach((ix, i) => {
      ds.forEach((d, j) => {
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        matchDocument(ix, d);
        const dt = performance.now() - t0;
        const c1 = process.cpuUsage(c0);
        if (r < 0) return;
        ((wall[i] as number[][])[j] as number[]).push(dt);
        ((cpu[i] as number[][])[j] as number[]).push((c1.user + c1.system) / 1000);
      });
    });
  }
  return indexes.map((_, i) =>
    ds.map((_, j) => {
      const ts = wall[i]?.[j] as number[];
      const runsCpu = cpu[i]?.[j] as number[];
      return {
        median: quantile(ts, 0.5),
        p95: quantile(ts, 0.95),
        cpu: runsCpu.reduce((a, b) => a + b, 0) / runs,
        cpuRuns: runsCpu,
      };
    }),
  );
}

const docs: [string, MatchableDoc][] = [
  ["en", enDoc],
  ["ar", arDoc],
  ["zh", zhDoc],
];
console.log(
  `articles: en ${enDoc.text.split(/\s+/).length} words / ${enDoc.text.length} chars; ar ${arDoc.text.split(/\s+/).length} words; zh ${zhDoc.text.length} chars`,
);

const sizes = [10, 1000, 10_000, 100_000, 1_000_000].filter((n) => n <= MAX);
if (!process.argv.includes("--hostile-only")) {
  const pool = makeQueries(sizes[sizes.length - 1] as number, makeVocab(300_000));
  console.log(
    "\n  queries  compile ms  snapshot MB  decode ms  heap MB | doc  match median  p95 ms  cpu ms  vs 10 (cpu)  candidates  matched",
  );
  // the 10-query index stays alive and is timed alongside each size (the growth ratio)
  const base = build(watchlists(pool.slice(0, 10)), 10);
  const growth = new Map<string, number>();
  for (const n of sizes) {
    const b = n === 10 ? base : build(watchlists(pool.slice(0, n)), n);
    const runs = n >= 1_000_000 ? Math.min(RUNS, 30) : RUNS;
    const [tb, tn] =
      n === 10
        ? (() => {
            const t = timeAll(
              [base.index],
              docs.map(([, d]) => d),
              runs,
            );
            return [t[0], t[0]];
          })()
        : timeAll(
            [base.index, b.index],
            docs.map(([, d]) => d),
            runs,
          );
    docs.forEach(([name, d], j) => {
      const t = tn?.[j] as Timing;
      const t10 = tb?.[j] as Timing;
      // the median of run-by-run ratios: each pair ran moments apart, so the VM's drifting
      // speed (±30% between minutes) cancels out
      const ratio = quantile(
        t.cpuRuns.map((c, r) => c / (t10.cpuRuns[r] as number)),
        0.5,
      );
      growth.set(`${n}/${name}`, ratio);
      const matched = new Set(
        matchDocument(b.index, d).flatMap((m) => m.matches.map((x) => x.query)),
      ).size;
      console.log(
        `${String(n).padStart(9)} ${fmt(b.compileMs, 11, 1)} ${fmt(b.bytes / 2 ** 20, 12, 3)} ${fmt(b.decodeMs, 10)} ${fmt(b.heapMB, 8, 1)} | ${name}  ${fmt(t.median, 12, 3)} ${fmt(t.p95, 7, 3)} ${fmt(t.cpu, 7, 3)} ${fmt(ratio, 10, 2)}x ${String(countCandidates(b.index, d)).padStart(11)} ${String(matched).padStart(8)}`,
      );
    });
  }
  for (const [name] of docs) {
    const r = growth.get(`100000/${name}`);
    if (r !== undefined)
      console.log(
        `${name}: match CPU 10 -> 100,000 queries ${r.toFixed(2)}x (target <= 2x, en and ar)`,
      );
  }
}

// --- hostile rows -----------------------------------------------------------------
if (!process.argv.includes("--no-hostile")) {
  const MiB = 2 ** 20;
  let big = "";
  {
    const parts: string[] = [];
    let len = 0;
    while (len < MiB) {
      const a = article(enArticleVocab, 2000, ["."]);
      parts.push(a);
      len += a.length + 1;
    }
    big = parts.join(" ").slice(0, MiB);
  }
  const bigDoc = mdoc("Belarus and China widen trade ties", big, "en");
  const common = enArticleVocab.slice(0, 60).filter((w) => w.length > 1);
  const prefixes2 = [
    ...new Set(enArticleVocab.slice(0, 400).map((w) => w.slice(0, 2).toLowerCase())),
  ];
  const pickN = (a: string[], n: number) => Array.from({ length: n }, () => pick(a));
  const shapes: [string, () => string][] = [
    ["proximity, 32 common words ~1000", () => `"${pickN(common, 32).join(" ")}"~1000`],
    // a small slop: no window matches, so nothing stops early
    ["proximity, 32 common words ~2", () => `"${pickN(common, 32).join(" ")}"~2`],
    ["proximity, 4 common words ~2", () => `"${pickN(common, 4).join(" ")}"~2`],
    [
      "proximity, 100 common words ~1000 (over quota)",
      () => `"${pickN(common, 100).join(" ")}"~1000`,
    ],
    ["phrase, 32 common words", () => `"${pickN(common, 32).join(" ")}"`],
    [
      "two-letter prefixes (a* b* c*)",
      () =>
        pickN(prefixes2, 3)
          .map((p) => `${p}*`)
          .join(" "),
    ],
    ["OR of 32 common words", () => pickN(common, 32).join(" OR ")],
    [
      "OR of 99 (parser limit, over quota)",
      () => [...pickN(common, 50), ...pickN(prefixes2, 49).map((p) => `${p}*`)].join(" OR "),
    ],
    [
      // as deep as the parser allows with NOT at every level (MAX_DEPTH)
      "nesting 10 deep (AND / OR / AND NOT)",
      () => {
        let q = pick(common);
        for (let i = 0; i < 10; i++) q = `(${pick(common)} ${pick(["AND", "OR", "AND NOT"])} ${q})`;
        return q;
      },
    ],
    ["every query the same", () => `"${common.slice(0, 32).join(" ")}"~1000`],
  ];
  const realistic = makeQueries(8000, makeVocab(300_000));
  console.log(
    `\nhostile: a ${(big.length / MiB).toFixed(2)} MiB English article (${big.split(/\s+/).length} words), 10,000 queries; CPU ms per article (mean of ${Math.max(3, Math.round(RUNS / 20))}), median wall ms`,
  );
  console.log(
    "  shape                                            mix                      compile ms   cpu ms  median ms  matched",
  );
  const runs = Math.max(3, Math.round(RUNS / 20));
  const row = (label: string, mix: string, lists: WatchlistSpec[]) => {
    const t0 = performance.now();
    const ix = compileWatchIndex(lists);
    const compileMs = performance.now() - t0;
    const [t] = timeAll([ix], [bigDoc], runs, 1)[0] as Timing[];
    const matched = matchDocument(ix, bigDoc).reduce((a, m) => a + m.matches.length, 0);
    if (ix.invalid.length > 0) console.log(`  (${ix.invalid.length} queries did not parse)`);
    console.log(
      `  ${label.padEnd(48)} ${mix.padEnd(24)} ${fmt(compileMs, 10, 1)} ${fmt((t as Timing).cpu, 8, 1)} ${fmt((t as Timing).median, 10, 1)} ${String(matched).padStart(8)}`,
    );
  };
  row("realistic only", "10,000 realistic", watchlists(makeQueries(10_000, makeVocab(300_000))));
  for (const [label, gen] of shapes) {
    const same = label.startsWith("every");
    const h2 = same ? Array(2000).fill(gen()) : Array.from({ length: 2000 }, gen);
    // one subscriber's quota (20 watchlists of 100) among realistic subscribers
    const mixed = [
      ...watchlists(realistic, 5),
      ...watchlists(h2, 100, "h").map((w) => ({ ...w, subscriberId: "hostile" })),
    ];
    row(label, "2,000 + 8,000 realistic", mixed);
    // five subscribers at their quota (2,000 queries each: 20 watchlists of 100)
    const h10 = same ? Array(10_000).fill(gen()) : Array.from({ length: 10_000 }, gen);
    row(
      label,
      "10,000: 5 at quota",
      watchlists(h10, 100, "h").map((w, i) => ({
        ...w,
        subscriberId: `hostile${Math.floor(i / 20)}`,
      })),
    );
  }
}
