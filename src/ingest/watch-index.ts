import type { AppBindings } from "../env.ts";
import { watchIndexBuilder } from "../objects/watch-index.ts";
import { keys } from "../store/keys.ts";
import {
  compileWatchIndex,
  decodeWatchIndex,
  joinWatchIndex,
  WATCH_INDEX_FORMAT,
  type WatchIndex,
} from "../watch/index.ts";

/**
 * The compiled index of every watchlist, as the builder last published it. Each ingest
 * asks the builder for the current version (one small request) and decodes a version
 * it has not seen from its KV chunks, once per isolate; it never compiles.
 */
let cached: { version: string; index: WatchIndex } | null = null;
const EMPTY = compileWatchIndex([]);

export async function currentWatchIndex(env: AppBindings): Promise<WatchIndex> {
  const pointer = await watchIndexBuilder(env).current();
  if (!pointer) return EMPTY;
  if (cached?.version === pointer.version) return cached.index;
  if (pointer.format !== WATCH_INDEX_FORMAT) {
    // A builder still on other code (mid-deploy): its snapshot would not decode here.
    if (cached) return cached.index;
    throw new Error(
      `watch index ${pointer.version} is format ${pointer.format}, this code reads ${WATCH_INDEX_FORMAT}`,
    );
  }
  const chunks = await Promise.all(
    Array.from({ length: pointer.chunks }, (_, i) =>
      env.KV.get(keys.watchIndexChunk(pointer.version, i), "arrayBuffer"),
    ),
  );
  if (chunks.some((c) => c === null)) {
    // Not readable here yet: the previous version is a few seconds old, better than none.
    if (cached) return cached.index;
    throw new Error(`watch index ${pointer.version} is not readable yet`);
  }
  const index = decodeWatchIndex(joinWatchIndex(chunks as ArrayBuffer[]));
  cached = { version: pointer.version, index };
  return index;
}
