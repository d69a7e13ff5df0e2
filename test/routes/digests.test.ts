import { runInDurableObject } from "cloudflare:test";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { type Digest, renderDigest } from "../../src/alerts/channels/index.ts";
import { nextPeriodEnd } from "../../src/alerts/schedule.ts";
import type { AlertDraft, SubscriberAlerts } from "../../src/objects/subscriber-alerts.ts";
import {
  alertOf,
  alertsObject,
  feedItems,
  isolateDeliveries,
  type Received,
  receiver,
  runDue,
} from "./delivery.ts";
import { call, createSubscriber, expectProblem, mintIngestToken } from "./helpers.ts";

const created = isolateDeliveries();

/** A subscriber with a Slack channel and a webhook channel (local receivers). */
async function desk() {
  const sub = await createSubscriber({ name: "digest desk" });
  created.push(sub.id);
  const add = async (type: string, path: string) =>
    (
      await call("POST", "/v1/channels", {
        token: sub.token,
        json: { type, url: `http://127.0.0.1:9${path}` },
      })
    ).data as { id: string; secret?: string };
  const slack = await add("slack", "/slack");
  const hook = await add("webhook", "/hook");
  return { sub, slack, hook, secret: hook.secret as string };
}

function draft(
  n: string,
  watchlist: string,
  cluster: string,
  push: Partial<AlertDraft>,
): AlertDraft {
  return {
    id: `alr_${n.replace(/\W+/g, "_")}`,
    watchlist_id: watchlist,
    watchlist_name: watchlist === "wl_a" ? "Belarus" : "Potash",
    article_id: `art_${n}`,
    cluster_id: cluster,
    url: `https://wire.example.com/${n}`,
    title: `Story ${n}: Lukashenko and potash`,
    summary: [`Lukashenko spoke about potash exports (${n}).`],
    lang: "en",
    matches: [
      {
        query: "lukashenko",
        total: 1,
        hits: [
          {
            field: "text",
            start: 0,
            end: 10,
            text: "Lukashenko",
            snippet: `Lukashenko spoke about potash exports (${n}).`,
          },
        ],
      },
    ],
    ...push,
  };
}

const at = (s: string) => Date.parse(s);
const record = (subId: string, drafts: AlertDraft[], t: number) =>
  runInDurableObject(alertsObject(subId), (o: SubscriberAlerts) => o.recordAlerts(drafts, t));
const deliverAt = (subId: string, t: number) =>
  runInDurableObject(alertsObject(subId), (o: SubscriberAlerts) => o.deliverDue(t));

function webhookDigest(r: Received | undefined, secret: string) {
  expect(r).toBeDefined();
  const payload = new Webhook(secret).verify(
    r?.body as string,
    r?.headers as Record<string, string>,
  ) as { type: string; data: Digest };
  expect(payload.type).toBe("digest.created");
  expect(r?.headers["webhook-id"]).toBe(payload.data.id);
  return payload.data;
}

/**
 * Daily digests at 08:00 local over a clock change: New York springs forward on
 * 2027-03-14, London on 2027-03-28 (so the day before the change is 23 hours long in
 * UTC), Kolkata never. A fixed 24-hour step would send an hour late in the first two.
 */
const CASES = [
  {
    tz: "America/New_York",
    before: "2027-03-13T20:00:00-05:00",
    start: "2027-03-13T13:00:00.000Z",
    due: "2027-03-14T12:00:00.000Z",
    after: "2027-03-14T20:00:00-04:00",
    dueAfter: "2027-03-15T12:00:00.000Z",
  },
  {
    tz: "Europe/London",
    before: "2027-03-27T20:00:00Z",
    start: "2027-03-27T08:00:00.000Z",
    due: "2027-03-28T07:00:00.000Z",
    after: "2027-03-28T20:00:00+01:00",
    dueAfter: "2027-03-29T07:00:00.000Z",
  },
  {
    tz: "Asia/Kolkata",
    before: "2027-03-13T20:00:00+05:30",
    start: "2027-03-13T02:30:00.000Z",
    due: "2027-03-14T02:30:00.000Z",
    after: "2027-03-14T20:00:00+05:30",
    dueAfter: "2027-03-15T02:30:00.000Z",
  },
];

describe("digests: one message per channel per period, on the object's alarm", () => {
  for (const c of CASES) {
    it(`daily at 08:00 in ${c.tz}, across its clock change (fake time)`, async () => {
      const { sub, secret } = await desk();
      const daily = { delivery: { mode: "daily" as const, at: "08:00", timezone: c.tz } };
      const t = at(c.before);
      expect(
        await record(
          sub.id,
          [
            draft(`${c.tz}-1`, "wl_a", "clu_1", daily),
            draft(`${c.tz}-2`, "wl_b", "clu_1", daily),
            draft(`${c.tz}-3`, "wl_a", "clu_2", daily),
            // A paused watchlist's alert stays out of the digest.
            draft(`${c.tz}-p`, "wl_c", "clu_3", {
              ...daily,
              paused_until: new Date(t + 86_400_000).toISOString(),
            }),
          ],
          t,
        ),
      ).toEqual(["created", "created", "created", "created"]);
      const got = receiver([], () => new Response(null, { status: 200 }));
      expect(await deliverAt(sub.id, at(c.due) - 1000)).toBe(0);
      expect(got).toHaveLength(0);
      const [first] = await feedItems(sub.token, "?order=oldest");
      expect(await alertOf(first?.id as string, sub.token)).toMatchObject({
        status: "pending",
        next_attempt_at: c.due,
      });

      expect(await deliverAt(sub.id, at(c.due))).toBe(2);
      expect(got.map((r) => new URL(r.url).pathname).sort()).toEqual(["/hook", "/slack"]);
      const digest = webhookDigest(
        got.find((r) => r.url.endsWith("/hook")),
        secret,
      );
      expect(digest).toMatchObject({
        mode: "daily",
        timezone: c.tz,
        period_start: c.start,
        period_end: c.due,
        alert_count: 3,
      });
      expect(digest.stories.map((s) => [s.cluster_id, s.alerts.length]).sort()).toEqual([
        ["clu_1", 2],
        ["clu_2", 1],
      ]);
      // The Slack message is the same period's digest rendered for Slack.
      const slack = got.find((r) => r.url.endsWith("/slack"));
      expect(JSON.parse(slack?.body as string)).toEqual(
        JSON.parse(renderDigest("slack", digest).body),
      );
      expect(await alertOf(first?.id as string, sub.token)).toMatchObject({ status: "delivered" });
      const paused = (await feedItems(sub.token)).find((i) => i.id.endsWith("_p"));
      expect(paused?._wirebrief.status).toBe("paused");

      // The next period had no alert: nothing is sent.
      expect(await deliverAt(sub.id, at(c.due) + 26 * 3600_000)).toBe(0);
      expect(got).toHaveLength(2);

      // After the change the digest is at 08:00 local again, in the new offset.
      await record(sub.id, [draft(`${c.tz}-4`, "wl_a", "clu_4", daily)], at(c.after));
      expect(await deliverAt(sub.id, at(c.dueAfter) - 1000)).toBe(0);
      expect(await deliverAt(sub.id, at(c.dueAfter))).toBe(2);
      const next = webhookDigest(
        got.slice(2).find((r) => r.url.endsWith("/hook")),
        secret,
      );
      expect(next).toMatchObject({ period_end: c.dueAfter, alert_count: 1 });
      expect(next.id).not.toBe(digest.id);
      const log = (await call("GET", "/v1/deliveries", { token: sub.token })).data.items;
      expect(log.filter((d: { kind: string }) => d.kind === "digest")).toHaveLength(4);
    });
  }

  it("a failed digest is retried with the same webhook-id; hourly periods follow local hours (+05:45)", async () => {
    const { sub, secret } = await desk();
    const hourly = { delivery: { mode: "hourly" as const, timezone: "Asia/Kathmandu" } };
    await record(sub.id, [draft("h1", "wl_a", "clu_h", hourly)], at("2027-01-10T10:00:00Z"));
    let hookCalls = 0;
    const got = receiver([], (req) => {
      if (!req.url.endsWith("/hook")) return new Response(null, { status: 200 });
      hookCalls++;
      return new Response(null, { status: hookCalls === 1 ? 503 : 200 });
    });
    // 15:45 in Kathmandu: the period ends at 16:00 local, 10:15 UTC.
    expect(await deliverAt(sub.id, at("2027-01-10T10:14:59Z"))).toBe(0);
    expect(await deliverAt(sub.id, at("2027-01-10T10:15:00Z"))).toBe(2);
    expect(got).toHaveLength(2);
    const [item] = await feedItems(sub.token);
    const state = await alertOf(item?.id as string, sub.token);
    expect(state.status).toBe("pending");
    expect(state.deliveries).toHaveLength(2);
    expect(state.deliveries.map((d: { kind: string }) => d.kind)).toEqual(["digest", "digest"]);
    expect(state.deliveries.map((d: { status: string }) => d.status).sort()).toEqual([
      "delivered",
      "pending",
    ]);
    // The retry is due about 5 s later (real time); the digest is sent again, same id.
    expect(await runDue(sub.id, 400 * 86_400_000)).toBe(1);
    const hooks = got.filter((r) => r.url.endsWith("/hook"));
    expect(hooks).toHaveLength(2);
    expect(hooks[1]?.headers["webhook-id"]).toBe(hooks[0]?.headers["webhook-id"]);
    expect(webhookDigest(hooks[1], secret)).toMatchObject({
      mode: "hourly",
      period_start: "2027-01-10T09:15:00.000Z",
      period_end: "2027-01-10T10:15:00.000Z",
    });
    expect((await alertOf(item?.id as string, sub.token)).status).toBe("delivered");
    expect(got.filter((r) => r.url.endsWith("/slack"))).toHaveLength(1);
  });

  it("watchlist delivery settings are validated (a bad time zone is 422 naming the field) and a daily watchlist waits for its digest", async () => {
    const { sub } = await desk();
    const bad: [unknown, string][] = [
      [{ mode: "daily", timezone: "Mars/Olympus_Mons" }, "delivery.timezone"],
      [{ mode: "daily", weekday: 3 }, "delivery.weekday"],
      [{ mode: "weekly", at: "25:00" }, "delivery.at"],
      [{ mode: "monthly" }, "delivery.mode"],
      [{ mode: "daily", every: 2 }, "delivery.every"],
    ];
    for (const [delivery, field] of bad) {
      const res = await call("POST", "/v1/watchlists", {
        token: sub.token,
        json: { name: "x", queries: ["lukashenko"], delivery },
      });
      expectProblem(res, 422, "validation_failed");
      expect(res.data.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    const wl = await call("POST", "/v1/watchlists", {
      token: sub.token,
      json: {
        name: "Belarus daily",
        queries: ["lukashenko"],
        delivery: { mode: "daily", at: "07:30", timezone: "europe/berlin" },
      },
    });
    expect(wl.status).toBe(201);
    expect(wl.data.delivery).toEqual({ mode: "daily", at: "07:30", timezone: "Europe/Berlin" });
    const patched = await call("PATCH", `/v1/watchlists/${wl.data.id}`, {
      token: sub.token,
      json: { delivery: { mode: "weekly", weekday: 5, timezone: "Pacific/Auckland" } },
    });
    expect(patched.data.delivery).toEqual({
      mode: "weekly",
      at: "08:00",
      weekday: 5,
      timezone: "Pacific/Auckland",
    });
    const badPatch = await call("PATCH", `/v1/watchlists/${wl.data.id}`, {
      token: sub.token,
      json: { delivery: { mode: "daily", timezone: "Nowhere/Town" } },
    });
    expectProblem(badPatch, 422, "validation_failed");
    expect(badPatch.data.errors[0].field).toBe("delivery.timezone");

    const got = receiver([], () => new Response(null, { status: 200 }));
    await call("POST", "/v1/articles", {
      token: await mintIngestToken(),
      json: {
        url: "https://wire.example.com/weekly",
        text: "MINSK, May 5 (Xinhua) -- Lukashenko signed a decree on grain reserves on Friday. The reserves will grow by a tenth. Millers welcomed the decision.",
      },
    });
    const [item] = await feedItems(sub.token);
    const alert = await alertOf(item?.id as string, sub.token);
    const due = nextPeriodEnd(
      { mode: "weekly", at: "08:00", weekday: 5, timezone: "Pacific/Auckland" },
      Date.parse(alert.created_at),
    );
    expect(alert).toMatchObject({
      status: "pending",
      next_attempt_at: new Date(due).toISOString(),
    });
    expect(await runDue(sub.id, 0)).toBe(0);
    expect(got).toHaveLength(0);
    expect(await runDue(sub.id, due - Date.now() + 1000)).toBe(2);
    expect(got).toHaveLength(2);
  });
});
