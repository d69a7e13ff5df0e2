/**
 * Pipeline benchmark (Node, one core): the whole text pipeline — clean-up, language,
 * dateline, sentences, summary, keywords — on the fixture articles: the median-size
 * one, and a 5,000-word article built deterministically from all English fixture
 * sentences. Prints median/min/p95 ms per article, articles/s and MB/s (UTF-8 input).
 * Run it on a quiet machine: other processes on the same cores inflate the median.
 *
 *   node --experimental-strip-types --no-warnings bench/pipeline.ts [--quick]
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { analyzeArticle } from "../src/text/index.ts";
import { longArticle, words } from "./articles.ts";

const root = join(import.meta.dirname, "..", "fixtures");
const quick = process.argv.includes("--quick");

interface Article {
  name: string;
  text: string;
}

function loadFixtures(): Article[] {
  const dir = join(root, "articles");
  const out: Article[] = readdirSync(dir)
    .filter((f) => f.endsWith(".txt"))
    .sort()
    .map((f) => ({ name: f, text: readFileSync(join(dir, f), "utf8") }));
  out.push({
    name: "seed-ar-xinhua.txt",
    text: readFileSync(join(root, "seed-ar-xinhua.txt"), "utf8"),
  });
  return out;
}

function bench(name: string, text: string, minMs: number, html = false): void {
  const bytes = new TextEncoder().encode(text).length;
  const input = html ? { html: text } : { text };
  // Warm up (JIT, stem memo).
  for (let i = 0; i < 50; i++) analyzeArticle(input);
  const times: number[] = [];
  const start = performance.now();
  while (performance.now() - start < minMs || times.length < 30) {
    const t0 = performance.now();
    analyzeArticle(input);
    times.push(performance.now() - t0);
  }
  const total = times.reduce((a, b) => a + b, 0);
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)] ?? 0;
  const p95 = times[Math.floor(times.length * 0.95)] ?? 0;
  const min = times[0] ?? 0;
  const perSec = (times.length * 1000) / total;
  console.log(
    `| ${name.padEnd(28)} | ${String(html ? words(analyzeArticle(input).doc.text) : words(text)).padStart(5)} | ${median.toFixed(3).padStart(7)} | ${min.toFixed(3).padStart(7)} | ${p95.toFixed(3).padStart(7)} | ${perSec.toFixed(0).padStart(7)} | ${((perSec * bytes) / 1e6).toFixed(2).padStart(6)} |`,
  );
}

const fixtures = loadFixtures();
const byWords = [...fixtures].sort((a, b) => words(a.text) - words(b.text));
const median = byWords[Math.floor(byWords.length / 2)] as Article;
const en = fixtures.find((f) => f.name === "en.txt") ?? median;
const ms = quick ? 300 : 2000;
console.log(`pipeline benchmark (Node ${process.version}, one core)`);
console.log(
  "| article                      | words |  median |     min |     p95 | art/s   |   MB/s |",
);
console.log(
  "| ---------------------------- | ----- | ------- | ------- | ------- | ------- | ------ |",
);
bench(`median fixture (${median.name})`, median.text, ms);
if (en !== median) bench(`en fixture (${en.name})`, en.text, ms);
bench("5,000-word article (en)", longArticle(en.text), ms);
for (const f of fixtures) if (f !== median && f !== en) bench(f.name, f.text, quick ? 100 : 500);

// HTML pages (fixtures/html): the parse and the article picking on top of the pipeline.
const htmlDir = join(root, "html");
for (const f of readdirSync(htmlDir)
  .filter((n) => n.endsWith(".html"))
  .sort())
  bench(f, readFileSync(join(htmlDir, f), "utf8"), quick ? 100 : 500, true);
{
  // A heavy page: the 5,000-word article in <p>s inside the English template, with 40 KB
  // of inline script and a 300-link menu around it.
  const page = readFileSync(join(htmlDir, "en-news.html"), "utf8");
  const body = longArticle(en.text)
    .split("\n\n")
    .map((p) => `<p>${p.replace(/&/g, "&amp;").replace(/</g, "&lt;")}</p>`)
    .join("\n");
  const menu = `<nav><ul>${Array.from({ length: 300 }, (_, i) => `<li><a href="/s/${i}" title="section ${i}">Section ${i}</a></li>`).join("")}</ul></nav>`;
  const script = `<script>${"var x = 1 < 2 ? '<p>' : '</p>';\n".repeat(1200)}</script>`;
  const heavy = page
    .replace("<main>", `${menu}${script}<main>`)
    .replace("<p>PORT ALDER", `${body}\n<p>PORT ALDER`);
  bench("5,000-word page (en, html)", heavy, ms, true);
}
