import { OpenAPIHono, z } from "@hono/zod-openapi";
import { feedKeyUrls, hashFeedKey, newFeedKey, parseFeedFile } from "../alerts/feed-keys.ts";
import { randomId } from "../crypto.ts";
import type { AppEnv } from "../env.ts";
import { ApiError } from "../errors.ts";
import { AdminQuery, FeedKey, FeedKeyInput, MAX_FEED_KEYS } from "../schemas.ts";
import { FeedKeyStore, publicFeedKey } from "../store/feed-keys.ts";
import { readJson, validate } from "../validate.ts";
import { FeedPaging, feedPage } from "./feed.ts";
import { declaredQuery, declareRoute, IdParam } from "./openapi.ts";
import { ownSubscriber } from "./subscriber-scope.ts";

export const feedKeys = new OpenAPIHono<AppEnv>();

const Urls = z.object({ json: z.string(), atom: z.string(), rss: z.string() });
const Created = FeedKey.extend({
  key: z.string().openapi({ description: "The read-only key, shown once" }),
  urls: Urls.openapi({ description: "The feed in each format; no header needed" }),
  url: z.string().openapi({ description: "The Atom URL, for a feed reader" }),
});

declareRoute(feedKeys, "post", "/", {
  summary: `A read-only feed key (shown once) and its feed URLs (at most ${MAX_FEED_KEYS} per subscriber)`,
  tag: "alerts",
  scopes: ["subscriber", "admin"],
  owner: "named",
  body: { schema: FeedKeyInput },
  ok: { status: 201, schema: Created, description: "Created; the key is not shown again" },
  errors: [400, 404, 415, 422],
});
feedKeys.post("/", async (c) => {
  const input = validate(FeedKeyInput, await readJson(c));
  const { id: owner } = await ownSubscriber(c, input.subscriber_id);
  const store = new FeedKeyStore(c.env.KV);
  if ((await store.list(owner)).length >= MAX_FEED_KEYS) {
    throw new ApiError(
      "quota_exceeded",
      `a subscriber has at most ${MAX_FEED_KEYS} feed keys; revoke one first`,
    );
  }
  const key = newFeedKey();
  const record = {
    id: randomId("fk"),
    subscriber_id: owner,
    name: input.name ?? null,
    hint: `${key.slice(0, 8)}…`,
    created_at: new Date().toISOString(),
    hash: await hashFeedKey(key),
  };
  await store.put(record);
  const urls = feedKeyUrls(new URL(c.req.url).origin, key);
  c.header("location", `/v1/feed-keys/${record.id}`);
  c.header("cache-control", "no-store");
  return c.json({ ...publicFeedKey(record), key, urls, url: urls.atom }, 201);
});

declareRoute(feedKeys, "get", "/", {
  summary: "The subscriber's feed keys (never the keys themselves)",
  tag: "alerts",
  scopes: ["subscriber", "admin"],
  owner: "named",
  query: AdminQuery,
  ok: { status: 200, schema: z.object({ items: z.array(FeedKey) }), description: "Feed keys" },
  errors: [404, 422],
});
feedKeys.get("/", async (c) => {
  const q = declaredQuery(c, AdminQuery);
  const { id: owner } = await ownSubscriber(c, q.subscriber_id);
  const items = await new FeedKeyStore(c.env.KV).list(owner);
  items.sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id));
  return c.json({ items: items.map(publicFeedKey) });
});

declareRoute(feedKeys, "delete", "/{id}", {
  summary: "Revoke a feed key: its URLs answer 404 (everywhere within about a minute)",
  tag: "alerts",
  scopes: ["subscriber", "admin"],
  owner: "named",
  params: IdParam,
  query: AdminQuery,
  ok: { status: 204, description: "Revoked" },
  errors: [404, 422],
});
feedKeys.delete("/:id", async (c) => {
  const { id: owner } = await ownSubscriber(c, c.req.query("subscriber_id"));
  const store = new FeedKeyStore(c.env.KV);
  const record = await store.get(owner, c.req.param("id"));
  if (!record) throw new ApiError("not_found", `no feed key ${c.req.param("id")}`);
  await store.delete(record);
  return c.body(null, 204);
});

/** `GET /feeds/{key}.json|.atom|.rss`: the key is the credential; no header needed. */
export const publicFeeds = new OpenAPIHono<AppEnv>();

const FileParam = z.object({
  file: z.string().openapi({ param: { name: "file", in: "path" }, example: "wbf_….atom" }),
});

declareRoute(publicFeeds, "get", "/{file}", {
  summary: "A subscriber's feed by feed key, for feed readers: {key}.json, {key}.atom or {key}.rss",
  tag: "alerts",
  scopes: "none",
  params: FileParam,
  query: FeedPaging,
  ok: {
    status: 200,
    description: "The same feed as /v1/feed; an unknown or revoked key is 404",
    contentType: "application/atom+xml",
    schema: z.string(),
  },
  errors: [404, 422],
});
publicFeeds.get("/:file", async (c) => {
  const parsed = parseFeedFile(c.req.param("file"));
  const grant = parsed
    ? await new FeedKeyStore(c.env.KV).lookup(await hashFeedKey(parsed.key))
    : null;
  if (!parsed || !grant) throw new ApiError("not_found", "no such feed");
  const q = declaredQuery(c, FeedPaging);
  const { body, contentType } = await feedPage(
    c.env,
    grant.subscriber_id,
    parsed.format,
    q,
    c.req.url,
  );
  return c.body(body, 200, {
    "content-type": contentType,
    "cache-control": "private, max-age=60",
    "referrer-policy": "no-referrer",
    "x-robots-tag": "noindex",
  });
});
