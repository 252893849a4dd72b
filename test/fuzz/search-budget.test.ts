/**
 * One budget for everything that can cost an embedding or a search, wherever it is reached
 * from: every route the app declares is called with well-meant requests, and each route that
 * made the app ask, find similar songs or find people must count against the `search` limit.
 * A route added later that reaches a search without the limit fails here.
 */
import fc from "fast-check";
import { afterAll, expect, it } from "vitest";
import { plausibleRequest } from "./arbitraries.js";
import { routeSpecs, type OpenApiPaths } from "./routes.js";
import { buildWorld } from "./world.js";

const world = await buildWorld();
const docs = await world.t.call("GET", "/api/docs/json");
const routes = routeSpecs(world.t.declaredRoutes, docs.body.paths as OpenApiPaths);

afterAll(async () => {
  await world.close();
});

it("counts every route that costs a search against the one search budget", async () => {
  const costly = new Set<string>();
  for (const route of routes) {
    for (const sent of fc.sample(plausibleRequest(route), { numRuns: 25, seed: 22 })) {
      await world.ensureActors();
      const before = world.costlyCalls();
      await world.send(sent);
      if (world.costlyCalls() > before) costly.add(route.id);
    }
  }
  // The routes known to search were reached, so the check below means something.
  expect([...costly]).toEqual(
    expect.arrayContaining([
      "POST /api/ask",
      "GET /api/prompts/:id",
      "GET /api/songs/:id/similar",
      "GET /api/users",
    ]),
  );
  const unlimited = [...costly].filter((id) => !world.t.routeLimits.get(id)?.includes("search"));
  expect(unlimited).toEqual([]);
  // Editing a prompt searches nothing itself, but its page then answers the new text.
  expect(world.t.routeLimits.get("PATCH /api/prompts/:id")).toEqual(["publish", "search"]);
});
