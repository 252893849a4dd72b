import { screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { keys } from "../../api/keys.js";
import type { CatalogObjectStatus, CatalogStatus, Session } from "../../api/types.js";
import { session, user } from "../../test/fixtures.js";
import { json, renderWithApp, stubApi } from "../../test/render.js";
import { CatalogPage } from "./CatalogPage.js";

const reading: CatalogObjectStatus = {
  id: 1,
  source: null,
  key: "songs.csv",
  status: "processing",
  size: 1000,
  progress: 0.4,
  songs: 12,
  passages: 40,
  reusedPassages: 0,
  skipped: 0,
  errors: 0,
  changed: 0,
  removed: 0,
  songsPerSecond: 3,
  error: null,
  rowErrors: [],
  queuedAt: "2026-01-01T10:00:00.000Z",
  startedAt: "2026-01-01T10:00:01.000Z",
  finishedAt: null,
  durationMs: null,
};

const status: CatalogStatus = {
  catalogVersion: 3,
  songs: 12,
  songsWithPassages: 12,
  passages: 40,
  objects: { queued: 0, processing: 1, done: 0, failed: 0 },
  queue: { ready: 0, inFlight: 1, dead: 0 },
  items: [reading],
  nextCursor: null,
};

/** The page once it knows the catalog and who is reading it. */
async function showCatalog(who: Session) {
  stubApi(({ url }) => {
    if (url === "/api/session") return json(200, who);
    if (url.startsWith("/api/catalog/status")) return json(200, status);
  });
  const { client } = renderWithApp(<CatalogPage />);
  await screen.findByRole("article");
  await waitFor(() => expect(client.getQueryState(keys.session)?.status).toBe("success"));
}

/** The number under a figure's label. */
const figure = (label: string) =>
  screen.getByText(label, { selector: "dt" }).parentElement!.querySelector("dd")!.textContent;

describe("the catalog page", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("counts the file being read as being read, as its badge says, not as waiting", async () => {
    await showCatalog(session(null));
    const card = screen.getByRole("article");
    expect(within(card).getByText("reading")).toBeDefined();
    expect(figure("Files being read")).toBe("1");
    expect(figure("Files waiting")).toBe("0");
  });

  it("offers the scan to administrators only", async () => {
    await showCatalog(session(user(1, "bob")));
    expect(screen.queryByRole("button", { name: "Scan the bucket now" })).toBeNull();
    vi.unstubAllGlobals();
    document.body.innerHTML = "";

    await showCatalog(session(user(2, "root"), true));
    expect(screen.getByRole("button", { name: "Scan the bucket now" })).toBeDefined();
  });

  it("tells a visitor that administrators may sign in to scan", async () => {
    await showCatalog(session(null));
    await screen.findByText("Administrators can sign in to scan the bucket for new files now.");
    expect(screen.queryByRole("button", { name: "Scan the bucket now" })).toBeNull();
  });
});
