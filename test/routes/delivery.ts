import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, vi } from "vitest";
import type { SubscriberAlerts } from "../../src/objects/subscriber-alerts.ts";
import { call } from "./helpers.ts";

export interface Received {
  url: string;
  headers: Record<string, string>;
  body: string;
}

type Answer = (req: Request) => Response | Promise<Response>;

/**
 * A fake receiver for every outbound fetch (the subscribers' objects run in the test's
 * isolate): answers each delivery with the next scripted answer, or `fallback` when the
 * script is used up, and records what it got.
 */
export function receiver(script: Answer[], fallback?: Answer) {
  const received: Received[] = [];
  vi.stubGlobal("fetch", async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = new Request(input, init);
    received.push({
      url: req.url,
      headers: Object.fromEntries(req.headers),
      body: await req.clone().text(),
    });
    const next = script.shift() ?? fallback;
    if (!next) throw new Error("unexpected delivery");
    return next(req);
  });
  return received;
}

/** An answer that never comes, until the request's own timeout aborts it. */
export const hang: Answer = (req) =>
  new Promise((_, reject) =>
    req.signal.addEventListener("abort", () =>
      reject(new DOMException("timed out", "TimeoutError")),
    ),
  );

export const alertsObject = (subscriberId: string) => env.SUBSCRIBER_ALERTS.getByName(subscriberId);

/** Runs the subscriber's due deliveries as if `aheadMs` had passed (retries are minutes apart). */
export function runDue(subscriberId: string, aheadMs = 0) {
  return runInDurableObject(alertsObject(subscriberId), (o: SubscriberAlerts) =>
    o.deliverDue(Date.now() + aheadMs),
  );
}

export const alertOf = async (id: string, token: string) =>
  (await call("GET", `/v1/alerts/${id}`, { token })).data;

export interface FeedItem {
  id: string;
  _wirebrief: {
    article_id: string;
    watchlist_name: string;
    also_reported: { article_id: string }[];
    status: string;
  };
}

export async function feedItems(token: string, query = ""): Promise<FeedItem[]> {
  const res = await call("GET", `/v1/feed${query}`, { token });
  if (res.status !== 200) throw new Error(`feed: ${res.status} ${res.text}`);
  return res.data.items;
}

/** The path and query of a feed's `next_url`. */
function pathOf(nextUrl: string): string {
  const next = new URL(nextUrl);
  return next.pathname + next.search;
}

/** Every page of a feed from `start` (a path), following next_url to the last (at most `maxPages`). */
export async function feedPages(token: string, start: string, maxPages = 100) {
  const pages: Awaited<ReturnType<typeof call>>[] = [];
  for (let url: string | null = start; url && pages.length < maxPages; ) {
    const res = await call("GET", url, { token });
    pages.push(res);
    url = res.status === 200 && res.data.next_url ? pathOf(res.data.next_url) : null;
  }
  return pages;
}

/**
 * Follows a feed's next_url links from `start` until a page comes back empty (or
 * `maxPages`); `resume` is where to read from next time.
 */
export async function followFeed(token: string, start: string, maxPages = 1000) {
  const ids: string[] = [];
  let url = start;
  for (let n = 0; n < maxPages; n++) {
    const res = await call("GET", url, { token });
    if (res.status !== 200) throw new Error(`feed: ${res.status} ${res.text}`);
    const items = res.data.items as FeedItem[];
    if (items.length === 0 || !res.data.next_url) break;
    ids.push(...items.map((i) => i.id));
    url = pathOf(res.data.next_url);
  }
  return { ids, resume: url };
}

/**
 * For a test file: every outbound fetch meets a quiet receiver (alarms of earlier tests may
 * still fire, never onto the network), and the subscribers pushed on the returned list are
 * deleted after each test, so each test sees only its own watchlists.
 */
export function isolateDeliveries(): string[] {
  const created: string[] = [];
  const quiet = () => receiver([], () => new Response(null, { status: 204 }));
  beforeEach(quiet);
  afterEach(async () => {
    quiet();
    vi.restoreAllMocks();
    for (const id of created.splice(0)) await call("DELETE", `/v1/subscribers/${id}`);
  });
  return created;
}
