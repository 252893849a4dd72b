import { describe, expect, it } from "vitest";
import { hashSessionToken } from "./session-token.js";
import { SESSION_TOUCH_INTERVAL_MS, SessionService } from "./sessions.js";
import type { SessionStore, StoredSession } from "./store.js";
import type { User } from "./user.js";

const alice: User = {
  id: 7,
  username: "alice",
  displayName: "",
  bio: "",
  createdAt: "2026-01-01T00:00:00.000Z",
};

function memoryStore() {
  const rows = new Map<number, { tokenHash: string; createdAt: string; lastSeenAt: string }>();
  const account = { isAdmin: false };
  let nextId = 1;
  const writes: string[] = [];
  const store: SessionStore = {
    async create({ tokenHash, now }) {
      rows.set(nextId, { tokenHash, createdAt: now, lastSeenAt: now });
      return nextId++;
    },
    async findByTokenHash(tokenHash): Promise<StoredSession | null> {
      for (const [id, row] of rows)
        if (row.tokenHash === tokenHash)
          return {
            id,
            createdAt: row.createdAt,
            lastSeenAt: row.lastSeenAt,
            user: alice,
            userIsAdmin: account.isAdmin,
          };
      return null;
    },
    async touch(id, lastSeenAt) {
      writes.push(lastSeenAt);
      const row = rows.get(id);
      if (row) row.lastSeenAt = lastSeenAt;
    },
    async delete(id) {
      rows.delete(id);
    },
    async deleteForUser() {
      const ended = rows.size;
      rows.clear();
      return ended;
    },
    async deleteIdleSince(cutoff) {
      let deleted = 0;
      for (const [id, row] of rows) {
        if (row.lastSeenAt <= cutoff) {
          rows.delete(id);
          deleted += 1;
        }
      }
      return deleted;
    },
  };
  return { store, rows, writes, account };
}

function setup() {
  let now = Date.parse("2026-12-01T12:00:00.000Z");
  const memory = memoryStore();
  const sessions = new SessionService(memory.store, () => new Date(now), {
    ttlDays: 1,
    maxAgeDays: 3,
  });
  return { ...memory, sessions, advance: (ms: number) => (now += ms) };
}

const day = 24 * 60 * 60 * 1000;

describe("sessions", () => {
  it("stores the token's hash, never the token", async () => {
    const { sessions, rows } = setup();
    const { token } = await sessions.open(alice);
    expect([...rows.values()].map((r) => r.tokenHash)).toEqual([hashSessionToken(token)]);
  });

  it("ends at its maximum age however often it is used, to the millisecond", async () => {
    const { sessions, rows, advance } = setup();
    const { token } = await sessions.open(alice);
    // Used every twelve hours: never idle for its one-day ttl.
    for (let i = 0; i < 5; i++) {
      advance(day / 2);
      expect(await sessions.authenticate(token)).not.toBeNull();
    }
    advance(day / 2 - 1);
    expect(await sessions.authenticate(token)).not.toBeNull();
    advance(1);
    expect(await sessions.authenticate(token)).toBeNull();
    expect(rows.size).toBe(0);
  });

  it("lasts until ttl of idleness, to the millisecond", async () => {
    const { sessions, advance } = setup();
    const { token } = await sessions.open(alice);
    advance(day - 1);
    expect(await sessions.authenticate(token)).not.toBeNull();
    advance(day);
    expect(await sessions.authenticate(token)).toBeNull();
  });

  it("extends on use, writing at most once a minute", async () => {
    const { sessions, advance, writes } = setup();
    const { token } = await sessions.open(alice);
    advance(SESSION_TOUCH_INTERVAL_MS - 1);
    expect((await sessions.authenticate(token))?.extended).toBe(false);
    advance(1);
    expect((await sessions.authenticate(token))?.extended).toBe(true);
    expect((await sessions.authenticate(token))?.extended).toBe(false);
    expect(writes).toHaveLength(1);
  });

  it("refuses malformed, unknown and ended tokens", async () => {
    const { sessions } = setup();
    const { token, sessionId } = await sessions.open(alice);
    expect(await sessions.authenticate("nope")).toBeNull();
    expect(await sessions.authenticate("A".repeat(43))).toBeNull();
    await sessions.end(sessionId);
    expect(await sessions.authenticate(token)).toBeNull();
  });

  it("takes administration from the account at every request, not from when the session began", async () => {
    const { sessions, account } = setup();
    const { token } = await sessions.open(alice);
    expect((await sessions.authenticate(token))?.viewer.isAdmin).toBe(false);
    account.isAdmin = true;
    expect((await sessions.authenticate(token))?.viewer.isAdmin).toBe(true);
    account.isAdmin = false;
    expect((await sessions.authenticate(token))?.viewer.isAdmin).toBe(false);
  });

  it("purges only the sessions idle for the whole ttl", async () => {
    const { sessions, advance, rows } = setup();
    await sessions.open(alice);
    advance(day / 2);
    await sessions.open(alice);
    advance(day / 2);
    expect(await sessions.purgeExpired()).toBe(1);
    expect(rows.size).toBe(1);
  });
});
