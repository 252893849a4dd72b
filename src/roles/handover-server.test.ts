import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { setTimeout as sleep } from "node:timers/promises";
import { createHandoverServer, requestTimeouts, type HandoverServer } from "./handover-server.js";

let handover: HandoverServer | undefined;
afterEach(async () => {
  await handover?.close();
  handover = undefined;
});

/** Sends a request whose 100-byte body comes one byte at a time; resolves with what the server said and when it hung up. */
function trickle(port: number, everyMs: number): Promise<{ answer: string; bytesSent: number }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    let answer = "";
    let bytesSent = 0;
    let timer: NodeJS.Timeout | undefined;
    socket.on("connect", () => {
      socket.write(
        "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n",
      );
      timer = setInterval(() => {
        if (socket.writable) {
          socket.write("x");
          bytesSent += 1;
        }
      }, everyMs);
    });
    socket.on("data", (chunk) => (answer += chunk.toString()));
    socket.on("error", reject);
    socket.on("close", () => {
      clearInterval(timer);
      resolve({ answer, bytesSent });
    });
  });
}

describe("the process's HTTP server", () => {
  it("gives a whole request 30 s and its headers 15 s, far below Node's 300 s", () => {
    handover = createHandoverServer();
    expect(handover.server.requestTimeout).toBe(requestTimeouts.requestMs);
    expect(handover.server.requestTimeout).toBeLessThanOrEqual(30_000);
    expect(handover.server.headersTimeout).toBeLessThanOrEqual(handover.server.requestTimeout);
  });

  it("drops a client that sends its body a byte at a time with 408, once the request time is out", async () => {
    handover = createHandoverServer({ requestMs: 1_500, headersMs: 1_000, checkEveryMs: 200 });
    const mount = handover.mount();
    // Never answered before its whole body has come.
    mount.serverFactory((request, response) => {
      request.resume();
      request.on("end", () => response.end("whole"));
    }, {});
    mount.activate();
    await handover.listen(0, "127.0.0.1");
    const port = (handover.server.address() as net.AddressInfo).port;
    const { answer, bytesSent } = await trickle(port, 300);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    // Cut off long before the 100 bytes (30 s at this pace) were sent.
    expect(bytesSent).toBeLessThan(20);
  });

  it("answers a second request on a keep-alive connection left idle past Node's 5 s", async () => {
    handover = createHandoverServer();
    const mount = handover.mount();
    mount.serverFactory((_request, response) => response.end("ok"), {});
    mount.activate();
    await handover.listen(0, "127.0.0.1");
    const socket = net.connect((handover.server.address() as net.AddressInfo).port, "127.0.0.1");
    let received = "";
    let closed = false;
    socket.on("data", (chunk) => (received += chunk.toString()));
    socket.on("close", () => (closed = true));
    const request = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    socket.write(request);
    await sleep(7_500);
    socket.write(request);
    await sleep(300);
    socket.destroy();
    expect(closed).toBe(false);
    expect(received.match(/HTTP\/1\.1 200/g)).toHaveLength(2);
  });
});
