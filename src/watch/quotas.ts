/**
 * Per-subscriber watch quotas. They bound what one subscriber adds to every build of
 * the index and to every article's matching, whatever the queries' shapes:
 *
 * - 2,000 queries per subscriber: compiling 2,000 queries takes 20-60 ms, and a
 *   subscriber filling the whole quota with the most expensive shapes the quotas admit,
 *   among 8,000 ordinary queries, matches a 1 MiB article in about 60-110 ms of CPU
 *   (bench/watch.ts, hostile rows), inside the 200 ms budget.
 * - 32 terms per query (words and CJK runs; each word of a phrase counts): evaluation
 *   grows with the terms (a proximity over k words merges k position lists), and 32
 *   covers a long OR of names; the parser's own ceiling (100 terms, 2,000 characters)
 *   is a syntax limit, not a budget.
 * - 200 queries per watchlist and 100 watchlists: a watchlist is one topic for one
 *   channel; 100 × 20 and 10 × 200 both fit the total.
 */
import { parseQuery } from "./query.ts";

export const MAX_WATCHLISTS_PER_SUBSCRIBER = 100;
export const MAX_QUERIES_PER_WATCHLIST = 200;
export const MAX_TERMS_PER_QUERY = 32;
export const MAX_QUERIES_PER_SUBSCRIBER = 2000;

export type WatchQuota =
  | "watchlists"
  | "queries_per_watchlist"
  | "terms_per_query"
  | "total_queries";

/** A subscriber's watch usage after the change being checked. */
export interface WatchUsage {
  /** Watchlists the subscriber would have. */
  watchlists: number;
  /** Queries of each watchlist to check (or the largest). */
  queriesPerWatchlist: number[] | number;
  /** Terms (`countTerms`) of each query to check (or the largest). */
  termsPerQuery: number[] | number;
  /** Queries the subscriber would have in all watchlists. */
  totalQueries: number;
}

export interface QuotaExceeded {
  quota: WatchQuota;
  limit: number;
  actual: number;
  /** For per-watchlist and per-query quotas given as arrays: which entry. */
  index?: number;
}

export type QuotaCheck = { ok: true } | { ok: false; over: QuotaExceeded[] };

/** Everything in `usage` that is over its quota (a route answers 422 `quota_exceeded` with `over`). */
export function checkWatchQuotas(usage: WatchUsage): QuotaCheck {
  const over: QuotaExceeded[] = [];
  const one = (quota: WatchQuota, limit: number, v: number[] | number) => {
    if (typeof v === "number") {
      if (v > limit) over.push({ quota, limit, actual: v });
      return;
    }
    v.forEach((actual, index) => {
      if (actual > limit) over.push({ quota, limit, actual, index });
    });
  };
  one("watchlists", MAX_WATCHLISTS_PER_SUBSCRIBER, usage.watchlists);
  one("queries_per_watchlist", MAX_QUERIES_PER_WATCHLIST, usage.queriesPerWatchlist);
  one("terms_per_query", MAX_TERMS_PER_QUERY, usage.termsPerQuery);
  one("total_queries", MAX_QUERIES_PER_SUBSCRIBER, usage.totalQueries);
  return over.length === 0 ? { ok: true } : { ok: false, over };
}

/** Terms of a query string as the quota counts them (0 when it does not parse: the parser rejects it). */
export function queryTerms(query: string): number {
  const r = parseQuery(query);
  return r.ok ? r.terms : 0;
}

/**
 * The usage of a subscriber's whole set of watchlists (after the change), with the
 * per-entry arrays in that order: `termsPerQuery` is flattened across watchlists.
 */
export function watchUsage(watchlists: { queries: string[] }[]): WatchUsage {
  const queriesPerWatchlist = watchlists.map((w) => w.queries.length);
  return {
    watchlists: watchlists.length,
    queriesPerWatchlist,
    termsPerQuery: watchlists.flatMap((w) => w.queries.map(queryTerms)),
    totalQueries: queriesPerWatchlist.reduce((a, b) => a + b, 0),
  };
}
