/**
 * What a job message carries besides its JSON payload, and how a dead message tells why it
 * died.
 *
 * Attempts: a retry is a new copy of the message (published to a delay queue), so the broker's
 * own redelivery counter (`x-delivery-count`, kept by quorum queues) restarts at 0 with every
 * copy. The copy carries the attempt it starts at in `x-verso-attempt`; the attempt of a
 * delivery is that plus the redeliveries of this copy (consumers that died holding it).
 */
import type { Message, MessagePropertyHeaders, Options } from "amqplib";

export const headerNames = {
  /** The attempt at which this copy of the message is first delivered (1 when absent). */
  attempt: "x-verso-attempt",
  /** Why the message was dead-lettered by the queue: see DeadReason. */
  reason: "x-verso-dead-reason",
  /** The last error's message, when a handler failed. */
  error: "x-verso-error",
  /** How many times the message was delivered. */
  attempts: "x-verso-attempts",
  /** When it was dead-lettered (ISO 8601). */
  deadAt: "x-verso-dead-at",
} as const;

/**
 * - `failed`: its handler failed on the last allowed attempt.
 * - `redelivered`: its consumers kept stopping before acknowledging it, past the attempts.
 * - `unreadable`: its body is not the JSON of a job.
 * - `delivery-limit`: the broker dead-lettered it past the queue's delivery limit (its consumers
 *   kept dying before the queue could see the attempt, or could not even read it).
 */
export type DeadReason = "failed" | "redelivered" | "unreadable" | "delivery-limit";

export interface DeadLetter {
  reason: DeadReason | string;
  /** The last error's message, when there was one. */
  error: string | undefined;
  /** Deliveries counted before it died, when known. */
  attempts: number | undefined;
  at: Date | undefined;
}

const ERROR_MAX = 2000;

export function persistentMessage(
  messageId: string,
  attempt: number,
  extra: Record<string, unknown> = {},
): Options.Publish {
  return {
    persistent: true,
    contentType: "application/json",
    messageId,
    timestamp: Math.floor(Date.now() / 1000),
    headers: { [headerNames.attempt]: attempt, ...extra },
  };
}

export function attemptOf(message: Message): number {
  const headers = message.properties.headers ?? {};
  const first = positiveInteger(headers[headerNames.attempt]) ?? 1;
  const redeliveries = nonNegativeInteger(headers["x-delivery-count"]) ?? 0;
  return first + redeliveries;
}

export function deadLetterHeaders(
  reason: DeadReason,
  attempts: number,
  error?: unknown,
): Record<string, unknown> {
  return {
    [headerNames.reason]: reason,
    [headerNames.attempts]: attempts,
    [headerNames.deadAt]: new Date().toISOString(),
    ...(error === undefined ? {} : { [headerNames.error]: describeError(error) }),
  };
}

/** Why a message of the dead-letter queue died, whether this queue or the broker put it there. */
export function readDeadLetter(message: Pick<Message, "properties">): DeadLetter | undefined {
  const headers: MessagePropertyHeaders = message.properties.headers ?? {};
  const reason = headers[headerNames.reason];
  if (typeof reason === "string") {
    const at =
      typeof headers[headerNames.deadAt] === "string" ? new Date(headers[headerNames.deadAt]) : undefined;
    return {
      reason,
      error: typeof headers[headerNames.error] === "string" ? headers[headerNames.error] : undefined,
      attempts: positiveInteger(headers[headerNames.attempts]),
      at,
    };
  }
  const death = headers["x-death"]?.[0];
  if (!death) return undefined;
  const brokerReason: string = death.reason;
  return {
    reason: brokerReason === "delivery_limit" ? "delivery-limit" : brokerReason,
    error: undefined,
    attempts: undefined,
    at: typeof death.time?.value === "number" ? new Date(death.time.value * 1000) : undefined,
  };
}

function describeError(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.length > ERROR_MAX ? `${text.slice(0, ERROR_MAX - 1)}…` : text;
}

function positiveInteger(value: unknown): number | undefined {
  const n = typeof value === "bigint" ? Number(value) : value;
  return typeof n === "number" && Number.isInteger(n) && n >= 1 ? n : undefined;
}

function nonNegativeInteger(value: unknown): number | undefined {
  const n = typeof value === "bigint" ? Number(value) : value;
  return typeof n === "number" && Number.isInteger(n) && n >= 0 ? n : undefined;
}
