/**
 * The load itself: one autocannon instance per route, all running at once for a bounded
 * time (so `GET /healthz` measures the floor under the same load), and a table per phase.
 */

import { createRequire } from "node:module";
import type { ArticleFactory } from "./corpus.ts";

/** The parts of autocannon's API used here (the package ships no types). */
interface AcRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: (req: AcRequest, context: Record<string, unknown>) => AcRequest;
  onResponse?: (
    status: number,
    body: string,
    context: Record<string, unknown>,
    headers: Record<string, string>,
  ) => void;
}
interface AcOptions {
  url: string;
  connections: number;
  duration: number;
  timeout: number;
  overallRate?: number;
  requests: AcRequest[];
}
interface AcHistogram {
  p50: number;
  p99: number;
  average: number;
  total: number;
}
export interface AcResult {
  duration: number;
  latency: AcHistogram;
  requests: AcHistogram & { sent: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  "2xx": number;
  statusCodeStats?: Record<string, { count: number }>;
}
interface AcInstance {
  stop(): void;
}
type Autocannon = (opts: AcOptions, cb: (err: Error | null, res: AcResult) => void) => AcInstance;

const require = createRequire(import.meta.url);
const autocannon = require("autocannon") as Autocannon;

/** An ingest acknowledged by the service (201 new, 200 replay). */
export interface Acked {
  id: string;
  url: string;
  status: number;
  phase: string;
}

/** Shared state of a run: tokens, the acknowledged articles, the article generator. */
export interface LoadContext {
  base: () => string;
  ingestToken: string;
  feedToken: string;
  factory: ArticleFactory;
  acked: Map<string, Acked>;
  /** Ids for summary GETs (the acknowledged ones, in order). */
  ids: string[];
  /** Ingest statuses per phase, e.g. {"201": 120, "500": 2}. */
  ingestStatuses: Map<string, Record<string, number>>;
  /** The first body of each non-2xx answer, by "route status". */
  samples: Map<string, string>;
}

/** Keeps the first body of each (route, non-2xx status). */
function sample(ctx: LoadContext, route: RouteName, status: number, body: string): void {
  const key = `${route} ${status}`;
  if (status >= 300 && !ctx.samples.has(key)) ctx.samples.set(key, body.slice(0, 300));
}

export type RouteName = "ingest" | "summary" | "feed" | "healthz";
export const ROUTES: readonly RouteName[] = ["ingest", "summary", "feed", "healthz"];

export interface PhaseResult {
  phase: string;
  connections: number;
  route: RouteName;
  result: AcResult;
}

function requestsFor(route: RouteName, ctx: LoadContext, phase: string): AcRequest[] {
  const json = { "content-type": "application/json" };
  switch (route) {
    case "ingest":
      return [
        {
          method: "POST",
          path: "/v1/articles",
          headers: { ...json, authorization: `Bearer ${ctx.ingestToken}` },
          setupRequest: (req, context) => {
            const a = ctx.factory.next();
            context.url = a.url;
            return { ...req, body: JSON.stringify(a) };
          },
          onResponse: (status, body, context) => {
            const counts = ctx.ingestStatuses.get(phase) ?? {};
            counts[status] = (counts[status] ?? 0) + 1;
            ctx.ingestStatuses.set(phase, counts);
            sample(ctx, "ingest", status, body);
            if (status !== 200 && status !== 201) return;
            try {
              const id = (JSON.parse(body) as { id?: string }).id;
              if (typeof id === "string" && !ctx.acked.has(id)) {
                ctx.acked.set(id, { id, url: String(context.url), status, phase });
                ctx.ids.push(id);
              }
            } catch {
              // an acknowledged ingest without a JSON body is caught by the read-back
            }
          },
        },
      ];
    case "summary":
      return [
        {
          method: "GET",
          headers: { authorization: `Bearer ${ctx.ingestToken}` },
          setupRequest: (req) => {
            const id = ctx.ids[Math.floor(Math.random() * ctx.ids.length)] ?? "missing";
            const n = 1 + Math.floor(Math.random() * 4);
            return { ...req, path: `/v1/articles/${id}/summary?sentences=${n}` };
          },
          onResponse: (status, body) => sample(ctx, "summary", status, body),
        },
      ];
    case "feed":
      return [
        {
          method: "GET",
          headers: { authorization: `Bearer ${ctx.feedToken}` },
          setupRequest: (req) => {
            const format = ["json", "atom", "rss"][Math.floor(Math.random() * 3)];
            return { ...req, path: `/v1/feed?limit=20&format=${format}` };
          },
          onResponse: (status, body) => sample(ctx, "feed", status, body),
        },
      ];
    case "healthz":
      return [
        {
          method: "GET",
          path: "/healthz",
          onResponse: (status, body) => sample(ctx, "healthz", status, body),
        },
      ];
  }
}

/** Handle of a running phase: its results, and a way to stop it early. */
export interface RunningPhase {
  done: Promise<PhaseResult[]>;
  stop(): void;
}

/**
 * Runs every route at `connections` connections each, concurrently, for `seconds`.
 * `ingestRate` (requests/s over all ingest connections; 0 = as fast as possible).
 */
export function runPhase(
  ctx: LoadContext,
  phase: string,
  connections: number,
  seconds: number,
  ingestRate = 0,
  routes: readonly RouteName[] = ROUTES,
): RunningPhase {
  const instances: AcInstance[] = [];
  const runs = routes.map(
    (route) =>
      new Promise<PhaseResult>((ok, fail) => {
        const opts: AcOptions = {
          url: ctx.base(),
          connections,
          duration: seconds,
          timeout: 30,
          requests: requestsFor(route, ctx, phase),
        };
        if (route === "ingest" && ingestRate > 0) opts.overallRate = ingestRate;
        instances.push(
          autocannon(opts, (err, result) => {
            if (err) fail(err);
            else ok({ phase, connections, route, result });
          }),
        );
      }),
  );
  return {
    done: Promise.all(runs),
    stop: () => {
      for (const i of instances) i.stop();
    },
  };
}

function pad(s: string | number, n: number, left = false): string {
  const t = String(s);
  return left ? t.padEnd(n) : t.padStart(n);
}

/** A fixed-width table of a phase's routes. */
export function formatPhase(rows: PhaseResult[]): string {
  const head = `${pad("route", 8, true)} ${pad("conns", 5)} ${pad("req/s", 7)} ${pad("p50 ms", 7)} ${pad("p99 ms", 7)} ${pad("2xx", 6)} ${pad("non2xx", 6)} ${pad("sockerr", 7)} ${pad("timeout", 7)} ${pad("open@end", 8)}`;
  const lines = [head, "-".repeat(head.length)];
  for (const r of rows) {
    const x = r.result;
    const answered = x["2xx"] + x.non2xx;
    const rps = x.duration > 0 ? answered / x.duration : 0;
    const open = Math.max(0, x.requests.sent - answered - x.errors);
    const ms = (v: number) => (answered > 0 ? v : "-");
    lines.push(
      `${pad(r.route, 8, true)} ${pad(r.connections, 5)} ${pad(rps.toFixed(1), 7)} ${pad(ms(x.latency.p50), 7)} ${pad(ms(x.latency.p99), 7)} ${pad(x["2xx"], 6)} ${pad(x.non2xx, 6)} ${pad(x.errors - x.timeouts, 7)} ${pad(x.timeouts, 7)} ${pad(open, 8)}`,
    );
  }
  lines.push(
    "(req/s: answered requests per second; open@end: sent but unanswered when the phase ended)",
  );
  return lines.join("\n");
}
