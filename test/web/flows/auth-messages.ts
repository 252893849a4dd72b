/** What sign-up and sign-in say when they refuse: each reason in words, a rate limit with its wait. */
import { describe, expect, it } from "vitest";
import { text } from "../support/texts.js";
import {
  expectNoProblems,
  open,
  PASSWORD,
  signOut,
  signUp,
  uniqueUsername,
  type Harness,
} from "./harness.js";

export function authMessages(harness: Harness) {
  describe("signing up and in", () => {
    it("says why a username or a password is refused", async () => {
      const watched = await open(harness);
      const { page } = watched;
      try {
        await page.goto("/signup");
        const username = page.getByLabel(text("en", "auth.username"));
        const password = page.getByLabel(text("en", "auth.password"));
        const submit = page.getByRole("button", { name: text("en", "auth.signUp") });

        await username.fill("Ann Smith!");
        await password.fill(PASSWORD);
        await submit.click();
        await page.getByText(text("en", "errors.usernameInvalid")).waitFor();
        expect(await username.getAttribute("aria-invalid")).toBe("true");

        await username.fill(uniqueUsername("carla"));
        await password.fill("short");
        await submit.click();
        await page.getByText(text("en", "errors.passwordTooShort")).waitFor();
        expect(await password.getAttribute("aria-invalid")).toBe("true");

        await password.fill("password123");
        await submit.click();
        await page.getByText(text("en", "errors.passwordTooCommon")).waitFor();
        expectNoProblems(watched);
      } finally {
        await watched.context.close();
      }
    });

    it("says when the credentials are wrong, and how long to wait after too many tries", async () => {
      const watched = await open(harness);
      const { page } = watched;
      try {
        const name = uniqueUsername("dario");
        await signUp(page, "en", name);
        await signOut(page, "en");
        await page.goto("/signin");
        await page.getByLabel(text("en", "auth.username")).fill(name);
        const password = page.getByLabel(text("en", "auth.password"));
        const submit = page.getByRole("button", { name: text("en", "auth.signIn") });
        // Five wrong passwords for one name are allowed per quarter hour; the sixth is refused.
        for (let attempt = 1; attempt <= 5; attempt++) {
          await password.fill(`not the password ${attempt}`);
          await submit.click();
          await page.getByText(text("en", "errors.invalidCredentials")).waitFor();
          await expect.poll(() => submit.isEnabled()).toBe(true);
        }
        await password.fill(PASSWORD);
        await submit.click();
        const refusal = page.getByRole("alert").filter({ hasText: "Too many attempts. Try again in" });
        await refusal.waitFor();
        expect(await refusal.textContent()).toMatch(/Try again in (\d+ minutes?)?( ?\d+ seconds?)?\.$/);
        // The button waits with the person.
        expect(await submit.isDisabled()).toBe(true);
        await page.getByText(/You can try again in/).waitFor();
        expectNoProblems(watched);
      } finally {
        await watched.context.close();
      }
    });
  });
}
