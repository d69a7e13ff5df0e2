/**
 * The security matrix: every declared route × {no token, malformed, wrong, admin, ingest,
 * subscriber A, subscriber B on A's objects}. Routes are discovered from the app itself:
 * the OpenAPI document (with each operation's `x-wirebrief` declaration) and Hono's route
 * list. A route registered without `declareRoute`, or declared without a request in CELLS
 * below, fails this file; so does a stale CELLS entry.
 *
 * Expectations are derived from the declaration: 401 without a valid token, 403 for a
 * scope not declared, for B on A's objects 404 exactly like a missing id (`owner: "named"`)
 * or only B's own data (otherwise), the declared success status for allowed scopes, and
 * every answer's status documented for that operation. Denied cells change nothing in KV.
 */
import { env } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createApp } from "../../src/app.ts";
import { declareRoute } from "../../src/routes/openapi.ts";
import { type Answer, discoverOperations, isProblem, registeredRoutes } from "./declared.ts";
import { ADMIN, call, createSubscriber } from "./helpers.ts";

const HOOK = "http://127.0.0.1:9/hook";
let serial = 0;
const uniq = () => `${Date.now().toString(36)}${(serial++).toString(36)}`;

/** Subscriber A with a webhook, a watchlist, an alert on an ingested article; an ingest token. */
async function fixture() {
  const word = `zorblat${uniq()}`;
  const a = await createSubscriber({ name: `a-${word}`, webhook_url: HOOK });
  const wl = await call("POST", "/v1/watchlists", {
    token: a.token,
    json: { name: "desk", queries: [word] },
  });
  const minted = await call("POST", "/v1/tokens", { json: { name: `scraper-${word}` } });
  const url = `https://wire.example.com/${word}`;
  const article = await call("POST", "/v1/articles", {
    token: minted.data.token,
    json: { url, text: `MINSK (Xinhua) -- The ${word} talks opened today. Officials met.` },
  });
  const channel = await call("POST", "/v1/channels", {
    token: a.token,
    json: { type: "webhook", url: "http://127.0.0.1:9/channel" },
  });
  const feedKey = await call("POST", "/v1/feed-keys", { token: a.token, json: {} });
  for (const r of [wl, minted, article, channel, feedKey]) {
    if (r.status !== 201) throw new Error(`fixture: ${r.status} ${r.text}`);
  }
  const alertId = await vi.waitFor(
    async () => {
      const feed = await call("GET", "/v1/feed", { token: a.token });
      const id = feed.data?.items?.[0]?.id as string | undefined;
      if (!id) throw new Error("no alert yet");
      return id;
    },
    { timeout: 10_000, interval: 50 },
  );
  return {
    subscriberId: a.id,
    token: a.token,
    watchlistId: wl.data.id as string,
    ingestId: minted.data.id as string,
    ingestToken: minted.data.token as string,
    articleId: article.data.id as string,
    url,
    alertId,
    channelId: channel.data.id as string,
    feedKeyId: feedKey.data.id as string,
    feedKey: feedKey.data.key as string,
  };
}
type Fixture = Awaited<ReturnType<typeof fixture>>;

/** The ids of a fixture that exist nowhere: the "missing object" twin of each request. */
const missing = (f: Fixture): Fixture => ({
  ...f,
  subscriberId: "sub_0000000000000000",
  watchlistId: "wl_0000000000000000",
  alertId: "alt_0000000000000000",
  ingestId: "tok_0000000000000000",
  channelId: "ch_0000000000000000",
  feedKeyId: "fk_0000000000000000",
  feedKey: "wbf_0000000000000000000000000000000000000000",
});

/** SPEC's words: "any" valid token, "self" = the subscriber itself (admin or self). */
type Spec = "none" | "any" | "admin" | "admin self" | "ingest admin" | "subscriber admin";
const SPEC_SCOPES: Record<Spec, string> = {
  none: "none",
  any: "admin ingest subscriber",
  admin: "admin",
  "admin self": "admin subscriber",
  "ingest admin": "admin ingest",
  "subscriber admin": "admin subscriber",
};

interface Request {
  path: string;
  json?: unknown;
}

/**
 * One request per route, acting on A's objects (and naming A where admins must). `expect`
 * overrides the declared success status for a token class.
 */
const CELLS: Record<
  string,
  {
    /** SPEC's scope column: pins the declaration, so a widened scope fails here. */
    spec: Spec;
    req: (f: Fixture) => Request;
    expect?: Partial<Record<"admin" | "ingest" | "A", number>>;
  }
> = {
  "GET /healthz": {
    spec: "none",
    req: () => ({ path: "/healthz" }),
  },
  "GET /openapi.json": {
    spec: "none",
    req: () => ({ path: "/openapi.json" }),
  },
  "GET /docs": {
    spec: "none",
    req: () => ({ path: "/docs" }),
  },
  "POST /v1/articles": {
    spec: "ingest admin",
    req: () => ({
      path: "/v1/articles",
      json: { url: `https://wire.example.com/n/${uniq()}`, text: "A new story. It is short." },
    }),
  },
  "GET /v1/articles": {
    spec: "any",
    req: (f) => ({ path: `/v1/articles?url=${encodeURIComponent(f.url)}` }),
  },
  "GET /v1/articles/{id}": {
    spec: "any",
    req: (f) => ({ path: `/v1/articles/${f.articleId}` }),
  },
  "GET /v1/articles/{id}/summary": {
    spec: "any",
    req: (f) => ({ path: `/v1/articles/${f.articleId}/summary?sentences=1` }),
  },
  "POST /v1/summarize": {
    spec: "any",
    req: () => ({ path: "/v1/summarize", json: { text: "One sentence. Another one." } }),
  },
  "POST /v1/subscribers": {
    spec: "admin",
    req: () => ({ path: "/v1/subscribers", json: { name: "new" } }),
  },
  "GET /v1/subscribers": {
    spec: "admin",
    req: () => ({ path: "/v1/subscribers?limit=5" }),
  },
  "GET /v1/subscribers/{id}": {
    spec: "admin self",
    req: (f) => ({ path: `/v1/subscribers/${f.subscriberId}` }),
  },
  "PATCH /v1/subscribers/{id}": {
    spec: "admin",
    req: (f) => ({ path: `/v1/subscribers/${f.subscriberId}`, json: { name: "renamed" } }),
  },
  "DELETE /v1/subscribers/{id}": {
    spec: "admin",
    req: (f) => ({ path: `/v1/subscribers/${f.subscriberId}` }),
  },
  "POST /v1/subscribers/{id}/rotate-secret": {
    spec: "admin self",
    req: (f) => ({ path: `/v1/subscribers/${f.subscriberId}/rotate-secret` }),
  },
  "POST /v1/subscribers/{id}/test": {
    spec: "admin self",
    req: (f) => ({ path: `/v1/subscribers/${f.subscriberId}/test` }),
  },
  "POST /v1/tokens": {
    spec: "admin",
    req: () => ({ path: "/v1/tokens", json: { name: "another" } }),
  },
  "GET /v1/tokens": {
    spec: "admin",
    req: () => ({ path: "/v1/tokens" }),
  },
  "DELETE /v1/tokens/{id}": {
    spec: "admin",
    req: (f) => ({ path: `/v1/tokens/${f.ingestId}` }),
  },
  "POST /v1/watchlists": {
    spec: "subscriber admin",
    req: (f) => ({
      path: "/v1/watchlists",
      json: { name: "more", queries: ["potash"], subscriber_id: f.subscriberId },
    }),
  },
  "GET /v1/watchlists": {
    spec: "subscriber admin",
    req: (f) => ({ path: `/v1/watchlists?subscriber_id=${f.subscriberId}` }),
  },
  "GET /v1/watchlists/{id}": {
    spec: "subscriber admin",
    req: (f) => ({ path: `/v1/watchlists/${f.watchlistId}` }),
  },
  "PATCH /v1/watchlists/{id}": {
    spec: "subscriber admin",
    req: (f) => ({ path: `/v1/watchlists/${f.watchlistId}`, json: { name: "renamed" } }),
  },
  "DELETE /v1/watchlists/{id}": {
    spec: "subscriber admin",
    req: (f) => ({ path: `/v1/watchlists/${f.watchlistId}` }),
  },
  "POST /v1/channels": {
    spec: "subscriber admin",
    req: (f) => ({
      path: "/v1/channels",
      json: { type: "webhook", url: "http://127.0.0.1:9/more", subscriber_id: f.subscriberId },
    }),
  },
  "GET /v1/channels": {
    spec: "subscriber admin",
    req: (f) => ({ path: `/v1/channels?subscriber_id=${f.subscriberId}` }),
  },
  "GET /v1/channels/{id}": {
    spec: "subscriber admin",
    req: (f) => ({ path: `/v1/channels/${f.channelId}?subscriber_id=${f.subscriberId}` }),
  },
  "PATCH /v1/channels/{id}": {
    spec: "subscriber admin",
    req: (f) => ({
      path: `/v1/channels/${f.channelId}?subscriber_id=${f.subscriberId}`,
      json: { name: "renamed" },
    }),
  },
  "DELETE /v1/channels/{id}": {
    spec: "subscriber admin",
    req: (f) => ({ path: `/v1/channels/${f.channelId}?subscriber_id=${f.subscriberId}` }),
  },
  "POST /v1/channels/{id}/test": {
    spec: "subscriber admin",
    req: (f) => ({ path: `/v1/channels/${f.channelId}/test?subscriber_id=${f.subscriberId}` }),
  },
  "POST /v1/feed-keys": {
    spec: "subscriber admin",
    req: (f) => ({ path: "/v1/feed-keys", json: { subscriber_id: f.subscriberId } }),
  },
  "GET /v1/feed-keys": {
    spec: "subscriber admin",
    req: (f) => ({ path: `/v1/feed-keys?subscriber_id=${f.subscriberId}` }),
  },
  "DELETE /v1/feed-keys/{id}": {
    spec: "subscriber admin",
    req: (f) => ({ path: `/v1/feed-keys/${f.feedKeyId}?subscriber_id=${f.subscriberId}` }),
  },
  "GET /feeds/{file}": { spec: "none", req: (f) => ({ path: `/feeds/${f.feedKey}.atom` }) },
  "GET /v1/feed": {
    spec: "subscriber admin",
    req: (f) => ({ path: `/v1/feed?subscriber_id=${f.subscriberId}` }),
  },
  "GET /v1/deliveries": {
    spec: "subscriber admin",
    req: (f) => ({ path: `/v1/deliveries?subscriber_id=${f.subscriberId}` }),
  },
  "GET /v1/alerts/{id}": {
    spec: "subscriber admin",
    req: (f) => ({ path: `/v1/alerts/${f.alertId}?subscriber_id=${f.subscriberId}` }),
  },
  "POST /v1/alerts/{id}/redeliver": {
    spec: "subscriber admin",
    req: (f) => ({ path: `/v1/alerts/${f.alertId}/redeliver?subscriber_id=${f.subscriberId}` }),
  },
};

/** Ids whose KV values a snapshot also reads (the shared fixture's and B's). */
const watched: string[] = [];

/**
 * Every key in KV, and the value of each key about a watched id, to prove that a denied
 * request changed nothing.
 */
async function kvSnapshot(): Promise<Map<string, string | null>> {
  const out = new Map<string, string | null>();
  let cursor: string | undefined;
  do {
    const page = await env.KV.list({ cursor });
    for (const k of page.keys) {
      const read = watched.some((id) => k.name.includes(id));
      out.set(k.name, read ? await env.KV.get(k.name) : "");
    }
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  return out;
}

const OPS = discoverOperations();
const MALFORMED = [
  "Bearer",
  "Bearer ",
  `Basic ${ADMIN}`,
  ADMIN,
  `Bearer ${ADMIN} extra`,
  "Token x",
];
const WRONG = ["wb_sub_0123456789abcdef0123456789abcdef", `${ADMIN}x`, "wb_ingest_nope"];

describe("security matrix: discovery", () => {
  it("notices a route registered without a declaration, and one declared without cells", () => {
    const app = createApp();
    app.get("/v1/undeclared", (c) => c.text("x"));
    declareRoute(app, "get", "/v1/declared-only", {
      summary: "x",
      tag: "x",
      scopes: ["admin"],
      ok: { status: 200, description: "x" },
    });
    app.get("/v1/declared-only", (c) => c.text("x"));
    const documented = discoverOperations(app).map((o) => o.key);
    expect(registeredRoutes(app)).toContain("GET /v1/undeclared");
    expect(documented).not.toContain("GET /v1/undeclared");
    expect(documented).toContain("GET /v1/declared-only");
    expect(Object.keys(CELLS)).not.toContain("GET /v1/declared-only");
  });

  it("every route the app registers is declared, and every declared route has its cells", () => {
    const documented = OPS.map((o) => o.key).sort();
    expect(registeredRoutes()).toEqual(documented);
    expect(Object.keys(CELLS).sort()).toEqual(documented);
    for (const op of OPS) {
      expect(op.security, op.key).toBeDefined();
      if (op.security.scopes !== "none") {
        expect(op.statuses.has(401) && op.statuses.has(403), op.key).toBe(true);
      }
      if (op.path.includes("{id}")) expect(op.statuses.has(404), op.key).toBe(true);
      const spec = CELLS[op.key]?.spec ?? "none";
      const declared =
        op.security.scopes === "none" ? "none" : [...op.security.scopes].sort().join(" ");
      expect(declared, op.key).toBe(SPEC_SCOPES[spec]);
      if (spec === "admin self") expect(op.security.owner, op.key).toBe("named");
    }
  });
});

describe("security matrix: every route × every token class", () => {
  let shared: Fixture;
  let b: { id: string; token: string };
  let ingest: string;
  const cells = { count: 0 };

  beforeAll(async () => {
    vi.stubGlobal("fetch", async () => new Response(null, { status: 204 }));
    b = await createSubscriber({ name: "subscriber b" });
    shared = await fixture();
    ingest = shared.ingestToken;
    const tokenKeys = (await env.KV.list({ prefix: "token:" })).keys.map((k) => k.name);
    watched.push(b.id, shared.subscriberId, shared.watchlistId, shared.ingestId, ...tokenKeys);
    watched.push(shared.articleId);
  });
  afterAll(() => {
    vi.unstubAllGlobals();
    console.log(`security matrix: ${OPS.length} routes x 7 token classes = ${cells.count} cells`);
  });

  for (const op of OPS) {
    it(op.key, async () => {
      const cell = CELLS[op.key];
      if (!cell) throw new Error(`no cells for ${op.key}`);
      const { scopes, owner } = op.security;
      const method = op.method.toUpperCase();
      const send = (req: Request, token: string | null, headers?: Record<string, string>) =>
        call(method, req.path, {
          token,
          ...(req.json !== undefined ? { json: req.json } : {}),
          ...(headers ? { headers } : {}),
        });
      const documented = (res: Answer, who: string) => {
        expect(op.statuses.has(res.status), `${who}: ${res.status} undocumented`).toBe(true);
        if (res.status >= 400) expect(isProblem(res), `${who}: ${res.text}`).toBe(true);
      };
      const allowed = (s: "admin" | "ingest" | "subscriber") =>
        scopes === "none" || scopes.includes(s);
      const mutates = op.method !== "get";

      // 1-3: no token, malformed, wrong token.
      for (const [who, variants] of [
        ["no token", [null]],
        ["malformed", MALFORMED],
        ["wrong", WRONG],
      ] as const) {
        for (const v of variants) {
          const before = await kvSnapshot();
          const res =
            who === "malformed"
              ? await send(cell.req(shared), null, { authorization: v as string })
              : await send(cell.req(shared), v);
          documented(res, `${who} ${v}`);
          if (scopes !== "none") {
            expect(res.status, `${who} ${v}`).toBe(401);
            expect(res.data.code).toBe("unauthorized");
            expect(await kvSnapshot()).toEqual(before);
          } else {
            expect(res.status).toBe(op.okStatus);
          }
        }
        cells.count++;
      }

      // 4-6: admin, ingest, subscriber A (on its own objects).
      for (const [who, scope] of [
        ["admin", "admin"],
        ["ingest", "ingest"],
        ["A", "subscriber"],
      ] as const) {
        cells.count++;
        if (!allowed(scope)) {
          const before = await kvSnapshot();
          const token = who === "admin" ? ADMIN : who === "ingest" ? ingest : shared.token;
          const res = await send(cell.req(shared), token);
          documented(res, who);
          expect(res.status, `${who}: ${res.text}`).toBe(403);
          expect(res.data.code).toBe("forbidden");
          // The scope is checked before anything else: bad input still answers 403.
          const req = cell.req(shared);
          const junk = `${req.path}${req.path.includes("?") ? "&" : "?"}limit=-1&sentences=x&cursor=!`;
          const bad = await send(
            { path: junk, ...(mutates ? { json: { nonsense: [1] } } : {}) },
            token,
          );
          expect(bad.status, `${who} with bad input: ${bad.text}`).toBe(403);
          expect(await kvSnapshot()).toEqual(before);
          continue;
        }
        // An allowed call that changes things gets fresh objects of its own.
        const f = mutates ? await fixture() : shared;
        const token = who === "admin" ? ADMIN : who === "ingest" ? f.ingestToken : f.token;
        const res = await send(cell.req(f), token);
        documented(res, who);
        expect(res.status, `${who}: ${res.text.slice(0, 300)}`).toBe(
          cell.expect?.[who] ?? op.okStatus,
        );
      }

      // 7: subscriber B on A's objects.
      cells.count++;
      const req = cell.req(shared);
      const before = await kvSnapshot();
      const res = await send(req, b.token);
      documented(res, "B");
      if (!allowed("subscriber")) {
        expect(res.status, `B: ${res.text}`).toBe(403);
        expect(await kvSnapshot()).toEqual(before);
      } else if (owner === "named") {
        expect(res.status, `B: ${res.text}`).toBe(404);
        expect(await kvSnapshot()).toEqual(before);
        // Exactly like a missing id: the same problem, with only the id itself differing.
        const gone = missing(shared);
        const absent = await send(cell.req(gone), b.token);
        const swap = (s: string) =>
          s
            .replaceAll(shared.subscriberId, gone.subscriberId)
            .replaceAll(shared.watchlistId, gone.watchlistId)
            .replaceAll(shared.alertId, gone.alertId)
            .replaceAll(shared.channelId, gone.channelId)
            .replaceAll(shared.feedKeyId, gone.feedKeyId);
        expect(swap(res.text)).toBe(absent.text);
        expect(res.headers.get("content-type")).toBe(absent.headers.get("content-type"));
      } else {
        expect(res.status, `B: ${res.text}`).toBe(cell.expect?.A ?? op.okStatus);
        // B sees none of A's objects that it did not name itself (a public route's
        // credential is in its URL), and changes none of them.
        const named = JSON.stringify(req);
        const ids = [shared.subscriberId, shared.watchlistId, shared.alertId, shared.channelId];
        for (const id of scopes === "none" ? [] : ids) {
          if (!named.includes(id)) expect(res.text).not.toContain(id);
        }
        const after = await kvSnapshot();
        for (const [k, v] of before) {
          if (k.includes(shared.subscriberId) || k.includes(shared.watchlistId)) {
            expect(after.get(k), k).toBe(v);
          }
        }
        for (const k of after.keys()) {
          if (k.includes(shared.subscriberId)) expect(before.has(k), k).toBe(true);
        }
      }
    });
  }
});

describe("security: issue 10 findings, each on every route it concerns", () => {
  let f: Fixture;
  beforeAll(async () => {
    vi.stubGlobal("fetch", async () => new Response(null, { status: 204 }));
    f = await fixture();
  });
  afterAll(() => vi.unstubAllGlobals());

  // 600 bytes each: ASCII, 2-byte and 4-byte UTF-8, and characters that need escaping.
  const LONG_IDS = ["x".repeat(600), "é".repeat(300), "😀".repeat(150), `${"a/b?c#d%".repeat(75)}`];

  it("an id over KV's 512-byte key limit is 404 on every /{id} route, for admin and owner", async () => {
    const withId = OPS.filter((o) => o.path.includes("{"));
    expect(withId.length).toBeGreaterThanOrEqual(17);
    for (const op of withId) {
      const cell = CELLS[op.key];
      if (!cell) throw new Error(op.key);
      const { scopes } = op.security;
      const { path, json } = cell.req(f);
      const [pathname = "", search] = path.split("?");
      const ids = [f.articleId, f.subscriberId, f.watchlistId, f.alertId, f.ingestId];
      ids.push(f.channelId, f.feedKeyId, f.feedKey);
      const tokens =
        scopes === "none" ? [null] : [ADMIN, ...(scopes.includes("subscriber") ? [f.token] : [])];
      for (const long of LONG_IDS) {
        let p = pathname;
        for (const id of ids) p = p.replace(id, encodeURIComponent(long));
        expect(p, op.key).not.toBe(pathname);
        for (const token of tokens) {
          const res = await call(op.method.toUpperCase(), search ? `${p}?${search}` : p, {
            token,
            ...(json !== undefined ? { json } : {}),
          });
          expect(res.status, `${op.key} ${res.text.slice(0, 200)}`).toBe(404);
          expect(isProblem(res), op.key).toBe(true);
          expect(res.data.code).toBe("not_found");
        }
      }
    }
  });

  it("a long subscriber_id (it names the subscriber's object) is 422, never a 5xx", async () => {
    for (const long of LONG_IDS) {
      const q = `subscriber_id=${encodeURIComponent(long)}`;
      for (const path of [
        `/v1/feed?${q}`,
        `/v1/deliveries?${q}`,
        `/v1/watchlists?${q}`,
        `/v1/alerts/${f.alertId}?${q}`,
        `/v1/alerts/${f.alertId}/redeliver?${q}`,
      ]) {
        const res = await call(path.includes("redeliver") ? "POST" : "GET", path);
        expect(res.status, `${path.slice(0, 40)} ${res.text.slice(0, 200)}`).toBe(422);
        expect(isProblem(res)).toBe(true);
      }
    }
  });

  it("a malformed cursor is 422 on feed, deliveries and subscribers", async () => {
    const b64 = (v: unknown) => btoa(JSON.stringify(v)).replace(/=+$/, "").replaceAll("+", "-");
    // Well-formed base64url JSON, but no listing's position: wrong types, negative, extra keys.
    const bad = [
      "garbage!",
      "%%%",
      "eyJ4IjoxfQ",
      "bm90IGpzb24",
      "-1",
      "a".repeat(3000),
      b64({ kv: 5 }),
      b64({ before: -1 }),
      b64({ before: 1, kv: "x", after: 2 }),
      b64([1, 2]),
      b64(null),
    ];
    for (const cursor of bad) {
      const c = encodeURIComponent(cursor);
      for (const [path, token] of [
        [`/v1/feed?cursor=${c}`, f.token],
        [`/v1/feed?format=atom&cursor=${c}`, f.token],
        [`/v1/deliveries?cursor=${c}`, f.token],
        [`/v1/feed?subscriber_id=${f.subscriberId}&cursor=${c}`, ADMIN],
        [`/v1/subscribers?cursor=${c}`, ADMIN],
      ] as const) {
        const res = await call("GET", path, { token });
        expect(res.status, `${path} ${res.text.slice(0, 200)}`).toBe(422);
        expect(isProblem(res)).toBe(true);
      }
    }
  });

  it("an admin's feed, delivery log or alert of a subscriber that doesn't exist is 404", async () => {
    for (const path of [
      "/v1/feed",
      "/v1/feed?format=rss",
      "/v1/deliveries",
      `/v1/alerts/${f.alertId}`,
    ]) {
      const sep = path.includes("?") ? "&" : "?";
      const res = await call("GET", `${path}${sep}subscriber_id=sub_nobody`);
      expect(res.status, res.text).toBe(404);
      expect(isProblem(res)).toBe(true);
    }
    const redeliver = await call(
      "POST",
      `/v1/alerts/${f.alertId}/redeliver?subscriber_id=sub_nobody`,
    );
    expect(redeliver.status, redeliver.text).toBe(404);
  });

  it("another subscriber's alert id answers exactly like a missing one (GET and redeliver)", async () => {
    const other = await createSubscriber({ name: "other" });
    for (const [method, suffix] of [
      ["GET", ""],
      ["POST", "/redeliver"],
    ] as const) {
      const theirs = await call(method, `/v1/alerts/${f.alertId}${suffix}`, { token: other.token });
      const none = await call(method, `/v1/alerts/alt_nothing${suffix}`, { token: other.token });
      expect(theirs.status).toBe(404);
      expect(theirs.text.replace(f.alertId, "alt_nothing")).toBe(none.text);
      expect(theirs.text).not.toContain(f.subscriberId);
    }
  });

  it("POST /v1/subscribers/{id}/test against a 410 endpoint disables it", async () => {
    const sub = await createSubscriber({ name: "gone", webhook_url: HOOK });
    vi.stubGlobal("fetch", async () => new Response("gone", { status: 410 }));
    const res = await call("POST", `/v1/subscribers/${sub.id}/test`);
    expect(res.status, res.text).toBe(200);
    expect(res.data).toMatchObject({ ok: false, status: 410 });
    const after = await call("GET", `/v1/subscribers/${sub.id}`);
    expect(after.data.webhook_status).toBe("disabled");
    vi.stubGlobal("fetch", async () => new Response(null, { status: 204 }));
  });
});
