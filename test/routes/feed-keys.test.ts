import { parseFeed } from "@rowanmanning/feed-parser";
import { describe, expect, it } from "vitest";
import { isolateDeliveries } from "./delivery.ts";
import { call, createSubscriber, expectProblem, mintIngestToken } from "./helpers.ts";

const created = isolateDeliveries();

async function subscriberWithAlert() {
  const sub = await createSubscriber({ name: "readers" });
  created.push(sub.id);
  await call("POST", "/v1/watchlists", {
    token: sub.token,
    json: { name: "Belarus", queries: ["lukashenko"] },
  });
  const article = await call("POST", "/v1/articles", {
    token: await mintIngestToken(),
    json: {
      url: "https://wire.example.com/fk1",
      title: "Lukashenko & the <potash> talks",
      text: "MINSK, April 2 (Xinhua) -- Lukashenko met potash buyers from three countries on Monday. Prices were the main topic. A deal is expected within weeks.",
    },
  });
  return { sub, article: article.data as { id: string; url: string } };
}

/** A request with no Authorization header, as a feed reader sends it. */
const fetchFeed = (path: string) => call("GET", path, { token: null });

describe("feed keys", () => {
  it("a key (shown once) opens the feed in Atom, RSS and JSON Feed with no header; a real feed parser reads them", async () => {
    const { sub } = await subscriberWithAlert();
    const res = await call("POST", "/v1/feed-keys", {
      token: sub.token,
      json: { name: "Inoreader" },
    });
    expect(res.status).toBe(201);
    const { key, urls, url, id } = res.data;
    expect(key).toMatch(/^wbf_[A-Za-z0-9_-]{32}$/);
    expect(url).toBe(urls.atom);
    expect(urls).toEqual({
      json: `http://wirebrief.test/feeds/${key}.json`,
      atom: `http://wirebrief.test/feeds/${key}.atom`,
      rss: `http://wirebrief.test/feeds/${key}.rss`,
    });

    const listing = await call("GET", "/v1/feed-keys", { token: sub.token });
    expect(listing.data.items).toMatchObject([{ id, name: "Inoreader", subscriber_id: sub.id }]);
    expect(listing.text).not.toContain(key);
    expect(listing.text).not.toContain("hash");

    const atom = await fetchFeed(`/feeds/${key}.atom`);
    expect(atom.status).toBe(200);
    expect(atom.headers.get("content-type")).toMatch(/^application\/atom\+xml/);
    const parsedAtom = parseFeed(atom.text);
    expect(parsedAtom.items).toHaveLength(1);
    expect(parsedAtom.items[0]?.title).toBe("Lukashenko & the <potash> talks");
    expect(parsedAtom.items[0]?.url).toBe("https://wire.example.com/fk1");

    const rss = await fetchFeed(`/feeds/${key}.rss`);
    expect(rss.headers.get("content-type")).toMatch(/^application\/rss\+xml/);
    const parsedRss = parseFeed(rss.text);
    expect(parsedRss.items).toHaveLength(1);
    expect(parsedRss.items[0]?.title).toBe("Lukashenko & the <potash> talks");
    expect(parsedRss.items[0]?.url).toBe("https://wire.example.com/fk1");

    const json = await fetchFeed(`/feeds/${key}.json`);
    expect(json.headers.get("content-type")).toMatch(/^application\/feed\+json/);
    expect(json.data.items).toHaveLength(1);
    // The same renderer as /v1/feed: the same items.
    const own = await call("GET", "/v1/feed", { token: sub.token });
    expect(json.data.items).toEqual(own.data.items);
  });

  it("revoking makes the URLs 404; unknown, malformed and other subscribers' keys are 404; a feed key is no bearer token", async () => {
    const { sub } = await subscriberWithAlert();
    const other = await createSubscriber({ name: "other" });
    created.push(other.id);
    const { key, id } = (await call("POST", "/v1/feed-keys", { token: sub.token, json: {} })).data;
    expect((await fetchFeed(`/feeds/${key}.atom`)).status).toBe(200);

    expectProblem(await fetchFeed(`/feeds/wbf_${"A".repeat(32)}.atom`), 404, "not_found");
    expectProblem(await fetchFeed(`/feeds/${key}.xml`), 404, "not_found");
    expectProblem(await fetchFeed(`/feeds/${key}`), 404, "not_found");
    expectProblem(await fetchFeed("/feeds/..%2F..%2Fv1%2Ffeed.json"), 404, "not_found");
    expectProblem(await call("GET", "/v1/feed", { token: key }), 401, "unauthorized");
    expectProblem(
      await call("DELETE", `/v1/feed-keys/${id}`, { token: other.token }),
      404,
      "not_found",
    );
    expect((await fetchFeed(`/feeds/${key}.rss`)).status).toBe(200);

    expect((await call("DELETE", `/v1/feed-keys/${id}`, { token: sub.token })).status).toBe(204);
    for (const ext of ["atom", "rss", "json"]) {
      expectProblem(await fetchFeed(`/feeds/${key}.${ext}`), 404, "not_found");
    }
    expectProblem(
      await call("DELETE", `/v1/feed-keys/${id}`, { token: sub.token }),
      404,
      "not_found",
    );
    expect((await call("GET", "/v1/feed-keys", { token: sub.token })).data.items).toEqual([]);

    // Admin acts for a named subscriber; at most 10 keys each.
    for (let i = 0; i < 10; i++) {
      const r = await call("POST", "/v1/feed-keys", { json: { subscriber_id: other.id } });
      expect(r.status).toBe(201);
    }
    expectProblem(
      await call("POST", "/v1/feed-keys", { token: other.token, json: {} }),
      422,
      "quota_exceeded",
    );
    const last = (await call("GET", `/v1/feed-keys?subscriber_id=${other.id}`)).data.items;
    expect(last).toHaveLength(10);
  });

  it("a deleted subscriber's feed keys stop working", async () => {
    const { sub } = await subscriberWithAlert();
    const { key } = (await call("POST", "/v1/feed-keys", { token: sub.token, json: {} })).data;
    expect((await fetchFeed(`/feeds/${key}.json`)).status).toBe(200);
    await call("DELETE", `/v1/subscribers/${sub.id}`);
    expectProblem(await fetchFeed(`/feeds/${key}.json`), 404, "not_found");
  });
});
