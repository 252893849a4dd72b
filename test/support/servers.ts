/**
 * Where the real servers that scale-out tests use are: the machine's own by default, or the
 * VERSO_TEST_* settings. `.ci/run` starts each of them before `npm test`; a test that needs one
 * fails when it is down (it never skips), so a missing server cannot pass for a green run.
 *
 * Every test names what it creates with `uniqueName`, so runs that share a server (two test
 * files at once, two CI runs) never see each other's data.
 */
import { randomBytes } from "node:crypto";

export const testServers = {
  mariadb: process.env.VERSO_TEST_MARIADB_URL ?? "mysql://root@127.0.0.1:3306/",
  postgres: process.env.VERSO_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres",
  redis: process.env.VERSO_TEST_REDIS_URL ?? "redis://127.0.0.1:6379",
  memcached: process.env.VERSO_TEST_MEMCACHED_URL ?? "memcached://127.0.0.1:11211",
  rabbitmq: process.env.VERSO_TEST_AMQP_URL ?? "amqp://guest:guest@127.0.0.1:5672",
} as const;

/** A name no other test run uses: lower-case letters, digits and underscores, starting with a letter. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${randomBytes(4).toString("hex")}`;
}
