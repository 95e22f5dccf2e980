/**
 * Printing and comparing values for law reports: numbers in their shortest exact form, arrays as
 * jaxfx code that rebuilds them, pytrees, and elementwise comparisons that name the first
 * mismatching elements.
 */
import { Array, type DType } from "../index.js"

/**
 * The shortest decimal that reads back to `v` in `dtype` (float32 values print as float32).
 *
 * @example
 * laws.formatNumber(0.1, "float32") // "0.1"
 * laws.formatNumber(1 / 3) // "0.3333333333333333"
 */
export const formatNumber = (v: number, dtype: DType = "float64"): string => {
  if (Number.isNaN(v)) return "NaN"
  if (!Number.isFinite(v)) return v > 0 ? "Infinity" : "-Infinity"
  if (Object.is(v, -0)) return "-0"
  if (dtype === "float32") {
    for (let p = 1; p <= 9; p++) {
      const s = Number(v.toPrecision(p))
      if (Math.fround(s) === v) return String(s)
    }
  }
  return String(v)
}

const shapeStr = (shape: ReadonlyArray<number>): string => `[${shape.join(", ")}]`

/** `f32[2,3]`. */
export const avalStr = (x: Array): string => x.aval.str()

/** Row-major index to a multi-index. */
export const unravel = (flat: number, shape: ReadonlyArray<number>): number[] => {
  const idx = new globalThis.Array<number>(shape.length).fill(0)
  let r = flat
  for (let i = shape.length - 1; i >= 0; i--) {
    const d = shape[i]!
    idx[i] = d === 0 ? 0 : r % d
    r = Math.floor(r / d)
  }
  return idx
}

const nested = (data: ArrayLike<number>, shape: ReadonlyArray<number>, dtype: DType): string => {
  const build = (dim: number, off: number): string => {
    if (dim === shape.length) return elementStr(data[off]!, dtype)
    let stride = 1
    for (let i = dim + 1; i < shape.length; i++) stride *= shape[i]!
    const parts: string[] = []
    for (let i = 0; i < shape[dim]!; i++) parts.push(build(dim + 1, off + i * stride))
    return `[${parts.join(", ")}]`
  }
  return build(0, 0)
}

const elementStr = (v: number, dtype: DType): string => (dtype === "bool" ? String(v !== 0) : formatNumber(v, dtype))

/**
 * An array as code that rebuilds it exactly:
 * `np.array([[0.5, -1.25]], { dtype: "float32" })  // f32[1,2]`.
 *
 * @example
 * laws.arrayCode(np.array([[0.5, -1.25]], { dtype: "float32" })) // 'np.array([[0.5, -1.25]], { dtype: "float32" })  // f32[1,2]'
 */
export const arrayCode = (x: Array, maxElements = 64): string => {
  const [code, note] = arrayCodeParts(x, maxElements)
  return note === "" ? code : `${code}  ${note}`
}

/** The code of an array and its trailing comment (`// f32[2,3]`), apart. */
const arrayCodeParts = (x: Array, maxElements = 64): [string, string] => {
  let data: ArrayLike<number>
  try {
    data = x.data()
  } catch (e) {
    return [`<${avalStr(x)}: unreadable (${e instanceof Error ? e.message : String(e)})>`, ""]
  }
  const weak = x.weakType ? " (weakly typed)" : ""
  if (x.size > maxElements) {
    const head = globalThis.Array.from(data)
      .slice(0, maxElements)
      .map((v) => elementStr(v, x.dtype))
    return [`<${avalStr(x)}${weak}: ${head.join(", ")}, ...>`, ""]
  }
  const reshape = x.size === 0 && x.ndim > 1 ? `.reshape(${shapeStr(x.shape)})` : ""
  return [`np.array(${nested(data, x.shape, x.dtype)}, { dtype: "${x.dtype}" })${reshape}`, `// ${avalStr(x)}${weak}`]
}

/**
 * A pytree of arrays (and JS values) as code-like text, one leaf per line when there are several.
 *
 * @example
 * laws.treeCode({ w: np.array([1, 2]), lr: 0.1 }) // one leaf per line, each as code
 */
export const treeCode = (t: unknown, indent = ""): string => {
  const [code, note] = treeCodeParts(t, indent)
  return note === "" ? code : `${code}  ${note}`
}

const treeCodeParts = (t: unknown, indent: string): [string, string] => {
  if (t instanceof Array) return arrayCodeParts(t)
  if (t === null) return ["null", ""]
  if (t === undefined) return ["undefined", ""]
  if (typeof t === "number") return [formatNumber(t), ""]
  if (typeof t === "string") return [JSON.stringify(t), ""]
  if (typeof t === "boolean" || typeof t === "bigint") return [String(t), ""]
  if (typeof t === "function") return [`<function ${t.name || "anonymous"}>`, ""]
  const inner = indent + "  "
  // One child per line, the comma before the child's comment.
  const lines = (items: ReadonlyArray<readonly [string, unknown]>): string =>
    items
      .map(([prefix, c], i) => {
        const [code, note] = treeCodeParts(c, inner)
        return `${inner}${prefix}${code}${i < items.length - 1 ? "," : ""}${note === "" ? "" : `  ${note}`}`
      })
      .join("\n")
  if (globalThis.Array.isArray(t)) {
    if (t.length === 0) return ["[]", ""]
    return [`[\n${lines(t.map((c) => ["", c] as const))}\n${indent}]`, ""]
  }
  if (typeof t === "object") {
    const keys = Object.keys(t)
    const name = Object.getPrototypeOf(t) === Object.prototype || Object.getPrototypeOf(t) === null ? "" : `${(t as object).constructor.name} `
    if (keys.length === 0) return [`${name}{}`, ""]
    const key = (k: string): string => (/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k))
    return [`${name}{\n${lines(keys.map((k) => [`${key(k)}: `, (t as Record<string, unknown>)[k]] as const))}\n${indent}}`, ""]
  }
  return [String(t), ""]
}

/** Elementwise closeness: `|actual - expected| <= atol + rtol * scale` (scale defaults to |expected|). */
export interface Tolerance {
  readonly rtol?: number
  readonly atol?: number
}

/** "exact": the same bits (NaN equals NaN, but -0 differs from 0). */
export type Comparison = "exact" | Tolerance

const describeTol = (c: Comparison): string =>
  c === "exact" ? "bit-exact" : `atol ${formatNumber(c.atol ?? 0)} + rtol ${formatNumber(c.rtol ?? 0)} × |expected|`

const sameBits = (a: number, b: number): boolean => (Number.isNaN(a) && Number.isNaN(b)) || Object.is(a, b)

/**
 * Compare two arrays (shape, dtype and values). Returns undefined when they agree, or a
 * description naming up to `maxReported` mismatching elements.
 */
export const compareArrays = (
  expected: Array,
  actual: Array,
  cmp: Comparison,
  labels: { readonly expected: string; readonly actual: string; readonly what: string },
  maxReported = 4
): string | undefined => {
  const { what } = labels
  if (expected.shape.join(",") !== actual.shape.join(",")) {
    return `${what}: shape ${shapeStr(expected.shape)} (${labels.expected}) vs ${shapeStr(actual.shape)} (${labels.actual})`
  }
  if (expected.dtype !== actual.dtype) {
    return `${what}: dtype ${expected.dtype} (${labels.expected}) vs ${actual.dtype} (${labels.actual})`
  }
  const e = expected.data()
  const a = actual.data()
  const bad: string[] = []
  let count = 0
  for (let i = 0; i < e.length; i++) {
    const ev = e[i]!
    const av = a[i]!
    let ok: boolean
    let allowed = 0
    if (cmp === "exact") ok = sameBits(ev, av)
    else {
      allowed = (cmp.atol ?? 0) + (cmp.rtol ?? 0) * Math.abs(ev)
      ok = sameBits(ev, av) || Math.abs(av - ev) <= allowed
    }
    if (!ok) {
      count++
      if (bad.length < maxReported) {
        const idx = expected.ndim === 0 ? "" : ` at [${unravel(i, expected.shape).join(", ")}]`
        const diff = Math.abs(av - ev)
        bad.push(
          `${what}${idx}: ${labels.expected} ${elementStr(ev, expected.dtype)}, ${labels.actual} ${elementStr(av, actual.dtype)}` +
            (Number.isFinite(diff) ? ` (|difference| ${formatNumber(diff)}${cmp === "exact" ? "" : `, allowed ${formatNumber(allowed)}`})` : "")
        )
      }
    }
  }
  if (count === 0) return undefined
  const more = count > bad.length ? `\n  ... ${count - bad.length} more of ${e.length} elements differ` : ""
  return `${bad.join("\n")}${more}\n  (comparison: ${describeTol(cmp)})`
}
