import { describe, expect, it } from "vitest"
import { plotSpec, renderSvg } from "./plot-svg.js"

/** The number of marks Vega drew inside the group whose class starts with `cls`. */
const marksIn = (svg: string, cls: string): number => {
  const start = svg.indexOf(`<g class="${cls}`)
  if (start < 0) return 0
  const body = svg.slice(start, svg.indexOf("</g>", start))
  return (body.match(/<path /g) ?? []).length
}

describe("plots drawn by Vega-Lite", () => {
  it("a scatter and a line become an SVG with one symbol per point, one line, a legend and the escaped title", async () => {
    const svg = await renderSvg("a <fit> & data", [
      { kind: "scatter", xs: [0, 1, 2, 3], ys: [1, 3, 2, 5], label: "data" },
      { kind: "line", xs: [3, 0, 1], ys: [4, 1, 2], label: "fit", color: "red" }
    ])
    expect(svg.startsWith("<svg")).toBe(true)
    expect(marksIn(svg, "mark-symbol role-mark")).toBe(4)
    expect(marksIn(svg, "mark-line role-mark")).toBe(1)
    expect(svg).toContain("a &lt;fit&gt; &amp; data")
    expect(svg).toMatch(/aria-label="Symbol legend[^"]*2 values: data, fit"/)
    expect(svg).toContain('stroke="red"')
  })

  it("the spec layers the series, sorts lines by x and keeps the series order in the legend", () => {
    const spec = plotSpec("t", [
      { kind: "scatter", xs: [0], ys: [1] },
      { kind: "line", xs: [1, 0], ys: [2, 3], label: "line" }
    ]) as unknown as { layer: Array<{ mark: { type: string }; encoding: Record<string, unknown>; data: { values: unknown[] } }> }
    expect(spec.layer.map((l) => l.mark.type)).toEqual(["point", "line"])
    expect(spec.layer[1]!.encoding["order"]).toEqual({ field: "x", type: "quantitative" })
    expect(spec.layer[1]!.data.values).toEqual([
      { x: 1, y: 2, series: "line" },
      { x: 0, y: 3, series: "line" }
    ])
    expect((spec.layer[0]!.encoding["color"] as { scale: { domain: string[] } }).scale.domain).toEqual(["series 1", "line"])
  })

  it("bad series are errors that say what to give", () => {
    expect(() => plotSpec("t", [])).toThrow(/at least one series/)
    expect(() => plotSpec("t", [{ kind: "line", xs: [0, 1], ys: [0] }])).toThrow(/series 0 has 2 xs but 1 ys/)
    expect(() =>
      plotSpec("t", [
        { kind: "line", xs: [0], ys: [0], label: "a" },
        { kind: "line", xs: [0], ys: [0], label: "a" }
      ])
    ).toThrow(/labels \["a","a"\] repeat/)
  })
})
