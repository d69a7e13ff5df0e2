/**
 * Watch matching, pure (no Hono, Cloudflare or store imports): the query language and
 * its parser, the compiled watchlist index (percolator) and its snapshot encoding, the
 * matcher with hits and snippets, per-subscriber quotas, and near-duplicate
 * fingerprints. Runs in workerd and Node.
 */
export type { DocIndex, MatchableDoc } from "./doc.ts";
export { indexDocument } from "./doc.ts";
export type { Hit, QueryMatch } from "./evaluate.ts";
export {
  fingerprint,
  fingerprintBands,
  fingerprintDistance,
  indexedFingerprint,
  isNearDuplicate,
  NEAR_DUPLICATE_DISTANCE,
} from "./fingerprint.ts";
export { MAX_HITS_PER_QUERY } from "./occurrences.ts";
export type { MatchOptions, WatchIndex, WatchlistMatch, WatchlistSpec } from "./percolator.ts";
export {
  compileWatchIndex,
  MAX_HITS_PER_SUBSCRIBER,
  MAX_WORK_PER_SUBSCRIBER,
  matchDocument,
  matchQueries,
  matchSteps,
} from "./percolator.ts";
export type {
  AndNode,
  Field,
  NotNode,
  OrNode,
  ParseResult,
  Query,
  QueryError,
  QueryToken,
  TermNode,
} from "./query.ts";
export { countTerms, isPurelyNegative, MAX_QUERY_LENGTH, parseQuery } from "./query.ts";
export type { QuotaCheck, QuotaExceeded, WatchQuota, WatchUsage } from "./quotas.ts";
export {
  checkWatchQuotas,
  MAX_QUERIES_PER_SUBSCRIBER,
  MAX_QUERIES_PER_WATCHLIST,
  MAX_TERMS_PER_QUERY,
  MAX_WATCHLISTS_PER_SUBSCRIBER,
  queryTerms,
  watchUsage,
} from "./quotas.ts";
export {
  decodeWatchIndex,
  encodeWatchIndex,
  joinWatchIndex,
  splitWatchIndex,
  WATCH_INDEX_CHUNK_BYTES,
  WATCH_INDEX_FORMAT,
} from "./snapshot.ts";
