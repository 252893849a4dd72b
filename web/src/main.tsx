import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app/App.js";
import { createQueryClient } from "./app/query-client.js";
import { createRouter } from "./app/router.js";
import { setUpI18n } from "./i18n/i18n.js";
import "./styles/app.css";

setUpI18n();
const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root");
createRoot(root).render(
  <StrictMode>
    <App client={createQueryClient()} router={createRouter()} />
  </StrictMode>,
);
