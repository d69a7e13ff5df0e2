import type { FeedKeyInfo } from "../records.ts";
import { fitsKv, keys } from "./keys.ts";
import { listValues } from "./list.ts";

/** What a feed key's hash resolves to. The key itself is never stored. */
export interface FeedKeyGrant {
  id: string;
  subscriber_id: string;
}

/** A feed key as stored under its subscriber: the public info plus its hash (for revoking). */
export interface FeedKeyRecord extends FeedKeyInfo {
  hash: string;
}

/** The listed view of a stored key: no hash. */
export function publicFeedKey(r: FeedKeyRecord): FeedKeyInfo {
  return {
    id: r.id,
    subscriber_id: r.subscriber_id,
    name: r.name,
    hint: r.hint,
    created_at: r.created_at,
  };
}

/**
 * Read-only feed keys in KV, hashed like bearer tokens: `feed-key:{sha256}` -> grant (read
 * on every feed fetch), `feed-keys:{subscriber}:{id}` -> record (listing, revoking). A
 * revocation reaches every location within KV's propagation time (about a minute).
 */
export class FeedKeyStore {
  readonly kv: KVNamespace;
  constructor(kv: KVNamespace) {
    this.kv = kv;
  }

  lookup(hash: string): Promise<FeedKeyGrant | null> {
    return this.kv.get<FeedKeyGrant>(keys.feedKeyByHash(hash), "json");
  }

  async put(record: FeedKeyRecord): Promise<void> {
    const grant: FeedKeyGrant = { id: record.id, subscriber_id: record.subscriber_id };
    await this.kv.put(keys.feedKeyByHash(record.hash), JSON.stringify(grant));
    await this.kv.put(keys.feedKey(record.subscriber_id, record.id), JSON.stringify(record));
  }

  async get(subscriberId: string, id: string): Promise<FeedKeyRecord | null> {
    const key = keys.feedKey(subscriberId, id);
    return fitsKv(key) ? this.kv.get<FeedKeyRecord>(key, "json") : null;
  }

  list(subscriberId: string): Promise<FeedKeyRecord[]> {
    return listValues<FeedKeyRecord>(this.kv, keys.feedKeyPrefix(subscriberId));
  }

  /** Revokes a key: its URLs answer 404 from then on. */
  async delete(record: FeedKeyRecord): Promise<void> {
    await this.kv.delete(keys.feedKeyByHash(record.hash));
    await this.kv.delete(keys.feedKey(record.subscriber_id, record.id));
  }

  /** Revokes every key of a subscriber (it was deleted). */
  async deleteAllOf(subscriberId: string): Promise<void> {
    await Promise.all((await this.list(subscriberId)).map((r) => this.delete(r)));
  }
}
