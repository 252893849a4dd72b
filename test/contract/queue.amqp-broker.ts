/**
 * What the AMQP tests do to the shared broker besides going through the adapter: look into
 * queues with an administrative connection of their own, delete what a test declared, and
 * act from the broker's side (close one named connection, set a policy on one queue) with
 * rabbitmqctl. Everything is addressed by the unique names the tests create, so other
 * engineers' queues and connections are never touched.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { connect, type Channel, type ChannelModel, type GetMessage } from "amqplib";
import { amqpQueueNames, type AmqpQueueOptions } from "../../src/adapters/queue/amqp-queue.js";
import { testServers } from "../support/servers.js";

const run = promisify(execFile);

export interface BrokerAdmin {
  /** Ready messages of a queue. */
  count(queue: string): Promise<number>;
  /** Takes the next message of a queue, or undefined when it is empty. */
  take(queue: string): Promise<GetMessage | undefined>;
  declareQueue(queue: string, args: Record<string, unknown>): Promise<void>;
  /** Publishes bytes as they are, confirmed, as a foreign publisher would. */
  publishRaw(queue: string, content: Buffer): Promise<void>;
  /** Deletes every queue of a JobQueue with these options. */
  deleteQueues(
    options: Pick<AmqpQueueOptions, "queue" | "maxAttempts" | "retryDelayMs" | "maxRetryDelayMs">,
  ): Promise<void>;
  close(): Promise<void>;
}

export async function openBrokerAdmin(): Promise<BrokerAdmin> {
  const model: ChannelModel = await connect(testServers.rabbitmq);
  model.on("error", () => {});
  let channel: Channel | undefined;
  const confirming = await model.createConfirmChannel();
  confirming.on("error", () => {});
  // A failed passive declaration closes its channel; the next call opens another.
  const use = async <R>(work: (channel: Channel) => Promise<R>): Promise<R> => {
    if (!channel) {
      const opened = await model.createChannel();
      opened.on("error", () => {});
      opened.on("close", () => {
        if (channel === opened) channel = undefined;
      });
      channel = opened;
    }
    return work(channel);
  };
  return {
    count: (queue) => use(async (c) => (await c.checkQueue(queue)).messageCount),
    take: (queue) => use(async (c) => (await c.get(queue, { noAck: true })) || undefined),
    declareQueue: (queue, args) =>
      use(async (c) => {
        await c.assertQueue(queue, { durable: true, arguments: args });
      }),
    publishRaw: (queue, content) =>
      new Promise((resolve, reject) =>
        confirming.sendToQueue(queue, content, { persistent: true }, (error: unknown) =>
          error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(),
        ),
      ),
    async deleteQueues(options) {
      const names = amqpQueueNames(options);
      for (const queue of [names.main, names.dead, ...names.delays]) await use((c) => c.deleteQueue(queue));
    },
    close: () => model.close().catch(() => {}),
  };
}

/** Closes, from the broker's side, the connection whose client gave this connection_name. */
export async function closeConnectionFromBroker(connectionName: string): Promise<void> {
  const { stdout } = await run("rabbitmqctl", [
    "-q",
    "list_connections",
    "--no-table-headers",
    "pid",
    "client_properties",
  ]);
  const line = stdout.split("\n").find((l) => l.includes(`{"connection_name","${connectionName}"}`));
  const pid = line?.split("\t")[0];
  if (!pid) throw new Error(`the broker has no connection named ${connectionName}`);
  await run("rabbitmqctl", ["-q", "close_connection", pid, "closed by a Verso test"]);
}

/** A policy that applies to this one queue only; returns its removal. */
export async function setQueuePolicy(
  queue: string,
  definition: Record<string, unknown>,
): Promise<() => Promise<void>> {
  const name = `${queue}_policy`;
  const pattern = `^${queue.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`;
  await run("rabbitmqctl", [
    "-q",
    "set_policy",
    "--apply-to",
    "queues",
    "--priority",
    "100",
    name,
    pattern,
    JSON.stringify(definition),
  ]);
  return async () => {
    await run("rabbitmqctl", ["-q", "clear_policy", name]);
  };
}
