/**
 * Headless Chromium from the system's package (never a downloaded browser), driven by
 * playwright-core. Every page records what would make a test of it meaningless: uncaught errors,
 * refused Content-Security-Policy loads, failed requests to the app's own origin.
 */
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

/** Debian's chromium package; VERSO_CHROMIUM names another binary. */
export const chromiumExecutable = process.env.VERSO_CHROMIUM ?? "/usr/bin/chromium";

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumExecutable,
    // Without the background-networking flags Chromium calls Google's services from a closed network.
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

export type Theme = "light" | "dark";

export interface ContextOptions {
  theme?: Theme;
  width?: number;
  height?: number;
  /** The browser's language, e.g. "en-US" or "es-ES". */
  locale?: string;
}

export interface WatchedPage {
  context: BrowserContext;
  page: Page;
  /** Uncaught errors and refused loads seen so far; a test expects none. */
  problems: string[];
}

export async function openPage(
  browser: Browser,
  baseURL: string,
  options: ContextOptions = {},
): Promise<WatchedPage> {
  const context = await browser.newContext({
    baseURL,
    colorScheme: options.theme ?? "light",
    viewport: { width: options.width ?? 1280, height: options.height ?? 900 },
    locale: options.locale ?? "en-US",
    reducedMotion: "reduce",
  });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error" && /Content Security Policy|Refused to/i.test(message.text()))
      problems.push(`CSP: ${message.text()}`);
  });
  page.on("requestfailed", (request) => {
    const failure = request.failure()?.errorText ?? "";
    // Requests the app itself cancels (a query superseded by a newer one) and requests made
    // while a test holds the browser offline are not failures of the app.
    if (request.url().startsWith(baseURL) && !/ERR_ABORTED|ERR_INTERNET_DISCONNECTED/.test(failure))
      problems.push(`request failed: ${request.url()} ${failure}`);
  });
  return { context, page, problems };
}
