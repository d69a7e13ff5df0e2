import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import seed from "../../fixtures/seed-ar-xinhua.txt?raw";
import type { WatchIndexBuilder, WatchIndexPointer } from "../../src/objects/watch-index.ts";
import { keys } from "../../src/store/keys.ts";
import {
  compileWatchIndex,
  decodeWatchIndex,
  encodeWatchIndex,
  WATCH_INDEX_FORMAT,
} from "../../src/watch/index.ts";
import { feedItems } from "./delivery.ts";
import { call, createSubscriber, expectProblem, mintIngestToken } from "./helpers.ts";

/** Offsets of whole words of `text` that are one of `forms`, found independently of the matcher. */
function wordOffsets(text: string, forms: string[]): [number, number, string][] {
  const out: [number, number, string][] = [];
  for (const m of text.matchAll(/[\p{L}\p{M}]+/gu)) {
    if (forms.includes(m[0])) out.push([m.index, m.index + m[0].length, m[0]]);
  }
  return out;
}

const hitsOf = (
  article: {
    matches: {
      query: string;
      hits: { start: number; end: number; text: string; field: string }[];
    }[];
  },
  query: string,
) =>
  (article.matches.find((m) => m.query === query)?.hits ?? []).map(
    (h) => [h.start, h.end, h.text] as [number, number, string],
  );

describe("watchlists: CRUD and validation", () => {
  it("a subscriber manages its own watchlists; admin manages any", async () => {
    const sub = await createSubscriber({ name: "desk" });
    const created = await call("POST", "/v1/watchlists", {
      token: sub.token,
      json: { name: "Belarus", queries: ["belarus", '"belt and road"'], langs: ["EN", "ar"] },
    });
    expect(created.status).toBe(201);
    expect(created.data).toMatchObject({
      subscriber_id: sub.id,
      langs: ["en", "ar"],
      sources: null,
    });
    const id = created.data.id;
    expect((await call("GET", `/v1/watchlists/${id}`, { token: sub.token })).data.name).toBe(
      "Belarus",
    );
    const patched = await call("PATCH", `/v1/watchlists/${id}`, {
      token: sub.token,
      json: { queries: ["minsk"] },
    });
    expect(patched.data.queries).toEqual(["minsk"]);
    const list = await call("GET", "/v1/watchlists", { token: sub.token });
    expect(list.data.items.map((w: { id: string }) => w.id)).toEqual([id]);
    const byAdmin = await call("POST", "/v1/watchlists", {
      json: { name: "x", queries: ["a"], subscriber_id: sub.id },
    });
    expect(byAdmin.status).toBe(201);
    expect((await call("GET", `/v1/watchlists?subscriber_id=${sub.id}`)).data.items).toHaveLength(
      2,
    );
    expect((await call("DELETE", `/v1/watchlists/${id}`, { token: sub.token })).status).toBe(204);
    expectProblem(
      await call("GET", `/v1/watchlists/${id}`, { token: sub.token }),
      404,
      "not_found",
    );
  });

  it("rejects a query with a syntax error, giving its position", async () => {
    const sub = await createSubscriber();
    const res = await call("POST", "/v1/watchlists", {
      token: sub.token,
      json: { name: "bad", queries: ["belarus", "xi AND (belarus OR"] },
    });
    expectProblem(res, 422, "invalid_query");
    expect(res.data.errors[0].field).toBe("queries.1");
    expect(typeof res.data.errors[0].position).toBe("number");
    expect((await call("GET", "/v1/watchlists", { token: sub.token })).data.items).toEqual([]);
    expectProblem(
      await call("POST", "/v1/watchlists", { token: sub.token, json: { name: "x", queries: [] } }),
      422,
      "validation_failed",
    );
    expectProblem(
      await call("POST", "/v1/watchlists", { json: { name: "x", queries: ["a"] } }),
      422,
      "validation_failed",
    );
  });

  it("one subscriber cannot see or change another's watchlists", async () => {
    const a = await createSubscriber({ name: "a" });
    const b = await createSubscriber({ name: "b" });
    const wl = await call("POST", "/v1/watchlists", {
      token: a.token,
      json: { name: "a's", queries: ["secret topic"] },
    });
    expectProblem(
      await call("GET", `/v1/watchlists/${wl.data.id}`, { token: b.token }),
      404,
      "not_found",
    );
    expectProblem(
      await call("PATCH", `/v1/watchlists/${wl.data.id}`, {
        token: b.token,
        json: { name: "mine" },
      }),
      404,
      "not_found",
    );
    expectProblem(
      await call("DELETE", `/v1/watchlists/${wl.data.id}`, { token: b.token }),
      404,
      "not_found",
    );
    expect((await call("GET", "/v1/watchlists", { token: b.token })).data.items).toEqual([]);
    const ingest = await mintIngestToken();
    expectProblem(await call("GET", "/v1/watchlists", { token: ingest }), 403, "forbidden");
  });
});

describe("watchlists: matching at ingest", () => {
  it("the seed matches الصين, بيلاروسيا, the phrase and لوكاشينكو with exact offsets", async () => {
    const sub = await createSubscriber({ name: "arabic desk" });
    const queries = ["الصين", "بيلاروسيا", '"الحزام والطريق"', "لوكاشينكو", "لبنان"];
    await call("POST", "/v1/watchlists", {
      token: sub.token,
      json: { name: "China-Belarus", queries },
    });
    const ingest = await mintIngestToken();
    const res = await call("POST", "/v1/articles", {
      token: ingest,
      json: { url: "https://arabic.news.cn/seed", text: seed },
    });
    expect(res.status).toBe(201);
    // The ingest token sees no watch matches; the subscriber sees its own.
    expect(res.data.matches).toEqual([]);
    const mine = (await call("GET", `/v1/articles/${res.data.id}`, { token: sub.token })).data;
    const text: string = mine.text;
    expect(hitsOf(mine, "الصين")).toEqual(
      wordOffsets(text, ["الصين", "والصين", "للصين", "بالصين", "وللصين"]),
    );
    expect(hitsOf(mine, "الصين").map((h) => h[2])).toContain("والصين");
    expect(hitsOf(mine, "بيلاروسيا")).toEqual(
      wordOffsets(text, ["بيلاروسيا", "وبيلاروسيا", "لبيلاروسيا"]),
    );
    expect(hitsOf(mine, "لوكاشينكو")).toEqual(wordOffsets(text, ["لوكاشينكو"]));
    const phrase = [...text.matchAll(/الحزام والطريق/g)].map((m) => [
      m.index,
      m.index + 14,
      "الحزام والطريق",
    ]);
    expect(hitsOf(mine, '"الحزام والطريق"')).toEqual(phrase);
    expect(mine.matches.find((m: { query: string }) => m.query === "لبنان")).toBeUndefined();
    for (const m of mine.matches) {
      for (const h of m.hits) {
        expect(text.slice(h.start, h.end)).toBe(h.text);
        expect(h.snippet).toContain(h.text);
        expect(h.field).toBe("text");
      }
    }
  });

  it("langs and sources filter which articles a watchlist sees", async () => {
    const sub = await createSubscriber({ name: "filters" });
    const en = await call("POST", "/v1/watchlists", {
      token: sub.token,
      json: { name: "en only", queries: ["minsk"], langs: ["en"] },
    });
    const src = await call("POST", "/v1/watchlists", {
      token: sub.token,
      json: { name: "one source", queries: ["minsk"], sources: ["wire.example.com"] },
    });
    const ingest = await mintIngestToken();
    const fr = await call("POST", "/v1/articles", {
      token: ingest,
      json: {
        url: "https://other.example.org/fr",
        lang: "fr",
        text: "MINSK, 3 mars (Xinhua) -- Le sommet de Minsk s'est ouvert lundi. Les délégations sont arrivées.",
      },
    });
    const frSeen = (await call("GET", `/v1/articles/${fr.data.id}`, { token: sub.token })).data;
    expect(frSeen.matches).toEqual([]);
    const enArt = await call("POST", "/v1/articles", {
      token: ingest,
      json: {
        url: "https://news.wire.example.com/en",
        lang: "en",
        text: "MINSK, March 3 (Xinhua) -- The Minsk summit opened on Monday. Delegations arrived early.",
      },
    });
    const enSeen = (await call("GET", `/v1/articles/${enArt.data.id}`, { token: sub.token })).data;
    expect(enSeen.matches.map((m: { watchlist_id: string }) => m.watchlist_id).sort()).toEqual(
      [en.data.id, src.data.id].sort(),
    );
  });
});

describe("watchlists: quotas", () => {
  it("answers 422 quota_exceeded past the documented per-subscriber quotas, storing nothing", async () => {
    const sub = await createSubscriber({ name: "quota desk" });
    const create = (queries: string[], name = "w") =>
      call("POST", "/v1/watchlists", { token: sub.token, json: { name, queries } });
    const count = async () =>
      (await call("GET", "/v1/watchlists", { token: sub.token })).data.items.length;

    // 201 queries in one watchlist (the quota is 200).
    const many = Array.from({ length: 201 }, (_, i) => `term${i}`);
    expectProblem(await create(many), 422, "quota_exceeded");
    // 33 terms in one query (the quota is 32), named at its position in the list.
    const long = Array.from({ length: 33 }, (_, i) => `w${i}`).join(" OR ");
    const tooLong = await create(["ok", long]);
    expectProblem(tooLong, 422, "quota_exceeded");
    expect(tooLong.data.errors[0].field).toBe("queries.1");
    expect(await count()).toBe(0);

    // 2,000 queries in all: ten watchlists of 200 fit, one more query does not.
    for (let w = 0; w < 10; w++) {
      const res = await create(
        Array.from({ length: 200 }, (_, i) => `w${w}q${i}`),
        `list ${w}`,
      );
      expect(res.status).toBe(201);
    }
    expectProblem(await create(["one more"]), 422, "quota_exceeded");
    expect(await count()).toBe(10);
    // Making room (a smaller list) lets it in; a patch is checked the same way.
    const first = (await call("GET", "/v1/watchlists", { token: sub.token })).data.items[0];
    expect(
      (
        await call("PATCH", `/v1/watchlists/${first.id}`, {
          token: sub.token,
          json: { queries: ["a", "b"] },
        })
      ).status,
    ).toBe(200);
    expect((await create(["one more"])).status).toBe(201);
    expectProblem(
      await call("PATCH", `/v1/watchlists/${first.id}`, {
        token: sub.token,
        json: { queries: Array.from({ length: 200 }, (_, i) => `p${i}`) },
      }),
      422,
      "quota_exceeded",
    );
  });

  it("answers 422 quota_exceeded for the 101st watchlist", async () => {
    const sub = await createSubscriber({ name: "many lists" });
    for (let w = 0; w < 100; w++) {
      const res = await call("POST", "/v1/watchlists", {
        token: sub.token,
        json: { name: `list ${w}`, queries: [`topic${w}`] },
      });
      expect(res.status).toBe(201);
    }
    expectProblem(
      await call("POST", "/v1/watchlists", {
        token: sub.token,
        json: { name: "101", queries: ["x"] },
      }),
      422,
      "quota_exceeded",
    );
  });

  it("a change is live for the next ingest once the builder has run; deleting takes it out", async () => {
    const sub = await createSubscriber({ name: "live desk" });
    const ingest = await mintIngestToken();
    const wl = await call("POST", "/v1/watchlists", {
      token: sub.token,
      json: { name: "volcano", queries: ["volcano"] },
    });
    const post = (n: number) =>
      call("POST", "/v1/articles", {
        token: ingest,
        json: {
          url: `https://wire.example.com/volcano/${n}`,
          text: `REYKJAVIK, Jan ${n} (Xinhua) -- A volcano erupted on the peninsula for the ${n}th time, sending lava toward a town. Residents number ${n * 97} were evacuated overnight.`,
        },
      });
    const seen = await post(1);
    const admin = await call("GET", `/v1/articles/${seen.data.id}`);
    const ids = (a: { data: { matches: { watchlist_id: string }[] } }) =>
      a.data.matches.map((m) => m.watchlist_id);
    expect(ids(admin)).toContain(wl.data.id);
    await call("DELETE", `/v1/watchlists/${wl.data.id}`, { token: sub.token });
    const after = await post(2);
    expect(ids(await call("GET", `/v1/articles/${after.data.id}`))).not.toContain(wl.data.id);
  });
});

describe("watchlists: naming another subscriber", () => {
  it("a subscriber naming another subscriber_id gets 404, like a missing one, and nothing is stored", async () => {
    const a = await createSubscriber({ name: "desk a" });
    const b = await createSubscriber({ name: "desk b" });
    for (const other of [a.id, "sub_missing"]) {
      expectProblem(
        await call("POST", "/v1/watchlists", {
          token: b.token,
          json: { name: "x", queries: ["x"], subscriber_id: other },
        }),
        404,
        "not_found",
      );
      expectProblem(
        await call("GET", `/v1/watchlists?subscriber_id=${other}`, { token: b.token }),
        404,
        "not_found",
      );
    }
    expect((await call("GET", "/v1/watchlists", { token: a.token })).data.items).toEqual([]);
    expect((await call("GET", "/v1/watchlists", { token: b.token })).data.items).toEqual([]);
    // Naming itself is fine.
    const own = await call("POST", "/v1/watchlists", {
      token: b.token,
      json: { name: "mine", queries: ["x"], subscriber_id: b.id },
    });
    expect(own.status).toBe(201);
  });
});

describe("watchlists: a snapshot of another format (a deploy changed WATCH_INDEX_FORMAT)", () => {
  const builder = () => env.WATCH_INDEX.getByName("all");

  /** Leaves what the code before format 2 left: a pointer without `format` to a format-1 snapshot. */
  async function plantOldSnapshot(version: string): Promise<void> {
    const old = encodeWatchIndex(compileWatchIndex([]));
    new DataView(old.buffer, old.byteOffset).setUint32(4, 1, true);
    expect(() => decodeWatchIndex(old)).toThrow(/format 1, expected/);
    await env.KV.put(keys.watchIndexChunk(version, 0), old);
    const { format: _, ...current } = (await builder().current()) as WatchIndexPointer;
    await runInDurableObject(builder(), (_o: WatchIndexBuilder, state) => {
      state.storage.sql.exec(
        "INSERT OR REPLACE INTO meta (key, value) VALUES ('current', ?)",
        JSON.stringify({ ...current, version, chunks: 1, bytes: old.byteLength }),
      );
    });
  }

  it("the next ingest still matches and alerts: the builder rebuilds before answering", async () => {
    const sub = await createSubscriber({ name: "deploy desk" });
    const wl = await call("POST", "/v1/watchlists", {
      token: sub.token,
      json: { name: "geysers", queries: ["geyser"] },
    });
    await plantOldSnapshot("old-format-a");
    const ingest = await mintIngestToken();
    const res = await call("POST", "/v1/articles", {
      token: ingest,
      json: {
        url: "https://wire.example.com/geyser/1",
        text: "REYKJAVIK, Feb 2 (Xinhua) -- A geyser near the capital erupted twice on Sunday, drawing crowds of visitors. Park rangers closed the nearest path for the day.",
      },
    });
    expect(res.status).toBe(201);
    const seen = (await call("GET", `/v1/articles/${res.data.id}`, { token: sub.token })).data;
    expect(seen.matches.map((m: { watchlist_id: string }) => m.watchlist_id)).toEqual([wl.data.id]);
    expect((await feedItems(sub.token)).map((i) => i._wirebrief.article_id)).toContain(res.data.id);
    const now = (await builder().current()) as WatchIndexPointer;
    expect(now).toMatchObject({ format: WATCH_INDEX_FORMAT });
    expect(now.version).not.toBe("old-format-a");
  });

  it("many callers at once share one build and get the same new pointer", async () => {
    // each build retires the pointer it replaces
    const retired = () =>
      runInDurableObject(builder(), (_o: WatchIndexBuilder, state) =>
        state.storage.sql
          .exec<{ version: string }>("SELECT version FROM retired")
          .toArray()
          .map((r) => r.version),
      );
    await plantOldSnapshot("old-format-b");
    const before = await retired();
    const answers = await Promise.all(Array.from({ length: 8 }, () => builder().current()));
    const versions = new Set(answers.map((p) => p?.version));
    expect(versions.size).toBe(1);
    expect(versions.has("old-format-b")).toBe(false);
    expect(answers[0]).toMatchObject({ format: WATCH_INDEX_FORMAT });
    expect((await retired()).filter((v) => !before.includes(v))).toEqual(["old-format-b"]);
    expect((await builder().current())?.version).toBe(answers[0]?.version);
  });

  it("no pointer while watchlists exist (a lost build) is built before answering too", async () => {
    const sub = await createSubscriber({ name: "lost build desk" });
    await call("POST", "/v1/watchlists", { token: sub.token, json: { name: "x", queries: ["x"] } });
    await runInDurableObject(builder(), (_o: WatchIndexBuilder, state) => {
      state.storage.sql.exec("DELETE FROM meta WHERE key = 'current'");
    });
    const p = await builder().current();
    expect(p).toMatchObject({ format: WATCH_INDEX_FORMAT });
    expect(p?.watchlists).toBeGreaterThan(0);
  });
});
