import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../config.js";
import { registeredSchemes } from "./registry.js";
import { portSchemes } from "./schemes.js";

describe("the adapter registry", () => {
  it("has a factory for every scheme configuration accepts, and no other", () => {
    for (const port of Object.keys(portSchemes) as (keyof typeof portSchemes)[]) {
      expect([...registeredSchemes[port]].sort(), port).toEqual([...portSchemes[port]].sort());
    }
  });

  it("stops at start on an unknown scheme, naming the setting and the schemes it accepts", () => {
    const attempt = () =>
      loadConfig({
        VERSO_CACHE_URL: "mongodb://localhost",
        VERSO_DATABASE_URL: "oracle://scott:tiger@db/x",
        VERSO_QUEUE_URL: "kafka://broker",
      });
    expect(attempt).toThrow(ConfigError);
    const message = (() => {
      try {
        attempt();
      } catch (error) {
        return (error as Error).message;
      }
      return "";
    })();
    expect(message).toMatch(
      /VERSO_CACHE_URL="mongodb:…": expected one of memory, memcached:…, redis:…, rediss:…/,
    );
    expect(message).toMatch(
      /VERSO_DATABASE_URL="oracle:…": expected one of sqlite:…, mysql:…, mariadb:…, postgres:…/,
    );
    expect(message).toMatch(/VERSO_QUEUE_URL="kafka:…": expected one of db, amqp:…, amqps:…/);
    // The password of a URL setting is never repeated.
    expect(message).not.toContain("tiger");
  });

  it("accepts every scheme of every port", () => {
    const config = loadConfig({
      VERSO_DATABASE_URL: "postgresql://u:p@db/verso",
      VERSO_VECTOR_URL: "opensearch+https://search:9200/passages",
      VERSO_QUEUE_URL: "amqps://broker",
      VERSO_BUCKET_URL: "s3://songs/in",
      VERSO_CACHE_URL: "rediss://cache:6380",
      VERSO_EMBEDDER: "https://embedder.internal",
    });
    expect(config).toMatchObject({ databaseUrl: "postgresql://u:p@db/verso", bucketUrl: "s3://songs/in" });
  });

  it("takes the embedded index's quantization from VERSO_VECTOR_QUANTIZATION, f32 unless set", () => {
    expect(loadConfig({}).vectorQuantization).toBe("f32");
    expect(loadConfig({ VERSO_VECTOR_QUANTIZATION: "i8" }).vectorQuantization).toBe("i8");
    expect(() => loadConfig({ VERSO_VECTOR_QUANTIZATION: "int4" })).toThrow(/VERSO_VECTOR_QUANTIZATION/);
  });
});
