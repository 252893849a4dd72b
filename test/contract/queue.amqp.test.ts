/**
 * The queue contract and the RabbitMQ adapter's own promises, against the real broker
 * (testServers.rabbitmq). Every queue a test declares has a unique name and is deleted after it.
 * Each handle reaches the broker through its own relay (queue.amqp-proxy.ts), so a test can cut
 * one handle off the network, as a killed worker or a broker outage looks, without touching
 * the broker that other test runs share.
 */
import { createAmqpQueue } from "../../src/adapters/queue/amqp-queue.js";
import type { JobQueue } from "../../src/core/ports.js";
import { testServers, uniqueName } from "../support/servers.js";
import { openBrokerAdmin } from "./queue.amqp-broker.js";
import { startRelay, type BrokerRelay } from "./queue.amqp-proxy.js";
import { describeQueueContract, type TestJob } from "./queue.contract.js";

describeQueueContract("RabbitMQ quorum queues", async (settings) => {
  const options = {
    queue: uniqueName("verso_contract"),
    maxAttempts: settings.maxAttempts,
    retryDelayMs: settings.retryDelayMs,
  };
  const connections: Array<{
    queue: JobQueue<TestJob>;
    relay: BrokerRelay;
    errors: Error[];
    killed: boolean;
  }> = [];
  return {
    async connect() {
      const relay = await startRelay(testServers.rabbitmq);
      const errors: Error[] = [];
      const queue = await createAmqpQueue<TestJob>({
        ...options,
        url: relay.url,
        reconnectDelayMs: 50,
        maxReconnectDelayMs: 500,
        connectionName: `${options.queue}_${connections.length + 1}`,
        onError: (error) => errors.push(error),
      });
      connections.push({ queue, relay, errors, killed: false });
      return queue;
    },
    async kill(queue) {
      const connection = connections.find((c) => c.queue === queue);
      if (!connection) throw new Error("not a connection of this harness");
      // Its sockets vanish without a goodbye, and it cannot come back: the broker sees a dead
      // client and puts its unacknowledged messages back at once.
      connection.killed = true;
      await connection.relay.cut();
    },
    async close() {
      for (const connection of connections) {
        await connection.queue.close();
        await connection.relay.close();
      }
      const admin = await openBrokerAdmin();
      try {
        await admin.deleteQueues(options);
      } finally {
        await admin.close();
      }
      const unexpected = connections.filter((c) => !c.killed).flatMap((c) => c.errors);
      if (unexpected.length > 0)
        throw new AggregateError(unexpected, "background errors in live connections");
    },
  };
});
