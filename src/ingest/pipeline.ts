import { sha256Hex } from "../crypto.ts";
import type { AppBindings } from "../env.ts";
import type { ArticleInput } from "../schemas.ts";
import { ALERT_DEDUPE_SECONDS } from "../store/alerts.ts";
import { type ArticleRecord, ArticleStore } from "../store/articles.ts";
import { analyzeArticle, contentHashInput, type PrepareInput } from "../text/index.ts";
import { fingerprint, fingerprintBands, isNearDuplicate, matchDocument } from "../watch/index.ts";
import { canonicalUrl, hostOf } from "./canonical-url.ts";
import { alertSubscribers } from "./notify.ts";
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

/** The text pipeline's input from a validated article. */
export function prepareInputOf(input: ArticleInput): PrepareInput {
  return {
    text: input.text,
    html: input.html,
    title: input.title,
    lang: input.lang,
    publishedAt: input.published_at,
  };
}

/**
 * Ingests one validated article: replays return the stored record untouched;
 * new ones are analysed, clustered, matched, alerted on and stored.
 */
export async function ingestArticle(
  env: AppBindings,
  input: ArticleInput,
  now = Date.now(),
): Promise<IngestOutcome> {
  const articles = new ArticleStore(env.KV);
  const url = input.url ?? null;
  const analyse = () => analyzeArticle(prepareInputOf(input));
  // With a URL a replay is found before any text work; without one the id needs the cleaned text.
  let analysis = url ? null : analyse();
  const id = await articleIdFor(url, analysis?.doc.text ?? "");
  const stored = await articles.get(id);
  if (stored) return { record: stored, replayed: true };
  analysis ??= analyse();
  const { doc, summary, keywords } = analysis;
  const source = input.source?.toLowerCase() ?? hostOf(url);
  const fp = fingerprint(doc.text);
  const bands = fingerprintBands(fp);
  const original = (await articles.bandNeighbours(bands)).find((n) =>
    isNearDuplicate(n.fingerprint, fp),
  );
  const matches = matchDocument(await currentWatchIndex(env.KV), {
    text: doc.text,
    title: doc.title,
    lang: doc.lang,
    source,
    url,
    sentences: doc.sentences,
  });
  const iso = new Date(now).toISOString();
  const record: ArticleRecord = {
    id,
    url,
    title: doc.title,
    lang: doc.lang,
    source,
    published_at: input.published_at ? new Date(input.published_at).toISOString() : null,
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
      })),
    ),
    cluster_id: original?.clusterId ?? id,
    duplicate_of: original?.id ?? null,
    fingerprint: fp,
    created_at: iso,
    updated_at: iso,
  };
  // Alerts first: if storing the article then fails, the scraper's retry finds no
  // record, ingests again, and the deterministic alert ids keep it to one alert.
  await alertSubscribers(env, record, matches, now);
  await articles.put(record);
  await articles.indexBands(id, fp, record.cluster_id, bands, ALERT_DEDUPE_SECONDS);
  return { record, replayed: false };
}
