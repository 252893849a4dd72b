/**
 * The bench scripts' options, read with node:util's parseArgs: `--help` lists them, and a
 * mistake (an unknown option, a value missing) says what went wrong and which options there
 * are, rather than ending in a stack trace.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";

function isArgumentError(error: unknown): error is Error {
  return error instanceof Error && String((error as { code?: unknown }).code).startsWith("ERR_PARSE_ARGS_");
}

/** `usage: <command> [options]` and a line per option, with its default, from the config itself. */
function usageOf(command: string, config: ParseArgsConfig): string {
  const lines = Object.entries(config.options ?? {}).map(([name, option]) => {
    const flag = option.type === "boolean" ? `--${name}` : `--${name} <value>`;
    // A switch is off unless given, and an empty default says nothing.
    const initial =
      typeof option.default === "string" && option.default !== "" ? `(default ${option.default})` : "";
    return `  ${flag.padEnd(28)} ${initial}`.trimEnd();
  });
  return [`usage: ${command} [options]`, ...lines].join("\n");
}

/** The options of `command` (how it is run, for its usage) as parseArgs reads them. */
export function readOptions<T extends ParseArgsConfig>(
  command: string,
  config: T,
): ReturnType<typeof parseArgs<T>> {
  const args = config.args ?? process.argv.slice(2);
  if (args.includes("--help") || args.includes("-h")) {
    console.log(usageOf(command, config));
    process.exit(0);
  }
  try {
    return parseArgs(config);
  } catch (error) {
    if (!isArgumentError(error)) throw error;
    console.error(`${error.message}\n${usageOf(command, config)}`);
    process.exit(2);
  }
}
