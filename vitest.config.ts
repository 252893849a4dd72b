import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

/** Tests that read or write the SQL database: they run once per dialect, on the real servers. */
const databaseTests = [
  "src/adapters/sql/**/*.test.ts",
  "src/http/**/*.test.ts",
  "test/social/**/*.test.ts",
  "test/contract/catalog-*.sql.test.ts",
  "test/contract/queue.sql.test.ts",
  "test/sql/**/*.test.ts",
  "test/e2e/live-index.test.ts",
  // The fuzzer finds what one dialect refuses and another stores (NUL, broken Unicode).
  "test/fuzz/**/*.test.ts",
];
const serverSetup = ["test/support/setup.ts"];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    // Two files at a time: vitest's default (cores - 1) is one file at a time on a 2-core machine,
    // which leaves a core idle while a file waits on a database or a model. The heavy projects
    // below stay one file at a time on their own.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: "sqlite",
          include: ["src/**/*.test.ts", "test/**/*.test.ts", "web/build/**/*.test.ts"],
          exclude: ["test/web/**", "test/system/**"],
          setupFiles: serverSetup,
        },
      },
      {
        extends: true,
        test: {
          name: "mariadb",
          include: databaseTests,
          setupFiles: serverSetup,
          env: { VERSO_TEST_DATABASE: "mariadb" },
        },
      },
      {
        extends: true,
        test: {
          name: "postgres",
          include: databaseTests,
          setupFiles: serverSetup,
          env: { VERSO_TEST_DATABASE: "postgres" },
        },
      },
      {
        // Components of the web app, in a simulated browser.
        extends: true,
        plugins: [react()],
        test: {
          name: "web",
          include: ["web/src/**/*.test.{ts,tsx}"],
          environment: "jsdom",
          setupFiles: ["web/src/test/setup.ts"],
        },
      },
      {
        // The built app in real Chromium against a real server: heavy, so it runs after every
        // other project, one file at a time.
        extends: true,
        test: {
          name: "web-e2e",
          include: ["test/web/**/*.test.ts"],
          fileParallelism: false,
          sequence: { groupOrder: 1 },
          testTimeout: 240_000,
          hookTimeout: 300_000,
        },
      },
      {
        // The roles as separate processes on the real engines: the heaviest of all, last.
        extends: true,
        test: {
          name: "system",
          include: ["test/system/**/*.test.ts"],
          fileParallelism: false,
          sequence: { groupOrder: 2 },
          testTimeout: 1_200_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
