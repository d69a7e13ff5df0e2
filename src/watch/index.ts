/**
 * Watch matching, pure (no Hono, Cloudflare or store imports): the query language and
 * its parser, the compiled watchlist index (percolator), the matcher with hits and
 * snippets, and near-duplicate fingerprints. Runs in workerd and Node.
 */
export {
  fingerprint,
  fingerprintBands,
  fingerprintDistance,
  isNearDuplicate,
  NEAR_DUPLICATE_DISTANCE,
} from "./fingerprint.ts";
export type { Hit, MatchableDoc, QueryMatch } from "./match.ts";
export { MAX_HITS_PER_QUERY } from "./match.ts";
export type { WatchIndex, WatchlistMatch, WatchlistSpec } from "./percolator.ts";
export { compileWatchIndex, matchDocument, matchQueries } from "./percolator.ts";
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
export { isPurelyNegative, MAX_QUERY_LENGTH, parseQuery } from "./query.ts";
