/**
 * The text pipeline: clean-up, language, dateline, sentences, summary, keywords.
 * PURE: strings in, plain objects out; runs in workerd and Node alike. Nothing here
 * throws on any input string.
 */

import { docTerms } from "./cache.ts";
import { cleanArticle } from "./clean.ts";
import type { Dateline } from "./dateline.ts";
import { extractDateline } from "./dateline.ts";
import { keywords } from "./keywords.ts";
import { detectLanguage } from "./lang.ts";
import { normalizeLine } from "./normalize.ts";
import type { SentenceSpan } from "./sentences.ts";
import { splitSentences } from "./sentences.ts";
import type { Budget } from "./summarize.ts";
import { selectSentences } from "./summarize.ts";

export type { Dateline } from "./dateline.ts";
export { detectLanguage } from "./lang.ts";
export { contentHashInput } from "./normalize.ts";
export type { SentenceSpan } from "./sentences.ts";

export type { Budget } from "./summarize.ts";

/** A prepared article: cleaned text, language, dateline and sentence spans into `text`. */
export interface Document {
  text: string;
  title: string;
  lang: string;
  dateline: Dateline | null;
  sentences: SentenceSpan[];
  /** Offset in `text` where the body starts (after the dateline); 0 when none. */
  bodyStart?: number;
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
    const title =
      typeof input?.title === "string" && input.title.trim() !== ""
        ? normalizeLine(input.title)
        : htmlTitle;
    const given = typeof input?.lang === "string" ? input.lang.trim().toLowerCase() : "";
    const lang = LANG_CODE.test(given)
      ? (given.split("-")[0] ?? given)
      : detectLanguage(text.length > 0 ? text : title);
    const publishedAt = typeof input?.publishedAt === "string" ? input.publishedAt : undefined;
    const dl = extractDateline(text, publishedAt);
    const bodyStart = dl === null ? 0 : dl.end;
    const sentences = splitSentences(text, lang, bodyStart);
    return { text, title, lang, dateline: dl?.dateline ?? null, sentences, bodyStart };
  } catch {
    return { text: "", title: "", lang: "und", dateline: null, sentences: [], bodyStart: 0 };
  }
}

/**
 * Pick summary sentences within the budget (default 3 sentences), in article order.
 * A word budget is filled with whole sentences that fit, then one more sentence that
 * crosses it, so the summary reaches the budget; cut it yourself when you need an exact
 * length. A ratio is a share of the article's sentences. Deterministic; never throws.
 */
export function summarize(doc: Document, budget?: Budget): SentenceSpan[] {
  try {
    return selectSentences(doc, budget).map((i) => doc.sentences[i] as SentenceSpan);
  } catch {
    return [];
  }
}

/** Keyphrases for the article (default 8; 5 to 10 on a normal article), best first. Never throws. */
export function extractKeywords(doc: Document, count = 8): string[] {
  try {
    return keywords(doc, count);
  } catch {
    return [];
  }
}

/** An analysed article: the prepared document, its summary sentences and keywords. */
export interface Analysis {
  doc: Document;
  summary: string[];
  keywords: string[];
}

/**
 * `analyzeArticle` as steps (clean and split; tokenise; summarise; keywords), each a
 * fraction of the whole (tens of milliseconds on a 1 MiB article), so a server can let
 * other requests run between them. Run it to the end with `next()`; between steps it
 * holds only its own document.
 */
export function* analysisSteps(input: PrepareInput, budget?: Budget): Generator<void, Analysis> {
  const doc = prepareDocument(input);
  yield;
  try {
    docTerms(doc); // memoised for the summary and keywords, which handle any failure themselves
  } catch {}
  yield;
  const summary = summarize(doc, budget).map((s) => s.text);
  yield;
  return { doc, summary, keywords: extractKeywords(doc) };
}

/** Prepare, summarise and extract keywords in one call (`analysisSteps` run to the end). */
export function analyzeArticle(input: PrepareInput, budget?: Budget): Analysis {
  const steps = analysisSteps(input, budget);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}
