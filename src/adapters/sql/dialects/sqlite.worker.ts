/**
 * The embedded database's thread: better-sqlite3 is synchronous, so every statement runs here,
 * never on the thread that answers requests. It holds one connection for writes and
 * transactions and, for a database file, a second one for reads outside a transaction: in WAL
 * mode a reader sees the last commit and never waits for the writer, so a read can run between
 * two statements of a long ingest transaction.
 */
import { parentPort, workerData } from "node:worker_threads";
import SQLite from "better-sqlite3";
import { LRUCache } from "lru-cache";
import type { SqliteReply, SqliteRequest, SqliteThreadData } from "./sqlite-protocol.js";

const { file } = workerData as SqliteThreadData;
const port = parentPort!;

function open(readOnly: boolean): SQLite.Database {
  const connection = new SQLite(file);
  // query_only rather than a read-only open, which fails on a WAL file whose -shm is missing.
  if (readOnly) connection.pragma("query_only = ON");
  else {
    // WAL lets readers go on while the worker writes; NORMAL sync is durable across a process
    // crash (only a power loss may drop the newest commits).
    connection.pragma("journal_mode = WAL");
    connection.pragma("synchronous = NORMAL");
  }
  connection.pragma("foreign_keys = ON");
  connection.pragma("busy_timeout = 10000");
  return connection;
}

/**
 * Kysely prepares every statement anew; SQLite's parse and plan then cost more than running
 * most of our queries. Prepared statements are kept by their SQL text instead. Reuse is safe:
 * this thread runs one statement at a time.
 */
function withStatementCache(connection: SQLite.Database) {
  const statements = new LRUCache<string, SQLite.Statement>({ max: 500 });
  return {
    connection,
    prepare(sql: string): SQLite.Statement {
      let statement = statements.get(sql);
      if (!statement) {
        statement = connection.prepare(sql);
        statements.set(sql, statement);
      }
      return statement;
    },
  };
}

let writer: ReturnType<typeof withStatementCache>;
let reader: ReturnType<typeof withStatementCache> | null = null;
try {
  writer = withStatementCache(open(false));
  // A database in memory exists on its one connection only.
  if (file !== ":memory:") reader = withStatementCache(open(true));
  port.postMessage({ id: 0, ready: true, reads: reader !== null } satisfies SqliteReply);
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
  const target = request.read && reader ? reader : writer;
  const statement = target.prepare(request.sql);
  if (statement.reader) return { id: request.id, rows: statement.all(request.parameters) as unknown[] };
  const { changes, lastInsertRowid } = statement.run(request.parameters);
  return { id: request.id, changes, lastInsertRowid: BigInt(lastInsertRowid) };
}

port.on("message", (request: SqliteRequest) => {
  if ("close" in request) {
    reader?.connection.close();
    writer.connection.close();
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
