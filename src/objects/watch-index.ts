import { DurableObject } from "cloudflare:workers";
import { randomId } from "../crypto.ts";
import type { AppBindings } from "../env.ts";
import type { WatchlistRecord } from "../records.ts";
import { keys } from "../store/keys.ts";
import { WatchlistStore } from "../store/watchlists.ts";
import {
  checkWatchQuotas,
  compileWatchIndex,
  encodeWatchIndex,
  type QuotaCheck,
  splitWatchIndex,
  WATCH_INDEX_FORMAT,
  type WatchlistSpec,
} from "../watch/index.ts";

/** Edits within this window share one build. */
const BUILD_DELAY_MS = 250;
/** An old snapshot stays readable this long, for isolates still loading it. */
const RETIRED_KEEP_MS = 10 * 60_000;

/** Where the current compiled index is: `chunks` KV values under its version. */
export interface WatchIndexPointer {
  /** The snapshot's `WATCH_INDEX_FORMAT` (absent in pointers written before format 2). */
  format: number;
  version: string;
  chunks: number;
  bytes: number;
  queries: number;
  watchlists: number;
  built_at: string;
  /** The oldest change this build includes the effect of (null: a build with no pending edits). */
  changed_at: string | null;
}

type SpecRow = {
  id: string;
  subscriber_id: string;
  queries: string;
  langs: string | null;
  sources: string | null;
};

/**
 * The one owner of the compiled watch index. Watchlist routes tell it every change
 * (it keeps the matcher's view of each watchlist and checks the per-subscriber totals
 * atomically); its alarm coalesces a burst of edits into one build, writes the snapshot
 * to KV in chunks under a new version and moves the pointer. Ingest asks it for the
 * pointer and loads a version once per isolate; nobody compiles on an article.
 */
export class WatchIndexBuilder extends DurableObject<AppBindings> {
  constructor(ctx: DurableObjectState, env: AppBindings) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      this.sql.exec(`
        CREATE TABLE IF NOT EXISTS watchlists (
          id TEXT PRIMARY KEY,
          subscriber_id TEXT NOT NULL,
          queries TEXT NOT NULL,
          query_count INTEGER NOT NULL,
          langs TEXT,
          sources TEXT
        );
        CREATE INDEX IF NOT EXISTS watchlists_by_subscriber ON watchlists (subscriber_id);
        CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS retired (version TEXT PRIMARY KEY, chunks INTEGER NOT NULL, until_ms INTEGER NOT NULL);
      `);
      // Watchlists written before this object existed come from KV, once.
      if (!this.meta("imported")) {
        for (const w of await new WatchlistStore(env.KV).list()) {
          this.upsert(watchlistSpec(w));
        }
        this.setMeta("imported", new Date().toISOString());
        if (this.sql.exec("SELECT 1 FROM watchlists LIMIT 1").toArray().length)
          await this.changed();
      }
    });
  }

  private get sql() {
    return this.ctx.storage.sql;
  }

  private meta(key: string): string | null {
    return (
      this.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = ?", key).toArray()[0]
        ?.value ?? null
    );
  }

  private setMeta(key: string, value: string | null): void {
    if (value === null) this.sql.exec("DELETE FROM meta WHERE key = ?", key);
    else this.sql.exec("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", key, value);
  }

  private upsert(spec: WatchlistSpec): void {
    this.sql.exec(
      `INSERT OR REPLACE INTO watchlists (id, subscriber_id, queries, query_count, langs, sources)
       VALUES (?, ?, ?, ?, ?, ?)`,
      spec.id,
      spec.subscriberId,
      JSON.stringify(spec.queries),
      spec.queries.length,
      spec.langs?.length ? JSON.stringify(spec.langs) : null,
      spec.sources?.length ? JSON.stringify(spec.sources) : null,
    );
  }

  /**
   * Adds or replaces a watchlist unless the subscriber's totals (watchlists, queries)
   * would pass their quotas; the check and the write are one step.
   */
  async put(spec: WatchlistSpec): Promise<QuotaCheck> {
    const others = this.sql
      .exec<{ n: number; q: number | null }>(
        "SELECT COUNT(*) AS n, SUM(query_count) AS q FROM watchlists WHERE subscriber_id = ? AND id != ?",
        spec.subscriberId,
        spec.id,
      )
      .one();
    const check = checkWatchQuotas({
      watchlists: others.n + 1,
      queriesPerWatchlist: spec.queries.length,
      termsPerQuery: 0,
      totalQueries: (others.q ?? 0) + spec.queries.length,
    });
    if (!check.ok) return check;
    this.upsert(spec);
    await this.changed();
    return check;
  }

  async remove(id: string): Promise<void> {
    if (this.sql.exec("DELETE FROM watchlists WHERE id = ?", id).rowsWritten) await this.changed();
  }

  async removeSubscriber(subscriberId: string): Promise<void> {
    const gone = this.sql.exec("DELETE FROM watchlists WHERE subscriber_id = ?", subscriberId);
    if (gone.rowsWritten) await this.changed();
  }

  /** The build every caller shares while it runs (input gates open across its KV writes). */
  private building: Promise<WatchIndexPointer> | null = null;

  /**
   * The current snapshot's pointer; null only while no watchlist exists. A pointer of
   * another format (written by the code before a deploy that changed the snapshot
   * layout), or none while watchlists exist, is rebuilt now, before answering: no ingest
   * gets a snapshot it cannot decode or matches against an empty index.
   */
  async current(): Promise<WatchIndexPointer | null> {
    const p = this.pointer();
    if (p?.format === WATCH_INDEX_FORMAT) return p;
    if (p === null && this.sql.exec("SELECT 1 FROM watchlists LIMIT 1").toArray().length === 0)
      return null;
    return this.build();
  }

  private pointer(): WatchIndexPointer | null {
    const p = this.meta("current");
    return p ? (JSON.parse(p) as WatchIndexPointer) : null;
  }

  /** Edits pending a build, as the time of the oldest (null when the index is current). */
  pendingSince(): number | null {
    const d = this.meta("dirty_since");
    return d === null ? null : Number(d);
  }

  private async changed(): Promise<void> {
    this.setMeta("generation", String(Number(this.meta("generation") ?? 0) + 1));
    if (this.meta("dirty_since") === null) this.setMeta("dirty_since", String(Date.now()));
    // A pending build keeps its time (edits coalesce); a later clean-up alarm is pulled in.
    const at = Date.now() + BUILD_DELAY_MS;
    const alarm = await this.ctx.storage.getAlarm();
    if (alarm === null || alarm > at) await this.ctx.storage.setAlarm(at);
  }

  override async alarm(): Promise<void> {
    const now = Date.now();
    if (this.meta("dirty_since") !== null) await this.build();
    for (const r of this.sql
      .exec<{ version: string; chunks: number }>("SELECT * FROM retired WHERE until_ms <= ?", now)
      .toArray()) {
      await Promise.all(
        Array.from({ length: r.chunks }, (_, i) =>
          this.env.KV.delete(keys.watchIndexChunk(r.version, i)),
        ),
      );
      this.sql.exec("DELETE FROM retired WHERE version = ?", r.version);
    }
    const next = this.sql
      .exec<{ t: number | null }>("SELECT MIN(until_ms) AS t FROM retired")
      .one().t;
    if (this.meta("dirty_since") !== null) await this.ctx.storage.setAlarm(now + BUILD_DELAY_MS);
    else if (next !== null) await this.ctx.storage.setAlarm(next);
  }

  /** Runs a build, or joins the one running (so many callers at once make one build). */
  private build(): Promise<WatchIndexPointer> {
    this.building ??= this.compileAndPublish().finally(() => {
      this.building = null;
    });
    return this.building;
  }

  /** Compiles every watchlist, writes the snapshot's chunks, then moves the pointer to them. */
  private async compileAndPublish(): Promise<WatchIndexPointer> {
    const dirtySince = this.meta("dirty_since");
    const generation = this.meta("generation");
    const specs = this.sql
      .exec<SpecRow>(
        "SELECT id, subscriber_id, queries, langs, sources FROM watchlists ORDER BY id",
      )
      .toArray()
      .map(
        (r): WatchlistSpec => ({
          id: r.id,
          subscriberId: r.subscriber_id,
          queries: JSON.parse(r.queries) as string[],
          ...(r.langs ? { langs: JSON.parse(r.langs) as string[] } : {}),
          ...(r.sources ? { sources: JSON.parse(r.sources) as string[] } : {}),
        }),
      );
    const index = compileWatchIndex(specs);
    const bytes = encodeWatchIndex(index);
    const chunks = splitWatchIndex(bytes);
    const version = `${Date.now().toString(36)}-${randomId("v", 6).slice(2)}`;
    await Promise.all(chunks.map((c, i) => this.env.KV.put(keys.watchIndexChunk(version, i), c)));
    const pointer: WatchIndexPointer = {
      format: WATCH_INDEX_FORMAT,
      version,
      chunks: chunks.length,
      bytes: bytes.byteLength,
      queries: index.queryCount,
      watchlists: index.watchlistCount,
      built_at: new Date().toISOString(),
      changed_at: dirtySince ? new Date(Number(dirtySince)).toISOString() : null,
    };
    const previous = this.pointer();
    // Edits that arrived while the chunks were being written keep the index dirty.
    if (this.meta("generation") === generation) this.setMeta("dirty_since", null);
    this.setMeta("current", JSON.stringify(pointer));
    if (previous) {
      this.sql.exec(
        "INSERT OR REPLACE INTO retired (version, chunks, until_ms) VALUES (?, ?, ?)",
        previous.version,
        previous.chunks,
        Date.now() + RETIRED_KEEP_MS,
      );
    }
    return pointer;
  }
}

/** The builder: one for the whole index (the README says how it would shard). */
export function watchIndexBuilder(env: AppBindings) {
  return env.WATCH_INDEX.getByName("all");
}

/** A watchlist as the matcher sees it. */
export function watchlistSpec(w: WatchlistRecord): WatchlistSpec {
  return {
    id: w.id,
    subscriberId: w.subscriber_id,
    queries: w.queries,
    ...(w.langs ? { langs: w.langs } : {}),
    ...(w.sources ? { sources: w.sources } : {}),
  };
}
