/**
 * A Kysely dialect for better-sqlite3 in a thread of its own (sqlite.worker.ts). Kysely's own
 * SQLite driver runs each statement synchronously on the calling thread, and a transaction's
 * statements back to back without ever giving the event loop a turn: an ingest commit (and
 * SQLite's WAL checkpoint inside it) held every request of the process for hundreds of ms.
 *
 * Transactions and writes take the one write connection in turn, as Kysely's driver does; a
 * SELECT outside a transaction (built, or written out in SQL as the full-text queries are) goes
 * to the thread's read connection when the database is a file, so it waits for one statement of
 * a running transaction at most, never for all of it. The read connection is query-only: a
 * statement taken for a read that would write fails there, it never writes outside the lock.
 */
import type { Worker } from "node:worker_threads";
import { Mutex, type MutexInterface } from "async-mutex";
import {
  CompiledQuery,
  RawNode,
  SelectQueryNode,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
} from "kysely";
import { startThread } from "../../thread-entry.js";
import { errorFromThread } from "../../thread-errors.js";
import type { SqliteReply, SqliteRequest, SqliteThreadData } from "./sqlite-protocol.js";

/** SQL written out that only reads: a SELECT (a WITH may end in a write, so it is not one). */
const selectSql = /^\s*select\b/i;

function isRead(query: CompiledQuery): boolean {
  return SelectQueryNode.is(query.query) || (RawNode.is(query.query) && selectSql.test(query.sql));
}

type Pending = { resolve: (reply: SqliteReply) => void; reject: (error: Error) => void };

/** The thread and its connections: requests in, replies out in the same order. */
class SqliteThread {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #failure: Error | null = null;
  #closing = false;
  /** The thread's first message: its connections are open, or why not. */
  readonly #opened: Promise<SqliteReply>;
  /** Whether the thread has a read connection beside the write one. */
  reads = false;

  constructor(file: string) {
    this.#worker = startThread(import.meta.url, "sqlite.worker", { file } satisfies SqliteThreadData);
    this.#opened = new Promise((resolve, reject) => this.#pending.set(0, { resolve, reject }));
    this.#worker.on("message", (reply: SqliteReply) => {
      const pending = this.#pending.get(reply.id);
      if (!pending) return;
      this.#pending.delete(reply.id);
      if (this.#pending.size === 0 && !this.#closing) this.#worker.unref();
      pending.resolve(reply);
    });
    const fail = (error: Error) => {
      this.#failure ??= error;
      for (const { reject } of this.#pending.values()) reject(error);
      this.#pending.clear();
    };
    this.#worker.on("error", fail);
    this.#worker.on("exit", (code) => fail(new Error(`the SQLite thread exited (code ${code})`)));
  }

  async ready(): Promise<void> {
    const reply = await this.#opened;
    if ("error" in reply) throw errorFromThread(reply.error);
    if ("ready" in reply) this.reads = reply.reads;
  }

  /** Sends one request; the thread holds the process open only while an answer is awaited. */
  request(
    request: Omit<Extract<SqliteRequest, { sql: string }>, "id"> | { close: true },
  ): Promise<SqliteReply> {
    if (this.#failure) return Promise.reject(this.#failure);
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      if (this.#pending.size === 0) this.#worker.ref();
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ id, ...request });
    });
  }

  async close(): Promise<void> {
    if (this.#failure) return;
    // Held open until the thread is gone, so that whatever awaits the close runs after it.
    this.#closing = true;
    this.#worker.ref();
    const exited = new Promise((resolve) => this.#worker.once("exit", resolve));
    await this.request({ close: true });
    await exited;
  }
}

/** BLOBs cross the thread as Uint8Array; better-sqlite3 answers them as Buffer, and so does this. */
function asBuffers(rows: unknown[]): unknown[] {
  for (const row of rows) {
    if (row === null || typeof row !== "object") continue;
    const record = row as Record<string, unknown>;
    for (const key in record) {
      const value = record[key];
      if (value instanceof Uint8Array && !Buffer.isBuffer(value)) {
        record[key] = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
      }
    }
  }
  return rows;
}

class ThreadConnection implements DatabaseConnection {
  /** Set while this connection holds the write connection for a transaction. */
  release: MutexInterface.Releaser | null = null;

  constructor(private readonly driver: SqliteThreadDriver) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    if (this.release) return this.driver.execute<R>(query, false);
    if (this.driver.thread.reads && isRead(query)) return this.driver.execute<R>(query, true);
    return this.driver.writeLock.runExclusive(() => this.driver.execute<R>(query, false));
  }

  // eslint-disable-next-line require-yield -- nothing streams here; Kysely asks for the method
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error("the SQLite thread does not stream: read in pages");
  }
}

class SqliteThreadDriver implements Driver {
  readonly writeLock = new Mutex();
  #thread: SqliteThread | null = null;

  constructor(private readonly file: string) {}

  get thread(): SqliteThread {
    if (!this.#thread) throw new Error("the SQLite thread is not started");
    return this.#thread;
  }

  async init(): Promise<void> {
    const thread = new SqliteThread(this.file);
    await thread.ready();
    this.#thread = thread;
  }

  async execute<R>(query: CompiledQuery, read: boolean): Promise<QueryResult<R>> {
    const reply = await this.thread.request({ sql: query.sql, parameters: query.parameters, read });
    if ("error" in reply) throw errorFromThread(reply.error);
    if ("rows" in reply) return { rows: asBuffers(reply.rows) as R[] };
    if ("changes" in reply)
      return { numAffectedRows: BigInt(reply.changes), insertId: reply.lastInsertRowid, rows: [] };
    throw new Error("the SQLite thread answered a query with no result");
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    return new ThreadConnection(this);
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    const owner = connection as ThreadConnection;
    const release = await this.writeLock.acquire();
    try {
      await this.execute(CompiledQuery.raw("begin"), false);
    } catch (error) {
      release();
      throw error;
    }
    owner.release = release;
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("commit"));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("rollback"));
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const owner = connection as ThreadConnection;
    owner.release?.();
    owner.release = null;
  }

  async destroy(): Promise<void> {
    // Whatever is under way finishes first: the write connection is taken as a transaction would.
    await this.writeLock.runExclusive(async () => this.#thread?.close());
    this.#thread = null;
  }
}

/** SQLite for Kysely, with every statement on the database's own thread. */
export class SqliteThreadDialect implements Dialect {
  constructor(private readonly file: string) {}
  createAdapter = () => new SqliteAdapter();
  createDriver = () => new SqliteThreadDriver(this.file);
  createQueryCompiler = () => new SqliteQueryCompiler();
  createIntrospector = (db: Kysely<unknown>) => new SqliteIntrospector(db);
}
