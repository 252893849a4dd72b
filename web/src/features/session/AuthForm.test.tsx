import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { session, user } from "../../test/fixtures.js";
import { json, renderAt, stubApi } from "../../test/render.js";
import { SignInPage } from "./SignInPage.js";
import { SignUpPage } from "./SignUpPage.js";

const routes = [
  { path: "/signin", element: <SignInPage /> },
  { path: "/signup", element: <SignUpPage /> },
  { path: "/prompts", element: <h1>Prompts</h1> },
  { path: "/", element: <h1>Home</h1> },
];

async function signUpWith(username: string, password: string) {
  await userEvent.type(await screen.findByLabelText("Username"), username);
  await userEvent.type(screen.getByLabelText("Password"), password);
  await userEvent.click(screen.getByRole("button", { name: "Sign up" }));
}

describe("signing up", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("says everything wrong with the name and the password at once, before asking the server", async () => {
    const calls = stubApi(({ url }) => (url === "/api/session" ? json(200, session(null)) : undefined));
    renderAt(routes, "/signup");
    await signUpWith("Ann Smith!", "short");
    const username = screen.getByLabelText("Username");
    const password = screen.getByLabelText("Password");
    expect(username.getAttribute("aria-invalid")).toBe("true");
    expect(password.getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByText(/A username has 3 to 32 characters/)).toBeDefined();
    expect(screen.getByText("This password is too short: use at least 8 characters.")).toBeDefined();
    // The first field to fix has the focus.
    expect(document.activeElement).toBe(username);
    expect(calls.filter((call) => call.method === "POST")).toEqual([]);

    // Each message goes as soon as its field is right.
    await userEvent.clear(username);
    await userEvent.type(username, "ann_smith");
    expect(username.getAttribute("aria-invalid")).toBeNull();
    expect(password.getAttribute("aria-invalid")).toBe("true");
  });

  it("refuses a password that is the username, and sends what passes", async () => {
    const calls = stubApi(({ url, method }) => {
      if (url === "/api/session") return json(200, session(null));
      if (method === "POST" && url === "/api/auth/register")
        return json(409, { error: { code: "USERNAME_TAKEN", message: "taken" } });
    });
    renderAt(routes, "/signup");
    await signUpWith("carla.moreno", "CARLA.MORENO");
    expect(screen.getByText("The password must not be your username.")).toBeDefined();
    expect(screen.getByLabelText("Username").getAttribute("aria-invalid")).toBeNull();

    await userEvent.clear(screen.getByLabelText("Password"));
    await userEvent.type(screen.getByLabelText("Password"), "a quiet harbour at dusk");
    await userEvent.click(screen.getByRole("button", { name: "Sign up" }));
    await screen.findByText("This username is taken. Choose another one.");
    expect(calls.filter((call) => call.method === "POST").map((call) => call.body)).toEqual([
      { username: "carla.moreno", password: "a quiet harbour at dusk" },
    ]);
  });
});

describe("signing in", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("sends someone already signed in on to where they were going", async () => {
    stubApi(({ url }) => (url === "/api/session" ? json(200, session(user(1, "ana"))) : undefined));
    const { router } = renderAt(routes, "/signin?next=%2Fprompts");
    await waitFor(() => expect(router.state.location.pathname).toBe("/prompts"));
    expect(screen.queryByLabelText("Password")).toBeNull();
  });

  it("sends them home from the sign-up form", async () => {
    stubApi(({ url }) => (url === "/api/session" ? json(200, session(user(1, "ana"))) : undefined));
    const { router } = renderAt(routes, "/signup");
    await waitFor(() => expect(router.state.location.pathname).toBe("/"));
  });
});
