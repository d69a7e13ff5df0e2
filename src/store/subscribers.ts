import type { EndpointHealth, SubscriberRecord } from "../records.ts";
import { fitsKv, keys } from "./keys.ts";

/** The subscriber as shown by the API: no token hash, no secrets; health from its object. */
export function publicSubscriber(s: SubscriberRecord, health: EndpointHealth) {
  return {
    id: s.id,
    name: s.name,
    email: s.email,
    webhook_url: s.webhook_url,
    webhook_status: health.webhook_status,
    webhook_disabled_reason: health.webhook_disabled_reason,
    created_at: s.created_at,
    updated_at: s.updated_at,
  };
}

/** Subscriber configuration in KV (read on every request, changed rarely, by admins). */
export class SubscriberStore {
  readonly kv: KVNamespace;
  constructor(kv: KVNamespace) {
    this.kv = kv;
  }

  async get(id: string): Promise<SubscriberRecord | null> {
    const key = keys.subscriber(id);
    return fitsKv(key) ? this.kv.get<SubscriberRecord>(key, "json") : null;
  }

  async put(record: SubscriberRecord): Promise<void> {
    await this.kv.put(keys.subscriber(record.id), JSON.stringify(record));
  }

  async delete(id: string): Promise<void> {
    await this.kv.delete(keys.subscriber(id));
  }

  /** One page of subscribers in id order; `cursor` is KV's own. */
  async list(
    limit: number,
    cursor?: string,
  ): Promise<{ items: SubscriberRecord[]; cursor: string | null }> {
    const page = await this.kv.list({ prefix: keys.subscriberPrefix(), limit, cursor });
    const items = await Promise.all(
      page.keys.map((k) => this.kv.get<SubscriberRecord>(k.name, "json")),
    );
    return {
      items: items.filter((x): x is SubscriberRecord => x !== null),
      cursor: page.list_complete ? null : page.cursor,
    };
  }
}
