/** Renders a component as the app does: with a query client, a router and the English text. */
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render } from "@testing-library/react";
import type { ReactNode } from "react";
import { createMemoryRouter, MemoryRouter, RouterProvider, type RouteObject } from "react-router";
import { vi } from "vitest";

export function testQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: { queries: { retry: false, staleTime: Infinity }, mutations: { retry: false } },
  });
}

export function renderWithApp(ui: ReactNode, client = testQueryClient()) {
  const result = render(
    <QueryClientProvider client={client}>
      <MemoryRouter>{ui}</MemoryRouter>
    </QueryClientProvider>,
  );
  return { ...result, client };
}

/**
 * Renders routes of the app at an address, so links, redirects and the address itself can be
 * followed: `router.state.location` is where the reader is now.
 */
export function renderAt(routes: RouteObject[], at: string, client = testQueryClient()) {
  const router = createMemoryRouter(routes, { initialEntries: [at] });
  const result = render(
    <QueryClientProvider client={client}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
  return { ...result, client, router };
}

/** A fetch answer with a JSON body. */
export const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

export interface ApiCall {
  method: string;
  url: string;
  body: unknown;
}

/**
 * Replaces fetch with answers from `answer` (by method and URL) and records every call; what
 * `answer` does not know is a 404 in the API's shape. Undo with vi.unstubAllGlobals().
 */
export function stubApi(answer: (call: ApiCall) => Response | Promise<Response> | undefined): ApiCall[] {
  const calls: ApiCall[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (url: string, init?: RequestInit) => {
      const call = {
        method: init?.method ?? "GET",
        url,
        body: typeof init?.body === "string" ? (JSON.parse(init.body) as unknown) : undefined,
      };
      calls.push(call);
      return (
        (await answer(call)) ?? json(404, { error: { code: "ROUTE_NOT_FOUND", message: `no route ${url}` } })
      );
    }),
  );
  return calls;
}

/** A promise and the functions that settle it, to hold an answer while a test looks. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  return { promise, resolve, reject };
}
