import { OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { requireScope } from "../auth.ts";
import type { AppEnv } from "../env.ts";
import { ApiError } from "../errors.ts";
import { subscriberAlerts, toPublicAlert } from "../objects/subscriber-alerts.ts";
import { decodeCursor, encodeCursor, pageQuery } from "../paging.ts";
import { validate } from "../validate.ts";
import { describeRoute, IdParam } from "./openapi.ts";
import { ownSubscriber } from "./subscriber-scope.ts";

export const deliveries = new OpenAPIHono<AppEnv>();
deliveries.use("*", requireScope("subscriber", "admin"));

const DeliveryQuery = z.object({
  ...pageQuery(1000),
  subscriber_id: z.string().max(64).optional().openapi({ description: "Admin only" }),
});
const DeliveryCursor = z.strictObject({ before: z.number().int().min(0) });
const DeliveryEntry = z
  .object({
    id: z.string(),
    alert_id: z.string().nullable(),
    subscriber_id: z.string(),
    kind: z.enum(["alert", "digest", "ping"]),
    channel_id: z.string().nullable().optional(),
    channel_type: z.enum(["webhook", "slack", "discord", "teams"]).nullable().optional(),
    digest_id: z.string().nullable().optional(),
    attempt: z.number().int(),
    status: z.number().int(),
    ok: z.boolean(),
    latency_ms: z.number(),
    error: z.string().nullable(),
    at: z.string(),
  })
  .openapi("DeliveryAttempt");

describeRoute(deliveries, "get", "/", {
  summary:
    "The delivery log: every attempt to every channel (alerts, digests, tests), newest first",
  tag: "alerts",
  scopes: ["subscriber", "admin (with subscriber_id)"],
  query: DeliveryQuery,
  ok: {
    status: 200,
    schema: z.object({ items: z.array(DeliveryEntry), next_cursor: z.string().nullable() }),
    description: "A page of attempts",
  },
  errors: [404, 422],
});
deliveries.get("/", async (c) => {
  const q = validate(DeliveryQuery, c.req.query());
  const { stub } = await ownSubscriber(c, q.subscriber_id);
  const before = decodeCursor(q.cursor, DeliveryCursor)?.before;
  const page = await stub.deliveries(q.limit ?? 100, before);
  return c.json({ items: page.items, next_cursor: page.next ? encodeCursor(page.next) : null });
});

export const alertsRoute = new OpenAPIHono<AppEnv>();
alertsRoute.use("*", requireScope("subscriber", "admin"));

/**
 * Alert ids carry no owner, so the caller's own object is asked (admins name the owner
 * with `subscriber_id`); another subscriber's alert is simply not there: 404 either way.
 */
function alertOwner(c: Context<AppEnv>) {
  const caller = c.get("caller");
  const owner = caller.scope === "admin" ? c.req.query("subscriber_id") : caller.subscriberId;
  if (!owner) {
    throw new ApiError("validation_failed", "subscriber_id is required for admin", [
      { field: "subscriber_id", message: "required for admin tokens" },
    ]);
  }
  return subscriberAlerts(c.env, owner);
}

const notFound = (id: string) => new ApiError("not_found", `no alert ${id}`);

describeRoute(alertsRoute, "get", "/{id}", {
  summary: "One alert with its delivery state",
  tag: "alerts",
  scopes: ["subscriber", "admin (with subscriber_id)"],
  params: IdParam,
  ok: { status: 200, description: "The alert", schema: z.object({}).passthrough() },
  errors: [404, 422],
});
alertsRoute.get("/:id", async (c) => {
  const alert = await alertOwner(c).getAlert(c.req.param("id"));
  if (!alert) throw notFound(c.req.param("id"));
  return c.json(alert);
});

describeRoute(alertsRoute, "post", "/{id}/redeliver", {
  summary:
    "Send one alert again (same webhook-id) from a fresh retry schedule; a pending retry is moved to now, never doubled",
  tag: "alerts",
  scopes: ["subscriber", "admin (with subscriber_id)"],
  params: IdParam,
  ok: {
    status: 202,
    description: "Queued",
    schema: z.object({ alert_id: z.string(), status: z.string() }),
  },
  errors: [404, 422],
});
alertsRoute.post("/:id/redeliver", async (c) => {
  const id = c.req.param("id");
  const result = await alertOwner(c).redeliver(id);
  if (!result.ok) {
    if (result.reason === "not_found") throw notFound(id);
    throw new ApiError(
      "validation_failed",
      result.reason === "no_webhook"
        ? "this alert's watchlist has no channel to send to"
        : "its channels are disabled; set a channel's URL again to re-enable it",
      [{ field: "webhook_url", message: result.reason === "no_webhook" ? "not set" : "disabled" }],
    );
  }
  return c.json({ alert_id: id, status: "queued", alert: toPublicAlert(result.alert) }, 202);
});
