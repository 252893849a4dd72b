/**
 * A consumer process for queue.sql.test.ts to SIGKILL: it takes one job, says so on stdout,
 * and holds it for ever, heartbeating, as a worker in the middle of a large object would.
 * Usage: node --import tsx queue.sql-consumer.ts <database URL> <queue> <lease seconds>
 */
import { createSqlQueue } from "../../src/adapters/queue/sql-queue.js";
import { openDatabase } from "../../src/adapters/sql/database.js";

const [url, queueName, leaseSeconds] = process.argv.slice(2);
if (!url || !queueName || !leaseSeconds)
  throw new Error("usage: queue.sql-consumer.ts <database URL> <queue> <lease seconds>");

const database = await openDatabase(url);
const queue = createSqlQueue<{ n: number }>(database, {
  queue: queueName,
  leaseSeconds: Number(leaseSeconds),
  pollIntervalMs: 20,
  owner: "doomed",
});
queue.consume(
  async (message) => {
    process.stdout.write(`started ${message.id} ${message.attempt}\n`);
    await new Promise(() => {});
  },
  { prefetch: 1 },
);
