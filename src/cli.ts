/**
 * The command line over the same pure pipeline as the server (no server needed).
 *
 *   npm run --silent cli -- summarize [--lang L] [--sentences N | --words N | --ratio R] [FILE]
 *   npm run --silent cli -- summarize --jsonl  < in.jsonl  > out.jsonl
 *   npm run --silent cli -- analyze --jsonl    < in.jsonl  > out.jsonl
 *
 * `summarize FILE` (stdin when FILE is absent or "-") prints the summary, one sentence a
 * line; HTML input (a .htm/.html file, or markup) is cleaned first. In JSONL mode a bad
 * line yields `{"id","error"}` and the rest go on. Exit codes: 0 done, 1 unreadable
 * input, 2 usage error.
 */
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";
import { hasTextLeft, isoDateTimeMs } from "./input-checks.ts";
import type { Budget, Document, PrepareInput } from "./text/index.ts";
import { analyzeArticle, prepareDocument, summarize } from "./text/index.ts";
import { matchQueries, parseQuery } from "./watch/index.ts";

export const USAGE = `usage:
  cli summarize [--lang L] [--sentences N | --words N | --ratio R] [FILE]
  cli summarize --jsonl [--sentences N | --words N | --ratio R] < in.jsonl > out.jsonl
  cli analyze --jsonl < in.jsonl > out.jsonl`;

export interface CliOptions {
  command: "summarize" | "analyze";
  jsonl: boolean;
  lang?: string;
  budget: Budget;
  file?: string;
}

/** Parse arguments; returns an error message for bad usage. */
export function parseArgs(argv: string[]): CliOptions | { error: string } {
  const [command, ...rest] = argv;
  if (command !== "summarize" && command !== "analyze")
    return { error: `unknown command: ${command ?? "(none)"}` };
  const opts: CliOptions = { command, jsonl: false, budget: {} };
  let budgets = 0;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i] as string;
    const [flag, inline] =
      a.startsWith("--") && a.includes("=")
        ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)]
        : [a, undefined];
    const value = (): string | undefined => inline ?? rest[++i];
    switch (flag) {
      case "--jsonl":
        opts.jsonl = true;
        break;
      case "--lang": {
        const v = value();
        if (v === undefined || !/^[a-zA-Z]{2,3}(-[A-Za-z0-9]{1,8})*$/.test(v))
          return { error: "--lang needs a language code" };
        opts.lang = v;
        break;
      }
      case "--sentences":
      case "--words": {
        const v = Number(value());
        if (!Number.isInteger(v) || v < 1) return { error: `${flag} needs a positive integer` };
        if (flag === "--sentences") opts.budget.sentences = v;
        else opts.budget.words = v;
        budgets++;
        break;
      }
      case "--ratio": {
        const v = Number(value());
        if (!Number.isFinite(v) || v <= 0 || v > 1)
          return { error: "--ratio needs a number in (0, 1]" };
        opts.budget.ratio = v;
        budgets++;
        break;
      }
      case "-h":
      case "--help":
        return { error: "" };
      default:
        if (a.startsWith("-") && a !== "-") return { error: `unknown option: ${a}` };
        if (opts.file !== undefined) return { error: "only one FILE" };
        opts.file = a;
    }
  }
  if (budgets > 1) return { error: "give one of --sentences, --words, --ratio" };
  if (command === "analyze" && !opts.jsonl) return { error: "analyze needs --jsonl" };
  if (opts.jsonl && opts.file !== undefined && opts.file !== "-")
    return { error: "--jsonl reads standard input" };
  return opts;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function optionalString(o: Record<string, unknown>, key: string): string | undefined | Error {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") return new Error(`"${key}" must be a string`);
  return v;
}

function lineBudget(o: Record<string, unknown>, fallback: Budget): Budget | Error {
  const b: Budget = {};
  for (const key of ["sentences", "words"] as const) {
    const v = o[key];
    if (v === undefined || v === null) continue;
    if (typeof v !== "number" || !Number.isInteger(v) || v < 1)
      return new Error(`"${key}" must be a positive integer`);
    b[key] = v;
  }
  if (o.ratio !== undefined && o.ratio !== null) {
    if (typeof o.ratio !== "number" || !(o.ratio > 0 && o.ratio <= 1))
      return new Error(`"ratio" must be a number in (0, 1]`);
    b.ratio = o.ratio;
  }
  return Object.keys(b).length > 0 ? b : fallback;
}

/**
 * The `matches` of an analyze line, in the order of `watch`: an invalid query becomes
 * `{query, error, position}` (SPEC), a valid one appears when it matched, and one bad
 * query never stops the others from running.
 */
export function watchMatches(
  watch: readonly string[],
  doc: Document,
  url: string | null,
): Array<Record<string, unknown>> {
  if (watch.length === 0) return [];
  const valid: string[] = [];
  const errors = new Map<number, { query: string; error: string; position: number }>();
  watch.forEach((q, i) => {
    const p = parseQuery(q);
    if (p.ok) valid.push(q);
    else errors.set(i, { query: q, error: p.error.message, position: p.error.position });
  });
  const found =
    valid.length === 0
      ? []
      : matchQueries(valid, {
          text: doc.text,
          title: doc.title,
          lang: doc.lang,
          url,
          sentences: doc.sentences,
        });
  // matchQueries keeps input order and skips queries without hits: walk both lists.
  const out: Array<Record<string, unknown>> = [];
  let k = 0;
  watch.forEach((q, i) => {
    const err = errors.get(i);
    if (err !== undefined) {
      out.push(err);
      return;
    }
    const m = found[k];
    if (m === undefined || m.query !== q) return;
    k++;
    out.push({
      query: m.query,
      hits: m.hits.map((h) => ({
        field: h.field,
        start: h.start,
        end: h.end,
        text: h.text,
        snippet: h.snippet,
      })),
    });
  });
  return out;
}

/** As the API's 422: markup, scripts and invisible characters are not an article. */
const NO_TEXT_LEFT = "no text left after cleaning";

/** Process one JSONL input line into one output object (never throws). */
export function processLine(line: string, opts: CliOptions): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return { id: null, error: "invalid JSON" };
  }
  if (!isRecord(parsed)) return { id: null, error: "a line must be a JSON object" };
  const id = parsed.id ?? null;
  try {
    const fields: Record<string, string | undefined> = {};
    for (const key of ["text", "html", "title", "lang", "url", "published_at"]) {
      const v = optionalString(parsed, key);
      if (v instanceof Error) return { id, error: v.message };
      fields[key] = v;
    }
    if (
      (fields.text === undefined || fields.text.trim() === "") &&
      (fields.html === undefined || fields.html.trim() === "")
    ) {
      return { id, error: `missing "text"` };
    }
    const publishedMs =
      fields.published_at === undefined ? undefined : isoDateTimeMs(fields.published_at);
    if (publishedMs === null) {
      return { id, error: `"published_at" must be an ISO 8601 date or date-time` };
    }
    const budget = lineBudget(parsed, opts.budget);
    if (budget instanceof Error) return { id, error: budget.message };
    const input: PrepareInput = {};
    if (fields.text !== undefined) input.text = fields.text;
    if (fields.html !== undefined) input.html = fields.html;
    if (fields.title !== undefined) input.title = fields.title;
    const lang = fields.lang ?? opts.lang;
    if (lang !== undefined) input.lang = lang;
    if (publishedMs !== undefined) input.publishedAt = new Date(publishedMs).toISOString();
    if (opts.command === "summarize") {
      const doc = prepareDocument(input);
      if (!hasTextLeft(doc.text)) return { id, error: NO_TEXT_LEFT };
      return { id, lang: doc.lang, summary: summarize(doc, budget).map((s) => s.text) };
    }
    let watch: string[] = [];
    if (parsed.watch !== undefined && parsed.watch !== null) {
      if (!Array.isArray(parsed.watch) || !parsed.watch.every((q) => typeof q === "string")) {
        return { id, error: `"watch" must be an array of strings` };
      }
      watch = parsed.watch as string[];
    }
    const r = analyzeArticle(input, budget);
    if (!hasTextLeft(r.doc.text)) return { id, error: NO_TEXT_LEFT };
    const matches = watchMatches(watch, r.doc, fields.url ?? null);
    return {
      id,
      lang: r.doc.lang,
      dateline: r.doc.dateline,
      text: r.doc.text,
      summary: r.summary,
      keywords: r.keywords,
      matches,
    };
  } catch (e) {
    return { id, error: `internal error: ${e instanceof Error ? e.message : String(e)}` };
  }
}

async function runJsonl(opts: CliOptions): Promise<void> {
  const rl = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of rl) {
    if (line.trim() === "") continue;
    const out = `${JSON.stringify(processLine(line, opts))}\n`;
    if (!process.stdout.write(out))
      await new Promise<void>((r) => process.stdout.once("drain", () => r()));
  }
}

function runSummarize(opts: CliOptions): number {
  let raw: string;
  try {
    raw = readFileSync(opts.file === undefined || opts.file === "-" ? 0 : opts.file, "utf8");
  } catch (e) {
    process.stderr.write(
      `cannot read ${opts.file ?? "standard input"}: ${e instanceof Error ? e.message : String(e)}\n`,
    );
    return 1;
  }
  const html =
    /\.html?$/i.test(opts.file ?? "") ||
    /^\s*<(!doctype|html|head|body|article|div|p)\b/i.test(raw);
  const input: PrepareInput = html ? { html: raw } : { text: raw };
  if (opts.lang !== undefined) input.lang = opts.lang;
  const doc = prepareDocument(input);
  const lines = summarize(doc, opts.budget).map((s) => s.text.replace(/\s*\n\s*/g, " "));
  process.stdout.write(lines.length > 0 ? `${lines.join("\n")}\n` : "");
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const opts = parseArgs(argv);
  if ("error" in opts) {
    if (opts.error !== "") process.stderr.write(`${opts.error}\n`);
    process.stderr.write(`${USAGE}\n`);
    return opts.error === "" ? 0 : 2;
  }
  if (opts.jsonl) {
    await runJsonl(opts);
    return 0;
  }
  return runSummarize(opts);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
