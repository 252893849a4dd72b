/**
 * The scale bench's plot: each figure against the catalog's size, with its goal from issue #21,
 * drawn as SVG and photographed by Debian's headless Chromium (playwright-core, as test/web
 * does), so no plotting library is needed.
 */
import fs from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";
import type { ScaleEntry } from "./scale.js";

interface Panel {
  title: string;
  unit: string;
  goal: number;
  lines: { label: string; colour: string; value: (e: ScaleEntry) => number | null }[];
}

const panels: Panel[] = [
  {
    title: "resident memory serving asks",
    unit: "MiB",
    goal: 4096,
    lines: [
      { label: "f32", colour: "#1f77b4", value: (e) => (e.quantization === "f32" ? e.rssMiB : null) },
      { label: "f16", colour: "#ff7f0e", value: (e) => figure(e, "f16", "rssMiB") },
      { label: "i8", colour: "#2ca02c", value: (e) => figure(e, "i8", "rssMiB") },
    ],
  },
  {
    title: "ready after start",
    unit: "s",
    goal: 30,
    lines: [{ label: "ready", colour: "#1f77b4", value: (e) => e.readySeconds }],
  },
  {
    title: "ask, uncached, idle",
    unit: "ms",
    goal: 200,
    lines: [
      { label: "p50", colour: "#1f77b4", value: (e) => e.askP50Ms },
      { label: "p99", colour: "#d62728", value: (e) => e.askP99Ms },
      { label: "p50 language=es", colour: "#9467bd", value: (e) => e.askFilteredP50Ms },
    ],
  },
  {
    title: "during a re-ingest",
    unit: "ms",
    goal: 100,
    lines: [
      { label: "/healthz p99", colour: "#1f77b4", value: (e) => e.healthzP99MsDuringIngest },
      { label: "ask p99", colour: "#d62728", value: (e) => e.askP99MsDuringIngest },
    ],
  },
  {
    title: "recall@10, HNSW vs exact",
    unit: "",
    goal: 0.95,
    lines: [
      { label: "f32", colour: "#1f77b4", value: (e) => (e.quantization === "f32" ? e.recallAt10 : null) },
      { label: "f16", colour: "#ff7f0e", value: (e) => figure(e, "f16", "recallAt10") },
      { label: "i8", colour: "#2ca02c", value: (e) => figure(e, "i8", "recallAt10") },
    ],
  },
  {
    title: "GET /api/catalog/status p50",
    unit: "ms",
    goal: Number.NaN,
    lines: [{ label: "status", colour: "#1f77b4", value: (e) => e.statusP50Ms }],
  },
];

function figure(entry: ScaleEntry, quantization: string, key: "rssMiB" | "recallAt10"): number | null {
  if (entry.quantization === quantization) return entry[key];
  return entry.byQuantization?.[quantization]?.[key] ?? null;
}

const width = 340;
const height = 230;
const margin = { left: 56, right: 12, top: 28, bottom: 58 };

function panelSvg(panel: Panel, entries: ScaleEntry[]): string {
  const xs = entries.map((e) => e.passages);
  const values = panel.lines.flatMap((line) => entries.map(line.value)).filter((v) => v !== null);
  const highest = Math.max(...values, Number.isNaN(panel.goal) ? 0 : panel.goal);
  const top = panel.unit === "" ? 1 : highest * 1.1 || 1;
  const bottom = panel.unit === "" ? Math.min(0.9, ...values) : 0;
  const [minX, maxX] = [Math.log10(Math.min(...xs)), Math.log10(Math.max(...xs))];
  const x = (v: number) =>
    margin.left + ((Math.log10(v) - minX) / (maxX - minX || 1)) * (width - margin.left - margin.right);
  const y = (v: number) =>
    height - margin.bottom - ((v - bottom) / (top - bottom)) * (height - margin.top - margin.bottom);
  const parts = [
    `<text x="${width / 2}" y="16" text-anchor="middle" font-weight="bold">${panel.title}</text>`,
    `<line x1="${margin.left}" y1="${height - margin.bottom}" x2="${width - margin.right}" y2="${height - margin.bottom}" stroke="#444"/>`,
    `<line x1="${margin.left}" y1="${margin.top}" x2="${margin.left}" y2="${height - margin.bottom}" stroke="#444"/>`,
  ];
  for (const v of xs) {
    parts.push(
      `<text x="${x(v)}" y="${height - margin.bottom + 14}" text-anchor="middle">${v >= 1e6 ? `${Number((v / 1e6).toFixed(1))}M` : `${Math.round(v / 1e3)}k`}</text>`,
    );
  }
  for (const v of [bottom, (bottom + top) / 2, top]) {
    const label = panel.unit === "" ? v.toFixed(2) : v >= 100 ? v.toFixed(0) : v.toFixed(1);
    parts.push(`<text x="${margin.left - 4}" y="${y(v) + 4}" text-anchor="end">${label}</text>`);
  }
  parts.push(
    `<text x="${width / 2}" y="${height - margin.bottom + 28}" text-anchor="middle" fill="#555">passages${panel.unit ? ` · ${panel.unit}` : ""}</text>`,
  );
  if (!Number.isNaN(panel.goal)) {
    parts.push(
      `<line x1="${margin.left}" y1="${y(panel.goal)}" x2="${width - margin.right}" y2="${y(panel.goal)}" stroke="#888" stroke-dasharray="4 3"/>`,
      `<text x="${width - margin.right}" y="${y(panel.goal) - 3}" text-anchor="end" fill="#666">goal</text>`,
    );
  }
  let legendX = margin.left;
  for (const line of panel.lines) {
    const points = entries
      .map((e) => [e.passages, line.value(e)] as const)
      .filter((p): p is readonly [number, number] => p[1] !== null);
    if (points.length === 0) continue;
    parts.push(
      `<polyline fill="none" stroke="${line.colour}" stroke-width="2" points="${points.map(([px, py]) => `${x(px)},${y(py)}`).join(" ")}"/>`,
      ...points.map(([px, py]) => `<circle cx="${x(px)}" cy="${y(py)}" r="3" fill="${line.colour}"/>`),
      `<text x="${legendX}" y="${height - 12}" fill="${line.colour}">■ ${line.label}</text>`,
    );
    legendX += 14 + line.label.length * 7;
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="11">${parts.join("")}</svg>`;
}

export async function renderScalePlot(results: Record<string, ScaleEntry>, file: string): Promise<void> {
  const entries = Object.values(results).sort((a, b) => a.passages - b.passages);
  const html =
    `<!doctype html><html><body style="margin:0;background:#fff">` +
    `<div id="plot" style="display:grid;grid-template-columns:repeat(3,${width}px);width:${width * 3}px">` +
    panels.map((panel) => panelSvg(panel, entries)).join("") +
    `</div></body></html>`;
  const browser = await chromium.launch({
    executablePath: process.env.VERSO_CHROMIUM ?? "/usr/bin/chromium",
  });
  try {
    const page = await browser.newPage({ viewport: { width: width * 3, height: height * 2 } });
    await page.setContent(html);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    await page.locator("#plot").screenshot({ path: file });
  } finally {
    await browser.close();
  }
}
