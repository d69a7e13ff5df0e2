import { runDurableObjectAlarm } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";

export const ADMIN = "test-admin-token";

export interface CallOptions {
  token?: string | null;
  json?: unknown;
  body?: BodyInit;
  contentType?: string;
  headers?: Record<string, string>;
}

/** Calls the Worker's own fetch handler inside workerd, as a client would. */
export async function call(method: string, path: string, opts: CallOptions = {}) {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  const token = opts.token === undefined ? ADMIN : opts.token;
  if (token) headers.authorization = `Bearer ${token}`;
  let body = opts.body;
  if (opts.json !== undefined) {
    body = JSON.stringify(opts.json);
    headers["content-type"] = "application/json";
  }
  if (opts.contentType) headers["content-type"] = opts.contentType;
  const res = await exports.default.fetch(
    new Request(`http://wirebrief.test${path}`, { method, headers, body }),
  );
  const text = await res.text();
  if (method !== "GET" && /^\/v1\/(watchlists|subscribers\/)/.test(path)) await settleWatchIndex();
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON answers.
  let data: any = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = text;
  }
  return { status: res.status, headers: res.headers, data, text };
}

export async function mintIngestToken(name = "scraper"): Promise<string> {
  const res = await call("POST", "/v1/tokens", { json: { name } });
  if (res.status !== 201) throw new Error(`mint failed: ${res.status} ${res.text}`);
  return res.data.token;
}

export async function createSubscriber(body: Record<string, unknown> = { name: "newsroom" }) {
  const res = await call("POST", "/v1/subscribers", { json: body });
  if (res.status !== 201) throw new Error(`subscriber failed: ${res.status} ${res.text}`);
  return res.data as { id: string; token: string; webhook_secret: string };
}

/** Asserts a problem+json answer with the given status and code. */
export function expectProblem(res: Awaited<ReturnType<typeof call>>, status: number, code: string) {
  if (res.status !== status || res.data?.code !== code) {
    throw new Error(`expected ${status} ${code}, got ${res.status} ${res.text.slice(0, 300)}`);
  }
  if (!res.headers.get("content-type")?.startsWith("application/problem+json")) {
    throw new Error(`expected problem+json, got ${res.headers.get("content-type")}`);
  }
  for (const k of ["type", "title", "status", "detail", "code"]) {
    if (!(k in res.data)) throw new Error(`problem lacks ${k}`);
  }
}

/**
 * Runs the watch index builder's pending build now, as its alarm would a moment later,
 * so a test can ingest right after changing a watchlist.
 */
export async function settleWatchIndex(): Promise<void> {
  const builder = env.WATCH_INDEX.getByName("all");
  for (let i = 0; i < 50 && (await builder.pendingSince()) !== null; i++) {
    if (!(await runDurableObjectAlarm(builder))) await new Promise((r) => setTimeout(r, 20));
  }
}
