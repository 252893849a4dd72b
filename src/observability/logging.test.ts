import { describe, expect, it } from "vitest";
import { browserAddress, createLogger, readableLine } from "./logging.js";

/** A terminal or a pipe that keeps what is written to it. */
function output(isTTY: boolean) {
  const written: string[] = [];
  return { isTTY, written, write: (text: string) => written.push(text) };
}

describe("createLogger", () => {
  it("writes JSON lines to a pipe", () => {
    const pipe = output(false);
    createLogger("info", pipe).info({ objects: 2 }, "empty catalog: queued the demo catalog");
    const record = JSON.parse(pipe.written.join(""));
    expect(record).toMatchObject({ level: 30, msg: "empty catalog: queued the demo catalog", objects: 2 });
  });

  it("writes one readable line per record to a terminal, never JSON", () => {
    const terminal = output(true);
    const logger = createLogger("info", terminal);
    logger.info({ objects: 2, key: "demo one.csv" }, "queued");
    logger.debug("not at this level");
    logger.error({ err: new Error("the bucket is gone") }, "crawl failed");
    expect(terminal.written).toHaveLength(2);
    expect(terminal.written[0]).toMatch(/^\d\d:\d\d:\d\d INFO {2}queued objects=2 key="demo one.csv"\n$/);
    expect(terminal.written[1]).toMatch(
      /^\d\d:\d\d:\d\d ERROR crawl failed\n {2}Error: the bucket is gone\n {2,}at /,
    );
    for (const line of terminal.written) expect(line).not.toMatch(/^\{/);
  });
});

describe("readableLine", () => {
  it("shows a request's method, path, status and time as a person reads them", () => {
    const line = readableLine(
      JSON.stringify({
        level: 30,
        time: Date.parse("2026-01-01T10:00:00"),
        reqId: "req-1",
        req: { method: "GET", url: "/api/ask" },
        res: { statusCode: 200 },
        responseTime: 12.345,
        msg: "request completed",
      }),
    );
    expect(line).toBe("10:00:00 INFO  request completed GET /api/ask 200 12.3 ms reqId=req-1\n");
  });

  it("passes a line that is not JSON through as it is", () => {
    expect(readableLine("plain words")).toBe("plain words\n");
  });
});

describe("browserAddress", () => {
  it("names localhost for a server listening on every address, and brackets IPv6", () => {
    expect(browserAddress("0.0.0.0", 3000)).toBe("http://localhost:3000");
    expect(browserAddress("::", 8080)).toBe("http://localhost:8080");
    expect(browserAddress("127.0.0.1", 3000)).toBe("http://127.0.0.1:3000");
    expect(browserAddress("::1", 3000)).toBe("http://[::1]:3000");
  });
});
