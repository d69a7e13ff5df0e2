import { DurableObject } from "cloudflare:workers";
import {
  buildDigest,
  type ChannelType,
  type Digest,
  digestId,
  renderAlert,
  renderDigest,
  renderTest,
} from "../alerts/channels/index.ts";
import type { DigestHeader, DigestMode } from "../alerts/channels/types.ts";
import {
  buildWebhookBody,
  type DeliveryResult,
  deliverMessage,
  pingEvent,
} from "../alerts/deliver.ts";
import { ENDPOINT_DISABLE_AFTER_MS, planNextStep, shouldDisableEndpoint } from "../alerts/retry.ts";
import { INSTANT, isPaused, type Period, periodKey, periodOf } from "../alerts/schedule.ts";
import { type SubscriberSecrets, signingSecrets } from "../alerts/signing.ts";
import { checkChannelUrl } from "../alerts/url-safety.ts";
import { randomId } from "../crypto.ts";
import { type AppBindings, allowLocalWebhooks } from "../env.ts";
import type {
  Alert,
  AlertRecord,
  AlertStatus,
  AlsoReported,
  ChannelDelivery,
  ChannelInfo,
  DeliveryLogEntry,
  EndpointHealth,
  WatchlistRecord,
} from "../records.ts";
import { MAX_CHANNELS } from "../schemas.ts";

/** One alert per (watchlist, story cluster) inside this window. */
const ALERT_DEDUPE_MS = 72 * 3600 * 1000;
/** The delivery log keeps 30 days. */
const DELIVERY_LOG_MS = 30 * 24 * 3600 * 1000;
/**
 * An attempt holds its message this long: if the object dies mid-request the alarm tries
 * again after it (same webhook-id), so nothing stays pending for good.
 */
const ATTEMPT_LEASE_MS = 60_000;
/** Messages sent per alarm run, and at once: one subscriber's endpoints, not a flood. */
const ATTEMPTS_PER_RUN = 25;
const PARALLEL_ATTEMPTS = 6;
/** SQLite allows 100 bound parameters a statement: id lists are read in chunks. */
const IN_CHUNK = 90;

/** Where and how this subscriber's webhooks are signed; pushed by the subscriber routes. */
export interface EndpointConfig extends SubscriberSecrets {
  subscriber_id: string;
  webhook_url: string | null;
}

/** What a watchlist says about pushing its alerts; travels with each draft. */
export type WatchlistPush = Pick<WatchlistRecord, "channels" | "delivery" | "paused_until">;

/** An alert as ingest proposes it; the object decides whether it is new or a later copy. */
export type AlertDraft = WatchlistPush &
  Omit<Alert, "subscriber_id" | "also_reported" | "created_at" | "status">;

export type RecordOutcome = "created" | "also_reported" | "unchanged" | "no_subscriber";

/** Where a feed or log page starts: before a position (newest first) or after it (oldest first). */
export type LogPosition = { before: number } | { after: number };

export type RedeliverOutcome =
  | { ok: true; alert: AlertRecord }
  | { ok: false; reason: "not_found" | "no_webhook" | "disabled" };

/** A channel to add, as the routes validated it (URL checked, secret made for webhooks). */
export interface NewChannel {
  type: ChannelType;
  name: string | null;
  url: string;
  /** The `whsec_` secret of a webhook channel; null for chat platforms. */
  secret: string | null;
}

export type AddChannelOutcome =
  | { ok: true; channel: ChannelInfo }
  | { ok: false; reason: "quota_exceeded" | "no_subscriber" };

type AlertRow = {
  seq: number;
  id: string;
  created_ms: number;
  /** `paused`, else `push`: its delivery state is in the outbox (none there: feed only). */
  status: string;
  /** JSON of the watchlist's channel ids when it chose some; null: all channels. */
  targets: string | null;
  body: string;
};

/** Stored alert JSON one feed page carries at most (at least one alert): far inside RPC's 32 MiB. */
const FEED_PAGE_CHARS = 4_000_000;

/** The first rows whose bodies fit FEED_PAGE_CHARS (always the first); the next page starts after them. */
function withinPageBudget(rows: AlertRow[]): AlertRow[] {
  let chars = 0;
  for (let i = 0; i < rows.length; i++) {
    chars += (rows[i] as AlertRow).body.length;
    if (chars > FEED_PAGE_CHARS && i > 0) return rows.slice(0, i);
  }
  return rows;
}

type ChannelRow = {
  seq: number;
  id: string;
  type: ChannelType;
  name: string | null;
  url: string;
  is_primary: number;
  secret: string | null;
  previous_secret: string | null;
  previous_secret_expires_at: string | null;
  status: "active" | "disabled";
  disabled_reason: string | null;
  failing_since_ms: number | null;
  created_ms: number;
  updated_ms: number;
};

/**
 * One message to one channel: an alert (`msg_id` = the alert id) or a digest (`msg_id` =
 * the digest id, `digest` = its header). The one delivery state machine: pending ->
 * delivered | failed, retried on the object's alarm.
 */
type OutboxRow = {
  seq: number;
  msg_id: string;
  channel_id: string;
  kind: "alert" | "digest";
  alert_id: string | null;
  digest: string | null;
  status: "pending" | "delivered" | "failed";
  attempts: number;
  next_attempt_ms: number | null;
  last_attempt_ms: number | null;
  last_error: string | null;
  delivered_ms: number | null;
};

type EndpointRow = { config: string | null };

/** A digest an alert may join: the period of its time, or (if that one has gone out) the next. */
interface DigestSlot {
  id: string;
  header: DigestHeader;
  end: number;
}

/** Where one new alert goes, worked out before the transaction (digest ids are hashes). */
interface Plan {
  paused: boolean;
  selected: string[] | null;
  instant: string[];
  digests: { channelId: string; slots: DigestSlot[] }[];
}

/** `previous_secret_expires_at` as the channels table stores it (text, or null). */
const expiresText = (c: SubscriberSecrets) =>
  c.previous_secret_expires_at == null ? null : String(c.previous_secret_expires_at);

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

const DISABLE_REASONS = {
  gone: "the endpoint answered 410 Gone",
  unsafe_url: "the webhook URL is no longer safe",
  failing_5_days: "failing for 5 days",
} as const;

function chunks<T>(xs: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += IN_CHUNK) out.push(xs.slice(i, i + IN_CHUNK));
  return out;
}

/**
 * One subscriber's alerts: the single writer of its feed (an ordered log), of one alert
 * per story, of `also_reported`, of its channels, of delivery state (the outbox: one row
 * per message and channel, alerts and digests alike) and the delivery log. Retries and
 * digests live on the object's alarm, so they survive restarts, and a slow endpoint holds
 * up only this subscriber.
 */
export class SubscriberAlerts extends DurableObject<AppBindings> {
  /** Outbox rows whose attempt is running in this instance right now. */
  private readonly inFlight = new Set<number>();

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
          body TEXT NOT NULL,
          targets TEXT
        );
        CREATE INDEX IF NOT EXISTS alerts_by_story ON alerts (watchlist_id, cluster_id, created_ms);
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
          config TEXT
        );
        CREATE TABLE IF NOT EXISTS channels (
          seq INTEGER PRIMARY KEY AUTOINCREMENT,
          id TEXT NOT NULL UNIQUE,
          type TEXT NOT NULL,
          name TEXT,
          url TEXT NOT NULL,
          is_primary INTEGER NOT NULL DEFAULT 0,
          secret TEXT,
          previous_secret TEXT,
          previous_secret_expires_at TEXT,
          status TEXT NOT NULL,
          disabled_reason TEXT,
          failing_since_ms INTEGER,
          created_ms INTEGER NOT NULL,
          updated_ms INTEGER NOT NULL
        );
        CREATE TABLE IF NOT EXISTS outbox (
          seq INTEGER PRIMARY KEY AUTOINCREMENT,
          msg_id TEXT NOT NULL,
          channel_id TEXT NOT NULL,
          kind TEXT NOT NULL,
          alert_id TEXT,
          digest TEXT,
          status TEXT NOT NULL,
          attempts INTEGER NOT NULL DEFAULT 0,
          next_attempt_ms INTEGER,
          last_attempt_ms INTEGER,
          last_error TEXT,
          delivered_ms INTEGER,
          UNIQUE (msg_id, channel_id)
        );
        CREATE INDEX IF NOT EXISTS outbox_due ON outbox (next_attempt_ms) WHERE status = 'pending';
        CREATE INDEX IF NOT EXISTS outbox_by_alert ON outbox (alert_id) WHERE alert_id IS NOT NULL;
        CREATE INDEX IF NOT EXISTS outbox_by_channel ON outbox (channel_id, status);
        CREATE TABLE IF NOT EXISTS digest_alerts (
          digest_id TEXT NOT NULL,
          channel_id TEXT NOT NULL,
          alert_id TEXT NOT NULL,
          PRIMARY KEY (digest_id, alert_id)
        );
        CREATE INDEX IF NOT EXISTS digest_alerts_by_alert ON digest_alerts (alert_id);
      `);
  }

  private get sql() {
    return this.ctx.storage.sql;
  }

  private config(): EndpointConfig | null {
    const row = this.sql
      .exec<EndpointRow>("SELECT config FROM endpoint WHERE one = 1")
      .toArray()[0];
    return row?.config ? (JSON.parse(row.config) as EndpointConfig) : null;
  }

  private channelRows(): ChannelRow[] {
    return this.sql.exec<ChannelRow>("SELECT * FROM channels ORDER BY seq").toArray();
  }

  private channelRow(id: string): ChannelRow | null {
    return (
      this.sql.exec<ChannelRow>("SELECT * FROM channels WHERE id = ?", id).toArray()[0] ?? null
    );
  }

  private primaryRow(): ChannelRow | null {
    return (
      this.sql.exec<ChannelRow>("SELECT * FROM channels WHERE is_primary = 1").toArray()[0] ?? null
    );
  }

  private insertPrimary(config: EndpointConfig, nowMs: number): string {
    const id = randomId("ch");
    this.sql.exec(
      `INSERT INTO channels (id, type, name, url, is_primary, secret, previous_secret,
         previous_secret_expires_at, status, created_ms, updated_ms)
       VALUES (?, 'webhook', NULL, ?, 1, ?, ?, ?, 'active', ?, ?)`,
      id,
      config.webhook_url,
      config.secret,
      config.previous_secret ?? null,
      expiresText(config),
      nowMs,
      nowMs,
    );
    return id;
  }

  /**
   * Stores the subscriber's webhook URL and secrets; the URL is its primary webhook
   * channel. A changed URL (or `reset`, when the URL was set again) starts healthy again:
   * this is how a disabled endpoint is re-enabled.
   */
  async configure(config: EndpointConfig, reset = false): Promise<EndpointHealth> {
    const now = Date.now();
    this.sql.exec(
      `INSERT INTO endpoint (one, config) VALUES (1, ?)
       ON CONFLICT (one) DO UPDATE SET config = excluded.config`,
      JSON.stringify(config),
    );
    const primary = this.primaryRow();
    if (!config.webhook_url) {
      if (primary) this.dropChannel(primary.id, "the webhook_url was removed");
    } else if (!primary) {
      this.insertPrimary(config, now);
    } else {
      this.sql.exec(
        `UPDATE channels SET url = ?, secret = ?, previous_secret = ?, previous_secret_expires_at = ?,
           updated_ms = ? WHERE id = ?`,
        config.webhook_url,
        config.secret,
        config.previous_secret ?? null,
        expiresText(config),
        now,
        primary.id,
      );
      if (reset || primary.url !== config.webhook_url) this.enable(primary.id);
    }
    await this.scheduleAlarm();
    return this.health();
  }

  /** Forgets everything: the subscriber was deleted. */
  async remove(): Promise<void> {
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    // An attempt still in flight finishes into empty tables and finds no channel.
    this.createSchema();
  }

  /** The health of the subscriber's `webhook_url` (its primary webhook channel). */
  health(): EndpointHealth {
    const row = this.primaryRow();
    return {
      webhook_status: row?.status ?? "none",
      webhook_disabled_reason: row?.disabled_reason ?? null,
    };
  }

  // ---------- channels ----------

  /** Every channel, oldest first (the `webhook_url` one is the first webhook channel). */
  channels(): ChannelInfo[] {
    return this.channelRows().map(channelView);
  }

  channel(id: string): ChannelInfo | null {
    const row = this.channelRow(id);
    return row ? channelView(row) : null;
  }

  /** Adds a channel unless the subscriber has {@link MAX_CHANNELS} already. */
  async addChannel(input: NewChannel, limit = MAX_CHANNELS): Promise<AddChannelOutcome> {
    if (!this.config()) return { ok: false, reason: "no_subscriber" };
    const count = this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM channels").one().n;
    if (count >= limit) return { ok: false, reason: "quota_exceeded" };
    const id = randomId("ch");
    const now = Date.now();
    this.sql.exec(
      `INSERT INTO channels (id, type, name, url, is_primary, secret, status, created_ms, updated_ms)
       VALUES (?, ?, ?, ?, 0, ?, 'active', ?, ?)`,
      id,
      input.type,
      input.name,
      input.url,
      input.type === "webhook" ? input.secret : null,
      now,
      now,
    );
    return { ok: true, channel: channelView(this.channelRow(id) as ChannelRow) };
  }

  /**
   * Renames a channel or points it at a new URL; setting the URL (even unchanged) makes a
   * disabled channel active again. The primary channel's URL is changed through
   * {@link configure} (it is the subscriber's `webhook_url`).
   */
  async updateChannel(
    id: string,
    patch: { name?: string | null; url?: string },
  ): Promise<ChannelInfo | null> {
    const row = this.channelRow(id);
    if (!row) return null;
    const now = Date.now();
    if (patch.name !== undefined) {
      this.sql.exec(
        "UPDATE channels SET name = ?, updated_ms = ? WHERE id = ?",
        patch.name,
        now,
        id,
      );
    }
    if (patch.url !== undefined) {
      this.sql.exec("UPDATE channels SET url = ?, updated_ms = ? WHERE id = ?", patch.url, now, id);
      this.enable(id);
      await this.scheduleAlarm();
    }
    return channelView(this.channelRow(id) as ChannelRow);
  }

  /** Deletes a channel; its pending messages fail ("channel removed"). */
  async removeChannel(id: string): Promise<boolean> {
    if (!this.channelRow(id)) return false;
    this.dropChannel(id, "the channel was removed");
    await this.scheduleAlarm();
    return true;
  }

  private dropChannel(id: string, why: string): void {
    this.sql.exec("DELETE FROM channels WHERE id = ?", id);
    this.sql.exec(
      `UPDATE outbox SET status = 'failed', last_error = ?, next_attempt_ms = NULL
       WHERE channel_id = ? AND status = 'pending'`,
      why,
      id,
    );
  }

  private enable(id: string): void {
    this.sql.exec(
      "UPDATE channels SET status = 'active', disabled_reason = NULL, failing_since_ms = NULL WHERE id = ?",
      id,
    );
  }

  /**
   * A test message, logged: a signed `ping` for webhook channels, the platform's test
   * message for chat channels. A 410 disables the channel like any delivery's would.
   */
  async testChannel(id: string): Promise<DeliveryResult | null> {
    const channel = this.channelRow(id);
    const config = this.config();
    if (!channel || !config) return null;
    const test = renderTest(channel.type, channel.name ?? undefined);
    const body = test
      ? () => test.body
      : (at: Date) => buildWebhookBody(pingEvent(config.subscriber_id), at);
    const result = await this.send(channel, body, randomId("msg"), {
      kind: "ping",
      attempt: 1,
      alert_id: null,
      digest_id: null,
    });
    if (result.disable) {
      this.disableChannel(id, result.status === 410 ? "gone" : "unsafe_url", Date.now());
      await this.scheduleAlarm();
    }
    return result;
  }

  /** A signed test delivery to the `webhook_url`, or null when there is none. */
  async ping(): Promise<DeliveryResult | null> {
    const primary = this.primaryRow();
    return primary ? this.testChannel(primary.id) : null;
  }

  // ---------- alerts ----------

  /**
   * Records the alerts of one article for this subscriber, atomically: a story already
   * alerted for a watchlist inside 72 h gets the article appended to `also_reported`
   * instead of a second alert; a retried ingest changes nothing. A new alert is queued for
   * each of its watchlist's active channels, at once or in the digest of its period,
   * unless the watchlist is paused.
   */
  async recordAlerts(drafts: AlertDraft[], nowMs = Date.now()): Promise<RecordOutcome[]> {
    const config = this.config();
    if (!config) return drafts.map(() => "no_subscriber");
    const active = this.channelRows().filter((c) => c.status === "active");
    const plans = await Promise.all(
      drafts.map((d) => this.plan(d, active, config.subscriber_id, nowMs)),
    );
    const outcomes = this.ctx.storage.transactionSync(() =>
      drafts.map((d, i): RecordOutcome => {
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
        const plan = plans[i] as Plan;
        this.sql.exec(
          `INSERT INTO alerts (id, watchlist_id, cluster_id, article_id, created_ms, status, targets, body)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
          d.id,
          d.watchlist_id,
          d.cluster_id,
          d.article_id,
          nowMs,
          plan.paused ? "paused" : "push",
          plan.selected ? JSON.stringify(plan.selected) : null,
          JSON.stringify(alert),
        );
        this.enqueue(d.id, plan, nowMs);
        return "created";
      }),
    );
    if (outcomes.includes("created")) await this.scheduleAlarm();
    return outcomes;
  }

  /** Which channels a new alert goes to, and how (digest ids are hashes, so async). */
  private async plan(
    d: AlertDraft,
    active: ChannelRow[],
    subscriberId: string,
    nowMs: number,
  ): Promise<Plan> {
    const selected = d.channels ?? null;
    const plan: Plan = {
      paused: isPaused(d.paused_until, nowMs),
      selected,
      instant: [],
      digests: [],
    };
    const targets = active
      .filter((c) => selected === null || selected.includes(c.id))
      .map((c) => c.id);
    if (plan.paused || targets.length === 0) return plan;
    const delivery = d.delivery ?? INSTANT;
    const period = periodOf(delivery, nowMs);
    if (!period) {
      plan.instant = targets;
      return plan;
    }
    // If this period's digest has gone out already (a late hand-over), the next one takes it.
    const later = periodOf(delivery, Math.max(period.end, Date.now())) as Period;
    for (const channelId of targets) {
      const slots: DigestSlot[] = [];
      for (const p of [period, later]) {
        const key = `${periodKey(delivery, p)}|${delivery.timezone}`;
        slots.push({
          id: await digestId(channelId, key),
          end: p.end,
          header: {
            id: "",
            subscriber_id: subscriberId,
            mode: delivery.mode as DigestMode,
            timezone: delivery.timezone,
            period_start: new Date(p.start).toISOString(),
            period_end: new Date(p.end).toISOString(),
          },
        });
      }
      plan.digests.push({ channelId, slots });
    }
    return plan;
  }

  /** Queues a new alert's messages (inside the recording transaction). */
  private enqueue(alertId: string, plan: Plan, nowMs: number): void {
    for (const channelId of plan.instant) {
      this.sql.exec(
        `INSERT INTO outbox (msg_id, channel_id, kind, alert_id, status, next_attempt_ms)
         VALUES (?, ?, 'alert', ?, 'pending', ?) ON CONFLICT DO NOTHING`,
        alertId,
        channelId,
        alertId,
        nowMs,
      );
    }
    for (const { channelId, slots } of plan.digests) {
      const open = slots.find((slot) => {
        const row = this.sql
          .exec<{ seq: number; status: string; attempts: number }>(
            "SELECT seq, status, attempts FROM outbox WHERE msg_id = ? AND channel_id = ?",
            slot.id,
            channelId,
          )
          .toArray()[0];
        return (
          !row || (row.status === "pending" && row.attempts === 0 && !this.inFlight.has(row.seq))
        );
      });
      const slot = open ?? (slots.at(-1) as DigestSlot);
      this.sql.exec(
        `INSERT INTO outbox (msg_id, channel_id, kind, digest, status, next_attempt_ms)
         VALUES (?, ?, 'digest', ?, 'pending', ?) ON CONFLICT DO NOTHING`,
        slot.id,
        channelId,
        JSON.stringify({ ...slot.header, id: slot.id }),
        slot.end,
      );
      this.sql.exec(
        "INSERT INTO digest_alerts (digest_id, channel_id, alert_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
        slot.id,
        channelId,
        alertId,
      );
    }
  }

  /** One alert with its delivery state, or null. */
  getAlert(id: string): AlertRecord | null {
    const row = this.sql.exec<AlertRow>("SELECT * FROM alerts WHERE id = ?", id).toArray()[0];
    return row ? (this.records([row])[0] ?? null) : null;
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
      rows = withinPageBudget(rows);
      const last = rows.at(-1);
      // The log's reader always gets a cursor back: the end of the log is where new alerts appear.
      return {
        items: this.records(rows),
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
    const page = withinPageBudget(rows.slice(0, limit));
    const more = rows.length > page.length;
    const last = page.at(-1);
    return { items: this.records(page), next: more && last ? { before: last.seq } : null };
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
   * Sends an alert again, on its own, to each active channel its watchlist chose, from a
   * fresh retry schedule. While a retry is pending this moves that one retry to now; it
   * never starts a second chain. Paused, digest and feed-only alerts can be sent this way.
   */
  async redeliver(id: string, nowMs = Date.now()): Promise<RedeliverOutcome> {
    const row = this.sql.exec<AlertRow>("SELECT * FROM alerts WHERE id = ?", id).toArray()[0];
    if (!row) return { ok: false, reason: "not_found" };
    const selected = row.targets ? (JSON.parse(row.targets) as string[]) : null;
    const chosen = this.channelRows().filter((c) => selected === null || selected.includes(c.id));
    if (chosen.length === 0) return { ok: false, reason: "no_webhook" };
    const active = chosen.filter((c) => c.status === "active");
    if (active.length === 0) return { ok: false, reason: "disabled" };
    for (const channel of active) {
      const existing = this.sql
        .exec<{ seq: number }>(
          "SELECT seq FROM outbox WHERE msg_id = ? AND channel_id = ?",
          id,
          channel.id,
        )
        .toArray()[0];
      if (existing && this.inFlight.has(existing.seq)) continue;
      this.sql.exec(
        `INSERT INTO outbox (msg_id, channel_id, kind, alert_id, status, next_attempt_ms)
         VALUES (?, ?, 'alert', ?, 'pending', ?)
         ON CONFLICT (msg_id, channel_id) DO UPDATE SET status = 'pending', attempts = 0,
           last_error = NULL, delivered_ms = NULL, next_attempt_ms = excluded.next_attempt_ms`,
        id,
        channel.id,
        id,
        nowMs,
      );
    }
    await this.scheduleAlarm();
    return { ok: true, alert: this.getAlert(id) as AlertRecord };
  }

  // ---------- delivery ----------

  override async alarm(): Promise<void> {
    const now = Date.now();
    this.sql.exec("DELETE FROM deliveries WHERE at_ms < ?", now - DELIVERY_LOG_MS);
    for (const c of this.channelRows()) {
      if (c.status === "active" && shouldDisableEndpoint(c.failing_since_ms, now)) {
        this.disableChannel(c.id, "failing_5_days", now);
      }
    }
    await this.deliverDue(now);
  }

  /**
   * Attempts every pending message (alert or digest) that is due at `nowMs`, then sets
   * the alarm for the next one. Tests pass a later `nowMs` to run digests and retries early.
   */
  async deliverDue(nowMs = Date.now()): Promise<number> {
    const due = this.sql
      .exec<OutboxRow>(
        `SELECT * FROM outbox WHERE status = 'pending' AND next_attempt_ms <= ?
         ORDER BY next_attempt_ms LIMIT ?`,
        nowMs,
        ATTEMPTS_PER_RUN,
      )
      .toArray()
      .filter((r) => !this.inFlight.has(r.seq));
    for (const r of due) {
      this.inFlight.add(r.seq);
      this.sql.exec(
        "UPDATE outbox SET next_attempt_ms = ? WHERE seq = ?",
        nowMs + ATTEMPT_LEASE_MS,
        r.seq,
      );
    }
    await this.scheduleAlarm();
    try {
      for (let i = 0; i < due.length; i += PARALLEL_ATTEMPTS) {
        await Promise.all(due.slice(i, i + PARALLEL_ATTEMPTS).map((r) => this.attempt(r)));
      }
    } finally {
      for (const r of due) this.inFlight.delete(r.seq);
    }
    await this.scheduleAlarm();
    return due.length;
  }

  /** The body of an outbox row for its channel, or why there is nothing to send. */
  private message(
    row: OutboxRow,
    channel: ChannelRow,
  ): { body: (at: Date) => string } | { error: string } {
    if (row.kind === "alert") {
      const record = this.getAlert(row.alert_id as string);
      if (!record) return { error: "the alert is gone" };
      const alert = toPublicAlert(record);
      return { body: (at) => renderAlert(channel.type, alert, { at }).body };
    }
    const digest = this.digestOf(row);
    if (!digest) return { error: "the digest has no alerts left" };
    return { body: (at) => renderDigest(channel.type, digest, { at }).body };
  }

  /** A digest as it is sent now: its header and its alerts, grouped by story. */
  private digestOf(row: OutboxRow): Digest | null {
    const header = JSON.parse(row.digest ?? "{}") as DigestHeader;
    const rows = this.sql
      .exec<AlertRow>(
        `SELECT a.* FROM digest_alerts d JOIN alerts a ON a.id = d.alert_id
         WHERE d.digest_id = ? AND d.channel_id = ? ORDER BY a.seq`,
        row.msg_id,
        row.channel_id,
      )
      .toArray();
    return buildDigest(header, this.records(rows).map(toPublicAlert));
  }

  private async attempt(row: OutboxRow): Promise<void> {
    const channel = this.channelRow(row.channel_id);
    const message = channel?.status === "active" ? this.message(row, channel) : null;
    if (!channel || !message || "error" in message) {
      let error = "the channel was removed";
      if (message && "error" in message) error = message.error;
      else if (channel) error = `channel disabled: ${channel.disabled_reason ?? ""}`;
      this.sql.exec(
        "UPDATE outbox SET status = 'failed', last_error = ?, next_attempt_ms = NULL WHERE seq = ?",
        error,
        row.seq,
      );
      return;
    }
    const attempt = row.attempts + 1;
    const result = await this.send(channel, message.body, row.msg_id, {
      kind: row.kind,
      attempt,
      alert_id: row.alert_id,
      digest_id: row.kind === "digest" ? row.msg_id : null,
    });
    const now = Date.now();
    const current = this.channelRow(channel.id);
    // Disabled or removed meanwhile (that settled this row), or the subscriber is gone.
    if (current?.status !== "active") return;
    const plan = planNextStep(attempt, result, current.failing_since_ms, now);
    const error = result.ok ? null : (result.error ?? `HTTP ${result.status}`);
    const step = plan.step;
    this.sql.exec(
      "UPDATE channels SET failing_since_ms = ? WHERE id = ?",
      plan.failingSinceMs,
      channel.id,
    );
    this.sql.exec(
      `UPDATE outbox SET attempts = ?, last_attempt_ms = ?, last_error = ?, status = ?,
         next_attempt_ms = ?, delivered_ms = ? WHERE seq = ?`,
      attempt,
      now,
      error,
      step.kind === "delivered" ? "delivered" : step.kind === "retry" ? "pending" : "failed",
      step.kind === "retry" ? step.dueAtMs : null,
      step.kind === "delivered" ? now : null,
      row.seq,
    );
    if (step.kind === "disable_endpoint") this.disableChannel(channel.id, step.reason, now);
  }

  /** One attempt to one channel (signed for webhook channels), logged. */
  private async send(
    channel: ChannelRow,
    body: (at: Date) => string,
    msgId: string,
    log: Pick<DeliveryLogEntry, "kind" | "attempt" | "alert_id"> & { digest_id: string | null },
  ): Promise<DeliveryResult> {
    const allowLocal = allowLocalWebhooks(this.env);
    const result = await deliverMessage({
      url: channel.url,
      check: (url) => checkChannelUrl(channel.type, url, { allowLocal }),
      body,
      sign:
        channel.type === "webhook"
          ? {
              secrets: signingSecrets({
                secret: channel.secret ?? "",
                previous_secret: channel.previous_secret,
                previous_secret_expires_at: channel.previous_secret_expires_at,
              }),
              msgId,
            }
          : null,
    });
    const config = this.config();
    if (config) {
      const entry: DeliveryLogEntry = {
        id: randomId("dlv"),
        alert_id: log.alert_id,
        subscriber_id: config.subscriber_id,
        kind: log.kind,
        channel_id: channel.id,
        channel_type: channel.type,
        digest_id: log.digest_id,
        attempt: log.attempt,
        status: result.status,
        ok: result.ok,
        latency_ms: result.latencyMs,
        error: result.error ?? null,
        at: new Date().toISOString(),
      };
      this.sql.exec(
        "INSERT INTO deliveries (entry, at_ms) VALUES (?, ?)",
        JSON.stringify(entry),
        Date.now(),
      );
    }
    return result;
  }

  /** Stops pushing to a channel: its pending messages fail with the reason (alerts stay redeliverable). */
  private disableChannel(id: string, reason: keyof typeof DISABLE_REASONS, nowMs: number): void {
    const text = DISABLE_REASONS[reason];
    this.sql.exec(
      `UPDATE channels SET status = 'disabled', disabled_reason = ?,
         failing_since_ms = COALESCE(failing_since_ms, ?) WHERE id = ?`,
      text,
      nowMs,
      id,
    );
    this.sql.exec(
      `UPDATE outbox SET status = 'failed', last_error = COALESCE(last_error, ?), next_attempt_ms = NULL
       WHERE channel_id = ? AND status = 'pending'`,
      `endpoint disabled: ${text}`,
      id,
    );
  }

  /** Points the alarm at the earliest due message or channel check; clears it when nothing waits. */
  private async scheduleAlarm(): Promise<void> {
    const next = this.sql
      .exec<{ t: number | null }>(
        "SELECT MIN(next_attempt_ms) AS t FROM outbox WHERE status = 'pending'",
      )
      .one().t;
    const failing = this.sql
      .exec<{ t: number | null }>(
        "SELECT MIN(failing_since_ms) AS t FROM channels WHERE status = 'active'",
      )
      .one().t;
    const check = failing === null ? null : failing + ENDPOINT_DISABLE_AFTER_MS;
    const times = [next, check].filter((t): t is number => t !== null);
    if (times.length === 0) {
      await this.ctx.storage.deleteAlarm();
      return;
    }
    const at = Math.min(...times);
    if ((await this.ctx.storage.getAlarm()) !== at) await this.ctx.storage.setAlarm(at);
  }

  /** Alert rows as records: `also_reported`, and delivery state summed up over channels. */
  private records(rows: AlertRow[]): AlertRecord[] {
    const extra = new Map<string, AlsoReported[]>();
    const sent = new Map<string, OutboxRow[]>();
    for (const ids of chunks(rows.map((r) => r.id))) {
      const marks = ids.map(() => "?").join(",");
      const found = this.sql
        .exec<{ alert_id: string; article_id: string; url: string | null; title: string }>(
          `SELECT alert_id, article_id, url, title FROM also_reported
           WHERE alert_id IN (${marks}) ORDER BY added_ms, article_id`,
          ...ids,
        )
        .toArray();
      for (const f of found) {
        const list = extra.get(f.alert_id) ?? [];
        list.push({ article_id: f.article_id, url: f.url, title: f.title });
        extra.set(f.alert_id, list);
      }
      const direct = this.sql
        .exec<OutboxRow & { for_alert: string }>(
          `SELECT *, alert_id AS for_alert FROM outbox WHERE kind = 'alert' AND alert_id IN (${marks})`,
          ...ids,
        )
        .toArray();
      const digests = this.sql
        .exec<OutboxRow & { for_alert: string }>(
          `SELECT o.*, d.alert_id AS for_alert FROM digest_alerts d
           JOIN outbox o ON o.msg_id = d.digest_id AND o.channel_id = d.channel_id
           WHERE d.alert_id IN (${marks})`,
          ...ids,
        )
        .toArray();
      for (const o of [...direct, ...digests]) {
        const list = sent.get(o.for_alert) ?? [];
        list.push(o);
        sent.set(o.for_alert, list);
      }
    }
    return rows.map((r) => ({
      ...(JSON.parse(r.body) as Omit<Alert, "status" | "also_reported">),
      also_reported: extra.get(r.id) ?? [],
      ...deliveryState(r, sent.get(r.id) ?? []),
    }));
  }
}

function channelView(c: ChannelRow): ChannelInfo {
  return {
    id: c.id,
    type: c.type,
    name: c.name,
    url: c.url,
    primary: c.is_primary === 1,
    status: c.status,
    disabled_reason: c.disabled_reason,
    failing_since: iso(c.failing_since_ms),
    created_at: new Date(c.created_ms).toISOString(),
    updated_at: new Date(c.updated_ms).toISOString(),
  };
}

const maxOf = (xs: (number | null)[]) => {
  const ys = xs.filter((x): x is number => x !== null);
  return ys.length ? Math.max(...ys) : null;
};

/**
 * An alert's delivery state over its channels: pending while any message (its own or a
 * digest's) waits, then failed if any failed, else delivered; attempts and times of the
 * busiest channel. Without messages: paused, or feed only.
 */
function deliveryState(
  r: AlertRow,
  rows: OutboxRow[],
): Pick<
  AlertRecord,
  | "status"
  | "attempts"
  | "last_attempt_at"
  | "last_error"
  | "delivered_at"
  | "next_attempt_at"
  | "deliveries"
> {
  const deliveries: ChannelDelivery[] = rows.map((o) => ({
    channel_id: o.channel_id,
    kind: o.kind,
    digest_id: o.kind === "digest" ? o.msg_id : null,
    status: o.status,
    attempts: o.attempts,
    next_attempt_at: o.status === "pending" ? iso(o.next_attempt_ms) : null,
    delivered_at: iso(o.delivered_ms),
    last_error: o.last_error,
  }));
  if (rows.length === 0) {
    // Nothing to push: paused, or no channel to push to.
    return {
      status: (r.status === "paused" ? "paused" : "feed_only") as AlertStatus,
      attempts: 0,
      last_attempt_at: null,
      last_error: null,
      delivered_at: null,
      next_attempt_at: null,
      deliveries,
    };
  }
  const pending = rows.filter((o) => o.status === "pending");
  const status: AlertStatus = pending.length
    ? "pending"
    : rows.some((o) => o.status === "failed")
      ? "failed"
      : "delivered";
  const lastFailure = rows
    .filter((o) => o.last_error !== null)
    .sort((a, b) => (b.last_attempt_ms ?? 0) - (a.last_attempt_ms ?? 0))[0];
  const next = pending.map((o) => o.next_attempt_ms).filter((t): t is number => t !== null);
  return {
    status,
    attempts: Math.max(...rows.map((o) => o.attempts)),
    last_attempt_at: iso(maxOf(rows.map((o) => o.last_attempt_ms))),
    last_error: status === "delivered" ? null : (lastFailure?.last_error ?? null),
    delivered_at: status === "delivered" ? iso(maxOf(rows.map((o) => o.delivered_ms))) : null,
    next_attempt_at: next.length ? iso(Math.min(...next)) : null,
    deliveries,
  };
}

/** The alert as subscribers see it in webhooks and feeds: delivery bookkeeping removed. */
export function toPublicAlert(a: AlertRecord): Alert {
  const {
    attempts: _a,
    last_attempt_at: _l,
    last_error: _e,
    delivered_at: _d,
    next_attempt_at: _n,
    deliveries: _s,
    ...alert
  } = a;
  return alert;
}

/** The object of one subscriber. */
export function subscriberAlerts(env: AppBindings, subscriberId: string) {
  return env.SUBSCRIBER_ALERTS.getByName(subscriberId);
}
