import { DurableObject } from "cloudflare:workers";
import {
  type DeliveryResult,
  deliverWebhook,
  pingEvent,
  type WebhookEvent,
} from "../alerts/deliver.ts";
import { planNextStep, shouldDisableEndpoint } from "../alerts/retry.ts";
import { type SubscriberSecrets, signingSecrets } from "../alerts/signing.ts";
import type { AlertMatch } from "../alerts/types.ts";
import { randomId } from "../crypto.ts";
import { type AppBindings, allowLocalWebhooks } from "../env.ts";
import type {
  Alert,
  AlertRecord,
  AlsoReported,
  DeliveryLogEntry,
  EndpointHealth,
} from "../records.ts";

/** One alert per (watchlist, story cluster) inside this window. */
export const ALERT_DEDUPE_MS = 72 * 3600 * 1000;
/** The delivery log keeps 30 days. */
const DELIVERY_LOG_MS = 30 * 24 * 3600 * 1000;
/**
 * An attempt holds its alert this long: if the object dies mid-request the alarm tries
 * again after it (same webhook-id), so nothing stays pending for good.
 */
const ATTEMPT_LEASE_MS = 60_000;
/** Alerts sent per alarm run, and at once: one subscriber's endpoint, not a flood. */
const ATTEMPTS_PER_RUN = 25;
const PARALLEL_ATTEMPTS = 6;

/** Where and how this subscriber's webhooks are signed; pushed by the subscriber routes. */
export interface EndpointConfig extends SubscriberSecrets {
  subscriber_id: string;
  webhook_url: string | null;
}

/** An alert as ingest proposes it; the object decides whether it is new or a later copy. */
export interface AlertDraft {
  id: string;
  watchlist_id: string;
  watchlist_name: string;
  article_id: string;
  cluster_id: string;
  url: string | null;
  title: string;
  summary: string[];
  lang: string;
  matches: AlertMatch[];
}

export type RecordOutcome = "created" | "also_reported" | "unchanged" | "no_subscriber";

/** Where a feed or log page starts: before a position (newest first) or after it (oldest first). */
export type LogPosition = { before: number } | { after: number };

export type RedeliverOutcome =
  | { ok: true; alert: AlertRecord }
  | { ok: false; reason: "not_found" | "no_webhook" | "disabled" };

type AlertRow = {
  seq: number;
  id: string;
  created_ms: number;
  status: string;
  attempts: number;
  next_attempt_ms: number | null;
  last_attempt_ms: number | null;
  last_error: string | null;
  delivered_ms: number | null;
  body: string;
};

type EndpointRow = {
  config: string | null;
  status: string;
  disabled_reason: string | null;
  failing_since_ms: number | null;
};

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

const DISABLE_REASONS = {
  gone: "the endpoint answered 410 Gone",
  unsafe_url: "the webhook URL is no longer safe",
  failing_5_days: "failing for 5 days",
} as const;

/**
 * One subscriber's alerts: the single writer of its feed (an ordered log), of one alert
 * per story, of `also_reported`, of delivery state and the delivery log. Retries live on
 * the object's alarm, so they survive restarts, and a slow endpoint holds up only this
 * subscriber.
 */
export class SubscriberAlerts extends DurableObject<AppBindings> {
  /** Alerts whose attempt is running in this instance right now. */
  private readonly inFlight = new Set<string>();

  constructor(ctx: DurableObjectState, env: AppBindings) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => this.createSchema());
  }

  private createSchema(): void {
    this.sql.exec(`
        CREATE TABLE IF NOT EXISTS alerts (
          seq INTEGER PRIMARY KEY AUTOINCREMENT,
          id TEXT NOT NULL UNIQUE,
          watchlist_id TEXT NOT NULL,
          cluster_id TEXT NOT NULL,
          article_id TEXT NOT NULL,
          created_ms INTEGER NOT NULL,
          status TEXT NOT NULL,
          attempts INTEGER NOT NULL DEFAULT 0,
          next_attempt_ms INTEGER,
          last_attempt_ms INTEGER,
          last_error TEXT,
          delivered_ms INTEGER,
          body TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS alerts_by_story ON alerts (watchlist_id, cluster_id, created_ms);
        CREATE INDEX IF NOT EXISTS alerts_due ON alerts (next_attempt_ms) WHERE next_attempt_ms IS NOT NULL;
        CREATE TABLE IF NOT EXISTS also_reported (
          alert_id TEXT NOT NULL,
          article_id TEXT NOT NULL,
          url TEXT,
          title TEXT NOT NULL,
          added_ms INTEGER NOT NULL,
          PRIMARY KEY (alert_id, article_id)
        );
        CREATE TABLE IF NOT EXISTS deliveries (
          seq INTEGER PRIMARY KEY AUTOINCREMENT,
          entry TEXT NOT NULL,
          at_ms INTEGER NOT NULL
        );
        CREATE INDEX IF NOT EXISTS deliveries_by_time ON deliveries (at_ms);
        CREATE TABLE IF NOT EXISTS endpoint (
          one INTEGER PRIMARY KEY CHECK (one = 1),
          config TEXT,
          status TEXT NOT NULL,
          disabled_reason TEXT,
          failing_since_ms INTEGER
        );
      `);
  }

  private get sql() {
    return this.ctx.storage.sql;
  }

  private endpointRow(): EndpointRow | null {
    return this.sql.exec<EndpointRow>("SELECT * FROM endpoint WHERE one = 1").toArray()[0] ?? null;
  }

  private config(): EndpointConfig | null {
    const row = this.endpointRow();
    return row?.config ? (JSON.parse(row.config) as EndpointConfig) : null;
  }

  /**
   * Stores the subscriber's webhook URL and secrets. A changed URL starts healthy again
   * (this is how a disabled endpoint is re-enabled).
   */
  async configure(config: EndpointConfig): Promise<EndpointHealth> {
    const before = this.endpointRow();
    const previous = before?.config ? (JSON.parse(before.config) as EndpointConfig) : null;
    const urlChanged = !previous || previous.webhook_url !== config.webhook_url;
    this.sql.exec(
      `INSERT INTO endpoint (one, config, status, disabled_reason, failing_since_ms)
       VALUES (1, ?, ?, NULL, NULL)
       ON CONFLICT (one) DO UPDATE SET config = excluded.config`,
      JSON.stringify(config),
      config.webhook_url ? "active" : "none",
    );
    if (urlChanged) {
      this.sql.exec(
        "UPDATE endpoint SET status = ?, disabled_reason = NULL, failing_since_ms = NULL",
        config.webhook_url ? "active" : "none",
      );
    }
    return this.health();
  }

  /** Forgets everything: the subscriber was deleted. */
  async remove(): Promise<void> {
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    // An attempt still in flight finishes into empty tables and finds no endpoint.
    this.createSchema();
  }

  health(): EndpointHealth {
    const row = this.endpointRow();
    return {
      webhook_status: (row?.status as EndpointHealth["webhook_status"]) ?? "none",
      webhook_disabled_reason: row?.disabled_reason ?? null,
      failing_since: iso(row?.failing_since_ms ?? null),
    };
  }

  /**
   * Records the alerts of one article for this subscriber, atomically: a story already
   * alerted for a watchlist inside 72 h gets the article appended to `also_reported`
   * instead of a second alert; a retried ingest changes nothing.
   */
  async recordAlerts(drafts: AlertDraft[], nowMs = Date.now()): Promise<RecordOutcome[]> {
    const endpoint = this.endpointRow();
    if (!endpoint?.config) return drafts.map(() => "no_subscriber");
    const config = JSON.parse(endpoint.config) as EndpointConfig;
    const pushes = config.webhook_url !== null && endpoint.status === "active";
    const outcomes = this.ctx.storage.transactionSync(() =>
      drafts.map((d): RecordOutcome => {
        const existing = this.sql
          .exec<{ id: string; article_id: string }>(
            `SELECT id, article_id FROM alerts
             WHERE watchlist_id = ? AND cluster_id = ? AND created_ms > ?
             ORDER BY seq LIMIT 1`,
            d.watchlist_id,
            d.cluster_id,
            nowMs - ALERT_DEDUPE_MS,
          )
          .toArray()[0];
        if (existing) {
          if (existing.article_id === d.article_id) return "unchanged";
          const added = this.sql.exec(
            `INSERT INTO also_reported (alert_id, article_id, url, title, added_ms)
             VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
            existing.id,
            d.article_id,
            d.url,
            d.title,
            nowMs,
          ).rowsWritten;
          return added > 0 ? "also_reported" : "unchanged";
        }
        if (this.sql.exec("SELECT 1 FROM alerts WHERE id = ?", d.id).toArray().length) {
          return "unchanged"; // the same article after the window: its alert stands
        }
        const alert: Omit<Alert, "status" | "also_reported"> = {
          id: d.id,
          subscriber_id: config.subscriber_id,
          watchlist_id: d.watchlist_id,
          watchlist_name: d.watchlist_name,
          article_id: d.article_id,
          cluster_id: d.cluster_id,
          url: d.url,
          title: d.title,
          summary: d.summary,
          lang: d.lang,
          matches: d.matches,
          created_at: new Date(nowMs).toISOString(),
        };
        this.sql.exec(
          `INSERT INTO alerts (id, watchlist_id, cluster_id, article_id, created_ms, status, next_attempt_ms, body)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
          d.id,
          d.watchlist_id,
          d.cluster_id,
          d.article_id,
          nowMs,
          pushes ? "pending" : "feed_only",
          pushes ? nowMs : null,
          JSON.stringify(alert),
        );
        return "created";
      }),
    );
    if (outcomes.includes("created")) await this.scheduleAlarm();
    return outcomes;
  }

  /** One alert with its delivery state, or null. */
  getAlert(id: string): AlertRecord | null {
    const row = this.sql.exec<AlertRow>("SELECT * FROM alerts WHERE id = ?", id).toArray()[0];
    return row ? (this.withAlsoReported([row])[0] ?? null) : null;
  }

  /**
   * A page of the feed. Newest first by default; `{after}` reads the log oldest first
   * from a position, and its last page's cursor is where to poll from next.
   */
  feed(
    limit: number,
    position?: LogPosition,
    sinceMs?: number,
  ): { items: AlertRecord[]; next: LogPosition | null } {
    const since = sinceMs ?? 0;
    let rows: AlertRow[];
    if (position && "after" in position) {
      rows = this.sql
        .exec<AlertRow>(
          "SELECT * FROM alerts WHERE seq > ? AND created_ms >= ? ORDER BY seq ASC LIMIT ?",
          position.after,
          since,
          limit,
        )
        .toArray();
      const last = rows.at(-1);
      // The log's reader always gets a cursor back: the end of the log is where new alerts appear.
      return {
        items: this.withAlsoReported(rows),
        next: { after: last ? last.seq : position.after },
      };
    }
    rows = this.sql
      .exec<AlertRow>(
        "SELECT * FROM alerts WHERE seq < ? AND created_ms >= ? ORDER BY seq DESC LIMIT ?",
        position?.before ?? Number.MAX_SAFE_INTEGER,
        since,
        limit + 1,
      )
      .toArray();
    const more = rows.length > limit;
    if (more) rows.pop();
    const last = rows.at(-1);
    return { items: this.withAlsoReported(rows), next: more && last ? { before: last.seq } : null };
  }

  /** The delivery log, newest first. */
  deliveries(
    limit: number,
    before?: number,
  ): { items: DeliveryLogEntry[]; next: LogPosition | null } {
    const rows = this.sql
      .exec<{ seq: number; entry: string }>(
        "SELECT seq, entry FROM deliveries WHERE seq < ? ORDER BY seq DESC LIMIT ?",
        before ?? Number.MAX_SAFE_INTEGER,
        limit + 1,
      )
      .toArray();
    const more = rows.length > limit;
    if (more) rows.pop();
    return {
      items: rows.map((r) => JSON.parse(r.entry) as DeliveryLogEntry),
      next: more && rows.length ? { before: (rows.at(-1) as { seq: number }).seq } : null,
    };
  }

  /**
   * Sends an alert again from a fresh retry schedule. While a retry is pending this
   * moves that one retry to now; it never starts a second chain.
   */
  async redeliver(id: string, nowMs = Date.now()): Promise<RedeliverOutcome> {
    const row = this.sql.exec<AlertRow>("SELECT * FROM alerts WHERE id = ?", id).toArray()[0];
    if (!row) return { ok: false, reason: "not_found" };
    const endpoint = this.endpointRow();
    const config = this.config();
    if (!config?.webhook_url) return { ok: false, reason: "no_webhook" };
    if (endpoint?.status === "disabled") return { ok: false, reason: "disabled" };
    if (!this.inFlight.has(id)) {
      this.sql.exec(
        `UPDATE alerts SET status = 'pending', attempts = 0, last_error = NULL, next_attempt_ms = ?
         WHERE id = ?`,
        nowMs,
        id,
      );
      await this.scheduleAlarm();
    }
    return { ok: true, alert: this.getAlert(id) as AlertRecord };
  }

  /** A signed test delivery, logged; a 410 disables the endpoint like any delivery's would. */
  async ping(): Promise<DeliveryResult | null> {
    const config = this.config();
    if (!config?.webhook_url) return null;
    const result = await this.send(
      config,
      pingEvent(config.subscriber_id),
      randomId("msg"),
      1,
      null,
    );
    if (result.disable)
      this.disableEndpoint(result.status === 410 ? "gone" : "unsafe_url", Date.now());
    return result;
  }

  override async alarm(): Promise<void> {
    const now = Date.now();
    this.sql.exec("DELETE FROM deliveries WHERE at_ms < ?", now - DELIVERY_LOG_MS);
    const endpoint = this.endpointRow();
    if (endpoint?.status === "active" && shouldDisableEndpoint(endpoint.failing_since_ms, now)) {
      this.disableEndpoint("failing_5_days", now);
    }
    await this.deliverDue(now);
  }

  /** Attempts every pending alert that is due, then sets the alarm for the next one. */
  async deliverDue(nowMs = Date.now()): Promise<number> {
    const config = this.config();
    const due = this.sql
      .exec<AlertRow>(
        `SELECT * FROM alerts WHERE status = 'pending' AND next_attempt_ms <= ?
         ORDER BY next_attempt_ms LIMIT ?`,
        nowMs,
        ATTEMPTS_PER_RUN,
      )
      .toArray()
      .filter((r) => !this.inFlight.has(r.id));
    if (!config?.webhook_url) {
      this.sql.exec(
        "UPDATE alerts SET status = 'feed_only', next_attempt_ms = NULL WHERE status = 'pending'",
      );
      return 0;
    }
    for (const r of due) {
      this.inFlight.add(r.id);
      this.sql.exec(
        "UPDATE alerts SET next_attempt_ms = ? WHERE id = ?",
        nowMs + ATTEMPT_LEASE_MS,
        r.id,
      );
    }
    await this.scheduleAlarm();
    try {
      for (let i = 0; i < due.length; i += PARALLEL_ATTEMPTS) {
        await Promise.all(due.slice(i, i + PARALLEL_ATTEMPTS).map((r) => this.attempt(config, r)));
      }
    } finally {
      for (const r of due) this.inFlight.delete(r.id);
    }
    await this.scheduleAlarm();
    return due.length;
  }

  private async attempt(config: EndpointConfig, row: AlertRow): Promise<void> {
    const attempt = row.attempts + 1;
    const alert = toPublicAlert(this.withAlsoReported([row])[0] as AlertRecord);
    const result = await this.send(
      config,
      { type: "alert.created", data: alert },
      row.id,
      attempt,
      row.id,
    );
    const now = Date.now();
    const endpoint = this.endpointRow();
    // Disabled meanwhile (disableEndpoint settled this alert), or the subscriber is gone.
    if (endpoint?.status !== "active") return;
    const plan = planNextStep(attempt, result, endpoint.failing_since_ms, now);
    const error = result.ok ? null : (result.error ?? `HTTP ${result.status}`);
    const step = plan.step;
    this.sql.exec("UPDATE endpoint SET failing_since_ms = ?", plan.failingSinceMs);
    this.sql.exec(
      `UPDATE alerts SET attempts = ?, last_attempt_ms = ?, last_error = ?, status = ?,
         next_attempt_ms = ?, delivered_ms = ? WHERE id = ?`,
      attempt,
      now,
      error,
      step.kind === "delivered" ? "delivered" : step.kind === "retry" ? "pending" : "failed",
      step.kind === "retry" ? step.dueAtMs : null,
      step.kind === "delivered" ? now : null,
      row.id,
    );
    if (step.kind === "disable_endpoint") this.disableEndpoint(step.reason, now);
  }

  /** One signed attempt, logged. */
  private async send(
    config: EndpointConfig,
    event: WebhookEvent,
    msgId: string,
    attempt: number,
    alertId: string | null,
  ): Promise<DeliveryResult> {
    const result = await deliverWebhook({
      url: config.webhook_url ?? "",
      secrets: signingSecrets(config),
      event,
      msgId,
      allowLocal: allowLocalWebhooks(this.env),
    });
    const entry: DeliveryLogEntry = {
      id: randomId("dlv"),
      alert_id: alertId,
      subscriber_id: config.subscriber_id,
      kind: event.type === "ping" ? "ping" : "alert",
      attempt,
      status: result.status,
      ok: result.ok,
      latency_ms: result.latencyMs,
      error: result.error ?? null,
      at: new Date().toISOString(),
    };
    if (this.endpointRow()) {
      this.sql.exec(
        "INSERT INTO deliveries (entry, at_ms) VALUES (?, ?)",
        JSON.stringify(entry),
        Date.now(),
      );
    }
    return result;
  }

  /** Stops pushing: every pending alert fails with the reason (each stays redeliverable). */
  private disableEndpoint(reason: keyof typeof DISABLE_REASONS, nowMs: number): void {
    const text = DISABLE_REASONS[reason];
    this.sql.exec(
      "UPDATE endpoint SET status = 'disabled', disabled_reason = ?, failing_since_ms = COALESCE(failing_since_ms, ?)",
      text,
      nowMs,
    );
    this.sql.exec(
      `UPDATE alerts SET status = 'failed', last_error = COALESCE(last_error, ?), next_attempt_ms = NULL
       WHERE status = 'pending'`,
      `endpoint disabled: ${text}`,
    );
  }

  /** Points the alarm at the earliest due attempt or endpoint check; clears it when nothing waits. */
  private async scheduleAlarm(): Promise<void> {
    const next = this.sql
      .exec<{ t: number | null }>(
        "SELECT MIN(next_attempt_ms) AS t FROM alerts WHERE status = 'pending'",
      )
      .one().t;
    const endpoint = this.endpointRow();
    const check =
      endpoint?.status === "active" && endpoint.failing_since_ms !== null
        ? endpoint.failing_since_ms + 5 * 24 * 3600 * 1000
        : null;
    const times = [next, check].filter((t): t is number => t !== null);
    if (times.length === 0) {
      await this.ctx.storage.deleteAlarm();
      return;
    }
    const at = Math.min(...times);
    if ((await this.ctx.storage.getAlarm()) !== at) await this.ctx.storage.setAlarm(at);
  }

  private withAlsoReported(rows: AlertRow[]): AlertRecord[] {
    const extra = new Map<string, AlsoReported[]>();
    if (rows.length) {
      const ids = rows.map((r) => r.id);
      const found = this.sql
        .exec<{ alert_id: string; article_id: string; url: string | null; title: string }>(
          `SELECT alert_id, article_id, url, title FROM also_reported
           WHERE alert_id IN (${ids.map(() => "?").join(",")}) ORDER BY added_ms, article_id`,
          ...ids,
        )
        .toArray();
      for (const f of found) {
        const list = extra.get(f.alert_id) ?? [];
        list.push({ article_id: f.article_id, url: f.url, title: f.title });
        extra.set(f.alert_id, list);
      }
    }
    return rows.map((r) => ({
      ...(JSON.parse(r.body) as Omit<Alert, "status" | "also_reported">),
      status: r.status as Alert["status"],
      also_reported: extra.get(r.id) ?? [],
      attempts: r.attempts,
      last_attempt_at: iso(r.last_attempt_ms),
      last_error: r.last_error,
      delivered_at: iso(r.delivered_ms),
      next_attempt_at: r.status === "pending" ? iso(r.next_attempt_ms) : null,
    }));
  }
}

/** The alert as subscribers see it in webhooks and feeds: delivery bookkeeping removed. */
export function toPublicAlert(a: AlertRecord): Alert {
  const {
    attempts: _a,
    last_attempt_at: _l,
    last_error: _e,
    delivered_at: _d,
    next_attempt_at: _n,
    ...alert
  } = a;
  return alert;
}

/** The object of one subscriber. */
export function subscriberAlerts(env: AppBindings, subscriberId: string) {
  return env.SUBSCRIBER_ALERTS.getByName(subscriberId);
}
