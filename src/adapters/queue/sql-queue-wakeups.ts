/**
 * Lets an enqueue wake the idle consumers of the same process at once instead of at their
 * next poll. Keyed by queue name only: a consumer of another database woken by mistake just
 * polls once, which is cheaper than tracking which handles share a file.
 */
const listeners = new Map<string, Set<() => void>>();

/** Calls `listener` on every enqueue to `queue` in this process, until the returned function is called. */
export function onEnqueue(queue: string, listener: () => void): () => void {
  const set = listeners.get(queue) ?? new Set<() => void>();
  listeners.set(queue, set);
  set.add(listener);
  return () => {
    set.delete(listener);
    if (set.size === 0) listeners.delete(queue);
  };
}

export function notifyEnqueued(queue: string): void {
  for (const listener of listeners.get(queue) ?? []) listener();
}
