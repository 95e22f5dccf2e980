/**
 * `np.einsum` in every form JAX accepts: a subscripts string (explicit or implicit output,
 * ellipses, repeated labels for diagonals and traces) or NumPy's interleaved form
 * `einsum(op0, sublist0, op1, sublist1, ..., [sublistOut])`, with `optimize` choosing the order of
 * the pairwise contractions (greedy: the smallest intermediate first, as opt_einsum's greedy path;
 * false: left to right). Every contraction is one `dot_general`, so grad, vmap and jit see only
 * primitives.
 */
import { Array } from "../array.js"
import { ShapeError, ValueError } from "../errors.js"
import { checkOneOf, checkOptions, optionKeys } from "../options.js"
import { dotGeneral } from "../primitives/dot.js"
import { reduceSum } from "../primitives/reduce.js"
import { broadcastInDim, reshape, slice, transpose } from "../primitives/shape-ops.js"
import { showShape } from "../shape.js"
import type { ArrayLike } from "./coerce.js"
import { prepare, seq } from "./operands.js"

/** A labelled operand during einsum: the array and one label per axis. */
interface Labelled {
  readonly x: Array
  readonly labels: ReadonlyArray<string>
}

const isLetter = (c: string): boolean => /^[a-zA-Z]$/.test(c)

/**
 * Parse one term. Letters label axes; "..." stands for the axes not named, labelled by their
 * distance from the right ("#0" is the last ellipsis axis) so ellipses broadcast like NumPy.
 */
const parseTerm = (subscripts: string, term: string, ellipsisRank: number | undefined, what: string): string[] => {
  const parts = term.split("...")
  if (parts.length > 2) throw new ValueError(`einsum "${subscripts}": ${what} "${term}" has more than one ellipsis ("...").`)
  for (const p of parts) {
    for (const c of p) {
      if (!isLetter(c)) {
        throw new ValueError(`einsum "${subscripts}": invalid character "${c}" in ${what} "${term}"; use letters a-z, A-Z and at most one "...".`)
      }
    }
  }
  if (parts.length === 1) return [...term]
  const nEll = ellipsisRank ?? 0
  const ell = seq(nEll).map((i) => `#${nEll - 1 - i}`)
  return [...parts[0]!, ...ell, ...parts[1]!]
}

/** Take the diagonal of two axes with the same label, until every label appears once. */
const takeDiagonals = (op: Labelled): Labelled => {
  let { x, labels } = op
  for (;;) {
    const q = labels.findIndex((l, i) => labels.indexOf(l) !== i)
    if (q < 0) return { x, labels }
    const p = labels.indexOf(labels[q]!)
    const n = x.shape[p]!
    const rest = seq(x.ndim).filter((d) => d !== p && d !== q)
    // Move the pair last, flatten it, and read every (n+1)-th element: the diagonal.
    const moved = transpose(x, [...rest, p, q])
    const lead = rest.map((d) => x.shape[d]!)
    const flatPair = reshape(moved, [...lead, n * n])
    x = slice(flatPair, [...lead.map(() => 0), 0], [...lead, n * n], [...lead.map(() => 1), n + 1])
    labels = [...rest.map((d) => labels[d]!), labels[p]!]
  }
}

/** Sum out the axes whose labels are not in `keep`. */
const sumOut = (op: Labelled, keep: ReadonlySet<string>): Labelled => {
  const axes = seq(op.labels.length).filter((d) => !keep.has(op.labels[d]!))
  if (axes.length === 0) return op
  return { x: reduceSum(op.x, axes), labels: op.labels.filter((l) => keep.has(l)) }
}

/** Broadcast size-1 axes of `op` to the sizes in `sizes` for the labels in `which`. */
const broadcastLabels = (op: Labelled, which: ReadonlyArray<string>, sizes: ReadonlyMap<string, number>): Labelled => {
  const shape = op.labels.map((l, d) => (which.includes(l) ? sizes.get(l)! : op.x.shape[d]!))
  if (shape.every((s, d) => s === op.x.shape[d])) return op
  return { x: broadcastInDim(op.x, shape, seq(shape.length)), labels: op.labels }
}

/** Contract two labelled operands, keeping the labels in `needed` (as batch or free axes). */
const contractPair = (a: Labelled, b: Labelled, needed: ReadonlySet<string>, sizes: ReadonlyMap<string, number>): Labelled => {
  const shared = a.labels.filter((l) => b.labels.includes(l))
  const l = broadcastLabels(a, shared, sizes)
  const r = broadcastLabels(b, shared, sizes)
  const batch = shared.filter((s) => needed.has(s))
  const contract = shared.filter((s) => !needed.has(s))
  const x = dotGeneral(l.x, r.x, {
    contracting: [contract.map((s) => l.labels.indexOf(s)), contract.map((s) => r.labels.indexOf(s))],
    batch: [batch.map((s) => l.labels.indexOf(s)), batch.map((s) => r.labels.indexOf(s))]
  })
  return {
    x,
    labels: [...batch, ...l.labels.filter((s) => !shared.includes(s)), ...r.labels.filter((s) => !shared.includes(s))]
  }
}

const showLabel = (l: string): string => (l.startsWith("#") ? `... axis ${l.slice(1)} from the right` : `"${l}"`)

const einsumString = (subscripts: string, operands: ReadonlyArray<ArrayLike>, greedy: boolean): Array => {
  const spec = subscripts.replace(/\s+/g, "")
  const arrow = spec.indexOf("->")
  const lhs = arrow < 0 ? spec : spec.slice(0, arrow)
  const rhs = arrow < 0 ? undefined : spec.slice(arrow + 2)
  if (rhs !== undefined && rhs.includes("->")) throw new ValueError(`einsum "${subscripts}": more than one "->".`)
  const terms = lhs.split(",")
  if (terms.length !== operands.length) {
    throw new ValueError(
      `einsum "${subscripts}" names ${terms.length} operand(s) but ${operands.length} were given; ` + "give one comma-separated term per operand."
    )
  }
  const { arrays, finish } = prepare(operands)

  // Label every axis; ellipsis axes are labelled from the right so they broadcast.
  let ellipsisRank = 0
  const ops: Labelled[] = arrays.map((x, i) => {
    const term = terms[i]!
    parseTerm(subscripts, term, 0, `term ${i}`) // validates the characters
    const letters = term.replace("...", "").length
    const hasEllipsis = term.includes("...")
    if (hasEllipsis ? x.ndim < letters : x.ndim !== letters) {
      throw new ShapeError(
        `einsum "${subscripts}": operand ${i} has shape ${showShape(x.shape)} (rank ${x.ndim}) but its term "${term}" ` +
          `names ${letters} axes${hasEllipsis ? " plus an ellipsis" : ""}; give one letter per axis, or use "..." for the rest.`
      )
    }
    const nEll = x.ndim - letters
    ellipsisRank = Math.max(ellipsisRank, hasEllipsis ? nEll : 0)
    return { x, labels: parseTerm(subscripts, term, nEll, `term ${i}`) }
  })

  // Every label has one size; ellipsis axes of size 1 broadcast.
  const sizes = new Map<string, number>()
  const owner = new Map<string, number>()
  ops.forEach((op, i) => {
    op.labels.forEach((l, d) => {
      const s = op.x.shape[d]!
      const prev = sizes.get(l)
      if (prev === undefined || (l.startsWith("#") && prev === 1)) {
        sizes.set(l, s)
        owner.set(l, i)
      } else if (prev !== s && !(l.startsWith("#") && s === 1)) {
        const j = owner.get(l)!
        throw new ShapeError(
          `einsum "${subscripts}": label ${showLabel(l)} has size ${prev} in operand ${j} (shape ${showShape(arrays[j]!.shape)}) ` +
            `but size ${s} in operand ${i} (shape ${showShape(op.x.shape)}); axes with the same label must have the same size.`
        )
      }
    })
  })

  // The output labels: explicit, or implicit (ellipsis, then letters used exactly once, sorted).
  let out: string[]
  if (rhs !== undefined) {
    out = parseTerm(subscripts, rhs, ellipsisRank, "output")
    for (const l of out) {
      if (!sizes.has(l)) {
        throw new ValueError(`einsum "${subscripts}": output label ${showLabel(l)} appears in no input term; every output label must label an input axis.`)
      }
    }
    if (new Set(out).size !== out.length) throw new ValueError(`einsum "${subscripts}": a label is repeated in the output; name each output axis once.`)
  } else {
    const counts = new Map<string, number>()
    for (const op of ops) for (const l of op.labels) counts.set(l, (counts.get(l) ?? 0) + 1)
    const once = [...counts.keys()].filter((l) => !l.startsWith("#") && counts.get(l) === 1).sort()
    out = [...seq(ellipsisRank).map((i) => `#${ellipsisRank - 1 - i}`), ...once]
  }
  const outSet = new Set(out)

  // Labels needed after position i: the output's and those of operands i+1, i+2, ...
  const neededAfter = (i: number): Set<string> => {
    const s = new Set(outSet)
    for (let j = i + 1; j < ops.length; j++) for (const l of ops[j]!.labels) s.add(l)
    return s
  }
  // Per operand: diagonals, then sum the labels no other operand or the output uses.
  const prepared = ops.map((op, i) => {
    const others = new Set(outSet)
    ops.forEach((o, j) => j !== i && o.labels.forEach((l) => others.add(l)))
    return sumOut(takeDiagonals(op), others)
  })
  if (prepared.length === 0) throw new ValueError(`einsum "${subscripts}" needs at least one operand.`)
  let acc: Labelled
  if (!greedy || prepared.length <= 2) {
    acc = prepared[0]!
    for (let i = 1; i < prepared.length; i++) acc = contractPair(acc, prepared[i]!, neededAfter(i), sizes)
  } else {
    acc = contractGreedy(prepared, outSet, sizes)
  }
  acc = sumOut(acc, outSet)
  return finish(
    transpose(
      acc.x,
      out.map((l) => acc.labels.indexOf(l))
    )
  )
}

/**
 * Contract the operands pairwise, each time the pair whose result is smallest (ties: the first
 * pair in order), keeping the labels that the output or any other remaining operand needs.
 */
const contractGreedy = (ops: ReadonlyArray<Labelled>, outSet: ReadonlySet<string>, sizes: ReadonlyMap<string, number>): Labelled => {
  let rest = [...ops]
  while (rest.length > 1) {
    let best: { i: number; j: number; size: number; needed: Set<string> } | undefined
    for (let i = 0; i < rest.length; i++) {
      for (let j = i + 1; j < rest.length; j++) {
        const needed = new Set(outSet)
        rest.forEach((o, k) => k !== i && k !== j && o.labels.forEach((l) => needed.add(l)))
        const kept = new Set([...rest[i]!.labels, ...rest[j]!.labels].filter((l) => needed.has(l)))
        const size = [...kept].reduce((p, l) => p * sizes.get(l)!, 1)
        if (best === undefined || size < best.size) best = { i, j, size, needed }
      }
    }
    const { i, j, needed } = best!
    const c = contractPair(rest[i]!, rest[j]!, needed, sizes)
    rest = [...rest.filter((_, k) => k !== i && k !== j), c]
  }
  return rest[0]!
}

/** An axis list of the interleaved form: integers (0-51, one per label) and "..." for an ellipsis. */
export type Sublist = ReadonlyArray<number | "...">

export interface EinsumOptions {
  /**
   * The contraction order: "auto", "greedy", "optimal", "dp" or true (the greedy smallest-first
   * order; jaxfx has no separate optimal search), or false (left to right).
   */
  readonly optimize?: boolean | "auto" | "greedy" | "optimal" | "dp"
  /** Accepted for JAX compatibility: CPU products are computed at full precision. */
  readonly precision?: null | "default" | "high" | "highest"
  /** The result dtype; only the operands' own (promoted) dtype is offered. */
  readonly preferredElementType?: null
}
const EINSUM_KEYS = optionKeys<EinsumOptions>()("optimize", "precision", "preferredElementType")

const isOptions = (x: unknown): x is EinsumOptions =>
  typeof x === "object" && x !== null && !(x instanceof Array) && !globalThis.Array.isArray(x) && !ArrayBuffer.isView(x)

const LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
const sublistTerm = (s: unknown, what: string): string => {
  if (!globalThis.Array.isArray(s)) throw new ValueError(`einsum: ${what} must be a list of axis labels (integers 0-51 and "..."), got ${String(s)}.`)
  return (s as ReadonlyArray<unknown>)
    .map((v) => {
      if (v === "...") return "..."
      if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v >= LETTERS.length) {
        throw new ValueError(`einsum: ${what} holds ${JSON.stringify(v)}; labels must be integers in [0, 52) or "...".`)
      }
      return LETTERS[v]!
    })
    .join("")
}

/**
 * `jnp.einsum`: Einstein summation over labelled axes. Supports explicit (`"ij,jk->ik"`) and
 * implicit (`"ij,jk"`: labels used once, in alphabetical order) outputs, batch labels
 * (`"bij,bjk->bik"`), sums (`"ij->"`), transposes (`"ij->ji"`), traces and diagonals via
 * repeated labels (`"ii->"`, `"ii->i"`), `"..."` for broadcast leading axes, NumPy's interleaved
 * form with integer sublists, and a last options object (`optimize`, JAX's contraction-order
 * choice: greedy by default, `false` for left to right).
 *
 * @example
 * const [a, b, c] = [np.ones([2, 3]), np.ones([3, 4]), np.ones([4, 5])]
 * np.einsum("ij,jk->ik", a, b)                     // matmul
 * np.einsum("bij,bjk->bik", a, b)                  // batched matmul
 * np.einsum(a, [0, 1], b, [1, 2], [0, 2])          // matmul, interleaved form
 * np.einsum("ij,jk,kl->il", a, b, c, { optimize: false })
 */
export function einsum(subscripts: string, ...operands: ReadonlyArray<ArrayLike>): Array
export function einsum(subscripts: string, ...operandsAndOptions: readonly [...ReadonlyArray<ArrayLike>, EinsumOptions]): Array
export function einsum(...interleaved: ReadonlyArray<ArrayLike | Sublist | EinsumOptions>): Array
export function einsum(...args: ReadonlyArray<unknown>): Array {
  let rest = [...args]
  let options: EinsumOptions | undefined
  if (rest.length > 0 && isOptions(rest[rest.length - 1])) options = rest.pop() as EinsumOptions
  checkOptions("np.einsum", options, EINSUM_KEYS)
  const optimize = options?.optimize ?? "auto"
  checkOneOf("np.einsum", "optimize", optimize, [true, false, "auto", "greedy", "optimal", "dp"])
  if (options?.preferredElementType !== undefined && options.preferredElementType !== null) {
    throw new ValueError("np.einsum: preferredElementType is not supported; cast the operands or the result instead.")
  }
  const greedy = optimize !== false
  if (typeof rest[0] === "string") return einsumString(rest[0], rest.slice(1) as ArrayLike[], greedy)
  // Interleaved: op0, sublist0, op1, sublist1, ..., and an optional output sublist.
  const out = rest.length % 2 === 1 ? sublistTerm(rest.pop(), "the output sublist") : undefined
  const ops: ArrayLike[] = []
  const terms: string[] = []
  for (let i = 0; i < rest.length; i += 2) {
    ops.push(rest[i] as ArrayLike)
    terms.push(sublistTerm(rest[i + 1], `the sublist of operand ${i / 2}`))
  }
  return einsumString(terms.join(",") + (out === undefined ? "" : `->${out}`), ops, greedy)
}
