/**
 * A client in a process of its own, as real clients are: for each prompt read from standard
 * input it posts to /api/ask and prints one line of JSON, {ms, cached}. Used by `npm run bench`.
 * A line that is a JSON object is sent as the whole request body (a prompt with filters).
 *
 *   node ask-client.js <url> < prompts (one per line)
 */
import http from "node:http";
import { createInterface } from "node:readline";

const url = process.argv[2];
if (!url) throw new Error("usage: ask-client <url> < prompts");
// One kept-alive connection, as a browser or an API client holds one.
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function post(prompt: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url!,
      { method: "POST", agent, headers: { "content-type": "application/json" } },
      (response) => {
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (body += chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
      },
    );
    request.on("error", reject);
    request.end(prompt.startsWith("{") ? prompt : JSON.stringify({ prompt }));
  });
}

for await (const prompt of createInterface({ input: process.stdin })) {
  if (!prompt) continue;
  const t0 = performance.now();
  const response = await post(prompt);
  const ms = performance.now() - t0;
  const body = JSON.parse(response.body) as { cached?: boolean; results?: unknown[] };
  if (response.status !== 200 || !body.results?.length)
    throw new Error(`ask failed for ${prompt}: ${response.body}`);
  console.log(JSON.stringify({ ms, cached: body.cached }));
}
agent.destroy();
