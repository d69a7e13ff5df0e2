/**
 * Snowball stemmers per language (@orama/stemmers), memoised. Languages without a
 * stemmer get the lower-cased word back.
 */
import { stemmer as ar } from "@orama/stemmers/arabic";
import { stemmer as nl } from "@orama/stemmers/dutch";
import { stemmer as en } from "@orama/stemmers/english";
import { stemmer as fr } from "@orama/stemmers/french";
import { stemmer as de } from "@orama/stemmers/german";
import { stemmer as it } from "@orama/stemmers/italian";
import { stemmer as pt } from "@orama/stemmers/portuguese";
import { stemmer as ru } from "@orama/stemmers/russian";
import { stemmer as es } from "@orama/stemmers/spanish";

const STEMMERS: Record<string, (w: string) => string> = { ar, de, en, es, fr, it, nl, pt, ru };
const MAX_MEMO = 50_000;
const memos = new Map<string, Map<string, string>>();

/** Stem a lower-cased (and for Arabic, normalised) word; never throws. */
export function stem(word: string, lang: string): string {
  const fn = STEMMERS[lang];
  if (fn === undefined) return word;
  let memo = memos.get(lang);
  if (memo === undefined) {
    memo = new Map();
    memos.set(lang, memo);
  }
  const hit = memo.get(word);
  if (hit !== undefined) return hit;
  let out: string;
  try {
    out = word.length > 64 ? word : fn(word);
    if (typeof out !== "string" || out.length === 0) out = word;
  } catch {
    out = word;
  }
  if (memo.size >= MAX_MEMO) memo.clear();
  memo.set(word, out);
  return out;
}
