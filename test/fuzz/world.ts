/**
 * The app under fuzzing: the social routes over a fresh database with the search, playlist,
 * songs and catalog routes beside them (as the api role registers them), a few users with prompts,
 * likes and follows, and two users the fuzzer acts as: one ordinary, one administrator. A run
 * may end their sessions, change their passwords, rename or delete them; `ensureActors` gives
 * each a working session again before the next run.
 */
import type { FastifyPluginAsync } from "fastify";
import { createSqlCatalogStores } from "../../src/adapters/sql/catalog/index.js";
import { createSqlSongStore } from "../../src/adapters/sql/song-store.js";
import { CatalogService } from "../../src/core/catalog/catalog-service.js";
import { VersoError } from "../../src/core/errors.js";
import { PlaylistService } from "../../src/core/playlists/playlist-service.js";
import { m3u8Format } from "../../src/adapters/playlists/m3u8.js";
import { xspfFormat } from "../../src/adapters/playlists/xspf.js";
import { catalogRoutes } from "../../src/http/catalog/routes.js";
import { playlistRoutes } from "../../src/http/playlists/routes.js";
import { musicServerRoutes } from "../../src/http/music-server/routes.js";
import { ServerPlaylists } from "../../src/core/playlists/server-playlists.js";
import { searchRoutes } from "../../src/http/search/routes.js";
import { songsRoutes } from "../../src/http/songs/routes.js";
import { artistRoutes } from "../../src/http/artists/routes.js";
import { SongPages } from "../../src/core/catalog/song-pages.js";
import { openTestDatabase } from "../support/databases.js";
import { fakeSongSearch } from "../support/fake-song-search.js";
import { buildTestApp, lightHasher, PASSWORD, type TestApp } from "../support/test-app.js";
import { TOKEN, type FuzzRequest } from "./arbitraries.js";

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
}

export interface World {
  t: TestApp;
  /** Calls so far that cost an embedding or a search: asks, similar songs, people found. */
  costlyCalls(): number;
  /** Gives the ordinary user and the administrator a working session each. */
  ensureActors(): Promise<void>;
  send(request: FuzzRequest): Promise<Reply>;
  /** Requests sent by `send`. */
  sent: number;
  close(): Promise<void>;
}

export const ACTORS = { user: "fuzzer", admin: "root" } as const;

/** Where the fuzzer's own sign-ins come from, apart from the fuzzed requests' addresses. */
const SETUP_ADDRESS = "198.51.100.1";
const REQUEST_TIMEOUT_MS = 15_000;

export async function buildWorld(): Promise<World> {
  const catalogDatabase = await openTestDatabase();
  const songs = createSqlSongStore(catalogDatabase);
  const catalog = new CatalogService({
    status: createSqlCatalogStores(catalogDatabase).status,
    queueStats: async () => ({ ready: 0, inFlight: 0, dead: 0 }),
    scan: async () => ({ listed: 0, queued: 0, requeued: 0, removed: 0 }),
  });
  const search = fakeSongSearch();
  let similarCalls = 0;
  const answers = new PlaylistService({
    search,
    // The app's own prompts, read when a playlist is asked for (the app is built by then).
    prompts: { visible: (id, viewer) => t.module.prompts.visible(id, viewer) },
  });
  const t = await buildTestApp({
    otherRoutes: [
      searchRoutes(search),
      songsRoutes({
        pages: new SongPages(songs),
        similar: async (id) => {
          similarCalls += 1;
          if (!(await songs.getSong(id))) throw new VersoError("SONG_NOT_FOUND", `no song with id ${id}`);
          return [];
        },
      }),
      artistRoutes(new SongPages(songs)),
      catalogRoutes(catalog),
      playlistRoutes({ playlists: answers, formats: { m3u8: m3u8Format, xspf: xspfFormat } }),
      // A catalog that is not a music server's: saving there is refused, whatever is sent.
      musicServerRoutes(
        new ServerPlaylists({
          server: null,
          accounts: { find: async () => null, save: async () => {}, remove: async () => {} },
          playlists: answers,
          clock: () => new Date(),
        }),
      ),
    ] as FastifyPluginAsync[],
  });
  // The social routes' searches: asks through the app's own fake search, and finding people.
  let peopleSearches = 0;
  const people = t.module.people;
  const searchPeople = people.search.bind(people);
  people.search = (...args) => {
    peopleSearches += 1;
    return searchPeople(...args);
  };
  const knownHash = await lightHasher().hash(PASSWORD);
  const tokens: Record<"user" | "admin", string> = { user: "", admin: "" };

  const signIn = async (username: string): Promise<string> => {
    const existing = await t.db
      .selectFrom("users")
      .select("id")
      .where("username", "=", username)
      .executeTakeFirst();
    // A run may have changed the password to one only the fuzzer's generator knew.
    if (existing) {
      await t.db
        .updateTable("users")
        .set({ password_hash: knownHash })
        .where("id", "=", existing.id)
        .execute();
    }
    const reply = await t.call("POST", existing ? "/api/auth/login" : "/api/auth/register", {
      body: { username, password: PASSWORD },
      address: SETUP_ADDRESS,
    });
    if (reply.status !== 200 && reply.status !== 201)
      throw new Error(`signing ${username} in: ${reply.status} ${JSON.stringify(reply.body)}`);
    return reply.body.token as string;
  };

  const ensureActors = async () => {
    for (const role of ["user", "admin"] as const) {
      const current = tokens[role] ? await t.module.sessions.authenticate(tokens[role]) : null;
      if (current?.viewer.user.username !== ACTORS[role]) {
        tokens[role] = await signIn(ACTORS[role]);
        // A run may have deleted the administrator: the account registered in its place is not one.
        if (role === "admin") await t.grantAdmin(ACTORS.admin);
      }
    }
  };

  // Others to like, follow and be refused on behalf of; the fuzzer never holds their sessions.
  const others = await Promise.all(["alice", "bob", "carol"].map((name) => t.register(name)));
  await ensureActors();
  const authors = [...others.map((o) => o.token), tokens.user, tokens.admin];
  const promptIds: number[] = [];
  for (const [i, token] of authors.entries()) {
    for (const text of [`rain on the roof ${i}`, `songs about leaving ${i}`]) {
      const reply = await t.call("POST", "/api/prompts", { token, body: { text } });
      promptIds.push(reply.body.id as number);
    }
  }
  for (const [i, { token }] of others.entries()) {
    await t.call("PUT", `/api/prompts/${promptIds[(i * 2 + 2) % promptIds.length]}/like`, { token });
    await t.call("PUT", `/api/users/${ACTORS.user}/follow`, { token });
    await t.call("PUT", `/api/users/${others[(i + 1) % others.length]?.username}/follow`, { token });
  }

  let sent = 0;
  const world: World = {
    t,
    costlyCalls: () => search.asked.length + t.search.asked.length + similarCalls + peopleSearches,
    ensureActors,
    get sent() {
      return sent;
    },
    async send(request) {
      const token = request.identity === "anonymous" ? "" : tokens[request.identity];
      const headers = Object.fromEntries(
        Object.entries(request.headers).map(([name, value]) => [
          name,
          Array.isArray(value)
            ? value.map((v) => v.replaceAll(TOKEN, token))
            : value.replaceAll(TOKEN, token),
        ]),
      );
      const url = await resolvePromptRefs(t, request.url);
      sent += 1;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)),
          REQUEST_TIMEOUT_MS,
        );
      });
      try {
        const response = await Promise.race([
          t.app.inject({
            method: request.method as "GET",
            url,
            headers: headers as Record<string, string>,
            remoteAddress: request.address,
            ...(request.payload !== undefined ? { payload: request.payload } : {}),
          }),
          timeout,
        ]);
        return { status: response.statusCode, headers: response.headers, body: response.body };
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      await t.close();
      await catalogDatabase.close();
    },
  };
  return world;
}

/** Turns {prompt:N} into the id of the Nth prompt that exists now, so ids keep hitting something. */
async function resolvePromptRefs(t: TestApp, url: string): Promise<string> {
  if (!url.includes("{prompt:")) return url;
  const ids = (await t.db.selectFrom("prompts").select("id").orderBy("id").execute()).map((r) => r.id);
  return url.replace(/\{prompt:(\d+)\}/g, (_, n: string) =>
    String(ids[Number(n) % Math.max(ids.length, 1)] ?? 1),
  );
}
