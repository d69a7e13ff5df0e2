import { OpenAPIHono, z } from "@hono/zod-openapi";
import { type FeedFormat, renderFeed } from "../alerts/feed.ts";
import type { AppBindings, AppEnv } from "../env.ts";
import { isoDateTimeMs } from "../input-checks.ts";
import { type LogPosition, subscriberAlerts, toPublicAlert } from "../objects/subscriber-alerts.ts";
import { decodeCursor, encodeCursor, pageQuery } from "../paging.ts";
import { AdminSubscriberId } from "../schemas.ts";
import { declaredQuery, declareRoute } from "./openapi.ts";
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
  subscriber_id: AdminSubscriberId,
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
  const q = declaredQuery(c, FeedQuery);
  const { id } = await ownSubscriber(c, q.subscriber_id);
  const { body, contentType } = await feedPage(c.env, id, q.format ?? "json", q, c.req.url);
  return c.body(body, 200, { "content-type": contentType });
});

/** Paging parameters of every feed URL (`/v1/feed` and `/feeds/{key}.…`). */
export const FeedPaging = FeedQuery.pick({ order: true, limit: true, cursor: true, since: true });

/**
 * One page of a subscriber's feed in a format, with its self and next links built from
 * the request URL: the one renderer behind `/v1/feed` and the feed-key URLs.
 */
export async function feedPage(
  env: AppBindings,
  subscriberId: string,
  format: FeedFormat,
  q: z.infer<typeof FeedPaging>,
  requestUrl: string,
) {
  const cursor = decodeCursor(q.cursor, FeedCursor) as LogPosition | undefined;
  const position = cursor ?? (q.order === "oldest" ? { after: 0 } : undefined);
  const since = q.since ? (isoDateTimeMs(q.since) ?? undefined) : undefined;
  const page = await subscriberAlerts(env, subscriberId).feed(q.limit ?? 50, position, since);
  const self = new URL(requestUrl);
  const nextUrl = page.next ? new URL(self) : null;
  if (page.next) nextUrl?.searchParams.set("cursor", encodeCursor(page.next));
  return renderFeed(format, {
    alerts: page.items.map(toPublicAlert),
    selfUrl: self.toString(),
    nextUrl: nextUrl?.toString() ?? null,
  });
}
