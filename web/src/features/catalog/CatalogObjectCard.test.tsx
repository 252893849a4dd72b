import { render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { CatalogObject } from "../../api/catalog.js";
import { catalogObject } from "../../test/fixtures.js";
import { CatalogObjectCard } from "./CatalogObjectCard.js";

const object = (values: Partial<CatalogObject>): CatalogObject =>
  catalogObject("incoming/songs.csv", { source: null, songs: 598, passages: 1200, ...values });

describe("a file on the catalog page", () => {
  it("shows the rows skipped and, apart, the rows kept with a value changed or left out, each on its line", () => {
    render(
      <CatalogObjectCard
        item={object({
          errors: 1,
          changed: 2,
          rowErrors: [
            { line: 101, reason: "tempo is outside 0 to 400: left out", kind: "changed" },
            { line: 301, reason: "title holds a NUL character (U+0000)", kind: "skipped" },
            {
              line: 401,
              reason: "the same song as an earlier row of this file: this row replaces it",
              kind: "changed",
            },
          ],
        })}
      />,
    );
    expect(screen.getByText(/1 bad row · 2 rows changed/)).toBeTruthy();
    const bad = screen.getByText("1 row could not be read").closest("details")!;
    expect(
      within(bad)
        .getAllByRole("listitem")
        .map((li) => li.textContent),
    ).toEqual(["Line 301: title holds a NUL character (U+0000)"]);
    const changed = screen.getByText("2 rows were kept with a value changed or left out").closest("details")!;
    expect(
      within(changed)
        .getAllByRole("listitem")
        .map((li) => li.textContent),
    ).toEqual([
      "Line 101: tempo is outside 0 to 400: left out",
      "Line 401: the same song as an earlier row of this file: this row replaces it",
    ]);
  });

  it("says nothing of changes where there were none", () => {
    render(<CatalogObjectCard item={object({})} />);
    expect(screen.queryByText(/changed/)).toBeNull();
    expect(screen.queryByRole("group")).toBeNull();
  });
});
