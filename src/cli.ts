/**
 * `verso serve | ingest | ask | reindex | model | admin | sessions`: one program, several
 * roles, one file per larger command in cli/. Every VERSO_* setting is also a flag
 * (`--data-dir`, `--database-url`, …); flags win over the environment.
 */
import { Command } from "commander";
import { ConfigError } from "./config.js";
import { composeVerso } from "./compose/index.js";
import type { AccountAdministration } from "./core/accounts/administration.js";
import { isVersoError } from "./core/errors.js";
import { ingest } from "./cli/ingest.js";
import { addModelCommand } from "./cli/model.js";
import {
  allSettings,
  configFrom,
  databaseSettings,
  storageSettings,
  withSettingFlags,
} from "./cli/options.js";
import { reindex } from "./cli/reindex.js";
import { serve } from "./cli/serve.js";

async function ask(prompt: string, options: Record<string, unknown>) {
  const config = configFrom(options);
  const verso = composeVerso(config);
  try {
    await (await verso.index()).refresh();
    const k = typeof options.k === "string" ? Number(options.k) : undefined;
    const answer = await (await verso.search()).ask({ prompt, ...(k ? { k } : {}) });
    if (answer.reembedding) {
      const { model, done, total } = answer.reembedding;
      console.log(
        `The catalog is being re-embedded with ${model} (verso reindex): this answer covers ${done} of ${total} songs.`,
      );
    }
    answer.results.forEach((r, i) => {
      console.log(`${i + 1}. ${r.song.title} — ${r.song.artists.join(", ")}  (${r.score.toFixed(4)})`);
      console.log(`   “${r.passage.text.replace(/\s+/g, " ").slice(0, 160)}”`);
      // A song of a music library says where it is: its file, or its server.
      const place = r.song.origin?.path ?? r.song.origin?.webUrl;
      if (place) console.log(`   ${place}`);
    });
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

addModelCommand(program);

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
