import type { Alert } from "../alerts/types.ts";
import { keys } from "./keys.ts";

/** An alert plus its delivery state, one record per key. */
export interface AlertRecord extends Alert {
  attempts: number;
  last_attempt_at: string | null;
  last_error: string | null;
  delivered_at: string | null;
}

/** One delivery attempt as the delivery log shows it. */
export interface DeliveryLogEntry {
  id: string;
  alert_id: string | null;
  subscriber_id: string;
  kind: "alert" | "ping";
  attempt: number;
  status: number;
  ok: boolean;
  latency_ms: number;
  error: string | null;
  at: string;
}

/** 72 hours: one alert per (watchlist, cluster) inside this window. */
export const ALERT_DEDUPE_SECONDS = 72 * 3600;
/** The delivery log keeps 30 days. */
const DELIVERY_LOG_TTL_SECONDS = 30 * 24 * 3600;

export class AlertStore {
  readonly kv: KVNamespace;
  constructor(kv: KVNamespace) {
    this.kv = kv;
  }

  get(id: string): Promise<AlertRecord | null> {
    return this.kv.get<AlertRecord>(keys.alert(id), "json");
  }

  async put(alert: AlertRecord): Promise<void> {
    await this.kv.put(keys.alert(alert.id), JSON.stringify(alert));
  }

  /** Writes a new alert and its feed entry. */
  async create(alert: AlertRecord): Promise<void> {
    await this.put(alert);
    await this.kv.put(
      keys.feedEntry(alert.subscriber_id, Date.parse(alert.created_at), alert.id),
      "",
    );
  }

  /** The alert already sent for this (watchlist, cluster) in the dedupe window, if any. */
  alertIdForCluster(watchlistId: string, clusterId: string): Promise<string | null> {
    return this.kv.get(keys.alertForCluster(watchlistId, clusterId));
  }

  async rememberCluster(watchlistId: string, clusterId: string, alertId: string): Promise<void> {
    await this.kv.put(keys.alertForCluster(watchlistId, clusterId), alertId, {
      expirationTtl: ALERT_DEDUPE_SECONDS,
    });
  }

  /**
   * A page of a subscriber's feed, newest first (reverse-time keys). KV's cursor
   * marks a key position, so alerts arriving meanwhile never shift a page.
   */
  async feedPage(
    subscriberId: string,
    limit: number,
    cursor?: string,
  ): Promise<{ items: AlertRecord[]; next: string | null }> {
    const page = await this.kv.list({ prefix: keys.feedPrefix(subscriberId), limit, cursor });
    const records = await Promise.all(
      page.keys.map((k) =>
        this.kv.get<AlertRecord>(keys.alert(k.name.slice(k.name.lastIndexOf(":") + 1)), "json"),
      ),
    );
    return {
      items: records.filter((r): r is AlertRecord => r !== null),
      next: page.list_complete ? null : page.cursor,
    };
  }

  async logDelivery(entry: DeliveryLogEntry): Promise<void> {
    await this.kv.put(
      keys.delivery(entry.subscriber_id, Date.parse(entry.at), entry.id),
      JSON.stringify(entry),
      {
        expirationTtl: DELIVERY_LOG_TTL_SECONDS,
      },
    );
  }

  /** The delivery log, newest first, cursor-paged with KV's own cursor. */
  async deliveries(subscriberId: string, limit: number, cursor?: string) {
    const page = await this.kv.list({ prefix: keys.deliveryPrefix(subscriberId), limit, cursor });
    const items = await Promise.all(
      page.keys.map((k) => this.kv.get<DeliveryLogEntry>(k.name, "json")),
    );
    return {
      items: items.filter((x): x is DeliveryLogEntry => x !== null),
      next: page.list_complete ? null : page.cursor,
    };
  }
}
