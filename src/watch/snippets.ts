/**
 * Snippets: the sentence around a hit, from the sentence spans the caller passes (the
 * text pipeline's own), cut to about MAX_SNIPPET characters around the hit. The
 * matcher never splits sentences itself: one splitter for summaries and alerts.
 */
import type { DocIndex } from "./doc.ts";

/** Longest snippet, in UTF-16 units, before it is cut around the hit. */
export const MAX_SNIPPET = 320;

/** A window of at most MAX_SNIPPET units around [hs, he) inside [s, e), cut at spaces, marked with "…". */
function cut(text: string, s: number, e: number, hs: number, he: number): string {
  if (e - s <= MAX_SNIPPET) return text.slice(s, e).trim();
  const room = Math.max(0, MAX_SNIPPET - (he - hs));
  let a = Math.max(s, hs - Math.floor(room / 2));
  let b = Math.min(e, he + (room - (hs - a)));
  if (b - a < MAX_SNIPPET) a = Math.max(s, b - MAX_SNIPPET);
  if (a > s) {
    const sp = text.indexOf(" ", a);
    if (sp >= 0 && sp < hs) a = sp + 1;
  }
  if (b < e) {
    const sp = text.lastIndexOf(" ", b);
    if (sp > he) b = sp;
  }
  return `${a > s ? "…" : ""}${text.slice(a, b).trim()}${b < e ? "…" : ""}`;
}

function sentencesOf(d: DocIndex): { start: number; end: number }[] {
  if (d.sentences === null) {
    const given = d.doc.sentences;
    // Without spans (a caller outside the pipeline) the whole text is one sentence; the
    // pipeline's come in order, so they are sorted only when they are not.
    d.sentences =
      Array.isArray(given) && given.length > 0
        ? inOrder(given)
          ? given
          : given.slice().sort((a, b) => a.start - b.start)
        : [{ start: 0, end: d.fields[1].text.length }];
  }
  return d.sentences;
}

function inOrder(spans: { start: number }[]): boolean {
  for (let i = 1; i < spans.length; i++)
    if ((spans[i] as { start: number }).start < (spans[i - 1] as { start: number }).start)
      return false;
  return true;
}

/** The snippet for the hit [hs, he) of field `fi` (0 title: the title itself, cut; 1 text: its sentence). */
export function snippet(d: DocIndex, fi: number, hs: number, he: number): string {
  const text = fi === 0 ? d.fields[0].text : d.fields[1].text;
  if (fi === 0) return cut(text, 0, text.length, hs, he);
  const ss = sentencesOf(d);
  // last sentence starting at or before the hit
  let lo = 0;
  let hi = ss.length - 1;
  let at = -1;
  while (lo <= hi) {
    const m = (lo + hi) >>> 1;
    if ((ss[m] as { start: number }).start <= hs) {
      at = m;
      lo = m + 1;
    } else hi = m - 1;
  }
  let s = hs;
  let e = he;
  let single = false;
  if (at >= 0) {
    const sent = ss[at] as { start: number; end: number };
    if (sent.end > hs) {
      s = sent.start;
      e = Math.max(e, sent.end);
      single = he <= sent.end;
    }
    // a hit running into later sentences takes them too
    for (let k = at + 1; k < ss.length && (ss[k] as { start: number }).start < he; k++) {
      e = Math.max(e, (ss[k] as { end: number }).end);
    }
  }
  s = Math.max(0, Math.min(s, hs));
  e = Math.min(text.length, Math.max(e, he));
  // Short sentences are shared by all their hits.
  if (single && e - s <= MAX_SNIPPET) {
    let sn = d.snippets.get(at);
    if (sn === undefined) {
      sn = text.slice(s, e).trim();
      d.snippets.set(at, sn);
    }
    return sn;
  }
  return cut(text, s, e, hs, he);
}
