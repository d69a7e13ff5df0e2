import { WatchlistStore } from "../store/watchlists.ts";
import { compileWatchIndex, type WatchIndex } from "../watch/index.ts";

/**
 * The compiled index of every watchlist, cached in the isolate and rebuilt only
 * when the version key in KV moves (a watchlist was created, changed or deleted).
 */
let cached: { version: string; index: WatchIndex } | null = null;

export async function currentWatchIndex(kv: KVNamespace): Promise<WatchIndex> {
  const store = new WatchlistStore(kv);
  const version = (await store.version()) ?? "none";
  if (cached?.version === version) return cached.index;
  const index = compileWatchIndex(await store.loadAllForMatching());
  cached = { version, index };
  return index;
}
