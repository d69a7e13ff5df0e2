import type { AppBindings } from "../env.ts";
import { type AlertDraft, subscriberAlerts } from "../objects/subscriber-alerts.ts";

/** A queued hand-over of one subscriber's alert drafts (a large fan-out goes this way). */
export interface FanoutMessage {
  subscriber_id: string;
  drafts: AlertDraft[];
  /** When the article was ingested (epoch ms): the alerts' time, whenever they are recorded. */
  at: number;
}

/** Queue limits: 128 KB a message, 256 KB and 100 messages a batch (with headroom). */
const MAX_MESSAGE_BYTES = 120_000;
const MAX_BATCH_BYTES = 240_000;
const MAX_BATCH_MESSAGES = 100;

const size = (m: unknown) => new TextEncoder().encode(JSON.stringify(m)).length;

/** Splits messages to fit the queue: one draft per message when needed, hits trimmed last. */
function fitMessages(messages: FanoutMessage[]): FanoutMessage[] {
  return messages.flatMap((m) => {
    if (size(m) <= MAX_MESSAGE_BYTES) return [m];
    return m.drafts.map((d) => {
      const single = { ...m, drafts: [d] };
      while (
        size(single) > MAX_MESSAGE_BYTES &&
        single.drafts[0]?.matches.some((q) => q.hits.length > 1)
      ) {
        const draft = single.drafts[0] as AlertDraft;
        single.drafts = [
          {
            ...draft,
            matches: draft.matches.map((q) => ({
              ...q,
              hits: q.hits.slice(0, Math.ceil(q.hits.length / 2)),
            })),
          },
        ];
      }
      return single;
    });
  });
}

/** Sends the messages in as few queue batches as the limits allow. */
export async function sendFanout(env: AppBindings, messages: FanoutMessage[]): Promise<void> {
  let batch: MessageSendRequest<FanoutMessage>[] = [];
  let bytes = 0;
  for (const body of fitMessages(messages)) {
    const n = size(body);
    if (batch.length && (batch.length === MAX_BATCH_MESSAGES || bytes + n > MAX_BATCH_BYTES)) {
      await env.FANOUT_QUEUE.sendBatch(batch);
      batch = [];
      bytes = 0;
    }
    batch.push({ body });
    bytes += n;
  }
  if (batch.length) await env.FANOUT_QUEUE.sendBatch(batch);
}

/** Tells one subscriber's object about its alerts. */
export function recordAlerts(env: AppBindings, m: FanoutMessage) {
  return subscriberAlerts(env, m.subscriber_id).recordAlerts(m.drafts, m.at);
}

export const FANOUT_DLQ_NAME = "wirebrief-fanout-dlq";
/** A hand-over that kept failing waits this long in the dead-letter queue's re-send. */
const DEAD_LETTER_RETRY_SECONDS = 3600;

/**
 * Queue consumer. Main queue: record each message's alerts (a failure is retried by the
 * queue). Dead-letter queue: nothing may be lost, so the message goes back to the main
 * queue after an hour, and the failure is logged for the operator.
 */
export async function handleFanoutBatch(batch: MessageBatch<FanoutMessage>, env: AppBindings) {
  for (const message of batch.messages) {
    try {
      if (batch.queue === FANOUT_DLQ_NAME) {
        console.error(
          "alert hand-over dead-lettered; re-sending in 1 h",
          message.body.subscriber_id,
        );
        await env.FANOUT_QUEUE.send(message.body, { delaySeconds: DEAD_LETTER_RETRY_SECONDS });
      } else {
        await recordAlerts(env, message.body);
      }
      message.ack();
    } catch (e) {
      console.error("alert hand-over failed:", e instanceof Error ? e.message : "unknown");
      message.retry();
    }
  }
}
