import { Webhook } from "standardwebhooks";
import { describe, expect, it, vi } from "vitest";
import { type ChannelType, renderAlert, renderTest } from "../../src/alerts/channels/index.ts";
import { toPublicAlert } from "../../src/objects/subscriber-alerts.ts";
import type { AlertRecord } from "../../src/records.ts";
import { alertOf, feedItems, isolateDeliveries, receiver, runDue } from "./delivery.ts";
import { call, createSubscriber, expectProblem, mintIngestToken } from "./helpers.ts";

const HOOK = "http://127.0.0.1:9/hook";
const HOUR = 3600_000;

const story = (n: number) =>
  `MINSK, March ${n} (Xinhua) -- President Lukashenko met a trade delegation number ${n} on Tuesday. ` +
  `The talks covered potash exports number ${n}, rail freight and a new industrial park near the capital. ` +
  `Officials said agreements would be signed later this year.`;

const created = isolateDeliveries();
async function subscriber(webhook: string | null = null) {
  const sub = await createSubscriber({
    name: "desk",
    ...(webhook ? { webhook_url: webhook } : {}),
  });
  created.push(sub.id);
  return sub;
}

async function addChannel(token: string, type: ChannelType, url: string, name?: string) {
  const res = await call("POST", "/v1/channels", {
    token,
    json: { type, url, ...(name ? { name } : {}) },
  });
  if (res.status !== 201) throw new Error(`channel: ${res.status} ${res.text}`);
  return res.data as { id: string; secret?: string; url: string };
}

describe("channels: CRUD, URL rules, quota", () => {
  it("the webhook_url is the primary webhook channel and stays in step with the subscriber", async () => {
    const sub = await subscriber(HOOK);
    const list = (await call("GET", "/v1/channels", { token: sub.token })).data.items;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ type: "webhook", url: HOOK, primary: true, status: "active" });
    const primary = list[0].id as string;

    const moved = await call("PATCH", `/v1/channels/${primary}`, {
      token: sub.token,
      json: { url: "http://127.0.0.1:9/moved", name: "main hook" },
    });
    expect(moved.data).toMatchObject({ url: "http://127.0.0.1:9/moved", name: "main hook" });
    expect((await call("GET", `/v1/subscribers/${sub.id}`)).data.webhook_url).toBe(
      "http://127.0.0.1:9/moved",
    );
    expect((await call("DELETE", `/v1/channels/${primary}`, { token: sub.token })).status).toBe(
      204,
    );
    expect((await call("GET", `/v1/subscribers/${sub.id}`)).data).toMatchObject({
      webhook_url: null,
      webhook_status: "none",
    });
    expect((await call("GET", "/v1/channels", { token: sub.token })).data.items).toEqual([]);
    // Setting webhook_url again makes a new primary channel.
    await call("PATCH", `/v1/subscribers/${sub.id}`, { json: { webhook_url: HOOK } });
    const again = (await call("GET", "/v1/channels", { token: sub.token })).data.items;
    expect(again).toMatchObject([{ primary: true, url: HOOK }]);

    const doc = (await call("GET", "/openapi.json", { token: null })).data;
    for (const path of [
      "/v1/channels",
      "/v1/channels/{id}",
      "/v1/channels/{id}/test",
      "/v1/feed-keys",
      "/v1/feed-keys/{id}",
      "/feeds/{file}",
    ]) {
      expect(doc.paths, path).toHaveProperty([path]);
    }
    expect(Object.keys(doc.components.schemas.Watchlist.properties)).toEqual(
      expect.arrayContaining(["channels", "delivery", "paused_until"]),
    );
  });

  it("checks each platform's URL, shows chat URLs redacted and a webhook secret once", async () => {
    const sub = await subscriber();
    const slack = await addChannel(
      sub.token,
      "slack",
      "https://hooks.slack.com/services/T0001/B0002/slacksecretpart",
      "desk",
    );
    expect(slack.url).toBe("https://hooks.slack.com/services/T0001/B0002/…");
    expect(slack.secret).toBeUndefined();
    const discord = await addChannel(
      sub.token,
      "discord",
      "https://discord.com/api/webhooks/123456/discordsecret-token",
    );
    expect(discord.url).toBe("https://discord.com/api/webhooks/123456/…");
    await addChannel(
      sub.token,
      "teams",
      "https://prod-07.westeurope.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sig=teamssecret",
    );
    const hook = await addChannel(sub.token, "webhook", "https://hooks.example.org/in");
    expect(hook.secret).toMatch(/^whsec_/);

    const listing = await call("GET", "/v1/channels", { token: sub.token });
    expect(listing.data.items.map((c: { type: string }) => c.type)).toEqual([
      "slack",
      "discord",
      "teams",
      "webhook",
    ]);
    for (const secret of ["slacksecretpart", "discordsecret", "teamssecret", hook.secret]) {
      expect(listing.text).not.toContain(secret);
    }
    const one = await call("GET", `/v1/channels/${slack.id}`, { token: sub.token });
    expect(one.data).toMatchObject({ id: slack.id, type: "slack", name: "desk" });

    const bad: [ChannelType, string, string][] = [
      ["slack", "https://example.com/services/T/B/x", "hooks.slack.com"],
      ["slack", "https://hooks.slack.com/other", "hooks.slack.com/services"],
      ["discord", "https://discord.com/api/channels/1", "discord.com/api/webhooks"],
      ["teams", "https://evil.example.com/workflows", "Workflows"],
      ["webhook", "https://10.0.0.1/in", "private"],
      ["webhook", "http://hooks.example.org/in", "https"],
      ["discord", "https://hooks.slack.com/services/T/B/x", "discord.com"],
    ];
    for (const [type, url, reason] of bad) {
      const res = await call("POST", "/v1/channels", { token: sub.token, json: { type, url } });
      expectProblem(res, 422, "unsafe_webhook_url");
      expect(res.data.errors[0].field).toBe("url");
      expect(res.data.detail).toContain(reason);
    }
    expectProblem(
      await call("POST", "/v1/channels", { token: sub.token, json: { type: "email", url: HOOK } }),
      422,
      "validation_failed",
    );
    expectProblem(
      await call("PATCH", `/v1/channels/${slack.id}`, {
        token: sub.token,
        json: { url: "https://example.com/x" },
      }),
      422,
      "unsafe_webhook_url",
    );
    expectProblem(
      await call("PATCH", `/v1/channels/${slack.id}`, {
        token: sub.token,
        json: { type: "teams" },
      }),
      422,
      "validation_failed",
    );
    const renamed = await call("PATCH", `/v1/channels/${slack.id}`, {
      token: sub.token,
      json: { name: "wire desk" },
    });
    expect(renamed.data).toMatchObject({ name: "wire desk", type: "slack" });

    // Another subscriber sees none of it; an ingest token may not; admin names the owner.
    const other = await subscriber();
    expectProblem(
      await call("GET", `/v1/channels/${slack.id}`, { token: other.token }),
      404,
      "not_found",
    );
    expectProblem(
      await call("DELETE", `/v1/channels/${slack.id}`, { token: other.token }),
      404,
      "not_found",
    );
    expectProblem(
      await call("GET", `/v1/channels?subscriber_id=${sub.id}`, { token: other.token }),
      404,
      "not_found",
    );
    expectProblem(
      await call("GET", "/v1/channels", { token: await mintIngestToken() }),
      403,
      "forbidden",
    );
    expectProblem(await call("GET", "/v1/channels"), 422, "validation_failed");
    expect((await call("GET", `/v1/channels/${slack.id}?subscriber_id=${sub.id}`)).status).toBe(
      200,
    );
    const byAdmin = await call("POST", "/v1/channels", {
      json: {
        type: "discord",
        url: "https://discord.com/api/webhooks/9/abc",
        subscriber_id: sub.id,
      },
    });
    expect(byAdmin.status).toBe(201);

    expect((await call("DELETE", `/v1/channels/${slack.id}`, { token: sub.token })).status).toBe(
      204,
    );
    expectProblem(
      await call("GET", `/v1/channels/${slack.id}`, { token: sub.token }),
      404,
      "not_found",
    );
  });

  it("a subscriber has at most 10 channels (422 quota_exceeded), the webhook_url one included", async () => {
    const sub = await subscriber(HOOK);
    for (let i = 1; i < 10; i++) await addChannel(sub.token, "slack", `http://127.0.0.1:9/s${i}`);
    const over = await call("POST", "/v1/channels", {
      token: sub.token,
      json: { type: "slack", url: "http://127.0.0.1:9/s10" },
    });
    expectProblem(over, 422, "quota_exceeded");
    expect((await call("GET", "/v1/channels", { token: sub.token })).data.items).toHaveLength(10);
  });
});

describe("channels: delivery", () => {
  async function withWatchlist(token: string, extra: Record<string, unknown> = {}) {
    const wl = await call("POST", "/v1/watchlists", {
      token,
      json: { name: "Belarus", queries: ["lukashenko"], ...extra },
    });
    if (wl.status !== 201) throw new Error(`watchlist: ${wl.status} ${wl.text}`);
    return wl.data as { id: string };
  }

  it("an alert goes to Slack, Discord and Teams unsigned with each platform's body, and to webhook channels signed", async () => {
    const sub = await subscriber();
    const chans = {
      slack: await addChannel(sub.token, "slack", "http://127.0.0.1:9/slack"),
      discord: await addChannel(sub.token, "discord", "http://127.0.0.1:9/discord"),
      teams: await addChannel(sub.token, "teams", "http://127.0.0.1:9/teams"),
      webhook: await addChannel(sub.token, "webhook", "http://127.0.0.1:9/webhook"),
    };
    await withWatchlist(sub.token);
    const got = receiver([], () => new Response(null, { status: 200 }));
    const ingest = await mintIngestToken();
    await call("POST", "/v1/articles", {
      token: ingest,
      json: {
        url: "https://wire.example.com/ch1",
        title: "Lukashenko meets traders",
        text: story(1),
      },
    });
    await vi.waitFor(() => expect(got).toHaveLength(4), { timeout: 10_000 });
    const [item] = await feedItems(sub.token);
    const record = (await alertOf(item?.id as string, sub.token)) as AlertRecord;
    await vi.waitFor(async () =>
      expect((await alertOf(record.id, sub.token)).status).toBe("delivered"),
    );
    const sent = toPublicAlert({ ...record, status: "pending" });
    for (const type of ["slack", "discord", "teams"] as const) {
      const r = got.find((g) => g.url.endsWith(`/${type}`));
      expect(r, type).toBeDefined();
      expect(r?.headers["webhook-signature"]).toBeUndefined();
      expect(r?.headers["content-type"]).toBe("application/json");
      expect(JSON.parse(r?.body as string)).toEqual(JSON.parse(renderAlert(type, sent).body));
    }
    const slack = JSON.parse(got.find((g) => g.url.endsWith("/slack"))?.body as string);
    expect(slack.blocks[0].text.text).toContain("Lukashenko meets traders");
    const discord = JSON.parse(got.find((g) => g.url.endsWith("/discord"))?.body as string);
    expect(discord.embeds[0].title).toBe("Lukashenko meets traders");
    expect(discord.allowed_mentions).toEqual({ parse: [] });
    const teams = JSON.parse(got.find((g) => g.url.endsWith("/teams"))?.body as string);
    expect(teams.attachments[0].contentType).toBe("application/vnd.microsoft.card.adaptive");
    expect(teams.attachments[0].content.version).toBe("1.5");

    const hook = got.find((g) => g.url.endsWith("/webhook"));
    const payload = new Webhook(chans.webhook.secret as string).verify(
      hook?.body as string,
      hook?.headers as Record<string, string>,
    ) as { type: string; data: { id: string } };
    expect(payload).toMatchObject({ type: "alert.created", data: { id: record.id } });
    expect(hook?.headers["webhook-id"]).toBe(record.id);

    const after = await alertOf(record.id, sub.token);
    expect(after.deliveries).toHaveLength(4);
    const log = (await call("GET", "/v1/deliveries", { token: sub.token })).data.items;
    expect(log.map((d: { channel_type: string }) => d.channel_type).sort()).toEqual([
      "discord",
      "slack",
      "teams",
      "webhook",
    ]);
    expect(log.every((d: { kind: string; ok: boolean }) => d.kind === "alert" && d.ok)).toBe(true);
  });

  it("a watchlist's channels choose where it goes; a failing chat channel is retried like a webhook", async () => {
    const sub = await subscriber(HOOK);
    const slack = await addChannel(sub.token, "slack", "http://127.0.0.1:9/slack");
    await addChannel(sub.token, "discord", "http://127.0.0.1:9/discord");
    const unknown = await call("POST", "/v1/watchlists", {
      token: sub.token,
      json: { name: "x", queries: ["lukashenko"], channels: [slack.id, "ch_nope"] },
    });
    expectProblem(unknown, 422, "validation_failed");
    expect(unknown.data.errors[0].field).toBe("channels.1");
    const wl = await withWatchlist(sub.token, { channels: [slack.id] });
    expect(
      (await call("GET", `/v1/watchlists/${wl.id}`, { token: sub.token })).data.channels,
    ).toEqual([slack.id]);
    const got = receiver([() => new Response("busy", { status: 500 })], () => new Response("ok"));
    await call("POST", "/v1/articles", {
      token: await mintIngestToken(),
      json: { url: "https://wire.example.com/ch2", text: story(2) },
    });
    await vi.waitFor(() => expect(got).toHaveLength(1), { timeout: 10_000 });
    const [item] = await feedItems(sub.token);
    await vi.waitFor(async () =>
      expect(await alertOf(item?.id as string, sub.token)).toMatchObject({
        status: "pending",
        attempts: 1,
      }),
    );
    expect(await runDue(sub.id, HOUR)).toBe(1);
    expect(got.map((g) => new URL(g.url).pathname)).toEqual(["/slack", "/slack"]);
    expect(await alertOf(item?.id as string, sub.token)).toMatchObject({
      status: "delivered",
      attempts: 2,
    });
  });

  it("the test route sends each platform's test message, and a signed ping to webhook channels", async () => {
    const sub = await subscriber();
    const slack = await addChannel(sub.token, "slack", "http://127.0.0.1:9/slack", "news desk");
    const hook = await addChannel(sub.token, "webhook", "http://127.0.0.1:9/hook");
    const got = receiver([() => new Response("ok"), () => new Response(null, { status: 204 })]);
    const a = await call("POST", `/v1/channels/${slack.id}/test`, { token: sub.token });
    expect(a.data).toMatchObject({ ok: true, status: 200, error: null });
    expect(JSON.parse(got[0]?.body as string)).toEqual(
      JSON.parse(renderTest("slack", "news desk")?.body as string),
    );
    const b = await call("POST", `/v1/channels/${hook.id}/test`, { token: sub.token });
    expect(b.data).toMatchObject({ ok: true, status: 204 });
    expect(
      new Webhook(hook.secret as string).verify(
        got[1]?.body as string,
        got[1]?.headers as Record<string, string>,
      ),
    ).toMatchObject({ type: "ping" });
    receiver([() => new Response("gone", { status: 410 })]);
    const gone = await call("POST", `/v1/channels/${slack.id}/test`, { token: sub.token });
    expect(gone.data).toMatchObject({ ok: false, status: 410 });
    expect(
      (await call("GET", `/v1/channels/${slack.id}`, { token: sub.token })).data,
    ).toMatchObject({
      status: "disabled",
    });
    // Setting its URL again re-enables it.
    const re = await call("PATCH", `/v1/channels/${slack.id}`, {
      token: sub.token,
      json: { url: "http://127.0.0.1:9/slack" },
    });
    expect(re.data.status).toBe("active");
    const log = (await call("GET", "/v1/deliveries", { token: sub.token })).data.items;
    expect(log.map((d: { kind: string }) => d.kind)).toEqual(["ping", "ping", "ping"]);
  });

  it("a paused watchlist's alerts reach the feed marked paused and are pushed nowhere until the pause ends", async () => {
    const sub = await subscriber(HOOK);
    await addChannel(sub.token, "slack", "http://127.0.0.1:9/slack");
    const bad = await call("POST", "/v1/watchlists", {
      token: sub.token,
      json: { name: "x", queries: ["lukashenko"], paused_until: "tomorrow" },
    });
    expectProblem(bad, 422, "validation_failed");
    expect(bad.data.errors[0].field).toBe("paused_until");
    const until = new Date(Date.now() + 24 * HOUR).toISOString();
    const wl = await withWatchlist(sub.token, { paused_until: until });
    const got = receiver([], () => new Response("ok"));
    const ingest = await mintIngestToken();
    await call("POST", "/v1/articles", {
      token: ingest,
      json: { url: "https://wire.example.com/p1", text: story(3) },
    });
    const [item] = await feedItems(sub.token);
    expect(item?._wirebrief.status).toBe("paused");
    expect(await runDue(sub.id, 48 * HOUR)).toBe(0);
    expect(got).toEqual([]);
    const atom = await call("GET", "/v1/feed?format=atom", { token: sub.token });
    expect(atom.text.match(/<entry[ >]/g)).toHaveLength(1);
    expect(atom.text).toContain(
      '<category scheme="https://wirebrief.dev/alert-status" term="paused"/>',
    );
    const rss = await call("GET", "/v1/feed?format=rss", { token: sub.token });
    expect(rss.text).toContain(">paused</category>");

    const resumed = await call("PATCH", `/v1/watchlists/${wl.id}`, {
      token: sub.token,
      json: { paused_until: null },
    });
    expect(resumed.data.paused_until).toBeNull();
    await call("POST", "/v1/articles", {
      token: ingest,
      json: {
        url: "https://wire.example.com/p2",
        text: "GOMEL, July 3 (Xinhua) -- Lukashenko inspected the harvest in the south on Friday. Farmers expect a record year for grain. Storage capacity is being expanded.",
      },
    });
    await vi.waitFor(() => expect(got).toHaveLength(2), { timeout: 10_000 });
    expect((await alertOf(item?.id as string, sub.token)).status).toBe("paused");
  });
});
