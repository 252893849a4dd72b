import { presentUser, type UserView } from "../accounts/presenters.js";
import type { Clock, Viewer } from "../accounts/user.js";
import { VersoError } from "../errors.js";
import { cursorCodec, pageOf, type Page } from "./cursor.js";
import { findUserOrFail, findUserOrMove, type UserLookup } from "./find-user.js";
import { mayFollow } from "./policies.js";
import { presentProfile, type ProfileView } from "./presenters.js";
import type { FollowEdge, GraphStore, PeopleStore } from "./store.js";

export interface PeopleServiceDeps {
  users: UserLookup;
  graph: GraphStore;
  people: PeopleStore;
  clock: Clock;
}

export const MAX_SUGGESTIONS = 50;

const followingCodec = cursorCodec("following", ["integer"]);
const followersCodec = cursorCodec("followers", ["integer"]);
const nameSearchCodec = cursorCodec("user-search", ["integer", "string"]);

/** Profiles, the follow graph, and finding people. */
export class PeopleService {
  constructor(private readonly deps: PeopleServiceDeps) {}

  /** Their profile; for a name someone renamed away from, the name they go by now. */
  async profile(name: string, viewer: Viewer | null): Promise<ProfileView | { movedTo: string }> {
    const found = await findUserOrMove(this.deps.users, name);
    if ("movedTo" in found) return found;
    return presentProfile(found.user, await this.deps.graph.stats(found.user.id, viewer?.user.id ?? null));
  }

  /** Idempotent; answers the followee's profile as it now is. */
  async follow(viewer: Viewer, name: string): Promise<ProfileView> {
    const target = await findUserOrFail(this.deps.users, name);
    if (!mayFollow(viewer, target)) throw cannotFollowSelf();
    const outcome = await this.deps.graph.follow({
      followerId: viewer.user.id,
      followeeId: target.id,
      now: this.deps.clock().toISOString(),
    });
    if (outcome === "missing") throw new VersoError("USER_NOT_FOUND", `no user "${name}"`);
    return presentProfile(target, await this.deps.graph.stats(target.id, viewer.user.id));
  }

  /** Idempotent; answers the profile as it now is. */
  async unfollow(viewer: Viewer, name: string): Promise<ProfileView> {
    const target = await findUserOrFail(this.deps.users, name);
    if (!mayFollow(viewer, target)) throw cannotFollowSelf();
    await this.deps.graph.unfollow({ followerId: viewer.user.id, followeeId: target.id });
    return presentProfile(target, await this.deps.graph.stats(target.id, viewer.user.id));
  }

  async following(name: string, options: { cursor?: string; limit: number }): Promise<Page<UserView>> {
    const before = options.cursor === undefined ? null : followingCodec.decode(options.cursor)[0];
    const user = await findUserOrFail(this.deps.users, name);
    const rows = await this.deps.graph.listFollowing({
      userId: user.id,
      beforeFollowId: before,
      limit: options.limit + 1,
    });
    return pageOf(rows, options.limit, followingCodec, edgeKey, presentEdge);
  }

  async followers(name: string, options: { cursor?: string; limit: number }): Promise<Page<UserView>> {
    const before = options.cursor === undefined ? null : followersCodec.decode(options.cursor)[0];
    const user = await findUserOrFail(this.deps.users, name);
    const rows = await this.deps.graph.listFollowers({
      userId: user.id,
      beforeFollowId: before,
      limit: options.limit + 1,
    });
    return pageOf(rows, options.limit, followersCodec, edgeKey, presentEdge);
  }

  /** Case-insensitive; usernames starting with the text come before other matches. */
  async search(text: string, options: { cursor?: string; limit: number }): Promise<Page<UserView>> {
    const after = options.cursor === undefined ? null : nameSearchCodec.decode(options.cursor);
    const query = text.trim().toLowerCase();
    if (query === "") return { items: [], nextCursor: null };
    const rows = await this.deps.people.searchByName({
      text: query,
      after: after && { rank: after[0], username: after[1] },
      limit: options.limit + 1,
    });
    return pageOf(
      rows,
      options.limit,
      nameSearchCodec,
      (row) => [row.rank, row.user.username],
      (row) => presentUser(row.user),
    );
  }

  /** People to discover: never me, nor anyone I already follow. */
  async suggestions(viewer: Viewer | null, count: number): Promise<UserView[]> {
    const users = await this.deps.people.random({
      count: Math.min(count, MAX_SUGGESTIONS),
      excludeFollowedBy: viewer?.user.id ?? null,
    });
    return users.map(presentUser);
  }
}

const edgeKey = (edge: FollowEdge): [number] => [edge.followId];
const presentEdge = (edge: FollowEdge): UserView => presentUser(edge.user);

const cannotFollowSelf = (): VersoError => new VersoError("CANNOT_FOLLOW_SELF", "you cannot follow yourself");
