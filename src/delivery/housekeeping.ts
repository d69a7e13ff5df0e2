import { shouldDisableEndpoint } from "../alerts/retry.ts";
import type { AppBindings } from "../env.ts";
import { SubscriberStore } from "../store/subscribers.ts";

/**
 * The cron's work: disable webhook endpoints that have failed for 5 days in a row even
 * when no new delivery comes along to notice. Returns how many were disabled.
 */
export async function housekeeping(env: AppBindings, now = Date.now()): Promise<number> {
  const store = new SubscriberStore(env.KV);
  let disabled = 0;
  let cursor: string | undefined;
  do {
    const page = await store.list(1000, cursor);
    for (const s of page.items) {
      if (
        s.webhook_status === "active" &&
        s.failing_since &&
        shouldDisableEndpoint(Date.parse(s.failing_since), now)
      ) {
        s.webhook_status = "disabled";
        s.webhook_disabled_reason = "failing for 5 days";
        s.updated_at = new Date(now).toISOString();
        await store.put(s);
        disabled++;
      }
    }
    cursor = page.cursor ?? undefined;
  } while (cursor);
  return disabled;
}
