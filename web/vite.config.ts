import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";
import { firstLoadBudget } from "./build/first-load-budget.js";
import { precompress } from "./build/precompress.js";

const webRoot = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  root: webRoot,
  base: "/",
  plugins: [react(), precompress(), firstLoadBudget({ maxGzipBytes: 200_000 })],
  build: {
    outDir: fileURLToPath(new URL("../dist/web", import.meta.url)),
    emptyOutDir: true,
    manifest: true,
    target: "es2022",
    // Images stay files: data: URIs would be allowed, but a file is cached once for every page.
    assetsInlineLimit: 0,
  },
  server: {
    // `npm run dev:web` beside `npm start`: the app on Vite, the API on Verso.
    proxy: { "/api": process.env.VERSO_API_URL ?? "http://localhost:3000" },
  },
});
