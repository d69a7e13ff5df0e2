import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { Webhook } from "standardwebhooks";
import { describe, expect, it, vi } from "vitest";
import type { SubscriberAlerts } from "../../src/objects/subscriber-alerts.ts";
import {
  alertOf,
  alertsObject,
  type FeedItem,
  feedItems,
  feedPages,
  hang,
  isolateDeliveries,
  type Received,
  receiver,
  runDue,
} from "./delivery.ts";
import { call, createSubscriber, expectProblem, mintIngestToken } from "./helpers.ts";

const HOOK = "http://127.0.0.1:9/hook";
const MINUTE = 60_000;

const story = (n: number, extra = "") =>
  `MINSK, March ${n} (Xinhua) -- President Lukashenko met a trade delegation number ${n} on Tuesday${extra}. ` +
  `The talks covered potash exports number ${n}, rail freight and a new industrial park near the capital. ` +
  `Officials said agreements would be signed later this year.`;

/** Subscribers of the running test, deleted after it so each test sees only its own watchlists. */
const created = isolateDeliveries();

async function setup(webhook: string | null = HOOK, name = "monitor") {
  const sub = await createSubscriber({ name, ...(webhook ? { webhook_url: webhook } : {}) });
  created.push(sub.id);
  const wl = await call("POST", "/v1/watchlists", {
    token: sub.token,
    json: { name: "Belarus", queries: ["lukashenko"] },
  });
  const ingest = await mintIngestToken();
  return { sub, watchlistId: wl.data.id as string, ingest };
}

async function post(ingest: string, url: string, text: string) {
  return call("POST", "/v1/articles", { token: ingest, json: { url, text } });
}

describe("alerts: delivery from the subscriber's object", () => {
  it("a 500 then a 200 delivers once, with the same webhook-id, signed verifiably", async () => {
    const { sub, ingest } = await setup();
    const got = receiver([
      () => new Response("oops", { status: 500 }),
      () => new Response(null, { status: 204 }),
    ]);
    const article = await post(ingest, "https://wire.example.com/1", story(1));
    // The first attempt runs on the object's alarm, right after the alert is recorded.
    await vi.waitFor(() => expect(got).toHaveLength(1), { timeout: 10_000 });
    const [item] = await feedItems(sub.token);
    const alertId = item?.id as string;
    await vi.waitFor(async () =>
      expect(await alertOf(alertId, sub.token)).toMatchObject({ status: "pending", attempts: 1 }),
    );
    expect(await runDue(sub.id, 10 * MINUTE)).toBe(1);
    expect(await runDue(sub.id, 10 * MINUTE)).toBe(0);
    expect(got).toHaveLength(2);
    expect(got.map((r) => r.headers["webhook-id"])).toEqual([alertId, alertId]);

    const hook = new Webhook(sub.webhook_secret);
    for (const r of got) {
      const payload = hook.verify(r.body, r.headers) as {
        type: string;
        data: { id: string; article_id: string; matches: unknown[] };
      };
      expect(payload.type).toBe("alert.created");
      expect(payload.data).toMatchObject({ id: alertId, article_id: article.data.id });
      expect(payload.data.matches).toHaveLength(1);
    }
    expect(await alertOf(alertId, sub.token)).toMatchObject({ status: "delivered", attempts: 2 });
    const log = (await call("GET", "/v1/deliveries", { token: sub.token })).data.items;
    expect(log.map((d: { status: number }) => d.status)).toEqual([204, 500]);
    expect(log[1].error).toContain("500");
  });

  it("signatures verify with both secrets for a day after a rotation", async () => {
    const { sub, ingest } = await setup();
    const rotated = await call("POST", `/v1/subscribers/${sub.id}/rotate-secret`, {
      token: sub.token,
    });
    const got = receiver([() => new Response(null, { status: 200 })]);
    await post(ingest, "https://wire.example.com/rot", story(2));
    await vi.waitFor(() => expect(got).toHaveLength(1), { timeout: 10_000 });
    const r = got[0] as Received;
    expect(r.headers["webhook-signature"]?.split(" ")).toHaveLength(2);
    expect(() => new Webhook(sub.webhook_secret).verify(r.body, r.headers)).not.toThrow();
    expect(() => new Webhook(rotated.data.webhook_secret).verify(r.body, r.headers)).not.toThrow();
  });

  it("429 with Retry-After and a timeout are retried on schedule; 410 disables the endpoint", async () => {
    const { sub, ingest } = await setup();
    receiver([
      () => new Response("slow down", { status: 429, headers: { "retry-after": "120" } }),
      () =>
        Promise.reject(
          new DOMException("The operation was aborted due to timeout", "TimeoutError"),
        ),
      () => new Response("gone", { status: 410 }),
    ]);
    await post(ingest, "https://wire.example.com/429", story(3));
    const [item] = await feedItems(sub.token);
    const alertId = item?.id as string;
    await vi.waitFor(async () => expect((await alertOf(alertId, sub.token)).attempts).toBe(1), {
      timeout: 10_000,
    });
    const afterFirst = await alertOf(alertId, sub.token);
    expect(Date.parse(afterFirst.next_attempt_at) - Date.now()).toBeGreaterThan(100_000);
    expect(await runDue(sub.id, 3 * MINUTE)).toBe(1);
    const afterSecond = await alertOf(alertId, sub.token);
    expect(Date.parse(afterSecond.next_attempt_at) - Date.now()).toBeGreaterThan(
      4 * MINUTE - 10_000,
    );
    expect(await runDue(sub.id, 10 * MINUTE)).toBe(1);

    const subscriber = (await call("GET", `/v1/subscribers/${sub.id}`)).data;
    expect(subscriber).toMatchObject({ webhook_status: "disabled" });
    expect(subscriber.webhook_disabled_reason).toContain("410");
    expect(await alertOf(alertId, sub.token)).toMatchObject({
      status: "failed",
      next_attempt_at: null,
    });
    const log = (await call("GET", "/v1/deliveries", { token: sub.token })).data.items;
    expect(log.map((d: { status: number }) => d.status)).toEqual([410, 0, 429]);
    expect(log[1].error).toMatch(/timeout|timed out/i);
    // Redelivery needs a working endpoint first; setting the URL again re-enables it.
    expectProblem(
      await call("POST", `/v1/alerts/${alertId}/redeliver`, { token: sub.token }),
      422,
      "validation_failed",
    );
    await call("PATCH", `/v1/subscribers/${sub.id}`, { json: { webhook_url: HOOK } });
    expect((await call("GET", `/v1/subscribers/${sub.id}`)).data.webhook_status).toBe("active");
  });

  it("exhausted retries mark the alert failed, and it can be redelivered", async () => {
    const { sub, ingest } = await setup();
    const got = receiver([], () => new Response("down", { status: 503 }));
    await post(ingest, "https://wire.example.com/dlq", story(4));
    const [item] = await feedItems(sub.token);
    const alertId = item?.id as string;
    await vi.waitFor(async () => expect((await alertOf(alertId, sub.token)).attempts).toBe(1), {
      timeout: 10_000,
    });
    // Seven retries over about 38 hours.
    for (let n = 2; n <= 8; n++) expect(await runDue(sub.id, 13 * 3600_000)).toBe(1);
    expect(got).toHaveLength(8);
    expect(await alertOf(alertId, sub.token)).toMatchObject({ status: "failed", attempts: 8 });
    expect(await runDue(sub.id, 48 * 3600_000)).toBe(0);

    const ok = receiver([() => new Response(null, { status: 200 })]);
    const redeliver = await call("POST", `/v1/alerts/${alertId}/redeliver`, { token: sub.token });
    expect(redeliver.status).toBe(202);
    await vi.waitFor(() => expect(ok).toHaveLength(1), { timeout: 10_000 });
    expect(ok[0]?.headers["webhook-id"]).toBe(alertId);
    await vi.waitFor(async () =>
      expect(await alertOf(alertId, sub.token)).toMatchObject({ status: "delivered", attempts: 1 }),
    );
  });

  it("redeliver while a retry is pending moves that retry to now instead of starting a second chain", async () => {
    const { sub, ingest } = await setup();
    const got = receiver([], () => new Response("down", { status: 500 }));
    await post(ingest, "https://wire.example.com/re", story(5));
    const [item] = await feedItems(sub.token);
    const alertId = item?.id as string;
    await vi.waitFor(() => expect(got).toHaveLength(1), { timeout: 10_000 });
    for (let i = 0; i < 3; i++) {
      expect(
        (await call("POST", `/v1/alerts/${alertId}/redeliver`, { token: sub.token })).status,
      ).toBe(202);
    }
    // Each redeliver moved the one pending attempt to now: at most one request each.
    await vi.waitFor(async () =>
      expect((await alertOf(alertId, sub.token)).next_attempt_at).not.toBeNull(),
    );
    await new Promise((r) => setTimeout(r, 500));
    const sent = got.length;
    expect(sent).toBeGreaterThanOrEqual(2);
    expect(sent).toBeLessThanOrEqual(4);
    // One chain: each later step of the schedule sends exactly one request.
    for (let step = 1; step <= 3; step++) {
      expect(await runDue(sub.id, step * 3600_000)).toBe(1);
      expect(got).toHaveLength(sent + step);
    }
    expect(new Set(got.map((r) => r.headers["webhook-id"]))).toEqual(new Set([alertId]));
  });

  it("an endpoint failing for 5 days is disabled by the object's own alarm", async () => {
    const { sub } = await setup();
    const healthy = await createSubscriber({ name: "healthy", webhook_url: HOOK });
    created.push(healthy.id);
    await runInDurableObject(alertsObject(sub.id), async (o: SubscriberAlerts, state) => {
      state.storage.sql.exec(
        "UPDATE channels SET failing_since_ms = ? WHERE is_primary = 1",
        Date.now() - 5 * 86_400_000 - MINUTE,
      );
      await o.alarm();
    });
    expect((await call("GET", `/v1/subscribers/${sub.id}`)).data).toMatchObject({
      webhook_status: "disabled",
      webhook_disabled_reason: "failing for 5 days",
    });
    expect((await call("GET", `/v1/subscribers/${healthy.id}`)).data.webhook_status).toBe("active");
  });

  it("the test route sends a signed ping and reports the answer; a 410 disables the endpoint", async () => {
    const { sub } = await setup();
    const got = receiver([
      () => new Response(null, { status: 204 }),
      () => new Response("gone", { status: 410 }),
    ]);
    const res = await call("POST", `/v1/subscribers/${sub.id}/test`, { token: sub.token });
    expect(res.data).toMatchObject({ ok: true, status: 204, error: null });
    const payload = new Webhook(sub.webhook_secret).verify(
      got[0]?.body as string,
      got[0]?.headers as Record<string, string>,
    );
    expect(payload).toMatchObject({ type: "ping" });
    const gone = await call("POST", `/v1/subscribers/${sub.id}/test`, { token: sub.token });
    expect(gone.data).toMatchObject({ ok: false, status: 410 });
    expect((await call("GET", `/v1/subscribers/${sub.id}`)).data.webhook_status).toBe("disabled");
  });

  it("a hanging endpoint delays only its own subscriber", async () => {
    const slow = await setup("http://127.0.0.1:9/slow", "slow desk");
    const fast = await createSubscriber({
      name: "fast desk",
      webhook_url: "http://127.0.0.1:9/fast",
    });
    created.push(fast.id);
    await call("POST", "/v1/watchlists", {
      token: fast.token,
      json: { name: "Belarus too", queries: ["lukashenko"] },
    });
    const got = receiver([], (req) =>
      req.url.endsWith("/slow") ? hang(req) : new Response(null, { status: 204 }),
    );
    await post(slow.ingest, "https://wire.example.com/hang", story(6));
    await vi.waitFor(
      async () => {
        const [item] = await feedItems(fast.token);
        expect(item?._wirebrief.status).toBe("delivered");
      },
      { timeout: 5_000 },
    );
    expect(got.some((r) => r.url.endsWith("/slow"))).toBe(true);
    // The slow subscriber's feed is readable while its delivery hangs.
    const [slowItem] = await feedItems(slow.sub.token);
    expect(slowItem?._wirebrief.status).toBe("pending");
  });

  it("an object evicted in the middle of a delivery retries it after the lease, same webhook-id, once", async () => {
    const { sub, ingest } = await setup();
    const got = receiver([hang]);
    await post(ingest, "https://wire.example.com/evict", story(7));
    await vi.waitFor(() => expect(got).toHaveLength(1), { timeout: 10_000 });
    const [item] = await feedItems(sub.token);
    const alertId = item?.id as string;
    await evictDurableObject(alertsObject(sub.id)).catch(() => {});
    const ok = receiver([() => new Response(null, { status: 204 })]);
    // Within the lease nothing is sent again; after it, the alarm's run delivers it.
    expect(await runDue(sub.id, 0)).toBe(0);
    expect(await runDue(sub.id, 2 * MINUTE)).toBe(1);
    expect(ok.map((r) => r.headers["webhook-id"])).toEqual([alertId]);
    expect(await alertOf(alertId, sub.token)).toMatchObject({ status: "delivered" });
    expect(await runDurableObjectAlarm(alertsObject(sub.id))).toBe(false);
  });
});

describe("alerts: clusters, replays and the feed", () => {
  it("near-duplicate copies make one alert; later copies are listed as also_reported; replays never alert", async () => {
    const { sub, ingest } = await setup(null);
    const wire =
      "BREST, April 9 (Xinhua) -- Lukashenko opened a new logistics hub at the Polish border on Thursday, " +
      "where freight trains from Chongqing switch to European gauge. The terminal can handle 40 trains a day, " +
      "its operator said, double the old yard. Customs officers will work in three shifts. " +
      "Transport ministry officials expect cargo volumes to grow by a fifth next year.";
    const first = await post(ingest, "https://wire.example.com/a", wire);
    const copy = wire
      .replace("BREST, April 9", "BREST, April 10")
      .replace("on Thursday", "on Thursday morning");
    const second = await post(ingest, "https://mirror.example.net/a", copy);
    expect(second.data.cluster_id).toBe(first.data.id);
    expect(second.data.duplicate_of).toBe(first.data.id);
    const replay = await post(ingest, "https://wire.example.com/a", wire);
    expect(replay.status).toBe(200);
    const items = await feedItems(sub.token);
    expect(items).toHaveLength(1);
    expect(items[0]?._wirebrief.status).toBe("feed_only");
    expect(items[0]?._wirebrief.also_reported.map((r) => r.article_id)).toEqual([second.data.id]);
    // A different story on the same topic is its own cluster and its own alert.
    const other = await post(
      ingest,
      "https://wire.example.com/b",
      "VITEBSK, May 2 (Xinhua) -- Flooding closed roads in the north on Sunday. Lukashenko ordered army engineers to help residents. Rain is expected to ease by Wednesday.",
    );
    expect(other.data.cluster_id).toBe(other.data.id);
    expect(await feedItems(sub.token)).toHaveLength(2);
  });

  it("pages the feed without gaps or repeats, in JSON Feed, Atom and RSS", async () => {
    const { sub, ingest } = await setup(null);
    const topics = [
      "potash prices fell",
      "a rail bridge opened",
      "wheat harvest records",
      "a film festival began",
      "the central bank cut rates",
    ];
    for (const [i, t] of topics.entries()) {
      await call("POST", "/v1/articles", {
        token: ingest,
        json: {
          url: `https://wire.example.com/p${i}`,
          title: `Belarus <${i}> & more`,
          text: `GRODNO, June ${i + 1} (Xinhua) -- Lukashenko said ${t}. ${"Details followed in a long statement. ".repeat(i + 1)}`,
        },
      });
    }
    const pages = await feedPages(sub.token, "/v1/feed?limit=2", 10);
    for (const res of pages) {
      expect(res.headers.get("content-type")).toMatch(/^application\/feed\+json/);
      expect(res.data.version).toBe("https://jsonfeed.org/version/1.1");
    }
    const seen: string[] = pages.flatMap((p) => p.data.items.map((i: { id: string }) => i.id));
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
    // Oldest first reads the same alerts in the opposite order.
    const oldest = await feedItems(sub.token, "?order=oldest&limit=100");
    expect(oldest.map((i) => i.id)).toEqual([...seen].reverse());

    const atom = await call("GET", "/v1/feed?format=atom", { token: sub.token });
    expect(atom.headers.get("content-type")).toMatch(/^application\/atom\+xml/);
    expect(atom.text).toContain("Belarus &lt;0&gt; &amp; more");
    expect(atom.text.match(/<entry[ >]/g)).toHaveLength(5);
    const rss = await call("GET", "/v1/feed?format=rss", { token: sub.token });
    expect(rss.headers.get("content-type")).toMatch(/^application\/rss\+xml/);
    expect(rss.text.match(/<item[ >]/g)).toHaveLength(5);
    const future = await feedItems(
      sub.token,
      `?since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`,
    );
    expect(future).toEqual([]);
    for (const bad of ["nope", "eyJ4IjoxfQ", "%00", "e30"]) {
      expectProblem(
        await call("GET", `/v1/feed?cursor=${bad}`, { token: sub.token }),
        422,
        "validation_failed",
      );
      expectProblem(
        await call("GET", `/v1/deliveries?cursor=${bad}`, { token: sub.token }),
        422,
        "validation_failed",
      );
    }
  });

  it("one subscriber cannot read another's feed, deliveries or alerts; a missing subscriber is 404", async () => {
    const a = await setup(null);
    const b = await createSubscriber({ name: "other" });
    created.push(b.id);
    await post(a.ingest, "https://wire.example.com/priv", story(9));
    const [item] = await feedItems(a.sub.token);
    expect(await feedItems(b.token)).toEqual([]);
    expectProblem(
      await call("GET", `/v1/feed?subscriber_id=${a.sub.id}`, { token: b.token }),
      404,
      "not_found",
    );
    const theirs = await call("GET", `/v1/alerts/${item?.id}`, { token: b.token });
    const missing = await call("GET", "/v1/alerts/alr_000000000000000000000000", {
      token: b.token,
    });
    expectProblem(theirs, 404, "not_found");
    expectProblem(missing, 404, "not_found");
    // Another subscriber's alert reads exactly like a missing one, owner never named.
    expect(theirs.data.detail).not.toContain(a.sub.id);
    expect(theirs.data.detail.replace(String(item?.id), "X")).toBe(
      missing.data.detail.replace("alr_000000000000000000000000", "X"),
    );
    expectProblem(
      await call("POST", `/v1/alerts/${item?.id}/redeliver`, { token: b.token }),
      404,
      "not_found",
    );
    expectProblem(
      await call("GET", `/v1/deliveries?subscriber_id=${a.sub.id}`, { token: b.token }),
      404,
      "not_found",
    );
    expectProblem(await call("GET", "/v1/feed", { token: a.ingest }), 403, "forbidden");
    expectProblem(await call("GET", "/v1/feed?subscriber_id=sub_missing"), 404, "not_found");
    expect((await call("GET", `/v1/alerts/${item?.id}?subscriber_id=${a.sub.id}`)).status).toBe(
      200,
    );
  });
});

describe("alerts: many matched watchlists", () => {
  it("an article matched by more watchlists than one bulk KV read holds alerts every one of them", async () => {
    // 100 + 30 watchlists: read in two bulk reads (one KV operation each), not 130 reads
    const subs = [];
    for (const count of [100, 30]) {
      const sub = await createSubscriber({ name: `desk ${count}` });
      created.push(sub.id);
      for (let i = 0; i < count; i++) {
        const res = await call("POST", "/v1/watchlists", {
          token: sub.token,
          json: { name: `potash ${i}`, queries: i % 2 ? ["potash"] : ["lukashenko AND freight"] },
        });
        expect(res.status).toBe(201);
      }
      subs.push({ sub, count });
    }
    const ingest = await mintIngestToken();
    const res = await post(ingest, "https://wire.example.com/many", story(7));
    expect(res.status).toBe(201);
    for (const { sub, count } of subs) {
      // every page: a duplicate beyond the first 100 would show
      const pages = await feedPages(sub.token, "/v1/feed?limit=100");
      const items: FeedItem[] = pages.flatMap((p) => p.data.items);
      expect(items).toHaveLength(count);
      expect(new Set(items.map((i) => i._wirebrief.watchlist_name)).size).toBe(count);
      expect(items.every((i) => i._wirebrief.article_id === res.data.id)).toBe(true);
    }
  });
});

describe("feed pages stay bounded", () => {
  it("alerts with very large matches are paged by size as well as count: every alert once, in order", async () => {
    const sub = await createSubscriber({ name: "large alerts" });
    const big = "x".repeat(1_400_000);
    const drafts = Array.from({ length: 5 }, (_, i) => ({
      id: `alr_big${i}`,
      watchlist_id: "wl_big",
      watchlist_name: "big",
      article_id: `art${i}`,
      cluster_id: `art${i}`,
      url: null,
      title: `story ${i}`,
      summary: [],
      lang: "en",
      matches: [
        {
          query: "x",
          total: 1,
          hits: [{ field: "text" as const, start: 0, end: 1, text: "x", snippet: big }],
        },
      ],
      channels: null,
      paused_until: null,
    }));
    await alertsObject(sub.id).recordAlerts(drafts);
    const pages = await feedPages(sub.token, "/v1/feed?limit=100");
    for (const res of pages) expect(res.status).toBe(200);
    const sizes = pages.map((p) => p.data.items.length);
    const ids = pages.flatMap((p) => p.data.items.map((i: { id: string }) => i.id));
    expect(sizes).toEqual([2, 2, 1]);
    expect(ids).toEqual(["alr_big4", "alr_big3", "alr_big2", "alr_big1", "alr_big0"]);
  });
});
