/**
 * CPU of the work one ingest does in the Worker (clean-up, language, sentences, summary,
 * keywords, matching against 10,000 queries, the record's JSON), measured inside workerd.
 * Its clock moves only across I/O, so each run sits between two KV reads and the same
 * two reads without the work are subtracted (median of 30). Run by `npm run bench`.
 */
import { env } from "cloudflare:workers";
import { it } from "vitest";
import en from "../fixtures/articles/en.txt?raw";
import es from "../fixtures/articles/es.txt?raw";
import fr from "../fixtures/articles/fr.txt?raw";
import ru from "../fixtures/articles/ru.txt?raw";
import zh from "../fixtures/articles/zh.txt?raw";
import seed from "../fixtures/seed-ar-xinhua.txt?raw";
import { analyzeArticle } from "../src/text/index.ts";
import { compileWatchIndex, matchDocument, type WatchlistSpec } from "../src/watch/index.ts";

let seedState = 42;
const rnd = () => {
  seedState = (seedState * 1103515245 + 12345) % 2 ** 31;
  return seedState / 2 ** 31;
};

/** 10,000 queries over the fixtures' words and made-up names, in the bench's usual mix. */
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

const median = (xs: number[]) =>
  xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

it("prints the CPU of one ingest's own work inside workerd", async () => {
  const index = compileWatchIndex(queries(10_000));
  const long = [en, fr, es, ru].join("\n\n").split(/\s+/);
  const words5000 = Array.from({ length: 5000 }, (_, i) => long[i % long.length]).join(" ");
  const io = () => env.KV.get("bench:absent");
  const analyseOnly = (text: string) => JSON.stringify(analyzeArticle({ text })).length;
  const work = (text: string) => {
    const a = analyzeArticle({ text });
    const matches = matchDocument(index, {
      text: a.doc.text,
      title: a.doc.title,
      lang: a.doc.lang,
      source: null,
      url: null,
      sentences: a.doc.sentences,
    });
    return JSON.stringify({ ...a, matches }).length;
  };
  const rows: string[] = [];
  for (const [label, text] of [
    ["median fixture (en, 330 words)", en],
    ["seed (ar)", seed],
    ["zh fixture", zh],
    ["5,000-word article", words5000],
  ] as const) {
    work(text); // warm
    const timed = async (f: () => unknown) => {
      const t: number[] = [];
      for (let i = 0; i < 30; i++) {
        await io();
        const t0 = Date.now();
        f();
        await io();
        t.push(Date.now() - t0);
      }
      return median(t);
    };
    const floor = await timed(() => 0);
    const all = (await timed(() => work(text))) - floor;
    const text_ = (await timed(() => analyseOnly(text))) - floor;
    rows.push(`| ${label} | ${Math.max(0, all)} ms | ${Math.max(0, text_)} ms |`);
  }
  console.log(
    [
      "",
      "CPU of one ingest's work at 10,000 queries (inside workerd)",
      "| article | whole | text pipeline alone |",
      "|---|---|---|",
      ...rows,
    ].join("\n"),
  );
});
