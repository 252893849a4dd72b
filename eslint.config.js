import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "data/", "coverage/", "test-artifacts/"] },
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
              group: ["**/adapters/**", "**/http/**", "**/roles/**", "**/compose*", "**/cli.js"],
              message: "core imports no outer layer",
            },
            {
              group: [
                "fastify*",
                "kysely*",
                "better-sqlite3",
                "usearch",
                "prom-client",
                "@energetic-ai/*",
                "onnxruntime-*",
                "@huggingface/*",
              ],
              message: "core is technology-free",
            },
          ],
        },
      ],
    },
  },
  {
    // Adapters implement ports: they know the domain, never the HTTP layer, the roles or the
    // composition root that chooses them.
    files: ["src/adapters/**/*.ts"],
    ignores: ["src/adapters/**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/http/**", "**/roles/**", "**/compose/**", "**/cli.js"],
              message: "an adapter imports the domain and its own technology only",
            },
          ],
        },
      ],
    },
  },
  {
    // HTTP routes speak to use cases of the domain; they never reach an adapter (the
    // composition root hands them what they need) nor a role.
    files: ["src/http/**/*.ts"],
    ignores: ["src/http/**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/adapters/**", "**/roles/**", "**/compose/**", "**/cli.js"],
              message: "HTTP routes use the domain's services: adapters come from the composition root",
            },
          ],
        },
      ],
    },
  },
  {
    // Roles run what the composition root built: they never construct an adapter themselves.
    files: ["src/roles/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [{ group: ["**/adapters/**"], message: "roles get adapters from the composition root" }],
        },
      ],
    },
  },
  {
    // The web app runs in the browser: its globals, and none of Node's (process, Buffer …).
    files: ["web/src/**/*.{ts,tsx}"],
    languageOptions: {
      globals: {
        ...globals.browser,
        ...Object.fromEntries(
          Object.keys(globals.node)
            .filter((name) => !(name in globals.browser))
            .map((name) => [name, "off"]),
        ),
      },
    },
    rules: {
      // The server sends a strict Content-Security-Policy: no eval, no inline script or style.
      "no-eval": "error",
      "no-implied-eval": "error",
      "no-new-func": "error",
      "no-restricted-syntax": [
        "error",
        {
          selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']",
          message: "render text as React children: injected HTML is an XSS risk",
        },
        {
          selector: "JSXOpeningElement[name.name=/^(script|style)$/]",
          message: "the Content-Security-Policy refuses inline scripts and styles: use web/src/styles",
        },
      ],
      // The server's code reaches the browser as types only (src/http/api-types.ts).
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "^(\\.\\./)+src/",
              allowTypeImports: true,
              message: "the web app imports the server's types only: use `import type`",
            },
          ],
        },
      ],
    },
  },
);
