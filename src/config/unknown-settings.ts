/**
 * VERSO_* variables that are no setting: a typo (VERSO_DATABSE_URL) would otherwise leave the
 * default in place without a word, so each one is named at start with the closest setting.
 */
import { closest, distance } from "fastest-levenshtein";
import { settings } from "./settings.js";

/**
 * Variables of the same prefix read by the tools around Verso (tests, benchmarks, the web
 * app's development server), never by `verso` itself.
 */
const toolVariables = [/^VERSO_SHARED_DIR$/, /^VERSO_CHROMIUM$/, /^VERSO_API_URL$/, /^VERSO_(TEST|FUZZ)_/];

/** Read apart from the table (config.ts refuses it with its own message). */
const retired = ["VERSO_ADMINS"];

/** Further than this from every setting, a name is not taken for a typo of one. */
const maxTypoDistance = 3;

export function unknownSettingWarnings(env: NodeJS.ProcessEnv): string[] {
  const known = Object.values(settings).map((setting) => setting.env);
  const warnings: string[] = [];
  for (const name of Object.keys(env).sort()) {
    if (!name.startsWith("VERSO_") || known.includes(name) || retired.includes(name)) continue;
    if (toolVariables.some((pattern) => pattern.test(name))) continue;
    const nearest = closest(name, known);
    warnings.push(
      distance(name, nearest) <= maxTypoDistance
        ? `${name} is not a Verso setting and is ignored: did you mean ${nearest}?`
        : `${name} is not a Verso setting and is ignored (\`verso serve --help\` lists them)`,
    );
  }
  return warnings;
}
