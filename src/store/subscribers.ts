import type { SubscriberSecrets } from "../alerts/signing.ts";
import { keys } from "./keys.ts";

export interface SubscriberRecord extends SubscriberSecrets {
  id: string;
  name: string;
  email: string | null;
  webhook_url: string | null;
  webhook_status: "none" | "active" | "disabled";
  webhook_disabled_reason: string | null;
  /** When the current run of failed deliveries began (null while healthy). */
  failing_since: string | null;
  token_hash: string;
  created_at: string;
  updated_at: string;
}

/** The subscriber as shown by the API: no token hash, no secrets. */
export function publicSubscriber(s: SubscriberRecord) {
  return {
    id: s.id,
    name: s.name,
    email: s.email,
    webhook_url: s.webhook_url,
    webhook_status: s.webhook_status,
    webhook_disabled_reason: s.webhook_disabled_reason,
    created_at: s.created_at,
    updated_at: s.updated_at,
  };
}

export class SubscriberStore {
  readonly kv: KVNamespace;
  constructor(kv: KVNamespace) {
    this.kv = kv;
  }

  get(id: string): Promise<SubscriberRecord | null> {
    return this.kv.get<SubscriberRecord>(keys.subscriber(id), "json");
  }

  async put(record: SubscriberRecord): Promise<void> {
    await this.kv.put(keys.subscriber(record.id), JSON.stringify(record));
  }

  async delete(id: string): Promise<void> {
    await this.kv.delete(keys.subscriber(id));
  }

  /** One page of subscribers in id order. */
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
