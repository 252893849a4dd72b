/** The worker role: takes ingest jobs off the queue, one catalog object each. */
import type { Verso } from "../compose/index.js";

export async function startWorker(verso: Verso) {
  const [queue, ingest] = [await verso.queue(), await verso.ingest()];
  const stopping = new AbortController();
  const subscription = queue.consume((message) => ingest.handle(message, stopping.signal), {
    prefetch: verso.config.workerConcurrency,
  });
  return {
    /** Objects in progress stop at their next commit and are queued again for another worker. */
    async stop() {
      stopping.abort();
      await subscription.stop();
    },
  };
}
