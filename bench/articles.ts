/**
 * Articles the benchmarks share (pure: runs in Node and inside workerd).
 */

/** Words of a text, as the benchmarks count them. */
export function words(s: string): number {
  return s.match(/[\p{L}\p{M}\p{N}]+/gu)?.length ?? 0;
}

/**
 * The benchmarks' seeded linear congruential generator (the C library's constants): each
 * call gives the next state, an integer in [0, 2^31).
 */
export function lcg(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state;
  };
}

/** A long English article: fixture sentences in a seeded shuffled order until 5,000 words. */
export function longArticle(en: string): string {
  const body = en.replace(/^[^\n]*?--\s*/, "");
  const sentences = body
    .split(/(?<=[.!?]["”]?)\s+/)
    .filter((s) => /\p{L}/u.test(s) && !/^(Share|Read more)/.test(s));
  const next = lcg(42);
  const rand = (): number => next() / 0x7fffffff;
  const paras: string[] = [];
  let total = 0;
  let k = 0;
  while (total < 5000) {
    const para: string[] = [];
    for (let i = 0; i < 4; i++) {
      const s = sentences[Math.floor(rand() * sentences.length)] ?? "";
      // Vary the numbers so sentences are not exact copies.
      para.push(s.replace(/\d+/g, (d) => String(Number(d) + (k++ % 97))));
      total += words(s);
    }
    paras.push(para.join(" "));
  }
  return `BEIJING, Jan. 26 (Xinhua) -- ${paras.join("\n\n")}`;
}
