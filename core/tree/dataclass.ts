/**
 * Class registration by field lists (JAX's `register_dataclass`) and static node types (JAX's
 * `register_static`): the two common registrations without hand-written flatten / unflatten.
 */
import { TreeError } from "../errors.js"
import { checkOptions, optionKeys } from "../options.js"
import { GetAttrKey } from "./keys.js"
import { addEntry, checkRegistrable, type NodeClass, structuralEquals } from "./registry.js"

/** The fields of a class registered with `registerDataclass`. */
export interface DataclassFields<T> {
  /** Fields holding subtrees (arrays, nested trees): the node's children, in this order. */
  readonly dataFields: ReadonlyArray<keyof T & string>
  /** Fields holding static data (strings, numbers, flags): the node's auxiliary data, part of its structure. */
  readonly metaFields?: ReadonlyArray<keyof T & string>
}
const DATACLASS_KEYS = optionKeys<DataclassFields<unknown>>()("dataFields", "metaFields")

/**
 * Register a class by naming its fields (JAX's `register_dataclass`): `dataFields` are children
 * (transformed by `tree.map`, traced by `jit`, differentiated by `grad`), `metaFields` are static
 * auxiliary data (part of the structure: a different value is a different `TreeDef`, so a new `jit`
 * trace). Key paths name the fields as JAX's `GetAttrKey` (`.w`). Rebuilt instances are made
 * without calling the constructor (its prototype, with the fields set), as JAX's dataclass
 * unflatten does not re-run `__post_init__` logic on leaves.
 *
 * @example
 * class Dense {
 *   constructor(readonly w: Array, readonly b: Array, readonly activation: string) {}
 * }
 * tree.registerDataclass(Dense, { dataFields: ["w", "b"], metaFields: ["activation"] })
 * tree.leaves(new Dense(np.ones([2]), np.zeros([2]), "relu")) // [w, b]
 * tree.keystr(tree.leavesWithPath(new Dense(np.ones([2]), np.zeros([2]), "relu"))[0]![0]) // ".w"
 */
export const registerDataclass = <T extends object>(ctor: NodeClass<T>, fields: DataclassFields<T>): void => {
  checkRegistrable(ctor, "tree.registerDataclass")
  checkOptions("tree.registerDataclass", fields, DATACLASS_KEYS)
  const data = [...(fields.dataFields ?? [])]
  const meta = [...(fields.metaFields ?? [])]
  const all = [...data, ...meta]
  if (!Array.isArray(fields.dataFields) || all.some((f) => typeof f !== "string") || new Set(all).size !== all.length) {
    throw new TreeError(
      "tree.registerDataclass: dataFields (and metaFields) must be lists of distinct field names, e.g. " +
        '{ dataFields: ["w", "b"], metaFields: ["activation"] }.'
    )
  }
  const proto = (ctor as unknown as { readonly prototype: object }).prototype
  addEntry<T, ReadonlyArray<unknown>>(
    ctor,
    {
      flatten: (node) => {
        const rec = node as unknown as Readonly<Record<string, unknown>>
        return [data.map((f) => rec[f]), meta.map((f) => rec[f])]
      },
      unflatten: (aux, children) => {
        const out = Object.create(proto) as Record<string, unknown>
        meta.forEach((f, i) => (out[f] = aux[i]))
        data.forEach((f, i) => (out[f] = children[i]))
        return out as unknown as T
      }
    },
    () => data.map((f) => new GetAttrKey(f))
  )
}

/** Options of `registerStatic`. */
export interface StaticOptions<T> {
  /** When two instances are the same static value (default: structural equality for plain data, identity otherwise). */
  readonly equals?: (a: T, b: T) => boolean
}
const STATIC_KEYS = optionKeys<StaticOptions<unknown>>()("equals")

/**
 * Register a class whose instances are static (JAX's `register_static`): a node with no children
 * whose instance is its auxiliary data, so it is part of the structure (never traced, never a
 * leaf): `jit` retraces when it changes, `tree.map` leaves it alone.
 *
 * @example
 * class Activation {
 *   constructor(readonly name: string) {}
 * }
 * tree.registerStatic(Activation, { equals: (a, b) => a.name === b.name })
 * tree.leaves({ w: np.ones([2]), act: new Activation("relu") }) // [w]: the activation is static
 */
export const registerStatic = <T extends object>(ctor: NodeClass<T>, opts?: StaticOptions<T>): void => {
  checkRegistrable(ctor, "tree.registerStatic")
  checkOptions("tree.registerStatic", opts, STATIC_KEYS)
  const equals = opts?.equals
  addEntry<T, T>(
    ctor,
    {
      flatten: (node) => [[], node],
      unflatten: (aux) => aux,
      auxEquals: equals ?? ((a, b) => structuralEquals(a, b))
    },
    undefined
  )
}
