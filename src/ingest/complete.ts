import { sha256Hex } from "../crypto.ts";
import type { AppBindings } from "../env.ts";
import { isLongArticle, yieldToEventLoop } from "../event-loop.ts";
import type { AlertDraft } from "../objects/subscriber-alerts.ts";
import type { ArticleRecord } from "../records.ts";
import { ArticleStore } from "../store/articles.ts";
import { WatchlistStore } from "../store/watchlists.ts";
import { type FanoutMessage, recordAlerts, sendFanout } from "./fanout.ts";

/** Up to this many matched subscribers are told directly; more go through the queue. */
const DIRECT_FANOUT = 10;

/**
 * Finishes an ingest the story index has claimed: hands each matched subscriber its
 * alert drafts, then writes the article to KV (its one write). Idempotent: the
 * subscribers' objects ignore a draft they already hold, and the KV value is the same.
 * `json` is the record's JSON when the caller already serialised it (its story index row).
 */
export async function completeIngest(
  env: AppBindings,
  record: ArticleRecord,
  json?: string,
): Promise<void> {
  // a long record's steps each take milliseconds: let other requests run between them
  const long = isLongArticle(record) || record.matches.length >= 1000;
  const pause = () => (long ? yieldToEventLoop() : undefined);
  await pause();
  const bySubscriber = await alertDrafts(env, record);
  await pause();
  const messages: FanoutMessage[] = [...bySubscriber].map(([subscriberId, drafts]) => ({
    subscriber_id: subscriberId,
    drafts,
    at: Date.parse(record.created_at),
  }));
  if (messages.length <= DIRECT_FANOUT) {
    await Promise.all(messages.map((m) => recordAlerts(env, m)));
  } else {
    await sendFanout(env, messages);
  }
  await pause();
  await new ArticleStore(env.KV).put(record, json);
}

/** One draft per matched watchlist, grouped by subscriber; deleted watchlists are skipped. */
async function alertDrafts(env: AppBindings, record: ArticleRecord) {
  const byWatchlist = new Map<string, { subscriberId: string; matches: AlertDraft["matches"] }>();
  for (const m of record.matches) {
    const entry = byWatchlist.get(m.watchlist_id) ?? { subscriberId: m.subscriber_id, matches: [] };
    entry.matches.push({ query: m.query, hits: m.hits, total: m.total });
    byWatchlist.set(m.watchlist_id, entry);
  }
  const watchlists = await new WatchlistStore(env.KV).getMany(
    [...byWatchlist].map(([id, { subscriberId }]) => ({ subscriberId, id })),
  );
  const out = new Map<string, AlertDraft[]>();
  await Promise.all(
    [...byWatchlist].map(async ([watchlistId, { subscriberId, matches }]) => {
      const watchlist = watchlists.get(watchlistId);
      if (!watchlist) return;
      const draft: AlertDraft = {
        id: `alr_${(await sha256Hex(`${watchlistId}:${record.id}`)).slice(0, 24)}`,
        watchlist_id: watchlistId,
        watchlist_name: watchlist.name,
        article_id: record.id,
        cluster_id: record.cluster_id,
        url: record.url,
        title: record.title || headline(record),
        summary: record.summary,
        lang: record.lang,
        matches,
        channels: watchlist.channels ?? null,
        ...(watchlist.delivery ? { delivery: watchlist.delivery } : {}),
        paused_until: watchlist.paused_until ?? null,
      };
      out.set(subscriberId, [...(out.get(subscriberId) ?? []), draft]);
    }),
  );
  return out;
}

/** A title for an untitled article: its first summary sentence, shortened. */
function headline(article: ArticleRecord): string {
  const chars = [...(article.summary[0] ?? article.text)];
  return chars.length > 120 ? `${chars.slice(0, 119).join("").trimEnd()}…` : chars.join("");
}
