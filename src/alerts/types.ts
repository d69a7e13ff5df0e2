import type { Hit } from "../watch/index.ts";

/** The hits of one watchlist query. */
export interface AlertMatch {
  query: string;
  /** The first 50 hits. */
  hits: Hit[];
  /** Every occurrence, also past the first 50. */
  total: number;
}

/** A later near-duplicate copy of the alerted story (same cluster, within 72 h). */
export interface AlsoReported {
  article_id: string;
  url: string | null;
  title: string;
}

/**
 * Delivery state of an alert over its channels: `feed_only` when it goes to no channel,
 * `paused` when its watchlist was paused (in the feed, pushed nowhere), `pending` while
 * any channel's delivery (or digest) waits, then `failed` if any channel failed, else
 * `delivered`.
 */
export type AlertStatus = "pending" | "delivered" | "failed" | "feed_only" | "paused";

/**
 * An alert: one (subscriber, watchlist, article cluster) with its hits. This is the
 * `data` of an `alert.created` webhook and the source of every feed item.
 */
export interface Alert {
  id: string;
  subscriber_id: string;
  watchlist_id: string;
  watchlist_name: string;
  article_id: string;
  cluster_id: string;
  url: string | null;
  title: string;
  summary: string[];
  lang: string;
  matches: AlertMatch[];
  also_reported: AlsoReported[];
  created_at: string;
  status: AlertStatus;
}
