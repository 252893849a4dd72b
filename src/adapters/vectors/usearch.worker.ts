/**
 * The live index's thread: usearch's calls are synchronous (an insert searches the graph, a
 * removal relinks neighbours, a save writes the whole graph), so they run here, never on the
 * thread that answers requests. Calls are taken in the order they arrive; a long upsert or
 * removal ends its turn between slices, so a search sent meanwhile is answered between two.
 */
import { parentPort, workerData } from "node:worker_threads";
import { describeError } from "../thread-errors.js";
import { SharedForegroundTurns } from "../../core/foreground-work.js";
import { createUsearchIndex, type UsearchVectorIndex } from "./usearch.js";
import type { UsearchCall, UsearchReply, UsearchRequest, UsearchThreadData } from "./usearch-protocol.js";

const { options, foreground } = workerData as UsearchThreadData;
const port = parentPort!;
const reply = (message: UsearchReply) => port.postMessage(message);

function call(index: UsearchVectorIndex, request: UsearchCall): Promise<unknown> | unknown {
  switch (request.method) {
    case "stamp":
      return index.stamp();
    case "size":
      return index.size();
    case "flush":
      return index.flush();
    case "close":
      return index.close();
    case "reset":
      return index.reset(request.model);
    case "upsert":
      return index.upsert(request.entries);
    case "remove":
      return index.remove(request.ids);
    case "search":
      return index.search(request.vector, request.k, request.options);
    case "commit":
      return index.commit(request.catalogVersion);
  }
}

let index: UsearchVectorIndex;
try {
  index = await createUsearchIndex({
    ...options,
    ...(foreground ? { background: new SharedForegroundTurns(foreground) } : {}),
    warn: (warning) => reply({ warning }),
  });
  reply({ id: 0, value: null });
} catch (error) {
  reply({ id: 0, error: describeError(error) });
  process.exit(1);
}

port.on("message", (request: UsearchRequest) => {
  void (async () => {
    try {
      reply({ id: request.id, value: await call(index, request) });
    } catch (error) {
      reply({ id: request.id, error: describeError(error) });
    }
    if (request.method === "close") port.close();
  })();
});
