/**
 * One of the embedded database's threads: better-sqlite3 is synchronous, so every statement
 * runs on such a thread, never on the one that answers requests. A thread holds one connection:
 * the write thread's takes writes and transactions; the read thread's (query_only) takes reads
 * outside a transaction. In WAL mode a reader sees the last commit and never waits for the
 * writer, so a read runs beside a long ingest transaction, on the other core.
 */
import { parentPort, workerData } from "node:worker_threads";
import { openSqlite, withStatementCache, type CachedSqlite } from "./sqlite-connection.js";
import type { SqliteReply, SqliteRequest, SqliteThreadData } from "./sqlite-protocol.js";

const { file, role } = workerData as SqliteThreadData;
const port = parentPort!;

let connection: CachedSqlite;
try {
  connection = withStatementCache(openSqlite(file, { readOnly: role === "read" }));
  port.postMessage({ id: 0, ready: true } satisfies SqliteReply);
} catch (error) {
  port.postMessage({ id: 0, error: describe(error) } satisfies SqliteReply);
  process.exit(1);
}

function describe(error: unknown): { name: string; message: string; code?: string } {
  const { name, message, code } = error as { name?: unknown; message?: unknown; code?: unknown };
  return {
    name: typeof name === "string" ? name : "Error",
    message: typeof message === "string" ? message : String(error),
    ...(typeof code === "string" ? { code } : {}),
  };
}

function run(request: Extract<SqliteRequest, { sql: string }>): SqliteReply {
  const statement = connection.prepare(request.sql);
  if (statement.reader) return { id: request.id, rows: statement.all(request.parameters) as unknown[] };
  const { changes, lastInsertRowid } = statement.run(request.parameters);
  return { id: request.id, changes, lastInsertRowid: BigInt(lastInsertRowid) };
}

port.on("message", (request: SqliteRequest) => {
  if ("close" in request) {
    connection.close();
    port.postMessage({ id: request.id, closed: true } satisfies SqliteReply);
    port.close();
    return;
  }
  let reply: SqliteReply;
  try {
    reply = run(request);
  } catch (error) {
    reply = { id: request.id, error: describe(error) };
  }
  port.postMessage(reply);
});
