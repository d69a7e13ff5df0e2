import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { afterEach, describe, expect, it } from "vitest";
import {
  buildWebhookBody,
  DELIVERY_TIMEOUT_MS,
  deliverMessage,
  deliverWebhook,
  pingEvent,
  WEBHOOK_USER_AGENT,
} from "../../../src/alerts/deliver.ts";
import { generateWebhookSecret, verifyWebhook } from "../../../src/alerts/signing.ts";
import { checkChannelUrl } from "../../../src/alerts/url-safety.ts";
import { makeAlert } from "./fixtures.ts";

const alert = makeAlert();
const event = { type: "alert.created" as const, data: alert };

interface Seen {
  headers: Record<string, string>;
  body: string;
  url: string;
}

function fakeFetch(respond: (req: Request) => Response | Promise<Response>) {
  const calls: { req: Request; init: RequestInit | undefined }[] = [];
  const f = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = new Request(input, init);
    calls.push({ req, init });
    return respond(req);
  }) as typeof fetch;
  return { f, calls };
}

describe("deliverWebhook with a fake fetch", () => {
  it("sends a signed Standard Webhooks POST that standardwebhooks verifies", async () => {
    const secret = generateWebhookSecret();
    const { f, calls } = fakeFetch(() => new Response(null, { status: 204 }));
    let t = Date.parse("2026-11-27T12:00:00.000Z");
    const r = await deliverWebhook({
      url: "https://hooks.example.com/in?x=1",
      secrets: [secret],
      event,
      msgId: alert.id,
      allowLocal: false,
      fetchImpl: f,
      now: () => (t += 7),
    });
    expect(r).toMatchObject({ ok: true, status: 204 });
    expect(r.latencyMs).toBe(7);
    expect(r.error).toBeUndefined();
    expect(calls).toHaveLength(1);
    const call = calls[0];
    if (!call) throw new Error("no call");
    const { req, init } = call;
    expect(req.method).toBe("POST");
    expect(req.url).toBe("https://hooks.example.com/in?x=1");
    expect(init?.redirect).toBe("manual");
    expect(init?.signal).toBeInstanceOf(AbortSignal);
    expect(req.headers.get("content-type")).toBe("application/json");
    expect(req.headers.get("user-agent")).toBe(WEBHOOK_USER_AGENT);
    expect(req.headers.get("webhook-id")).toBe(alert.id);
    expect(req.headers.get("webhook-timestamp")).toBe(String(r.timestamp));
    const body = await req.text();
    const parsed = JSON.parse(body);
    expect(parsed).toEqual({
      type: "alert.created",
      timestamp: "2026-11-27T12:00:00.007Z",
      data: alert,
    });
    const h = Object.fromEntries(req.headers);
    expect(r.timestamp).toBe(Math.floor(Date.parse("2026-11-27T12:00:00.007Z") / 1000));
    expect(h["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    // the injected clock is in the past, so check with our verifier at that time
    expect((await verifyWebhook([secret], h, body, 300, r.timestamp)).ok).toBe(true);
  });

  it("signs with the real clock in a way standardwebhooks accepts, with both secrets after rotation", async () => {
    const [oldS, newS] = [generateWebhookSecret(), generateWebhookSecret()];
    const { f, calls } = fakeFetch(() => new Response("ok", { status: 200 }));
    const r = await deliverWebhook({
      url: "https://hooks.example.com/in",
      secrets: [newS, oldS],
      event,
      msgId: alert.id,
      allowLocal: false,
      fetchImpl: f,
    });
    expect(r.ok).toBe(true);
    const req = calls[0]?.req as Request;
    const body = await req.text();
    const h = Object.fromEntries(req.headers);
    expect(h["webhook-signature"]?.split(" ")).toHaveLength(2);
    expect(new Webhook(oldS).verify(body, h)).toMatchObject({ type: "alert.created" });
    expect(new Webhook(newS).verify(body, h)).toMatchObject({ data: { id: alert.id } });
  });

  it("re-checks URL safety and never calls fetch for an unsafe URL", async () => {
    const { f, calls } = fakeFetch(() => new Response(null, { status: 204 }));
    for (const url of ["https://169.254.169.254/", "http://127.0.0.1:8788/", "https://0x7f.1/"]) {
      const r = await deliverWebhook({
        url,
        secrets: [generateWebhookSecret()],
        event,
        msgId: "m",
        allowLocal: false,
        fetchImpl: f,
      });
      expect(r).toMatchObject({ ok: false, status: 0, disable: true });
      expect(r.error).toMatch(/^unsafe webhook URL/);
    }
    expect(calls).toHaveLength(0);
  });

  it("reports network errors briefly, without the secret or the URL query", async () => {
    const secret = generateWebhookSecret();
    const url = "https://hooks.example.com/in?token=topsecret";
    const f = (async () => {
      throw new TypeError(`fetch failed for ${url} with ${secret}`, {
        cause: Object.assign(new Error("connect"), { code: "ECONNREFUSED" }),
      });
    }) as typeof fetch;
    const r = await deliverWebhook({
      url,
      secrets: [secret],
      event,
      msgId: "m",
      allowLocal: false,
      fetchImpl: f,
    });
    expect(r.ok).toBe(false);
    expect(r.status).toBe(0);
    expect(r.error).toMatch(/^network error: .*ECONNREFUSED/);
    expect(r.error).not.toContain(secret);
    expect(r.error).not.toContain("topsecret");
    expect((r.error ?? "").length).toBeLessThanOrEqual(220);
  });

  it("fails without a usable secret and never throws", async () => {
    const { f, calls } = fakeFetch(() => new Response(null, { status: 204 }));
    const r = await deliverWebhook({
      url: "https://hooks.example.com/",
      secrets: ["whsec_%%"],
      event,
      msgId: "m",
      allowLocal: false,
      fetchImpl: f,
    });
    expect(r).toMatchObject({ ok: false, status: 0, error: "no valid signing secret" });
    expect(calls).toHaveLength(0);
  });

  it("builds ping bodies and defaults to a 15 s timeout", () => {
    expect(DELIVERY_TIMEOUT_MS).toBe(15000);
    const b = JSON.parse(buildWebhookBody(pingEvent("sub_9"), new Date(0)));
    expect(b).toEqual({
      type: "ping",
      timestamp: "1970-01-01T00:00:00.000Z",
      data: { subscriber_id: "sub_9", message: "wirebrief test delivery" },
    });
  });
});

describe("deliverWebhook against a real local HTTP server", () => {
  let server: Server | undefined;
  const seen: Seen[] = [];

  async function listen(handler: (req: IncomingMessage, res: ServerResponse, n: number) => void) {
    seen.length = 0;
    let n = 0;
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        seen.push({
          headers: req.headers as Record<string, string>,
          body: Buffer.concat(chunks).toString("utf8"),
          url: req.url ?? "",
        });
        handler(req, res, ++n);
      });
    });
    await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/hook`;
  }

  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    server = undefined;
  });

  const send = (url: string, secret: string, extra: { timeoutMs?: number } = {}) =>
    deliverWebhook({ url, secrets: [secret], event, msgId: alert.id, allowLocal: true, ...extra });

  it("500 then 200: two attempts with the same webhook-id, both verifiable", async () => {
    const secret = generateWebhookSecret();
    const url = await listen((_req, res, n) => {
      res.writeHead(n === 1 ? 500 : 200).end(n === 1 ? "boom" : "ok");
    });
    const first = await send(url, secret);
    expect(first).toMatchObject({ ok: false, status: 500, error: "HTTP 500" });
    expect(first.disable).toBeUndefined();
    const second = await send(url, secret);
    expect(second).toMatchObject({ ok: true, status: 200 });
    expect(seen).toHaveLength(2);
    expect(seen.map((s) => s.headers["webhook-id"])).toEqual([alert.id, alert.id]);
    for (const s of seen) {
      expect(new Webhook(secret).verify(s.body, s.headers)).toMatchObject({
        data: { id: alert.id },
      });
      expect(s.headers["user-agent"]).toBe(WEBHOOK_USER_AGENT);
    }
  });

  it("429 with Retry-After (seconds and HTTP date) and 503 report retryAfterSeconds", async () => {
    const secret = generateWebhookSecret();
    const url = await listen((_req, res, n) => {
      if (n === 1) res.writeHead(429, { "retry-after": "42" }).end();
      else if (n === 2)
        res.writeHead(503, { "retry-after": new Date(Date.now() + 120_000).toUTCString() }).end();
      else res.writeHead(500, { "retry-after": "42" }).end();
    });
    const a = await send(url, secret);
    expect(a).toMatchObject({ ok: false, status: 429, retryAfterSeconds: 42 });
    const b = await send(url, secret);
    expect(b.status).toBe(503);
    expect(b.retryAfterSeconds).toBeGreaterThanOrEqual(118);
    expect(b.retryAfterSeconds).toBeLessThanOrEqual(121);
    const c = await send(url, secret);
    expect(c.status).toBe(500);
    expect(c.retryAfterSeconds).toBeUndefined();
  });

  it("410 Gone asks to disable the endpoint", async () => {
    const url = await listen((_req, res) => res.writeHead(410).end("gone"));
    const r = await send(url, generateWebhookSecret());
    expect(r).toMatchObject({ ok: false, status: 410, disable: true });
  });

  it("a hanging receiver hits the timeout", async () => {
    const url = await listen(() => {
      /* never answers */
    });
    const t0 = Date.now();
    const r = await send(url, generateWebhookSecret(), { timeoutMs: 300 });
    const took = Date.now() - t0;
    expect(r).toMatchObject({ ok: false, status: 0, error: "timeout after 300 ms" });
    expect(took).toBeGreaterThanOrEqual(250);
    expect(took).toBeLessThan(5000);
    expect(r.latencyMs).toBeGreaterThanOrEqual(250);
  });

  it("a 302 is a failure and is not followed", async () => {
    const url = await listen((_req, res) => {
      res.writeHead(302, { location: "/elsewhere" }).end();
    });
    const r = await send(url, generateWebhookSecret());
    expect(r).toMatchObject({ ok: false, status: 302, error: "redirect not followed (HTTP 302)" });
    expect(seen).toHaveLength(1);
    expect(seen[0]?.url).toBe("/hook");
  });

  it("a closed port is a network error", async () => {
    const url = await listen((_req, res) => res.end());
    server?.close();
    await new Promise((r) => setTimeout(r, 20));
    const r = await send(url, generateWebhookSecret());
    expect(r.ok).toBe(false);
    expect(r.status).toBe(0);
    expect(r.error).toMatch(/^network error/);
  });
});

describe("deliverMessage: chat channels", () => {
  it("posts the rendered body unsigned, re-checks the platform's URL rule, and 410 disables", async () => {
    const { f, calls } = fakeFetch(() => new Response("ok", { status: 200 }));
    const body = JSON.stringify({ text: "hello" });
    const slackUrl = "https://hooks.slack.com/services/T1/B2/secret";
    const r = await deliverMessage({
      url: slackUrl,
      check: (u) => checkChannelUrl("slack", u, { allowLocal: false }),
      body: () => body,
      sign: null,
      fetchImpl: f,
    });
    expect(r).toMatchObject({ ok: true, status: 200 });
    const req = calls[0]?.req as Request;
    expect(await req.text()).toBe(body);
    expect(req.headers.get("webhook-signature")).toBeNull();
    expect(req.headers.get("content-type")).toBe("application/json");
    expect(calls[0]?.init?.redirect).toBe("manual");

    const moved = await deliverMessage({
      url: "https://example.com/services/T1/B2/secret",
      check: (u) => checkChannelUrl("slack", u, { allowLocal: false }),
      body: () => body,
      sign: null,
      fetchImpl: f,
    });
    expect(moved).toMatchObject({ ok: false, status: 0, disable: true });
    expect(moved.error).toContain("hooks.slack.com");
    expect(calls).toHaveLength(1);

    const gone = fakeFetch(() => new Response("channel_is_archived", { status: 410 }));
    const r410 = await deliverMessage({
      url: slackUrl,
      check: (u) => checkChannelUrl("slack", u, { allowLocal: false }),
      body: () => body,
      sign: null,
      fetchImpl: gone.f,
    });
    expect(r410).toMatchObject({ ok: false, status: 410, disable: true });
    expect(r410.error).not.toContain("secret");
  });
});
