/**
 * The API's types, derived from the route schemas, are exactly what the services answer and
 * accept: a schema that drops a field, adds one or makes it nullable fails the typecheck here
 * (`expectTypeOf` is checked by tsc; at run time it does nothing).
 */
import { describe, expectTypeOf, it } from "vitest";
import type { AccountService, SignedIn as Authenticated } from "../core/accounts/account-service.js";
import type { UserView } from "../core/accounts/presenters.js";
import type { Viewer } from "../core/accounts/user.js";
import type { CatalogService } from "../core/catalog/catalog-service.js";
import type * as Domain from "../core/catalog/song.js";
import type { SongPages } from "../core/catalog/song-pages.js";
import type { ErrorCode } from "../core/errors.js";
import type { SongHit as FoundSong, SongSearch } from "../core/search/types.js";
import type { FeedService } from "../core/social/feed.js";
import type { PeopleService } from "../core/social/people.js";
import type { ServerPlaylists } from "../core/playlists/server-playlists.js";
import type { PromptService } from "../core/social/prompts.js";
import type * as Api from "./api-types.js";
import type { Presented } from "./songs/present.js";
import type { SongsDeps } from "./songs/routes.js";

/**
 * The structure alone, however it is written: an interface, an intersection and an object type
 * with the same properties are one type here, as they are to a client reading the JSON.
 */
type Plain<T> = T extends readonly (infer Item)[]
  ? Plain<Item>[]
  : T extends object
    ? { [K in keyof T]: Plain<T[K]> }
    : T;
/** What an asynchronous method resolves to. */
type Answer<Method extends (...args: never[]) => Promise<unknown>> = Awaited<ReturnType<Method>>;
/** The n-th argument of a method. */
type Argument<Method extends (...args: never[]) => unknown, N extends number> = Parameters<Method>[N];

describe("the API's types", () => {
  it("are the answers of accounts and people", () => {
    expectTypeOf<Plain<Api.User>>().toEqualTypeOf<Plain<UserView>>();
    expectTypeOf<Plain<Api.SignedIn>>().toEqualTypeOf<
      Plain<{ token: Authenticated["token"]; user: UserView }>
    >();
    expectTypeOf<Plain<Api.Session>>().toEqualTypeOf<
      Plain<{ user: UserView | null; isAdmin: Viewer["isAdmin"] }>
    >();
    expectTypeOf<Plain<Api.Profile> | Plain<Api.Moved>>().toEqualTypeOf<
      Plain<Answer<PeopleService["profile"]>>
    >();
    expectTypeOf<Plain<Api.Suggestions["items"]>>().toEqualTypeOf<
      Plain<Answer<PeopleService["suggestions"]>>
    >();
    expectTypeOf<Plain<Api.Page<Api.User>>>().toEqualTypeOf<Plain<Answer<PeopleService["search"]>>>();
    expectTypeOf<Plain<Api.Page<Api.User>>>().toEqualTypeOf<Plain<Answer<PeopleService["followers"]>>>();
  });

  it("are the answers of prompts and the feed", () => {
    type Read = Answer<PromptService["read"]>;
    expectTypeOf<Plain<Api.Prompt>>().toEqualTypeOf<Plain<Answer<PromptService["publish"]>>>();
    expectTypeOf<Plain<Api.UserRef>>().toEqualTypeOf<Plain<Api.Prompt["author"]>>();
    expectTypeOf<Plain<Api.PromptWithSongs>>().toEqualTypeOf<
      Plain<Read["prompt"] & Presented<Omit<Read, "prompt">>>
    >();
    expectTypeOf<Plain<Api.Page<Api.Prompt>>>().toEqualTypeOf<Plain<Answer<PromptService["list"]>>>();
    expectTypeOf<Plain<Api.Page<Api.FeedItem>>>().toEqualTypeOf<Plain<Answer<FeedService["page"]>>>();
  });

  it("are the answers of search, songs and the catalog", () => {
    expectTypeOf<Plain<Api.AudioFeatures>>().toEqualTypeOf<Plain<Domain.AudioFeatures>>();
    expectTypeOf<Plain<Api.Song>>().toEqualTypeOf<Plain<Presented<Domain.Song>>>();
    expectTypeOf<Plain<Api.SongHit>>().toEqualTypeOf<Plain<Presented<FoundSong>>>();
    expectTypeOf<Plain<Api.SongWithLyrics>>().toEqualTypeOf<Plain<Presented<Answer<SongPages["song"]>>>>();
    expectTypeOf<Plain<Api.Passage>>().toEqualTypeOf<Plain<Answer<SongPages["passage"]>>>();
    expectTypeOf<Plain<Api.Page<Api.Song>>>().toEqualTypeOf<
      Plain<Presented<Answer<SongPages["byArtist"]>>>
    >();
    expectTypeOf<Plain<Api.SimilarSongs["results"]>>().toEqualTypeOf<
      Plain<Presented<Answer<SongsDeps["similar"]>>>
    >();
    expectTypeOf<Plain<Api.AskResponse>>().toEqualTypeOf<Plain<Presented<Answer<SongSearch["ask"]>>>>();
    expectTypeOf<Plain<Api.CatalogStatus>>().toEqualTypeOf<Plain<Answer<CatalogService["status"]>>>();
    expectTypeOf<Plain<Api.CatalogObjectStatus>>().toEqualTypeOf<Plain<Api.CatalogStatus["items"][number]>>();
    expectTypeOf<Plain<Api.ScanReport>>().toEqualTypeOf<Plain<Answer<CatalogService["scan"]>>>();
    expectTypeOf<Plain<Api.ErrorCode>>().toEqualTypeOf<Plain<ErrorCode>>();
  });

  it("are the answers of playlists saved on the music server", () => {
    expectTypeOf<Plain<Api.MusicServerAccount>>().toEqualTypeOf<Plain<Answer<ServerPlaylists["account"]>>>();
    expectTypeOf<Plain<Api.MusicServerAccount>>().toEqualTypeOf<
      Plain<Answer<ServerPlaylists["saveAccount"]>>
    >();
    expectTypeOf<Plain<Api.ServerPlaylist>>().toEqualTypeOf<Plain<Answer<ServerPlaylists["save"]>>>();
    expectTypeOf<Plain<Api.MusicServerAccountInput>>().toEqualTypeOf<
      Plain<Argument<ServerPlaylists["saveAccount"], 1>>
    >();
  });

  it("are what the services accept", () => {
    expectTypeOf<Plain<Api.Credentials>>().toEqualTypeOf<
      Plain<Omit<Argument<AccountService["login"], 0>, "address">>
    >();
    expectTypeOf<Plain<Api.ProfileUpdate>>().toEqualTypeOf<
      Plain<Argument<AccountService["updateProfile"], 1>>
    >();
    expectTypeOf<Plain<Api.PasswordChange>>().toEqualTypeOf<
      Plain<Argument<AccountService["changePassword"], 1>>
    >();
    expectTypeOf<Plain<Api.AccountDeletion>>().toEqualTypeOf<
      Plain<Argument<AccountService["deleteAccount"], 1>>
    >();
    expectTypeOf<Plain<Api.PromptInput["text"]>>().toEqualTypeOf<
      Plain<Argument<PromptService["publish"], 1>>
    >();
    expectTypeOf<Plain<Api.AskRequest>>().toEqualTypeOf<Plain<Argument<SongSearch["ask"], 0>>>();
  });
});
