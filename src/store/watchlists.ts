import type { WatchlistRecord } from "../records.ts";
import { fitsKv, keys } from "./keys.ts";
import { listValues } from "./list.ts";

export class WatchlistStore {
  readonly kv: KVNamespace;
  constructor(kv: KVNamespace) {
    this.kv = kv;
  }

  async get(subscriberId: string, id: string): Promise<WatchlistRecord | null> {
    const key = keys.watchlist(subscriberId, id);
    return fitsKv(key) ? this.kv.get<WatchlistRecord>(key, "json") : null;
  }

  /** Finds a watchlist by id alone (via its owner pointer). */
  async find(id: string): Promise<WatchlistRecord | null> {
    const key = keys.watchlistOwner(id);
    const owner = fitsKv(key) ? await this.kv.get(key) : null;
    return owner ? this.get(owner, id) : null;
  }

  async put(record: WatchlistRecord): Promise<void> {
    await this.kv.put(keys.watchlistOwner(record.id), record.subscriber_id);
    await this.kv.put(keys.watchlist(record.subscriber_id, record.id), JSON.stringify(record));
  }

  async delete(subscriberId: string, id: string): Promise<void> {
    await this.kv.delete(keys.watchlist(subscriberId, id));
    await this.kv.delete(keys.watchlistOwner(id));
  }

  async deleteAllOf(subscriberId: string): Promise<void> {
    const all = await this.list(subscriberId);
    await Promise.all(
      all.flatMap((w) => [
        this.kv.delete(keys.watchlist(subscriberId, w.id)),
        this.kv.delete(keys.watchlistOwner(w.id)),
      ]),
    );
  }

  /** All watchlists of one subscriber, or of everyone. */
  list(subscriberId?: string): Promise<WatchlistRecord[]> {
    return listValues<WatchlistRecord>(this.kv, keys.watchlistPrefix(subscriberId));
  }
}
