/**
 * Every call to the API goes through here: same origin (the app is served by the API itself),
 * the session cookie sent by the browser (never read or stored by the app), JSON both ways,
 * and failures turned into one ApiError with the server's stable code.
 */
import { ApiError } from "./errors.js";
import type { ErrorResponse } from "./types.js";

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface RequestOptions {
  body?: unknown;
  signal?: AbortSignal | undefined;
}

function retryAfter(response: Response): number | null {
  const header = response.headers.get("retry-after");
  if (header === null) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

const isErrorResponse = (value: unknown): value is ErrorResponse =>
  typeof value === "object" &&
  value !== null &&
  "error" in value &&
  typeof (value as ErrorResponse).error?.code === "string";

/** The new name in a `{"movedTo": …}` answer (a 301 the browser could not follow). */
const movedTo = (value: unknown): string | null =>
  typeof value === "object" && value !== null && typeof (value as { movedTo?: unknown }).movedTo === "string"
    ? (value as { movedTo: string }).movedTo
    : null;

export async function request<T>(method: Method, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (options.body !== undefined) headers["content-type"] = "application/json";
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: "same-origin",
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    const offline = typeof navigator !== "undefined" && navigator.onLine === false;
    throw new ApiError(0, offline ? "OFFLINE" : "NETWORK", "could not reach Verso");
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let json: unknown;
  try {
    json = text.length > 0 ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!response.ok) {
    if (isErrorResponse(json)) {
      const { code, message } = json.error;
      throw new ApiError(response.status, code as ApiError["code"], message, retryAfter(response));
    }
    throw new ApiError(
      response.status,
      `HTTP_${response.status}`,
      response.statusText,
      retryAfter(response),
      movedTo(json),
    );
  }
  if (json === undefined) throw new ApiError(response.status, "BAD_RESPONSE", "the answer was not JSON");
  return json as T;
}

/** `?a=1&b=x` from the defined values only. */
export function query(params: Record<string, string | number | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}
