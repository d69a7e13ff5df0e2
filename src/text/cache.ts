/**
 * Per-document memo of sentence tokens and term ids, so the summariser and keywords
 * tokenise an article once. Keyed weakly on the sentence array: nothing is stored on
 * the Document and a new array (a re-prepared document) gets fresh tokens.
 *
 * Tokens are stored flat (one entry per token, in article order); the tokens of
 * sentence `si` are `sentTok[si] .. sentTok[si + 1]`.
 */
import type { SentenceSpan } from "./sentences.ts";
import type { TermInfo, TokenBuffer } from "./tokens.ts";
import { scanTokens, stemNumberCount, trimMemos } from "./tokens.ts";

export interface DocTerms {
  /** UTF-16 offsets of each token in the document text. */
  start: number[];
  end: number[];
  /** Term id of each token (-1 for stopwords). */
  id: Int32Array;
  /** 1 when the token is all digits. */
  num: Uint8Array;
  /** First token of each sentence, plus the total token count at the end. */
  sentTok: Int32Array;
  /** Stem of each term id. */
  stems: string[];
  /** Stem → term id: built on first use by `termIdOf`. */
  idOf: Map<string, number> | null;
  /** Occurrences of each term id in the article. */
  tf: number[];
  /** Index of the sentence where each term id first appears. */
  first: number[];
}

interface Entry {
  text: string;
  lang: string;
  terms: DocTerms;
}

const memo = new WeakMap<SentenceSpan[], Entry>();
// Stem number → term id in the current document, valid where stampGen equals the
// document's generation (so the arrays never need clearing).
let generation = 0;
let stampGen = new Int32Array(4096);
let stampId = new Int32Array(4096);

/** Stem → term id of a document. */
export function termIdOf(terms: DocTerms): Map<string, number> {
  if (terms.idOf === null) {
    const m = new Map<string, number>();
    for (let id = 0; id < terms.stems.length; id++) m.set(terms.stems[id] as string, id);
    terms.idOf = m;
  }
  return terms.idOf;
}

/** Tokens and term ids of each sentence of a document (memoised per document). */
export function docTerms(doc: { text: string; lang: string; sentences: SentenceSpan[] }): DocTerms {
  const hit = memo.get(doc.sentences);
  if (hit !== undefined && hit.text === doc.text && hit.lang === doc.lang) return hit.terms;
  const n = doc.sentences.length;
  trimMemos();
  const buf: TokenBuffer = { start: [], end: [], info: [] };
  const sentTok = new Int32Array(n + 1);
  for (let si = 0; si < n; si++) {
    const s = doc.sentences[si] as SentenceSpan;
    sentTok[si] = buf.info.length;
    scanTokens(doc.text, doc.lang, s.start, s.end, buf);
  }
  const total = buf.info.length;
  sentTok[n] = total;
  const gen = ++generation;
  const stemCount = stemNumberCount();
  if (stemCount > stampGen.length) {
    let size = stampGen.length;
    while (size < stemCount) size *= 2;
    const g = new Int32Array(size);
    g.set(stampGen);
    const d = new Int32Array(size);
    d.set(stampId);
    stampGen = g;
    stampId = d;
  }
  const sg = stampGen;
  const sd = stampId;
  const stems: string[] = [];
  const tf: number[] = [];
  const first: number[] = [];
  const id = new Int32Array(total);
  const num = new Uint8Array(total);
  let si = 0;
  for (let k = 0; k < total; k++) {
    while (k >= (sentTok[si + 1] as number)) si++;
    const t = buf.info[k] as TermInfo;
    if (t.num) num[k] = 1;
    if (t.stop) {
      id[k] = -1;
      continue;
    }
    const no = t.stemNo;
    let x: number;
    if (sg[no] === gen) x = sd[no] as number;
    else {
      x = stems.length;
      stems.push(t.stem);
      tf.push(0);
      first.push(si);
      sg[no] = gen;
      sd[no] = x;
    }
    tf[x] = (tf[x] as number) + 1;
    id[k] = x;
  }
  const terms: DocTerms = {
    start: buf.start,
    end: buf.end,
    id,
    num,
    sentTok,
    stems,
    idOf: null,
    tf,
    first,
  };
  memo.set(doc.sentences, { text: doc.text, lang: doc.lang, terms });
  return terms;
}
