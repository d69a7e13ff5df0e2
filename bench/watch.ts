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
import { compileWatchIndex, type MatchableDoc, matchDocument, type WatchlistSpec } from "../src/watch/index.ts";
import { countCandidates } from "../src/watch/percolator.ts";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
const quick = process.argv.includes("--quick");
const argN = process.argv.find((a) => a.startsWith("--n="));
const argRuns = process.argv.find((a) => a.startsWith("--runs="));
const RUNS = argRuns ? Number(argRuns.slice(7)) : 100;

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
const latinSyl = ["ka", "ro", "vel", "min", "sk", "an", "to", "ri", "bel", "mar", "lo", "chen", "din", "ost", "ul", "gra", "ne", "ta", "vo", "is", "per", "zan", "qu", "ly", "dor", "ham", "et", "sun", "ber", "gal"];
const arabicLetters = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي";
const cjkPool = "中国白俄罗斯卢卡申科明克经贸合作发展总统会见代表团双方表示愿同一带路工业园建设企业投资兴农产品机电贸易教育科技地方议题据国家统计委员会公布数据去年两额保持增长分析人士认为欧盟市场变化使更加重视亚洲伙伴新华社记者北京上海广州深圳天津重庆南京武汉西安成都杭州苏州政府部门官员政策改革开放安全稳定和平友好关系交流访问";

function latinWord(): string {
  const n = 2 + Math.floor(rnd() * 3);
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
const enArticleVocab = [...new Set([...enFixtureWords, ...Array.from({ length: 3000 }, latinWord)])].slice(0, 3000);
const arArticleVocab = [...new Set([...arFixtureWords, ...Array.from({ length: 3000 }, arabicWord)])].slice(0, 3000);

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
  while (zhChars.join("").length < 8000) zhChars.push(zhVisit.slice(Math.floor(rnd() * 900), Math.floor(rnd() * 900) + 40));
}
const zhDoc: MatchableDoc = { title: "白俄罗斯总统会见中国代表团", text: zhChars.join(""), lang: "zh" };

// The query vocabulary: 100,000 words and names, including the articles' words except
// their 100 most frequent (function words nobody watches: "the", "في").
const queryVocab: string[] = [...enArticleVocab.slice(100), ...arArticleVocab.slice(100)];
const vocabSet = new Set(queryVocab);
while (queryVocab.length < 100_000) {
  const r = rnd();
  const w = r < 0.6 ? latinWord() : r < 0.85 ? arabicWord() : cjkWord();
  if (!vocabSet.has(w)) {
    vocabSet.add(w);
    queryVocab.push(w);
  }
}
const latinVocab = queryVocab.filter((w) => /^[a-z]/i.test(w));

function query(): string {
  const r = rnd();
  const w = () => pick(queryVocab);
  if (r < 0.4) return w();
  if (r < 0.55) return `"${w()} ${w()}"`;
  if (r < 0.65) return `${w()} AND ${w()}`;
  if (r < 0.75) return `${w()} OR ${w()} OR ${w()}`;
  if (r < 0.8) return `${pick(latinVocab).slice(0, 5)}*`;
  if (r < 0.85) return `${w()} -${w()}`;
  if (r < 0.9) return `"${w()} ${w()}"~5`;
  if (r < 0.95) return `title:${w()}`;
  return `${w()} AND (${w()} OR ${w()}) NOT ${w()}`;
}

const ALL = 100_000;
const allQueries = Array.from({ length: ALL }, query);
function watchlists(n: number): WatchlistSpec[] {
  // ~5 queries per watchlist
  const out: WatchlistSpec[] = [];
  for (let i = 0; i < n; i += 5) {
    out.push({ id: `w${i}`, subscriberId: `s${i % 997}`, queries: allQueries.slice(i, Math.min(n, i + 5)) });
  }
  return out;
}

function time(fn: () => void, runs: number): { median: number; p95: number } {
  const ts: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    ts.push(performance.now() - t0);
  }
  ts.sort((a, b) => a - b);
  return { median: ts[Math.floor(ts.length / 2)] as number, p95: ts[Math.floor(ts.length * 0.95)] as number };
}

const fmt = (x: number) => x.toFixed(3).padStart(8);
console.log(
  `article: en ${enDoc.text.split(/\s+/).length} words / ${enDoc.text.length} chars; ar ${arDoc.text.split(/\s+/).length} words; zh ${zhDoc.text.length} chars`,
);
console.log("queries   compile ms  heap MB | doc  match median ms  p95 ms  candidates  matched queries");
const rows: Record<number, number> = {};
const sizes = argN ? [Number(argN.slice(4))] : quick ? [10, 1000, 10_000] : [10, 1000, 10_000, 100_000];
for (const n of sizes) {
  const wl = watchlists(n);
  gc();
  const h0 = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  let index = compileWatchIndex(wl);
  const compileMs = performance.now() - t0;
  // compile again for a steadier number (JIT warm)
  const t1 = performance.now();
  index = compileWatchIndex(wl);
  const compileMs2 = performance.now() - t1;
  gc();
  const heap = (process.memoryUsage().heapUsed - h0) / 2 ** 20;
  for (const [name, d] of [
    ["en", enDoc],
    ["ar", arDoc],
    ["zh", zhDoc],
  ] as const) {
    for (let i = 0; i < 20; i++) matchDocument(index, d); // warm up
    const t = time(() => matchDocument(index, d), RUNS);
    const matched = matchDocument(index, d).reduce((s, m) => s + m.matches.length, 0);
    if (name === "en") rows[n] = t.median;
    console.log(
      `${String(n).padStart(7)} ${fmt(Math.min(compileMs, compileMs2))}  ${fmt(heap)} | ${name}  ${fmt(t.median)}  ${fmt(t.p95)}  ${String(countCandidates(index, d)).padStart(10)}  ${String(matched).padStart(8)}`,
    );
  }
}
const last = quick ? 10_000 : 100_000;
if (!argN) console.log(
  `en growth 10 -> ${last} queries: ${((rows[last] as number) / (rows[10] as number)).toFixed(2)}x (target <= 2x); at 10,000: ${(rows[10_000] as number).toFixed(3)} ms (target < 2 ms)`,
);
