import { createApp } from "./app.ts";
import type { AppBindings } from "./env.ts";
import { type FanoutMessage, handleFanoutBatch } from "./ingest/fanout.ts";

export { StoryIndex } from "./objects/story-index.ts";
export { SubscriberAlerts } from "./objects/subscriber-alerts.ts";
export { WatchIndexBuilder } from "./objects/watch-index.ts";

const app = createApp();

export default {
  fetch: app.fetch,
  queue: (batch, env) => handleFanoutBatch(batch as MessageBatch<FanoutMessage>, env),
} satisfies ExportedHandler<AppBindings, FanoutMessage>;
