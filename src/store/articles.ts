import type { ArticleRecord } from "../records.ts";
import { fitsKv, keys } from "./keys.ts";

/** Articles in KV, one record per key: written once by ingest, read everywhere. */
export class ArticleStore {
  readonly kv: KVNamespace;
  constructor(kv: KVNamespace) {
    this.kv = kv;
  }

  async get(id: string): Promise<ArticleRecord | null> {
    const key = keys.article(id);
    return fitsKv(key) ? this.kv.get<ArticleRecord>(key, "json") : null;
  }

  /** Writes the record; `json` is its JSON when the caller already has it. */
  async put(record: ArticleRecord, json = JSON.stringify(record)): Promise<void> {
    await this.kv.put(keys.article(record.id), json);
  }
}
