/**
 * The embedded database's thread: better-sqlite3 is synchronous, so every statement runs here,
 * never on the thread that answers requests. It holds one connection for writes and
 * transactions and, for a database file, a second one for reads outside a transaction: in WAL
 * mode a reader sees the last commit and never waits for the writer, so a read can run between
 * two statements of a long ingest transaction.
 */
import { parentPort, workerData } from "node:worker_threads";
import { describeError } from "../../thread-errors.js";
import { openSqlite, withStatementCache, type CachedSqlite } from "./sqlite-connection.js";
import type { SqliteReply, SqliteRequest, SqliteThreadData } from "./sqlite-protocol.js";

const { file } = workerData as SqliteThreadData;
const port = parentPort!;

let writer: CachedSqlite;
let reader: CachedSqlite | null = null;
try {
  writer = withStatementCache(openSqlite(file));
  // A database in memory exists on its one connection only.
  if (file !== ":memory:") reader = withStatementCache(openSqlite(file, { readOnly: true }));
  port.postMessage({ id: 0, ready: true, reads: reader !== null } satisfies SqliteReply);
} catch (error) {
  port.postMessage({ id: 0, error: describeError(error) } satisfies SqliteReply);
  process.exit(1);
}

function run(request: Extract<SqliteRequest, { sql: string }>): SqliteReply {
  const target = request.read && reader ? reader : writer;
  const statement = target.prepare(request.sql);
  if (statement.reader) return { id: request.id, rows: statement.all(request.parameters) as unknown[] };
  const { changes, lastInsertRowid } = statement.run(request.parameters);
  return { id: request.id, changes, lastInsertRowid: BigInt(lastInsertRowid) };
}

port.on("message", (request: SqliteRequest) => {
  if ("close" in request) {
    reader?.close();
    writer.close();
    port.postMessage({ id: request.id, closed: true } satisfies SqliteReply);
    port.close();
    return;
  }
  let reply: SqliteReply;
  try {
    reply = run(request);
  } catch (error) {
    reply = { id: request.id, error: describeError(error) };
  }
  port.postMessage(reply);
});
