import type { WatchlistRecord } from "../records.ts";
import { fitsKv, keys } from "./keys.ts";
import { listValues } from "./list.ts";

/** Keys one bulk KV read may ask for. */
const KV_BULK_GET = 100;

export class WatchlistStore {
  readonly kv: KVNamespace;
  constructor(kv: KVNamespace) {
    this.kv = kv;
  }

  async get(subscriberId: string, id: string): Promise<WatchlistRecord | null> {
    const key = keys.watchlist(subscriberId, id);
    return fitsKv(key) ? this.kv.get<WatchlistRecord>(key, "json") : null;
  }

  /**
   * Several watchlists by (subscriber, id), in bulk reads of KV_BULK_GET keys (each one
   * operation of a Worker's 1,000), keyed by watchlist id; missing ones are absent.
   */
  async getMany(
    ids: { subscriberId: string; id: string }[],
  ): Promise<Map<string, WatchlistRecord>> {
    const wanted = ids.map((w) => ({ ...w, key: keys.watchlist(w.subscriberId, w.id) }));
    const readable = wanted.filter((w) => fitsKv(w.key));
    const out = new Map<string, WatchlistRecord>();
    const batches: (typeof readable)[] = [];
    for (let i = 0; i < readable.length; i += KV_BULK_GET)
      batches.push(readable.slice(i, i + KV_BULK_GET));
    await Promise.all(
      batches.map(async (batch) => {
        const values = await this.kv.get<WatchlistRecord>(
          batch.map((w) => w.key),
          "json",
        );
        for (const w of batch) {
          const record = values.get(w.key);
          if (record) out.set(w.id, record);
        }
      }),
    );
    return out;
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
