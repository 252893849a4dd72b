/**
 * The one place where text meets the database: every string bound to a query, on every dialect,
 * is checked before the query is sent, and text no database stores alike (a NUL character,
 * which PostgreSQL refuses with an error; an unpaired surrogate, which SQLite and MariaDB turn
 * into U+FFFD) is refused with VALIDATION_FAILED. A request carrying it gets a 400 whatever the
 * dialect, instead of a 500 on one and garbled text on the others.
 */
import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from "kysely";
import { VersoError } from "../../core/errors.js";
import { unstorableText } from "../../core/text.js";

function checkValue(value: unknown): void {
  if (typeof value === "string") {
    const problem = unstorableText(value);
    if (problem !== undefined)
      throw new VersoError("VALIDATION_FAILED", `text with ${problem} cannot be stored or searched`);
  } else if (Array.isArray(value)) {
    for (const item of value) checkValue(item);
  }
}

/** Walks a query's nodes without copying them, checking every value bound or inlined. */
function checkNode(node: unknown): void {
  if (typeof node !== "object" || node === null || ArrayBuffer.isView(node)) return;
  if (Array.isArray(node)) {
    for (const child of node) checkNode(child);
    return;
  }
  const { kind } = node as { kind?: unknown };
  if (kind === "ValueNode") return checkValue((node as { value: unknown }).value);
  if (kind === "PrimitiveValueListNode") return checkValue((node as { values: unknown[] }).values);
  for (const child of Object.values(node)) checkNode(child);
}

export const textGuard: KyselyPlugin = {
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    checkNode(args.node);
    return args.node;
  },
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  },
};
