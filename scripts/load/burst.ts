/**
 * The SPEC's concurrency promises, tried at once: N simultaneous POSTs of one URL make one
 * record (one 201, the others 200 with that record), and N simultaneous copies of one
 * story under different URLs make one cluster and one alert per watchlist.
 */

import type { Api, FeedAlert } from "./api.ts";
import type { ArticleFactory } from "./corpus.ts";
import type { Acked } from "./drive.ts";

export interface BurstSent {
  n: number;
  sameUrl: { statuses: Record<string, number>; ids: Set<string> };
  copies: { statuses: Record<string, number>; ids: string[] };
}

export interface BurstResult extends BurstSent {
  /** 201s beyond the first for one URL. */
  extraCreated: number;
  /** Distinct ids answered for one URL (1 expected). */
  sameUrlIds: number;
  /** Distinct cluster ids among the copies (1 expected). */
  copyClusters: number;
  /** Alerts per watchlist for the copies, beyond one. */
  extraAlerts: number;
  alertsPerWatchlist: number[];
}

/** Sends both bursts; acknowledged articles are added to `acked` for the usual checks. */
export async function sendBursts(
  api: Api,
  ingestToken: string,
  factory: ArticleFactory,
  n: number,
  acked: Map<string, Acked>,
): Promise<BurstSent> {
  const one = factory.story();
  const story = factory.story();
  const copies = Array.from({ length: n }, (_, i) => ({
    ...story,
    url: `${story.url}-copy-${i}`,
    source: `copy${i}.loadwire.test`,
  }));
  const post = (a: typeof one) =>
    api.status<{ id?: string }>("POST", "/v1/articles", ingestToken, a, 120_000);
  const [urlRes, copyRes] = await Promise.all([
    Promise.all(Array.from({ length: n }, () => post(one))),
    Promise.all(copies.map(post)),
  ]);
  const tally = (rs: { status: number }[]) => {
    const t: Record<string, number> = {};
    for (const r of rs) t[r.status] = (t[r.status] ?? 0) + 1;
    return t;
  };
  const record = (rs: { status: number; body: { id?: string } | null }[], urls: string[]) => {
    const ids: string[] = [];
    rs.forEach((r, i) => {
      const id = r.body?.id;
      if ((r.status === 200 || r.status === 201) && id) {
        ids.push(id);
        if (!acked.has(id))
          acked.set(id, { id, url: urls[i] ?? "", status: r.status, phase: "burst" });
      }
    });
    return ids;
  };
  const urlIds = record(
    urlRes,
    urlRes.map(() => one.url),
  );
  const copyIds = record(
    copyRes,
    copies.map((c) => c.url),
  );
  return {
    n,
    sameUrl: { statuses: tally(urlRes), ids: new Set(urlIds) },
    copies: { statuses: tally(copyRes), ids: copyIds },
  };
}

/** Checks the bursts against the stored records and the main subscriber's feed. */
export async function checkBursts(
  api: Api,
  adminToken: string,
  sent: BurstSent,
  feed: FeedAlert[],
  watchlistIds: Set<string>,
): Promise<BurstResult> {
  const clusters = new Set<string>();
  for (const id of sent.copies.ids) {
    const r = await api.status<{ cluster_id: string }>("GET", `/v1/articles/${id}`, adminToken);
    if (r.body) clusters.add(r.body.cluster_id);
  }
  const copyIds = new Set(sent.copies.ids);
  const per = new Map<string, number>();
  for (const a of feed) {
    if (!copyIds.has(a._wirebrief.article_id) || !watchlistIds.has(a._wirebrief.watchlist_id))
      continue;
    per.set(a._wirebrief.watchlist_id, (per.get(a._wirebrief.watchlist_id) ?? 0) + 1);
  }
  const counts = [...per.values()];
  return {
    ...sent,
    extraCreated: Math.max(0, (sent.sameUrl.statuses["201"] ?? 0) - 1),
    sameUrlIds: sent.sameUrl.ids.size,
    copyClusters: clusters.size,
    extraAlerts: counts.reduce((n, c) => n + c - 1, 0),
    alertsPerWatchlist: counts,
  };
}
