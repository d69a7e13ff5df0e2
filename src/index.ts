import { createApp } from "./app.ts";
import { housekeeping } from "./delivery/housekeeping.ts";
import { type DeliveryMessage, handleQueueBatch } from "./delivery/queue.ts";
import type { AppBindings } from "./env.ts";

const app = createApp();

export default {
  fetch: app.fetch,
  queue: (batch, env) => handleQueueBatch(batch as MessageBatch<DeliveryMessage>, env),
  scheduled: (_controller, env, ctx) => ctx.waitUntil(housekeeping(env)),
} satisfies ExportedHandler<AppBindings, DeliveryMessage>;
