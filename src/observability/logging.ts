/**
 * The process's log: JSON lines for whatever collects them, and, when a person watches the
 * terminal, one readable line per record instead, with the address to open.
 */
import { pino, type DestinationStream, type Logger } from "pino";

export interface LogOutput {
  write(text: string): unknown;
  isTTY?: boolean;
}

export function createLogger(level: string, output: LogOutput = process.stdout): Logger {
  return output.isTTY ? pino({ level }, readableLines(output)) : pino({ level }, output as DestinationStream);
}

/** The fields every record has, shown in the line's own layout rather than as key=value. */
const laidOut = new Set(["level", "time", "msg", "pid", "hostname", "err", "req", "res", "responseTime"]);

const levelNames: Record<number, string> = {
  10: "TRACE",
  20: "DEBUG",
  30: "INFO",
  40: "WARN",
  50: "ERROR",
  60: "FATAL",
};

const clockTime = (time: unknown) =>
  typeof time === "number" ? new Date(time).toTimeString().slice(0, 8) : "--:--:--";

const shown = (value: unknown) =>
  typeof value === "string" && !/\s/.test(value) ? value : JSON.stringify(value);

/** One pino record as a person reads it: time, level, message, the rest as key=value. */
export function readableLine(json: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.endsWith("\n") ? json : `${json}\n`;
  }
  const level = levelNames[record.level as number] ?? String(record.level);
  const parts = [clockTime(record.time), level.padEnd(5), String(record.msg ?? "")];
  const request = record.req as { method?: string; url?: string } | undefined;
  if (request?.method) parts.push(`${request.method} ${request.url ?? ""}`);
  const response = record.res as { statusCode?: number } | undefined;
  if (response?.statusCode) parts.push(String(response.statusCode));
  if (typeof record.responseTime === "number") parts.push(`${record.responseTime.toFixed(1)} ms`);
  for (const [key, value] of Object.entries(record)) {
    if (!laidOut.has(key)) parts.push(`${key}=${shown(value)}`);
  }
  const error = record.err as { stack?: string; message?: string } | undefined;
  const trace = error ? `\n  ${(error.stack ?? error.message ?? "").split("\n").join("\n  ")}` : "";
  return `${parts.filter((part) => part !== "").join(" ")}${trace}\n`;
}

function readableLines(output: LogOutput): DestinationStream {
  return { write: (json: string) => void output.write(readableLine(json.trimEnd())) };
}

/** Where a browser on this machine reaches a server listening on `host`. */
export function browserAddress(host: string, port: number): string {
  const everywhere = host === "" || host === "0.0.0.0" || host === "::";
  const name = everywhere ? "localhost" : host.includes(":") ? `[${host}]` : host;
  return `http://${name}:${port}`;
}
