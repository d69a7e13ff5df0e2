import { sha256Hex } from "../crypto.ts";
import type { AppBindings } from "../env.ts";
import { ApiError } from "../errors.ts";
import { hasTextLeft, isoDateTimeMs } from "../input-checks.ts";
import type { ArticleRecord } from "../records.ts";
import type { ArticleInput } from "../schemas.ts";
import { ArticleStore } from "../store/articles.ts";
import { analyzeArticle, contentHashInput, type PrepareInput } from "../text/index.ts";
import { fingerprint, fingerprintBands, matchDocument } from "../watch/index.ts";
import { canonicalUrl, hostOf } from "./canonical-url.ts";
import { currentWatchIndex } from "./watch-index.ts";

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

/** `published_at` as stored: the validated ISO 8601 value in UTC (`…T…Z`), or null. */
export function publishedAtOf(input: ArticleInput): string | null {
  const ms = input.published_at === undefined ? null : isoDateTimeMs(input.published_at);
  return ms === null ? null : new Date(ms).toISOString();
}

/** The text pipeline's input from a validated article. */
export function prepareInputOf(input: ArticleInput): PrepareInput {
  return {
    text: input.text,
    html: input.html,
    title: input.title,
    lang: input.lang,
    publishedAt: publishedAtOf(input) ?? undefined,
  };
}

/**
 * 422 when cleaning left no text (only zero-width characters, HTML with only a script
 * or `&nbsp;`): such an article is not stored, so it can't become everyone's "replay".
 */
export function assertTextLeft(cleanText: string, input: { text?: string; html?: string }): void {
  if (hasTextLeft(cleanText)) return;
  const field = input.text !== undefined && input.text.trim() !== "" ? "text" : "html";
  throw new ApiError("validation_failed", `${field}: no text left after cleaning`, [
    {
      field,
      message: "no text left after cleaning (markup, scripts and invisible characters removed)",
    },
  ]);
}

/**
 * Ingests one validated article: replays return the stored record untouched; a new one
 * is analysed and matched here, then handed to its language's story index, which claims
 * and clusters it (one writer, so concurrent copies agree) and completes it (alerts,
 * the KV record).
 */
export async function ingestArticle(
  env: AppBindings,
  input: ArticleInput,
  now = Date.now(),
): Promise<IngestOutcome> {
  const articles = new ArticleStore(env.KV);
  const url = input.url ?? null;
  const analyse = () => {
    const a = analyzeArticle(prepareInputOf(input));
    assertTextLeft(a.doc.text, input);
    return a;
  };
  // With a URL a replay is found before any text work; without one the id needs the cleaned text.
  let analysis = url ? null : analyse();
  const id = await articleIdFor(url, analysis?.doc.text ?? "");
  const stored = await articles.get(id);
  if (stored) return { record: stored, replayed: true };
  analysis ??= analyse();
  const { doc, summary, keywords } = analysis;
  const source = input.source?.toLowerCase() ?? hostOf(url);
  const fp = fingerprint(doc.text);
  const matches = matchDocument(await currentWatchIndex(env), {
    text: doc.text,
    title: doc.title,
    lang: doc.lang,
    source,
    url,
    sentences: doc.sentences,
  });
  const iso = new Date(now).toISOString();
  const draft: ArticleRecord = {
    id,
    url,
    title: doc.title,
    lang: doc.lang,
    source,
    published_at: publishedAtOf(input),
    dateline: doc.dateline,
    text: doc.text,
    summary,
    keywords,
    matches: matches.flatMap((m) =>
      m.matches.map((q) => ({
        watchlist_id: m.watchlistId,
        subscriber_id: m.subscriberId,
        query: q.query,
        hits: q.hits,
        total: q.total,
      })),
    ),
    cluster_id: id,
    duplicate_of: null,
    fingerprint: fp,
    created_at: iso,
    updated_at: iso,
  };
  const { outcome, record } = await storyIndexFor(env, doc.lang).ingest(
    draft,
    fingerprintBands(fp),
    now,
  );
  return { record, replayed: outcome !== "created" };
}

/** The story index of a language: one object each, enough for the world's news. */
export function storyIndexFor(env: AppBindings, lang: string) {
  return env.STORY_INDEX.getByName(`lang:${lang}`);
}
