import type { Alert } from "../alerts/types.ts";
import { sha256Hex } from "../crypto.ts";
import { enqueueDelivery } from "../delivery/queue.ts";
import type { AppBindings } from "../env.ts";
import { type AlertRecord, AlertStore } from "../store/alerts.ts";
import type { ArticleRecord } from "../store/articles.ts";
import { SubscriberStore } from "../store/subscribers.ts";
import { WatchlistStore } from "../store/watchlists.ts";
import type { WatchlistMatch } from "../watch/index.ts";

/**
 * Turns watch matches into alerts: one per (watchlist, cluster) in 72 h. A later copy
 * of the same story is added to the first alert's `also_reported` instead. The alert
 * id is derived from (watchlist, article), so a retried ingest cannot alert twice.
 */
export async function alertSubscribers(
  env: AppBindings,
  article: ArticleRecord,
  matches: WatchlistMatch[],
  now = Date.now(),
): Promise<void> {
  const alerts = new AlertStore(env.KV);
  for (const match of matches) {
    const existingId = await alerts.alertIdForCluster(match.watchlistId, article.cluster_id);
    if (existingId) {
      const existing = await alerts.get(existingId);
      if (
        existing?.article_id === article.id &&
        existing.status === "pending" &&
        existing.attempts === 0
      ) {
        // A retried ingest whose first try stopped before queueing: queue it now.
        await enqueueDelivery(env, { alert_id: existing.id, attempt: 1, due_at: now }, now);
      } else if (
        existing &&
        existing.article_id !== article.id &&
        !existing.also_reported.some((r) => r.article_id === article.id)
      ) {
        existing.also_reported.push({
          article_id: article.id,
          url: article.url,
          title: article.title,
        });
        await alerts.put(existing);
      }
      continue;
    }
    const [watchlist, subscriber] = await Promise.all([
      new WatchlistStore(env.KV).get(match.subscriberId, match.watchlistId),
      new SubscriberStore(env.KV).get(match.subscriberId),
    ]);
    if (!watchlist || !subscriber) continue;
    const id = `alr_${(await sha256Hex(`${match.watchlistId}:${article.id}`)).slice(0, 24)}`;
    const alert: Alert = {
      id,
      subscriber_id: subscriber.id,
      watchlist_id: watchlist.id,
      watchlist_name: watchlist.name,
      article_id: article.id,
      cluster_id: article.cluster_id,
      url: article.url,
      title: article.title || headline(article),
      summary: article.summary,
      lang: article.lang,
      matches: match.matches,
      also_reported: [],
      created_at: new Date(now).toISOString(),
      status:
        subscriber.webhook_url && subscriber.webhook_status === "active" ? "pending" : "feed_only",
    };
    const record: AlertRecord = {
      ...alert,
      attempts: 0,
      last_attempt_at: null,
      last_error: null,
      delivered_at: null,
    };
    await alerts.create(record);
    await alerts.rememberCluster(match.watchlistId, article.cluster_id, id);
    if (alert.status === "pending")
      await enqueueDelivery(env, { alert_id: id, attempt: 1, due_at: now }, now);
  }
}

/** A title for an untitled article: its first summary sentence, shortened. */
function headline(article: ArticleRecord): string {
  const chars = [...(article.summary[0] ?? article.text)];
  return chars.length > 120 ? `${chars.slice(0, 119).join("").trimEnd()}…` : chars.join("");
}
