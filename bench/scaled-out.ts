/**
 * `npm run bench -- --only scaled-out`: ingest throughput of the roles as separate processes on
 * the real engines (MariaDB, RabbitMQ, an S3 server, Memcached; the stack of test/system), with
 * one worker and then two, both fed by one embedder process: 534 real songs of four
 * `song-lyrics-21-artists` files in the bucket, songs per second from the first object started
 * to the last finished. Needs the servers the system tests use.
 */
import { allFinished, datasetFiles, songsPerSecond, startStack } from "../test/system/stack.js";

const files = datasetFiles("Khalid", "CharliePuth", "CardiB", "BillieEilish");

async function songsPerSecondWith(workers: number): Promise<number> {
  const stack = await startStack({ dialect: "mariadb", cache: "memcached" });
  try {
    await stack.upload(files);
    const embedder = await stack.start("embedder", "embedder");
    await stack.ready(embedder);
    const roles = [await stack.start("crawler", "crawler")];
    for (let i = 1; i <= workers; i += 1) roles.push(await stack.start(`worker-${i}`, "worker"));
    for (const role of roles) await stack.ready(role);
    const census = await allFinished(stack, files.length);
    const failed = census.objects.filter((o) => o.status !== "done");
    if (failed.length > 0) throw new Error(`${failed.length} catalog objects failed to ingest`);
    return songsPerSecond(census.objects);
  } finally {
    await stack.stop();
  }
}

export async function benchScaledOut(log: (line: string) => void): Promise<[string, string][]> {
  log("\n── scaled out: ingest with one worker and with two, one embedder process ──");
  const one = await songsPerSecondWith(1);
  log(`1 worker   ${one.toFixed(2)} songs/s`);
  const two = await songsPerSecondWith(2);
  log(`2 workers  ${two.toFixed(2)} songs/s (×${(two / one).toFixed(2)})`);
  return [
    ["scaled out, 1 worker (songs/s)", one.toFixed(2)],
    ["scaled out, 2 workers (songs/s)", two.toFixed(2)],
  ];
}
