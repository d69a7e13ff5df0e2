/**
 * Long CPU work on a request shares its isolate with every other request (a `/healthz`,
 * another ingest waiting on I/O): JavaScript runs one thing at a time, so work done in
 * one go holds them all. Awaiting a timer between steps lets them run.
 */

/** Resolves on a later turn of the event loop, after requests already waiting have run. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Runs a generator's steps to its result, yielding to the event loop between steps. */
export async function runInSteps<T>(steps: Generator<void, T>): Promise<T> {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await yieldToEventLoop();
  }
}
