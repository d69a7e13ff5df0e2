import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { articleIdFor, storyIndexFor } from "../../src/ingest/pipeline.ts";
import type { StoryIndex } from "../../src/objects/story-index.ts";
import type { ArticleRecord } from "../../src/records.ts";
import { ArticleStore } from "../../src/store/articles.ts";
import { fingerprint } from "../../src/watch/index.ts";
import { type FeedItem, feedItems, followFeed, isolateDeliveries } from "./delivery.ts";
import { call, createSubscriber, mintIngestToken } from "./helpers.ts";

isolateDeliveries();

/** A wire story and its republished copies: each outlet edits a few words. */
function copies(n: number, topic: string): string[] {
  const base =
    `VIENTIANE, July 3 (Xinhua) -- Laos opened a new ${topic} corridor on Wednesday linking the capital to the northern border. ` +
    "Officials said freight trains would run twice a day from next month and passenger services would follow in the autumn. " +
    "The project was financed with loans and took four years to build through mountainous terrain. " +
    "Traders in the border towns expect the cost of moving fruit and rubber to fall by a third.";
  const edits = [
    "on Wednesday",
    "on Wednesday morning",
    "on Wednesday afternoon",
    "this Wednesday",
  ];
  return Array.from({ length: n }, (_, i) =>
    base
      .replace("on Wednesday", edits[i % edits.length] as string)
      .replace("VIENTIANE", i % 2 ? "VIENTIANE, Laos" : "VIENTIANE")
      .concat(i % 3 ? ` Report ${i}.` : ""),
  );
}

async function subscriberWatching(query: string, name: string) {
  const sub = await createSubscriber({ name });
  const wl = await call("POST", "/v1/watchlists", {
    token: sub.token,
    json: { name: `${name} list`, queries: [query] },
  });
  expect(wl.status).toBe(201);
  return sub;
}

describe("concurrent ingest", () => {
  it("20 near-duplicate copies at once: one cluster, one alert per watchlist, 19 also_reported", async () => {
    const ingest = await mintIngestToken();
    const a = await subscriberWatching("laos", "desk a");
    const b = await subscriberWatching('"freight trains"', "desk b");
    const texts = copies(20, "railway");
    const results = await Promise.all(
      texts.map((text, i) =>
        call("POST", "/v1/articles", {
          token: ingest,
          json: { url: `https://outlet${i}.example.org/laos-rail`, text },
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(201));
    const clusters = new Set(results.map((r) => r.data.cluster_id));
    expect(clusters.size).toBe(1);
    const [clusterId] = clusters;
    expect(results.filter((r) => r.data.duplicate_of === null).map((r) => r.data.id)).toEqual([
      clusterId,
    ]);

    for (const sub of [a, b]) {
      const items = await feedItems(sub.token);
      expect(items).toHaveLength(1);
      const alert = items[0] as FeedItem;
      const reported = alert._wirebrief.also_reported.map((r) => r.article_id);
      expect(reported).toHaveLength(19);
      expect(new Set([...reported, alert._wirebrief.article_id])).toEqual(
        new Set(results.map((r) => r.data.id)),
      );
    }
  });

  it("20 POSTs of one URL at once: one 201, nineteen 200 with the same record, one feed entry", async () => {
    const ingest = await mintIngestToken();
    const sub = await subscriberWatching("laos", "desk c");
    const [text] = copies(1, "highway");
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        call("POST", "/v1/articles", {
          token: ingest,
          json: { url: "https://wire.example.org/laos-highway?utm_source=x", text },
        }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(19);
    const created = results.find((r) => r.status === 201)?.data;
    for (const r of results) {
      expect(r.data.id).toBe(created.id);
      expect(r.data.created_at).toBe(created.created_at);
    }
    expect((await new ArticleStore(env.KV).get(created.id))?.created_at).toBe(created.created_at);
    expect(await feedItems(sub.token)).toHaveLength(1);
  });

  it("200 articles over 16 connections while a reader follows the log 7 at a time: every alert exactly once", async () => {
    const ingest = await mintIngestToken();
    const sub = await subscriberWatching("potash", "desk d");
    const total = 200;
    // Distinct stories (no two near-duplicates), each naming potash once.
    const words = [
      "harbour",
      "tariff",
      "quota",
      "drought",
      "strike",
      "merger",
      "audit",
      "subsidy",
      "barge",
      "pipeline",
      "election",
      "festival",
      "glacier",
      "vaccine",
      "satellite",
      "orchard",
    ];
    const articles = Array.from({ length: total }, (_, i) => {
      const pick = (k: number) => words[(i * (k + 3) + k * k) % words.length] as string;
      const story = Array.from(
        { length: 12 },
        (_, k) => `${pick(k)}${(i * 7919 + k * 104729) % 1000}`,
      ).join(" ");
      return `MINSK, May ${(i % 28) + 1} (Xinhua) -- Potash report ${i}: ${story}.`;
    });
    let next = 0;
    const statuses: number[] = [];
    const clusters = new Set<string>();
    const poster = async () => {
      while (next < total) {
        const i = next++;
        const res = await call("POST", "/v1/articles", {
          token: ingest,
          json: { url: `https://potash.example.com/${i}`, text: articles[i] },
        });
        statuses.push(res.status);
        clusters.add(res.data.cluster_id);
      }
    };
    // The reader tails the log from its start while the posters write.
    const seen: string[] = [];
    let cursorUrl = "/v1/feed?order=oldest&limit=7";
    let posting = true;
    const reader = async () => {
      while (posting || seen.length < clusters.size) {
        const { ids, resume } = await followFeed(sub.token, cursorUrl, 50);
        seen.push(...ids);
        cursorUrl = resume;
        if (!posting && ids.length === 0) break;
      }
    };
    const readerDone = reader();
    await Promise.all(Array.from({ length: 16 }, poster));
    posting = false;
    await readerDone;
    expect(statuses.filter((s) => s === 201)).toHaveLength(total);
    // One alert per story: short generated stories may cluster, so count clusters.
    expect(clusters.size).toBeGreaterThan(total * 0.9);
    expect(seen).toHaveLength(clusters.size);
    expect(new Set(seen).size).toBe(clusters.size);
  });

  /** An analysed, matched article as the Worker hands it to its story index. */
  async function draftOf(url: string, text: string, subscriberToken: string, atMs: number) {
    const sub = (await call("GET", "/v1/watchlists", { token: subscriberToken })).data.items[0];
    const id = await articleIdFor(url, "");
    const fp = fingerprint(text);
    const at = new Date(atMs).toISOString();
    const draft: ArticleRecord = {
      id,
      url,
      title: "Laos",
      lang: "en",
      source: new URL(url).hostname,
      published_at: null,
      dateline: null,
      text,
      summary: [text.slice(0, 80)],
      keywords: [],
      matches: [
        {
          watchlist_id: sub.id,
          subscriber_id: sub.subscriber_id,
          query: "laos",
          total: 1,
          hits: [{ field: "text", start: 27, end: 31, text: "Laos", snippet: "Laos opened" }],
        },
      ],
      cluster_id: id,
      duplicate_of: null,
      fingerprint: fp,
      created_at: at,
      updated_at: at,
    };
    return draft;
  }

  /** The draft a crashed ingest claimed a minute ago: analysed, matched, never finished. */
  async function abandonedClaim(url: string, text: string, subscriberToken: string) {
    const draft = await draftOf(url, text, subscriberToken, Date.now() - 60_000);
    const id = draft.id;
    const stories = storyIndexFor(env, "en");
    const claim = await stories.claim(draft, Date.now() - 60_000);
    expect(claim.outcome).toBe("created");
    await evictDurableObject(stories).catch(() => {});
    expect(await new ArticleStore(env.KV).get(id)).toBeNull();
    return { id, stories };
  }

  it("an ingest that died after its claim is finished by the scraper's retry: one record, one alert", async () => {
    const ingest = await mintIngestToken();
    const sub = await subscriberWatching("laos", "desk e");
    const [text] = copies(1, "dam") as [string];
    const url = "https://wire.example.org/laos-dam";
    const { id } = await abandonedClaim(url, text, sub.token);
    const retry = await call("POST", "/v1/articles", { token: ingest, json: { url, text } });
    expect(retry.status).toBe(200);
    expect(retry.data.id).toBe(id);
    // The story index's own alarm may be finishing it at the same moment: either way, once.
    await vi.waitFor(async () =>
      expect((await new ArticleStore(env.KV).get(id))?.created_at).toBe(retry.data.created_at),
    );
    const again = await call("POST", "/v1/articles", { token: ingest, json: { url, text } });
    expect(again.status).toBe(200);
    expect((await feedItems(sub.token)).map((i) => i._wirebrief.article_id)).toEqual([id]);
  });

  it("an ingest whose caller vanished is finished by the story index's alarm: one record, one alert", async () => {
    const sub = await subscriberWatching("laos", "desk f");
    const [text] = copies(1, "bridge") as [string];
    const { id, stories } = await abandonedClaim(
      "https://wire.example.org/laos-bridge",
      text,
      sub.token,
    );
    await runInDurableObject(stories, (o: StoryIndex) => o.alarm());
    await runInDurableObject(stories, (o: StoryIndex) => o.alarm());
    expect((await new ArticleStore(env.KV).get(id))?.id).toBe(id);
    expect((await feedItems(sub.token)).map((i) => i._wirebrief.article_id)).toEqual([id]);
  });

  it("a copy arriving while the first is being stored waits for it; if that ingest fails, the copy stores it", async () => {
    const sub = await subscriberWatching("laos", "desk g");
    const [text] = copies(1, "canal") as [string];
    const draft = await draftOf("https://wire.example.org/laos-canal", text, sub.token, Date.now());
    const stories = storyIndexFor(env, "en");
    const outcome = await runInDurableObject(stories, async (o: StoryIndex) => {
      // The first KV write is slow, then fails: as a record KV refuses, or a lost connection.
      const real = (o as unknown as { env: typeof env }).env;
      let puts = 0;
      const kv = {
        get: real.KV.get.bind(real.KV),
        put: async (...args: Parameters<typeof env.KV.put>) => {
          if (++puts === 1) {
            await new Promise((r) => setTimeout(r, 200));
            throw new Error("KV write failed");
          }
          return real.KV.put(...args);
        },
      } as unknown as typeof env.KV;
      (o as unknown as { env: typeof env }).env = { ...real, KV: kv };
      try {
        const first = o.ingest(draft);
        const copy = o.ingest(draft);
        const [a, b] = await Promise.allSettled([first, copy]);
        return { first: a.status, copy: b.status === "fulfilled" ? b.value.outcome : b.status };
      } finally {
        (o as unknown as { env: typeof env }).env = real;
      }
    });
    // The copy did not answer "replayed" for a record that was never stored: it stored it.
    expect(outcome).toEqual({ first: "rejected", copy: "resume" });
    expect((await new ArticleStore(env.KV).get(draft.id))?.id).toBe(draft.id);
    expect((await feedItems(sub.token)).map((i) => i._wirebrief.article_id)).toEqual([draft.id]);
  });

  it("a fan-out to more than 10 subscribers goes through the queue and reaches each once", async () => {
    const ingest = await mintIngestToken();
    const subs: { token: string }[] = [];
    for (let i = 0; i < 12; i++) subs.push(await subscriberWatching("mekong", `river desk ${i}`));
    const res = await call("POST", "/v1/articles", {
      token: ingest,
      json: {
        url: "https://wire.example.org/mekong",
        text: "PHNOM PENH, Aug 1 (Xinhua) -- The Mekong rose above flood level on Friday. Ferries stopped running.",
      },
    });
    expect(res.status).toBe(201);
    await vi.waitFor(
      async () => {
        for (const s of subs) expect(await feedItems(s.token)).toHaveLength(1);
      },
      { timeout: 20_000, interval: 250 },
    );
  });
});
