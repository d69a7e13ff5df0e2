/**
 * The text pipeline: clean-up, language, dateline, sentences, summary, keywords.
 * PURE: strings in, plain objects out; runs in workerd and Node alike. Nothing here
 * throws on any input string.
 */
import { extractDateline } from "./dateline.ts";
import type { Dateline } from "./dateline.ts";
import { detectLanguage } from "./lang.ts";
import { cleanArticle } from "./clean.ts";
import { normalizeLine } from "./normalize.ts";
import { splitSentences } from "./sentences.ts";
import type { SentenceSpan } from "./sentences.ts";
import { tokenize } from "./tokens.ts";
import type { Token } from "./tokens.ts";

export type { Dateline } from "./dateline.ts";
export type { SentenceSpan } from "./sentences.ts";
export { contentHashInput } from "./normalize.ts";
export { detectLanguage } from "./lang.ts";

/** A summary length: a number of sentences, of words, or a share of the article. */
export interface Budget {
  sentences?: number;
  words?: number;
  ratio?: number;
}

/** A prepared article: cleaned text, language, dateline and sentence spans into `text`. */
export interface Document {
  text: string;
  title: string;
  lang: string;
  dateline: Dateline | null;
  sentences: SentenceSpan[];
  /** Offset in `text` where the body starts (after the dateline). */
  bodyStart: number;
}

export interface PrepareInput {
  text?: string;
  html?: string;
  title?: string;
  lang?: string;
  publishedAt?: string;
}

const LANG_CODE = /^[a-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$/;

/** Clean an article and find its language, dateline and sentences. Never throws. */
export function prepareDocument(input: PrepareInput): Document {
  try {
    const hasText = typeof input?.text === "string" && input.text.trim() !== "";
    const raw = hasText ? String(input.text) : typeof input?.html === "string" ? input.html : "";
    const { text, htmlTitle } = cleanArticle(raw, !hasText && raw !== "");
    const title = typeof input?.title === "string" && input.title.trim() !== "" ? normalizeLine(input.title) : htmlTitle;
    const given = typeof input?.lang === "string" ? input.lang.trim().toLowerCase() : "";
    const lang = LANG_CODE.test(given) ? (given.split("-")[0] ?? given) : detectLanguage(text.length > 0 ? text : title);
    const publishedAt = typeof input?.publishedAt === "string" ? input.publishedAt : undefined;
    const dl = extractDateline(text, publishedAt);
    const bodyStart = dl === null ? 0 : dl.end;
    const sentences = splitSentences(text, lang, bodyStart);
    return { text, title, lang, dateline: dl?.dateline ?? null, sentences, bodyStart };
  } catch {
    return { text: "", title: "", lang: "und", dateline: null, sentences: [], bodyStart: 0 };
  }
}

function budgetCount(doc: Document, budget: Budget | undefined): { sentences: number; words: number } {
  const n = doc.sentences.length;
  if (budget?.words !== undefined && Number.isFinite(budget.words) && budget.words > 0) {
    return { sentences: n, words: Math.floor(budget.words) };
  }
  if (budget?.ratio !== undefined && Number.isFinite(budget.ratio) && budget.ratio > 0) {
    return { sentences: Math.max(1, Math.round(n * Math.min(1, budget.ratio))), words: Number.POSITIVE_INFINITY };
  }
  const s = budget?.sentences;
  return { sentences: s !== undefined && Number.isFinite(s) && s > 0 ? Math.floor(s) : 3, words: Number.POSITIVE_INFINITY };
}

/** Pick summary sentences within the budget, returned in article order. Never throws. */
export function summarize(doc: Document, budget?: Budget): SentenceSpan[] {
  try {
    const b = budgetCount(doc, budget);
    const out: SentenceSpan[] = [];
    let words = 0;
    for (const s of doc.sentences) {
      if (out.length >= b.sentences || words >= b.words) break;
      out.push(s);
      words += countWords(s.text);
    }
    return out;
  } catch {
    return [];
  }
}

function countWords(s: string): number {
  return s.match(/[\p{L}\p{M}\p{N}]+/gu)?.length ?? 0;
}

/** 5 to 10 keyphrases for the article. Never throws. */
export function extractKeywords(doc: Document, count = 8): string[] {
  try {
    const n = Math.max(1, Math.min(20, Math.floor(count)));
    const freq = new Map<string, { n: number; first: number; surface: string }>();
    const toks: Token[] = tokenize(doc.text, doc.lang, doc.bodyStart);
    for (let i = 0; i < toks.length; i++) {
      const t = toks[i];
      if (t === undefined || t.stop || /^\p{N}+$/u.test(t.norm)) continue;
      const e = freq.get(t.stem);
      if (e === undefined) freq.set(t.stem, { n: 1, first: i, surface: doc.text.slice(t.start, t.end) });
      else e.n++;
    }
    return [...freq.values()]
      .sort((a, b) => b.n - a.n || a.first - b.first)
      .slice(0, n)
      .map((e) => e.surface);
  } catch {
    return [];
  }
}

/** Prepare, summarise and extract keywords in one call (used by the server and CLI). */
export function analyzeArticle(
  input: PrepareInput,
  budget?: Budget,
): { doc: Document; summary: string[]; keywords: string[] } {
  const doc = prepareDocument(input);
  return { doc, summary: summarize(doc, budget).map((s) => s.text), keywords: extractKeywords(doc) };
}
