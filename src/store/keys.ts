/**
 * The only place KV key strings are built. One record per key; lists are key prefixes,
 * never a growing array under one key (KV allows one write/s per key). The README's
 * "Where data lives" mirrors this file.
 */

const MAX_KEY_BYTES = 512;

/**
 * False for a key over KV's 512-byte limit. Ids come from URLs: a lookup of such a key
 * finds nothing (404) instead of letting KV throw.
 */
export function fitsKv(key: string): boolean {
  return key.length * 3 <= MAX_KEY_BYTES || new TextEncoder().encode(key).length <= MAX_KEY_BYTES;
}

export const keys = {
  article: (id: string) => `article:${id}`,

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
  /** One chunk of a compiled watch index snapshot; a version's keys are written once. */
  watchIndexChunk: (version: string, n: number) => `watch-index:${version}:${n}`,

  /** A feed key's SHA-256 -> which subscriber's feed it reads. */
  feedKeyByHash: (hash: string) => `feed-key:${hash}`,
  /** A subscriber's feed keys by id, for listing and revoking (the value holds the hash). */
  feedKey: (subscriberId: string, id: string) => `feed-keys:${subscriberId}:${id}`,
  feedKeyPrefix: (subscriberId: string) => `feed-keys:${subscriberId}:`,
} as const;
