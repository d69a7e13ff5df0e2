import { deliverWebhook, type WebhookEvent } from "../alerts/deliver.ts";
import { nextAttemptDelaySeconds, queueDelayChunk, shouldDisableEndpoint } from "../alerts/retry.ts";
import { signingSecrets } from "../alerts/signing.ts";
import { randomId } from "../crypto.ts";
import { type AppBindings, allowLocalWebhooks } from "../env.ts";
import { type AlertRecord, AlertStore } from "../store/alerts.ts";
import { type SubscriberRecord, SubscriberStore } from "../store/subscribers.ts";

/** A queued delivery: which alert, which attempt, and when it is due (epoch ms). */
export interface DeliveryMessage {
  alert_id: string;
  attempt: number;
  due_at: number;
}

export const ALERT_QUEUE_NAME = "wirebrief-alerts";
export const DEAD_LETTER_QUEUE_NAME = "wirebrief-alerts-dlq";

/** Puts a delivery on the queue, waiting at most 12 h per hop (the queue's limit). */
export async function enqueueDelivery(env: AppBindings, msg: DeliveryMessage, now = Date.now()): Promise<void> {
  const { delaySeconds } = queueDelayChunk((msg.due_at - now) / 1000);
  await env.ALERT_QUEUE.send(msg, delaySeconds > 0 ? { delaySeconds } : undefined);
}

/** Sends one attempt and logs it; used by the consumer, redelivery and test pings. */
export async function attemptDelivery(
  env: AppBindings,
  subscriber: SubscriberRecord,
  event: WebhookEvent,
  msgId: string,
  attempt: number,
) {
  const url = subscriber.webhook_url ?? "";
  const result = await deliverWebhook({
    url,
    secrets: signingSecrets(subscriber),
    event,
    msgId,
    allowLocal: allowLocalWebhooks(env),
  });
  await new AlertStore(env.KV).logDelivery({
    id: randomId("dlv"),
    alert_id: event.type === "alert.created" ? event.data.id : null,
    subscriber_id: subscriber.id,
    kind: event.type === "ping" ? "ping" : "alert",
    attempt,
    status: result.status,
    ok: result.ok,
    latency_ms: result.latencyMs,
    error: result.error ?? null,
    at: new Date().toISOString(),
  });
  return result;
}

/** Marks an alert failed; it stays in the feed and can be redelivered. */
export async function markFailed(env: AppBindings, alertId: string, reason: string): Promise<void> {
  const alerts = new AlertStore(env.KV);
  const alert = await alerts.get(alertId);
  if (!alert || alert.status === "delivered") return;
  alert.status = "failed";
  alert.last_error = reason;
  await alerts.put(alert);
}

/** Handles one queued delivery; returns what it did (for tests and logs). */
export async function processDelivery(env: AppBindings, msg: DeliveryMessage, now = Date.now()): Promise<string> {
  if (msg.due_at > now + 1000) {
    // Still waiting past the queue's 12 h delay cap: hop again.
    await enqueueDelivery(env, msg, now);
    return "deferred";
  }
  const alerts = new AlertStore(env.KV);
  const subscribers = new SubscriberStore(env.KV);
  const alert = await alerts.get(msg.alert_id);
  if (!alert || alert.status === "delivered") return "skipped";
  const subscriber = await subscribers.get(alert.subscriber_id);
  if (!subscriber?.webhook_url) {
    alert.status = "feed_only";
    await alerts.put(alert);
    return "feed_only";
  }
  if (subscriber.webhook_status === "disabled") {
    await markFailed(env, alert.id, `endpoint disabled: ${subscriber.webhook_disabled_reason ?? "unknown"}`);
    return "disabled";
  }

  const event = { type: "alert.created" as const, data: stripDeliveryState(alert) };
  const result = await attemptDelivery(env, subscriber, event, alert.id, msg.attempt);
  alert.attempts = msg.attempt;
  alert.last_attempt_at = new Date(now).toISOString();

  if (result.ok) {
    alert.status = "delivered";
    alert.delivered_at = alert.last_attempt_at;
    alert.last_error = null;
    await alerts.put(alert);
    if (subscriber.failing_since) {
      subscriber.failing_since = null;
      await subscribers.put(subscriber);
    }
    return "delivered";
  }

  alert.last_error = result.error ?? `HTTP ${result.status}`;
  subscriber.failing_since ??= alert.last_attempt_at;
  if (result.disable || shouldDisableEndpoint(Date.parse(subscriber.failing_since), now)) {
    subscriber.webhook_status = "disabled";
    subscriber.webhook_disabled_reason = result.disable
      ? (result.status === 410 ? "the endpoint answered 410 Gone" : (result.error ?? "unsafe URL"))
      : "failing for 5 days";
    await subscribers.put(subscriber);
    alert.status = "failed";
    await alerts.put(alert);
    return "disabled";
  }
  await subscribers.put(subscriber);
  await alerts.put(alert);

  const delay = nextAttemptDelaySeconds(msg.attempt, result.retryAfterSeconds ?? null, now);
  if (delay === null) {
    // Out of retries: the dead-letter consumer marks it failed.
    await env.ALERT_DLQ.send(msg);
    return "dead-lettered";
  }
  await enqueueDelivery(env, { alert_id: alert.id, attempt: msg.attempt + 1, due_at: now + delay * 1000 }, now);
  return "retry-scheduled";
}

/** The alert as subscribers see it: delivery bookkeeping removed. */
export function stripDeliveryState(a: AlertRecord) {
  const { attempts: _a, last_attempt_at: _l, last_error: _e, delivered_at: _d, ...alert } = a;
  return alert;
}

/** Queue consumer for both the alert queue and its dead-letter queue. */
export async function handleQueueBatch(batch: MessageBatch<DeliveryMessage>, env: AppBindings): Promise<void> {
  for (const message of batch.messages) {
    try {
      if (batch.queue === DEAD_LETTER_QUEUE_NAME) {
        await markFailed(env, message.body.alert_id, "retries exhausted");
      } else {
        await processDelivery(env, message.body);
      }
      message.ack();
    } catch (e) {
      // A storage or runtime failure: let the queue retry; after max_retries it dead-letters.
      console.error("delivery failed to process:", e instanceof Error ? e.message : "unknown");
      message.retry();
    }
  }
}
