/**
 * `debug.visualizeArraySharding`: the grid of an array's shards as JAX prints it (its rich table in
 * plain text: square box, one cell per block, each labelled with the devices that hold the block,
 * sized in proportion to the block).
 */
import { Array, ArrayImpl } from "../array.js"
import { ValueError } from "../errors.js"
import { checkOptions, optionKeys } from "../options.js"
import { Mesh, NamedSharding, P } from "./mesh.js"
import { ShardedArray, shardIndices } from "./sharded-array.js"

export interface VisualizeOptions {
  /** Scales the grid's height and width (default 1). */
  readonly scale?: number
  /** The narrowest a cell is drawn, in characters (default 9). */
  readonly minWidth?: number
  /** The widest a cell is drawn, in characters (default 80). */
  readonly maxWidth?: number
  /** Where the text goes (default: console.log); the text is also returned. */
  readonly sink?: (text: string) => void
}
const VISUALIZE_KEYS = optionKeys<VisualizeOptions>()("scale", "minWidth", "maxWidth", "sink")

/**
 * The text grid of how `shape` is laid out by `sharding` (JAX's `jax.debug.visualize_sharding`).
 *
 * @example
 * visualizeSharding([8], new NamedSharding(makeMesh([2], ["x"]), P("x")))
 * // ┌───────┬───────┐
 * // │ CPU 0 │ CPU 1 │
 * // └───────┴───────┘
 */
export const visualizeSharding = (shape: ReadonlyArray<number>, sharding: NamedSharding, opts: VisualizeOptions = {}): string => {
  checkOptions("debug.visualizeSharding", opts, VISUALIZE_KEYS)
  if (shape.length < 1 || shape.length > 2)
    throw new ValueError(`visualizeArraySharding: only 1-d and 2-d arrays can be drawn, got shape [${shape.join(", ")}]; reshape it first.`)
  const scale = opts.scale ?? 1
  const minWidth = opts.minWidth ?? 9
  const maxWidth = opts.maxWidth ?? 80
  const baseHeight = Math.trunc(10 * scale)
  const baseWidth = Math.trunc(baseHeight * ((shape.length === 2 ? shape[1]! : 1) / shape[0]!))
  const kind = sharding.mesh.devices[0]!.platform.toUpperCase()
  // Per block (row, column): the devices holding it, its height (null: 1-d) and width fractions.
  const cells = new Map<string, { ids: number[]; height: number | null; width: number }>()
  const bs = sharding.shardShape(shape)
  let rows = 0
  let cols = 0
  shardIndices(sharding, shape).forEach(({ index }, k) => {
    const chunk = index.map((s, d) => Math.floor(s.start / bs[d]!))
    const [r, c] = shape.length === 2 ? chunk : [0, chunk[0]!]
    const key = `${r},${c}`
    const cell = cells.get(key) ?? { ids: [], height: shape.length === 2 ? bs[0]! / shape[0]! : null, width: bs[shape.length - 1]! / shape[shape.length - 1]! }
    cell.ids.push(sharding.mesh.devices[k]!.id)
    cells.set(key, cell)
    rows = Math.max(rows, r! + 1)
    cols = Math.max(cols, c! + 1)
  })
  // Each cell: its label centred in its padding, as rich pads and aligns it.
  const grid = globalThis.Array.from({ length: rows }, (_, i) =>
    globalThis.Array.from({ length: cols }, (_, j) => {
      const cell = cells.get(`${i},${j}`)!
      const label = `${kind} ${[...cell.ids].sort((a, b) => a - b).join(",")}`
      const width = Math.min(Math.max(Math.trunc(cell.width * baseWidth * 2.5), minWidth), maxWidth)
      const height = cell.height === null ? 1 : Math.trunc(cell.height * baseHeight)
      const [left, lrem] = divmod(width - label.length - 2, 2)
      const [top, trem] = divmod(height - 2, 2)
      return { label, left: Math.max(left, 0), right: Math.max(left + lrem, 0), top: Math.max(top, 0), bottom: Math.max(top + trem, 0) }
    })
  )
  const colWidth = globalThis.Array.from({ length: cols }, (_, j) => Math.max(...grid.map((row) => row[j]!.left + row[j]!.label.length + row[j]!.right)))
  const rule = (l: string, m: string, r: string): string => l + colWidth.map((w) => "─".repeat(w)).join(m) + r
  const lines: string[] = [rule("┌", "┬", "┐")]
  grid.forEach((row, i) => {
    const height = Math.max(...row.map((c) => c.top + 1 + c.bottom))
    for (let line = 0; line < height; line++) {
      const parts = row.map((c, j) => {
        const w = colWidth[j]!
        if (line !== c.top) return " ".repeat(w)
        const inner = " ".repeat(c.left) + c.label + " ".repeat(c.right)
        const pad = w - inner.length
        const l = Math.floor(pad / 2)
        return " ".repeat(l) + inner + " ".repeat(pad - l)
      })
      lines.push(`│${parts.join("│")}│`)
    }
    if (i < rows - 1) lines.push(rule("├", "┼", "┤"))
  })
  lines.push(rule("└", "┴", "┘"))
  const text = lines.join("\n") + "\n"
  ;(opts.sink ?? ((t: string) => console.log(t.slice(0, -1))))(text)
  return text
}

const divmod = (a: number, b: number): [number, number] => {
  const q = Math.floor(a / b)
  return [q, a - q * b]
}

/**
 * Print (and return) the grid of `x`'s shards: which devices hold which block (JAX's
 * `jax.debug.visualize_array_sharding`). A single-device array is one block.
 *
 * @example
 * const x = devicePut(np.arange(32).reshape([8, 4]), new NamedSharding(makeMesh([2], ["x"]), P("x")))
 * debug.visualizeArraySharding(x) // two cells stacked: "CPU 0" over "CPU 1"
 */
export const visualizeArraySharding = (x: Array, opts: VisualizeOptions = {}): string => {
  checkOptions("debug.visualizeArraySharding", opts, VISUALIZE_KEYS)
  if (x instanceof ShardedArray) return visualizeSharding(x.shape, x.sharding, opts)
  if (!(x instanceof ArrayImpl)) throw new ValueError("visualizeArraySharding: give a concrete array (outside jit, grad and vmap).")
  return visualizeSharding(x.shape, new NamedSharding(new Mesh([x.device], ["d"]), P()), opts)
}
