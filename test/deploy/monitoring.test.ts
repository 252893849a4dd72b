/**
 * Prometheus's configuration and alert rules, checked by promtool (Debian's `prometheus`
 * package), the alerts' thresholds by promtool's rule unit tests, and the Grafana dashboards
 * against their source and against the mistakes dashboards make: counters plotted as they
 * are, latency that is not a histogram quantile, panels that overlap. Whether each expression
 * returns data from a real Verso is prometheus-live.test.ts.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse, parseAllDocuments, stringify } from "yaml";
import { renderDashboards } from "../../deploy/grafana/dashboards.mjs";
import {
  type AlertRule,
  countersReadAsIs,
  dashboardsDir,
  dashboardTargets,
  deployDir,
  metricNames,
  readDashboards,
  readRepoFile,
  requireTool,
  run,
} from "./support.js";

const promtoolHint = "apt-get install prometheus (Debian's package brings promtool)";
const prometheusDir = path.join(deployDir, "prometheus");
const rules = (
  parse(fs.readFileSync(path.join(prometheusDir, "alerts.yml"), "utf8")) as {
    groups: { name: string; rules: AlertRule[] }[];
  }
).groups.flatMap((g) => g.rules);
const temporary: string[] = [];
afterAll(() => {
  for (const dir of temporary) fs.rmSync(dir, { recursive: true, force: true });
});

function promtool(...args: string[]) {
  requireTool("promtool", promtoolHint);
  const ran = run("promtool", args, { cwd: prometheusDir });
  return { ...ran, output: `${ran.stdout}\n${ran.stderr}` };
}

/** GitHub's anchor for a Markdown heading. */
const slug = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s-]/gu, "")
    .replace(/\s/g, "-");

describe("Prometheus configuration", () => {
  it("passes promtool check config, with its rule files", () => {
    const checked = promtool("check", "config", "prometheus.yml");
    expect(checked.code, checked.output).toBe(0);
    expect(checked.output).toMatch(/SUCCESS: 1 rule files found/);
  });

  it("passes promtool check rules", () => {
    const checked = promtool("check", "rules", "alerts.yml");
    expect(checked.code, checked.output).toBe(0);
  });

  it("raises each alert on the series that should, and not on those that should not (promtool test rules)", () => {
    const tested = promtool("test", "rules", "alerts.test.yml");
    expect(tested.code, tested.output).toBe(0);
    const tests = parse(fs.readFileSync(path.join(prometheusDir, "alerts.test.yml"), "utf8")) as {
      tests: { alert_rule_test?: { alertname: string; exp_alerts: unknown[] }[] }[];
    };
    const cases = tests.tests.flatMap((t) => t.alert_rule_test ?? []);
    for (const rule of rules) {
      const mine = cases.filter((c) => c.alertname === rule.alert);
      expect(
        mine.some((c) => c.exp_alerts.length > 0),
        `${rule.alert} is shown firing`,
      ).toBe(true);
      expect(
        mine.some((c) => c.exp_alerts.length === 0),
        `${rule.alert} is shown quiet`,
      ).toBe(true);
    }
  });

  it("names one scrape job per role, as the role-down alert expects", () => {
    const config = parse(fs.readFileSync(path.join(prometheusDir, "prometheus.yml"), "utf8")) as {
      scrape_configs: { job_name: string }[];
    };
    const jobs = config.scrape_configs.map((j) => j.job_name).filter((j) => j.startsWith("verso-"));
    expect(jobs.sort()).toEqual(["verso-api", "verso-crawler", "verso-embedder", "verso-worker"]);
  });

  describe("for Kubernetes", () => {
    const config = parse(fs.readFileSync(path.join(prometheusDir, "prometheus-kubernetes.yml"), "utf8")) as {
      scrape_configs: {
        job_name: string;
        kubernetes_sd_configs?: unknown[];
        static_configs?: unknown[];
        relabel_configs: {
          source_labels?: string[];
          separator?: string;
          regex?: string;
          replacement?: string;
          target_label?: string;
          action?: string;
        }[];
      }[];
    };

    it("passes promtool check config once its discovery is replaced", () => {
      // Debian builds Prometheus without Kubernetes discovery, so that one block stands in as
      // a static list; everything else, the relabelling included, is checked as shipped.
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "verso-prometheus-"));
      temporary.push(dir);
      const copy = structuredClone(config);
      for (const job of copy.scrape_configs) {
        if (job.kubernetes_sd_configs) {
          delete job.kubernetes_sd_configs;
          job.static_configs = [{ targets: ["127.0.0.1:3000"] }];
        }
      }
      fs.writeFileSync(path.join(dir, "prometheus.yml"), stringify(copy));
      fs.copyFileSync(path.join(prometheusDir, "alerts.yml"), path.join(dir, "alerts.yml"));
      requireTool("promtool", promtoolHint);
      const checked = run("promtool", ["check", "config", "prometheus.yml"], { cwd: dir });
      expect(checked.code, checked.stdout + checked.stderr).toBe(0);
    });

    it("turns every pod of the scale-out overlay into a target of its role's job", () => {
      requireTool("kubectl", "install kubectl");
      const rendered = run("kubectl", [
        "kustomize",
        path.join(deployDir, "kubernetes", "overlays", "scale-out"),
      ]);
      expect(rendered.code, rendered.stderr).toBe(0);
      const pods = (parseAllDocuments(rendered.stdout) as { toJS(): unknown }[])
        .map(
          (d) =>
            d.toJS() as {
              kind: string;
              spec: {
                template: {
                  metadata: Record<string, Record<string, string>>;
                  spec: { containers: { ports: { containerPort: number }[] }[] };
                };
              };
            },
        )
        .filter((o) => o.kind === "Deployment")
        .map((d) => d.spec.template);
      expect(pods.length).toBe(4);
      const job = config.scrape_configs.find((j) => j.kubernetes_sd_configs)!;
      const sanitize = (name: string) => name.replace(/[^a-zA-Z0-9_]/g, "_");
      const jobs: string[] = [];
      for (const pod of pods) {
        const port = pod.spec.containers[0]!.ports[0]!.containerPort;
        // What Kubernetes discovery gives a pod's declared port, before relabelling.
        let labels: Record<string, string> | null = {
          __address__: `10.0.0.7:${port}`,
          __metrics_path__: "/metrics",
          job: job.job_name,
          __meta_kubernetes_pod_ip: "10.0.0.7",
          __meta_kubernetes_namespace: "verso",
          __meta_kubernetes_pod_name: "pod-1",
          ...Object.fromEntries(
            Object.entries(pod.metadata.labels ?? {}).map(([k, v]) => [
              `__meta_kubernetes_pod_label_${sanitize(k)}`,
              v,
            ]),
          ),
          ...Object.fromEntries(
            Object.entries(pod.metadata.annotations ?? {}).map(([k, v]) => [
              `__meta_kubernetes_pod_annotation_${sanitize(k)}`,
              v,
            ]),
          ),
        };
        for (const step of job.relabel_configs) {
          if (!labels) break;
          const current: Record<string, string> = labels;
          const value = (step.source_labels ?? []).map((l) => current[l] ?? "").join(step.separator ?? ";");
          const match = new RegExp(`^(?:${step.regex ?? "(.*)"})$`).exec(value);
          const action = step.action ?? "replace";
          if (action === "keep" && !match) labels = null;
          else if (action === "drop" && match) labels = null;
          else if (action === "replace" && match && step.target_label) {
            current[step.target_label] = (step.replacement ?? "$1").replace(
              /\$(\d+)/g,
              (_, i: string) => match[Number(i)] ?? "",
            );
          }
        }
        expect(labels, "the pod is scraped").not.toBeNull();
        expect(labels!.__address__).toBe(`10.0.0.7:${pod.metadata.annotations!["prometheus.io/port"]}`);
        expect(labels!.__metrics_path__).toBe("/metrics");
        jobs.push(labels!.job!);
      }
      expect(jobs.sort()).toEqual(["verso-api", "verso-crawler", "verso-embedder", "verso-worker"]);
    });
  });
});

describe("alert rules", () => {
  const operations = readRepoFile("docs/operations.md");
  const anchors = new Set([...operations.matchAll(/^#{2,4} (.+)$/gm)].map((m) => slug(m[1]!)));

  it("cover an api 5xx rate, ask p99, ingest failures, dead letters, a growing queue and a role down", () => {
    const exprs = rules.map((r) => r.expr).join("\n");
    expect(exprs).toMatch(/verso_http_request_duration_seconds_count\{[^}]*status=~"5\.\."/);
    expect(exprs).toMatch(/histogram_quantile\(0\.99,[^\n]*verso_ask_duration_seconds_bucket/);
    expect(exprs).toMatch(/verso_ingest_objects_total\{outcome="failed"\}/);
    expect(exprs).toMatch(/verso_queue_jobs\{state="dead"\}/);
    expect(exprs).toMatch(/deriv\(verso_queue_jobs\{state="ready"\}/);
    expect(exprs).toMatch(/up\{job=~"verso-\.\+"\} == 0/);
  });

  it.each(rules.map((r) => [r.alert, r] as const))(
    "%s says how bad it is and where to read about it",
    (_, rule) => {
      expect(["critical", "warning"]).toContain(rule.labels?.severity);
      expect(rule.annotations?.summary).toBeTruthy();
      expect(rule.annotations?.description).toBeTruthy();
      const [file, anchor] = (rule.annotations?.runbook ?? "").split("#");
      expect(file).toBe("docs/operations.md");
      expect(anchors.has(anchor!), `docs/operations.md has a heading for #${anchor}`).toBe(true);
    },
  );

  it.each(rules.map((r) => [r.alert, r.expr] as const))("%s reads counters through rates", (_, expr) => {
    expect(countersReadAsIs(expr)).toEqual([]);
  });
});

describe("Grafana dashboards", () => {
  const dashboards = readDashboards();

  it("are what deploy/grafana/dashboards.mjs renders (run `npm run dashboards` after editing it)", async () => {
    const renderedFiles = await renderDashboards();
    expect(dashboards.map((d) => d.file).sort()).toEqual(renderedFiles.map((r) => r.file).sort());
    for (const { file, text } of renderedFiles) {
      expect(fs.readFileSync(path.join(dashboardsDir, file), "utf8"), file).toBe(text);
    }
  });

  it("cover the API, search, ingest, the embedder, the queue and the cache, each with a unique uid", () => {
    const uids = dashboards.map((d) => d.json.uid);
    expect(new Set(uids).size).toBe(uids.length);
    expect(uids.sort()).toEqual(
      ["verso-api", "verso-cache", "verso-embedder", "verso-ingest", "verso-queue", "verso-search"].sort(),
    );
  });

  it.each(dashboards.map((d) => [d.file, d] as const))(
    "%s asks its data source variable and lays its panels out without overlap",
    (_, { json }) => {
      expect(json.templating.list).toContainEqual(
        expect.objectContaining({ name: "datasource", type: "datasource", query: "prometheus" }),
      );
      const cells = new Set<string>();
      const ids = new Set<number>();
      for (const panel of json.panels) {
        expect(ids.has(panel.id), `panel id ${panel.id}`).toBe(false);
        ids.add(panel.id);
        expect(panel.datasource).toEqual({ type: "prometheus", uid: "${datasource}" });
        expect(panel.targets.length, panel.title).toBeGreaterThan(0);
        expect(new Set(panel.targets.map((t) => t.refId)).size).toBe(panel.targets.length);
        const { x, y, w, h } = panel.gridPos;
        expect(x + w, panel.title).toBeLessThanOrEqual(24);
        for (let i = x; i < x + w; i++) {
          for (let j = y; j < y + h; j++) {
            expect(cells.has(`${i},${j}`), `${panel.title} overlaps at ${i},${j}`).toBe(false);
            cells.add(`${i},${j}`);
          }
        }
      }
    },
  );

  it.each(dashboardTargets().map((t) => [`${t.dashboard} / ${t.panel}`, t.expr] as const))(
    "%s reads counters through rates",
    (_, expr) => {
      expect(countersReadAsIs(expr)).toEqual([]);
    },
  );

  it("plot latency as histogram quantiles, never as sums or counts", () => {
    for (const { json } of dashboards) {
      for (const panel of json.panels.filter((p) => p.fieldConfig.defaults.unit === "s")) {
        for (const target of panel.targets) {
          const label = `${json.title} / ${panel.title}`;
          for (const name of metricNames(target.expr)) {
            expect(/_(sum|count|total)$/.test(name), `${label}: ${name}`).toBe(false);
            if (name.endsWith("_bucket")) {
              expect(target.expr, label).toMatch(
                new RegExp(`^histogram_quantile\\([\\d.]+, sum by \\(le[,)][^]*rate\\(${name}\\{`),
              );
            }
          }
        }
      }
    }
  });
});
