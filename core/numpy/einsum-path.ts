/**
 * `np.einsum_path`: the order of pairwise contractions einsum would use, in opt_einsum's format (a
 * list of index pairs into the current operand list; each contraction removes its pair and appends
 * the result), with opt_einsum's greedy choice: among pairs that share a label, the one that most
 * reduces memory (result size minus the inputs' sizes), the first such pair on ties.
 */
import { ValueError } from "../errors.js"
import { checkOneOf, checkOptions, optionKeys } from "../options.js"
import { showShape } from "../shape.js"
import { type ArrayLike, asArray } from "./coerce.js"

export interface EinsumPathOptions {
  /** "greedy" (default, also true) or false for left to right. */
  readonly optimize?: boolean | "greedy" | undefined
}
const PATH_KEYS = optionKeys<EinsumPathOptions>()("optimize")

const product = (labels: Iterable<string>, sizes: ReadonlyMap<string, number>): number => {
  let p = 1
  for (const l of labels) p *= sizes.get(l)!
  return p
}

/**
 * `jnp.einsum_path(subscripts, *operands, optimize)`: `[path, report]`, where `path` lists the
 * pairs contracted in turn (as opt_einsum's, which JAX returns) and `report` lists each
 * contraction. Subscripts are letters with an explicit or implicit output (no ellipsis).
 *
 * @example
 * const [path] = np.einsumPath("ij,jk,kl->il", np.ones([2, 3]), np.ones([3, 4]), np.ones([4, 5]))
 * path // [[1, 2], [0, 1]]
 */
export const einsumPath = (subscripts: string, ...operandsAndOptions: ReadonlyArray<ArrayLike | EinsumPathOptions>): [number[][], string] => {
  const args = [...operandsAndOptions]
  const last = args[args.length - 1]
  const options =
    last !== undefined && typeof last === "object" && !globalThis.Array.isArray(last) && !ArrayBuffer.isView(last) && !("shape" in last)
      ? (args.pop() as EinsumPathOptions)
      : undefined
  checkOptions("np.einsumPath", options, PATH_KEYS)
  checkOneOf("np.einsumPath", "optimize", options?.optimize, [true, false, "greedy"])
  const shapes = args.map((a) => asArray(a as ArrayLike).shape)
  const spec = subscripts.replace(/\s+/g, "")
  if (spec.includes(".")) throw new ValueError(`np.einsumPath "${subscripts}": ellipses are not supported here; name every axis with a letter.`)
  const arrow = spec.indexOf("->")
  const terms = (arrow < 0 ? spec : spec.slice(0, arrow)).split(",")
  if (terms.length !== shapes.length) throw new ValueError(`np.einsumPath "${subscripts}" names ${terms.length} operand(s) but ${shapes.length} were given.`)
  const sizes = new Map<string, number>()
  terms.forEach((t, i) => {
    if (!/^[a-zA-Z]*$/.test(t) || t.length !== shapes[i]!.length) {
      throw new ValueError(
        `np.einsumPath "${subscripts}": term "${t}" does not label the ${shapes[i]!.length} axes of operand ${i} (shape ${showShape(shapes[i]!)}).`
      )
    }
    ;[...t].forEach((l, d) => sizes.set(l, shapes[i]![d]!))
  })
  const counts = new Map<string, number>()
  for (const t of terms) for (const l of t) counts.set(l, (counts.get(l) ?? 0) + 1)
  const out =
    arrow >= 0
      ? spec.slice(arrow + 2)
      : [...counts.keys()]
          .filter((l) => counts.get(l) === 1)
          .sort()
          .join("")
  let rest = terms.map((t) => [...new Set(t)].join(""))
  const path: number[][] = []
  const lines: string[] = []
  const greedy = options?.optimize !== false
  while (rest.length > 1) {
    let best: { i: number; j: number; cost: number; result: string } | undefined
    const consider = (i: number, j: number): void => {
      const keep = new Set(out)
      rest.forEach((t, k) => k !== i && k !== j && [...t].forEach((l) => keep.add(l)))
      const result = [...new Set(rest[i]! + rest[j]!)].filter((l) => keep.has(l)).join("")
      const cost = product(result, sizes) - product(rest[i]!, sizes) - product(rest[j]!, sizes)
      if (best === undefined || cost < best.cost) best = { i, j, cost, result }
    }
    if (greedy) {
      for (let i = 0; i < rest.length; i++) for (let j = i + 1; j < rest.length; j++) if ([...rest[i]!].some((l) => rest[j]!.includes(l))) consider(i, j)
      if (best === undefined) for (let i = 0; i < rest.length; i++) for (let j = i + 1; j < rest.length; j++) consider(i, j)
    } else consider(0, 1)
    const { i, j, result } = best!
    path.push([i, j])
    const remaining = [...rest.filter((_, k) => k !== i && k !== j), result]
    lines.push(`${rest[i]},${rest[j]}->${result}`.padEnd(40) + `${remaining.join(",")}->${out}`)
    rest = remaining
  }
  if (path.length === 0) path.push([0])
  const report = [`  Complete contraction:  ${terms.join(",")}->${out}`, "-".repeat(80), `${"current".padEnd(40)}remaining`, "-".repeat(80), ...lines].join(
    "\n"
  )
  return [path, report]
}
