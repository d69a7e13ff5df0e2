/**
 * What `bench/ingest-cpu.test.ts` times, bundled by `bench/bundle.ts` into one module the
 * way wrangler bundles the Worker (esbuild, ESM): inside vitest each source module's
 * imports become property reads on a module object, which slows hot loops that use an
 * imported constant several-fold; the deployed Worker has no such reads.
 */
export { analyzeArticle } from "../src/text/index.ts";
export {
  decodeWatchIndex,
  indexDocument,
  indexedFingerprint,
  matchDocument,
} from "../src/watch/index.ts";
