import { sha256Hex } from "../crypto.ts";
import type { AppBindings } from "../env.ts";
import { ApiError } from "../errors.ts";
import { isLongArticle, runInSteps, yieldToEventLoop } from "../event-loop.ts";
import { hasTextLeft, isoDateTimeMs } from "../input-checks.ts";
import { type IngestAnswer, MAX_RECORD_BYTES, tooLargeToKeep } from "../objects/story-index.ts";
import type { ArticleRecord } from "../records.ts";
import type { ArticleInput } from "../schemas.ts";
import { ArticleStore } from "../store/articles.ts";
import { analysisSteps, contentHashInput, type PrepareInput } from "../text/index.ts";
import { indexDocument, indexedFingerprint, matchSteps, type WatchIndex } from "../watch/index.ts";
import { canonicalUrl, hostOf } from "./canonical-url.ts";
import { currentWatchIndex } from "./watch-index.ts";

export interface IngestOutcome {
  record: ArticleRecord;
  replayed: boolean;
}

/** One batch item's answer: its outcome, or what it failed with. */
export type BatchItemOutcome = ({ ok: true } & IngestOutcome) | { ok: false; error: unknown };

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
function publishedAtOf(input: ArticleInput): string | null {
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

/** An article analysed and matched, ready for its story index; or a replay's stored record. */
type PreparedArticle =
  | { kind: "replay"; record: ArticleRecord }
  | { kind: "new"; draft: ArticleRecord };

/**
 * The Worker's part of an ingest: a replay is found in KV (by URL before any text work);
 * a new article is cleaned, analysed and matched against the watch index.
 */
async function prepareArticle(
  env: AppBindings,
  input: ArticleInput,
  watchIndex: () => Promise<WatchIndex>,
  now: number,
): Promise<PreparedArticle> {
  const articles = new ArticleStore(env.KV);
  const url = input.url ?? null;
  // A 1 MiB article takes a few hundred ms of CPU, which other requests to this isolate
  // would otherwise wait out whole: a long one pauses between the steps below.
  const long = isLongArticle(input);
  const pause = () => (long ? yieldToEventLoop() : undefined);
  const analyse = async () => {
    const a = await runInSteps(analysisSteps(prepareInputOf(input)), long);
    assertTextLeft(a.doc.text, input);
    return a;
  };
  // With a URL a replay is found before any text work; without one the id needs the cleaned text.
  let analysis = url ? null : await analyse();
  const id = await articleIdFor(url, analysis?.doc.text ?? "");
  const stored = await articles.get(id);
  if (stored) return { kind: "replay", record: stored };
  analysis ??= await analyse();
  await pause();
  const { doc, summary, keywords } = analysis;
  const source = input.source?.toLowerCase() ?? hostOf(url);
  // tokenised once for the fingerprint and the matcher
  const indexed = indexDocument({
    text: doc.text,
    title: doc.title,
    lang: doc.lang,
    source,
    url,
    sentences: doc.sentences,
  });
  const fp = indexedFingerprint(indexed);
  const index = await watchIndex();
  await pause();
  const overBudget: string[] = [];
  const matches = await runInSteps(matchSteps(index, indexed, { overBudget }));
  if (overBudget.length > 0)
    console.warn(
      `matching budget spent on article ${id}; later phrases and proximities skipped for ${overBudget.join(" ")}`,
    );
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
  await pause();
  const kept = keepable(draft);
  await pause();
  return { kind: "new", draft: kept };
}

/**
 * False when the record's JSON certainly fits its story index, without serialising it:
 * JSON takes at most 6 bytes per UTF-16 unit of a string (`\u0001`), plus its keys.
 */
function mayBeTooLargeToKeep(r: ArticleRecord): boolean {
  let units = 4096 + r.text.length + r.title.length + (r.url?.length ?? 0);
  for (const s of r.summary) units += s.length + 8;
  for (const k of r.keywords) units += k.length + 8;
  for (const m of r.matches) {
    units += 256 + m.query.length + m.watchlist_id.length + m.subscriber_id.length;
    for (const h of m.hits) units += 96 + h.text.length + h.snippet.length;
  }
  return units * 6 > MAX_RECORD_BYTES;
}

/**
 * The draft small enough for its story index to keep a copy (so a crash half-way can
 * still be finished by its alarm): when many subscribers' hits make it too large, every
 * match keeps its query and `total` and the longest hit lists are halved until it fits.
 */
function keepable(draft: ArticleRecord): ArticleRecord {
  if (!mayBeTooLargeToKeep(draft)) return draft;
  const cut = (limit: number) => ({
    ...draft,
    matches: draft.matches.map((m) => ({ ...m, hits: m.hits.slice(0, limit) })),
  });
  // too large even without hits (a very long text): cutting would not help
  if (tooLargeToKeep(JSON.stringify(cut(0)))) return draft;
  let record = draft;
  let cap = draft.matches.reduce((most, m) => Math.max(most, m.hits.length), 0);
  while (cap > 0 && tooLargeToKeep(JSON.stringify(record))) {
    cap >>= 1;
    record = cut(cap);
  }
  return record;
}

/**
 * Ingests one validated article: replays return the stored record untouched; a new one
 * is prepared here, then handed to its language's story index, which claims and clusters
 * it (one writer, so concurrent copies agree) and completes it (alerts, the KV record).
 */
export async function ingestArticle(
  env: AppBindings,
  input: ArticleInput,
  now = Date.now(),
): Promise<IngestOutcome> {
  const p = await prepareArticle(env, input, () => currentWatchIndex(env), now);
  if (p.kind === "replay") return { record: p.record, replayed: true };
  const answer = await storyIndexFor(env, p.draft.lang).ingest(p.draft, now);
  return outcomeOf(p.draft, answer);
}

/** The stored record as the story index answered: the draft in its cluster, or the record claimed first. */
function outcomeOf(draft: ArticleRecord, answer: IngestAnswer): IngestOutcome {
  if (answer.outcome !== "created") return { record: answer.record, replayed: true };
  const { cluster_id, duplicate_of } = answer;
  return { record: { ...draft, cluster_id, duplicate_of }, replayed: false };
}

/**
 * Ingests a batch the same way, with the watch index loaded once and one story-index
 * request per language (a batch of 100 stays far inside a request's subrequests). Each
 * item's answer is its outcome or the error it failed with.
 */
export async function ingestArticles(
  env: AppBindings,
  inputs: ArticleInput[],
  now = Date.now(),
): Promise<BatchItemOutcome[]> {
  let loading: Promise<WatchIndex> | null = null;
  const watchIndex = () => {
    loading ??= currentWatchIndex(env);
    return loading;
  };
  const out: BatchItemOutcome[] = new Array(inputs.length);
  const byLang = new Map<string, { at: number; draft: ArticleRecord }[]>();
  for (const [at, input] of inputs.entries()) {
    try {
      const p = await prepareArticle(env, input, watchIndex, now);
      if (p.kind === "replay") out[at] = { ok: true, record: p.record, replayed: true };
      else {
        const group = byLang.get(p.draft.lang) ?? [];
        group.push({ at, draft: p.draft });
        byLang.set(p.draft.lang, group);
      }
    } catch (error) {
      out[at] = { ok: false, error };
    }
  }
  await Promise.all(
    [...byLang].map(async ([lang, items]) => {
      try {
        const claims = await storyIndexFor(env, lang).ingestMany(
          items.map((i) => i.draft),
          now,
        );
        claims.forEach((c, j) => {
          const { at, draft } = items[j] as { at: number; draft: ArticleRecord };
          out[at] =
            "error" in c
              ? { ok: false, error: new Error(c.error) }
              : { ok: true, ...outcomeOf(draft, c) };
        });
      } catch (error) {
        for (const item of items) out[item.at] = { ok: false, error };
      }
    }),
  );
  return out;
}

/** The story index of a language: one object each, enough for the world's news. */
export function storyIndexFor(env: AppBindings, lang: string) {
  return env.STORY_INDEX.getByName(`lang:${lang}`);
}
