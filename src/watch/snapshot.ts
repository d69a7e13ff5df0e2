/**
 * The compiled watch index as bytes, so one build serves every isolate: an isolate
 * loads it with a few KV gets and `decodeWatchIndex` instead of compiling (compiling
 * parses every query; decoding copies typed arrays and slices strings out of two texts).
 *
 * Layout (little-endian; every Workers and Node platform is):
 *   "WBWI"  u32 format version  u32 total bytes  u32 JSON bytes  JSON (UTF-8)  pad to 4
 *   then per section, in SECTIONS order: u32 element count, the elements, pad to 4.
 * The JSON holds only scalars and the (rare) invalid queries. Every other string is
 * stored once in a table, the ASCII strings first: `ascii` is those joined (one byte a
 * character), `wide` the others joined as UTF-16LE code units (exact for any JS string,
 * and decoding it is a copy, where UTF-8 with non-ASCII text decodes several times
 * slower), `*Ends` where each string ends in its text. The structures refer to strings
 * by table index and hold id lists as flat int32 runs, so a decode is two TextDecoder
 * calls, slices and loops over typed arrays instead of a JSON.parse of every string
 * and list (whose cost was mostly strings and the garbage they leave). The hash tables
 * and per-query slots are stored as they are. Query trees are not stored: a decoded
 * index parses a query the first time it is a candidate (parsing is deterministic, so
 * it answers exactly like the compiled one).
 */
import type { CompiledWatchlist, Ids, IndexInternals, WatchIndex } from "./percolator.ts";
import { subscriberNumbers } from "./percolator.ts";

const MAGIC = 0x49574257; // "WBWI" read as a little-endian u32
/** Bumped whenever the layout or the meaning of any stored table changes. */
export const WATCH_INDEX_FORMAT = 3;
/** Default chunk size for `splitWatchIndex`: under Workers KV's 25 MiB value limit with room to spare. */
export const WATCH_INDEX_CHUNK_BYTES = 24 * 2 ** 20;

/** The index's own typed arrays, stored and decoded as they are. */
const TABLES = [
  "qinfo",
  "filtered",
  "bloom",
  "wordSlots",
  "prefixBloom",
  "pSlots",
  "pLen",
  "pHash",
] as const;
type TableName = (typeof TABLES)[number];

/**
 * Every section, in stored order; all int32 but `filtered`, `ascii` and `wide` (bytes).
 *   ascii, asciiEnds, wide, wideEnds   the string table (see the top of the file)
 *   sources, wordKeys, pStr   per entry, a string index
 *   wordIds, pIds    per entry, a query id (>= 0) or ~at: the list at idLists[at] (its length, then its ids)
 *   catchAll         query ids
 *   moreOwners       per shared query: its id, the list's length, the (watchlist, ordinal) pairs
 *   orKeys           per OR-keys query: its id, the key count, the keys' word table entries
 *   watchlists       per watchlist: id and subscriber string indexes, then langs and then
 *                    sources, each as a count (-1: null) and string indexes
 */
const SECTIONS = [
  ...TABLES,
  "ascii",
  "asciiEnds",
  "wide",
  "wideEnds",
  "sources",
  "wordKeys",
  "wordIds",
  "pStr",
  "pIds",
  "idLists",
  "catchAll",
  "moreOwners",
  "orKeys",
  "watchlists",
] as const;
type SectionName = (typeof SECTIONS)[number];
const BYTE_SECTIONS: ReadonlySet<SectionName> = new Set(["filtered", "ascii", "wide"]);

interface Header {
  queryCount: number;
  watchlistCount: number;
  invalid: WatchIndex["invalid"];
  prefixLens: number[];
  bloomMask: number;
  wordMask: number;
  prefixBloomMask: number;
  pMask: number;
  /** `wide` holds a lone surrogate, which TextDecoder would replace. */
  loneSurrogates: boolean;
}

function assertLittleEndian(): void {
  if (new Uint8Array(new Uint32Array([1]).buffer)[0] !== 1)
    throw new Error("watch index snapshots need a little-endian platform");
}

const pad4 = (n: number) => (n + 3) & ~3;
/** A lone surrogate (in a `u` regex a valid pair is one code point, not `Cs`). */
const LONE_SURROGATE = /\p{Cs}/u;
const ASCII = /^[\0-\x7f]*$/;

/** The index's distinct strings, in first-use order: the ASCII ones, then the others. */
class StringTable {
  readonly ascii: string[] = [];
  readonly wide: string[] = [];
  private readonly seen = new Set<string>();
  private index: Map<string, number> | null = null;

  /** Collects a string; every `add` comes before the first `ref`. */
  add(s: string): void {
    if (this.index !== null) throw new Error("StringTable: add after ref");
    if (this.seen.has(s)) return;
    this.seen.add(s);
    (ASCII.test(s) ? this.ascii : this.wide).push(s);
  }

  /** A collected string's table index. */
  ref(s: string): number {
    if (this.index === null) {
      this.index = new Map();
      for (const t of this.ascii) this.index.set(t, this.index.size);
      for (const t of this.wide) this.index.set(t, this.index.size);
    }
    const i = this.index.get(s);
    if (i === undefined) throw new Error("StringTable: string not added");
    return i;
  }
}

/** Where each string ends in their concatenation. */
function endsOf(strings: string[]): Int32Array {
  const ends = new Int32Array(strings.length);
  let end = 0;
  strings.forEach((s, i) => {
    end += s.length;
    ends[i] = end;
  });
  return ends;
}

/** Appends `xs` (a loop: spreading a long list would overflow the stack). */
function pushAll(out: number[], xs: readonly number[]): void {
  for (const x of xs) out.push(x);
}

/** Ids as one int32: a query id, or ~at of the list appended to `lists`. */
function idsRef(ids: Ids, lists: number[]): number {
  if (typeof ids === "number") return ids;
  const at = lists.length;
  lists.push(ids.length);
  pushAll(lists, ids);
  return ~at;
}

/** Serialises a compiled index (from `compileWatchIndex` or `decodeWatchIndex`). */
export function encodeWatchIndex(index: WatchIndex): Uint8Array {
  assertLittleEndian();
  const ix = index._;
  const table = new StringTable();
  for (const list of [ix.sources, ix.wordKeys, ix.pStr]) for (const s of list) table.add(s);
  for (const w of ix.watchlists)
    for (const s of [w.id, w.subscriberId, ...(w.langs ?? []), ...(w.sources ?? [])]) table.add(s);
  const refs = (ss: string[]) => Int32Array.from(ss, (s) => table.ref(s));
  const idLists: number[] = [];
  const moreOwners: number[] = [];
  for (const [q, pairs] of ix.moreOwners) {
    moreOwners.push(q, pairs.length);
    pushAll(moreOwners, pairs);
  }
  const orKeys: number[] = [];
  ix.orKeys.forEach((k, q) => {
    if (k === undefined) return;
    orKeys.push(q, k.length);
    pushAll(orKeys, k);
  });
  const watchlists: number[] = [];
  const optional = (ss: string[] | null) => {
    if (ss === null) watchlists.push(-1);
    else {
      watchlists.push(ss.length);
      pushAll(
        watchlists,
        ss.map((s) => table.ref(s)),
      );
    }
  };
  for (const w of ix.watchlists) {
    watchlists.push(table.ref(w.id), table.ref(w.subscriberId));
    optional(w.langs);
    optional(w.sources);
  }
  const wide = table.wide.join("");
  const all: Record<SectionName, Int32Array | Uint8Array> = {
    qinfo: ix.qinfo,
    filtered: ix.filtered,
    bloom: ix.bloom,
    wordSlots: ix.wordSlots,
    prefixBloom: ix.prefixBloom,
    pSlots: ix.pSlots,
    pLen: ix.pLen,
    pHash: ix.pHash,
    sources: refs(ix.sources),
    wordKeys: refs(ix.wordKeys),
    wordIds: Int32Array.from(ix.wordIds, (ids) => idsRef(ids, idLists)),
    pStr: refs(ix.pStr),
    pIds: Int32Array.from(ix.pIds, (ids) => idsRef(ids, idLists)),
    idLists: Int32Array.from(idLists),
    catchAll: Int32Array.from(ix.catchAll),
    moreOwners: Int32Array.from(moreOwners),
    orKeys: Int32Array.from(orKeys),
    watchlists: Int32Array.from(watchlists),
    ascii: new TextEncoder().encode(table.ascii.join("")),
    asciiEnds: endsOf(table.ascii),
    wide: utf16le(wide),
    wideEnds: endsOf(table.wide),
  };
  const header: Header = {
    queryCount: index.queryCount,
    watchlistCount: index.watchlistCount,
    invalid: index.invalid,
    prefixLens: ix.prefixLens,
    bloomMask: ix.bloomMask,
    wordMask: ix.wordMask,
    prefixBloomMask: ix.prefixBloomMask,
    pMask: ix.pMask,
    loneSurrogates: LONE_SURROGATE.test(wide),
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  let size = 16 + pad4(json.length);
  for (const name of SECTIONS) size += 4 + pad4(all[name].byteLength);
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, MAGIC, true);
  dv.setUint32(4, WATCH_INDEX_FORMAT, true);
  dv.setUint32(8, size, true);
  dv.setUint32(12, json.length, true);
  out.set(json, 16);
  let at = 16 + pad4(json.length);
  for (const name of SECTIONS) {
    const a = all[name];
    dv.setUint32(at, a.length, true);
    out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at + 4);
    at += 4 + pad4(a.byteLength);
  }
  return out;
}

/** `s`'s UTF-16 code units as bytes, little-endian (the platform's order: see assertLittleEndian). */
function utf16le(s: string): Uint8Array {
  const units = new Uint16Array(s.length);
  for (let i = 0; i < s.length; i++) units[i] = s.charCodeAt(i);
  return new Uint8Array(units.buffer);
}

/** The joined wide strings back from their UTF-16LE bytes (4-aligned in their buffer). */
function decodeWide(bytes: Uint8Array, loneSurrogates: boolean): string {
  // ignoreBOM: a first string starting with U+FEFF keeps it
  if (!loneSurrogates)
    return new TextDecoder("utf-16le", { fatal: false, ignoreBOM: true }).decode(bytes);
  const units = new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >>> 1);
  const parts: string[] = [];
  for (let i = 0; i < units.length; i += 8192)
    parts.push(String.fromCharCode(...units.subarray(i, i + 8192)));
  return parts.join("");
}

// The decode loops below are module functions, not closures in decodeWatchIndex, so their
// optimised code outlives one decode. Arrays are sized up front: growing them by push
// copies them and leaves garbage. Ranges, not subarrays: a view per entry costs more
// than the copy.

/** Puts the strings joined in `text`, ending at `ends`, into `out` from `at`. */
function sliceInto(out: string[], at: number, text: string, ends: Int32Array): void {
  for (let i = 0, start = 0; i < ends.length; i++) {
    const end = ends[i] as number;
    out[at + i] = text.slice(start, end);
    start = end;
  }
}

/** The strings whose table indexes are `refs[from..to)`. */
function stringsAt(strings: string[], refs: Int32Array, from: number, to: number): string[] {
  const out: string[] = new Array(to - from);
  for (let i = from; i < to; i++) out[i - from] = strings[refs[i] as number] as string;
  return out;
}

function intsAt(a: Int32Array, from: number, to: number): number[] {
  const out: number[] = new Array(to - from);
  for (let i = from; i < to; i++) out[i - from] = a[i] as number;
  return out;
}

/** Ids from their int32 form (see `idsRef`). */
function idsAt(refs: Int32Array, idLists: Int32Array): Ids[] {
  const out: Ids[] = new Array(refs.length);
  for (let i = 0; i < refs.length; i++) {
    const r = refs[i] as number;
    out[i] = r >= 0 ? r : intsAt(idLists, ~r + 1, ~r + 1 + (idLists[~r] as number));
  }
  return out;
}

/** Rebuilds an index from `encodeWatchIndex` bytes. Throws on bytes of another format or a truncated snapshot. */
export function decodeWatchIndex(input: Uint8Array): WatchIndex {
  assertLittleEndian();
  // int32 views need 4-aligned offsets: copy the rare unaligned input once
  const bytes = input.byteOffset % 4 === 0 ? input : input.slice();
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
  const h = JSON.parse(new TextDecoder().decode(bytes.subarray(16, 16 + jsonLen))) as Header;
  let at = 16 + pad4(jsonLen);
  // views into `bytes`; the index's own tables are copied below
  const s = {} as Record<SectionName, Int32Array | Uint8Array>;
  for (const name of SECTIONS) {
    const n = dv.getUint32(at, true);
    const width = BYTE_SECTIONS.has(name) ? 1 : 4;
    const start = bytes.byteOffset + at + 4;
    if (at + 4 + n * width > bytes.byteLength) throw new Error("watch index snapshot is truncated");
    s[name] =
      width === 1 ? new Uint8Array(bytes.buffer, start, n) : new Int32Array(bytes.buffer, start, n);
    at += 4 + pad4(n * width);
  }
  const ints = (name: SectionName) => s[name] as Int32Array;
  // copied, so the index is independent of the input buffer
  const own = (name: TableName) => s[name].slice();

  const asciiEnds = ints("asciiEnds");
  const wideEnds = ints("wideEnds");
  const strings: string[] = new Array(asciiEnds.length + wideEnds.length);
  sliceInto(strings, 0, new TextDecoder().decode(s.ascii), asciiEnds);
  const wide = decodeWide(s.wide as Uint8Array, h.loneSurrogates);
  sliceInto(strings, asciiEnds.length, wide, wideEnds);
  const stringsOf = (refs: Int32Array, from = 0, to = refs.length) =>
    stringsAt(strings, refs, from, to);
  const idLists = ints("idLists");

  const moreOwners = new Map<number, number[]>();
  const mo = ints("moreOwners");
  for (let i = 0; i < mo.length; ) {
    const q = mo[i] as number;
    const n = mo[i + 1] as number;
    moreOwners.set(q, intsAt(mo, i + 2, i + 2 + n));
    i += 2 + n;
  }
  const orKeys: (number[] | undefined)[] = new Array(h.queryCount).fill(undefined);
  const ok = ints("orKeys");
  for (let i = 0; i < ok.length; ) {
    const n = ok[i + 1] as number;
    orKeys[ok[i] as number] = intsAt(ok, i + 2, i + 2 + n);
    i += 2 + n;
  }
  const watchlists: CompiledWatchlist[] = [];
  const wl = ints("watchlists");
  for (let i = 0; i < wl.length; ) {
    const id = strings[wl[i] as number] as string;
    const subscriberId = strings[wl[i + 1] as number] as string;
    i += 2;
    const nLangs = wl[i] as number;
    const langs = nLangs < 0 ? null : stringsOf(wl, i + 1, i + 1 + nLangs);
    i += 1 + Math.max(0, nLangs);
    const nSources = wl[i] as number;
    const sources = nSources < 0 ? null : stringsOf(wl, i + 1, i + 1 + nSources);
    i += 1 + Math.max(0, nSources);
    watchlists.push({ id, subscriberId, langs, sources });
  }

  const subscriberOf = subscriberNumbers(watchlists);
  const wordKeys = stringsOf(ints("wordKeys"));
  const ix: IndexInternals = {
    sources: stringsOf(ints("sources")),
    asts: new Array(h.queryCount).fill(undefined),
    termPool: new Map(),
    qinfo: own("qinfo") as Int32Array,
    moreOwners,
    orKeys,
    watchlists,
    filtered: own("filtered") as Uint8Array,
    bloom: own("bloom") as Int32Array,
    bloomMask: h.bloomMask,
    wordSlots: own("wordSlots") as Int32Array,
    wordMask: h.wordMask,
    wordKeys,
    wordIds: idsAt(ints("wordIds"), idLists),
    prefixBloom: own("prefixBloom") as Int32Array,
    prefixBloomMask: h.prefixBloomMask,
    prefixLens: h.prefixLens,
    pSlots: own("pSlots") as Int32Array,
    pMask: h.pMask,
    pStr: stringsOf(ints("pStr")),
    pLen: own("pLen") as Int32Array,
    pHash: own("pHash") as Int32Array,
    pIds: idsAt(ints("pIds"), idLists),
    catchAll: Array.from(ints("catchAll")),
    subscriberOf,
    scratches: [],
  };
  return { queryCount: h.queryCount, watchlistCount: h.watchlistCount, invalid: h.invalid, _: ix };
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
