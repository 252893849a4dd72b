/** Every social route is in the OpenAPI document, tagged, with its request and response schemas. */
import { afterAll, beforeAll, expect, it } from "vitest";
import { errorCatalogue } from "../../src/core/errors.js";
import { buildTestApp, type TestApp } from "../support/test-app.js";

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t.close();
});

const socialRoutes = [
  ["post", "/api/auth/register", "auth"],
  ["post", "/api/auth/login", "auth"],
  ["post", "/api/auth/logout", "auth"],
  ["get", "/api/me", "me"],
  ["patch", "/api/me", "me"],
  ["put", "/api/me/password", "me"],
  ["delete", "/api/me", "me"],
  ["post", "/api/prompts", "prompts"],
  ["get", "/api/prompts", "prompts"],
  ["get", "/api/prompts/{id}", "prompts"],
  ["patch", "/api/prompts/{id}", "prompts"],
  ["delete", "/api/prompts/{id}", "prompts"],
  ["put", "/api/prompts/{id}/like", "prompts"],
  ["delete", "/api/prompts/{id}/like", "prompts"],
  ["get", "/api/users", "users"],
  ["get", "/api/users/random", "users"],
  ["get", "/api/users/{name}", "users"],
  ["get", "/api/users/{name}/prompts", "users"],
  ["put", "/api/users/{name}/follow", "users"],
  ["delete", "/api/users/{name}/follow", "users"],
  ["get", "/api/users/{name}/following", "users"],
  ["get", "/api/users/{name}/followers", "users"],
  ["get", "/api/feed", "feed"],
] as const;

it("documents every social route with its tag, success response and error responses", async () => {
  const reply = await t.call("GET", "/api/docs/json");
  expect(reply.status).toBe(200);
  const paths = reply.body.paths as Record<
    string,
    Record<string, { tags?: string[]; responses?: Record<string, unknown> }>
  >;
  for (const [method, path, tag] of socialRoutes) {
    const operation = paths[path]?.[method];
    expect(operation, `${method} ${path}`).toBeDefined();
    expect(operation?.tags).toEqual([tag]);
    const statuses = Object.keys(operation?.responses ?? {});
    expect(
      statuses.some((s) => s.startsWith("2")),
      `${method} ${path} success`,
    ).toBe(true);
    expect(
      statuses.some((s) => s.startsWith("4")),
      `${method} ${path} errors`,
    ).toBe(true);
  }
});

it("marks the routes that need a session", async () => {
  const paths = (await t.call("GET", "/api/docs/json")).body.paths;
  expect(paths["/api/feed"].get.security).toEqual([{ bearer: [] }, { cookie: [] }]);
  expect(paths["/api/prompts/{id}/like"].put.security).toEqual([{ bearer: [] }, { cookie: [] }]);
  expect(paths["/api/prompts"].get.security).toBeUndefined();
});

it("names every code of the error catalogue in the error shape", async () => {
  const schemas = (await t.call("GET", "/api/docs/json")).body.components.schemas;
  const code = schemas.ErrorResponse.properties.error.properties.code;
  expect(code.type).toBe("string");
  expect([...code.enum].sort()).toEqual(Object.keys(errorCatalogue).sort());
});
