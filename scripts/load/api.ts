/**
 * A small client of the wirebrief HTTP API for setup and checks (never for the load
 * itself, which autocannon drives). Only ever talks to the service on 127.0.0.1.
 */

export class ApiError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export class Api {
  readonly base: () => string;
  constructor(base: () => string) {
    this.base = base;
  }

  /** One request; JSON body in, parsed JSON (or text) out. Throws ApiError on non-2xx. */
  async call<T = unknown>(
    method: string,
    path: string,
    token: string | null,
    body?: unknown,
    timeoutMs = 30_000,
  ): Promise<{ status: number; body: T }> {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers["content-type"] = "application/json";
    const res = await fetch(`${this.base()}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON
    }
    if (!res.ok)
      throw new ApiError(res.status, `${method} ${path}: ${res.status} ${text.slice(0, 200)}`);
    return { status: res.status, body: parsed as T };
  }

  /** Like {@link call} but returns the status instead of throwing (socket errors give 0). */
  async status<T = unknown>(
    method: string,
    path: string,
    token: string | null,
    body?: unknown,
    timeoutMs = 30_000,
  ): Promise<{ status: number; body: T | null }> {
    try {
      return await this.call<T>(method, path, token, body, timeoutMs);
    } catch (e) {
      return { status: e instanceof ApiError ? e.status : 0, body: null };
    }
  }
}

/** Runs `fn` over `items` with at most `limit` in flight. */
export async function pool<T, R>(items: readonly T[], limit: number, fn: (x: T) => Promise<R>) {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** A feed item as the JSON Feed carries it (the fields the checks need). */
export interface FeedAlert {
  id: string;
  date_published: string;
  _wirebrief: {
    subscriber_id: string;
    watchlist_id: string;
    article_id: string;
    cluster_id: string;
    status: string;
    also_reported: { article_id: string }[];
  };
}

/**
 * Every alert of a subscriber's feed, paged through `next_url` (newest first), with the
 * number of pages and how many times an id came back on a later page.
 */
export async function readWholeFeed(
  api: Api,
  token: string,
  maxPages = 1000,
): Promise<{ items: FeedAlert[]; pages: number; repeated: number; truncated: boolean }> {
  const items: FeedAlert[] = [];
  const seen = new Set<string>();
  let repeated = 0;
  let path: string | null = "/v1/feed?limit=100";
  let pages = 0;
  while (path && pages < maxPages) {
    const page: { body: { items: FeedAlert[]; next_url?: string } } = await api.call<{
      items: FeedAlert[];
      next_url?: string;
    }>("GET", path, token);
    const body = page.body;
    pages++;
    for (const it of body.items) {
      if (seen.has(it.id)) repeated++;
      else {
        seen.add(it.id);
        items.push(it);
      }
    }
    if (body.next_url) {
      const u: URL = new URL(body.next_url);
      path = `${u.pathname}${u.search}`;
    } else path = null;
  }
  return { items, pages, repeated, truncated: path !== null };
}
