import type { Context } from "hono";
import { subscriberInScope } from "../auth.ts";
import type { AppEnv } from "../env.ts";
import { ApiError } from "../errors.ts";
import { subscriberAlerts } from "../objects/subscriber-alerts.ts";
import { SubscriberStore } from "../store/subscribers.ts";

/**
 * The subscriber a subscriber-or-admin route is about, and its object. A subscriber's
 * own token proves it exists; an admin naming one that doesn't gets 404.
 */
export async function ownSubscriber(c: Context<AppEnv>, requested: string | undefined) {
  const caller = c.get("caller");
  const id = subscriberInScope(caller, requested);
  if (caller.scope === "admin" && !(await new SubscriberStore(c.env.KV).get(id))) {
    throw new ApiError("not_found", "no such subscriber");
  }
  return { id, stub: subscriberAlerts(c.env, id) };
}
