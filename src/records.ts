/**
 * Every stored record type, in one place. The zod output schemas in `schemas.ts` are
 * checked against these at compile time, so the API document and the stores agree.
 */
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

/** Delivery health of a subscriber's webhook, owned by its Durable Object. */
export interface EndpointHealth {
  webhook_status: "none" | "active" | "disabled";
  webhook_disabled_reason: string | null;
  /** When the current run of failed deliveries began (null while healthy). */
  failing_since: string | null;
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
