/**
 * A minimal SVG plotter for the examples (matplotlib's scatter and plot): enough to see data and
 * a fitted line, with axes and tick labels. No dependency.
 */
import { mkdirSync, writeFileSync } from "node:fs"
import { dirname } from "node:path"

export interface Series {
  readonly kind: "scatter" | "line"
  readonly xs: ReadonlyArray<number>
  readonly ys: ReadonlyArray<number>
  readonly color?: string
  readonly label?: string
}

const W = 640
const H = 420
const M = { left: 56, right: 16, top: 28, bottom: 40 }

const niceTicks = (lo: number, hi: number, n = 6): number[] => {
  const span = hi - lo || 1
  const raw = span / n
  const mag = 10 ** Math.floor(Math.log10(raw))
  const step = [1, 2, 5, 10].map((k) => k * mag).find((s) => span / s <= n) ?? 10 * mag
  const out: number[] = []
  for (let t = Math.ceil(lo / step) * step; t <= hi + 1e-9 * span; t += step) out.push(Number(t.toPrecision(12)))
  return out
}

const escapeXml = (s: string): string => s.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`)

/** Render series to an SVG string. */
export const renderSvg = (title: string, series: ReadonlyArray<Series>): string => {
  const allX = series.flatMap((s) => s.xs)
  const allY = series.flatMap((s) => s.ys)
  const pad = (lo: number, hi: number): [number, number] => {
    const d = (hi - lo || 1) * 0.05
    return [lo - d, hi + d]
  }
  const [x0, x1] = pad(Math.min(...allX), Math.max(...allX))
  const [y0, y1] = pad(Math.min(...allY), Math.max(...allY))
  const sx = (x: number) => M.left + ((x - x0) / (x1 - x0)) * (W - M.left - M.right)
  const sy = (y: number) => H - M.bottom - ((y - y0) / (y1 - y0)) * (H - M.top - M.bottom)
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="11">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="18" text-anchor="middle" font-size="13">${escapeXml(title)}</text>`,
    `<rect x="${M.left}" y="${M.top}" width="${W - M.left - M.right}" height="${H - M.top - M.bottom}" fill="none" stroke="#333"/>`
  ]
  for (const t of niceTicks(x0, x1)) {
    parts.push(`<line x1="${sx(t)}" y1="${H - M.bottom}" x2="${sx(t)}" y2="${H - M.bottom + 4}" stroke="#333"/>`)
    parts.push(`<text x="${sx(t)}" y="${H - M.bottom + 16}" text-anchor="middle">${t}</text>`)
  }
  for (const t of niceTicks(y0, y1)) {
    parts.push(`<line x1="${M.left - 4}" y1="${sy(t)}" x2="${M.left}" y2="${sy(t)}" stroke="#333"/>`)
    parts.push(`<text x="${M.left - 6}" y="${sy(t) + 4}" text-anchor="end">${t}</text>`)
  }
  const palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728"]
  series.forEach((s, i) => {
    const color = s.color ?? palette[i % palette.length]!
    if (s.kind === "scatter") {
      s.xs.forEach((x, j) => parts.push(`<circle cx="${sx(x).toFixed(2)}" cy="${sy(s.ys[j]!).toFixed(2)}" r="3" fill="${color}" fill-opacity="0.8"/>`))
    } else {
      const order = s.xs.map((_, j) => j).sort((a, b) => s.xs[a]! - s.xs[b]!)
      const pts = order.map((j) => `${sx(s.xs[j]!).toFixed(2)},${sy(s.ys[j]!).toFixed(2)}`).join(" ")
      parts.push(`<polyline points="${pts}" fill="none" stroke="${color}" stroke-width="2"/>`)
    }
    if (s.label !== undefined) {
      parts.push(`<text x="${W - M.right - 8}" y="${M.top + 16 + 14 * i}" text-anchor="end" fill="${color}">${escapeXml(s.label)}</text>`)
    }
  })
  parts.push("</svg>")
  return parts.join("\n")
}

/** Write the plot to `path` (directories are created). */
export const savePlot = (path: string, title: string, series: ReadonlyArray<Series>): void => {
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, renderSvg(title, series))
}
