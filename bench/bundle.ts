/**
 * Builds what the workerd CPU bench (bench/ingest-cpu.test.ts) loads, into .wrangler/bench:
 * ingest.js, bench/ingest-entry.ts bundled as wrangler bundles the Worker (esbuild, ESM,
 * one module), and index-10000.js, a 10,000-query watch index snapshot (base64), so the
 * bench decodes the index as an isolate does instead of compiling it there. Run by
 * `npm run bench`.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { build } from "esbuild";
import { compileWatchIndex, encodeWatchIndex, type WatchlistSpec } from "../src/watch/index.ts";
import { lcg } from "./articles.ts";

const out = (file: string) => new URL(`../.wrangler/bench/${file}`, import.meta.url).pathname;
const fixture = (rel: string) =>
  readFileSync(new URL(`../fixtures/${rel}`, import.meta.url), "utf8");
const [en, fr, es, ru, seed] = [
  "articles/en.txt",
  "articles/fr.txt",
  "articles/es.txt",
  "articles/ru.txt",
  "seed-ar-xinhua.txt",
].map(fixture);

const next = lcg(42);
const rnd = () => next() / 2 ** 31;

/** `n` queries over the fixtures' words and made-up names, in the bench's usual mix (5 a watchlist). */
function queries(n: number): WatchlistSpec[] {
  const words = [...new Set([en, fr, es, ru, seed].join(" ").match(/\p{L}{4,}/gu) ?? [])];
  const made = Array.from({ length: 20_000 }, () =>
    Array.from({ length: 6 }, () => String.fromCharCode(97 + Math.floor(rnd() * 26))).join(""),
  );
  const vocab = [...words, ...made];
  const w = () => vocab[Math.floor(rnd() * vocab.length)] as string;
  const one = () => {
    const r = rnd();
    if (r < 0.5) return w();
    if (r < 0.65) return `"${w()} ${w()}"`;
    if (r < 0.8) return `${w()} AND ${w()}`;
    if (r < 0.9) return `${w()} OR ${w()}`;
    return `"${w()} ${w()}"~5`;
  };
  const specs: WatchlistSpec[] = [];
  for (let i = 0; i < n; i += 5) {
    specs.push({
      id: `w${i}`,
      subscriberId: `s${i % 997}`,
      queries: Array.from({ length: 5 }, one),
    });
  }
  return specs;
}

await build({
  entryPoints: [new URL("./ingest-entry.ts", import.meta.url).pathname],
  bundle: true,
  format: "esm",
  platform: "neutral",
  target: "es2024",
  outfile: out("ingest.js"),
  logLevel: "warning",
});
const snapshot = encodeWatchIndex(compileWatchIndex(queries(10_000)));
writeFileSync(
  out("index-10000.js"),
  `export default "${Buffer.from(snapshot).toString("base64")}";\n`,
);
