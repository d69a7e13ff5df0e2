/**
 * Every stored record type, in one place. The zod output schemas in `schemas.ts` are
 * checked against these at compile time, so the API document and the stores agree.
 */

import type { ChannelType } from "./alerts/channels/types.ts";
import type { Delivery } from "./alerts/schedule.ts";
import type { SubscriberSecrets } from "./alerts/signing.ts";
import type { Alert } from "./alerts/types.ts";
import type { Hit } from "./watch/index.ts";

export type { Alert, AlertStatus, AlsoReported } from "./alerts/types.ts";
export type { Hit };

/** A watch match as stored on the article; `subscriber_id` is never shown to other subscribers. */
export interface ArticleMatch {
  watchlist_id: string;
  subscriber_id: string;
  query: string;
  hits: Hit[];
  total: number;
}

export interface Dateline {
  place: string | null;
  date: string | null;
  agency: string | null;
}

export interface ArticleRecord {
  id: string;
  url: string | null;
  title: string;
  lang: string;
  source: string | null;
  published_at: string | null;
  dateline: Dateline | null;
  text: string;
  summary: string[];
  keywords: string[];
  matches: ArticleMatch[];
  cluster_id: string;
  duplicate_of: string | null;
  fingerprint: string;
  created_at: string;
  updated_at: string;
}

/** An alert plus its delivery state, as the subscriber's object keeps it. */
export interface AlertRecord extends Alert {
  attempts: number;
  last_attempt_at: string | null;
  last_error: string | null;
  delivered_at: string | null;
  /** When the next attempt is due (pending alerts only). */
  next_attempt_at: string | null;
  /** One entry per channel the alert goes to, directly or in a digest. */
  deliveries: ChannelDelivery[];
}

/** An alert's delivery to one channel: its own message, or the digest it is part of. */
export interface ChannelDelivery {
  channel_id: string;
  kind: "alert" | "digest";
  /** The digest's id (its `webhook-id`) when kind is digest. */
  digest_id: string | null;
  status: "pending" | "delivered" | "failed";
  attempts: number;
  next_attempt_at: string | null;
  delivered_at: string | null;
  last_error: string | null;
}

/** A channel as the API shows it (no secret; chat URLs redacted). */
export interface ChannelInfo {
  id: string;
  type: ChannelType;
  name: string | null;
  url: string;
  /** True for the subscriber's `webhook_url` (change it there or here; both stay in step). */
  primary: boolean;
  status: "active" | "disabled";
  disabled_reason: string | null;
  failing_since: string | null;
  created_at: string;
  updated_at: string;
}

/** A read-only feed key as listed (the key itself is shown once, at creation). */
export interface FeedKeyInfo {
  id: string;
  subscriber_id: string;
  name: string | null;
  /** The key's first characters, to tell keys apart. */
  hint: string;
  created_at: string;
}

/** One delivery attempt as the delivery log shows it. */
export interface DeliveryLogEntry {
  id: string;
  alert_id: string | null;
  subscriber_id: string;
  kind: "alert" | "digest" | "ping";
  /** The channel of the attempt. */
  channel_id: string | null;
  channel_type: ChannelType | null;
  digest_id: string | null;
  attempt: number;
  status: number;
  ok: boolean;
  latency_ms: number;
  error: string | null;
  at: string;
}

/** Delivery health of a subscriber's webhook, owned by its Durable Object. */
export interface EndpointHealth {
  webhook_status: "none" | "active" | "disabled";
  webhook_disabled_reason: string | null;
}

/** A subscriber's configuration (KV); its delivery health lives in its Durable Object. */
export interface SubscriberRecord extends SubscriberSecrets {
  id: string;
  name: string;
  email: string | null;
  webhook_url: string | null;
  token_hash: string;
  created_at: string;
  updated_at: string;
}

export interface WatchlistRecord {
  id: string;
  subscriber_id: string;
  name: string;
  queries: string[];
  langs: string[] | null;
  sources: string[] | null;
  /** Channel ids to push to; null (or absent in older records) means all the subscriber's channels. */
  channels?: string[] | null;
  /** When to push: instant (default) or a digest per period. */
  delivery?: Delivery;
  /** Nothing is pushed before this time (ISO); alerts still reach the feed. */
  paused_until?: string | null;
  created_at: string;
  updated_at: string;
}

export interface IngestTokenInfo {
  id: string;
  name: string;
  scope: "ingest";
  created_at: string;
  hash: string;
}

/** One page of any listing: the items and the cursor of the next page (null at the end). */
export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}
