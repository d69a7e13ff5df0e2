import { keys } from "./keys.ts";

export interface StoredHit {
  field: "text" | "title";
  start: number;
  end: number;
  text: string;
  snippet: string;
}

/** A watch match as stored on the article; `subscriber_id` is never shown to other subscribers. */
export interface StoredMatch {
  watchlist_id: string;
  subscriber_id: string;
  query: string;
  hits: StoredHit[];
}

export interface ArticleRecord {
  id: string;
  url: string | null;
  title: string;
  lang: string;
  source: string | null;
  published_at: string | null;
  dateline: { place: string | null; date: string | null; agency: string | null } | null;
  text: string;
  summary: string[];
  keywords: string[];
  matches: StoredMatch[];
  cluster_id: string;
  duplicate_of: string | null;
  fingerprint: string;
  created_at: string;
  updated_at: string;
}

interface BandMeta {
  fp: string;
  cluster: string;
}

/** Articles, one record per key, plus the fingerprint-band index for near-duplicates. */
export class ArticleStore {
  readonly kv: KVNamespace;
  constructor(kv: KVNamespace) {
    this.kv = kv;
  }

  get(id: string): Promise<ArticleRecord | null> {
    return this.kv.get<ArticleRecord>(keys.article(id), "json");
  }

  async put(record: ArticleRecord): Promise<void> {
    await this.kv.put(keys.article(record.id), JSON.stringify(record));
  }

  /**
   * Articles sharing any band with `bands`: candidates for near-duplicate checks. One
   * list page (1000 keys, the KV maximum) per band; a band shared by more articles
   * within the 72 h window is only partly seen.
   */
  async bandNeighbours(
    bands: string[],
  ): Promise<{ id: string; fingerprint: string; clusterId: string }[]> {
    const seen = new Map<string, { id: string; fingerprint: string; clusterId: string }>();
    const pages = await Promise.all(
      bands.map((band) =>
        this.kv.list<BandMeta>({ prefix: keys.clusterBandPrefix(band), limit: 1000 }),
      ),
    );
    for (const [i, page] of pages.entries()) {
      const prefix = keys.clusterBandPrefix(bands[i] ?? "");
      for (const k of page.keys) {
        const id = k.name.slice(prefix.length);
        if (k.metadata && !seen.has(id)) {
          seen.set(id, { id, fingerprint: k.metadata.fp, clusterId: k.metadata.cluster });
        }
      }
    }
    return [...seen.values()];
  }

  /** Indexes an article under each band; entries expire with the alert dedupe window's horizon. */
  async indexBands(
    articleId: string,
    fingerprint: string,
    clusterId: string,
    bands: string[],
    ttlSeconds: number,
  ) {
    const metadata: BandMeta = { fp: fingerprint, cluster: clusterId };
    await Promise.all(
      bands.map((band) =>
        this.kv.put(keys.clusterBand(band, articleId), "", { metadata, expirationTtl: ttlSeconds }),
      ),
    );
  }
}
