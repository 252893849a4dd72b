import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { json, renderWithApp, stubApi } from "../../test/render.js";
import { MusicServerForm } from "./MusicServerForm.js";

const server = "http://music.local:4533/";

describe("my account on the music server", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("is not offered when the catalog does not come from a music server", async () => {
    const calls = stubApi((call) =>
      call.url === "/api/me/music-server" ? json(200, { server: null, username: null }) : undefined,
    );
    const { container } = renderWithApp(<MusicServerForm />);
    await vi.waitFor(() => expect(calls.length).toBe(1));
    expect(container.textContent).toBe("");
  });

  it("saves my account, says who I am there, never shows the password again, and forgets it", async () => {
    let saved: string | null = null;
    const calls = stubApi((call) => {
      if (call.url !== "/api/me/music-server") return undefined;
      if (call.method === "PUT") {
        const body = call.body as { username: string; password: string };
        if (body.password !== "right") {
          return json(400, { error: { code: "MUSIC_SERVER_ACCOUNT_REFUSED", message: "refused" } });
        }
        saved = body.username;
      }
      if (call.method === "DELETE") {
        saved = null;
        return new Response(null, { status: 204 });
      }
      return json(200, { server, username: saved });
    });
    renderWithApp(<MusicServerForm />);
    await userEvent.type(await screen.findByLabelText("User name on the server"), "ana");
    await userEvent.type(screen.getByLabelText("Password on the server"), "wrong");
    await userEvent.click(screen.getByRole("button", { name: "Save account" }));
    expect((await screen.findByRole("alert")).textContent).toMatch(/refused this user name or password/);

    await userEvent.clear(screen.getByLabelText("Password on the server"));
    await userEvent.type(screen.getByLabelText("Password on the server"), "right");
    await userEvent.click(screen.getByRole("button", { name: "Save account" }));
    expect(await screen.findByText(/Saved as ana on music.local:4533/)).toBeDefined();
    expect((screen.getByLabelText("Password on the server") as HTMLInputElement).value).toBe("");

    await userEvent.click(screen.getByRole("button", { name: "Forget it" }));
    await vi.waitFor(() => expect(screen.queryByText(/Saved as ana/)).toBeNull());
    expect(calls.map((call) => call.method)).toEqual(["GET", "PUT", "PUT", "DELETE"]);
  });
});
