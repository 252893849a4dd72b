/**
 * Verso's Grafana dashboards, written as data and rendered to deploy/grafana/dashboards/*.json
 * (`npm run dashboards`). The JSON files are what Grafana provisions; a test renders them again
 * and fails when they differ, so an edit to the JSON alone never drifts from this source.
 *
 * Latency is always a histogram quantile over rates of `_bucket` series, and every counter is
 * read through rate() or increase(): a cumulative sum plotted as-is only ever grows.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const dashboardsFolder = fileURLToPath(new URL("dashboards/", import.meta.url));

/** Every panel asks the data source the dashboard's variable names, so any Prometheus fits. */
const datasource = { type: "prometheus", uid: "${datasource}" };

/** The routes that serve operations, not users; left out of API latency and error figures. */
const opsRoutes = 'route!~"/healthz|/readyz|/metrics"';
const api = `job="verso-api", ${opsRoutes}`;

const quantiles = (metric, selector, by = "", qs = [0.5, 0.95, 0.99]) =>
  qs.map((q) => ({
    expr: `histogram_quantile(${q}, sum by (le${by ? `, ${by}` : ""}) (rate(${metric}_bucket{${selector}}[$__rate_interval])))`,
    legend: `p${Math.round(q * 100)}${by ? ` {{${by}}}` : ""}`,
  }));

const fiveXxShare = (window) =>
  `(sum(rate(verso_http_request_duration_seconds_count{${api}, status=~"5.."}[${window}])) or vector(0))` +
  ` / sum(rate(verso_http_request_duration_seconds_count{${api}}[${window}]))`;

const cacheHitRatio = (window) =>
  `sum(rate(verso_cache_requests_total{result="hit"}[${window}])) / sum(rate(verso_cache_requests_total[${window}]))`;

/**
 * @typedef {{ expr: string, legend?: string }} Query
 * @typedef {{ kind: "timeseries" | "stat", title: string, description: string, unit: string,
 *   queries: Query[], stack?: boolean, max?: number }} Panel
 * @typedef {{ uid: string, title: string, description: string, panels: Panel[] }} Dashboard
 */

/** @type {Dashboard[]} */
export const dashboards = [
  {
    uid: "verso-api",
    title: "Verso / API",
    description: "Requests, errors and latency of the api role, and the health of every Verso process.",
    panels: [
      {
        kind: "stat",
        title: "Processes up, by role",
        description: "Targets of each role's scrape job that answer. A role at 0 is down.",
        unit: "short",
        queries: [{ expr: 'sum by (job) (up{job=~"verso-.+"})', legend: "{{job}}" }],
      },
      {
        kind: "stat",
        title: "Requests per second",
        description: "API requests answered, health and metrics routes left out.",
        unit: "reqps",
        queries: [{ expr: `sum(rate(verso_http_request_duration_seconds_count{${api}}[$__rate_interval]))` }],
      },
      {
        kind: "stat",
        title: "Server errors",
        description: "Share of API requests answered with a 5xx status.",
        unit: "percentunit",
        queries: [{ expr: fiveXxShare("$__rate_interval") }],
      },
      {
        kind: "stat",
        title: "Latency p99",
        description: "99th percentile of API request duration, from the histogram.",
        unit: "s",
        queries: quantiles("verso_http_request_duration_seconds", api, "", [0.99]),
      },
      {
        kind: "timeseries",
        title: "Requests per second, by route",
        description: "Every route of the API, as Fastify names it (parameters as :id).",
        unit: "reqps",
        stack: true,
        queries: [
          {
            expr: `sum by (route) (rate(verso_http_request_duration_seconds_count{${api}}[$__rate_interval]))`,
            legend: "{{route}}",
          },
        ],
      },
      {
        kind: "timeseries",
        title: "Responses per second, by status",
        description: "4xx are clients' mistakes (and 429 the rate limits); 5xx are Verso's.",
        unit: "reqps",
        stack: true,
        queries: [
          {
            expr: `sum by (status) (rate(verso_http_request_duration_seconds_count{${api}}[$__rate_interval]))`,
            legend: "{{status}}",
          },
        ],
      },
      {
        kind: "timeseries",
        title: "Latency p50, p95, p99",
        description: "Quantiles of API request duration over all routes.",
        unit: "s",
        queries: quantiles("verso_http_request_duration_seconds", api),
      },
      {
        kind: "timeseries",
        title: "Latency p95, by route",
        description: "Which route is slow.",
        unit: "s",
        queries: quantiles("verso_http_request_duration_seconds", api, "route", [0.95]),
      },
      {
        kind: "timeseries",
        title: "Server error share",
        description: "The figure the VersoApiErrors alert watches (over 5 minutes, above 5%).",
        unit: "percentunit",
        max: 1,
        queries: [{ expr: fiveXxShare("$__rate_interval"), legend: "5xx share" }],
      },
      {
        kind: "timeseries",
        title: "Sign-ins and registrations, by outcome",
        description:
          "refused: a wrong password or a taken name; rate_limited: too many attempts; busy: hashing saturated.",
        unit: "ops",
        queries: [
          {
            expr: "sum by (action, outcome) (rate(verso_auth_attempts_total[$__rate_interval]))",
            legend: "{{action}} {{outcome}}",
          },
        ],
      },
      {
        kind: "timeseries",
        title: "Resident memory, by process",
        description: "Resident set size of every Verso process.",
        unit: "bytes",
        queries: [
          { expr: 'verso_process_resident_memory_bytes{job=~"verso-.+"}', legend: "{{job}} {{instance}}" },
        ],
      },
      {
        kind: "timeseries",
        title: "CPU, by process",
        description: "Cores used by every Verso process, worker threads included.",
        unit: "short",
        queries: [
          {
            expr: 'rate(verso_process_cpu_seconds_total{job=~"verso-.+"}[$__rate_interval])',
            legend: "{{job}} {{instance}}",
          },
        ],
      },
      {
        kind: "timeseries",
        title: "Event loop lag p99, by process",
        description:
          "Time a ready callback waits for the event loop; it delays every request of that process.",
        unit: "s",
        queries: [
          { expr: 'verso_nodejs_eventloop_lag_p99_seconds{job=~"verso-.+"}', legend: "{{job}} {{instance}}" },
        ],
      },
    ],
  },
  {
    uid: "verso-search",
    title: "Verso / Search",
    description: "Asking by meaning: how fast, how often, and where the time goes.",
    panels: [
      {
        kind: "stat",
        title: "Asks per second",
        description: "POST /api/ask requests, cached or not.",
        unit: "reqps",
        queries: [
          {
            expr: 'sum(rate(verso_http_request_duration_seconds_count{job="verso-api", route="/api/ask"}[$__rate_interval]))',
          },
        ],
      },
      {
        kind: "stat",
        title: "Uncached ask p99",
        description: "99th percentile of an ask that had to be computed.",
        unit: "s",
        queries: quantiles("verso_ask_duration_seconds", 'phase="total"', "", [0.99]),
      },
      {
        kind: "stat",
        title: "Cache hit ratio",
        description: "Asks answered from the search cache.",
        unit: "percentunit",
        queries: [{ expr: cacheHitRatio("$__rate_interval") }],
      },
      {
        kind: "stat",
        title: "Songs in the catalog",
        description: "Songs the index can find.",
        unit: "short",
        queries: [{ expr: "max(verso_catalog_songs)" }],
      },
      {
        kind: "timeseries",
        title: "Uncached ask latency p50, p95, p99",
        description: "Time to compute an answer, from the prompt to ranked songs.",
        unit: "s",
        queries: quantiles("verso_ask_duration_seconds", 'phase="total"'),
      },
      {
        kind: "timeseries",
        title: "Ask latency p95, by phase",
        description: "embed: the prompt's vector; index: the nearest passages; lexical: full-text search.",
        unit: "s",
        queries: quantiles("verso_ask_duration_seconds", 'phase!="total"', "phase", [0.95]),
      },
      {
        kind: "timeseries",
        title: "Asks per second, all and computed",
        description: "The gap between the two lines is what the cache answered.",
        unit: "reqps",
        queries: [
          {
            expr: 'sum(rate(verso_http_request_duration_seconds_count{job="verso-api", route="/api/ask"}[$__rate_interval]))',
            legend: "all asks",
          },
          {
            expr: 'sum(rate(verso_ask_duration_seconds_count{phase="total"}[$__rate_interval]))',
            legend: "computed",
          },
        ],
      },
      {
        kind: "timeseries",
        title: "POST /api/ask latency p50, p95, p99",
        description: "What a client waits, cache hits included.",
        unit: "s",
        queries: quantiles("verso_http_request_duration_seconds", 'job="verso-api", route="/api/ask"'),
      },
      {
        kind: "timeseries",
        title: "Cache hit ratio",
        description: "Lookups of the search cache that found an answer. It drops after every catalog change.",
        unit: "percentunit",
        max: 1,
        queries: [{ expr: cacheHitRatio("$__rate_interval"), legend: "hit ratio" }],
      },
      {
        kind: "timeseries",
        title: "Prompt embedding p95",
        description: "Batches of the interactive lane: prompts waiting for the model.",
        unit: "s",
        queries: quantiles("verso_embed_batch_duration_seconds", 'priority="interactive"', "", [0.95]),
      },
    ],
  },
  {
    uid: "verso-ingest",
    title: "Verso / Ingest",
    description: "Catalog objects from the bucket to the index: throughput, outcomes and duration.",
    panels: [
      {
        kind: "stat",
        title: "Catalog objects, by status",
        description: "Objects the crawler has seen, by where they are.",
        unit: "short",
        queries: [{ expr: "max by (status) (verso_catalog_objects)", legend: "{{status}}" }],
      },
      {
        kind: "stat",
        title: "Songs in the catalog",
        description: "Songs stored, with or without lyrics.",
        unit: "short",
        queries: [{ expr: "max(verso_catalog_songs)" }],
      },
      {
        kind: "stat",
        title: "Objects failed, last 24 hours",
        description: "GET /api/catalog/status lists each with its reason.",
        unit: "short",
        queries: [{ expr: 'sum(increase(verso_ingest_objects_total{outcome="failed"}[24h]))' }],
      },
      {
        kind: "timeseries",
        title: "Rows per second, by outcome",
        description: "song: stored; skipped: no lyrics or placeholder lyrics; error: a malformed row.",
        unit: "ops",
        stack: true,
        queries: [
          {
            expr: "sum by (outcome) (rate(verso_ingest_rows_total[$__rate_interval]))",
            legend: "{{outcome}}",
          },
        ],
      },
      {
        kind: "timeseries",
        title: "Passages per second, embedded or reused",
        description:
          "Passages indexed by the workers, by where their vectors came from: computed (embedded) or reused (a vector stored for the same text and model).",
        unit: "ops",
        queries: [
          {
            expr: "sum by (origin) (rate(verso_ingest_passage_vectors_total[$__rate_interval]))",
            legend: "{{origin}}",
          },
        ],
      },
      {
        kind: "timeseries",
        title: "Objects finished per second, by outcome",
        description: "done: ingested; failed: given up on (the VersoIngestFailures alert).",
        unit: "ops",
        queries: [
          {
            expr: "sum by (outcome) (rate(verso_ingest_objects_total[$__rate_interval]))",
            legend: "{{outcome}}",
          },
        ],
      },
      {
        kind: "timeseries",
        title: "Object duration p50, p95",
        description: "Time to ingest one catalog object, from its first row to its last commit.",
        unit: "s",
        queries: quantiles("verso_ingest_object_duration_seconds", "", "", [0.5, 0.95]),
      },
      {
        kind: "timeseries",
        title: "Deliveries per second, by outcome",
        description:
          "How each delivery of a job ended: done, failed, retrying (a dependency away), sliced (continued in a new job), superseded (the object changed).",
        unit: "ops",
        queries: [
          {
            expr: "sum by (outcome) (rate(verso_ingest_deliveries_total[$__rate_interval]))",
            legend: "{{outcome}}",
          },
        ],
      },
      {
        kind: "timeseries",
        title: "Catalog objects, by status",
        description: "queued and processing fall back to zero once the bucket is ingested.",
        unit: "short",
        queries: [{ expr: "max by (status) (verso_catalog_objects)", legend: "{{status}}" }],
      },
    ],
  },
  {
    uid: "verso-embedder",
    title: "Verso / Embedder",
    description: "The embedding model: batch latency per lane, backlog, and the embedder role's service.",
    panels: [
      {
        kind: "stat",
        title: "Texts waiting, by lane",
        description: "interactive: prompts; bulk: passages of the catalog.",
        unit: "short",
        queries: [{ expr: "sum by (lane) (verso_embedder_queued_texts)", legend: "{{lane}}" }],
      },
      {
        kind: "stat",
        title: "Batches per second",
        description: "Batches of texts through the model, every lane.",
        unit: "ops",
        queries: [{ expr: "sum(rate(verso_embed_batch_duration_seconds_count[$__rate_interval]))" }],
      },
      {
        kind: "timeseries",
        title: "Batch latency p50, p99, by lane",
        description:
          "Time to embed one batch. Prompts (interactive) are taken ahead of catalog passages (bulk).",
        unit: "s",
        queries: quantiles("verso_embed_batch_duration_seconds", "", "priority", [0.5, 0.99]),
      },
      {
        kind: "timeseries",
        title: "Batches per second, by lane",
        description: "Work the model does for prompts and for ingest.",
        unit: "ops",
        queries: [
          {
            expr: "sum by (priority) (rate(verso_embed_batch_duration_seconds_count[$__rate_interval]))",
            legend: "{{priority}}",
          },
        ],
      },
      {
        kind: "timeseries",
        title: "Texts waiting, by process and lane",
        description: "A steady interactive backlog makes asks slow (the VersoEmbedderBacklog alert).",
        unit: "short",
        queries: [
          { expr: "max by (instance, lane) (verso_embedder_queued_texts)", legend: "{{instance}} {{lane}}" },
        ],
      },
      {
        kind: "timeseries",
        title: "Embedder service requests, by route",
        description: "Requests to the embedder role from the api and the workers.",
        unit: "reqps",
        queries: [
          {
            expr: 'sum by (route) (rate(verso_http_request_duration_seconds_count{job="verso-embedder", route=~"/encode|/v1/embeddings"}[$__rate_interval]))',
            legend: "{{route}}",
          },
        ],
      },
      {
        kind: "timeseries",
        title: "Embedder service latency p95, by route",
        description: "What the api and the workers wait for a vector.",
        unit: "s",
        queries: quantiles(
          "verso_http_request_duration_seconds",
          'job="verso-embedder", route=~"/encode|/v1/embeddings"',
          "route",
          [0.95],
        ),
      },
      {
        kind: "timeseries",
        title: "CPU of embedder processes",
        description: "The model runs on worker threads: near VERSO_EMBED_THREADS cores means saturated.",
        unit: "short",
        queries: [
          {
            expr: 'rate(verso_process_cpu_seconds_total{job="verso-embedder"}[$__rate_interval])',
            legend: "{{instance}}",
          },
        ],
      },
      {
        kind: "timeseries",
        title: "Memory of embedder processes",
        description: "Resident set size; each thread holds its own copy of the model.",
        unit: "bytes",
        queries: [
          { expr: 'verso_process_resident_memory_bytes{job="verso-embedder"}', legend: "{{instance}}" },
        ],
      },
    ],
  },
  {
    uid: "verso-queue",
    title: "Verso / Queue",
    description: "The ingest queue: jobs waiting, in flight and dead, and how deliveries end.",
    panels: [
      {
        kind: "stat",
        title: "Jobs ready",
        description: "Jobs waiting for a worker.",
        unit: "short",
        queries: [{ expr: 'max(verso_queue_jobs{state="ready"})' }],
      },
      {
        kind: "stat",
        title: "Jobs in flight",
        description: "Jobs a worker holds now.",
        unit: "short",
        queries: [{ expr: 'max(verso_queue_jobs{state="in_flight"})' }],
      },
      {
        kind: "stat",
        title: "Dead letters",
        description: "Jobs that exhausted their deliveries (the VersoDeadLetters alert).",
        unit: "short",
        queries: [{ expr: 'max(verso_queue_jobs{state="dead"})' }],
      },
      {
        kind: "timeseries",
        title: "Jobs, by state",
        description: "Several processes report the same queue; the highest report is shown.",
        unit: "short",
        queries: [{ expr: "max by (state) (verso_queue_jobs)", legend: "{{state}}" }],
      },
      {
        kind: "timeseries",
        title: "Backlog growth",
        description: "Jobs per second the ready backlog gains (above 0) or loses (below 0), over 15 minutes.",
        unit: "short",
        queries: [
          { expr: 'max(deriv(verso_queue_jobs{state="ready"}[15m]))', legend: "ready jobs per second" },
        ],
      },
      {
        kind: "timeseries",
        title: "Deliveries per second, by outcome",
        description: "retrying or failed deliveries point at a dependency of the workers.",
        unit: "ops",
        stack: true,
        queries: [
          {
            expr: "sum by (outcome) (rate(verso_ingest_deliveries_total[$__rate_interval]))",
            legend: "{{outcome}}",
          },
        ],
      },
      {
        kind: "timeseries",
        title: "Objects finished per second",
        description: "What the queue's consumers get done.",
        unit: "ops",
        queries: [
          {
            expr: "sum by (outcome) (rate(verso_ingest_objects_total[$__rate_interval]))",
            legend: "{{outcome}}",
          },
        ],
      },
    ],
  },
  {
    uid: "verso-cache",
    title: "Verso / Cache",
    description: "The search cache and the rate-limit counters, and whether the cache server answers.",
    panels: [
      {
        kind: "stat",
        title: "Cache hit ratio",
        description: "Asks answered from the search cache.",
        unit: "percentunit",
        queries: [{ expr: cacheHitRatio("$__rate_interval") }],
      },
      {
        kind: "stat",
        title: "Answered without the cache server",
        description: "Cache operations per second the fallback answered (the VersoCacheUnavailable alert).",
        unit: "ops",
        queries: [{ expr: "sum(rate(verso_cache_fallbacks_total[$__rate_interval]))" }],
      },
      {
        kind: "timeseries",
        title: "Search cache lookups, by result",
        description: "hit: answered from the cache; miss: computed, then cached.",
        unit: "ops",
        stack: true,
        queries: [
          {
            expr: "sum by (result) (rate(verso_cache_requests_total[$__rate_interval]))",
            legend: "{{result}}",
          },
        ],
      },
      {
        kind: "timeseries",
        title: "Cache hit ratio",
        description: "A catalog change starts a new cache version, so the ratio dips after ingest.",
        unit: "percentunit",
        max: 1,
        queries: [{ expr: cacheHitRatio("$__rate_interval"), legend: "hit ratio" }],
      },
      {
        kind: "timeseries",
        title: "Operations answered without the cache server, by process and operation",
        description:
          "Without the server, get is a miss, set and delete do nothing, and increment counts in process: limits then hold per process.",
        unit: "ops",
        queries: [
          {
            expr: "sum by (job, operation) (rate(verso_cache_fallbacks_total[$__rate_interval]))",
            legend: "{{job}} {{operation}}",
          },
        ],
      },
      {
        kind: "timeseries",
        title: "Requests refused by a rate limit, by route",
        description: "429 answers: the counters live in the cache, shared by every api process.",
        unit: "reqps",
        queries: [
          { expr: "sum by (route) (rate(verso_rate_limited_total[$__rate_interval]))", legend: "{{route}}" },
        ],
      },
      {
        kind: "timeseries",
        title: "Sign-in attempts refused by the limiter",
        description: "Attempts over the per-address or per-name limit.",
        unit: "ops",
        queries: [
          {
            expr: 'sum by (action) (rate(verso_auth_attempts_total{outcome="rate_limited"}[$__rate_interval]))',
            legend: "{{action}}",
          },
        ],
      },
    ],
  },
];

/** Stats in a row of quarter widths on top, then graphs two to a row. */
function layout(panels) {
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  let previousKind;
  return panels.map((panel) => {
    const [w, h] = panel.kind === "stat" ? [6, 4] : [12, 8];
    if (x + w > 24 || (previousKind && previousKind !== panel.kind)) {
      x = 0;
      y += rowHeight;
      rowHeight = 0;
    }
    const gridPos = { h, w, x, y };
    x += w;
    rowHeight = Math.max(rowHeight, h);
    previousKind = panel.kind;
    return gridPos;
  });
}

function panelJson(panel, id, gridPos) {
  const targets = panel.queries.map((query, i) => ({
    datasource,
    refId: String.fromCharCode(65 + i),
    expr: query.expr,
    legendFormat: query.legend ?? "__auto",
    range: true,
  }));
  const defaults = { unit: panel.unit, min: 0, ...(panel.max !== undefined ? { max: panel.max } : {}) };
  if (panel.kind === "stat") {
    return {
      id,
      type: "stat",
      title: panel.title,
      description: panel.description,
      datasource,
      gridPos,
      targets,
      fieldConfig: { defaults: { ...defaults, color: { mode: "thresholds" } }, overrides: [] },
      options: {
        reduceOptions: { calcs: ["lastNotNull"], fields: "", values: false },
        colorMode: "value",
        graphMode: "area",
        textMode: "auto",
        justifyMode: "auto",
        orientation: "auto",
      },
    };
  }
  return {
    id,
    type: "timeseries",
    title: panel.title,
    description: panel.description,
    datasource,
    gridPos,
    targets,
    fieldConfig: {
      defaults: {
        ...defaults,
        custom: {
          drawStyle: "line",
          lineWidth: 1,
          fillOpacity: panel.stack ? 30 : 10,
          showPoints: "never",
          spanNulls: false,
          stacking: { mode: panel.stack ? "normal" : "none", group: "A" },
        },
      },
      overrides: [],
    },
    options: {
      legend: { displayMode: "list", placement: "bottom", showLegend: true },
      tooltip: { mode: "multi", sort: "desc" },
    },
  };
}

export function dashboardJson(dashboard) {
  const positions = layout(dashboard.panels);
  return {
    uid: dashboard.uid,
    title: dashboard.title,
    description: dashboard.description,
    tags: ["verso"],
    editable: true,
    graphTooltip: 1,
    schemaVersion: 39,
    version: 1,
    time: { from: "now-6h", to: "now" },
    refresh: "30s",
    timezone: "",
    annotations: { list: [] },
    links: [
      {
        type: "dashboards",
        title: "Verso",
        tags: ["verso"],
        asDropdown: true,
        includeVars: true,
        keepTime: true,
      },
    ],
    templating: {
      list: [
        {
          name: "datasource",
          label: "Data source",
          type: "datasource",
          query: "prometheus",
          current: {},
          hide: 0,
          refresh: 1,
          options: [],
        },
      ],
    },
    panels: dashboard.panels.map((panel, i) => panelJson(panel, i + 1, positions[i])),
  };
}

/** Each dashboard's file name and text, formatted as the repository formats JSON. */
export async function renderDashboards() {
  const prettier = await import("prettier");
  const options = (await prettier.resolveConfig(path.join(dashboardsFolder, "x.json"))) ?? {};
  return Promise.all(
    dashboards.map(async (dashboard) => ({
      file: `${dashboard.uid}.json`,
      text: await prettier.format(JSON.stringify(dashboardJson(dashboard)), { ...options, parser: "json" }),
    })),
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await fs.mkdir(dashboardsFolder, { recursive: true });
  for (const { file, text } of await renderDashboards()) {
    await fs.writeFile(path.join(dashboardsFolder, file), text);
    console.log(`wrote ${path.join("deploy/grafana/dashboards", file)}`);
  }
}
