/**
 * Long CPU work on a request shares its isolate with every other request (a `/healthz`,
 * another ingest waiting on I/O): JavaScript runs one thing at a time, so work done in
 * one go holds them all. Pausing between steps lets them run.
 */

/**
 * Article text (UTF-16 units) from which an ingest pauses between its CPU steps: about
 * 20,000 words, some 20-30 ms of CPU in steps of ~5 ms (a 1 MiB article: ~250 ms). A
 * shorter one holds the isolate less than that, and pauses would only add latency.
 */
const LONG_ARTICLE_CHARS = 128 * 1024;

/** Whether an article (its text, or else its HTML) is long enough to pause between CPU steps. */
export function isLongArticle(input: { text?: string; html?: string }): boolean {
  return (input.text ?? input.html ?? "").length >= LONG_ARTICLE_CHARS;
}

/**
 * Resolves after a millisecond's pause. A zero timer resumes before a request waiting on
 * its socket has made its way to a handler (under `wrangler dev` it passes a proxy
 * first), so it would wait out several steps instead of one.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 1));
}

/** Runs a generator's steps to its result, pausing between them when `pause`. */
export async function runInSteps<T>(steps: Generator<void, T>, pause = true): Promise<T> {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (pause) await yieldToEventLoop();
  }
}
