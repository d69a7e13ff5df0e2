import { DurableObject } from "cloudflare:workers";
import type { AppBindings } from "../env.ts";
import { completeIngest } from "../ingest/complete.ts";
import type { ArticleRecord } from "../records.ts";
import { fingerprintBands, isNearDuplicate } from "../watch/index.ts";

/** Near-duplicates join a story cluster inside this window. */
const CLUSTER_WINDOW_MS = 72 * 3600 * 1000;
/**
 * An ingest that claimed an article finishes it (alerts, the KV record) within this
 * time; after it, a retry of the same article or the alarm takes over and finishes it.
 */
const CLAIM_LEASE_MS = 30_000;
/** A finished record stays here this long, so a replay finds it while KV propagates (~60 s). */
const RECORD_KEEP_MS = 3600 * 1000;
/** SQLite rows are at most 2 MB; a larger record is only in KV. */
export const MAX_RECORD_BYTES = 1_900_000;

/** Whether a record's JSON is too large to keep here (UTF-8 counted only when its length cannot settle it). */
export function tooLargeToKeep(json: string): boolean {
  if (json.length * 3 <= MAX_RECORD_BYTES) return false;
  return json.length > MAX_RECORD_BYTES || new TextEncoder().encode(json).length > MAX_RECORD_BYTES;
}

const succeeded = () => true;
const failed = () => false;

/**
 * How a claim went: `created` (this caller finishes the ingest), `resume` (a crashed
 * ingest of this article is handed to this caller to finish), `replayed` (done, or being
 * done by another caller). The record is the one claimed first; one too large to keep
 * here comes back as the caller's draft with the claimed cluster.
 */
export interface Claim {
  outcome: "created" | "resume" | "replayed";
  record: ArticleRecord;
}

/**
 * What an ingest answers: for a new article only its cluster (the caller holds the rest
 * of the record, so a large record does not travel back), else the record claimed first.
 */
export type IngestAnswer =
  | { outcome: "created"; cluster_id: string; duplicate_of: string | null }
  | { outcome: "resume" | "replayed"; record: ArticleRecord };

type ClaimWithJson = Claim & { json: string | null };

type StoryRow = {
  article_id: string;
  cluster_id: string;
  duplicate_of: string | null;
  fingerprint: string;
  state: string;
  lease_until_ms: number | null;
  record: string | null;
};

/**
 * The story index of one language: claims article ids once and assigns near-duplicates
 * to clusters over 72 h, atomically (one object, one writer; the SQL below never awaits
 * between its read and its write).
 */
export class StoryIndex extends DurableObject<AppBindings> {
  /** Ingests this object is finishing now, by article id (in memory: a restart drops them, the lease covers that). */
  private readonly finishing = new Map<string, Promise<void>>();

  constructor(ctx: DurableObjectState, env: AppBindings) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      this.sql.exec(`
        CREATE TABLE IF NOT EXISTS stories (
          article_id TEXT PRIMARY KEY,
          cluster_id TEXT NOT NULL,
          duplicate_of TEXT,
          fingerprint TEXT NOT NULL,
          created_ms INTEGER NOT NULL,
          state TEXT NOT NULL,
          lease_until_ms INTEGER,
          stored_ms INTEGER,
          record TEXT
        );
        CREATE INDEX IF NOT EXISTS stories_by_time ON stories (created_ms);
        CREATE TABLE IF NOT EXISTS bands (
          band TEXT NOT NULL,
          article_id TEXT NOT NULL,
          created_ms INTEGER NOT NULL,
          PRIMARY KEY (band, article_id)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS bands_by_time ON bands (created_ms);
      `);
    });
  }

  private get sql() {
    return this.ctx.storage.sql;
  }

  /**
   * Ingests an analysed article: claims it, and when the claim is this caller's (new, or
   * abandoned by a caller that died) finishes it here, alerts and KV record, before
   * answering. One request per ingest; the lease and the alarm cover a crash half-way.
   */
  async ingest(draft: ArticleRecord, nowMs = Date.now()): Promise<IngestAnswer> {
    for (;;) {
      const { outcome, record, json } = this.claimNow(draft, nowMs);
      if (outcome === "replayed") {
        // A copy of an article this object is finishing right now waits for it, so a
        // 200 always means stored; if that ingest failed, its claim is free: take it.
        const pending = this.finishing.get(record.id);
        const stored = pending === undefined || (await pending.then(succeeded, failed));
        if (!stored) continue;
        return { outcome, record };
      }
      const finish = async () => {
        await this.ensureAlarm(nowMs + CLAIM_LEASE_MS + 1000);
        await completeIngest(this.env, record, json ?? undefined);
      };
      const done = finish().then(
        () => this.markStored(record.id),
        (e: unknown) => {
          this.releaseClaim(record.id);
          throw e;
        },
      );
      this.finishing.set(record.id, done);
      try {
        await done;
      } finally {
        this.finishing.delete(record.id);
      }
      if (outcome !== "created") return { outcome, record };
      return { outcome, cluster_id: record.cluster_id, duplicate_of: record.duplicate_of };
    }
  }

  /**
   * Ingests several articles of this language in one request (a batch), one after the
   * other; one that fails is reported and left to its lease and the alarm.
   */
  async ingestMany(
    drafts: ArticleRecord[],
    nowMs = Date.now(),
  ): Promise<(IngestAnswer | { error: string })[]> {
    const out: (IngestAnswer | { error: string })[] = [];
    for (const draft of drafts) {
      try {
        out.push(await this.ingest(draft, nowMs));
      } catch (e) {
        out.push({ error: e instanceof Error ? e.message : "could not store this item" });
      }
    }
    return out;
  }

  /**
   * Claims `draft.id`. A new article joins the cluster of the earliest near-duplicate
   * sharing a fingerprint band within 72 h (else starts its own) and is returned with
   * `cluster_id` and `duplicate_of` set.
   */
  async claim(draft: ArticleRecord, nowMs = Date.now()): Promise<Claim> {
    const { outcome, record } = this.claimNow(draft, nowMs);
    if (outcome !== "replayed") await this.ensureAlarm(nowMs + CLAIM_LEASE_MS + 1000);
    return { outcome, record };
  }

  /**
   * `claim` without the alarm: synchronous, so the caller can mark the ingest in flight
   * before anything else runs. `json` is the record's JSON when this already has it.
   */
  private claimNow(draft: ArticleRecord, nowMs: number): ClaimWithJson {
    const bands = fingerprintBands(draft.fingerprint);
    return this.ctx.storage.transactionSync((): ClaimWithJson => {
      const row = this.sql
        .exec<StoryRow>("SELECT * FROM stories WHERE article_id = ?", draft.id)
        .toArray()[0];
      if (row) {
        const record: ArticleRecord = row.record
          ? (JSON.parse(row.record) as ArticleRecord)
          : { ...draft, cluster_id: row.cluster_id, duplicate_of: row.duplicate_of };
        if (row.state === "claimed" && (row.lease_until_ms ?? 0) <= nowMs) {
          this.sql.exec(
            "UPDATE stories SET lease_until_ms = ? WHERE article_id = ?",
            nowMs + CLAIM_LEASE_MS,
            draft.id,
          );
          return { outcome: "resume", record, json: row.record };
        }
        return { outcome: "replayed", record, json: row.record };
      }
      const original = this.nearestOriginal(draft.fingerprint, bands, nowMs);
      const record: ArticleRecord = {
        ...draft,
        cluster_id: original?.cluster_id ?? draft.id,
        duplicate_of: original?.article_id ?? null,
      };
      const json = JSON.stringify(record);
      this.sql.exec(
        `INSERT INTO stories (article_id, cluster_id, duplicate_of, fingerprint, created_ms, state, lease_until_ms, record)
         VALUES (?, ?, ?, ?, ?, 'claimed', ?, ?)`,
        record.id,
        record.cluster_id,
        record.duplicate_of,
        record.fingerprint,
        nowMs,
        nowMs + CLAIM_LEASE_MS,
        tooLargeToKeep(json) ? null : json,
      );
      for (const band of bands) {
        this.sql.exec(
          "INSERT OR IGNORE INTO bands (band, article_id, created_ms) VALUES (?, ?, ?)",
          band,
          record.id,
          nowMs,
        );
      }
      return { outcome: "created", record, json };
    });
  }

  /** An ingest that failed half-way: its claim is free for the next copy (or the alarm) to finish. */
  private releaseClaim(articleId: string): void {
    this.sql.exec(
      "UPDATE stories SET lease_until_ms = 0 WHERE article_id = ? AND state = 'claimed'",
      articleId,
    );
  }

  /** The ingest of `articleId` is complete: alerts recorded and the KV record written. */
  private markStored(articleId: string, nowMs = Date.now()): void {
    this.sql.exec(
      "UPDATE stories SET state = 'stored', lease_until_ms = NULL, stored_ms = ? WHERE article_id = ?",
      nowMs,
      articleId,
    );
  }

  private nearestOriginal(fingerprint: string, bands: string[], nowMs: number) {
    const candidates = this.sql
      .exec<{ article_id: string; cluster_id: string; fingerprint: string }>(
        `SELECT DISTINCT s.article_id, s.cluster_id, s.fingerprint, s.created_ms
         FROM bands b JOIN stories s ON s.article_id = b.article_id
         WHERE b.band IN (${bands.map(() => "?").join(",")}) AND b.created_ms > ?
         ORDER BY s.created_ms, s.article_id`,
        ...bands,
        nowMs - CLUSTER_WINDOW_MS,
      )
      .toArray();
    return candidates.find((c) => isNearDuplicate(c.fingerprint, fingerprint)) ?? null;
  }

  /**
   * Finishes ingests whose caller died after claiming (the lease ran out), and drops
   * what is older than the cluster window.
   */
  override async alarm(): Promise<void> {
    const now = Date.now();
    const abandoned = this.sql
      .exec<StoryRow>(
        "SELECT * FROM stories WHERE state = 'claimed' AND lease_until_ms <= ? AND record IS NOT NULL LIMIT 50",
        now,
      )
      .toArray();
    for (const row of abandoned) {
      this.sql.exec(
        "UPDATE stories SET lease_until_ms = ? WHERE article_id = ?",
        now + CLAIM_LEASE_MS,
        row.article_id,
      );
      const json = row.record as string;
      await completeIngest(this.env, JSON.parse(json) as ArticleRecord, json);
      this.markStored(row.article_id);
    }
    this.sql.exec("DELETE FROM bands WHERE created_ms <= ?", now - CLUSTER_WINDOW_MS);
    this.sql.exec(
      "DELETE FROM stories WHERE created_ms <= ? AND state = 'stored'",
      now - CLUSTER_WINDOW_MS,
    );
    this.sql.exec(
      "UPDATE stories SET record = NULL WHERE state = 'stored' AND stored_ms <= ? AND record IS NOT NULL",
      now - RECORD_KEEP_MS,
    );
    const next = this.sql
      .exec<{ t: number | null }>(
        `SELECT MIN(t) AS t FROM (
           SELECT MIN(lease_until_ms) AS t FROM stories WHERE state = 'claimed'
           UNION ALL SELECT MIN(stored_ms) + ? FROM stories WHERE record IS NOT NULL AND state = 'stored'
           UNION ALL SELECT MIN(created_ms) + ? FROM stories)`,
        RECORD_KEEP_MS,
        CLUSTER_WINDOW_MS,
      )
      .one().t;
    if (next !== null) await this.ctx.storage.setAlarm(Math.max(next, now + 1000));
  }

  private async ensureAlarm(at: number): Promise<void> {
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > at) await this.ctx.storage.setAlarm(at);
  }
}
