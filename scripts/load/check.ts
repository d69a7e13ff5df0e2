/**
 * The checks after a run: every acknowledged article reads back; every watch match of an
 * acknowledged article has its alert in the feed; every feed alert of a healthy endpoint
 * was accepted by its receiver exactly once (by webhook-id).
 *
 * Definitions (printed with the results):
 * - article lost: acknowledged (201/200) but `GET /v1/articles/:id` is not 200.
 * - alert lost (feed): an acknowledged article matched watchlist W (its stored `matches`)
 *   and W's subscriber has no feed alert of W for that article's cluster (by article_id,
 *   also_reported or cluster_id).
 * - alert lost (delivery): a feed alert of a subscriber whose endpoint eventually answers
 *   2xx (ok, slow, flaky, ratelimit) that its receiver never answered 2xx within the wait.
 *   The service retries after ~5 s, then ~5 min: the wait covers the first retry only.
 * - duplicated (delivery): a webhook-id the receiver answered 2xx more than once.
 * - duplicated (feed): the same alert id on two feed pages, or two alerts for the same
 *   (watchlist, cluster) (SPEC: one alert per cluster and watchlist in 72 h).
 */

import { type Api, type FeedAlert, pool, readWholeFeed } from "./api.ts";
import type { Acked } from "./drive.ts";
import { HEALTHY_MODES, type Receiver } from "./receivers.ts";

/** One subscriber under test, with the receiver behind its webhook. */
export interface Sub {
  id: string;
  token: string;
  receiver: Receiver;
  watchlistIds: Set<string>;
}

export interface ArticleCheck {
  acked: number;
  readBack: number;
  lost: string[];
  /** (watchlist, article) matches of acknowledged articles. */
  matches: { watchlistId: string; articleId: string; clusterId: string }[];
}

/** Reads every acknowledged article back (admin token: all matches visible). */
export async function checkArticles(
  api: Api,
  adminToken: string,
  acked: Map<string, Acked>,
): Promise<ArticleCheck> {
  const lost: string[] = [];
  const matches: ArticleCheck["matches"] = [];
  let readBack = 0;
  await pool([...acked.keys()], 8, async (id) => {
    const r = await api.status<{
      id: string;
      cluster_id: string;
      matches: { watchlist_id: string }[];
    }>("GET", `/v1/articles/${id}`, adminToken);
    if (r.status !== 200 || !r.body) {
      lost.push(id);
      return;
    }
    readBack++;
    const seen = new Set<string>();
    for (const m of r.body.matches) {
      if (seen.has(m.watchlist_id)) continue;
      seen.add(m.watchlist_id);
      matches.push({ watchlistId: m.watchlist_id, articleId: id, clusterId: r.body.cluster_id });
    }
  });
  return { acked: acked.size, readBack, lost, matches };
}

export interface SubCheck {
  sub: Sub;
  feed: FeedAlert[];
  pages: number;
  feedRepeated: number;
  feedTruncated: boolean;
  /** Extra alerts for an already-alerted (watchlist, cluster). */
  clusterDuplicates: number;
  /** Acknowledged articles' matches with no covering alert in the feed. */
  lostInFeed: number;
  /** Matches covered only through cluster_id, not named in also_reported (informational). */
  copiesNotListed: number;
  statuses: Record<string, number>;
  /** Feed alerts the receiver answered 2xx to. */
  delivered: number;
  /** Feed alerts the receiver never answered 2xx to (lost, for healthy endpoints). */
  undelivered: number;
  /** Of those, alerts created before the SIGKILL (fault run). */
  undeliveredPreKill: number;
  /** Feed alerts the receiver never saw at all. */
  neverSeen: number;
  /** Webhook-ids answered 2xx more than once. */
  duplicated: number;
  /** Accepted twice, the first just before the kill: at-least-once, not counted as duplicated. */
  resentAfterKill: number;
  /** Webhook-ids received that are not in the feed. */
  unexpected: number;
  attempts: number;
  /** Seconds from alert creation to the receiver's first 2xx: p50, p99, max. */
  lag: { p50: number; p99: number; max: number } | null;
  webhookStatus: string;
  healthy: boolean;
}

/** Reads the feed once (for the wait loop). */
export async function feedIds(api: Api, sub: Sub): Promise<Set<string>> {
  const f = await readWholeFeed(api, sub.token);
  return new Set(f.items.map((i) => i.id));
}

function quantile(xs: number[], q: number): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] as number;
}

/** A delivery accepted this long before the kill may have had its answer cut off (the 15 s timeout). */
const IN_FLIGHT_MS = 15_000;

/** The final check of one subscriber against its feed and its receiver. */
export async function checkSubscriber(
  api: Api,
  adminToken: string,
  sub: Sub,
  articles: ArticleCheck,
  killAt: number | null = null,
): Promise<SubCheck> {
  const f = await readWholeFeed(api, sub.token);
  const byCluster = new Map<string, FeedAlert[]>();
  const statuses: Record<string, number> = {};
  for (const a of f.items) {
    const k = `${a._wirebrief.watchlist_id} ${a._wirebrief.cluster_id}`;
    byCluster.set(k, [...(byCluster.get(k) ?? []), a]);
    statuses[a._wirebrief.status] = (statuses[a._wirebrief.status] ?? 0) + 1;
  }
  let clusterDuplicates = 0;
  for (const list of byCluster.values()) clusterDuplicates += list.length - 1;

  const covered = new Set<string>();
  for (const a of f.items) {
    covered.add(`${a._wirebrief.watchlist_id} ${a._wirebrief.article_id}`);
    for (const r of a._wirebrief.also_reported ?? [])
      covered.add(`${a._wirebrief.watchlist_id} ${r.article_id}`);
  }
  let lostInFeed = 0;
  let copiesNotListed = 0;
  for (const m of articles.matches) {
    if (!sub.watchlistIds.has(m.watchlistId)) continue;
    if (covered.has(`${m.watchlistId} ${m.articleId}`)) continue;
    if (byCluster.has(`${m.watchlistId} ${m.clusterId}`)) copiesNotListed++;
    else lostInFeed++;
  }

  const rec = sub.receiver.ids;
  const inFeed = new Set(f.items.map((a) => a.id));
  let delivered = 0;
  let neverSeen = 0;
  let undeliveredPreKill = 0;
  const lags: number[] = [];
  for (const a of f.items) {
    const r = rec.get(a.id);
    const created = Date.parse(a.date_published);
    if (!r) neverSeen++;
    if (!(r && r.accepted > 0) && killAt !== null && created < killAt) undeliveredPreKill++;
    if (r && r.accepted > 0) {
      delivered++;
      if (r.acceptedAt !== null && Number.isFinite(created))
        lags.push((r.acceptedAt - created) / 1000);
    }
  }
  let duplicated = 0;
  let resentAfterKill = 0;
  let unexpected = 0;
  let attempts = 0;
  for (const [id, r] of rec) {
    attempts += r.attempts;
    // Accepted just before the kill, answer never recorded by the dead service: it sends
    // again with the same webhook-id (at-least-once; receivers dedupe by webhook-id).
    const inFlightAtKill =
      killAt !== null &&
      r.acceptedAt !== null &&
      r.acceptedAt <= killAt &&
      r.acceptedAt > killAt - IN_FLIGHT_MS;
    if (r.accepted > 1 && inFlightAtKill) resentAfterKill++;
    else if (r.accepted > 1) duplicated++;
    if (!inFeed.has(id) && r.type !== "ping") unexpected++;
  }
  const s = await api.status<{ webhook_status?: string }>(
    "GET",
    `/v1/subscribers/${sub.id}`,
    adminToken,
  );
  return {
    sub,
    feed: f.items,
    pages: f.pages,
    feedRepeated: f.repeated,
    feedTruncated: f.truncated,
    clusterDuplicates,
    lostInFeed,
    copiesNotListed,
    statuses,
    delivered,
    undelivered: f.items.length - delivered,
    undeliveredPreKill,
    neverSeen,
    duplicated,
    resentAfterKill,
    unexpected,
    attempts,
    lag: lags.length
      ? { p50: quantile(lags, 0.5), p99: quantile(lags, 0.99), max: Math.max(...lags) }
      : null,
    webhookStatus: s.body?.webhook_status ?? `? (${s.status})`,
    healthy: HEALTHY_MODES.includes(sub.receiver.mode),
  };
}

/** Lost and duplicated totals that decide the exit code. */
export function verdict(articles: ArticleCheck, subs: SubCheck[]) {
  const articlesLost = articles.lost.length;
  const alertsLostFeed = subs.reduce((n, s) => n + s.lostInFeed, 0);
  const alertsLostDelivery = subs.filter((s) => s.healthy).reduce((n, s) => n + s.undelivered, 0);
  const dupDelivery = subs.reduce((n, s) => n + s.duplicated, 0);
  const resentAfterKill = subs.reduce((n, s) => n + s.resentAfterKill, 0);
  const dupFeed = subs.reduce((n, s) => n + s.feedRepeated + s.clusterDuplicates, 0);
  return {
    articlesLost,
    alertsLostFeed,
    alertsLostDelivery,
    dupDelivery,
    resentAfterKill,
    dupFeed,
    failed: articlesLost + alertsLostFeed + alertsLostDelivery + dupDelivery + dupFeed > 0,
  };
}

/** Per-subscriber table: feed, statuses, receiver view. */
export function formatSubscribers(subs: SubCheck[]): string {
  const head =
    "endpoint   feed  statuses(feed)                     recv-ids 2xx-ids attempts dup2xx undeliv(pre-kill) lost-feed  feed-dup endpoint-state lag p50/p99/max s";
  const lines = [head, "-".repeat(head.length)];
  for (const s of subs) {
    const st = Object.entries(s.statuses)
      .map(([k, v]) => `${k}:${v}`)
      .join(" ");
    const lag = s.lag
      ? `${s.lag.p50.toFixed(1)}/${s.lag.p99.toFixed(1)}/${s.lag.max.toFixed(1)}`
      : "-";
    const und = `${s.undelivered}(${s.undeliveredPreKill})${s.healthy ? " " : "*"}`;
    lines.push(
      [
        s.sub.receiver.mode.padEnd(9),
        String(s.feed.length).padStart(5),
        ` ${st.padEnd(34)}`,
        String(s.sub.receiver.ids.size).padStart(8),
        String(s.delivered).padStart(7),
        String(s.attempts).padStart(8),
        String(s.duplicated).padStart(6),
        und.padStart(17),
        String(s.lostInFeed).padStart(9),
        String(s.clusterDuplicates + s.feedRepeated).padStart(10),
        s.webhookStatus.padEnd(14),
        lag,
      ].join(" "),
    );
  }
  lines.push("(* failing endpoint: undelivered is its expected state, not counted as lost)");
  return lines.join("\n");
}
