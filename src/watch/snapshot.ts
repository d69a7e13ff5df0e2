/**
 * The compiled watch index as bytes, so one build serves every isolate: an isolate
 * loads it with a few KV gets and `decodeWatchIndex` instead of compiling (compiling
 * parses every query; decoding copies typed arrays and parses one JSON document).
 *
 * Layout (little-endian; every Workers and Node platform is):
 *   "WBWI"  u32 format version  u32 total bytes  u32 JSON bytes  JSON (UTF-8)  pad to 4
 *   then per typed array, in TYPED order: u32 element count, the elements, pad to 4.
 * The JSON holds strings and small structures (query strings, keys, owners); the hash
 * tables and per-query slots are the typed arrays, used as they are. Query trees are
 * not stored: a decoded index parses a query the first time it is a candidate
 * (parsing is deterministic, so it answers exactly like the compiled one).
 */
import type { CompiledWatchlist, Ids, IndexInternals, WatchIndex } from "./percolator.ts";
import { newScratch } from "./percolator.ts";

const MAGIC = 0x49574257; // "WBWI" read as a little-endian u32
/** Bumped whenever the layout or the meaning of any stored table changes. */
export const WATCH_INDEX_FORMAT = 1;
/** Default chunk size for `splitWatchIndex`: under Workers KV's 25 MiB value limit with room to spare. */
export const WATCH_INDEX_CHUNK_BYTES = 24 * 2 ** 20;

/** The typed arrays, in stored order. */
const TYPED = [
  "qinfo",
  "filtered",
  "bloom",
  "wordSlots",
  "prefixBloom",
  "pSlots",
  "pLen",
  "pHash",
] as const;
type TypedName = (typeof TYPED)[number];

interface Stored {
  queryCount: number;
  watchlistCount: number;
  invalid: WatchIndex["invalid"];
  sources: string[];
  orKeys: [number, string[]][];
  moreOwners: [number, number[]][];
  watchlists: [string, string, string[] | null, string[] | null][];
  wordKeys: string[];
  wordIds: Ids[];
  pStr: string[];
  pIds: Ids[];
  prefixLens: number[];
  catchAll: number[];
  bloomMask: number;
  wordMask: number;
  prefixBloomMask: number;
  pMask: number;
}

function assertLittleEndian(): void {
  if (new Uint8Array(new Uint32Array([1]).buffer)[0] !== 1)
    throw new Error("watch index snapshots need a little-endian platform");
}

const pad4 = (n: number) => (n + 3) & ~3;

/** Serialises a compiled index (from `compileWatchIndex` or `decodeWatchIndex`). */
export function encodeWatchIndex(index: WatchIndex): Uint8Array {
  assertLittleEndian();
  const ix = index._;
  const stored: Stored = {
    queryCount: index.queryCount,
    watchlistCount: index.watchlistCount,
    invalid: index.invalid,
    sources: ix.sources,
    orKeys: [],
    moreOwners: [...ix.moreOwners],
    watchlists: ix.watchlists.map((w) => [w.id, w.subscriberId, w.langs, w.sources]),
    wordKeys: ix.wordKeys,
    wordIds: ix.wordIds,
    pStr: ix.pStr,
    pIds: ix.pIds,
    prefixLens: ix.prefixLens,
    catchAll: ix.catchAll,
    bloomMask: ix.bloomMask,
    wordMask: ix.wordMask,
    prefixBloomMask: ix.prefixBloomMask,
    pMask: ix.pMask,
  };
  ix.orKeys.forEach((k, q) => {
    if (k !== undefined) stored.orKeys.push([q, k]);
  });
  const json = new TextEncoder().encode(JSON.stringify(stored));
  let size = 16 + pad4(json.length);
  for (const name of TYPED) size += 4 + pad4(ix[name].byteLength);
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, MAGIC, true);
  dv.setUint32(4, WATCH_INDEX_FORMAT, true);
  dv.setUint32(8, size, true);
  dv.setUint32(12, json.length, true);
  out.set(json, 16);
  let at = 16 + pad4(json.length);
  for (const name of TYPED) {
    const a = ix[name];
    dv.setUint32(at, a.length, true);
    out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at + 4);
    at += 4 + pad4(a.byteLength);
  }
  return out;
}

/** Rebuilds an index from `encodeWatchIndex` bytes. Throws on bytes of another format or a truncated snapshot. */
export function decodeWatchIndex(bytes: Uint8Array): WatchIndex {
  assertLittleEndian();
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 16 || dv.getUint32(0, true) !== MAGIC)
    throw new Error("not a watch index snapshot");
  const version = dv.getUint32(4, true);
  if (version !== WATCH_INDEX_FORMAT)
    throw new Error(`watch index snapshot format ${version}, expected ${WATCH_INDEX_FORMAT}`);
  if (dv.getUint32(8, true) !== bytes.byteLength)
    throw new Error(
      `watch index snapshot is ${bytes.byteLength} bytes, header says ${dv.getUint32(8, true)}`,
    );
  const jsonLen = dv.getUint32(12, true);
  const s = JSON.parse(new TextDecoder().decode(bytes.subarray(16, 16 + jsonLen))) as Stored;
  let at = 16 + pad4(jsonLen);
  const typed = {} as Record<TypedName, Int32Array | Uint8Array>;
  for (const name of TYPED) {
    const n = dv.getUint32(at, true);
    const width = name === "filtered" ? 1 : 4;
    // copied, so the arrays are aligned and independent of the input buffer
    const start = bytes.byteOffset + at + 4;
    const buf = bytes.buffer.slice(start, start + n * width);
    typed[name] = width === 1 ? new Uint8Array(buf) : new Int32Array(buf);
    at += 4 + pad4(n * width);
  }
  const orKeys: (string[] | undefined)[] = new Array(s.queryCount).fill(undefined);
  for (const [q, k] of s.orKeys) orKeys[q] = k;
  const watchlists: CompiledWatchlist[] = s.watchlists.map(
    ([id, subscriberId, langs, sources]) => ({
      id,
      subscriberId,
      langs,
      sources,
    }),
  );
  const ix: IndexInternals = {
    sources: s.sources,
    asts: new Array(s.queryCount).fill(undefined),
    termPool: new Map(),
    qinfo: typed.qinfo as Int32Array,
    moreOwners: new Map(s.moreOwners),
    orKeys,
    watchlists,
    filtered: typed.filtered as Uint8Array,
    bloom: typed.bloom as Int32Array,
    bloomMask: s.bloomMask,
    wordSlots: typed.wordSlots as Int32Array,
    wordMask: s.wordMask,
    wordKeys: s.wordKeys,
    wordIds: s.wordIds,
    prefixBloom: typed.prefixBloom as Int32Array,
    prefixBloomMask: s.prefixBloomMask,
    prefixLens: s.prefixLens,
    pSlots: typed.pSlots as Int32Array,
    pMask: s.pMask,
    pStr: s.pStr,
    pLen: typed.pLen as Int32Array,
    pHash: typed.pHash as Int32Array,
    pIds: s.pIds,
    catchAll: s.catchAll,
    scratch: newScratch(s.queryCount),
  };
  return { queryCount: s.queryCount, watchlistCount: s.watchlistCount, invalid: s.invalid, _: ix };
}

/** Cuts snapshot bytes into chunks of at most `maxBytes` (views, no copy), for one KV value each. */
export function splitWatchIndex(
  bytes: Uint8Array,
  maxBytes = WATCH_INDEX_CHUNK_BYTES,
): Uint8Array[] {
  if (!(maxBytes >= 1)) throw new Error("maxBytes must be at least 1");
  const out: Uint8Array[] = [];
  for (let at = 0; at < bytes.byteLength; at += maxBytes)
    out.push(bytes.subarray(at, Math.min(bytes.byteLength, at + maxBytes)));
  return out.length === 0 ? [bytes.subarray(0, 0)] : out;
}

/** Joins chunks (in order, as KV returns them: ArrayBuffer or Uint8Array) back into snapshot bytes. */
export function joinWatchIndex(chunks: (Uint8Array | ArrayBuffer)[]): Uint8Array {
  const parts = chunks.map((c) => (c instanceof Uint8Array ? c : new Uint8Array(c)));
  if (parts.length === 1) return parts[0] as Uint8Array;
  let size = 0;
  for (const p of parts) size += p.byteLength;
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}
