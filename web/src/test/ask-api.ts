/** The API as the Ask page meets it, for component tests: a session, an idle catalog, answers. */
import type { AskRequest, CatalogStatus, User } from "../api/types.js";
import { session } from "./fixtures.js";
import { json, stubApi, type ApiCall } from "./render.js";

export const idleCatalog: CatalogStatus = {
  catalogVersion: 1,
  songs: 1,
  songsWithPassages: 1,
  passages: 1,
  objects: { queued: 0, processing: 0, done: 1, failed: 0 },
  queue: null,
  items: [],
  nextCursor: null,
};

/**
 * Stubs fetch: `answer` gives each POST /api/ask its response (other calls: `other`); answers
 * the returned calls' list records every call, the asks' bodies with `asked()`.
 */
export function stubAskApi(
  answer: (body: AskRequest) => Response | Promise<Response>,
  options: { user?: User | null; other?: (call: ApiCall) => Response | undefined } = {},
) {
  const calls = stubApi((call) => {
    if (call.url === "/api/session") return json(200, session(options.user ?? null));
    if (call.url.startsWith("/api/catalog/status")) return json(200, idleCatalog);
    if (call.url === "/api/ask") return answer(call.body as AskRequest);
    return options.other?.(call);
  });
  return { calls, asked: () => calls.filter((call) => call.url === "/api/ask").map((call) => call.body) };
}
