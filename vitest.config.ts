import { defineConfig } from "vitest/config";

/** Tests that read or write the SQL database: they run once per dialect, on the real servers. */
const databaseTests = [
  "src/adapters/sql/**/*.test.ts",
  "src/http/**/*.test.ts",
  "test/social/**/*.test.ts",
  "test/contract/catalog-store.sql.test.ts",
  "test/contract/queue.sql.test.ts",
  "test/sql/**/*.test.ts",
];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    setupFiles: ["test/support/setup.ts"],
    projects: [
      { extends: true, test: { name: "sqlite", include: ["src/**/*.test.ts", "test/**/*.test.ts"] } },
      {
        extends: true,
        test: { name: "mariadb", include: databaseTests, env: { VERSO_TEST_DATABASE: "mariadb" } },
      },
      {
        extends: true,
        test: { name: "postgres", include: databaseTests, env: { VERSO_TEST_DATABASE: "postgres" } },
      },
    ],
  },
});
