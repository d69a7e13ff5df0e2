/**
 * The zod schemas that both validate requests and generate the OpenAPI document.
 */
import { z } from "@hono/zod-openapi";
import { CHANNEL_TYPES } from "./alerts/channels/types.ts";
import { DELIVERY_MODES } from "./alerts/schedule.ts";
import { isoDateTimeMs } from "./input-checks.ts";
import type * as records from "./records.ts";

/** Channels per subscriber, the `webhook_url` one included (README, "Quotas"). */
export const MAX_CHANNELS = 10;
/** Feed keys per subscriber. */
export const MAX_FEED_KEYS = 10;

export const MAX_BATCH = 100;

/** `subscriber_id`: which subscriber an admin acts for (a subscriber's own token needs none). */
export const AdminSubscriberId = z
  .string()
  .max(64)
  .optional()
  .openapi({ description: "Admin only: the subscriber it is about" });
/** The query of a route whose only parameter is that. */
export const AdminQuery = z.object({ subscriber_id: AdminSubscriberId });

const isoDate = z
  .string()
  .max(64)
  .refine((s) => isoDateTimeMs(s) !== null, {
    message: "not an ISO 8601 date or date-time (e.g. 2021-01-26 or 2021-01-26T10:00:00Z)",
  })
  .openapi({ format: "date-time", example: "2021-01-26T10:00:00Z" });

export const ArticleInput = z
  .object({
    url: z
      .url({ protocol: /^https?$/ })
      .max(2048)
      .optional()
      .openapi({ example: "https://example.com/news/1" }),
    title: z.string().max(2000).optional(),
    text: z
      .string()
      .optional()
      .openapi({ description: "Plain text; one of text/html is required" }),
    html: z.string().optional().openapi({ description: "HTML; cleaned to text" }),
    lang: z
      .string()
      .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, "a BCP 47 language code such as ar or en")
      .optional(),
    published_at: isoDate.optional(),
    source: z
      .string()
      .max(253)
      .optional()
      .openapi({ description: "Publisher domain, e.g. xinhuanet.com" }),
  })
  .refine((a) => (a.text ?? "").trim() !== "" || (a.html ?? "").trim() !== "", {
    message: "one of text or html is required and must not be empty",
    path: ["text"],
  })
  .openapi("ArticleInput");
export type ArticleInput = z.infer<typeof ArticleInput>;

export const Dateline = z
  .object({
    place: z.string().nullable(),
    date: z.string().nullable(),
    agency: z.string().nullable(),
  })
  .openapi("Dateline");

const Hit = z
  .object({
    field: z.enum(["text", "title"]),
    start: z.number().int(),
    end: z.number().int(),
    text: z.string(),
    snippet: z.string(),
  })
  .openapi("Hit");

const ArticleMatch = z
  .object({
    watchlist_id: z.string(),
    query: z.string(),
    hits: z.array(Hit).openapi({ description: "The first 50 hits, title first" }),
    total: z.number().int().openapi({ description: "Every occurrence, also past the first 50" }),
  })
  .openapi("ArticleMatch");

export const ArticleResponse = z
  .object({
    id: z.string(),
    url: z.string().nullable(),
    title: z.string(),
    lang: z.string(),
    source: z.string().nullable(),
    published_at: z.string().nullable(),
    dateline: Dateline.nullable(),
    text: z.string(),
    summary: z.array(z.string()),
    keywords: z.array(z.string()),
    matches: z
      .array(ArticleMatch)
      .openapi({ description: "Only the caller's own watchlists (all for admin)" }),
    cluster_id: z.string(),
    duplicate_of: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("Article");

export const SummaryQuery = z
  .object({
    sentences: z.coerce.number().int().min(1).max(200).optional(),
    words: z.coerce.number().int().min(1).max(100_000).optional(),
    ratio: z.coerce.number().gt(0).max(1).optional(),
    format: z.enum(["json", "text"]).optional(),
  })
  .refine((q) => [q.sentences, q.words, q.ratio].filter((v) => v !== undefined).length <= 1, {
    message: "give at most one of sentences, words, ratio",
    path: ["sentences"],
  });

export const SummaryResponse = z
  .object({
    id: z.string().optional(),
    lang: z.string(),
    title: z.string(),
    dateline: Dateline.nullable(),
    summary: z.array(z.string()),
    keywords: z.array(z.string()),
    text: z.string().optional().openapi({ description: "The cleaned text (POST with watch only)" }),
    matches: z
      .array(z.object({ query: z.string(), hits: z.array(Hit) }))
      .optional()
      .openapi({
        description: "The watch queries that match, hits into text (POST with watch only)",
      }),
  })
  .openapi("Summary");

export const SummarizeInput = z
  .intersection(
    ArticleInput,
    z.object({
      sentences: z.number().int().min(1).max(200).optional(),
      words: z.number().int().min(1).max(100_000).optional(),
      ratio: z.number().gt(0).max(1).optional(),
      watch: z
        .array(z.string().max(2000))
        .max(100)
        .optional()
        .openapi({ description: "Watch queries to try on this text; nothing is stored" }),
    }),
  )
  .openapi("SummarizeInput");

const BatchItemResult = z
  .object({
    index: z.number().int(),
    status: z.number().int(),
    id: z.string().optional(),
    replayed: z.boolean().optional(),
    error: z.unknown().optional(),
  })
  .openapi("BatchItemResult");

export const BatchResult = z
  .object({
    items: z.array(BatchItemResult),
    created: z.number().int(),
    replayed: z.number().int(),
    failed: z.number().int(),
  })
  .openapi("BatchResult");

export const SubscriberInput = z
  .object({
    name: z.string().min(1).max(200),
    webhook_url: z.url().max(2048).nullable().optional(),
    email: z.email().max(320).nullable().optional(),
  })
  .openapi("SubscriberInput");

export const SubscriberPatch = SubscriberInput.partial().openapi("SubscriberPatch");

export const Subscriber = z
  .object({
    id: z.string(),
    name: z.string(),
    email: z.string().nullable(),
    webhook_url: z.string().nullable(),
    webhook_status: z.enum(["none", "active", "disabled"]),
    webhook_disabled_reason: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("Subscriber");

export const TokenInput = z.object({ name: z.string().min(1).max(200) }).openapi("TokenInput");
export const TokenInfo = z
  .object({ id: z.string(), name: z.string(), scope: z.literal("ingest"), created_at: z.string() })
  .openapi("IngestToken");

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string(),
    errors: z
      .array(z.object({ field: z.string(), message: z.string(), position: z.number().optional() }))
      .optional(),
  })
  .openapi("Problem");

const domain = z
  .string()
  .max(253)
  .regex(/^(?=.{1,253}$)([a-z0-9-]+\.)+[a-z]{2,}$/i, "a domain such as xinhuanet.com");
const langCode = z.string().regex(/^[a-z]{2,3}$/i, "a language code such as ar or en");

/** A watchlist's delivery; checked further (time zone, `at`, `weekday`) by `validateDelivery`. */
const DeliveryInput = z
  .looseObject({
    mode: z.enum(DELIVERY_MODES).optional(),
    at: z.string().max(5).optional().openapi({ description: 'Local time "HH:MM" (daily, weekly)' }),
    weekday: z
      .number()
      .int()
      .optional()
      .openapi({ description: "1 = Monday … 7 = Sunday (weekly)" }),
    timezone: z.string().max(64).optional().openapi({ description: "IANA name, default UTC" }),
  })
  .openapi("DeliveryInput");

const DeliveryOutput = z
  .object({
    mode: z.enum(DELIVERY_MODES),
    at: z.string().optional(),
    weekday: z.number().int().optional(),
    timezone: z.string(),
  })
  .openapi("Delivery");

export const WatchlistInput = z
  .object({
    name: z.string().min(1).max(200),
    queries: z.array(z.string().min(1).max(1000)).min(1).max(1000),
    langs: z.array(langCode).max(50).nullable().optional(),
    sources: z.array(domain).max(200).nullable().optional(),
    channels: z
      .array(z.string().min(1).max(64))
      .max(MAX_CHANNELS)
      .nullable()
      .optional()
      .openapi({ description: "Channel ids to push to; absent or null: all channels" }),
    delivery: DeliveryInput.nullable().optional().openapi({
      description: "instant (default), or an hourly, daily or weekly digest in a time zone",
    }),
    paused_until: z
      .string()
      .max(64)
      .nullable()
      .optional()
      .openapi({ description: "ISO date-time: until then alerts go to the feed only" }),
    subscriber_id: AdminSubscriberId,
  })
  .openapi("WatchlistInput");

export const WatchlistPatch = WatchlistInput.omit({ subscriber_id: true })
  .partial()
  .openapi("WatchlistPatch");

export const Watchlist = z
  .object({
    id: z.string(),
    subscriber_id: z.string(),
    name: z.string(),
    queries: z.array(z.string()),
    langs: z.array(z.string()).nullable(),
    sources: z.array(z.string()).nullable(),
    channels: z.array(z.string()).nullable(),
    delivery: DeliveryOutput,
    paused_until: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("Watchlist");

/** What a test delivery's endpoint answered (subscriber and channel test routes). */
export const TestDeliveryResult = z
  .object({
    ok: z.boolean(),
    status: z.number().int().nullable(),
    latency_ms: z.number(),
    error: z.string().nullable(),
  })
  .openapi("TestDeliveryResult");

/*
 * Compile-time checks: each output schema describes exactly the record it shows, so the
 * OpenAPI document cannot drift from the types the stores and objects hold.
 */
type Exactly<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
function agrees<_T extends true>(): void {}
agrees<Exactly<z.infer<typeof Hit>, records.Hit>>();
agrees<Exactly<z.infer<typeof Dateline>, records.Dateline>>();
agrees<
  Exactly<
    z.infer<typeof ArticleResponse>,
    Omit<records.ArticleRecord, "fingerprint" | "matches"> & {
      matches: Omit<records.ArticleMatch, "subscriber_id">[];
    }
  >
>();
// Push settings are optional in older records; the API shows them with their defaults.
agrees<Exactly<z.infer<typeof Watchlist>, Required<records.WatchlistRecord>>>();
agrees<
  Exactly<
    z.infer<typeof Subscriber>,
    Omit<
      records.SubscriberRecord,
      "token_hash" | "secret" | "previous_secret" | "previous_secret_expires_at"
    > &
      records.EndpointHealth
  >
>();
agrees<Exactly<z.infer<typeof TokenInfo>, Omit<records.IngestTokenInfo, "hash">>>();
export const ChannelInput = z
  .strictObject({
    type: z.enum(CHANNEL_TYPES),
    url: z.string().min(1).max(2048).openapi({
      description:
        "webhook: any public https URL; slack: hooks.slack.com/services/…; discord: discord.com/api/webhooks/…; teams: a Workflows webhook",
    }),
    name: z.string().min(1).max(100).nullable().optional(),
    subscriber_id: AdminSubscriberId,
  })
  .openapi("ChannelInput");

export const ChannelPatch = z
  .strictObject({
    name: z.string().min(1).max(100).nullable().optional(),
    url: z.string().min(1).max(2048).optional(),
  })
  .openapi("ChannelPatch");

export const Channel = z
  .object({
    id: z.string(),
    type: z.enum(CHANNEL_TYPES),
    name: z.string().nullable(),
    url: z.string().openapi({ description: "Chat URLs carry a secret: shown redacted (…)" }),
    primary: z.boolean().openapi({ description: "The subscriber's webhook_url" }),
    status: z.enum(["active", "disabled"]),
    disabled_reason: z.string().nullable(),
    failing_since: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("Channel");

export const FeedKeyInput = z
  .strictObject({
    name: z.string().min(1).max(100).nullable().optional(),
    subscriber_id: AdminSubscriberId,
  })
  .openapi("FeedKeyInput");

export const FeedKey = z
  .object({
    id: z.string(),
    subscriber_id: z.string(),
    name: z.string().nullable(),
    hint: z.string().openapi({ description: "The key's first characters" }),
    created_at: z.string(),
  })
  .openapi("FeedKey");
