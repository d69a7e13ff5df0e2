/**
 * Storage operations one ingest costs, counted by instrumented bindings around the real
 * local KV, Durable Objects and queue inside workerd. Run by `npm run bench` (vitest
 * project `ops`); it prints a table and asserts nothing about time.
 */
import { runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { expect, it } from "vitest";
import type { AppBindings } from "../src/env.ts";
import { ingestArticle, ingestArticles, storyIndexFor } from "../src/ingest/pipeline.ts";
import { call, createSubscriber } from "../test/routes/helpers.ts";

interface Counts {
  kvRead: number;
  kvWrite: number;
  kvList: number;
  kvDelete: number;
  doRequest: number;
  queueSend: number;
}

function instrumented(base: AppBindings) {
  const counts: Counts = {
    kvRead: 0,
    kvWrite: 0,
    kvList: 0,
    kvDelete: 0,
    doRequest: 0,
    queueSend: 0,
  };
  const kvKind: Record<string, keyof Counts> = {
    get: "kvRead",
    getWithMetadata: "kvRead",
    put: "kvWrite",
    list: "kvList",
    delete: "kvDelete",
  };
  const wrap = <T extends object>(target: T, onCall: (name: string, args: unknown[]) => void): T =>
    new Proxy(target, {
      get(t, prop, receiver) {
        const v = Reflect.get(t, prop, receiver);
        if (typeof v !== "function") return v;
        return (...args: unknown[]) => {
          onCall(String(prop), args);
          return v.apply(t, args);
        };
      },
    });
  const namespace = (ns: DurableObjectNamespace) =>
    new Proxy(ns, {
      get(t, prop) {
        const v = Reflect.get(t, prop);
        if (prop !== "getByName" && prop !== "get") return typeof v === "function" ? v.bind(t) : v;
        return (...args: unknown[]) => {
          const stub = v.apply(t, args);
          return new Proxy(stub, {
            get(s, method) {
              const m = Reflect.get(s, method);
              if (typeof m !== "function") return m;
              return (...a: unknown[]) => {
                counts.doRequest++;
                return Reflect.apply(m, s, a);
              };
            },
          });
        };
      },
    });
  const bindings = {
    ...base,
    KV: wrap(base.KV, (name) => {
      const kind = kvKind[name];
      if (kind) counts[kind]++;
    }),
    FANOUT_QUEUE: wrap(base.FANOUT_QUEUE, (name, args) => {
      if (name === "send") counts.queueSend++;
      if (name === "sendBatch") counts.queueSend += (args[0] as unknown[]).length;
    }),
    STORY_INDEX: namespace(base.STORY_INDEX as unknown as DurableObjectNamespace),
    SUBSCRIBER_ALERTS: namespace(base.SUBSCRIBER_ALERTS as unknown as DurableObjectNamespace),
    WATCH_INDEX: namespace(base.WATCH_INDEX as unknown as DurableObjectNamespace),
  } as unknown as AppBindings;
  return { bindings, counts };
}

const article = (n: number) => ({
  url: `https://wire.example.com/bench/${n}`,
  text:
    `NAIROBI, Sept ${n} (Xinhua) -- Kenya's tea exports rose in the second quarter as prices at the Mombasa auction recovered, ` +
    `the tea board said on Monday. Growers in the highlands reported heavier picking after the rains. Buyers from Pakistan and Egypt ` +
    `took most of the lots. Batch ${n}.`,
});

it("prints the storage operations of one ingest", async () => {
  // Warm the watch index so the row shows the steady state, not the first build.
  await ingestArticle(env, { ...article(0), url: "https://wire.example.com/bench/warm" });
  const rows: [string, Counts][] = [];
  /** Counts the Worker's operations and the story index's (it finishes the ingest). */
  const counted = async (label: string, n: number) => {
    const { bindings, counts } = instrumented(env);
    const stories = storyIndexFor(env, "en");
    const swap = (to: AppBindings) =>
      runInDurableObject(stories, (o) => {
        (o as unknown as { env: AppBindings }).env = to;
      });
    await swap(bindings);
    try {
      const out = await ingestArticle(bindings, article(n));
      rows.push([label, { ...counts }]);
      return out;
    } finally {
      await swap(env);
    }
  };
  const measure = async (label: string, n: number) =>
    expect((await counted(label, n)).replayed).toBe(false);
  await measure("new article, no match", 1);
  for (let i = 0; i < 10; i++) {
    const sub = await createSubscriber({ name: `tea desk ${i}` });
    await call("POST", "/v1/watchlists", {
      token: sub.token,
      json: { name: "tea", queries: ["tea"] },
    });
  }
  await ingestArticle(env, { ...article(2), url: "https://wire.example.com/bench/warm2" });
  await measure("new article, 10 subscribers match", 3);
  const sub = await createSubscriber({ name: "tea desk 11" });
  await call("POST", "/v1/watchlists", {
    token: sub.token,
    json: { name: "tea", queries: ["tea"] },
  });
  await ingestArticle(env, { ...article(4), url: "https://wire.example.com/bench/warm3" });
  await measure("new article, 11 subscribers match (queued)", 5);
  expect((await counted("replay (same URL)", 5)).replayed).toBe(true);
  {
    // A batch: one watch-index pointer and one story-index request per language.
    const { bindings, counts } = instrumented(env);
    const batch = Array.from({ length: 100 }, (_, i) => article(1000 + i));
    const outcomes = await ingestArticles(bindings, batch);
    expect(outcomes.every((o) => o.ok)).toBe(true);
    rows.push(["batch of 100 new articles (Worker's side)", { ...counts }]);
  }
  const header =
    "| ingest | KV reads | KV writes | KV lists | KV deletes | DO requests | queue messages |";
  const lines = rows.map(
    ([label, c]) =>
      `| ${label} | ${c.kvRead} | ${c.kvWrite} | ${c.kvList} | ${c.kvDelete} | ${c.doRequest} | ${c.queueSend} |`,
  );
  console.log(
    ["", "Storage operations per ingest", header, "|---|---|---|---|---|---|---|", ...lines].join(
      "\n",
    ),
  );
});

it("prints how soon a watchlist change is live", async () => {
  const sub = await createSubscriber({ name: "latency desk" });
  const builder = env.WATCH_INDEX.getByName("all");
  const times: number[] = [];
  for (let n = 0; n < 5; n++) {
    const before = (await builder.current())?.version ?? null;
    const t0 = Date.now();
    // Straight to the Worker, not through the test helper (which runs the build at once).
    const res = await exports.default.fetch(
      new Request("http://wirebrief.test/v1/watchlists", {
        method: "POST",
        headers: { authorization: `Bearer ${sub.token}`, "content-type": "application/json" },
        body: JSON.stringify({ name: `live ${n}`, queries: [`lava${n}`] }),
      }),
    );
    expect(res.status).toBe(201);
    // Time only moves across I/O inside workerd: poll the builder like an ingest would.
    while ((await builder.current())?.version === before)
      await new Promise((r) => setTimeout(r, 10));
    times.push(Date.now() - t0);
  }
  const p = (await builder.current()) as { bytes: number; queries: number };
  console.log(
    `\nWatch index: a change was live ${Math.min(...times)}–${Math.max(...times)} ms after the POST (build delay 250 ms; ${p.queries} queries, ${p.bytes} bytes)`,
  );
});
