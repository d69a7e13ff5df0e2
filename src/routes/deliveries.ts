import { OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { assertSubscriberAccess, requireScope, subscriberInScope } from "../auth.ts";
import { enqueueDelivery, stripDeliveryState } from "../delivery/queue.ts";
import type { AppEnv } from "../env.ts";
import { ApiError } from "../errors.ts";
import { AlertStore } from "../store/alerts.ts";
import { validate } from "../validate.ts";
import { describeRoute, IdParam } from "./openapi.ts";

export const deliveries = new OpenAPIHono<AppEnv>();
deliveries.use("*", requireScope("subscriber", "admin"));

const DeliveryQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  cursor: z.string().max(2048).optional(),
  subscriber_id: z.string().max(64).optional().openapi({ description: "Admin only" }),
});
const DeliveryEntry = z
  .object({
    id: z.string(),
    alert_id: z.string().nullable(),
    subscriber_id: z.string(),
    kind: z.enum(["alert", "ping"]),
    attempt: z.number().int(),
    status: z.number().int(),
    ok: z.boolean(),
    latency_ms: z.number(),
    error: z.string().nullable(),
    at: z.string(),
  })
  .openapi("DeliveryAttempt");

describeRoute(deliveries, "get", "/", {
  summary: "The delivery log: every webhook attempt, newest first",
  tag: "alerts",
  scopes: ["subscriber", "admin (with subscriber_id)"],
  query: DeliveryQuery,
  ok: {
    status: 200,
    schema: z.object({ items: z.array(DeliveryEntry), next_cursor: z.string().nullable() }),
    description: "A page of attempts",
  },
  errors: [422],
});
deliveries.get("/", async (c) => {
  const caller = c.get("caller");
  const q = validate(DeliveryQuery, c.req.query());
  const subscriberId = subscriberInScope(caller, q.subscriber_id);
  const page = await new AlertStore(c.env.KV).deliveries(subscriberId, q.limit ?? 100, q.cursor);
  return c.json({ items: page.items, next_cursor: page.next });
});

export const alertsRoute = new OpenAPIHono<AppEnv>();
alertsRoute.use("*", requireScope("subscriber", "admin"));

async function ownedAlert(c: Context<AppEnv>, id: string) {
  const alert = await new AlertStore(c.env.KV).get(id);
  if (!alert) throw new ApiError("not_found", `no alert ${id}`);
  assertSubscriberAccess(c.get("caller"), alert.subscriber_id);
  return alert;
}

describeRoute(alertsRoute, "get", "/{id}", {
  summary: "One alert with its delivery state",
  tag: "alerts",
  scopes: ["subscriber", "admin"],
  params: IdParam,
  ok: { status: 200, description: "The alert", schema: z.object({}).passthrough() },
  errors: [404],
});
alertsRoute.get("/:id", async (c) => c.json(await ownedAlert(c, c.req.param("id"))));

describeRoute(alertsRoute, "post", "/{id}/redeliver", {
  summary: "Send one alert again (same webhook-id), starting a fresh retry schedule",
  tag: "alerts",
  scopes: ["subscriber", "admin"],
  params: IdParam,
  ok: {
    status: 202,
    description: "Queued",
    schema: z.object({ alert_id: z.string(), status: z.string() }),
  },
  errors: [404, 422],
});
alertsRoute.post("/:id/redeliver", async (c) => {
  const alert = await ownedAlert(c, c.req.param("id"));
  alert.status = "pending";
  alert.last_error = null;
  await new AlertStore(c.env.KV).put(alert);
  await enqueueDelivery(c.env, { alert_id: alert.id, attempt: 1, due_at: Date.now() });
  return c.json({ alert_id: alert.id, status: "queued", alert: stripDeliveryState(alert) }, 202);
});
