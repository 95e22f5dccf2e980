/**
 * Plots for the examples and the playground (matplotlib's `scatter` and `plot`), drawn by
 * Vega-Lite: the series become a layered Vega-Lite spec, which Vega renders to an SVG string.
 * The same code runs in Node (the examples write files) and in browsers (the playground shows
 * the SVG in the page); nothing here touches a file.
 */
import { parse, View } from "vega"
import { compile, type TopLevelSpec } from "vega-lite"

/** One series of a plot: points (`scatter`) or a line through them in x order (`line`). */
export interface Series {
  readonly kind: "scatter" | "line"
  readonly xs: ReadonlyArray<number>
  readonly ys: ReadonlyArray<number>
  readonly label?: string
  /** A CSS color; by default the next of Vega's category colors. */
  readonly color?: string
}

// Vega's default category colors (tableau10), used for series that name no color.
const palette = ["#4c78a8", "#f58518", "#e45756", "#72b7b2", "#54a24b", "#eeca3b", "#b279a2", "#ff9da6", "#9d755d", "#bab0ac"]

/**
 * The Vega-Lite spec of a plot: one layer per series, colored by label (the legend names them).
 *
 * @example
 * const spec = plotSpec("fit", [{ kind: "scatter", xs: [0, 1], ys: [1, 3], label: "data" }])
 */
export const plotSpec = (title: string, series: ReadonlyArray<Series>): TopLevelSpec => {
  if (series.length === 0) throw new Error("plotSpec: give at least one series to plot")
  const labels = series.map((s, i) => s.label ?? `series ${i + 1}`)
  if (new Set(labels).size !== labels.length) throw new Error(`plotSpec: the series labels ${JSON.stringify(labels)} repeat; give each series its own label`)
  const color = {
    field: "series",
    type: "nominal" as const,
    title: null,
    sort: null,
    scale: { domain: labels, range: series.map((s, i) => s.color ?? palette[i % palette.length]!) }
  }
  const layer = series.map((s, i) => {
    if (s.xs.length !== s.ys.length) throw new Error(`plotSpec: series ${i} has ${s.xs.length} xs but ${s.ys.length} ys; give one y per x`)
    const label = labels[i]!
    return {
      data: { values: s.xs.map((x, j) => ({ x, y: s.ys[j]!, series: label })) },
      mark: s.kind === "scatter" ? { type: "point" as const, filled: true, opacity: 0.8 } : { type: "line" as const, strokeWidth: 2 },
      encoding: {
        x: { field: "x", type: "quantitative" as const, scale: { zero: false } },
        y: { field: "y", type: "quantitative" as const, scale: { zero: false } },
        color,
        ...(s.kind === "line" ? { order: { field: "x", type: "quantitative" as const } } : {})
      }
    }
  })
  return { $schema: "https://vega.github.io/schema/vega-lite/v6.json", title, width: 560, height: 340, background: "white", layer }
}

/**
 * Render a plot to an SVG document (a string), with Vega's SVG renderer (no canvas, no DOM needed).
 *
 * @example
 * const svg = await renderSvg("y = x^2", [{ kind: "line", xs: [0, 1, 2], ys: [0, 1, 4] }])
 */
export const renderSvg = async (title: string, series: ReadonlyArray<Series>): Promise<string> => {
  const view = new View(parse(compile(plotSpec(title, series)).spec), { renderer: "none" })
  try {
    return await view.toSVG()
  } finally {
    view.finalize()
  }
}
