/**
 * Every VERSO_* setting, read and validated once at start into a typed object. A bad value
 * stops the process with a message naming the setting and what it accepts. Command-line flags
 * of `verso serve` / `verso ingest` override the environment (flag `--database-url` for
 * VERSO_DATABASE_URL, and so on). The URL settings of the ports accept the schemes of the
 * adapters the registry knows (src/compose/schemes.ts), and nothing else.
 */
import path from "node:path";
import type { z } from "zod";
import { schemeOf } from "./compose/schemes.js";
import { roleNames, settings, type Role, type SettingSpec } from "./config/settings.js";

export { roleNames, settings, type Role } from "./config/settings.js";

export type SettingName = keyof typeof settings;

type Parsed = { [K in SettingName]: z.output<(typeof settings)[K]["schema"]> };

export type Config = Omit<Parsed, "roles"> & { roles: ReadonlySet<Role> };

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join("\n  ")}`);
    this.name = "ConfigError";
  }
}

/**
 * Reads the settings from the environment and from flags (flags win). Throws ConfigError
 * listing every bad setting at once; a secret's value is never repeated in the message.
 */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  flags: Partial<Record<SettingName, string | number | boolean>> = {},
): Config {
  const raw = (name: SettingName): string | undefined => {
    const flag = flags[name];
    if (flag !== undefined) return String(flag);
    const value = env[settings[name].env];
    return value === undefined || value === "" ? undefined : value;
  };
  const dataDir = raw("dataDir") ?? "./data";
  const problems: string[] = [];
  const parsed: Record<string, unknown> = {};
  for (const name of Object.keys(settings) as SettingName[]) {
    const setting: SettingSpec = settings[name];
    const value =
      raw(name) ?? (typeof setting.fallback === "function" ? setting.fallback(dataDir) : setting.fallback);
    const result = setting.schema.safeParse(value);
    if (result.success) parsed[name] = result.data;
    else {
      const shown = !setting.secret
        ? JSON.stringify(value)
        : /^[a-z][a-z0-9+.-]*:/i.test(value)
          ? JSON.stringify(`${schemeOf(value)}:…`)
          : "(hidden)";
      problems.push(`${setting.env}=${shown}: expected ${setting.accepts}`);
    }
  }
  // Silently ignoring it would leave an operator believing the listed names are admins.
  if (env.VERSO_ADMINS) {
    problems.push(
      "VERSO_ADMINS is no longer read: administrators are accounts granted with `verso admin grant NAME`",
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const roles = parsed.roles as string[];
  return {
    ...(parsed as Omit<Parsed, "roles">),
    roles: new Set(roles.includes("all") ? roleNames : (roles as Role[])),
  };
}

/** The folder behind a file:// URL. */
export const fileUrlPath = (url: string): string =>
  path.resolve(decodeURIComponent(url.replace(/^file:\/\//, "")));
