/**
 * Plots for the examples, written as SVG files (rendered by Vega-Lite: plot-svg.ts).
 */
import { mkdirSync, writeFileSync } from "node:fs"
import { dirname } from "node:path"
import { renderSvg, type Series } from "./plot-svg.js"

export type { Series } from "./plot-svg.js"

/**
 * Render the series with Vega-Lite and write the SVG to `path` (directories are created).
 *
 * @example
 * await savePlot("out/fit.svg", "fit", [{ kind: "scatter", xs: [0, 1], ys: [1, 3], label: "data" }])
 */
export const savePlot = async (path: string, title: string, series: ReadonlyArray<Series>): Promise<void> => {
  const svg = await renderSvg(title, series)
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, svg)
}
