/**
 * The only place KV key strings are built. One record per key; lists are key
 * prefixes, never a growing array under one key (KV allows one write/s per key).
 * The README's KV schema table mirrors this file.
 */

/** Reverse timestamp so that KV's byte-ordered list returns newest first. */
export function reverseTime(ms: number): string {
  return (9_999_999_999_999 - ms).toString().padStart(13, "0");
}

export const keys = {
  article: (id: string) => `article:${id}`,
  /** Near-duplicate lookup: one key per (fingerprint band, article). */
  clusterBandPrefix: (band: string) => `cluster-band:${band}:`,
  clusterBand: (band: string, articleId: string) => `cluster-band:${band}:${articleId}`,

  tokenByHash: (hash: string) => `token:${hash}`,
  ingestToken: (id: string) => `ingest-token:${id}`,
  ingestTokenPrefix: () => "ingest-token:",

  subscriber: (id: string) => `subscriber:${id}`,
  subscriberPrefix: () => "subscriber:",

  watchlist: (subscriberId: string, id: string) => `watchlist:${subscriberId}:${id}`,
  watchlistPrefix: (subscriberId?: string) =>
    subscriberId ? `watchlist:${subscriberId}:` : "watchlist:",
  /** Which subscriber owns a watchlist id, so routes can find it by id alone. */
  watchlistOwner: (id: string) => `watchlist-owner:${id}`,
  /** Bumped on every watchlist change; isolates rebuild their compiled index when it moves. */
  watchVersion: () => "watch-version",

  alert: (id: string) => `alert:${id}`,
  feedEntry: (subscriberId: string, createdMs: number, alertId: string) =>
    `feed:${subscriberId}:${reverseTime(createdMs)}:${alertId}`,
  feedPrefix: (subscriberId: string) => `feed:${subscriberId}:`,
  /** At most one alert per (watchlist, cluster) in the dedupe window. */
  alertForCluster: (watchlistId: string, clusterId: string) =>
    `alert-cluster:${watchlistId}:${clusterId}`,

  delivery: (subscriberId: string, createdMs: number, attemptId: string) =>
    `delivery:${subscriberId}:${reverseTime(createdMs)}:${attemptId}`,
  deliveryPrefix: (subscriberId: string) => `delivery:${subscriberId}:`,
} as const;
