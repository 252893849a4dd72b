/**
 * Latency of the social network on a realistic graph, on each SQL dialect side by side:
 *
 *   npm run bench -- --only social [--dialects sqlite,mariadb,postgres]
 *
 * Seeds 10,000 users, 100,000 prompts, 200,000 follows and 100,000 likes (each a repost) into a
 * fresh database (a SQLite file, or a MariaDB database / PostgreSQL schema of the servers the
 * tests use, dropped after), then times requests through the whole HTTP stack (app.inject: routing,
 * validation, session lookup, SQL, serialization; no network). Authors and followees are
 * skewed the way social graphs are: a few people write and are followed a lot, so the feed of
 * someone following them walks long histories. Login is timed apart: argon2id with the
 * production parameters is meant to be slow.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { InjectOptions } from "fastify";
import type { Kysely } from "kysely";
import { createMemoryCache } from "../src/adapters/cache/memory.js";
import { createArgon2Hasher } from "../src/adapters/password/argon2-hasher.js";
import { sql } from "kysely";
import { openDatabase, type SqlDialect } from "../src/adapters/sql/database.js";
import { createPromptSearch } from "../src/adapters/sql/social/prompt-search.js";
import { createSqlFeedStore } from "../src/adapters/sql/social/feed-store.js";
import { promptSearchTerms } from "../src/core/social/search-terms.js";
import { searchText } from "../src/adapters/sql/search-text.js";
import type { Database } from "../src/adapters/sql/schema/index.js";
import type { SongSearch } from "../src/core/search/types.js";
import { apiPlugins } from "../src/http/api-plugins.js";
import { buildHttpApp, type HttpApp } from "../src/http/app.js";
import { createMetrics } from "../src/observability/metrics.js";
import { createSocialServices } from "../src/compose/social.js";
import { socialRoutes } from "../src/http/social-routes.js";
import { createTestDatabaseUrl } from "../test/support/databases.js";
import { seededRandom } from "./seeded-random.js";

const SIZES = {
  users: 10_000,
  prompts: 100_000,
  follows: 200_000,
  likes: 100_000,
  /** A few people follow very many: the feed's worst case, timed on its own. */
  heavyFollowers: 10,
  heavyFollowing: 2_000,
};

const PASSWORD = "bench passphrase for everyone";
const BATCH = 1_000;

// ── deterministic data ──────────────────────────────────────────────────────────────────────

/** Picks index i of n with weight 1 / (i + offset): a long-tailed popularity. */
function skewedPicker(n: number, offset: number, rand: () => number): () => number {
  const cumulative = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i += 1) cumulative[i] = total += 1 / (i + offset);
  return () => {
    const target = rand() * total;
    let low = 0;
    let high = n - 1;
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((cumulative[mid] ?? 0) < target) low = mid + 1;
      else high = mid;
    }
    return low;
  };
}

const VOCABULARY = (
  "love heart night rain summer dance fire dream light road home sky river ocean city moon star cold " +
  "heartbreak tears smile kiss lonely morning sunset highway freedom memory storm thunder winter autumn " +
  "spring flower garden desert mountain train station party friends family mother father child young old " +
  "forever never tonight yesterday tomorrow goodbye hello sorry angel devil heaven ghost shadow silence " +
  "music guitar piano drums voice song radio melody rhythm blues gold silver diamond money poor rich king " +
  "queen war peace soldier letter phone window door street bridge island wave sand salt wine whiskey coffee " +
  "bed blanket fever hunger thirst lost found running falling flying burning shining waiting crying laughing " +
  "drive speed midnight dawn neon electric wild free broken golden blue red green black white grey purple " +
  "secret promise lie truth trust faith hope fear anger pride shame glory victory defeat battle escape chase " +
  "journey traveler stranger lover enemy brother sister neighbor teacher sailor pilot cowboy outlaw rebel " +
  "canción corazón noche amor lluvia fuego sueño playa calle cielo mar vida muerte tiempo"
).split(" ");
const FILLERS = ["songs about", "a song for", "something like", "music for", "tracks about", "play me"];

function promptText(rand: () => number, pickWord: () => number): string {
  const words = Array.from({ length: 2 + Math.floor(rand() * 6) }, () => VOCABULARY[pickWord()]);
  const filler = FILLERS[Math.floor(rand() * FILLERS.length)];
  return `${filler} ${words.join(rand() < 0.5 ? " and " : " ")}`;
}

// ── seeding ─────────────────────────────────────────────────────────────────────────────────

interface Seeded {
  userCount: number;
  heavyFollowerIds: number[];
}

async function insertInBatches<T>(rows: T[], insert: (batch: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH) await insert(rows.slice(i, i + BATCH));
}

async function seed(db: Kysely<Database>, dialect: SqlDialect, log: (line: string) => void): Promise<Seeded> {
  const rand = seededRandom(42);
  const pickUser = skewedPicker(SIZES.users, 10, rand);
  const pickWord = skewedPicker(VOCABULARY.length, 3, rand);
  const start = Date.parse("2026-01-01T00:00:00.000Z");
  const at = (seconds: number) => new Date(start + seconds * 1000).toISOString();

  // One real argon2id hash for everyone: hashing 10,000 passwords would take minutes and
  // measure nothing.
  const passwordHash = await createArgon2Hasher().hash(PASSWORD);
  const users = Array.from({ length: SIZES.users }, (_, i) => ({
    id: i + 1,
    username: `user${i + 1}`,
    display_name: `User ${i + 1}`,
    password_hash: passwordHash,
    created_at: at(i),
    updated_at: at(i),
  }));

  const follows: Array<{ follower_id: number; followee_id: number; created_at: string }> = [];
  const followed = new Set<number>();
  const addFollow = (follower: number, followee: number) => {
    const key = follower * (SIZES.users + 1) + followee;
    if (follower === followee || followed.has(key)) return;
    followed.add(key);
    follows.push({
      follower_id: follower,
      followee_id: followee,
      created_at: at(SIZES.users + follows.length),
    });
  };
  const heavyFollowerIds = Array.from({ length: SIZES.heavyFollowers }, (_, i) => 5_001 + i);
  for (const follower of heavyFollowerIds) {
    const before = follows.length;
    while (follows.length - before < SIZES.heavyFollowing) addFollow(follower, pickUser() + 1);
  }
  while (follows.length < SIZES.follows) addFollow(1 + Math.floor(rand() * SIZES.users), pickUser() + 1);

  // Posts and likes interleaved in time, so reposts sit among posts in every history.
  const prompts: Array<{
    id: number;
    author_id: number;
    text: string;
    search_text: string;
    word_count: number;
    like_count: number;
    created_at: string;
    updated_at: string;
  }> = [];
  const likes: Array<{ user_id: number; prompt_id: number; created_at: string }> = [];
  const activities: Array<{
    id: number;
    actor_id: number;
    prompt_id: number;
    kind: "post" | "repost";
    created_at: string;
  }> = [];
  const liked = new Set<number>();
  const timeline = SIZES.users + SIZES.follows;
  for (let event = 0; prompts.length < SIZES.prompts || likes.length < SIZES.likes; event += 1) {
    const now = at(timeline + event * 30);
    const post =
      likes.length >= SIZES.likes ||
      (prompts.length < SIZES.prompts && (prompts.length < 100 || rand() < 0.5));
    if (post) {
      const text = promptText(rand, pickWord);
      const words = searchText(text);
      const prompt = {
        id: prompts.length + 1,
        author_id: pickUser() + 1,
        text,
        search_text: words.text,
        word_count: words.wordCount,
        like_count: 0,
        created_at: now,
        updated_at: now,
      };
      prompts.push(prompt);
      activities.push({
        id: activities.length + 1,
        actor_id: prompt.author_id,
        prompt_id: prompt.id,
        kind: "post",
        created_at: now,
      });
      continue;
    }
    const prompt = prompts[Math.floor(rand() * prompts.length)];
    const liker = 1 + Math.floor(rand() * SIZES.users);
    if (!prompt || liked.has(liker * (SIZES.prompts + 1) + prompt.id)) continue;
    liked.add(liker * (SIZES.prompts + 1) + prompt.id);
    prompt.like_count += 1;
    likes.push({ user_id: liker, prompt_id: prompt.id, created_at: now });
    if (liker !== prompt.author_id) {
      activities.push({
        id: activities.length + 1,
        actor_id: liker,
        prompt_id: prompt.id,
        kind: "repost",
        created_at: now,
      });
    }
  }

  const began = performance.now();
  await db.transaction().execute(async (trx) => {
    await insertInBatches(users, (batch) => trx.insertInto("users").values(batch).execute());
    await insertInBatches(follows, (batch) => trx.insertInto("follows").values(batch).execute());
    await insertInBatches(prompts, (batch) => trx.insertInto("prompts").values(batch).execute());
    await insertInBatches(likes, (batch) => trx.insertInto("likes").values(batch).execute());
    await insertInBatches(activities, (batch) => trx.insertInto("activities").values(batch).execute());
  });
  // Statistics for the planner and PostgreSQL's visibility map (without which no index-only
  // scan skips the heap), as a long-running database's autovacuum would have left them; the
  // explicit ids above leave PostgreSQL's identity sequences behind, so they move on.
  if (dialect === "mariadb") await sql`ANALYZE TABLE users, follows, prompts, likes, activities`.execute(db);
  else if (dialect === "postgres") await sql`VACUUM ANALYZE`.execute(db);
  else await sql`ANALYZE`.execute(db);
  if (dialect === "postgres") {
    for (const table of ["users", "follows", "prompts", "activities"]) {
      await sql`SELECT setval(pg_get_serial_sequence(${table}, 'id'), (SELECT max(id) FROM ${sql.table(table)}))`.execute(
        db,
      );
    }
  }
  log(
    `seeded ${users.length} users, ${prompts.length} prompts, ${follows.length} follows, ` +
      `${likes.length} likes, ${activities.length} activities in ${((performance.now() - began) / 1000).toFixed(1)} s`,
  );
  return { userCount: users.length, heavyFollowerIds };
}

// ── timing ──────────────────────────────────────────────────────────────────────────────────

interface Latency {
  p50: number;
  p99: number;
  samples: number;
}

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function measure(samples: number, run: (i: number) => Promise<number>): Promise<Latency> {
  const times: number[] = [];
  for (let i = 0; i < samples; i += 1) times.push(await run(i));
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99), samples };
}

/** Milliseconds of one request, failing loudly on anything but the expected status. */
async function timed(app: HttpApp, request: InjectOptions, status = 200): Promise<number> {
  const began = performance.now();
  const response = await app.inject(request);
  const elapsed = performance.now() - began;
  if (response.statusCode !== status) {
    throw new Error(`${String(request.url)}: ${response.statusCode} ${response.body.slice(0, 200)}`);
  }
  return elapsed;
}

const unusedSearch: SongSearch = {
  ask: async () => {
    throw new Error("the social bench never asks for songs");
  },
};

export async function runSocialBench(options: {
  log: (line: string) => void;
  dialect?: SqlDialect;
}): Promise<Record<string, number>> {
  const { log } = options;
  const dialect = options.dialect ?? "sqlite";
  const directory = await mkdtemp(path.join(tmpdir(), "verso-social-bench-"));
  const scratch =
    dialect === "sqlite"
      ? { url: `sqlite:${path.join(directory, "social.db")}`, drop: async () => {} }
      : await createTestDatabaseUrl(dialect);
  const database = await openDatabase(scratch.url);
  const metrics = createMetrics({ defaultMetrics: false });
  const social = createSocialServices({
    database,
    cache: createMemoryCache(),
    config: { sessionTtlDays: 30, sessionMaxAgeDays: 90, hashConcurrency: 2 },
    search: unusedSearch,
    metrics,
    hasher: createArgon2Hasher(),
  });
  const app = await buildHttpApp({ metrics, routes: [...apiPlugins(social), ...socialRoutes(social)] });
  try {
    const seeded = await seed(database.db, dialect, log);
    const rand = seededRandom(7);
    const anyUser = () => 1 + Math.floor(rand() * seeded.userCount);
    const tokens = new Map<number, string>();
    const tokenOf = async (userId: number): Promise<string> => {
      let token = tokens.get(userId);
      if (!token) {
        const user = { id: userId, username: `user${userId}`, displayName: "", bio: "", createdAt: "" };
        token = (await social.sessions.open(user)).token;
        tokens.set(userId, token);
      }
      return token;
    };
    const feed = async (userId: number, cursor?: string) =>
      app.inject({
        url: `/api/feed${cursor ? `?cursor=${cursor}` : ""}`,
        headers: { authorization: `Bearer ${await tokenOf(userId)}` },
      });
    const feedAt = async (userId: number, page: number): Promise<number> => {
      let cursor: string | undefined;
      for (let i = 1; i < page; i += 1) {
        cursor = (await feed(userId, cursor)).json<{ nextCursor: string | null }>().nextCursor ?? undefined;
        if (!cursor) return NaN;
      }
      return timed(app, {
        url: `/api/feed${cursor ? `?cursor=${cursor}` : ""}`,
        headers: { authorization: `Bearer ${await tokenOf(userId)}` },
      });
    };
    // Searches use words as often as prompts do: common words come up often, and match a lot.
    const pickQueryWord = skewedPicker(VOCABULARY.length, 3, rand);
    const wordQuery = (words: number) =>
      Array.from({ length: words }, () => VOCABULARY[pickQueryWord()]).join(" ");

    for (let i = 0; i < 200; i += 1) await feedAt(anyUser(), 1); // warm caches and the JIT

    const results: Array<[string, Latency]> = [];
    const record = (name: string, latency: Latency) => {
      results.push([name, latency]);
      log(
        `${name.padEnd(40)} p50 ${latency.p50.toFixed(2).padStart(7)} ms   p99 ${latency.p99.toFixed(2).padStart(7)} ms`,
      );
    };

    record("feed, first page", await measure(2_000, () => feedAt(anyUser(), 1)));
    record("feed, fifth page", await measure(500, () => feedAt(anyUser(), 5)));
    const heavy = seeded.heavyFollowerIds;
    record(
      `feed, first page, following ${SIZES.heavyFollowing}`,
      await measure(200, (i) => feedAt(heavy[i % heavy.length] ?? 1, 1)),
    );
    // The feed store alone, as served and with the merge of each followee's history only (what
    // it did for everybody before wide feeds got their own query), on the same viewers.
    const storeContext = { db: database.db, dialect };
    const stores = {
      "as served": createSqlFeedStore(storeContext),
      "merge only": createSqlFeedStore(storeContext, {
        wideFollowing: Number.MAX_SAFE_INTEGER,
        windowPerItem: 0,
      }),
    };
    const someViewers = Array.from({ length: 500 }, anyUser);
    for (const [viewers, viewerAt] of [
      ["first page", (i: number) => someViewers[i] ?? 1],
      [`following ${SIZES.heavyFollowing}`, (i: number) => heavy[i % heavy.length] ?? 1],
    ] as const) {
      for (const [name, store] of Object.entries(stores)) {
        record(
          `  its store, ${viewers}, ${name}`,
          await measure(500, async (i) => {
            const viewerId = viewerAt(i);
            const began = performance.now();
            await store.page({ viewerId, beforeActivityId: null, limit: 21 });
            return performance.now() - began;
          }),
        );
      }
    }
    const searches = Array.from({ length: 1_000 }, () => wordQuery(1 + Math.floor(rand() * 2)));
    record(
      "prompt search, 1–2 words",
      await measure(searches.length, (i) =>
        timed(app, { url: `/api/prompts?q=${encodeURIComponent(searches[i] ?? "")}` }),
      ),
    );
    // The floor under that line: the full-text index finding the same queries' matches, and
    // nothing else (no scoring, no page, no HTTP).
    const promptSearch = createPromptSearch({ db: database.db, dialect });
    record(
      "  its full-text match alone",
      await measure(searches.length, async (i) => {
        const began = performance.now();
        await promptSearch.count(promptSearchTerms(searches[i] ?? ""));
        return performance.now() - began;
      }),
    );
    record(
      "prompt search, the commonest word",
      await measure(200, () => timed(app, { url: "/api/prompts?q=love" })),
    );
    record(
      "prompt search, second page",
      await measure(300, async () => {
        const url = `/api/prompts?q=${encodeURIComponent(wordQuery(1))}`;
        const first = (await app.inject({ url })).json<{ nextCursor: string | null }>();
        return first.nextCursor ? timed(app, { url: `${url}&cursor=${first.nextCursor}` }) : NaN;
      }),
    );
    record(
      "people search",
      await measure(1_000, () => timed(app, { url: `/api/users?q=user${1 + Math.floor(rand() * 999)}` })),
    );
    record(
      "profile with counts",
      await measure(1_000, async () =>
        timed(app, {
          url: `/api/users/user${anyUser()}`,
          headers: { authorization: `Bearer ${await tokenOf(anyUser())}` },
        }),
      ),
    );
    record(
      "suggestions (random 20)",
      await measure(500, async () =>
        timed(app, {
          url: "/api/users/random?n=20",
          headers: { authorization: `Bearer ${await tokenOf(anyUser())}` },
        }),
      ),
    );
    const loginBody = (i: number) => ({ username: `user${1 + (i % seeded.userCount)}`, password: PASSWORD });
    record(
      "login (argon2id m=19 MiB t=2)",
      await measure(40, (i) =>
        timed(app, {
          method: "POST",
          url: "/api/auth/login",
          payload: loginBody(i),
          remoteAddress: `10.1.${i >> 8}.${i & 255}`,
        }),
      ),
    );
    const burst = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        timed(app, {
          method: "POST",
          url: "/api/auth/login",
          payload: loginBody(i),
          remoteAddress: `10.2.0.${i}`,
        }),
      ),
    );
    burst.sort((a, b) => a - b);
    record("login, 16 at once (2 hashing)", {
      p50: percentile(burst, 50),
      p99: percentile(burst, 99),
      samples: 16,
    });

    const figures: Record<string, number> = {};
    for (const [name, latency] of results) {
      const key = name.replace(/[^a-z0-9]+/gi, "_").replace(/^_|_$/g, "");
      figures[`${key}_p50_ms`] = Number(latency.p50.toFixed(3));
      figures[`${key}_p99_ms`] = Number(latency.p99.toFixed(3));
    }
    return figures;
  } finally {
    await social.close();
    await app.close();
    await database.close();
    await scratch.drop();
    await rm(directory, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  runSocialBench({ log: (line) => console.log(line) }).then(
    (figures) => console.log(JSON.stringify(figures, null, 2)),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
