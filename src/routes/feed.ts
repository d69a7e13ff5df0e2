import { OpenAPIHono, z } from "@hono/zod-openapi";
import { renderFeed } from "../alerts/feed.ts";
import type { AppEnv } from "../env.ts";
import { type LogPosition, toPublicAlert } from "../objects/subscriber-alerts.ts";
import { decodeCursor, encodeCursor, pageQuery } from "../paging.ts";
import { isoDateTimeMs } from "../schemas.ts";
import { validate } from "../validate.ts";
import { declareRoute } from "./openapi.ts";
import { ownSubscriber } from "./subscriber-scope.ts";

export const feed = new OpenAPIHono<AppEnv>();

const FeedQuery = z.object({
  format: z.enum(["json", "atom", "rss"]).optional(),
  order: z.enum(["newest", "oldest"]).optional().openapi({
    description:
      "newest (default): newest first, next pages older. oldest: the log from its start; the last page's next link is where new alerts will appear",
  }),
  ...pageQuery(100),
  since: z
    .string()
    .refine((s) => isoDateTimeMs(s) !== null, "not an ISO 8601 date or date-time")
    .optional(),
  subscriber_id: z.string().max(64).optional().openapi({ description: "Admin only" }),
});

/** A feed cursor: a position in the subscriber's log. */
const FeedCursor = z.union([
  z.strictObject({ before: z.number().int().min(0) }),
  z.strictObject({ after: z.number().int().min(0) }),
]);

declareRoute(feed, "get", "/", {
  summary: "The subscriber's alerts as an ordered log: JSON Feed 1.1, Atom or RSS 2.0",
  tag: "alerts",
  scopes: ["subscriber", "admin"],
  owner: "named",
  query: FeedQuery,
  ok: {
    status: 200,
    description:
      "A page of the feed; follow next_url / rel=next. Paging never skips or repeats an alert, even one created meanwhile",
    contentType: "application/feed+json",
    schema: z.object({}).passthrough(),
  },
  errors: [404, 422],
});
feed.get("/", async (c) => {
  const q = validate(FeedQuery, c.req.query());
  const { stub } = await ownSubscriber(c, q.subscriber_id);
  const cursor = decodeCursor(q.cursor, FeedCursor) as LogPosition | undefined;
  const position = cursor ?? (q.order === "oldest" ? { after: 0 } : undefined);
  const since = q.since ? (isoDateTimeMs(q.since) ?? undefined) : undefined;
  const page = await stub.feed(q.limit ?? 50, position, since);

  const self = new URL(c.req.url);
  const nextUrl = page.next ? new URL(self) : null;
  if (page.next) nextUrl?.searchParams.set("cursor", encodeCursor(page.next));
  const { body, contentType } = renderFeed(q.format ?? "json", {
    alerts: page.items.map(toPublicAlert),
    selfUrl: self.toString(),
    nextUrl: nextUrl?.toString() ?? null,
  });
  return c.body(body, 200, { "content-type": contentType });
});
