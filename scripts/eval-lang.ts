/**
 * `npm run eval:lang`: language-detection accuracy per language on fixtures/lang/samples.tsv
 * (headlines and short paragraphs written for the project: `lang<TAB>s|l<TAB>text`, s = a
 * headline, l = two or three sentences; `und` rows are text with no language to find),
 * ours beside franc-min (a devDependency used only here) on the same samples.
 * franc's ISO 639-3 answers are mapped to our 639-1 codes; its default settings are used.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { franc } from "franc-min";
import { detectLanguage } from "../src/text/lang.ts";

const ISO3: Readonly<Record<string, string>> = {
  eng: "en",
  fra: "fr",
  spa: "es",
  por: "pt",
  deu: "de",
  ita: "it",
  nld: "nl",
  rus: "ru",
  ukr: "uk",
  arb: "ar",
  ara: "ar",
  pes: "fa",
  prs: "fa",
  urd: "ur",
  cmn: "zh",
  jpn: "ja",
  und: "und",
};

interface Sample {
  lang: string;
  kind: string;
  text: string;
}

export function loadSamples(file = "samples.tsv"): Sample[] {
  return readFileSync(join(import.meta.dirname, "..", "fixtures", "lang", file), "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "" && !l.startsWith("#"))
    .map((l) => {
      const [lang = "", kind = "", text = ""] = l.split("\t");
      return { lang, kind, text };
    });
}

function report(file: string): void {
  const samples = loadSamples(file);
  const rows = new Map<
    string,
    { n: number; ours: number; franc: number; oursS: number; francS: number; nS: number }
  >();
  const misses: string[] = [];
  for (const s of samples) {
    const ours = detectLanguage(s.text);
    const f3 = franc(s.text);
    const theirs = ISO3[f3] ?? f3;
    const r = rows.get(s.lang) ?? { n: 0, ours: 0, franc: 0, oursS: 0, francS: 0, nS: 0 };
    r.n++;
    if (ours === s.lang) r.ours++;
    if (theirs === s.lang) r.franc++;
    if (s.kind === "s") {
      r.nS++;
      if (ours === s.lang) r.oursS++;
      if (theirs === s.lang) r.francS++;
    }
    rows.set(s.lang, r);
    if (ours !== s.lang) misses.push(`  ${s.lang} -> ${ours}: ${s.text.slice(0, 70)}`);
  }
  const pct = (a: number, b: number): string =>
    b === 0 ? "    -" : `${((100 * a) / b).toFixed(0).padStart(4)}%`;
  console.log(`\nlanguage detection on ${samples.length} samples (fixtures/lang/${file})`);
  console.log("| lang | samples | ours  | franc-min | headlines: ours | franc-min |");
  console.log("| ---- | ------- | ----- | --------- | --------------- | --------- |");
  let n = 0;
  let o = 0;
  let f = 0;
  for (const [lang, r] of [...rows.entries()].sort()) {
    n += r.n;
    o += r.ours;
    f += r.franc;
    console.log(
      `| ${lang.padEnd(4)} | ${String(r.n).padStart(7)} | ${pct(r.ours, r.n)} | ${pct(r.franc, r.n).padStart(9)} | ${pct(r.oursS, r.nS).padStart(15)} | ${pct(r.francS, r.nS).padStart(9)} |`,
    );
  }
  console.log(
    `| all  | ${String(n).padStart(7)} | ${pct(o, n)} | ${pct(f, n).padStart(9)} |                 |           |`,
  );
  if (misses.length > 0) console.log(`\nours wrong on ${misses.length}:\n${misses.join("\n")}`);
}

if (process.argv[1]?.endsWith("eval-lang.ts")) {
  // samples.tsv: the labelled set used while building the detector; holdout.tsv: written
  // after it was frozen, never used to tune it.
  report("samples.tsv");
  report("holdout.tsv");
}
