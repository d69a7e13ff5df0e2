import { pingEvent } from "../alerts/deliver.ts";
import { randomId } from "../crypto.ts";
import type { AppBindings } from "../env.ts";
import type { SubscriberRecord } from "../store/subscribers.ts";
import { attemptDelivery } from "./queue.ts";

/** `POST /v1/subscribers/:id/test`: one signed ping, logged, reported as it went. */
export async function sendTestPing(env: AppBindings, subscriber: SubscriberRecord) {
  const result = await attemptDelivery(
    env,
    subscriber,
    pingEvent(subscriber.id),
    randomId("msg"),
    1,
  );
  return {
    ok: result.ok,
    status: result.status === 0 ? null : result.status,
    latency_ms: result.latencyMs,
    error: result.error ?? null,
  };
}
