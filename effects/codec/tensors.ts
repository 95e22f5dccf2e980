/**
 * What both formats share: tensors on the host, leaf names (`linear/weight`), and matching what a
 * file holds against a template pytree.
 */
import { Effect, Result } from "effect"
import type { AnyTypedArray } from "../../core/dtype.js"
import { fromHost } from "../../core/trace.js"
import { Array, CodecError, type DeviceError, type DType, ShapedArray, tree } from "../../index.js"
import { read } from "../device.js"
import { optionKeys } from "../../core/options.js"
import { asCodecError, type Work } from "./work.js"

/** A tensor on the host: dtype, shape and row-major elements in the dtype's storage type. */
export interface HostTensor {
  readonly dtype: DType
  readonly shape: ReadonlyArray<number>
  readonly data: AnyTypedArray
}

/** A named leaf of a tree. */
export interface NamedTensor extends HostTensor {
  readonly name: string
}

/** The reserved safetensors key. */
export const METADATA_KEY = "__metadata__"

/**
 * The name of a leaf: its key path joined with "/" (`{ linear: { weight } }` -> `linear/weight`,
 * `[a, { w }]` -> `0`, `1/w`). The root leaf of a bare Array is named "".
 *
 * @example
 * const [pairs] = tree.flattenWithPath({ linear: { weight: 1 }, layers: [{ w: 2 }] })
 * pairs.map(([path]) => codec.leafName(path)) // ["layers/0/w", "linear/weight"]
 */
export const leafName = (path: tree.KeyPath): string => path.map(String).join("/")

const describe = (dtype: string, shape: ReadonlyArray<number>): string => `${dtype}[${shape.join(", ")}]`

/** The Array leaves of a tree with their names; a `CodecError` for other leaves or clashing names. */
export const namedArrays = (t: unknown, caller: string): ReadonlyArray<readonly [string, Array]> => {
  let leaves: ReadonlyArray<readonly [tree.KeyPath, unknown]>
  try {
    leaves = tree.flattenWithPath(t)[0]
  } catch (e) {
    throw new CodecError(`${caller}: ${e instanceof Error ? e.message : String(e)}`)
  }
  const out: (readonly [string, Array])[] = []
  const names = new Set<string>()
  for (const [path, leaf] of leaves) {
    const name = leafName(path)
    if (!(leaf instanceof Array)) {
      throw new CodecError(
        `${caller}: the leaf at "${name}" is ${leaf === null ? "null" : typeof leaf}, not an Array; checkpoints hold ` +
          "pytrees of Arrays (convert numbers with np.asarray)."
      )
    }
    if (name === METADATA_KEY) throw new CodecError(`${caller}: a leaf may not be named "${METADATA_KEY}" (reserved).`)
    if (names.has(name)) {
      throw new CodecError(`${caller}: two leaves share the name "${name}" (a key containing "/" clashes with a nested path); rename one.`)
    }
    names.add(name)
    out.push([name, leaf])
  }
  return out
}

/** The tensors of a tree, read synchronously (`x.data()`: CPU arrays). */
export const hostTensorsSync = (t: unknown, caller: string): ReadonlyArray<NamedTensor> =>
  namedArrays(t, caller).map(([name, x]) => ({ name, dtype: x.dtype, shape: x.shape, data: x.data() }))

/** A named tensor with the Array it was read from. */
export interface ReadTensor extends NamedTensor {
  readonly array: Array
}

/** The tensors of a tree, read with `Device.read` (any device, synchronous or not). */
export const hostTensors = (t: unknown, caller: string): Effect.Effect<ReadonlyArray<ReadTensor>, CodecError | DeviceError> =>
  Effect.gen(function* () {
    const named = yield* Effect.try({
      try: () => namedArrays(t, caller),
      catch: (e) => (e instanceof CodecError ? e : new CodecError(`${caller}: ${e instanceof Error ? e.message : String(e)}`))
    })
    const datas = yield* read(named.map(([, x]) => x))
    return named.map(([name, x], i): ReadTensor => ({ name, dtype: x.dtype, shape: x.shape, data: datas[i]!, array: x }))
  })

/** What a file holds under one name, before it is trusted with a dtype this library reads. */
export interface FoundTensor {
  /** The dtype as the file names it (for messages), e.g. "F32" or "float32". */
  readonly fileDType: string
  /** The jaxfx dtype, if jaxfx reads this one. */
  readonly dtype: DType | undefined
  readonly shape: ReadonlyArray<number>
  /** The elements, a slice at a time; throws `CodecError` for invalid values (e.g. a bool that is not 0 or 1). */
  readonly materialize: () => Work<AnyTypedArray>
}

export interface MatchOptions {
  /** Ignore tensors in the file that the template does not name. Default false. */
  readonly allowExtra?: boolean
}
export const MATCH_KEYS = optionKeys<MatchOptions>()("allowExtra")

const sameShape = (a: ReadonlyArray<number>, b: ReadonlyArray<number>): boolean => a.length === b.length && a.every((d, i) => d === b[i])

/** How many problems a message lists before it only counts the rest. */
const SHOWN = 8

/** A template's leaves by name, checked before a file is read. */
export interface TemplatePlan {
  readonly leaves: ReadonlyArray<readonly [string, ShapedArray]>
  readonly def: tree.TreeDef
  readonly names: ReadonlySet<string>
}

/**
 * The names, dtypes and shapes a template asks for. Every leaf must be an Array or a ShapedArray
 * and names must be distinct; otherwise a `CodecError`.
 */
export const planTemplate = (template: unknown, source: string): TemplatePlan => {
  const [leaves, def] = tree.flattenWithPath(template)
  const names = new Set<string>()
  const out: (readonly [string, ShapedArray])[] = []
  for (const [path, leaf] of leaves) {
    const name = leafName(path)
    const aval = leaf instanceof Array ? leaf.aval : leaf instanceof ShapedArray ? leaf : undefined
    if (aval === undefined) {
      throw new CodecError(
        `${source}: the template leaf at "${name}" is ${leaf === null ? "null" : typeof leaf}; template leaves are ` +
          "Arrays or ShapedArrays (they give the expected dtype and shape)."
      )
    }
    if (names.has(name)) throw new CodecError(`${source}: two template leaves share the name "${name}".`)
    names.add(name)
    out.push([name, aval])
  }
  return { leaves: out, def, names }
}

/**
 * The tensors a file holds, kept as far as a template needs them. Readers `add` each tensor as
 * they meet it; with a template, only the tensors it names are kept, and of the others only a
 * count and the first few descriptions, so a file of a million unwanted entries costs no memory
 * for them.
 */
export class Inventory {
  /** The kept tensors by name. */
  readonly found = new Map<string, FoundTensor>()
  private readonly extras: string[] = []
  private extraCount = 0

  /** `wanted`: the template's names (undefined: keep every tensor). */
  constructor(
    readonly wanted?: ReadonlySet<string>,
    readonly allowExtra = false
  ) {}

  /** Record a tensor (readers make sure that names are distinct). */
  add(name: string, f: FoundTensor): void {
    if (this.wanted === undefined || this.wanted.has(name)) this.found.set(name, f)
    else if (!this.allowExtra) {
      if (this.extras.length < SHOWN) this.extras.push(`"${name}": ${describe(f.dtype ?? f.fileDType, f.shape)} in the file, not in the template`)
      this.extraCount++
    }
  }

  /** Descriptions of (at most 8 of) the tensors the template does not name, and how many there are. */
  get unwanted(): { readonly shown: ReadonlyArray<string>; readonly count: number } {
    return { shown: this.extras, count: this.extraCount }
  }
}

/**
 * Build a tree with the template's structure from the tensors found in a file. Every template
 * leaf must be found under its name with the same dtype and shape, and (unless `allowExtra`) the
 * file may hold nothing else; otherwise a `CodecError` that lists the first 8 mismatches with
 * the leaf's name and both dtypes/shapes, and counts the rest.
 */
export function* fillPlan<T>(plan: TemplatePlan, inventory: Inventory, source: string): Work<T> {
  const problems: string[] = []
  let count = 0
  const problem = (p: () => string): void => {
    if (count++ < SHOWN) problems.push(p())
  }
  const resolved: (readonly [ShapedArray, FoundTensor])[] = []
  for (const [name, aval] of plan.leaves) {
    const f = inventory.found.get(name)
    if (f === undefined) problem(() => `"${name}": expected ${describe(aval.dtype, aval.shape)}, missing from the file`)
    else if (f.dtype !== aval.dtype || !sameShape(f.shape, aval.shape)) {
      problem(() => `"${name}": expected ${describe(aval.dtype, aval.shape)}, found ${describe(f.dtype ?? f.fileDType, f.shape)}`)
    } else resolved.push([new ShapedArray([...aval.shape], aval.dtype), f])
  }
  const { shown, count: extra } = inventory.unwanted
  for (const p of shown) problem(() => p)
  count += extra - shown.length
  if (count > 0) {
    const more = count > problems.length ? `; and ${count - problems.length} more` : ""
    throw new CodecError(`${source} does not match the template: ${problems.join("; ")}${more}.`)
  }
  const arrays: Array[] = []
  for (const [aval, f] of resolved) arrays.push(fromHost(yield* f.materialize(), aval))
  return tree.unflatten(plan.def, arrays) as T
}

/**
 * The number of elements of a shape, or undefined when it exceeds `limit` (so a hostile shape
 * such as [2^52, 2^52] is rejected without overflowing). A zero anywhere makes the size 0.
 */
export const checkedSize = (shape: ReadonlyArray<number>, limit: number): number | undefined => {
  if (shape.some((d) => d === 0)) return 0
  let n = 1
  for (const d of shape) {
    n *= d
    if (n > limit) return undefined
  }
  return n
}

/**
 * Run a decoder that throws, as a `Result`: `CodecError`s as they are, anything else (an
 * allocation failure on absurd input, say) as a `CodecError` too, never a crash.
 */
export const catching = <A>(what: string, f: () => A): Result.Result<A, CodecError> => Result.try({ try: f, catch: asCodecError(what) })
