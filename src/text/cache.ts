/**
 * Per-document memo of sentence tokens and term ids, so the summariser and keywords
 * tokenise an article once. Keyed weakly on the sentence array: nothing is stored on
 * the Document and a new array (a re-prepared document) gets fresh tokens.
 */
import type { SentenceSpan } from "./sentences.ts";
import type { Token } from "./tokens.ts";
import { tokenize } from "./tokens.ts";

export interface DocTerms {
  /** Tokens of each sentence. */
  tokens: Token[][];
  /** Per sentence, the term id of each token (-1 for stopwords). */
  ids: number[][];
  /** Stem of each term id. */
  stems: string[];
  /** Stem → term id. */
  idOf: Map<string, number>;
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

/** Tokens and term ids of each sentence of a document (memoised per document). */
export function docTerms(doc: { text: string; lang: string; sentences: SentenceSpan[] }): DocTerms {
  const hit = memo.get(doc.sentences);
  if (hit !== undefined && hit.text === doc.text && hit.lang === doc.lang) return hit.terms;
  const idOf = new Map<string, number>();
  const stems: string[] = [];
  const tf: number[] = [];
  const first: number[] = [];
  const tokens: Token[][] = [];
  const ids: number[][] = [];
  for (let si = 0; si < doc.sentences.length; si++) {
    const s = doc.sentences[si] as SentenceSpan;
    const toks = tokenize(doc.text, doc.lang, s.start, s.end);
    const row: number[] = [];
    for (let k = 0; k < toks.length; k++) {
      const t = toks[k] as Token;
      if (t.stop) {
        row.push(-1);
        continue;
      }
      let id = idOf.get(t.stem);
      if (id === undefined) {
        id = stems.length;
        idOf.set(t.stem, id);
        stems.push(t.stem);
        tf.push(0);
        first.push(si);
      }
      tf[id] = (tf[id] ?? 0) + 1;
      row.push(id);
    }
    tokens.push(toks);
    ids.push(row);
  }
  const terms: DocTerms = { tokens, ids, stems, idOf, tf, first };
  memo.set(doc.sentences, { text: doc.text, lang: doc.lang, terms });
  return terms;
}
