/**
 * Fuzz every declared route (discovered from the app, as in the security matrix) with
 * random ids, query strings, headers, bodies and tokens: never a 5xx, every 4xx is
 * problem+json with a code of the closed set and a status the route documents, and a
 * rejected request changes nothing: not a KV key, not subscriber A's records, not its feed.
 */
import { env } from "cloudflare:workers";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ERROR_STATUS } from "../../src/errors.ts";
import { discoverOperations, isProblem, type Operation } from "./declared.ts";
import { ADMIN, call, createSubscriber } from "./helpers.ts";

/** Runs per route; 37 routes × 40 stays near a minute inside workerd on two cores. */
const RUNS = 40;
const OPS = discoverOperations();

interface World {
  a: { id: string; token: string };
  b: { id: string; token: string };
  ingest: string;
  watchlistId: string;
  articleId: string;
  alertId: string;
}

async function keySnapshot(w: World): Promise<string> {
  const names: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await env.KV.list({ cursor });
    names.push(...page.keys.map((k) => k.name));
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  const records = await Promise.all([
    env.KV.get(`subscriber:${w.a.id}`),
    env.KV.get(`watchlist:${w.a.id}:${w.watchlistId}`),
  ]);
  const feed = await call("GET", `/v1/feed?subscriber_id=${w.a.id}`);
  return JSON.stringify([
    names,
    records,
    feed.status,
    feed.data?.items?.map((i: { id: string }) => i.id),
  ]);
}

/** Printable text, whole Unicode, control characters, and long runs. */
const anyText = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: "grapheme", maxLength: 60 }),
  fc.string({ unit: fc.integer({ min: 0, max: 0x1f }).map((n) => String.fromCharCode(n)) }),
  fc.constantFrom(
    "",
    " ",
    "0",
    "-1",
    "null",
    "true",
    "[]",
    "{}",
    "..",
    "%00",
    "\u200b",
    "é".repeat(300),
  ),
  fc.nat(1200).map((n) => "x".repeat(n)),
);

/** A JSON value shaped like the route's body: known field names with values of any type. */
const FIELDS = [
  "url",
  "title",
  "text",
  "html",
  "lang",
  "published_at",
  "source",
  "name",
  "email",
  "webhook_url",
  "queries",
  "langs",
  "sources",
  "subscriber_id",
  "sentences",
  "words",
  "ratio",
  "watch",
];
const anyJson = fc.jsonValue({ maxDepth: 3 });
const shapedBody = fc
  .dictionary(
    fc.constantFrom(...FIELDS),
    fc.oneof(anyText, anyJson, fc.array(anyText, { maxLength: 4 })),
    {
      maxKeys: 6,
    },
  )
  .map((o) => JSON.stringify(o));
const bodyArb = fc.oneof(
  shapedBody,
  anyJson.map((v) => JSON.stringify(v)),
  fc.array(shapedBody, { maxLength: 3 }).map((xs) => `[${xs.join(",")}]`),
  fc.array(shapedBody, { maxLength: 3 }).map((xs) => xs.join("\n")),
  anyText,
);
const contentTypeArb = fc.constantFrom(
  undefined,
  "application/json",
  "application/json; charset=utf-8",
  "application/x-ndjson",
  "text/plain",
  "text/html",
  "application/xml",
  "multipart/form-data; boundary=x",
  "application/problem+json",
  "",
);
const headerArb = fc.dictionary(
  fc.constantFrom("accept", "accept-language", "x-request-id", "if-none-match", "origin", "cookie"),
  fc.string({ maxLength: 40 }).map((s) => s.trim()),
  { maxKeys: 3 },
);

function requestArb(op: Operation, w: World) {
  // Real ids too (not A's or B's on DELETE, so both outlive the run); never "." or "..",
  // which the URL parser resolves to another path before any route sees them.
  const known = [w.articleId, w.watchlistId, w.alertId];
  if (op.key !== "DELETE /v1/subscribers/{id}") known.push(w.a.id, w.b.id);
  const id = fc.oneof(
    { weight: 4, arbitrary: anyText.filter((s) => !/^(\.|%2e){1,2}$/i.test(s)) },
    { weight: 1, arbitrary: fc.constantFrom(...known) },
  );
  const queryKeys = [
    "url",
    "cursor",
    "limit",
    "since",
    "format",
    "order",
    "subscriber_id",
    "sentences",
    "words",
    "ratio",
    "title",
    "published_at",
  ];
  const query = fc.dictionary(
    fc.oneof(fc.constantFrom(...queryKeys), fc.string({ maxLength: 8 })),
    fc.oneof(anyText, fc.constantFrom(w.a.id, w.b.id, "https://wire.example.com/x")),
    { maxKeys: 4 },
  );
  // Mostly tokens the route accepts, so most runs reach the handler; the rest are refused.
  const { scopes } = op.security;
  const ok = (scope: "admin" | "ingest" | "subscriber") =>
    scopes === "none" || scopes.includes(scope);
  const token = fc.oneof(
    ...(
      [
        [ADMIN, ok("admin")],
        [w.ingest, ok("ingest")],
        [w.a.token, ok("subscriber")],
        [w.b.token, ok("subscriber")],
        [null, false],
        ["wb_sub_nope", false],
      ] as const
    ).map(([t, allowed]) => ({
      weight: allowed ? 6 : 1,
      arbitrary: fc.constant<string | null>(t),
    })),
  );
  const hasBody = op.method !== "get";
  return fc.record({
    id,
    query,
    token,
    headers: headerArb,
    contentType: contentTypeArb,
    body: hasBody ? fc.option(bodyArb, { nil: undefined }) : fc.constant(undefined),
  });
}

function encodeId(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return encodeURIComponent(s.replace(/[\ud800-\udfff]/g, "?"));
  }
}

describe("fuzz: every route, random ids, queries, headers, bodies and tokens", () => {
  let w: World;
  let total = 0;
  const byStatus = new Map<number, number>();
  beforeAll(async () => {
    vi.stubGlobal("fetch", async () => new Response(null, { status: 204 }));
    const a = await createSubscriber({ name: "fuzz a", webhook_url: "http://127.0.0.1:9/hook" });
    const b = await createSubscriber({ name: "fuzz b" });
    const wl = await call("POST", "/v1/watchlists", {
      token: a.token,
      json: { name: "fuzz", queries: ["quuxfuzz"] },
    });
    const ingest = await call("POST", "/v1/tokens", { json: { name: "fuzz" } });
    const art = await call("POST", "/v1/articles", {
      token: ingest.data.token,
      json: { url: "https://wire.example.com/fuzz", text: "The quuxfuzz story. It matters." },
    });
    const alertId = await vi.waitFor(
      async () => {
        const feed = await call("GET", "/v1/feed", { token: a.token });
        const id = feed.data?.items?.[0]?.id as string | undefined;
        if (!id) throw new Error("no alert yet");
        return id;
      },
      { timeout: 10_000, interval: 50 },
    );
    w = {
      a,
      b,
      ingest: ingest.data.token,
      watchlistId: wl.data.id,
      articleId: art.data.id,
      alertId,
    };
  });
  afterAll(() => {
    vi.unstubAllGlobals();
    const statuses = [...byStatus].sort((x, y) => x[0] - y[0]).map(([s, n]) => `${s}:${n}`);
    console.log(
      `fuzz: ${OPS.length} routes x ${RUNS} runs = ${total} requests (${statuses.join(" ")})`,
    );
  });

  for (const op of OPS) {
    it(op.key, async () => {
      let pastAuth = 0;
      await fc.assert(
        fc.asyncProperty(requestArb(op, w), async (r) => {
          total++;
          const path = op.path.replace(/\{[^}]+\}/g, encodeId(r.id));
          const qs = new URLSearchParams(Object.entries(r.query)).toString();
          const before = await keySnapshot(w);
          const headers: Record<string, string> = { ...r.headers };
          if (r.contentType !== undefined) headers["content-type"] = r.contentType;
          const res = await call(op.method.toUpperCase(), qs ? `${path}?${qs}` : path, {
            token: r.token,
            headers,
            ...(r.body !== undefined ? { body: r.body } : {}),
          });
          const what = `${op.key} -> ${res.status} ${res.text.slice(0, 300)}`;
          byStatus.set(res.status, (byStatus.get(res.status) ?? 0) + 1);
          if (res.status !== 401 && res.status !== 403) pastAuth++;
          expect(res.status, what).toBeLessThan(500);
          if (res.status >= 400) {
            expect(isProblem(res), what).toBe(true);
            const code = res.data.code as keyof typeof ERROR_STATUS;
            expect(ERROR_STATUS[code], what).toBe(res.status);
            expect(op.statuses.has(res.status), `undocumented: ${what}`).toBe(true);
            expect(await keySnapshot(w), `changed: ${what}`).toBe(before);
          }
        }),
        { numRuns: RUNS },
      );
      // The fuzz reached the handler, not only the token check.
      expect(pastAuth).toBeGreaterThan(RUNS / 4);
    });
  }
});
