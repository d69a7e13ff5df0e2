import { createApp } from "./app.ts";
import type { AppBindings } from "./env.ts";

const app = createApp();

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<AppBindings>;
