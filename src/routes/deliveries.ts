import { OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { CHANNEL_TYPES } from "../alerts/channels/types.ts";
import type { AppEnv } from "../env.ts";
import { ApiError } from "../errors.ts";
import { subscriberAlerts, toPublicAlert } from "../objects/subscriber-alerts.ts";
import { decodeCursor, pageOf, pageQuery } from "../paging.ts";
import { AdminSubscriberId } from "../schemas.ts";
import { declaredQuery, declareRoute, IdParam } from "./openapi.ts";
import { ownSubscriber } from "./subscriber-scope.ts";

export const deliveries = new OpenAPIHono<AppEnv>();

const DeliveryQuery = z.object({
  ...pageQuery(1000),
  subscriber_id: AdminSubscriberId,
});
const DeliveryCursor = z.strictObject({ before: z.number().int().min(0) });
const DeliveryEntry = z
  .object({
    id: z.string(),
    alert_id: z.string().nullable(),
    subscriber_id: z.string(),
    kind: z.enum(["alert", "digest", "ping"]),
    channel_id: z.string().nullable(),
    channel_type: z.enum(CHANNEL_TYPES).nullable(),
    digest_id: z.string().nullable(),
    attempt: z.number().int(),
    status: z.number().int(),
    ok: z.boolean(),
    latency_ms: z.number(),
    error: z.string().nullable(),
    at: z.string(),
  })
  .openapi("DeliveryAttempt");

declareRoute(deliveries, "get", "/", {
  summary:
    "The delivery log: every attempt to every channel (alerts, digests, tests), newest first",
  tag: "alerts",
  scopes: ["subscriber", "admin"],
  owner: "named",
  query: DeliveryQuery,
  ok: {
    status: 200,
    schema: z.object({ items: z.array(DeliveryEntry), next_cursor: z.string().nullable() }),
    description: "A page of attempts",
  },
  errors: [404, 422],
});
deliveries.get("/", async (c) => {
  const q = declaredQuery(c, DeliveryQuery);
  const { stub } = await ownSubscriber(c, q.subscriber_id);
  const before = decodeCursor(q.cursor, DeliveryCursor)?.before;
  const page = await stub.deliveries(q.limit ?? 100, before);
  return c.json(pageOf(page.items, page.next));
});

export const alertsRoute = new OpenAPIHono<AppEnv>();

/**
 * Alert ids carry no owner, so the caller's own object is asked (admins name the owner
 * with `subscriber_id`, which must exist: no object is made for a name nobody has);
 * another subscriber's alert is simply not there: 404 either way.
 */
async function alertOwner(c: Context<AppEnv>) {
  const caller = c.get("caller");
  // Wrapped in an object: an RPC stub is never the value a promise resolves to.
  if (caller.scope === "admin") return ownSubscriber(c, c.req.query("subscriber_id"));
  return { stub: subscriberAlerts(c.env, caller.subscriberId as string) };
}

const notFound = (id: string) => new ApiError("not_found", `no alert ${id}`);

const AlertQuery = z.object({
  subscriber_id: AdminSubscriberId,
});

declareRoute(alertsRoute, "get", "/{id}", {
  summary: "One alert with its delivery state",
  tag: "alerts",
  scopes: ["subscriber", "admin"],
  owner: "named",
  params: IdParam,
  query: AlertQuery,
  ok: { status: 200, description: "The alert", schema: z.object({}).passthrough() },
  errors: [404, 422],
});
alertsRoute.get("/:id", async (c) => {
  const alert = await (await alertOwner(c)).stub.getAlert(c.req.param("id"));
  if (!alert) throw notFound(c.req.param("id"));
  return c.json(alert);
});

declareRoute(alertsRoute, "post", "/{id}/redeliver", {
  summary:
    "Send one alert again (same webhook-id) from a fresh retry schedule; a pending retry is moved to now, never doubled",
  tag: "alerts",
  scopes: ["subscriber", "admin"],
  owner: "named",
  params: IdParam,
  query: AlertQuery,
  ok: {
    status: 202,
    description: "Queued",
    schema: z.object({ alert_id: z.string(), status: z.string() }),
  },
  errors: [404, 422],
});
alertsRoute.post("/:id/redeliver", async (c) => {
  const id = c.req.param("id");
  const result = await (await alertOwner(c)).stub.redeliver(id);
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
