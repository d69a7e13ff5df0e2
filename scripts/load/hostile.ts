/**
 * `npm run load:hostile`: hostile watch queries against ~1 MiB articles, end to end
 * (issue 9). Starts `wrangler dev` like `npm run load` (scripts/load/service.ts: 127.0.0.1,
 * free port, fresh temporary state, generated ADMIN_TOKEN), creates one subscriber per
 * hostile shape, each filling its 2,000-query quota (20 watchlists of 100), plus a
 * realistic subscriber; checks that going over a quota answers 422 `quota_exceeded`;
 * waits until the watch index holds them all; then ingests ~1 MiB English articles of
 * common words one at a time while a separate connection GETs /healthz every ~20 ms.
 *
 * It measures, it does not judge latency: exit 0 when every ingest was stored (201/200)
 * and every subscriber's matches are the expected ones; 1 when not; 2 when the harness
 * itself failed or hit its global timeout.
 *
 *   npm run load:hostile -- [--articles 3] [--per-sub 2000] [--shapes prox,phrase,...]
 */

import { randomBytes } from "node:crypto";
import { Agent, request } from "node:http";
import { resolve } from "node:path";
import { Api, ApiError } from "./api.ts";
import { watchlistsFor } from "./corpus.ts";
import {
  commonArticle,
  hostileQueries,
  PLANTED_QUERY,
  SHAPE_LABELS,
  SHAPES,
} from "./hostile-corpus.ts";
import {
  cliOptions,
  elapsed,
  guarded,
  listOption,
  machine,
  numOption,
  Service,
  sleep,
} from "./service.ts";

const ROOT = resolve(import.meta.dirname, "../..");
const MAX_BODY = 1024 * 1024;

const HELP = `usage: npm run load:hostile -- [options]

options (durations in seconds):
  --articles N        ~1 MiB articles to ingest, one at a time [3]
  --bytes N           JSON body size to aim for (at most 1 MiB = 1048576) [1048000]
  --per-sub N         hostile queries per subscriber, 100 a watchlist [2000, the quota]
  --shapes a,b        hostile shapes, one subscriber each [${SHAPES.join(",")}]
  --realistic N       queries of the realistic subscriber (0 = none; its probe watchlist stays) [200]
  --interval MS       /healthz period [20]
  --baseline N        /healthz alone before the ingests [5]
  --ingest-timeout N  per ingest [120]
  --seed N            PRNG seed [random]
  --timeout N         global timeout, everything is stopped after it [600]
  --keep              keep the temporary dir (state, wrangler.log)`;

function options() {
  const values = cliOptions(HELP, {
    articles: { type: "string" },
    bytes: { type: "string" },
    "per-sub": { type: "string" },
    shapes: { type: "string" },
    realistic: { type: "string" },
    interval: { type: "string" },
    baseline: { type: "string" },
    "ingest-timeout": { type: "string" },
  });
  const shapes = listOption(values.shapes, SHAPES, "shape");
  return {
    articles: numOption(values.articles, 3, 1),
    bytes: numOption(values.bytes, 1_048_000, 1000, MAX_BODY),
    perSub: numOption(values["per-sub"], 2000, 1),
    shapes,
    realistic: numOption(values.realistic, 200, 0),
    interval: numOption(values.interval, 20, 1),
    baseline: numOption(values.baseline, 5, 1),
    ingestTimeout: numOption(values["ingest-timeout"], 120, 1),
    seed: numOption(values.seed, randomBytes(4).readUInt32BE()),
    timeout: numOption(values.timeout, 600, 10),
    keep: values.keep,
  };
}
type Options = ReturnType<typeof options>;

const log = (s = "") => console.log(s);

/** An ingest answer that says the article is stored. */
const isStored = (status: number) => status === 201 || status === 200;

/** workerd CPU ms between two readings; null when one is missing or workerd restarted between them. */
const cpuSpent = (a: number | null, b: number | null) =>
  a !== null && b !== null && b >= a ? b - a : null;

/** A smaller total than before: workerd was replaced (restarted) between the two readings. */
const restartedBetween = (a: number | null, b: number | null) => a !== null && b !== null && b < a;

// --- /healthz on its own connection ---------------------------------------------------

interface Sample {
  start: number;
  end: number;
  ms: number;
  ok: boolean;
}

/** Whether a /healthz sample was in flight while an ingest was (performance.now() times). */
const overlaps = (s: Sample, r: { start: number; end: number }) =>
  s.start < r.end && s.end > r.start;

/** GETs /healthz every `interval` ms on one keep-alive connection (a new one only after an error). */
class HealthLoop {
  readonly samples: Sample[] = [];
  private running = false;
  private done: Promise<void> = Promise.resolve();
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 1 });

  private readonly base: string;
  private readonly interval: number;

  constructor(base: string, interval: number) {
    this.base = base;
    this.interval = interval;
  }

  start(): void {
    this.running = true;
    this.done = (async () => {
      while (this.running) {
        const start = performance.now();
        const ok = await this.one();
        const end = performance.now();
        this.samples.push({ start, end, ms: end - start, ok });
        const wait = this.interval - (end - start);
        if (wait > 0) await sleep(wait);
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.done;
    this.agent.destroy();
  }

  private one(): Promise<boolean> {
    return new Promise((ok) => {
      const req = request(
        `${this.base}/healthz`,
        { agent: this.agent, timeout: 120_000 },
        (res) => {
          res.resume();
          res.on("end", () => ok(res.statusCode === 200));
          res.on("error", () => ok(false));
        },
      );
      req.on("timeout", () => req.destroy(new Error("timeout")));
      req.on("error", () => ok(false));
      req.end();
    });
  }
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number;
}

function stats(samples: Sample[]) {
  const ms = samples.map((s) => s.ms).sort((a, b) => a - b);
  return {
    count: ms.length,
    failed: samples.filter((s) => !s.ok).length,
    p50: quantile(ms, 0.5),
    p99: quantile(ms, 0.99),
    max: ms.length ? (ms[ms.length - 1] as number) : Number.NaN,
  };
}

const fmt = (n: number, w: number, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : "-").padStart(w);

// --- the run ---------------------------------------------------------------------------

interface SubInfo {
  label: string;
  id: string;
  token: string;
  /** watchlist id -> the expected-to-match queries of it (for hostile subscribers). */
  watchlists: Map<string, string[]>;
  expected: number;
  /** The realistic subscriber: only its probe watchlist's planted query is asserted. */
  realistic: boolean;
  setupMs: number;
}

interface IngestRow {
  n: number;
  bodyBytes: number;
  status: number;
  wallMs: number;
  cpuMs: number | null;
  start: number;
  end: number;
  id: string | null;
  error: string | null;
  /** per subscriber label: matched queries (read back), or null when not readable. */
  got: Map<string, number | null>;
  /** Labels of the subscribers whose matching budget this article spent (a subset of their matches). */
  overBudget: string[];
  ok: boolean;
  /** After a failed ingest: a client's immediate retry of the same body, and whether the URL reads back. */
  retry: { status: number; readBack: number } | null;
}

async function main(): Promise<number> {
  const o = options();
  const t0 = Date.now();
  log(`wirebrief hostile-query run, seed ${o.seed}`);
  log(machine(ROOT));
  const service = new Service(ROOT);
  return guarded(service, o, () => run(o, service, t0));
}

/** A request whose problem+json answer is wanted, not thrown. */
async function raw(
  base: string,
  method: string,
  path: string,
  token: string,
  body: unknown,
): Promise<{ status: number; code: string | null; detail: string }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(60_000),
  });
  const text = await res.text();
  let code: string | null = null;
  let detail = text.slice(0, 160);
  try {
    const j = JSON.parse(text) as { code?: string; detail?: string; errors?: unknown };
    code = j.code ?? null;
    detail = `${j.detail ?? ""}${j.errors ? ` ${JSON.stringify(j.errors).slice(0, 160)}` : ""}`;
  } catch {
    // not JSON
  }
  return { status: res.status, code, detail };
}

async function run(o: Options, service: Service, t0: number): Promise<number> {
  const ts = Date.now();
  await service.start();
  log(
    `service: wrangler dev on ${service.base} (pid ${service.pid}, up in ${elapsed(ts)}), state in ${service.persistDir}`,
  );
  const api = new Api(() => service.base);
  const admin = service.adminToken;
  const ingest = (
    await api.call<{ token: string }>("POST", "/v1/tokens", admin, { name: "hostile" })
  ).body.token;

  // --- setup: one subscriber per hostile shape, each filling its quota ---
  const perList = 100;
  const subs: SubInfo[] = [];
  log(
    `\nsetup: ${o.shapes.length} hostile subscriber(s) × ${o.perSub} queries (${Math.ceil(o.perSub / perList)} watchlists of ≤${perList})` +
      `${o.realistic > 0 ? ` + a realistic subscriber (${o.realistic} queries + a probe watchlist)` : " + a probe subscriber"}`,
  );
  log(
    "subscriber  shape                                        queries  watchlists  create s  expected matches",
  );
  const tSetup = Date.now();
  for (const shape of o.shapes) {
    const qs = hostileQueries(shape, o.perSub, o.seed);
    const { body } = await api.call<{ id: string; token: string }>(
      "POST",
      "/v1/subscribers",
      admin,
      { name: `hostile ${shape}` },
    );
    const t = Date.now();
    const watchlists = new Map<string, string[]>();
    for (let k = 0; k < qs.length; k += perList) {
      const part = qs.slice(k, k + perList);
      const wl = await api.call<{ id: string }>(
        "POST",
        "/v1/watchlists",
        body.token,
        { name: `${shape} ${k / perList + 1}`, queries: part.map((q) => q.q) },
        60_000,
      );
      watchlists.set(
        wl.body.id,
        part.filter((q) => q.matches).map((q) => q.q),
      );
    }
    const sub: SubInfo = {
      label: shape,
      id: body.id,
      token: body.token,
      watchlists,
      expected: qs.filter((q) => q.matches).length,
      realistic: false,
      setupMs: Date.now() - t,
    };
    subs.push(sub);
    log(
      `${shape.padEnd(11)} ${SHAPE_LABELS[shape].padEnd(44)} ${String(qs.length).padStart(7)} ${String(watchlists.size).padStart(11)} ${fmt(sub.setupMs / 1000, 9, 1)} ${String(sub.expected).padStart(17)}`,
    );
  }

  // --- quotas: one attempt of each kind over them ---
  log("\nquota checks (each must be 422 quota_exceeded):");
  const quotaChecks: { what: string; status: number; code: string | null; detail: string }[] = [];
  const full = subs.find((s) => s.watchlists.size * perList >= 2000);
  if (full) {
    const r = await raw(service.base, "POST", "/v1/watchlists", full.token, {
      name: "one too many",
      queries: ["belarus"],
    });
    quotaChecks.push({ what: `2,001st query (subscriber ${full.label})`, ...r });
  }
  const probeSub = await api.call<{ id: string; token: string }>("POST", "/v1/subscribers", admin, {
    name: o.realistic > 0 ? "realistic" : "probe",
  });
  {
    const words33 = Array.from({ length: 33 }, (_, i) => `word${i}`).join(" ");
    const r = await raw(service.base, "POST", "/v1/watchlists", probeSub.body.token, {
      name: "too many terms",
      queries: [`"${words33}"`],
    });
    quotaChecks.push({ what: "a 33-term query (33-word phrase)", ...r });
  }
  for (const q of quotaChecks)
    log(`  ${q.what.padEnd(40)} ${q.status} ${q.code ?? "-"}: ${q.detail}`);
  const quotaOk = quotaChecks.every((q) => q.status === 422 && q.code === "quota_exceeded");

  // --- the realistic subscriber, last: its probe watchlist tells when the index holds all ---
  const marker = `zq${o.seed.toString(36)}probe`;
  const t = Date.now();
  const realWatchlists = new Map<string, string[]>();
  let realQueries = 0;
  if (o.realistic > 0) {
    for (const d of watchlistsFor(o.realistic, o.seed)) {
      const wl = await api.call<{ id: string }>("POST", "/v1/watchlists", probeSub.body.token, d);
      realWatchlists.set(wl.body.id, []);
      realQueries += d.queries.length;
    }
  }
  const probe = await api.call<{ id: string }>("POST", "/v1/watchlists", probeSub.body.token, {
    name: "probe",
    queries: [marker, PLANTED_QUERY],
  });
  realWatchlists.set(probe.body.id, [PLANTED_QUERY]);
  const real: SubInfo = {
    label: o.realistic > 0 ? "realistic" : "probe",
    id: probeSub.body.id,
    token: probeSub.body.token,
    watchlists: realWatchlists,
    expected: 1,
    realistic: true,
    setupMs: Date.now() - t,
  };
  subs.push(real);
  const totalQueries = realQueries + 2;
  const hostileTotal = o.shapes.length * o.perSub;
  log(
    `\n${real.label}: ${realQueries} queries in ${realWatchlists.size - 1} watchlist(s) + probe [${marker}, ${PLANTED_QUERY}] in ${elapsed(t)}`,
  );
  log(
    `all watchlists created in ${elapsed(tSetup)}: ${hostileTotal} hostile + ${totalQueries} other queries`,
  );

  // --- wait until the index holds the probe (created last) ---
  const tLast = Date.now();
  let live = false;
  let probes = 0;
  let probeMs = 0;
  while (Date.now() - tLast < 120_000) {
    probes++;
    const tp = Date.now();
    const r = await api.status<{ matches: { watchlist_id: string }[] }>(
      "POST",
      "/v1/articles",
      admin,
      { title: `Probe ${probes}`, text: `Index probe ${marker} number ${probes}.` },
      60_000,
    );
    probeMs = Date.now() - tp;
    if (r.body?.matches.some((m) => m.watchlist_id === probe.body.id)) {
      live = true;
      break;
    }
    await sleep(250);
  }
  log(
    live
      ? `index live ${elapsed(tLast)} after the last watchlist POST (${probes} probe ingest(s); the last took ${probeMs} ms)`
      : `index NOT live 120 s after the last watchlist POST (${probes} probes): going on anyway`,
  );

  // --- /healthz baseline, then the ingests with /healthz alongside ---
  const health = new HealthLoop(service.base, o.interval);
  health.start();
  const cpuBase0 = service.workerdCpuMs();
  const tb0 = performance.now();
  await sleep(o.baseline * 1000);
  const tb1 = performance.now();
  const cpuBase1 = service.workerdCpuMs();
  log(
    `\nbaseline: /healthz alone for ${o.baseline}s; then ${o.articles} ingest(s) of ~${(o.bytes / 2 ** 20).toFixed(2)} MiB, one at a time, 1 s apart`,
  );

  const rows: IngestRow[] = [];
  const runId = `h${o.seed.toString(36)}`;
  for (let n = 1; n <= o.articles; n++) {
    const url = `https://en.hostilewire.test/${runId}/${n}`;
    const title = `Hostile load article ${n}: the report of the country and the company`;
    const envelope = JSON.stringify({ url, title, text: "" });
    let text = commonArticle(o.bytes - Buffer.byteLength(envelope), o.seed + n);
    let bodyText = JSON.stringify({ url, title, text });
    while (Buffer.byteLength(bodyText) > MAX_BODY) {
      text = text.slice(0, text.lastIndexOf(" ", text.length - 1000));
      bodyText = JSON.stringify({ url, title, text });
    }
    const row: IngestRow = {
      n,
      bodyBytes: Buffer.byteLength(bodyText),
      status: 0,
      wallMs: 0,
      cpuMs: null,
      start: 0,
      end: 0,
      id: null,
      error: null,
      got: new Map(),
      overBudget: [],
      ok: false,
      retry: null,
    };
    const cpu0 = service.workerdCpuMs();
    row.start = performance.now();
    try {
      const res = await fetch(`${service.base}/v1/articles`, {
        method: "POST",
        headers: { authorization: `Bearer ${ingest}`, "content-type": "application/json" },
        body: bodyText,
        signal: AbortSignal.timeout(o.ingestTimeout * 1000),
      });
      const answer = await res.text();
      row.end = performance.now();
      row.status = res.status;
      try {
        const j = JSON.parse(answer) as { id?: string; code?: string; detail?: string };
        row.id = j.id ?? null;
        if (!res.ok) row.error = `${j.code}: ${j.detail}`;
      } catch {
        row.error = `not JSON: ${answer.slice(0, 160)}`;
      }
    } catch (e) {
      row.end = performance.now();
      row.error = e instanceof Error ? e.message : String(e);
    }
    row.wallMs = row.end - row.start;
    const cpu1 = service.workerdCpuMs();
    row.cpuMs = cpuSpent(cpu0, cpu1);
    const restarted = restartedBetween(cpu0, cpu1);
    rows.push(row);
    log(
      `  ingest ${n}: ${row.status || "error"} in ${row.wallMs.toFixed(0)} ms (body ${row.bodyBytes} bytes${row.cpuMs !== null ? `, workerd CPU ${row.cpuMs} ms` : ""}${restarted ? ", workerd restarted meanwhile" : ""})${row.error ? `: ${row.error}` : ""}`,
    );
    if (!isStored(row.status)) {
      // What a client does next: send it again. Then: is the article there?
      const body = { url, title, text }; // bodyText's object: the same bytes again
      const again = (await api.status("POST", "/v1/articles", ingest, body, o.ingestTimeout * 1000))
        .status;
      const back = await api.status("GET", `/v1/articles?url=${encodeURIComponent(url)}`, admin);
      row.retry = { status: again, readBack: back.status };
      log(
        `    client retry of the same body: ${again || "error"}; GET /v1/articles?url=: ${back.status || "error"}` +
          (isStored(again) && back.status === 404 ? "  <- acknowledged but NOT stored" : ""),
      );
    }
    await sleep(1000);
  }
  const cpuAfter0 = service.workerdCpuMs();
  const ta0 = performance.now();
  await sleep(o.baseline * 1000);
  const ta1 = performance.now();
  const cpuAfter1 = service.workerdCpuMs();
  await health.stop();

  // --- read back: each subscriber sees its own matches of each stored article ---
  // A subscriber whose phrases and proximities spent the article's matching budget
  // (logged by the Worker) gets a subset of its expected matches, never another query.
  const budgetLines = service.logLinesWith("matching budget spent");
  const overBudget = (subId: string, articleId: string) =>
    budgetLines.some((l) => l.includes(subId) && l.includes(articleId));
  for (const row of rows) {
    if (!row.id || !isStored(row.status)) continue;
    let good = true;
    for (const s of subs) {
      try {
        const r = await api.call<{ matches: { watchlist_id: string; query: string }[] }>(
          "GET",
          `/v1/articles/${row.id}`,
          s.token,
          undefined,
          60_000,
        );
        const mine = r.body.matches.filter((m) => s.watchlists.has(m.watchlist_id));
        row.got.set(s.label, r.body.matches.length);
        if (s.realistic) {
          const planted = mine.some((m) => m.query === PLANTED_QUERY);
          if (!planted) good = false;
        } else {
          // exactly the expected queries of each watchlist (a subset when over budget)
          const partial = overBudget(s.id, row.id);
          if (partial) row.overBudget.push(s.label);
          for (const [wl, expected] of s.watchlists) {
            const got = mine.filter((m) => m.watchlist_id === wl).map((m) => m.query);
            const want = new Set(expected);
            if (got.some((q) => !want.has(q))) good = false;
            if (!partial && new Set(got).size !== want.size) good = false;
          }
          if (mine.length !== r.body.matches.length) good = false;
        }
      } catch (e) {
        row.got.set(s.label, null);
        good = false;
        row.error ??= `read back as ${s.label}: ${e instanceof ApiError ? e.message : String(e)}`;
      }
    }
    row.ok = good;
  }

  // Alerts the subscribers hold now (first feed page, at most 100), stored article or not.
  const feeds: string[] = [];
  const alerted = new Set<string>();
  for (const s of subs) {
    const f = await api.status<{ items: { _wirebrief: { article_id: string } }[] }>(
      "GET",
      "/v1/feed?limit=100",
      s.token,
    );
    feeds.push(`${s.label} ${f.body ? f.body.items.length : `(${f.status || "error"})`}`);
    for (const it of f.body?.items ?? []) alerted.add(it._wirebrief.article_id);
  }
  let alertedMissing = 0;
  for (const id of alerted)
    if ((await api.status("GET", `/v1/articles/${id}`, admin)).status === 404) alertedMissing++;

  // --- report ---
  const during = health.samples.filter((s) => rows.some((r) => overlaps(s, r)));
  const baseline = health.samples.filter((s) => s.start >= tb0 && s.end <= tb1);
  const after = health.samples.filter((s) => s.start >= ta0 && s.end <= ta1);
  const worst = health.samples.reduce<Sample | null>((w, s) => (!w || s.ms > w.ms ? s : w), null);

  log(
    `\ningests (${hostileTotal} hostile + ${totalQueries} other queries; matches read back per subscriber with its own token, expected in brackets):`,
  );
  const labels = subs.map((s) => s.label);
  log(
    `article  body bytes  status  wall ms  workerd cpu ms  ${labels.map((l) => l.padStart(Math.max(l.length, 11))).join(" ")}  answer`,
  );
  for (const r of rows) {
    const cells = subs.map((s) => {
      const g = r.got.get(s.label);
      const mark = r.overBudget.includes(s.label) ? "*" : "";
      const cell = `${g === undefined || g === null ? "-" : g}${mark}(${s.realistic ? "≥1" : s.expected})`;
      return cell.padStart(Math.max(s.label.length, 11));
    });
    log(
      `${String(r.n).padStart(7)} ${String(r.bodyBytes).padStart(11)} ${String(r.status || "err").padStart(7)} ${fmt(r.wallMs, 8)} ${fmt(r.cpuMs ?? Number.NaN, 15)}  ${cells.join(" ")}  ${r.ok ? "ok" : "WRONG"}`,
    );
  }
  log(
    "(workerd cpu ms: user+system time of the workerd process while the ingest ran, /healthz included; 10 ms resolution;\n * the subscriber's phrases and proximities spent its matching budget on the article: a subset of its expected matches, logged by the Worker)",
  );
  log(`\n/healthz on its own connection, every ${o.interval} ms:`);
  log("                   count  failed  p50 ms  p99 ms  max ms");
  const line = (name: string, s: ReturnType<typeof stats>) =>
    log(
      `${name.padEnd(18)} ${String(s.count).padStart(5)} ${String(s.failed).padStart(7)} ${fmt(s.p50, 7, 1)} ${fmt(s.p99, 7, 1)} ${fmt(s.max, 7, 1)}`,
    );
  line("baseline (alone)", stats(baseline));
  line("during ingests", stats(during));
  line(`after (${o.baseline}s idle)`, stats(after));
  const cpuOf = (a: number | null, b: number | null) => {
    const ms = cpuSpent(a, b);
    return ms !== null ? `${ms} ms` : "-";
  };
  log(
    `workerd CPU (the /healthz loop included): ${cpuOf(cpuBase0, cpuBase1)} in the ${o.baseline}s baseline, ` +
      `${cpuOf(cpuAfter0, cpuAfter1)} in the ${o.baseline}s after the ingests`,
  );
  if (worst) {
    const inIngest = rows.find((r) => overlaps(worst, r));
    log(
      `worst single /healthz wait: ${worst.ms.toFixed(0)} ms${inIngest ? ` (during ingest ${inIngest.n}, which took ${inIngest.wallMs.toFixed(0)} ms)` : ""}`,
    );
  }
  for (const r of rows) {
    const mine = health.samples.filter((s) => overlaps(s, r));
    const st = stats(mine);
    log(
      `  ingest ${r.n}: ${st.count} /healthz answered meanwhile, p50 ${fmt(st.p50, 0, 1)} ms, max ${fmt(st.max, 0, 1)} ms`,
    );
  }

  const stored = rows.every((r) => isStored(r.status));
  const lost = rows.filter(
    (r) => r.retry && isStored(r.retry.status) && r.retry.readBack === 404,
  ).length;
  log(`\nfeed alerts per subscriber after the run (first page): ${feeds.join(", ")}`);
  log(
    `  they are about ${alerted.size} distinct article(s) (probes included); ${alertedMissing} of those answer 404 (alerted, never stored)`,
  );
  const errors = service.errorLines(8);
  if (errors.length) {
    log("\nwrangler.log errors (distinct, first 8):");
    for (const e of errors) log(`  ${e}`);
  }
  const matched = rows.every((r) => r.ok);
  log("\nRESULT");
  log(
    `  quotas: ${quotaOk ? "every over-quota attempt answered 422 quota_exceeded" : "an over-quota attempt was NOT answered 422 quota_exceeded"}`,
  );
  log(
    `  ingests: ${rows.filter((r) => isStored(r.status)).length} of ${rows.length} stored; ${rows.filter((r) => r.ok).length} with the expected matches`,
  );
  if (rows.some((r) => r.retry))
    log(
      `  retries after a failed ingest: ${rows.filter((r) => r.retry).length}; acknowledged (200/201) but not stored: ${lost}`,
    );
  const failed = !stored || !matched || !quotaOk || !live || lost > 0;
  if (failed) {
    const why = [
      !stored && "an ingest was not stored (status above)",
      !matched && "the matches read back differ from the expected ones",
      !quotaOk && "quota check failed",
      !live && "the watch index never held the probe",
      lost > 0 && "a retried ingest was acknowledged but not stored",
    ].filter(Boolean);
    for (const r of rows.filter((x) => x.error)) log(`  ingest ${r.n}: ${r.error}`);
    log(`  FAIL: ${why.join("; ")} (${elapsed(t0)})`);
  } else log(`  OK: every ingest stored with the expected matches (${elapsed(t0)})`);
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(
      `hostile harness failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
    );
    process.exit(2);
  },
);
