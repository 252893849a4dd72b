/**
 * `verso serve | ingest | ask`: one program, several roles. Every VERSO_* setting is also a
 * flag (`--data-dir`, `--database-url`, …); flags win over the environment.
 */
import fs from "node:fs";
import path from "node:path";
import { Command, Option } from "commander";
import cliProgress from "cli-progress";
import { pino } from "pino";
import { addModelCommand } from "./cli-model.js";
import { ConfigError, loadConfig, settings, type Config, type SettingName } from "./config.js";
import { composeVerso, type Verso } from "./compose/index.js";
import type { AccountAdministration } from "./core/accounts/administration.js";
import type { CatalogObject } from "./core/catalog/store.js";
import { isVersoError } from "./core/errors.js";
import { CatalogReindex } from "./core/catalog/reindex.js";
import { ingestOnce } from "./roles/ingest-once.js";
import { serveProcess } from "./roles/serve.js";

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

function withSettingFlags(command: Command, names: SettingName[]): Command {
  for (const name of names) {
    const spec = settings[name];
    command.addOption(new Option(`--${kebab(name)} <value>`, `${spec.description} [${spec.env}]`));
  }
  return command;
}

function configFrom(options: Record<string, unknown>): Config {
  const flags: Partial<Record<SettingName, string>> = {};
  for (const name of Object.keys(settings) as SettingName[]) {
    const value = options[name];
    if (typeof value === "string") flags[name] = value;
  }
  return loadConfig(process.env, flags);
}

async function serve(options: Record<string, unknown>) {
  const config = configFrom(options);
  const logger = pino({ level: config.logLevel });
  const running = serveProcess(config, { logger });
  let stopping = false;
  const shutdown = async (reason: string, code: number) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${reason}: shutting down (at most ${config.shutdownSeconds} s)`);
    const deadline = setTimeout(() => {
      logger.error(`still stopping after ${config.shutdownSeconds} s: exiting anyway`);
      process.exit(code || 1);
    }, config.shutdownSeconds * 1000);
    deadline.unref();
    await running.stop().catch((error: unknown) => logger.error({ err: error }, "shutdown failed"));
    process.exit(code);
  };
  process.on("SIGINT", () => void shutdown("SIGINT", 0));
  process.on("SIGTERM", () => void shutdown("SIGTERM", 0));
  // A bug that escaped every handler leaves the process in a state nobody planned for: it is
  // logged, and the process stops in order (a supervisor starts a fresh one) instead of going on.
  process.on("unhandledRejection", (error) => {
    logger.fatal({ err: error }, "unhandled rejection");
    void shutdown("unhandled rejection", 1);
  });
  process.on("uncaughtException", (error) => {
    logger.fatal({ err: error }, "uncaught exception");
    void shutdown("uncaught exception", 1);
  });
  await running.started.catch(async (error: unknown) => {
    if (stopping) return;
    logger.fatal({ err: error }, "could not start");
    await shutdown("start-up failed", 1);
  });
}

const rate = (songs: number, ms: number) => (ms > 0 ? (songs / (ms / 1000)).toFixed(1) : "–");

function printSummary(objects: CatalogObject[], ms: number) {
  const sum = (f: (o: CatalogObject) => number) => objects.reduce((s, o) => s + f(o), 0);
  const songs = sum((o) => o.songs);
  console.log("");
  for (const o of objects) {
    const detail = o.status === "failed" ? `FAILED: ${o.error}` : `${o.songs} songs, ${o.passages} passages`;
    console.log(
      `  ${o.key}: ${detail}${o.skipped ? `, ${o.skipped} skipped` : ""}${o.errors ? `, ${o.errors} bad rows` : ""}`,
    );
  }
  console.log(
    `objects ${objects.length} (${objects.filter((o) => o.status === "failed").length} failed) · songs ${songs} · ` +
      `passages ${sum((o) => o.passages)} · skipped ${sum((o) => o.skipped)} · errors ${sum((o) => o.errors)} · ` +
      `${rate(songs, ms)} songs/s · ${(ms / 1000).toFixed(1)} s`,
  );
}

async function ingest(target: string, options: Record<string, unknown>) {
  const config = configFrom({ ...options, demo: "false" });
  const absolute = path.resolve(target);
  if (!fs.existsSync(absolute)) throw new Error(`no such file or folder: ${target}`);
  const verso: Verso = composeVerso(config);
  try {
    await (await verso.index()).refresh();
    const bar = new cliProgress.SingleBar(
      {
        format:
          "{bar} {percentage}% | {songs} songs | {passages} passages | {rate} songs/s | ETA {eta_formatted}",
        hideCursor: true,
        // Redirected to a log, a line every ten seconds still shows that work goes on.
        noTTYOutput: true,
        notTTYSchedule: 10_000,
      },
      cliProgress.Presets.shades_classic,
    );
    const started = Date.now();
    let barStarted = false;
    const run = await ingestOnce(verso, `file://${absolute}`, {
      onProgress(p) {
        if (!barStarted) {
          console.log("ingesting new and changed objects");
          bar.start(p.totalBytes, 0, { songs: 0, passages: 0, rate: "–" });
          barStarted = true;
        }
        bar.update(p.bytes, {
          songs: p.songs,
          passages: p.passages,
          rate: rate(p.songs, Date.now() - started),
        });
      },
    });
    if (barStarted) bar.stop();
    if (run.objects.length === 0)
      console.log(`nothing to do: ${run.listed} objects listed, none new or changed`);
    printSummary(run.objects, run.ms);
    const withErrors = run.objects.filter((x) => x.errors > 0);
    const rowErrors = await (
      await verso.catalogStores()
    ).status.rowErrors(
      withErrors.map((o) => o.id),
      10,
    );
    for (const o of withErrors) {
      const errors = rowErrors.get(o.id) ?? [];
      console.log(
        `  bad rows in ${o.key}${o.errors > errors.length ? ` (first ${errors.length} of ${o.errors})` : ""}:`,
      );
      for (const e of errors) console.log(`    line ${e.line}: ${e.reason}`);
    }
    return run.objects.some((o) => o.status === "failed") ? 1 : 0;
  } finally {
    await verso.close();
  }
}

async function ask(prompt: string, options: Record<string, unknown>) {
  const config = configFrom(options);
  const verso = composeVerso(config);
  try {
    await (await verso.index()).refresh();
    const k = typeof options.k === "string" ? Number(options.k) : undefined;
    const answer = await (await verso.search()).ask({ prompt, ...(k ? { k } : {}) });
    answer.results.forEach((r, i) => {
      console.log(`${i + 1}. ${r.song.title} — ${r.song.artists.join(", ")}  (${r.score.toFixed(4)})`);
      console.log(`   “${r.passage.text.replace(/\s+/g, " ").slice(0, 160)}”`);
    });
    return 0;
  } finally {
    await verso.close();
  }
}

async function reindex(options: Record<string, unknown>) {
  const config = configFrom(options);
  const verso = composeVerso(config);
  try {
    const [{ reembedding }, embedder, index] = [
      await verso.catalogStores(),
      await verso.embedder(),
      await verso.index(),
    ];
    await index.refresh();
    const bar = new cliProgress.SingleBar(
      {
        format: "{bar} {percentage}% | {value}/{total} passages | {songs} songs | ETA {eta_formatted}",
        hideCursor: true,
        noTTYOutput: true,
        notTTYSchedule: 10_000,
      },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    const reindexing = new CatalogReindex({ store: reembedding, embedder, indexWriter: index });
    const result = await reindexing.run((p) => {
      if (p.passagesTotal === 0) return;
      if (!started) {
        console.log(`re-embedding ${p.passagesTotal} passages with ${embedder.model.name}`);
        bar.start(p.passagesTotal, 0, { songs: 0 });
        started = true;
      }
      bar.update(p.passagesDone, { songs: p.songsDone });
    });
    if (started) bar.stop();
    console.log(
      result.passagesTotal === 0
        ? `nothing to do: every passage is embedded with ${embedder.model.name}`
        : `re-embedded ${result.passagesDone} passages of ${result.songsDone} songs (from ${result.models.join(", ")}) with ${embedder.model.name}`,
    );
    return 0;
  } finally {
    await verso.close();
  }
}

/** Runs an operator's account command against the configured database, then closes it. */
async function administer(
  options: Record<string, unknown>,
  work: (administration: AccountAdministration) => Promise<string[]>,
): Promise<number> {
  const verso = composeVerso(configFrom(options));
  try {
    for (const line of await work(await verso.administration())) console.log(line);
    return 0;
  } finally {
    await verso.close();
  }
}

const allSettings = Object.keys(settings) as SettingName[];
/** What the account commands take: where the database is. */
const databaseSettings: SettingName[] = ["dataDir", "databaseUrl", "logLevel"];
/** What the commands that work on the catalog directly (ingest, ask) take. */
const storageSettings: SettingName[] = allSettings.filter(
  (name) =>
    !["port", "host", "roles", "crawlSchedule", "demo", "trustProxy", "shutdownSeconds"].includes(name),
);

const program = new Command("verso").description("Find songs by what their lyrics mean.");
withSettingFlags(
  program.command("serve").description("run the roles of this process (default: api, worker, crawler)"),
  allSettings,
).action(serve);
withSettingFlags(
  program
    .command("ingest")
    .description("ingest a CSV file or a folder of CSV files, then print a summary")
    .argument("<path>", "a .csv file or a folder of them"),
  storageSettings,
).action(async (target: string, options: Record<string, unknown>) => {
  process.exitCode = await ingest(target, options);
});
withSettingFlags(
  program
    .command("ask")
    .description("print the songs that fit a prompt")
    .argument("<prompt>", "what the songs should be about")
    .option("-k <count>", "how many songs"),
  storageSettings,
).action(async (prompt: string, options: Record<string, unknown>) => {
  process.exitCode = await ask(prompt, options);
});

withSettingFlags(
  program
    .command("reindex")
    .description(
      "embed again, from their stored text, the passages embedded with another model than the configured one",
    ),
  storageSettings,
).action(async (options: Record<string, unknown>) => {
  process.exitCode = await reindex(options);
});

addModelCommand(program, withSettingFlags, configFrom);

const admin = program
  .command("admin")
  .description(
    "grant, withdraw or list administration: who may trigger a crawl and read the catalog's detail",
  );
withSettingFlags(
  admin.command("grant").description("make an account an administrator").argument("<username>"),
  databaseSettings,
).action(async (username: string, options: Record<string, unknown>) => {
  process.exitCode = await administer(options, async (a) => {
    const user = await a.grantAdmin(username);
    return [`${user.username} is an administrator`];
  });
});
withSettingFlags(
  admin.command("revoke").description("withdraw an account's administration").argument("<username>"),
  databaseSettings,
).action(async (username: string, options: Record<string, unknown>) => {
  process.exitCode = await administer(options, async (a) => {
    const user = await a.revokeAdmin(username);
    return [`${user.username} is no longer an administrator`];
  });
});
withSettingFlags(admin.command("list").description("print the administrators"), databaseSettings).action(
  async (options: Record<string, unknown>) => {
    process.exitCode = await administer(options, async (a) => {
      const admins = await a.listAdmins();
      return admins.length > 0 ? admins.map((u) => u.username) : ["no administrators"];
    });
  },
);

withSettingFlags(
  program
    .command("sessions")
    .description("end sessions")
    .command("revoke")
    .description("sign an account out everywhere at once")
    .argument("<username>"),
  databaseSettings,
).action(async (username: string, options: Record<string, unknown>) => {
  process.exitCode = await administer(options, async (a) => {
    const { user, ended } = await a.revokeSessions(username);
    return [`ended ${ended} session${ended === 1 ? "" : "s"} of ${user.username}`];
  });
});

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(error.message);
  else if (isVersoError(error)) console.error(`${error.code}: ${error.message}`);
  else console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
