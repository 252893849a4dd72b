/**
 * The Kustomize base and overlays, rendered by `kubectl kustomize` as `kubectl apply -k` would
 * render them. Every object is validated against the Kubernetes schemas (kubernetes-models) and
 * checked for fields the kind does not have; then what the schemas cannot know: probes on the
 * right paths, limits, a locked-down security context, settings that src/config.ts knows with
 * secrets only in Secrets, references that resolve, and autoscalers and disruption budgets that
 * can act.
 */
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { loadConfig, settings } from "../../src/config.js";
import { createFieldChecker } from "./kubernetes-fields.js";
import { deployDir, packageJson, pinnedImage, requireTool, run } from "./support.js";

interface Meta {
  name: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: Meta;
  [field: string]: unknown;
}
interface Probe {
  httpGet?: { path: string; port: string | number };
  failureThreshold?: number;
  periodSeconds?: number;
}
interface Container {
  name: string;
  image: string;
  args?: string[];
  env?: { name: string; value?: string }[];
  envFrom?: {
    configMapRef?: { name: string; optional?: boolean };
    secretRef?: { name: string; optional?: boolean };
  }[];
  ports?: { name?: string; containerPort: number }[];
  startupProbe?: Probe;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: {
    allowPrivilegeEscalation?: boolean;
    readOnlyRootFilesystem?: boolean;
    runAsNonRoot?: boolean;
    capabilities?: { drop?: string[] };
  };
  volumeMounts?: { name: string; mountPath: string }[];
}
interface PodSpec {
  containers: Container[];
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number; seccompProfile?: { type: string } };
  automountServiceAccountToken?: boolean;
  enableServiceLinks?: boolean;
  serviceAccountName?: string;
  terminationGracePeriodSeconds?: number;
  volumes?: { name: string; persistentVolumeClaim?: { claimName: string }; emptyDir?: object }[];
}
interface Deployment extends K8sObject {
  spec: {
    replicas?: number;
    selector: { matchLabels: Record<string, string> };
    strategy?: { type: string };
    template: { metadata: Meta; spec: PodSpec };
  };
}

const kubectlHint = "install kubectl (it renders the overlays with its built-in Kustomize)";
const kustomizations = ["base", "overlays/embedded", "overlays/embedded-model", "overlays/scale-out"];
const rendered = new Map<string, K8sObject[]>();
const knownSettings = new Set(Object.values(settings).map((s) => s.env));
const secretSettings = new Set(
  Object.values(settings)
    .filter((s) => "secret" in s && s.secret)
    .map((s) => s.env),
);

/** The kubernetes-models module of a kind: "apps/v1" + "Deployment" → kubernetes-models/apps/v1/Deployment. */
const modelModule = (object: K8sObject) => `kubernetes-models/${object.apiVersion}/${object.kind}`;

function render(kustomization: string): K8sObject[] {
  const ran = run("kubectl", ["kustomize", path.join(deployDir, "kubernetes", kustomization)]);
  if (ran.code !== 0) throw new Error(`kubectl kustomize ${kustomization} failed:\n${ran.stderr}`);
  const documents = parseAllDocuments(ran.stdout);
  if (!Array.isArray(documents)) throw new Error("no documents");
  return documents.map((d) => {
    if (d.errors.length > 0) throw new Error(d.errors.join("\n"));
    return d.toJS() as K8sObject;
  });
}

const objects = (overlay: string, kind?: string) =>
  (rendered.get(overlay) ?? []).filter((o) => kind === undefined || o.kind === kind);
const deployments = (overlay: string) => objects(overlay, "Deployment") as Deployment[];
const named = (overlay: string, kind: string, name: string) =>
  objects(overlay, kind).find((o) => o.metadata.name === name);

/** Every setting a container starts with, as the kubelet assembles them (env wins over envFrom). */
function resolvedEnv(overlay: string, container: Container): Record<string, string> {
  const resolved: Record<string, string> = {};
  for (const from of container.envFrom ?? []) {
    if (from.configMapRef) {
      const map = named(overlay, "ConfigMap", from.configMapRef.name) as
        { data?: Record<string, string> } | undefined;
      Object.assign(resolved, map?.data ?? {});
    }
    if (from.secretRef) {
      const secret = named(overlay, "Secret", from.secretRef.name) as
        { data?: Record<string, string>; stringData?: Record<string, string> } | undefined;
      for (const [key, value] of Object.entries(secret?.data ?? {}))
        resolved[key] = Buffer.from(value, "base64").toString("utf8");
      Object.assign(resolved, secret?.stringData ?? {});
    }
  }
  for (const variable of container.env ?? [])
    if (variable.value !== undefined) resolved[variable.name] = variable.value;
  return resolved;
}

function quantity(value: string): number {
  const match = /^(\d+(?:\.\d+)?)(m|Ki|Mi|Gi|Ti|k|M|G)?$/.exec(value);
  if (!match) throw new Error(`not a quantity: ${value}`);
  const factor: Record<string, number> = {
    m: 1e-3,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    Ki: 2 ** 10,
    Mi: 2 ** 20,
    Gi: 2 ** 30,
    Ti: 2 ** 40,
  };
  return Number(match[1]) * (match[2] ? factor[match[2]]! : 1);
}

const matches = (selector: Record<string, string>, labels: Record<string, string> = {}) =>
  Object.entries(selector).every(([k, v]) => labels[k] === v);

const rolesOf = (overlay: string, deployment: Deployment) =>
  (resolvedEnv(overlay, deployment.spec.template.spec.containers[0]!).VERSO_ROLES ?? "").split(",");
const byRole = (overlay: string, role: string) => {
  const found = deployments(overlay).filter((d) => rolesOf(overlay, d).includes(role));
  expect(found.length, `one Deployment runs the ${role} role`).toBe(1);
  return found[0]!;
};

beforeAll(() => {
  requireTool("kubectl", kubectlHint);
  for (const kustomization of kustomizations) rendered.set(kustomization, render(kustomization));
});

describe.each(kustomizations)("%s", (overlay) => {
  it("renders objects that the Kubernetes schemas accept, with no unknown field", async () => {
    const all = objects(overlay);
    expect(all.length).toBeGreaterThan(0);
    const modules = [...new Set(all.map(modelModule))];
    const unknownFields = createFieldChecker(
      modules.map((module) => ({ module, kind: module.split("/").pop()! })),
    );
    for (const object of all) {
      const label = `${object.kind}/${object.metadata.name}`;
      const exported = (await import(modelModule(object))) as Record<
        string,
        new (data: unknown) => { validate(): void }
      >;
      const Model = exported[object.kind];
      expect(Model, `a model for ${object.apiVersion} ${object.kind}`).toBeDefined();
      expect(() => new Model!(object).validate(), label).not.toThrow();
      expect(unknownFields(modelModule(object), object, label)).toEqual([]);
    }
  });

  it("reads every Verso setting from a name that src/config.ts knows", () => {
    for (const map of objects(overlay, "ConfigMap")) {
      for (const key of Object.keys((map as { data?: object }).data ?? {})) {
        if (key.startsWith("VERSO_"))
          expect(knownSettings.has(key), `${map.metadata.name}: ${key}`).toBe(true);
      }
    }
    for (const deployment of deployments(overlay)) {
      for (const container of deployment.spec.template.spec.containers) {
        for (const key of Object.keys(resolvedEnv(overlay, container)).filter((k) =>
          k.startsWith("VERSO_"),
        )) {
          expect(knownSettings.has(key), `${deployment.metadata.name}: ${key}`).toBe(true);
        }
      }
    }
  });

  it("starts every container with settings that Verso's own validation accepts", () => {
    for (const deployment of deployments(overlay)) {
      for (const container of deployment.spec.template.spec.containers) {
        expect(() => loadConfig(resolvedEnv(overlay, container)), deployment.metadata.name).not.toThrow();
      }
    }
  });

  it("keeps secret settings out of ConfigMaps and literal env", () => {
    for (const map of objects(overlay, "ConfigMap")) {
      const keys = Object.keys((map as { data?: object }).data ?? {});
      expect(
        keys.filter((k) => secretSettings.has(k) || /SECRET|PASSWORD|ACCESS_KEY/.test(k)),
        map.metadata.name,
      ).toEqual([]);
    }
    for (const deployment of deployments(overlay)) {
      for (const container of deployment.spec.template.spec.containers) {
        const literal = (container.env ?? []).map((e) => e.name);
        expect(
          literal.filter((k) => secretSettings.has(k)),
          deployment.metadata.name,
        ).toEqual([]);
      }
    }
  });

  describe("every Deployment", () => {
    it("selects its own pods and resolves every ConfigMap, Secret, volume and service account it names", () => {
      for (const deployment of deployments(overlay)) {
        const { spec, metadata } = deployment;
        expect(matches(spec.selector.matchLabels, spec.template.metadata.labels), metadata.name).toBe(true);
        const pod = spec.template.spec;
        if (pod.serviceAccountName)
          expect(named(overlay, "ServiceAccount", pod.serviceAccountName)).toBeDefined();
        for (const container of pod.containers) {
          for (const from of container.envFrom ?? []) {
            if (from.configMapRef) expect(named(overlay, "ConfigMap", from.configMapRef.name)).toBeDefined();
            if (from.secretRef && !from.secretRef.optional) {
              expect(named(overlay, "Secret", from.secretRef.name), from.secretRef.name).toBeDefined();
            }
          }
          for (const mount of container.volumeMounts ?? []) {
            expect(
              pod.volumes?.some((v) => v.name === mount.name),
              `${metadata.name}: volume ${mount.name}`,
            ).toBe(true);
          }
        }
        for (const volume of pod.volumes ?? []) {
          const claim = volume.persistentVolumeClaim?.claimName;
          if (claim) expect(named(overlay, "PersistentVolumeClaim", claim), claim).toBeDefined();
        }
      }
    });

    it("runs `verso serve` from an image pinned by version", () => {
      for (const deployment of deployments(overlay)) {
        for (const container of deployment.spec.template.spec.containers) {
          expect(pinnedImage(container.image), `${deployment.metadata.name}: ${container.image}`).toBe(true);
          if (container.image.split(":")[0] === "verso")
            expect(container.image).toBe(`verso:${packageJson.version}`);
          expect(container.args).toEqual(["serve"]);
        }
      }
    });

    it("probes liveness on /healthz, readiness on /readyz, and gives start-up its own probe", () => {
      for (const deployment of deployments(overlay)) {
        for (const container of deployment.spec.template.spec.containers) {
          const label = deployment.metadata.name;
          expect(container.livenessProbe?.httpGet?.path, label).toBe("/healthz");
          expect(container.readinessProbe?.httpGet?.path, label).toBe("/readyz");
          expect(container.startupProbe?.httpGet?.path, label).toBe("/healthz");
          const env = resolvedEnv(overlay, container);
          for (const probe of [container.livenessProbe, container.readinessProbe, container.startupProbe]) {
            const port = probe!.httpGet!.port;
            const declared = container.ports?.find((p) => p.name === port || p.containerPort === port);
            expect(declared, `${label}: probe port ${port}`).toBeDefined();
            expect(declared!.containerPort, `${label}: the port Verso listens on`).toBe(
              Number(env.VERSO_PORT),
            );
          }
          // Start-up covers migrations, an index rebuild and the model: minutes, not seconds.
          const startup = container.startupProbe!;
          expect((startup.failureThreshold ?? 3) * (startup.periodSeconds ?? 10)).toBeGreaterThanOrEqual(180);
          const annotations = deployment.spec.template.metadata.annotations ?? {};
          expect(annotations["prometheus.io/scrape"], label).toBe("true");
          expect(annotations["prometheus.io/port"], label).toBe(env.VERSO_PORT);
          expect(annotations["prometheus.io/path"], label).toBe("/metrics");
        }
      }
    });

    it("requests and limits CPU and memory, requests within limits", () => {
      for (const deployment of deployments(overlay)) {
        for (const container of deployment.spec.template.spec.containers) {
          for (const resource of ["cpu", "memory"]) {
            const request = container.resources?.requests?.[resource];
            const limit = container.resources?.limits?.[resource];
            expect(request && limit, `${deployment.metadata.name}: ${resource}`).toBeTruthy();
            expect(quantity(request!)).toBeLessThanOrEqual(quantity(limit!));
          }
        }
      }
    });

    it("runs locked down: non-root, no privilege escalation, no capabilities, a read-only root", () => {
      for (const deployment of deployments(overlay)) {
        const pod = deployment.spec.template.spec;
        const label = deployment.metadata.name;
        expect(pod.securityContext?.runAsNonRoot, label).toBe(true);
        expect(pod.securityContext?.runAsUser, label).toBeGreaterThan(0);
        expect(pod.securityContext?.seccompProfile?.type, label).toBe("RuntimeDefault");
        expect(pod.automountServiceAccountToken, label).toBe(false);
        // Service links would set VERSO_<SERVICE>_PORT and the like beside Verso's own settings.
        expect(pod.enableServiceLinks, label).toBe(false);
        for (const container of pod.containers) {
          expect(container.securityContext).toMatchObject({
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            capabilities: { drop: ["ALL"] },
          });
          // With a read-only root, the data folder and /tmp must be volumes.
          const mounts = (container.volumeMounts ?? []).map((m) => m.mountPath);
          expect(mounts, label).toEqual(
            expect.arrayContaining(["/tmp", resolvedEnv(overlay, container).VERSO_DATA_DIR]),
          );
        }
      }
    });

    it("outlasts Verso's own shutdown deadline before being killed", () => {
      for (const deployment of deployments(overlay)) {
        const pod = deployment.spec.template.spec;
        const deadline = Number(resolvedEnv(overlay, pod.containers[0]!).VERSO_SHUTDOWN_TIMEOUT ?? 30);
        expect(pod.terminationGracePeriodSeconds ?? 30, deployment.metadata.name).toBeGreaterThan(deadline);
      }
    });
  });

  it("routes every Service to pods that exist, on a port they declare", () => {
    for (const service of objects(overlay, "Service") as (K8sObject & {
      spec: { selector: Record<string, string>; ports: { targetPort: string | number }[] };
    })[]) {
      const targets = deployments(overlay).filter((d) =>
        matches(service.spec.selector, d.spec.template.metadata.labels),
      );
      expect(targets.length, service.metadata.name).toBe(1);
      for (const port of service.spec.ports) {
        const container = targets[0]!.spec.template.spec.containers[0]!;
        expect(
          container.ports?.some((p) => p.name === port.targetPort || p.containerPort === port.targetPort),
          `${service.metadata.name}: ${port.targetPort}`,
        ).toBe(true);
      }
    }
  });
});

describe("embedded overlay", () => {
  const overlay = "overlays/embedded";

  it("runs api, worker and crawler in one replica that never overlaps with another", () => {
    const all = deployments(overlay);
    expect(all).toHaveLength(1);
    const [deployment] = all;
    expect(deployment!.spec.replicas).toBe(1);
    expect(deployment!.spec.strategy?.type).toBe("Recreate");
    expect(rolesOf(overlay, deployment!).sort()).toEqual(["api", "crawler", "worker"]);
    // SQLite takes one writer: nothing may scale this.
    expect(objects(overlay, "HorizontalPodAutoscaler")).toEqual([]);
  });

  it("keeps the data folder in a persistent volume and every port embedded", () => {
    const [deployment] = deployments(overlay);
    const pod = deployment!.spec.template.spec;
    const container = pod.containers[0]!;
    const env = resolvedEnv(overlay, container);
    const mount = container.volumeMounts!.find((m) => m.mountPath === env.VERSO_DATA_DIR)!;
    const volume = pod.volumes!.find((v) => v.name === mount.name)!;
    expect(volume.persistentVolumeClaim, "the data folder is a PersistentVolumeClaim").toBeDefined();
    for (const url of [
      "VERSO_DATABASE_URL",
      "VERSO_QUEUE_URL",
      "VERSO_BUCKET_URL",
      "VERSO_CACHE_URL",
      "VERSO_VECTOR_URL",
    ]) {
      expect(env[url], `${url} stays on its embedded default`).toBeUndefined();
    }
    expect(env.VERSO_EMBED_THREADS, "threads sized to the CPU limit, not the node").toBeDefined();
    expect(Number(env.VERSO_EMBED_THREADS)).toBeLessThanOrEqual(quantity(container.resources!.limits!.cpu!));
  });
});

describe("scale-out overlay", () => {
  const overlay = "overlays/scale-out";
  const roles = ["api", "worker", "crawler", "embedder"];
  const engineSettings: Record<string, RegExp> = {
    VERSO_DATABASE_URL: /^(mysql|mariadb|postgres|postgresql):\/\//,
    VERSO_QUEUE_URL: /^amqps?:\/\//,
    VERSO_BUCKET_URL: /^s3:\/\//,
    VERSO_CACHE_URL: /^(memcached|rediss?):\/\//,
    VERSO_VECTOR_URL: /^(https?|elasticsearch\+https?|opensearch\+https?):\/\//,
    VERSO_EMBEDDER: /^https?:\/\//,
  };
  const needs: Record<string, string[]> = {
    api: Object.keys(engineSettings),
    worker: Object.keys(engineSettings),
    crawler: Object.keys(engineSettings),
    embedder: [],
  };

  it("runs each role in a Deployment of its own", () => {
    expect(deployments(overlay)).toHaveLength(roles.length);
    for (const role of roles) expect(rolesOf(overlay, byRole(overlay, role))).toEqual([role]);
  });

  it.each(roles)("gives the %s role its engines, credentials only from a required Secret", (role) => {
    const deployment = byRole(overlay, role);
    const container = deployment.spec.template.spec.containers[0]!;
    const env = resolvedEnv(overlay, container);
    for (const setting of needs[role]!)
      expect(env[setting], `${role}: ${setting}`).toMatch(engineSettings[setting]!);
    if (role === "embedder") {
      expect(env.VERSO_EMBEDDER).toBe("use-lite");
      expect(
        container.envFrom?.some((f) => f.secretRef),
        "the model needs no credentials",
      ).toBe(false);
      return;
    }
    const secretRefs = (container.envFrom ?? []).filter((f) => f.secretRef);
    expect(secretRefs.length, role).toBeGreaterThan(0);
    for (const ref of secretRefs)
      expect(ref.secretRef!.optional ?? false, `${role}: a required Secret`).toBe(false);
    // The embedder URL names the Service in front of the embedder role, on its port.
    const embedderUrl = new URL(env.VERSO_EMBEDDER!);
    const service = named(overlay, "Service", embedderUrl.hostname) as
      (K8sObject & { spec: { selector: Record<string, string>; ports: { port: number }[] } }) | undefined;
    expect(service, embedderUrl.hostname).toBeDefined();
    expect(matches(service!.spec.selector, byRole(overlay, "embedder").spec.template.metadata.labels)).toBe(
      true,
    );
    expect(service!.spec.ports.map((p) => p.port)).toContain(Number(embedderUrl.port || 80));
  });

  it("autoscales the api, the workers and the embedder on CPU they request", () => {
    const autoscalers = objects(overlay, "HorizontalPodAutoscaler") as (K8sObject & {
      spec: {
        scaleTargetRef: { kind: string; name: string };
        minReplicas: number;
        maxReplicas: number;
        metrics: { resource?: { name: string } }[];
      };
    })[];
    for (const role of ["api", "worker", "embedder"]) {
      const deployment = byRole(overlay, role);
      const hpa = autoscalers.find(
        (h) =>
          h.spec.scaleTargetRef.kind === "Deployment" &&
          h.spec.scaleTargetRef.name === deployment.metadata.name,
      );
      expect(hpa, `an autoscaler for ${deployment.metadata.name}`).toBeDefined();
      expect(hpa!.spec.minReplicas).toBeGreaterThanOrEqual(1);
      expect(hpa!.spec.maxReplicas).toBeGreaterThan(hpa!.spec.minReplicas);
      // Utilization is measured against requests: without one the autoscaler cannot act.
      for (const metric of hpa!.spec.metrics) {
        const resource = metric.resource?.name;
        if (resource)
          expect(deployment.spec.template.spec.containers[0]!.resources?.requests?.[resource]).toBeDefined();
      }
    }
    for (const hpa of autoscalers)
      expect(named(overlay, "Deployment", hpa.spec.scaleTargetRef.name)).toBeDefined();
  });

  it("budgets disruptions of the api and the workers so that a drain still goes through", () => {
    const budgets = objects(overlay, "PodDisruptionBudget") as (K8sObject & {
      spec: {
        selector: { matchLabels: Record<string, string> };
        minAvailable?: number;
        maxUnavailable?: number;
      };
    })[];
    for (const role of ["api", "worker"]) {
      const deployment = byRole(overlay, role);
      const budget = budgets.find((b) =>
        matches(b.spec.selector.matchLabels, deployment.spec.template.metadata.labels),
      );
      expect(budget, `a disruption budget for ${deployment.metadata.name}`).toBeDefined();
    }
    for (const budget of budgets) {
      const covered = deployments(overlay).filter((d) =>
        matches(budget.spec.selector.matchLabels, d.spec.template.metadata.labels),
      );
      expect(covered, budget.metadata.name).toHaveLength(1);
      const replicas = covered[0]!.spec.replicas ?? 1;
      // A budget that allows no eviction at the replica count blocks every node drain.
      if (budget.spec.minAvailable !== undefined) expect(budget.spec.minAvailable).toBeLessThan(replicas);
      else expect(budget.spec.maxUnavailable).toBeGreaterThanOrEqual(1);
    }
  });
});
