import type { WatchlistRecord } from "../records.ts";
import { fitsKv, keys } from "./keys.ts";
import { listValues } from "./list.ts";

/** What the matcher needs, kept in key metadata when it fits so one list call reads 1000 watchlists. */
interface WatchlistMeta {
  q?: string[];
  l?: string[] | null;
  s?: string[] | null;
}
const METADATA_LIMIT = 1000;

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
    const meta: WatchlistMeta = { q: record.queries, l: record.langs, s: record.sources };
    const fits = new TextEncoder().encode(JSON.stringify(meta)).length <= METADATA_LIMIT;
    await this.kv.put(keys.watchlist(record.subscriber_id, record.id), JSON.stringify(record), {
      metadata: fits ? meta : {},
    });
    await this.bumpVersion();
  }

  async delete(subscriberId: string, id: string): Promise<void> {
    await this.kv.delete(keys.watchlist(subscriberId, id));
    await this.kv.delete(keys.watchlistOwner(id));
    await this.bumpVersion();
  }

  async deleteAllOf(subscriberId: string): Promise<void> {
    const all = await this.list(subscriberId);
    await Promise.all(
      all.flatMap((w) => [
        this.kv.delete(keys.watchlist(subscriberId, w.id)),
        this.kv.delete(keys.watchlistOwner(w.id)),
      ]),
    );
    if (all.length) await this.bumpVersion();
  }

  /** All watchlists of one subscriber, or of everyone. */
  list(subscriberId?: string): Promise<WatchlistRecord[]> {
    return listValues<WatchlistRecord>(this.kv, keys.watchlistPrefix(subscriberId));
  }

  /** Every watchlist in matcher form, mostly from key metadata (one list call per 1000). */
  async loadAllForMatching(): Promise<
    { id: string; subscriberId: string; queries: string[]; langs?: string[]; sources?: string[] }[]
  > {
    const out = [];
    let cursor: string | undefined;
    const prefix = keys.watchlistPrefix();
    do {
      const page = await this.kv.list<WatchlistMeta>({ prefix, cursor });
      for (const k of page.keys) {
        const [subscriberId = "", id = ""] = k.name.slice(prefix.length).split(":");
        let meta = k.metadata;
        if (!meta?.q) {
          const full = await this.kv.get<WatchlistRecord>(k.name, "json");
          if (!full) continue;
          meta = { q: full.queries, l: full.langs, s: full.sources };
        }
        out.push({
          id,
          subscriberId,
          queries: meta.q ?? [],
          ...(meta.l ? { langs: meta.l } : {}),
          ...(meta.s ? { sources: meta.s } : {}),
        });
      }
      cursor = page.list_complete ? undefined : page.cursor;
    } while (cursor);
    return out;
  }

  version(): Promise<string | null> {
    return this.kv.get(keys.watchVersion());
  }

  private async bumpVersion(): Promise<void> {
    await this.kv.put(keys.watchVersion(), `${Date.now()}-${crypto.randomUUID()}`);
  }
}
