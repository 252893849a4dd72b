/**
 * Errors across a worker thread: what the thread that failed sends (name, message, code), and
 * the error the caller throws from it. Structured cloning would keep a built-in error's type but
 * drop the `code` that callers read (SQLITE_CONSTRAINT_UNIQUE, say).
 */

export interface DescribedError {
  name: string;
  message: string;
  code?: string;
}

export function describeError(error: unknown): DescribedError {
  const { name, message, code } = error as { name?: unknown; message?: unknown; code?: unknown };
  return {
    name: typeof name === "string" ? name : "Error",
    message: typeof message === "string" ? message : String(error),
    ...(typeof code === "string" ? { code } : {}),
  };
}

/** The types callers tell apart (a bad argument is a RangeError or a TypeError); others are Error, named. */
const builtInTypes: Record<string, new (message: string) => Error> = { RangeError, TypeError };

export function errorFromThread(described: DescribedError): Error {
  const type = builtInTypes[described.name];
  const error = type ? new type(described.message) : new Error(described.message);
  if (!type) error.name = described.name;
  if (described.code !== undefined) Object.assign(error, { code: described.code });
  return error;
}
