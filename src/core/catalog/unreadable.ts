/**
 * An object that no retry can read: a header without the columns a song needs, an empty file,
 * a record beyond the size limit (an unclosed quote, say). The worker marks it failed with the
 * reason at once, where a passing failure (the embedder or the database away) is retried.
 */
export class UnreadableObjectError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnreadableObjectError";
  }
}
