/**
 * The compose stack (deploy/compose.yaml), read as Compose reads it (YAML merge keys
 * included) and held together with the rest of the repository: Verso's settings are the ones
 * src/config.ts knows, every engine a role names is a service it waits for, Prometheus scrapes
 * the roles where they listen, and Grafana finds its provisioning where it is mounted.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse, parseDocument } from "yaml";
import { loadConfig, settings } from "../../src/config.js";
import { deployDir, packageJson, pinnedImage, repoRoot, runAsync, stubServer } from "./support.js";

interface Healthcheck {
  test: unknown;
  disable?: boolean;
}
interface Service {
  image?: string;
  build?: { context: string; dockerfile?: string };
  restart?: string;
  environment?: Record<string, string | number | boolean | null>;
  healthcheck?: Healthcheck;
  depends_on?: Record<string, { condition: string }> | string[];
  volumes?: string[];
  command?: string[];
  ports?: string[];
}

const composeFile = path.join(deployDir, "compose.yaml");
const composeText = fs.readFileSync(composeFile, "utf8");
const compose = parse(composeText, { merge: true }) as { services: Record<string, Service> };
const services = compose.services;
const knownSettings = new Set(Object.values(settings).map((s) => s.env));

const env = (service: Service) => (service.environment ?? {}) as Record<string, string>;
/** A value as Compose hands it over: defaults taken, required variables given a stand-in. */
const interpolated = (value: string) =>
  value.replace(
    /\$\{(\w+)(?::-([^}]*)|:\?[^}]*)?\}/g,
    (_, name: string, fallback?: string) => fallback ?? `<${name}>`,
  );
const isVerso = (service: Service) => service.image?.split(":")[0] === "verso";
const versoServices = Object.entries(services).filter(([, s]) => isVerso(s));
const roleOf = (service: Service) => env(service).VERSO_ROLES ?? "";
const byRole = (role: string) => {
  const found = versoServices.find(([, s]) => roleOf(s).split(",").includes(role));
  if (!found) throw new Error(`no service runs the ${role} role`);
  return found;
};
const dependsOn = (service: Service): Record<string, string> => {
  const deps = service.depends_on ?? {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((d) => [d, "service_started"]));
  return Object.fromEntries(Object.entries(deps).map(([name, d]) => [name, d.condition]));
};
const oneShot = (service: Service) => service.restart === "no";

/**
 * The host a URL setting names; undefined for the bare words of embedded adapters and for
 * s3://, whose "host" is the bucket (the store is VERSO_S3_ENDPOINT).
 */
const hostOf = (url: string) => {
  if (url.startsWith("s3://")) return undefined;
  const match = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/]*@)?([^:/?,]+)/i.exec(interpolated(url));
  return match?.[1];
};

/** Whether `from` waits, directly or through one-shot jobs, until `to` is healthy. */
function waitsFor(from: string, to: string, seen = new Set<string>()): boolean {
  if (seen.has(from)) return false;
  seen.add(from);
  const deps = dependsOn(services[from]!);
  if (deps[to] === "service_healthy") return true;
  return Object.entries(deps).some(
    ([name, condition]) =>
      condition === "service_completed_successfully" && oneShot(services[name]!) && waitsFor(name, to, seen),
  );
}

/**
 * The settings each role cannot run without in scale-out: the api also starts crawls, and the
 * crawler compares each object's embedding model and the index with the catalog.
 */
const requiredSettings: Record<string, string[]> = {
  api: [
    "VERSO_DATABASE_URL",
    "VERSO_VECTOR_URL",
    "VERSO_CACHE_URL",
    "VERSO_EMBEDDER",
    "VERSO_QUEUE_URL",
    "VERSO_BUCKET_URL",
  ],
  worker: ["VERSO_DATABASE_URL", "VERSO_QUEUE_URL", "VERSO_BUCKET_URL", "VERSO_VECTOR_URL", "VERSO_EMBEDDER"],
  crawler: [
    "VERSO_DATABASE_URL",
    "VERSO_QUEUE_URL",
    "VERSO_BUCKET_URL",
    "VERSO_VECTOR_URL",
    "VERSO_EMBEDDER",
  ],
  embedder: ["VERSO_EMBEDDER"],
};

/** The embedded default of each port: a scale-out role on one of them would be a silent misfit. */
const embeddedDefaults: Record<string, RegExp> = {
  VERSO_DATABASE_URL: /^sqlite:/,
  VERSO_QUEUE_URL: /^db$/,
  VERSO_BUCKET_URL: /^file:/,
  VERSO_CACHE_URL: /^memory$/,
  VERSO_VECTOR_URL: /^embedded$/,
};

describe("compose stack", () => {
  it("is valid YAML without duplicate keys or aliases to nowhere", () => {
    const document = parseDocument(composeText, { merge: true, uniqueKeys: true });
    expect(document.errors).toEqual([]);
    expect(document.warnings).toEqual([]);
  });

  it("has every engine of the scale-out stack", () => {
    const repositories = Object.values(services).map((s) => s.image?.split(":")[0] ?? "");
    for (const wanted of [
      /^mariadb$/,
      /^rabbitmq$/,
      /^minio\/minio$/,
      /^memcached$/,
      /opensearch|elasticsearch/,
      /^prom\/prometheus$/,
      /^grafana\/grafana$/,
    ]) {
      expect(
        repositories.some((r) => wanted.test(r)),
        `an image matching ${wanted}`,
      ).toBe(true);
    }
  });

  it("pins every image by version; Verso's own is built here and tagged with the package version", () => {
    for (const [name, service] of Object.entries(services)) {
      expect(service.image, name).toBeDefined();
      expect(pinnedImage(service.image!), `${name}: ${service.image}`).toBe(true);
      if (isVerso(service)) {
        expect(service.image).toBe(`verso:${packageJson.version}`);
        const context = path.resolve(deployDir, service.build!.context);
        expect(context).toBe(repoRoot);
        expect(fs.existsSync(path.join(context, service.build!.dockerfile ?? "Dockerfile"))).toBe(true);
      }
    }
  });

  it("gives every long-running service a healthcheck; one-shot jobs are waited for to complete", () => {
    for (const [name, service] of Object.entries(services)) {
      if (oneShot(service)) {
        const waiters = Object.values(services).filter(
          (s) => dependsOn(s)[name] === "service_completed_successfully",
        );
        expect(waiters.length, `${name} is waited for`).toBeGreaterThan(0);
        continue;
      }
      const test = service.healthcheck?.test;
      expect(service.healthcheck?.disable, name).not.toBe(true);
      // A list of strings: a colon in a plain YAML scalar would silently make it a mapping.
      expect(Array.isArray(test) && test.every((t) => typeof t === "string"), `${name} healthcheck`).toBe(
        true,
      );
      expect(["CMD", "CMD-SHELL"]).toContain((test as string[])[0]);
    }
  });

  it("waits only on conditions that can come true", () => {
    for (const [name, service] of Object.entries(services)) {
      for (const [dependency, condition] of Object.entries(dependsOn(service))) {
        expect(services[dependency], `${name} depends on ${dependency}`).toBeDefined();
        if (condition === "service_healthy")
          expect(services[dependency]!.healthcheck, dependency).toBeDefined();
        if (condition === "service_completed_successfully") expect(oneShot(services[dependency]!)).toBe(true);
        expect(["service_healthy", "service_completed_successfully"]).toContain(condition);
      }
    }
  });

  it("runs each of Verso's roles in a service of its own", () => {
    const roles = versoServices.map(([, s]) => roleOf(s));
    expect(roles.sort()).toEqual(["api", "crawler", "embedder", "worker"]);
  });

  it.each(Object.keys(requiredSettings))("gives the %s role its settings, known to src/config.ts", (role) => {
    const [name, service] = byRole(role);
    const variables = env(service);
    for (const key of Object.keys(variables).filter((k) => k.startsWith("VERSO_"))) {
      expect(knownSettings.has(key), `${name}: ${key} is not a Verso setting`).toBe(true);
    }
    for (const key of requiredSettings[role]!) {
      expect(variables[key], `${name}: ${key}`).toBeTruthy();
      expect(embeddedDefaults[key]?.test(variables[key]!) ?? false, `${name}: ${key}=${variables[key]}`).toBe(
        false,
      );
    }
    if (role === "embedder") expect(variables.VERSO_EMBEDDER).toBe("use-lite");
    else expect(hostOf(variables.VERSO_EMBEDDER!)).toBe(byRole("embedder")[0]);
    // Verso's own validation, as the process would run it at start.
    const environment = Object.fromEntries(
      Object.entries(variables).map(([k, v]) => [k, interpolated(String(v))]),
    );
    expect(() => loadConfig(environment), name).not.toThrow();
  });

  it.each(Object.keys(requiredSettings))(
    "starts the %s role once every engine it names is healthy",
    (role) => {
      const [name, service] = byRole(role);
      const hosts = Object.entries(env(service))
        .filter(([key]) => key.startsWith("VERSO_"))
        .map(([, value]) => hostOf(String(value)))
        .filter((host): host is string => Boolean(host));
      for (const host of hosts) {
        expect(services[host], `${name} names ${host}`).toBeDefined();
        expect(waitsFor(name, host), `${name} waits for ${host} to be healthy`).toBe(true);
      }
    },
  );

  it("keeps passwords out of the file: each comes from the environment and must be set", () => {
    for (const [name, service] of Object.entries(services)) {
      for (const [key, value] of Object.entries(env(service))) {
        const text = String(value);
        // MARIADB_RANDOM_ROOT_PASSWORD and the like are switches, not passwords.
        if (/PASSWORD|PASS$|SECRET/.test(key) && !/_RANDOM_/.test(key))
          expect(text, `${name}: ${key}`).toMatch(/^\$\{\w+:\?[^}]+\}$/);
        const credentials = /:\/\/[^:/@]+:([^@]+)@/.exec(text)?.[1];
        if (credentials) expect(credentials, `${name}: ${key}`).toMatch(/^\$\{\w+:\?[^}]+\}$/);
      }
    }
    const example = fs.readFileSync(path.join(deployDir, ".env.example"), "utf8");
    for (const variable of new Set([...composeText.matchAll(/\$\{(\w+):\?/g)].map((m) => m[1]))) {
      expect(example, `deploy/.env.example lists ${variable}`).toMatch(new RegExp(`^${variable}=`, "m"));
    }
    expect(fs.readFileSync(path.join(deployDir, ".gitignore"), "utf8")).toMatch(/^\.env$/m);
  });

  describe("Verso's healthcheck", () => {
    const [, api] = byRole("api");
    const command = (api.healthcheck!.test as string[]).slice(1);
    const servers: { close(): Promise<void> }[] = [];
    afterAll(async () => {
      await Promise.all(servers.map((s) => s.close()));
    });

    it("is the same for every role and asks readiness, so depends_on waits for dependencies", () => {
      for (const [name, service] of versoServices) expect(service.healthcheck, name).toEqual(api.healthcheck);
      expect(command.join(" ")).toContain("/readyz");
    });

    it("passes on 200 and fails on 503 from a real server on VERSO_PORT", async () => {
      const ready = await stubServer(200);
      const notReady = await stubServer(503);
      servers.push(ready, notReady);
      const ran = (port: number) =>
        runAsync(command[0]!, command.slice(1), { env: { ...process.env, VERSO_PORT: String(port) } });
      expect((await ran(ready.port)).code).toBe(0);
      expect((await ran(notReady.port)).code).toBe(1);
      expect(ready.paths).toEqual(["/readyz"]);
    });
  });

  describe("monitoring", () => {
    const mounted = (service: Service, target: string) => {
      const volume = service.volumes?.find((v) => v.split(":")[1] === target);
      expect(volume, `a volume mounted at ${target}`).toBeDefined();
      return path.resolve(deployDir, volume!.split(":")[0]!);
    };

    it("Prometheus reads the shipped configuration and scrapes every role where it listens", () => {
      const prometheus = Object.values(services).find((s) => s.image?.startsWith("prom/prometheus:"))!;
      const configPath = /--config\.file=(\S+)/.exec(prometheus.command!.join(" "))![1]!;
      const folder = mounted(prometheus, path.posix.dirname(configPath));
      const config = parse(fs.readFileSync(path.join(folder, path.posix.basename(configPath)), "utf8")) as {
        scrape_configs: { job_name: string; dns_sd_configs?: { names: string[]; port: number }[] }[];
      };
      expect(path.join(folder, path.posix.basename(configPath))).toBe(
        path.join(deployDir, "prometheus", "prometheus.yml"),
      );
      for (const [name, service] of versoServices) {
        const job = config.scrape_configs.find((j) => j.job_name === `verso-${roleOf(service)}`);
        expect(job, `a scrape job for ${name}`).toBeDefined();
        const port = Number(env(service).VERSO_PORT ?? 3000);
        expect(job!.dns_sd_configs).toEqual([expect.objectContaining({ names: [name], port })]);
      }
    });

    it("Grafana gets the provisioning and the dashboards where the provisioning says", () => {
      const grafana = Object.values(services).find((s) => s.image?.startsWith("grafana/grafana:"))!;
      const provisioning = mounted(grafana, "/etc/grafana/provisioning");
      expect(provisioning).toBe(path.join(deployDir, "grafana", "provisioning"));
      const providers = parse(
        fs.readFileSync(path.join(provisioning, "dashboards", "verso.yaml"), "utf8"),
      ) as {
        providers: { options: { path: string } }[];
      };
      const dashboards = mounted(grafana, providers.providers[0]!.options.path);
      expect(fs.readdirSync(dashboards).filter((f) => f.endsWith(".json")).length).toBeGreaterThan(0);

      const sources = parse(
        fs.readFileSync(path.join(provisioning, "datasources", "prometheus.yaml"), "utf8"),
      ) as {
        datasources: { url: string; type: string }[];
      };
      const url = new URL(sources.datasources[0]!.url);
      expect(services[url.hostname]?.image).toMatch(/^prom\/prometheus:/);
      expect(url.port).toBe("9090");
    });
  });
});
