/**
 * The `webhook` channel: Standard Webhooks JSON (`{ type, timestamp, data }`), signed by
 * `deliverWebhook` in ../deliver.ts. Alerts are `alert.created`; a digest is
 * `digest.created` with the {@link Digest} as `data`.
 */

import { buildWebhookBody } from "../deliver.ts";
import type { Alert } from "../types.ts";
import type { Digest } from "./types.ts";

/** The event of a digest delivery. */
export interface DigestEvent {
  type: "digest.created";
  data: Digest;
}

/** The body of a `digest.created` delivery. */
export interface DigestWebhookBody {
  type: "digest.created";
  timestamp: string;
  data: Digest;
}

/** The `digest.created` event of a digest. */
export function digestEvent(digest: Digest): DigestEvent {
  return { type: "digest.created", data: digest };
}

/** The exact body string of a `digest.created` delivery, to sign and send. */
export function buildDigestWebhookBody(digest: Digest, at: Date): string {
  const body: DigestWebhookBody = {
    type: "digest.created",
    timestamp: at.toISOString(),
    data: digest,
  };
  return JSON.stringify(body);
}

/** The exact body string of an `alert.created` delivery (same as deliver.ts builds). */
export function buildAlertWebhookBody(alert: Alert, at: Date): string {
  return buildWebhookBody({ type: "alert.created", data: alert }, at);
}
