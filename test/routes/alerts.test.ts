import {
  createExecutionContext,
  createMessageBatch,
  createScheduledController,
  getQueueResult,
  waitOnExecutionContext,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { Webhook } from "standardwebhooks";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  type DeliveryMessage,
  handleQueueBatch,
  processDelivery,
} from "../../src/delivery/queue.ts";
import worker from "../../src/index.ts";
import { SubscriberStore } from "../../src/store/subscribers.ts";
import { call, createSubscriber, expectProblem, mintIngestToken } from "./helpers.ts";

const HOOK = "http://127.0.0.1:9/hook";

interface Received {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** A fake receiver: answers each delivery with the next scripted response, records what it got. */
function receiver(script: (() => Response | Promise<Response>)[]) {
  const received: Received[] = [];
  vi.stubGlobal("fetch", async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = new Request(input, init);
    received.push({
      url: req.url,
      headers: Object.fromEntries(req.headers),
      body: await req.text(),
    });
    const next = script.shift();
    if (!next) throw new Error("unexpected delivery");
    return next();
  });
  return received;
}

const story = (n: number, extra = "") =>
  `MINSK, March ${n} (Xinhua) -- President Lukashenko met a trade delegation number ${n} on Tuesday${extra}. ` +
  `The talks covered potash exports number ${n}, rail freight and a new industrial park near the capital. ` +
  `Officials said agreements would be signed later this year.`;

async function setup(webhook: string | null = HOOK) {
  const sub = await createSubscriber({
    name: "monitor",
    ...(webhook ? { webhook_url: webhook } : {}),
  });
  const wl = await call("POST", "/v1/watchlists", {
    token: sub.token,
    json: { name: "Belarus", queries: ["lukashenko"] },
  });
  const ingest = await mintIngestToken();
  return { sub, watchlistId: wl.data.id as string, ingest };
}

async function feedItems(token: string, query = "") {
  const res = await call("GET", `/v1/feed${query}`, { token });
  return res.data.items as {
    id: string;
    _wirebrief: { also_reported: { article_id: string }[]; status: string };
  }[];
}

const alertOf = async (id: string, token: string) =>
  (await call("GET", `/v1/alerts/${id}`, { token })).data;
const deliver = (alertId: string, attempt: number) =>
  processDelivery(env, {
    alert_id: alertId,
    attempt,
    due_at: Date.now(),
  } satisfies DeliveryMessage);

beforeEach(() => vi.unstubAllGlobals());
afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe("alerts: delivery", () => {
  it("a 500 then a 200 delivers once, with the same webhook-id, signed verifiably", async () => {
    const { sub, ingest } = await setup();
    const article = await call("POST", "/v1/articles", {
      token: ingest,
      json: { url: "https://wire.example.com/1", text: story(1) },
    });
    const [item] = await feedItems(sub.token);
    expect(item?._wirebrief.status).toBe("pending");
    const alertId = item?.id as string;

    const got = receiver([
      () => new Response("oops", { status: 500 }),
      () => new Response(null, { status: 204 }),
    ]);
    expect(await deliver(alertId, 1)).toBe("retry-scheduled");
    expect((await alertOf(alertId, sub.token)).status).toBe("pending");
    expect(await deliver(alertId, 2)).toBe("delivered");
    expect(await deliver(alertId, 3)).toBe("skipped");
    expect(got).toHaveLength(2);
    expect(got[0]?.headers["webhook-id"]).toBe(alertId);
    expect(got[1]?.headers["webhook-id"]).toBe(alertId);

    const hook = new Webhook(sub.webhook_secret);
    for (const r of got) {
      const payload = hook.verify(r.body, r.headers) as {
        type: string;
        data: { id: string; article_id: string; matches: unknown[] };
      };
      expect(payload.type).toBe("alert.created");
      expect(payload.data.id).toBe(alertId);
      expect(payload.data.article_id).toBe(article.data.id);
      expect(payload.data.matches).toHaveLength(1);
    }
    const alert = await alertOf(alertId, sub.token);
    expect(alert).toMatchObject({ status: "delivered", attempts: 2 });
    const log = (await call("GET", "/v1/deliveries", { token: sub.token })).data.items;
    expect(log.map((d: { status: number }) => d.status)).toEqual([204, 500]);
    expect(log[1].error).toContain("500");
  });

  it("signatures verify with both secrets for a day after a rotation", async () => {
    const { sub, ingest } = await setup();
    await call("POST", "/v1/articles", {
      token: ingest,
      json: { url: "https://wire.example.com/rot", text: story(2) },
    });
    const [item] = await feedItems(sub.token);
    const rotated = await call("POST", `/v1/subscribers/${sub.id}/rotate-secret`, {
      token: sub.token,
    });
    const got = receiver([() => new Response(null, { status: 200 })]);
    expect(await deliver(item?.id as string, 1)).toBe("delivered");
    const r = got[0] as Received;
    expect(r.headers["webhook-signature"]?.split(" ")).toHaveLength(2);
    expect(() => new Webhook(sub.webhook_secret).verify(r.body, r.headers)).not.toThrow();
    expect(() => new Webhook(rotated.data.webhook_secret).verify(r.body, r.headers)).not.toThrow();
  });

  it("429 with Retry-After and a timeout are retried; 410 disables the endpoint", async () => {
    const { sub, ingest } = await setup();
    await call("POST", "/v1/articles", {
      token: ingest,
      json: { url: "https://wire.example.com/429", text: story(3) },
    });
    const [item] = await feedItems(sub.token);
    const alertId = item?.id as string;
    const sends: { body: DeliveryMessage; delay?: number }[] = [];
    const send = env.ALERT_QUEUE.send.bind(env.ALERT_QUEUE);
    vi.spyOn(env.ALERT_QUEUE, "send").mockImplementation(async (body, opts) => {
      sends.push({ body: body as DeliveryMessage, delay: opts?.delaySeconds });
      return send(body, opts);
    });
    receiver([
      () => new Response("slow down", { status: 429, headers: { "retry-after": "120" } }),
      () =>
        Promise.reject(
          new DOMException("The operation was aborted due to timeout", "TimeoutError"),
        ),
      () => new Response("gone", { status: 410 }),
    ]);
    expect(await deliver(alertId, 1)).toBe("retry-scheduled");
    expect(sends[0]?.delay).toBeGreaterThanOrEqual(120);
    expect(sends[0]?.body).toMatchObject({ alert_id: alertId, attempt: 2 });
    expect(await deliver(alertId, 2)).toBe("retry-scheduled");
    expect(sends[1]?.delay).toBeGreaterThanOrEqual(240); // about 5 minutes, with jitter
    expect(await deliver(alertId, 3)).toBe("disabled");
    const subscriber = (await call("GET", `/v1/subscribers/${sub.id}`)).data;
    expect(subscriber).toMatchObject({ webhook_status: "disabled" });
    expect(subscriber.webhook_disabled_reason).toContain("410");
    expect((await alertOf(alertId, sub.token)).status).toBe("failed");
    const log = (await call("GET", "/v1/deliveries", { token: sub.token })).data.items;
    expect(log.map((d: { status: number }) => d.status)).toEqual([410, 0, 429]);
    expect(log[1].error).toMatch(/timeout|timed out/i);
  });

  it("exhausted retries dead-letter, mark the alert failed, and it can be redelivered", async () => {
    const { sub, ingest } = await setup();
    await call("POST", "/v1/articles", {
      token: ingest,
      json: { url: "https://wire.example.com/dlq", text: story(4) },
    });
    const [item] = await feedItems(sub.token);
    const alertId = item?.id as string;
    receiver([() => new Response("down", { status: 503 })]);
    expect(await deliver(alertId, 8)).toBe("dead-lettered");

    const batch = createMessageBatch<DeliveryMessage>("wirebrief-alerts-dlq", [
      {
        id: "m1",
        timestamp: new Date(),
        attempts: 1,
        body: { alert_id: alertId, attempt: 8, due_at: Date.now() },
      },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks).toEqual(["m1"]);
    expect((await alertOf(alertId, sub.token)).status).toBe("failed");

    const redeliver = await call("POST", `/v1/alerts/${alertId}/redeliver`, { token: sub.token });
    expect(redeliver.status).toBe(202);
    const got = receiver([() => new Response(null, { status: 200 })]);
    await handleQueueBatch(
      createMessageBatch<DeliveryMessage>("wirebrief-alerts", [
        {
          id: "m2",
          timestamp: new Date(),
          attempts: 1,
          body: { alert_id: alertId, attempt: 1, due_at: Date.now() },
        },
      ]),
      env,
    );
    expect(got[0]?.headers["webhook-id"]).toBe(alertId);
    expect((await alertOf(alertId, sub.token)).status).toBe("delivered");
  });

  it("the cron disables an endpoint that has failed for 5 days in a row", async () => {
    const { sub } = await setup();
    const healthy = await createSubscriber({ name: "healthy", webhook_url: HOOK });
    const store = new SubscriberStore(env.KV);
    const record = await store.get(sub.id);
    if (!record) throw new Error("missing subscriber");
    await store.put({
      ...record,
      failing_since: new Date(Date.now() - 5 * 86_400_000 - 60_000).toISOString(),
    });
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController(), env, ctx);
    await waitOnExecutionContext(ctx);
    expect((await call("GET", `/v1/subscribers/${sub.id}`)).data).toMatchObject({
      webhook_status: "disabled",
      webhook_disabled_reason: "failing for 5 days",
    });
    expect((await call("GET", `/v1/subscribers/${healthy.id}`)).data.webhook_status).toBe("active");
  });

  it("the test route sends a signed ping and reports the answer", async () => {
    const { sub } = await setup();
    const got = receiver([() => new Response(null, { status: 204 })]);
    const res = await call("POST", `/v1/subscribers/${sub.id}/test`, { token: sub.token });
    expect(res.data).toMatchObject({ ok: true, status: 204, error: null });
    const payload = new Webhook(sub.webhook_secret).verify(
      got[0]?.body as string,
      got[0]?.headers as Record<string, string>,
    );
    expect(payload).toMatchObject({ type: "ping" });
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
    const first = await call("POST", "/v1/articles", {
      token: ingest,
      json: { url: "https://wire.example.com/a", text: wire },
    });
    const copy = wire
      .replace("BREST, April 9", "BREST, April 10")
      .replace("on Thursday", "on Thursday morning");
    const second = await call("POST", "/v1/articles", {
      token: ingest,
      json: { url: "https://mirror.example.net/a", text: copy },
    });
    expect(second.data.cluster_id).toBe(first.data.id);
    expect(second.data.duplicate_of).toBe(first.data.id);
    const replay = await call("POST", "/v1/articles", {
      token: ingest,
      json: { url: "https://wire.example.com/a", text: wire },
    });
    expect(replay.status).toBe(200);
    const items = await feedItems(sub.token);
    expect(items).toHaveLength(1);
    expect(items[0]?._wirebrief.status).toBe("feed_only");
    expect(items[0]?._wirebrief.also_reported.map((r) => r.article_id)).toEqual([second.data.id]);
    // A different story on the same topic is its own cluster and its own alert.
    const other = await call("POST", "/v1/articles", {
      token: ingest,
      json: {
        url: "https://wire.example.com/b",
        text: "VITEBSK, May 2 (Xinhua) -- Flooding closed roads in the north on Sunday. Lukashenko ordered army engineers to help residents. Rain is expected to ease by Wednesday.",
      },
    });
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
    const seen: string[] = [];
    let url = "/v1/feed?limit=2";
    for (let pages = 0; url && pages < 10; pages++) {
      const res = await call("GET", url, { token: sub.token });
      expect(res.headers.get("content-type")).toMatch(/^application\/feed\+json/);
      expect(res.data.version).toBe("https://jsonfeed.org/version/1.1");
      seen.push(...res.data.items.map((i: { id: string }) => i.id));
      url = res.data.next_url
        ? new URL(res.data.next_url).pathname + new URL(res.data.next_url).search
        : "";
    }
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);

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
  });

  it("one subscriber cannot read another's feed, deliveries or alerts", async () => {
    const a = await setup(null);
    const b = await createSubscriber({ name: "other" });
    await call("POST", "/v1/articles", {
      token: a.ingest,
      json: { url: "https://wire.example.com/priv", text: story(9) },
    });
    const [item] = await feedItems(a.sub.token);
    expect(await feedItems(b.token)).toEqual([]);
    expectProblem(
      await call("GET", `/v1/feed?subscriber_id=${a.sub.id}`, { token: b.token }),
      404,
      "not_found",
    );
    expectProblem(
      await call("GET", `/v1/alerts/${item?.id}`, { token: b.token }),
      404,
      "not_found",
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
  });
});
