/**
 * The app's own words, from its translation files, so the tests find controls by what a person
 * reads in either language, and a missing translation fails them.
 */
import { en } from "../../../web/src/i18n/en.js";
import { es } from "../../../web/src/i18n/es.js";

export type Language = "en" | "es";

const messages = { en, es } as const;

/** A message by its key ("auth.signUp"), with {{placeholders}} filled in. */
export function text(language: Language, key: string, values: Record<string, string | number> = {}): string {
  let node: unknown = messages[language];
  for (const part of key.split(".")) node = (node as Record<string, unknown> | undefined)?.[part];
  if (typeof node !== "string") throw new Error(`no message ${key} in ${language}`);
  return node.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(values[name] ?? `{{${name}}}`));
}
