/**
 * Feed keys: read-only secrets in a feed URL (`GET /feeds/{key}.atom`) for feed readers,
 * which send no `Authorization` header. A key is `wbf_` + 32 base64url characters (24
 * random bytes), shown once; only its SHA-256 is stored, like bearer tokens, and a lookup
 * hashes the presented key. Pure helpers; the store keeps `hash -> {id, subscriber_id}`.
 */

import { newToken, sha256Hex } from "../crypto.ts";
import { FEED_CONTENT_TYPES, type FeedFormat } from "./feed.ts";

/** Prefix of every feed key (tells it apart from bearer tokens in logs and secret scanners). */
export const FEED_KEY_PREFIX = "wbf_";

const FEED_KEY_RE = /^wbf_[A-Za-z0-9_-]{32}$/;

/** A new feed key: `wbf_` + base64url of 24 random bytes. */
export function newFeedKey(): string {
  return newToken("wbf");
}

/** True when `s` has the shape of a feed key (checked before any lookup). */
export function isFeedKey(s: string): boolean {
  return FEED_KEY_RE.test(s);
}

/** What is stored for a key: its SHA-256, hex. */
export function hashFeedKey(key: string): Promise<string> {
  return sha256Hex(key);
}

/**
 * The key and format of a `/feeds/{key}.{json|atom|rss}` path segment (`"wbf_….atom"`), or
 * null when it is not one (answer 404 without a lookup).
 */
export function parseFeedFile(file: string): { key: string; format: FeedFormat } | null {
  // a key has no dot, so the last one separates the format
  const dot = file.lastIndexOf(".");
  const key = file.slice(0, dot);
  const format = file.slice(dot + 1);
  if (dot < 0 || !isFeedKey(key) || !Object.hasOwn(FEED_CONTENT_TYPES, format)) return null;
  return { key, format: format as FeedFormat };
}

/** The three feed URLs of a key, for the `POST /v1/feed-keys` answer. */
export function feedKeyUrls(origin: string, key: string): Record<FeedFormat, string> {
  const base = origin.replace(/\/+$/, "");
  return {
    json: `${base}/feeds/${key}.json`,
    atom: `${base}/feeds/${key}.atom`,
    rss: `${base}/feeds/${key}.rss`,
  };
}
