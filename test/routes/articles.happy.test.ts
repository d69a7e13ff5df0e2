import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import seed from "../../fixtures/seed-ar-xinhua.txt?raw";
import { storyIndexFor } from "../../src/ingest/pipeline.ts";
import { MAX_HITS_PER_SUBSCRIBER } from "../../src/watch/index.ts";
import { call, createSubscriber, mintIngestToken } from "./helpers.ts";

const SEED_URL = "https://arabic.news.cn/2021-01/26/c_139698765.htm";

describe("articles: happy paths", () => {
  it("ingests the seed as JSON, text/plain and a batch; reads it back by id and URL; summarises at 2 sentences", async () => {
    const token = await mintIngestToken();
    const created = await call("POST", "/v1/articles", {
      token,
      json: {
        url: SEED_URL,
        title: "شي يدعو الصين وبيلاروسيا إلى تعزيز التعاون",
        text: seed,
        published_at: "2021-01-26T10:00:00Z",
      },
    });
    expect(created.status).toBe(201);
    const article = created.data;
    expect(article.id).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(created.headers.get("location")).toBe(`/v1/articles/${article.id}`);
    expect(article.lang).toBe("ar");
    expect(article.dateline).toEqual({ place: "بكين", date: "2021-01-26", agency: "شينخوا" });
    expect(article.text).not.toContain("مشاركة :");
    expect(article.summary.length).toBeGreaterThan(0);
    for (const s of article.summary) expect(article.text).toContain(s);
    expect(article.summary[0]).not.toContain("(شينخوا)");
    expect(article.keywords.length).toBeGreaterThanOrEqual(5);
    expect(article.cluster_id).toBe(article.id);
    expect(article.duplicate_of).toBeNull();
    expect(article.url).toBe(SEED_URL);
    expect(article.published_at).toBe("2021-01-26T10:00:00.000Z");

    // The same story as text/plain with the same URL (plus a tracking parameter) is a replay.
    const plain = await call(
      "POST",
      `/v1/articles?url=${encodeURIComponent(`${SEED_URL}?utm_source=x`)}`,
      {
        token,
        body: seed,
        contentType: "text/plain; charset=utf-8",
      },
    );
    expect(plain.status).toBe(200);
    expect(plain.data).toEqual(article);

    // A batch: the replay again, and the seed under a second URL (a new record).
    const batch = await call("POST", "/v1/articles", {
      token,
      json: [
        { url: SEED_URL, text: seed },
        { url: "https://example.org/mirror/xi-belarus", text: seed },
      ],
    });
    expect(batch.status).toBe(200);
    expect(batch.data.items.map((i: { status: number }) => i.status)).toEqual([200, 201]);
    expect(batch.data).toMatchObject({ created: 1, replayed: 1, failed: 0 });
    expect(batch.data.items[0].id).toBe(article.id);

    const byId = await call("GET", `/v1/articles/${article.id}`, { token });
    expect(byId.status).toBe(200);
    expect(byId.data).toEqual(article);

    const byUrl = await call("GET", `/v1/articles?url=${encodeURIComponent(SEED_URL)}`, { token });
    expect(byUrl.status).toBe(200);
    expect(byUrl.data.id).toBe(article.id);

    const two = await call("GET", `/v1/articles/${article.id}/summary?sentences=2`, { token });
    expect(two.status).toBe(200);
    expect(two.data.summary).toHaveLength(2);
    for (const s of two.data.summary) expect(article.text).toContain(s);
    // In article order.
    expect(article.text.indexOf(two.data.summary[0])).toBeLessThan(
      article.text.indexOf(two.data.summary[1]),
    );

    const text = await call("GET", `/v1/articles/${article.id}/summary?sentences=2&format=text`, {
      token,
    });
    expect(text.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(text.text).toBe(two.data.summary.join("\n"));

    const words = await call("GET", `/v1/articles/${article.id}/summary?words=40`, { token });
    expect(words.status).toBe(200);
    expect(words.data.summary.length).toBeGreaterThan(0);
  });

  it("replays without a URL are detected from the normalised text", async () => {
    const token = await mintIngestToken();
    const text =
      "LONDON, March 3 (Reuters) - The central bank held rates. Analysts had expected it. Markets barely moved.";
    const first = await call("POST", "/v1/articles", { token, json: { text } });
    expect(first.status).toBe(201);
    const again = await call("POST", "/v1/articles", {
      token,
      json: { text: `  ${text.replace(/ /g, "  ")}\n` },
    });
    expect(again.status).toBe(200);
    expect(again.data.id).toBe(first.data.id);
  });

  it("accepts NDJSON batches and HTML bodies", async () => {
    const token = await mintIngestToken();
    const ndjson = [
      JSON.stringify({ url: "https://example.com/a", text: "First story. It has two sentences." }),
      JSON.stringify({
        url: "https://example.com/b",
        html: "<p>Second story.</p><script>x()</script><p>Also short.</p>",
      }),
    ].join("\n");
    const res = await call("POST", "/v1/articles", {
      token,
      body: ndjson,
      contentType: "application/x-ndjson",
    });
    expect(res.status).toBe(200);
    expect(res.data.items.map((i: { status: number }) => i.status)).toEqual([201, 201]);
    const html = await call("GET", `/v1/articles/${res.data.items[1].id}`, { token });
    expect(html.data.text).toContain("Second story.");
    expect(html.data.text).not.toContain("x()");

    const page = await call("POST", "/v1/articles?url=https%3A%2F%2Fexample.com%2Fc&title=Page", {
      token,
      body: "<html><body><nav>Home | World</nav><article><p>Third story here.</p><p>With a second paragraph.</p></article></body></html>",
      contentType: "text/html",
    });
    expect(page.status).toBe(201);
    expect(page.data.title).toBe("Page");
    expect(page.data.text).toContain("Third story here.");
  });

  it("a batch in three languages keeps each item's own answer, in order, and stores each once", async () => {
    const token = await mintIngestToken("batch");
    const en =
      "LONDON, May 2 (Xinhua) -- Rail workers began a two-day strike on Monday over pay. Trains ran at half capacity.";
    const fr =
      "PARIS, 2 mai (Xinhua) -- Les agriculteurs ont manifesté lundi devant le ministère. Ils demandent des aides pour la sécheresse.";
    const batch = [
      { url: "https://wire.example.com/b/en", text: en },
      { url: "https://wire.example.com/b/fr", text: fr },
      { url: "https://wire.example.com/b/ar", text: seed },
      { url: "https://wire.example.com/b/en?utm_source=x", text: en },
      { url: "https://wire.example.com/b/bad", text: "x", published_at: "0" },
    ];
    const res = await call("POST", "/v1/articles", { token, json: batch });
    expect(res.status).toBe(200);
    expect(
      res.data.items.map((i: { index: number; status: number }) => [i.index, i.status]),
    ).toEqual([
      [0, 201],
      [1, 201],
      [2, 201],
      [3, 200],
      [4, 422],
    ]);
    expect(res.data.items[3].id).toBe(res.data.items[0].id);
    const langs = [];
    for (const i of res.data.items.slice(0, 3)) {
      langs.push((await call("GET", `/v1/articles/${i.id}`, { token })).data.lang);
    }
    expect(langs).toEqual(["en", "fr", "ar"]);
  });

  it("summarises without storing", async () => {
    const res = await call("POST", "/v1/summarize", {
      json: {
        text: "One sentence here. Another one follows. And a third closes it.",
        sentences: 1,
        lang: "en",
      },
    });
    expect(res.status).toBe(200);
    expect(res.data.summary).toHaveLength(1);
    expect(res.data.lang).toBe("en");
  });

  it("serves health, the OpenAPI 3.1 document and the reference page", async () => {
    const health = await call("GET", "/healthz", { token: null });
    expect(health.data).toMatchObject({ ok: true });
    const doc = await call("GET", "/openapi.json", { token: null });
    expect(doc.data.openapi).toBe("3.1.0");
    expect(Object.keys(doc.data.paths)).toEqual(
      expect.arrayContaining([
        "/v1/articles",
        "/v1/articles/{id}",
        "/v1/articles/{id}/summary",
        "/v1/summarize",
        "/v1/subscribers",
        "/v1/tokens",
      ]),
    );
    expect(doc.data.components.schemas.ArticleInput.properties).toHaveProperty("published_at");
    const docs = await call("GET", "/docs", { token: null });
    expect(docs.headers.get("content-type")).toMatch(/text\/html/);
    expect(docs.text).toContain("/v1/articles/{id}/summary");
  });
});

describe("articles: the stored record stays bounded", () => {
  it("an article matching many subscribers' hit budgets is stored with every match and total, hits cut so its story index keeps a copy", async () => {
    const ingest = await mintIngestToken();
    const queries = ["minsk", "beijing", "traders", "buyers"];
    const subs = [];
    for (let i = 0; i < 12; i++) {
      const sub = await createSubscriber({ name: `desk ${i}` });
      const wl = await call("POST", "/v1/watchlists", {
        token: sub.token,
        json: { name: "trade", queries },
      });
      expect(wl.status).toBe(201);
      subs.push(sub);
    }
    const sentence =
      "Minsk traders met Beijing buyers at the autumn fair, where the Minsk delegation showed tractors, dairy machines and optical glass to Beijing buyers who had travelled from the coast; traders from both sides said the orders signed in the first two days were larger than in any year since the fair moved to the new exhibition grounds.";
    const count = 3000;
    const text = Array.from({ length: count }, () => sentence).join(" ");
    const url = "https://wire.example.org/minsk-fair";
    const created = await call("POST", "/v1/articles", { token: ingest, json: { url, text } });
    expect(created.status).toBe(201);
    const mine = await call("GET", `/v1/articles/${created.data.id}`, { token: subs[0]?.token });
    expect(mine.status).toBe(200);
    const matches = mine.data.matches as { query: string; total: number; hits: unknown[] }[];
    // every query is there with its exact total; hits were cut below the per-query 50
    expect(matches.map((m) => m.query)).toEqual(queries);
    expect(matches.map((m) => m.total)).toEqual([2 * count, 2 * count, 2 * count, 2 * count]);
    const hits = matches.reduce((n, m) => n + m.hits.length, 0);
    expect(hits).toBeGreaterThan(0);
    expect(hits).toBeLessThan(MAX_HITS_PER_SUBSCRIBER);
    const kept = await runInDurableObject(
      storyIndexFor(env, "en"),
      (_o, state: DurableObjectState) =>
        state.storage.sql
          .exec<{ n: number }>(
            "SELECT COUNT(*) AS n FROM stories WHERE article_id = ? AND record IS NOT NULL",
            created.data.id,
          )
          .one().n,
    );
    expect(kept).toBe(1);
  });
});
