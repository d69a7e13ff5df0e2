import { OpenAPIHono, z } from "@hono/zod-openapi";
import { renderFeed } from "../alerts/feed.ts";
import { requireScope, subscriberInScope } from "../auth.ts";
import { stripDeliveryState } from "../delivery/queue.ts";
import type { AppEnv } from "../env.ts";
import { AlertStore } from "../store/alerts.ts";
import { validate } from "../validate.ts";
import { describeRoute } from "./openapi.ts";

export const feed = new OpenAPIHono<AppEnv>();

const FeedQuery = z.object({
  format: z.enum(["json", "atom", "rss"]).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
  cursor: z.string().max(2048).optional(),
  since: z
    .string()
    .refine((s) => !Number.isNaN(Date.parse(s)), "not a parseable date")
    .optional(),
  subscriber_id: z.string().max(64).optional().openapi({ description: "Admin only" }),
});

describeRoute(feed, "get", "/", {
  summary: "The subscriber's alerts, newest first: JSON Feed 1.1, Atom or RSS 2.0",
  tag: "alerts",
  scopes: ["subscriber", "admin (with subscriber_id)"],
  query: FeedQuery,
  ok: {
    status: 200,
    description: "A page of the feed; follow next_url / rel=next for older alerts",
    contentType: "application/feed+json",
    schema: z.object({}).passthrough(),
  },
  errors: [422],
});
feed.get("/", requireScope("subscriber", "admin"), async (c) => {
  const caller = c.get("caller");
  const q = validate(FeedQuery, c.req.query());
  const subscriberId = subscriberInScope(caller, q.subscriber_id);
  const limit = q.limit ?? 50;
  const page = await new AlertStore(c.env.KV).feedPage(subscriberId, limit, q.cursor);
  const since = q.since ? Date.parse(q.since) : null;
  const alerts = page.items.filter((a) => since === null || Date.parse(a.created_at) >= since);
  // Newest first: once an item is older than `since`, later pages are older still.
  const next = alerts.length < page.items.length ? null : page.next;

  const self = new URL(c.req.url);
  const nextUrl = next ? new URL(self) : null;
  nextUrl?.searchParams.set("cursor", next as string);
  const { body, contentType } = renderFeed(q.format ?? "json", {
    alerts: alerts.map(stripDeliveryState),
    selfUrl: self.toString(),
    nextUrl: nextUrl?.toString() ?? null,
  });
  return c.body(body, 200, { "content-type": contentType });
});
