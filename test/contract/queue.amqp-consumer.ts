/**
 * A worker process for queue.amqp.test.ts to SIGKILL: it takes one message, says so on stdout,
 * and holds it for ever, as a worker in the middle of a large object would.
 * Usage: node --import tsx queue.amqp-consumer.ts <amqp url> <queue>
 */
import { createAmqpQueue } from "../../src/adapters/queue/amqp-queue.js";

const [url, queueName] = process.argv.slice(2);
if (!url || !queueName) throw new Error("usage: queue.amqp-consumer.ts <amqp url> <queue>");

const queue = await createAmqpQueue<{ n: number }>({ url, queue: queueName, retryDelayMs: 20 });
queue.consume(
  async (message) => {
    process.stdout.write(`started ${message.id} ${message.attempt}\n`);
    await new Promise(() => {});
  },
  { prefetch: 1 },
);
