import { deliverWebhook, type WebhookEvent } from "../alerts/deliver.ts";
import { planNextStep, queueDelayChunk } from "../alerts/retry.ts";
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

export const DEAD_LETTER_QUEUE_NAME = "wirebrief-alerts-dlq";

/** Puts a delivery on the queue, waiting at most 12 h per hop (the queue's limit). */
export async function enqueueDelivery(
  env: AppBindings,
  msg: DeliveryMessage,
  now = Date.now(),
): Promise<void> {
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
export async function processDelivery(
  env: AppBindings,
  msg: DeliveryMessage,
  now = Date.now(),
): Promise<string> {
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
    await markFailed(
      env,
      alert.id,
      `endpoint disabled: ${subscriber.webhook_disabled_reason ?? "unknown"}`,
    );
    return "disabled";
  }

  const event = { type: "alert.created" as const, data: stripDeliveryState(alert) };
  const result = await attemptDelivery(env, subscriber, event, alert.id, msg.attempt);
  alert.attempts = msg.attempt;
  alert.last_attempt_at = new Date(now).toISOString();

  const failingBefore = subscriber.failing_since;
  const plan = planNextStep(
    msg.attempt,
    result,
    failingBefore ? Date.parse(failingBefore) : null,
    now,
  );
  subscriber.failing_since =
    plan.failingSinceMs === null ? null : new Date(plan.failingSinceMs).toISOString();
  alert.last_error = result.ok ? null : (result.error ?? `HTTP ${result.status}`);
  const step = plan.step;
  if (step.kind === "delivered") {
    alert.status = "delivered";
    alert.delivered_at = alert.last_attempt_at;
  } else if (step.kind === "disable_endpoint") {
    subscriber.webhook_status = "disabled";
    subscriber.webhook_disabled_reason = DISABLE_REASONS[step.reason];
    alert.status = "failed";
  }
  await alerts.put(alert);
  // One write per key per second: only touch the subscriber when its health changed.
  if (subscriber.failing_since !== failingBefore || step.kind === "disable_endpoint") {
    subscriber.updated_at = alert.last_attempt_at;
    await subscribers.put(subscriber);
  }
  if (step.kind === "failed") {
    // Out of retries: the dead-letter consumer marks it failed.
    await env.ALERT_DLQ.send(msg);
    return "dead-lettered";
  }
  if (step.kind === "retry") {
    await enqueueDelivery(
      env,
      { alert_id: alert.id, attempt: msg.attempt + 1, due_at: step.dueAtMs },
      now,
    );
    return "retry-scheduled";
  }
  return step.kind === "delivered" ? "delivered" : "disabled";
}

const DISABLE_REASONS = {
  gone: "the endpoint answered 410 Gone",
  unsafe_url: "the webhook URL is no longer safe",
  failing_5_days: "failing for 5 days",
} as const;

/** The alert as subscribers see it: delivery bookkeeping removed. */
export function stripDeliveryState(a: AlertRecord) {
  const { attempts: _a, last_attempt_at: _l, last_error: _e, delivered_at: _d, ...alert } = a;
  return alert;
}

/** Queue consumer for both the alert queue and its dead-letter queue. */
export async function handleQueueBatch(
  batch: MessageBatch<DeliveryMessage>,
  env: AppBindings,
): Promise<void> {
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
