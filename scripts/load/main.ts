/**
 * `npm run load` / `npm run load:faults`: wirebrief under load and faults, end to end.
 *
 * Starts `wrangler dev` on 127.0.0.1 (free port, fresh temporary state, generated
 * ADMIN_TOKEN), webhook receivers in this process, a subscriber with ~1,000 watch queries,
 * then drives ingests, summary GETs, feed reads and /healthz with autocannon and checks
 * that nothing acknowledged was lost or duplicated. Exit 0: all clean; 1: something lost
 * or duplicated; 2: the harness itself failed or hit its global timeout.
 *
 *   npm run load -- [--duration 10] [--connections 1,8,64] [--queries 1000] [--wait 30]
 *   npm run load:faults -- [--fault-duration 30] [--fault-connections 8] [--ingest-rate 10] [--no-kill]
 */

import { randomBytes } from "node:crypto";
import { resolve } from "node:path";
import { Api } from "./api.ts";
import { type BurstSent, checkBursts, sendBursts } from "./burst.ts";
import {
  type ArticleCheck,
  checkArticles,
  checkSubscriber,
  feedIds,
  formatSubscribers,
  type Sub,
  type SubCheck,
  verdict,
} from "./check.ts";
import { ArticleFactory, narrowWatchlist, type WatchlistDef, watchlistsFor } from "./corpus.ts";
import { formatPhase, type LoadContext, type PhaseResult, ROUTES, runPhase } from "./drive.ts";
import { HEALTHY_MODES, type Mode, Receiver } from "./receivers.ts";
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

const HELP = `usage: npm run load -- [options]      (normal run: phases at 1, 8, 64 connections)
       npm run load:faults -- [options]  (= --faults: faulty receivers, SIGKILL + restart)

options (env var in brackets; durations in seconds):
  --duration N            per phase, normal run [LOAD_DURATION=10]
  --connections A,B,C     connections per route per phase [LOAD_CONNECTIONS=1,8,64]
  --queries N             watch queries of the main subscriber [LOAD_QUERIES=1000]
  --wait N                max wait for deliveries after the load [LOAD_WAIT=30; faults 45]
  --faults                fault run instead of the phases
  --fault-duration N      load time of the fault run [LOAD_FAULT_DURATION=30]
  --fault-connections N   connections per route in the fault run [LOAD_FAULT_CONNECTIONS=8]
  --fault-queries N       watch queries per faulty subscriber [LOAD_FAULT_QUERIES=2]
  --ingest-rate N         ingests/s cap (0 = none) [LOAD_INGEST_RATE=0; faults 10]
  --no-kill               fault run without the SIGKILL + restart
  --routes a,b            routes to load [LOAD_ROUTES=ingest,summary,feed,healthz]
  --near-dup R            share of ingests that republish a recent story [0.1]
  --burst N               after the load, N simultaneous POSTs of one URL and N simultaneous
                          copies of one story (0 = none) [LOAD_BURST=20]
  --slow-ms N             the slow receiver's delay in ms [5000]
  --seed N                PRNG seed of articles and queries [random]
  --timeout N             global timeout, everything is stopped after it [LOAD_TIMEOUT=300]
  --keep                  keep the temporary dir (state, wrangler.log)`;

function options() {
  const values = cliOptions(HELP, {
    duration: { type: "string" },
    connections: { type: "string" },
    queries: { type: "string" },
    wait: { type: "string" },
    faults: { type: "boolean", default: false },
    "fault-duration": { type: "string" },
    "fault-connections": { type: "string" },
    "fault-queries": { type: "string" },
    "ingest-rate": { type: "string" },
    "no-kill": { type: "boolean", default: false },
    "near-dup": { type: "string" },
    burst: { type: "string" },
    routes: { type: "string" },
    "slow-ms": { type: "string" },
  });
  const e = process.env;
  const faults = values.faults || e.LOAD_FAULTS === "1";
  const connections = (values.connections ?? e.LOAD_CONNECTIONS ?? "1,8,64")
    .split(",")
    .map((s) => numOption(s.trim(), 1, 1));
  return {
    faults,
    duration: numOption(values.duration ?? e.LOAD_DURATION, 10, 1),
    connections,
    queries: numOption(values.queries ?? e.LOAD_QUERIES, 1000, 1),
    wait: numOption(values.wait ?? e.LOAD_WAIT, faults ? 45 : 30),
    faultDuration: numOption(values["fault-duration"] ?? e.LOAD_FAULT_DURATION, 30, 4),
    faultConnections: numOption(values["fault-connections"] ?? e.LOAD_FAULT_CONNECTIONS, 8, 1),
    faultQueries: numOption(values["fault-queries"] ?? e.LOAD_FAULT_QUERIES, 2, 1),
    ingestRate: numOption(values["ingest-rate"] ?? e.LOAD_INGEST_RATE, faults ? 10 : 0),
    kill: !values["no-kill"],
    nearDup: numOption(values["near-dup"], 0.1),
    burst: numOption(values.burst ?? e.LOAD_BURST, 20),
    routes: listOption((values.routes ?? e.LOAD_ROUTES) || undefined, ROUTES, "route"),
    slowMs: numOption(values["slow-ms"], 5000),
    seed: numOption(values.seed, randomBytes(4).readUInt32BE()),
    timeout: numOption(values.timeout ?? e.LOAD_TIMEOUT, 300, 10),
    keep: values.keep,
  };
}
type Options = ReturnType<typeof options>;

const log = (s = "") => console.log(s);

async function main(): Promise<number> {
  const o = options();
  const t0 = Date.now();
  log(`wirebrief load harness: ${o.faults ? "FAULT RUN" : "load run"}, seed ${o.seed}`);
  log(machine(ROOT));

  const service = new Service(ROOT);
  const receivers: Receiver[] = [];
  return guarded(
    service,
    o,
    () => run(o, service, receivers, t0),
    () => Promise.all(receivers.map((r) => r.close())),
  );
}

async function run(
  o: Options,
  service: Service,
  receivers: Receiver[],
  t0: number,
): Promise<number> {
  const modes: Mode[] = o.faults
    ? ["ok", "slow", "flaky", "ratelimit", "fail", "drop", "hang", "gone"]
    : ["ok"];
  for (const mode of modes) receivers.push(new Receiver({ mode, slowMs: o.slowMs }));
  await Promise.all(receivers.map((r) => r.listen()));

  const t = Date.now();
  await service.start();
  log(
    `service: wrangler dev on ${service.base} (pid ${service.pid}, up in ${elapsed(t)}), state in ${service.persistDir}`,
  );
  const api = new Api(() => service.base);
  const admin = service.adminToken;

  // Setup: ingest token, one subscriber per receiver, their watchlists.
  const ingest = (await api.call<{ token: string }>("POST", "/v1/tokens", admin, { name: "load" }))
    .body.token;
  const subs: Sub[] = [];
  for (const [i, receiver] of receivers.entries()) {
    const { body } = await api.call<{ id: string; token: string; webhook_secret: string }>(
      "POST",
      "/v1/subscribers",
      admin,
      { name: `load ${receiver.mode}`, webhook_url: receiver.url },
    );
    receiver.setSecret(body.webhook_secret);
    const defs: WatchlistDef[] =
      receiver.mode === "ok"
        ? watchlistsFor(o.queries, o.seed)
        : [narrowWatchlist(`${receiver.mode} desk`, o.faultQueries, o.seed + i)];
    const watchlistIds = new Set<string>();
    for (const d of defs) {
      const wl = await api.call<{ id: string }>("POST", "/v1/watchlists", body.token, d);
      watchlistIds.add(wl.body.id);
    }
    subs.push({ id: body.id, token: body.token, receiver, watchlistIds });
  }
  const main = subs[0] as Sub;
  const queryCount = watchlistsFor(o.queries, o.seed).reduce((n, d) => n + d.queries.length, 0);
  log(
    `setup: ${subs.length} subscriber(s); main has ${queryCount} queries in ${main.watchlistIds.size} watchlists` +
      (o.faults ? `; each faulty one ${o.faultQueries} queries` : ""),
  );

  const ctx: LoadContext = {
    base: () => service.base,
    ingestToken: ingest,
    feedToken: main.token,
    factory: new ArticleFactory(o.seed, `r${o.seed.toString(36)}`, o.nearDup),
    acked: new Map(),
    ids: [],
    ingestStatuses: new Map(),
    samples: new Map(),
  };
  // A few articles first, so summary GETs have targets from the first request.
  for (let i = 0; i < 6; i++) {
    const a = ctx.factory.next();
    const r = await api.call<{ id: string }>("POST", "/v1/articles", ingest, a, 60_000);
    ctx.acked.set(r.body.id, { id: r.body.id, url: a.url, status: r.status, phase: "seed" });
    ctx.ids.push(r.body.id);
  }

  const results: PhaseResult[] = [];
  let killAt: number | null = null;
  if (!o.faults) {
    for (const c of o.connections) {
      const phase = `c${c}`;
      log(`\nphase ${phase}: ${c} connection(s) per route for ${o.duration}s (${elapsed(t0)})`);
      const rows = await runPhase(ctx, phase, c, o.duration, o.ingestRate, o.routes).done;
      results.push(...rows);
      log(formatPhase(rows));
      log(`ingest statuses: ${JSON.stringify(ctx.ingestStatuses.get(phase) ?? {})}`);
    }
  } else {
    const c = o.faultConnections;
    log(
      `\nfault load: ${c} connection(s) per route for ${o.faultDuration}s, ingests capped at ${o.ingestRate || "∞"}/s` +
        (o.kill
          ? `; SIGKILL of the service's process group after ${Math.floor(o.faultDuration / 2)}s, restart, load again`
          : ""),
    );
    const phases: [string, number][] = o.kill
      ? [
          ["before-kill", Math.max(2, Math.floor(o.faultDuration / 2))],
          ["after-restart", Math.max(2, o.faultDuration - Math.floor(o.faultDuration / 2))],
        ]
      : [["faults", o.faultDuration]];
    for (const [i, [phase, seconds]] of phases.entries()) {
      // The first phase of a kill run is stopped by the kill itself, with requests in flight.
      const killHere = o.kill && i === 0;
      const running = runPhase(
        ctx,
        phase,
        c,
        killHere ? seconds + 60 : seconds,
        o.ingestRate,
        o.routes,
      );
      if (killHere) {
        await sleep(seconds * 1000);
        const pid = service.pid;
        const before = ctx.acked.size;
        const tk = Date.now();
        service.kill("SIGKILL");
        killAt = Date.now();
        running.stop();
        await service.crash();
        log(
          `  SIGKILL to process group ${pid} at ${elapsed(t0)} with requests in flight; ${before} articles acknowledged before it`,
        );
        const rows = await running.done;
        results.push(...rows);
        log(formatPhase(rows));
        log(
          "(socket errors here: requests cut by the kill, and reconnects until the phase stopped)",
        );
        log(`ingest statuses: ${JSON.stringify(ctx.ingestStatuses.get(phase) ?? {})}`);
        await service.start();
        log(`  restarted on the same persist dir and port; down for ${elapsed(tk)}`);
        continue;
      }
      log(`phase ${phase}: ${seconds}s`);
      const rows = await running.done;
      results.push(...rows);
      log(formatPhase(rows));
      log(`ingest statuses: ${JSON.stringify(ctx.ingestStatuses.get(phase) ?? {})}`);
    }
  }

  let burst: BurstSent | null = null;
  if (o.burst > 0) {
    log(
      `\nburst: ${o.burst} simultaneous POSTs of one URL + ${o.burst} simultaneous copies of one story (${elapsed(t0)})`,
    );
    burst = await sendBursts(api, ingest, ctx.factory, o.burst, ctx.acked);
    log(
      `  one URL: ${JSON.stringify(burst.sameUrl.statuses)}; copies: ${JSON.stringify(burst.copies.statuses)}`,
    );
  }

  // Deliveries: wait (bounded) until every feed alert of the healthy endpoints was accepted.
  // The feeds are re-read every 5 s: ingests still in flight when the load stopped may
  // add alerts after the first read.
  const healthy = subs.filter((s) => HEALTHY_MODES.includes(s.receiver.mode));
  const tw = Date.now();
  const expected = new Map<Sub, Set<string>>();
  const refresh = async () => {
    for (const s of healthy) expected.set(s, await feedIds(api, s));
  };
  const missing = () =>
    healthy.reduce((n, s) => {
      const got = s.receiver.acceptedIds();
      return n + [...(expected.get(s) ?? [])].filter((id) => !got.has(id)).length;
    }, 0);
  const total = () => [...expected.values()].reduce((n, s) => n + s.size, 0);
  await refresh();
  log(
    `\nwaiting up to ${o.wait}s for deliveries to the healthy endpoint(s) (${total()} expected so far)…`,
  );
  let lastRefresh = Date.now();
  while (Date.now() - tw < o.wait * 1000) {
    if (missing() === 0) {
      const before = total();
      await refresh();
      lastRefresh = Date.now();
      if (total() === before && missing() === 0) break;
    }
    await sleep(1000);
    if (Date.now() - lastRefresh > 5000) {
      await refresh();
      lastRefresh = Date.now();
    }
  }
  log(`  ${total() - missing()} of ${total()} accepted after ${elapsed(tw)}`);

  // Checks.
  const articles: ArticleCheck = await checkArticles(api, service.adminToken, ctx.acked);
  const checks: SubCheck[] = [];
  for (const s of subs)
    checks.push(await checkSubscriber(api, service.adminToken, s, articles, killAt));
  const v = verdict(articles, checks);
  const b = burst
    ? await checkBursts(api, service.adminToken, burst, checks[0]?.feed ?? [], main.watchlistIds)
    : null;
  const burstDup = b ? b.extraCreated + Math.max(0, b.sameUrlIds - 1) + b.extraAlerts : 0;
  const failed = v.failed || burstDup > 0;

  log(`\ndeliveries and feeds per endpoint (${o.faults ? "fault run" : "load run"}):`);
  log(formatSubscribers(checks));
  const unexpected = checks.reduce((n, s) => n + s.unexpected, 0);
  const notListed = checks.reduce((n, s) => n + s.copiesNotListed, 0);
  const badSig = receivers.reduce((n, r) => n + r.badSignatures, 0);
  log(
    `receivers: ${badSig} bad signatures; ${unexpected} webhook-ids not in the feed; ` +
      `${notListed} copies covered by their cluster's alert but missing from also_reported (informational)`,
  );
  if (b) {
    log(
      `burst of ${b.n}: one URL -> ${b.sameUrl.statuses["201"] ?? 0} created (1 expected), ${b.sameUrlIds} distinct id(s); ` +
        `copies -> ${b.copyClusters} cluster(s) (1 expected), alerts per matching watchlist [${b.alertsPerWatchlist.join(", ")}] (1 each expected)`,
    );
  }
  for (const [key, body] of ctx.samples) log(`first ${key} answer: ${body.replace(/\s+/g, " ")}`);
  log("\nRESULT");
  log(
    `  articles: ${articles.acked} acknowledged, ${articles.readBack} read back, LOST ${v.articlesLost}`,
  );
  log(
    `  alerts:   ${articles.matches.length} watch matches of acknowledged articles; ` +
      `LOST in feed ${v.alertsLostFeed}; LOST in delivery (healthy endpoints, ${o.wait}s wait) ${v.alertsLostDelivery}`,
  );
  log(
    `            DUPLICATED deliveries (2xx twice for one webhook-id) ${v.dupDelivery}; DUPLICATED in feed ${v.dupFeed}; DUPLICATED by the burst ${burstDup}`,
  );
  if (v.resentAfterKill > 0) {
    log(
      `            re-sent after the kill: ${v.resentAfterKill} (accepted in the last 15 s before SIGKILL, the answer lost with the process; same webhook-id, so a receiver deduplicates: at-least-once)`,
    );
  }
  log(
    `  ${failed ? "FAIL: something acknowledged was lost or duplicated" : "OK: nothing lost, nothing duplicated"} (${elapsed(t0)})`,
  );
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(
      `load harness failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
    );
    process.exit(2);
  },
);
