/**
 * CPU of the work one ingest does in the Worker (clean-up, language, sentences, summary,
 * keywords, fingerprint, matching against 10,000 queries, the record's JSON), measured
 * inside workerd. Its clock moves only across I/O, so each sample runs the work REPS
 * times between two KV reads, and the same two reads without the work are subtracted
 * (resolution 1 ms / REPS). Median and minimum of 15 samples: on a shared machine other
 * processes only ever add time, so the minimum is the closest to the CPU cost.
 * The code timed is the pipeline bundled as the deployed Worker is (see ingest-entry.ts),
 * built by `npm run bench` before this file runs.
 */
import { env } from "cloudflare:workers";
import { it } from "vitest";
import en from "../fixtures/articles/en.txt?raw";
import es from "../fixtures/articles/es.txt?raw";
import fr from "../fixtures/articles/fr.txt?raw";
import ru from "../fixtures/articles/ru.txt?raw";
import zh from "../fixtures/articles/zh.txt?raw";
import seed from "../fixtures/seed-ar-xinhua.txt?raw";
import { longArticle } from "./articles.ts";
import type * as Bundle from "./ingest-entry.ts";

// Built by bench/bundle.ts (`npm run bench`); computed paths so vite loads the files as they are.
const built = (file: string) =>
  import(/* @vite-ignore */ ["..", ".wrangler", "bench", file].join("/")).catch(() => {
    throw new Error(`no .wrangler/bench/${file}: run \`npm run bench\`, which builds it first`);
  });
const { analyzeArticle, decodeWatchIndex, indexDocument, indexedFingerprint, matchDocument } =
  (await built("ingest.js")) as typeof Bundle;
// The 10,000-query index as an isolate gets it: a snapshot compiled elsewhere (bench/bundle.ts), decoded here.
const snapshot = ((await built("index-10000.js")) as { default: string }).default;

/** Work repeated per sample, so a 1 ms clock resolves 0.05 ms. */
const REPS = 20;

const median = (xs: number[]) =>
  xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

it("prints the CPU of one ingest's own work inside workerd", async () => {
  const index = decodeWatchIndex(Uint8Array.from(atob(snapshot), (c) => c.charCodeAt(0)));
  // the fixtures of four languages run together, repeated to 5,000 words: a stress case
  const mixed = [en, fr, es, ru].join("\n\n").split(/\s+/);
  const mixed5000 = Array.from({ length: 5000 }, (_, i) => mixed[i % mixed.length]).join(" ");
  const io = () => env.KV.get("bench:absent");
  const analyseOnly = (text: string) => JSON.stringify(analyzeArticle({ text })).length;
  // as src/ingest/pipeline.ts does: the document indexed once for fingerprint and matcher
  const indexed = (a: ReturnType<typeof analyzeArticle>) =>
    indexDocument({
      text: a.doc.text,
      title: a.doc.title,
      lang: a.doc.lang,
      source: null,
      url: null,
      sentences: a.doc.sentences,
    });
  const record = (a: ReturnType<typeof analyzeArticle>) => {
    const d = indexed(a);
    const fp = indexedFingerprint(d);
    const matches = matchDocument(index, d);
    const { text, title, lang, dateline } = a.doc;
    return { text, title, lang, dateline, summary: a.summary, keywords: a.keywords, fp, matches };
  };
  const work = (text: string) => JSON.stringify(record(analyzeArticle({ text }))).length;
  const rows: string[] = [];
  for (const [label, text] of [
    ["median fixture (en, 330 words)", en],
    ["seed (ar)", seed],
    ["zh fixture", zh],
    ["5,000-word article (en, as bench/pipeline.ts)", longArticle(en)],
    ["5,000 words, en+fr+es+ru run together", mixed5000],
  ] as const) {
    for (let i = 0; i < 30; i++) work(text); // warm
    const analysed = analyzeArticle({ text });
    const stored = record(analysed);
    const timed = async (f: () => unknown) => {
      const t: number[] = [];
      for (let i = 0; i < 15; i++) {
        await io();
        const t0 = Date.now();
        for (let r = 0; r < REPS; r++) f();
        await io();
        t.push((Date.now() - t0) / REPS);
      }
      return { median: median(t), min: Math.min(...t) };
    };
    const floor = await timed(() => 0);
    // median / minimum, less the bare reads' median / minimum
    const cost = async (f: () => unknown) => {
      const t = await timed(f);
      return `${Math.max(0, t.median - floor.median).toFixed(2)} / ${Math.max(0, t.min - floor.min).toFixed(2)}`;
    };
    const all = await cost(() => work(text));
    const text_ = await cost(() => analyseOnly(text));
    const fp = await cost(() => indexedFingerprint(indexed(analysed)));
    const matching = await cost(() => matchDocument(index, indexed(analysed)));
    const json = await cost(() => JSON.stringify(stored).length);
    const ms = (x: string) => `${x} ms`;
    rows.push(
      `| ${label} | ${ms(all)} | ${ms(text_)} | ${ms(fp)} | ${ms(matching)} | ${ms(json)} (${Math.round(JSON.stringify(stored).length / 1024)} KiB) |`,
    );
  }
  console.log(
    [
      "",
      "CPU of one ingest's work at 10,000 queries (inside workerd; median / minimum of 15 samples)",
      "| article | whole | text pipeline | index + fingerprint | index + matching | record JSON |",
      "|---|---|---|---|---|---|",
      ...rows,
    ].join("\n"),
  );
});
