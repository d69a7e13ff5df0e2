/**
 * Per-document memo of sentence tokens, so the summariser and keywords tokenise an
 * article once. Keyed weakly on the sentence array: nothing is stored on the Document
 * and a new array (a re-prepared document) gets fresh tokens.
 */
import type { SentenceSpan } from "./sentences.ts";
import { tokenize } from "./tokens.ts";
import type { Token } from "./tokens.ts";

const memo = new WeakMap<SentenceSpan[], { text: string; lang: string; tokens: Token[][] }>();

/** Tokens of each sentence of a document. */
export function sentenceTokens(doc: { text: string; lang: string; sentences: SentenceSpan[] }): Token[][] {
  const hit = memo.get(doc.sentences);
  if (hit !== undefined && hit.text === doc.text && hit.lang === doc.lang) return hit.tokens;
  const tokens = doc.sentences.map((s) => tokenize(doc.text, doc.lang, s.start, s.end));
  memo.set(doc.sentences, { text: doc.text, lang: doc.lang, tokens });
  return tokens;
}
