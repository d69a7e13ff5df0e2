import { sha256Hex } from "../crypto.ts";
import type { AppBindings } from "../env.ts";
import type { ArticleInput } from "../schemas.ts";
import { type ArticleRecord, ArticleStore } from "../store/articles.ts";
import { analyzeArticle, contentHashInput, prepareDocument } from "../text/index.ts";
import { canonicalUrl, hostOf } from "./canonical-url.ts";

export interface IngestOutcome {
  record: ArticleRecord;
  replayed: boolean;
}

/** Stable, URL-safe article id: from the canonical URL, else from the normalised text. */
export async function articleIdFor(url: string | null, cleanText: string): Promise<string> {
  const basis = url ? `url:${canonicalUrl(url)}` : `text:${contentHashInput(cleanText)}`;
  return (await sha256Hex(basis)).slice(0, 20);
}

/** Id an article with this URL would have, for `GET /v1/articles?url=`. */
export function articleIdForUrl(url: string): Promise<string> {
  return articleIdFor(url, "");
}

/**
 * Ingests one validated article: replays return the stored record untouched;
 * new ones are analysed, clustered, matched, alerted on and stored.
 */
export async function ingestArticle(env: AppBindings, input: ArticleInput, now = Date.now()): Promise<IngestOutcome> {
  const articles = new ArticleStore(env.KV);
  const url = input.url ?? null;
  // Without a URL the id needs the cleaned text, so clean first; cleaning is cheap.
  const cleanedForId = url ? "" : prepareDocument({ text: input.text, html: input.html }).text;
  const id = await articleIdFor(url, cleanedForId);
  const stored = await articles.get(id);
  if (stored) return { record: stored, replayed: true };

  const { doc, summary, keywords } = analyzeArticle({
    text: input.text,
    html: input.html,
    title: input.title,
    lang: input.lang,
    publishedAt: input.published_at,
  });
  const iso = new Date(now).toISOString();
  const record: ArticleRecord = {
    id,
    url,
    title: doc.title,
    lang: doc.lang,
    source: input.source?.toLowerCase() ?? hostOf(url),
    published_at: input.published_at ? new Date(input.published_at).toISOString() : null,
    dateline: doc.dateline,
    text: doc.text,
    summary,
    keywords,
    matches: [],
    cluster_id: id,
    duplicate_of: null,
    fingerprint: "",
    created_at: iso,
    updated_at: iso,
  };
  await articles.put(record);
  return { record, replayed: false };
}
