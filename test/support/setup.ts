/** Runs in every test file: the databases a file made are dropped when it is done. */
import { afterAll } from "vitest";
import { dropTestDatabases } from "./databases.js";

afterAll(async () => {
  await dropTestDatabases();
});
