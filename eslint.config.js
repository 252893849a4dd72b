import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "data/", "coverage/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      "no-restricted-imports": "off",
    },
  },
  {
    // The domain knows ports only: nothing from adapters, http, roles or a technology.
    files: ["src/core/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/adapters/**", "**/http/**", "**/roles/**", "**/compose*", "**/cli*"],
              message: "core imports no outer layer",
            },
            {
              group: ["fastify*", "kysely*", "better-sqlite3", "usearch", "prom-client", "@energetic-ai/*"],
              message: "core is technology-free",
            },
          ],
        },
      ],
    },
  },
);
