/** The PromQL reading the other deployment tests rely on, checked on expressions of known shape. */
import { describe, expect, it } from "vitest";
import { alertValueSides, countersReadAsIs, grafanaToPromql, metricNames, pinnedImage } from "./support.js";

describe("metricNames", () => {
  it("finds selected metrics, not functions, aggregations, label names or strings", () => {
    expect(
      metricNames(
        'histogram_quantile(0.99, sum by (le, route) (rate(a_bucket{job="x", route!~"/b|c_total"}[5m]))) / max without (instance) (b) or vector(0)',
      ).sort(),
    ).toEqual(["a_bucket", "b"]);
    expect(metricNames('up{job=~"verso-.+"} == 0')).toEqual(["up"]);
    expect(metricNames("sum(rate(x_total[$__rate_interval])) > bool 1 and on (job) y offset 5m")).toEqual([
      "x_total",
      "y",
    ]);
  });
});

describe("countersReadAsIs", () => {
  it("accepts counters read through a range", () => {
    expect(countersReadAsIs('sum(rate(x_total{a="b"}[5m])) / sum(increase(y_count[1h]))')).toEqual([]);
    expect(countersReadAsIs("deriv(gauge[10m]) + gauge")).toEqual([]);
  });

  it("rejects a cumulative sum plotted as it is", () => {
    expect(countersReadAsIs("x_sum / x_count")).toEqual(["x_sum", "x_count"]);
    expect(countersReadAsIs('sum by (le) (h_bucket{phase="total"})')).toEqual(["h_bucket"]);
    expect(countersReadAsIs("rate(x_total[5m]) / x_total")).toEqual(["x_total"]);
  });
});

describe("alertValueSides", () => {
  it("drops the threshold and splits at top-level set operators", () => {
    expect(alertValueSides("max by (job) (up) == 0")).toEqual(["max by (job) (up)"]);
    expect(alertValueSides("(a or vector(0)) / b > 0.05")).toEqual(["(a or vector(0)) / b"]);
    expect(alertValueSides("max(deriv(q[30m])) > 0\nand\nmax(q) > 10")).toEqual([
      "max(deriv(q[30m]))",
      "max(q)",
    ]);
    expect(alertValueSides('x{a=">"} >= 1e-3')).toEqual(['x{a=">"}']);
    // A comparison between two series is itself the value side.
    expect(alertValueSides("a > b")).toEqual(["a > b"]);
  });
});

describe("grafanaToPromql and pinnedImage", () => {
  it("substitute Grafana's interval and recognise a version pin", () => {
    expect(grafanaToPromql("rate(x[$__rate_interval])", "30s")).toBe("rate(x[30s])");
    expect(pinnedImage("node:20.20.2-bookworm-slim")).toBe(true);
    expect(pinnedImage("minio/minio:RELEASE.2024-12-18T13-15-44Z")).toBe(true);
    expect(pinnedImage(`redis:7.4.1@sha256:${"a".repeat(64)}`)).toBe(true);
    expect(pinnedImage("registry.local:5000/team/verso:0.1.0")).toBe(true);
    for (const loose of ["node", "node:latest", "mariadb:lts", "redis:alpine", "grafana/grafana"]) {
      expect(pinnedImage(loose), loose).toBe(false);
    }
  });
});
