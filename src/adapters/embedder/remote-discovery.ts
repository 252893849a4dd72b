/**
 * Start-up of a remote embedder: learning the model from the server. Verso's role names it in
 * GET /status; any other server is asked to embed one text and names it in its answer (or the
 * model setting does), its first vector giving the dimension. While the server cannot be
 * reached it keeps asking with growing delays until startTimeoutMs.
 */
import { VersoError } from "../../core/errors.js";
import type { EmbeddingModel } from "../../core/ports.js";
import { TransientFailure, backoffMs, sleep } from "./remote-http.js";
import { getStatus, postEmbeddings } from "./remote-requests.js";
import type { RemoteEmbedderOptions, Settings } from "./remote-settings.js";

export interface Discovered {
  model: EmbeddingModel;
  server: "verso" | "openai-compatible";
  /** Whether the server names the model in its answers, so each answer can be checked. */
  namesModel: boolean;
  maxTexts: number | undefined;
}

export async function discover(
  settings: Settings,
  options: RemoteEmbedderOptions,
  signal: AbortSignal,
): Promise<Discovered> {
  const startTimeoutMs = options.startTimeoutMs ?? 5 * 60_000;
  const delays = options.startDelay ?? { initialMs: 500, maxMs: 15_000 };
  const deadline = Date.now() + startTimeoutMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await discoverOnce(settings, signal);
    } catch (error) {
      if (!(error instanceof TransientFailure)) throw error;
      const wait = Math.min(error.retryAfterMs ?? backoffMs(attempt - 1, delays), deadline - Date.now());
      if (wait <= 0) {
        throw new VersoError(
          "DEPENDENCY_UNAVAILABLE",
          `no embedder answered at ${settings.shown} within ${startTimeoutMs / 1000} s: it ${error.message}`,
          { cause: error },
        );
      }
      options.onEvent?.({
        type: "waiting",
        url: settings.shown,
        attempt,
        reason: error.message,
        retryInMs: wait,
      });
      await sleep(wait, signal);
    }
  }
}

/** Verso's role says everything in GET /status; any other server is asked to embed one text. */
async function discoverOnce(settings: Settings, signal: AbortSignal): Promise<Discovered> {
  const status = await getStatus(settings, signal);
  if (status) {
    if (settings.model !== undefined && settings.model !== status.model.name) {
      throw new VersoError(
        "EMBEDDING_MODEL_NOT_SERVED",
        `the embedder at ${settings.shown} serves ${status.model.name}, not the model asked for, ${settings.model}`,
      );
    }
    return { model: status.model, server: "verso", namesModel: true, maxTexts: status.maxTexts };
  }
  const answer = await postEmbeddings(settings, ["hello"], "interactive", signal);
  const name = answer.model ?? settings.model;
  if (!name) {
    throw new VersoError(
      "REMOTE_EMBEDDER_ERROR",
      `the embedder at ${settings.shown} does not say which model answered: name it with the model setting`,
    );
  }
  return {
    model: { name, dimension: answer.vectors[0]!.length },
    server: "openai-compatible",
    namesModel: answer.model !== undefined,
    maxTexts: undefined,
  };
}
