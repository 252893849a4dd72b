/** The follow graph and finding people, over Kysely. */
import { sql } from "kysely";
import type { User } from "../../../core/accounts/user.js";
import type { GraphStore, PeopleStore, UserMatch } from "../../../core/social/store.js";
import { toUser, userColumns } from "./accounts-store.js";
import { isForeignKeyViolation } from "../constraint-errors.js";
import { ignoringDuplicates, randomOrder, type SqlContext } from "../dialect-sql.js";

export function createSqlGraphStore({ db, dialect }: SqlContext): GraphStore {
  const listEdges = async (
    direction: "following" | "followers",
    query: { userId: number; beforeFollowId: number | null; limit: number },
  ) => {
    const [ownColumn, otherColumn] =
      direction === "following"
        ? (["follower_id", "followee_id"] as const)
        : (["followee_id", "follower_id"] as const);
    let select = db
      .selectFrom("follows")
      .innerJoin("users", "users.id", `follows.${otherColumn}`)
      .select(["follows.id as follow_id", ...userColumns])
      .where(`follows.${ownColumn}`, "=", query.userId);
    if (query.beforeFollowId !== null) select = select.where("follows.id", "<", query.beforeFollowId);
    const rows = await select.orderBy("follows.id", "desc").limit(query.limit).execute();
    return rows.map((row) => ({ followId: row.follow_id, user: toUser(row) }));
  };

  return {
    async follow({ followerId, followeeId, now }) {
      const write = db.transaction().execute(async (trx) => {
        const followee = await trx
          .selectFrom("users")
          .select("id")
          .where("id", "=", followeeId)
          .executeTakeFirst();
        if (!followee) return "missing";
        const inserted = await ignoringDuplicates(
          dialect,
          trx
            .insertInto("follows")
            .values({ follower_id: followerId, followee_id: followeeId, created_at: now }),
          ["follower_id", "followee_id"],
        ).executeTakeFirst();
        if (Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0) return "changed";
        // MariaDB's INSERT IGNORE also swallows a follower deleted a moment ago.
        if (dialect === "mariadb") {
          const follower = await trx
            .selectFrom("users")
            .select("id")
            .where("id", "=", followerId)
            .executeTakeFirst();
          if (!follower) return "missing";
        }
        return "unchanged";
      });
      // The follower deleted meanwhile.
      return write.catch((error: unknown) => {
        if (isForeignKeyViolation(error)) return "missing" as const;
        throw error;
      });
    },

    async unfollow({ followerId, followeeId }) {
      const deleted = await db
        .deleteFrom("follows")
        .where("follower_id", "=", followerId)
        .where("followee_id", "=", followeeId)
        .executeTakeFirst();
      return Number(deleted.numDeletedRows) > 0 ? "changed" : "unchanged";
    },

    // Counted on demand through the indexes rather than kept in counters: exact by
    // construction, and cheap (an index range count) at the sizes Verso targets.
    async stats(userId, viewerId) {
      const row = await db
        .selectNoFrom((eb) => [
          eb
            .selectFrom("follows")
            .select((f) => f.fn.countAll<number>().as("n"))
            .where("followee_id", "=", userId)
            .as("followers"),
          eb
            .selectFrom("follows")
            .select((f) => f.fn.countAll<number>().as("n"))
            .where("follower_id", "=", userId)
            .as("following"),
          eb
            .selectFrom("prompts")
            .select((f) => f.fn.countAll<number>().as("n"))
            .where("author_id", "=", userId)
            .as("prompts"),
          viewerId === null
            ? sql<number>`0`.as("followed")
            : eb
                .exists(
                  eb
                    .selectFrom("follows")
                    .select(sql`1`.as("one"))
                    .where("follower_id", "=", viewerId)
                    .where("followee_id", "=", userId),
                )
                .$castTo<number>()
                .as("followed"),
        ])
        .executeTakeFirstOrThrow();
      return {
        followerCount: Number(row.followers),
        followingCount: Number(row.following),
        promptCount: Number(row.prompts),
        following: Boolean(row.followed),
      };
    },

    listFollowing: (query) => listEdges("following", query),
    listFollowers: (query) => listEdges("followers", query),
  };
}

/**
 * Sorts after every character a username may hold (a-z 0-9 _ . -), so the range
 * [text, text + this) holds exactly the usernames starting with text.
 */
const PAST_USERNAME_CHARACTERS = "\u007f";

/**
 * `text` as a LIKE pattern that matches it literally, escaped with "!": a backslash would be
 * read as an escape inside MariaDB's string literals but not in SQLite's or PostgreSQL's.
 */
const likeLiteral = (text: string): string => text.replace(/[!%_]/g, (c) => `!${c}`);

const shuffle = <T>(items: T[]): T[] => {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
};

export function createSqlPeopleStore({ db, dialect }: SqlContext): PeopleStore {
  return {
    // Two steps: usernames starting with the text come from a range of the username index,
    // which fills most pages at once; only when it runs short are all names scanned for the
    // text elsewhere (the slow part, skipped by most searches).
    async searchByName({ text, after, limit }) {
      const matches: UserMatch[] = [];
      if (after === null || after.rank === 0) {
        let prefixed = db
          .selectFrom("users")
          .select(userColumns)
          .where("users.username", ">=", text)
          .where("users.username", "<", `${text}${PAST_USERNAME_CHARACTERS}`);
        if (after) prefixed = prefixed.where("users.username", ">", after.username);
        const rows = await prefixed.orderBy("users.username").limit(limit).execute();
        matches.push(...rows.map((row) => ({ rank: 0 as const, user: toUser(row) })));
      }
      if (matches.length >= limit) return matches;
      const pattern = sql<string>`${`%${likeLiteral(text)}%`} ESCAPE '!'`;
      let elsewhere = db
        .selectFrom("users")
        .select(userColumns)
        .where((eb) =>
          eb.and([
            eb.or([
              eb("users.username", "like", pattern),
              eb(sql`lower(users.display_name)`, "like", pattern),
            ]),
            eb.or([
              eb("users.username", "<", text),
              eb("users.username", ">=", `${text}${PAST_USERNAME_CHARACTERS}`),
            ]),
          ]),
        );
      if (after?.rank === 1) elsewhere = elsewhere.where("users.username", ">", after.username);
      const rows = await elsewhere
        .orderBy("users.username")
        .limit(limit - matches.length)
        .execute();
      matches.push(...rows.map((row) => ({ rank: 1 as const, user: toUser(row) })));
      return matches;
    },

    async random({ count, excludeFollowedBy }) {
      const eligible = () => {
        let query = db.selectFrom("users").select(userColumns);
        if (excludeFollowedBy !== null) {
          query = query
            .where("users.id", "!=", excludeFollowedBy)
            .where("users.id", "not in", (eb) =>
              eb.selectFrom("follows").select("followee_id").where("follower_id", "=", excludeFollowedBy),
            );
        }
        return query;
      };
      // Probing random ids reads a few rows by primary key instead of shuffling the whole
      // table; ids are dense enough that a few probes per wanted user find most of them.
      const bounds = await db
        .selectFrom("users")
        .select((eb) => [eb.fn.min("id").as("low"), eb.fn.max("id").as("high")])
        .executeTakeFirst();
      if (!bounds || bounds.low === null || bounds.high === null) return [];
      const low = Number(bounds.low);
      const span = Number(bounds.high) - low + 1;
      const probes = new Set<number>();
      for (let i = 0; i < count * 4; i += 1) probes.add(low + Math.floor(Math.random() * span));
      const probed = await eligible()
        .where("users.id", "in", [...probes])
        .execute();
      if (probed.length >= count) return shuffle(probed.map(toUser)).slice(0, count);
      // Few users, sparse ids, or most of them followed: let the database shuffle.
      const rows: User[] = (await eligible().orderBy(randomOrder(dialect)).limit(count).execute()).map(
        toUser,
      );
      return rows;
    },
  };
}
