/** Every VERSO_* setting as a flag of the commands (`--database-url`…); flags win over the environment. */
import { Option, type Command } from "commander";
import { loadConfig, settings, type Config, type SettingName } from "../config.js";
import { unknownSettingWarnings } from "../config/unknown-settings.js";

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

export function withSettingFlags(command: Command, names: SettingName[]): Command {
  for (const name of names) {
    const spec = settings[name];
    command.addOption(new Option(`--${kebab(name)} <value>`, `${spec.description} [${spec.env}]`));
  }
  return command;
}

/** Where a command says what in its environment it ignores; `verso serve` uses its log. */
export type Warn = (message: string) => void;

const toStandardError: Warn = (message) => console.error(`warning: ${message}`);

export function configFrom(options: Record<string, unknown>, warn: Warn = toStandardError): Config {
  const flags: Partial<Record<SettingName, string>> = {};
  for (const name of Object.keys(settings) as SettingName[]) {
    const value = options[name];
    if (typeof value === "string") flags[name] = value;
  }
  const config = loadConfig(process.env, flags);
  for (const warning of unknownSettingWarnings(process.env)) warn(warning);
  return config;
}

export const allSettings = Object.keys(settings) as SettingName[];
/** What the account commands take: where the database is. */
export const databaseSettings: SettingName[] = ["dataDir", "databaseUrl", "logLevel"];
/** What the commands that work on the catalog directly (ingest, ask) take. */
export const storageSettings: SettingName[] = allSettings.filter(
  (name) =>
    !["port", "host", "roles", "crawlSchedule", "demo", "trustProxy", "shutdownSeconds"].includes(name),
);
