/**
 * What is a pytree node and what is a leaf, and the registry of user node types
 * (JAX's `register_pytree_node`).
 *
 * Nodes: JS arrays (Python lists/tuples), plain objects (prototype `Object.prototype` or `null`;
 * children in sorted key order, like JAX's dicts), `null` and `undefined` (nodes without children,
 * like `None`), and registered classes. Everything else is a leaf: jaxfx `Array`s and tracers,
 * numbers, booleans, bigints, strings, symbols, functions, TypedArrays, unregistered class instances.
 */
import { Array as JaxArray } from "../array.js"
import { TreeError } from "../errors.js"
import { checkOptions, optionKeys } from "../options.js"
import type { KeyEntry } from "./keys.js"

/** How a registered class is taken apart and put back together. */
export interface NodeRegistration<T, Aux> {
  /** The children (subtrees) and the static auxiliary data of a node. */
  readonly flatten: (node: T) => readonly [children: ReadonlyArray<unknown>, aux: Aux]
  /** Rebuild a node from its auxiliary data and (possibly transformed) children. */
  readonly unflatten: (aux: Aux, children: ReadonlyArray<unknown>) => T
  /** The name shown by `TreeDef.toString()`; defaults to the class name. */
  readonly name?: string
  /** Equality of auxiliary data, used by `TreeDef.equals`; defaults to structural equality. */
  readonly auxEquals?: (a: Aux, b: Aux) => boolean
}

const REGISTRATION_KEYS = optionKeys<NodeRegistration<unknown, unknown>>()("flatten", "unflatten", "name", "auxEquals")

/** A class constructor (abstract or not, any parameters). */
export type NodeClass<T> = abstract new (...args: never) => T

/** A registered node type (internal representation, type-erased). */
export interface RegistryEntry {
  readonly id: number
  readonly ctor: NodeClass<unknown>
  readonly name: string
  readonly flatten: (node: unknown) => readonly [ReadonlyArray<unknown>, unknown]
  readonly unflatten: (aux: unknown, children: ReadonlyArray<unknown>) => unknown
  readonly auxEquals: (a: unknown, b: unknown) => boolean
  /** The key-path entries of the children (default: their indices, JAX's FlattenedIndexKey). */
  readonly childKeys?: (aux: unknown) => ReadonlyArray<KeyEntry>
}

const registry = new Map<unknown, RegistryEntry>()
let nextId = 0

const isPlainObject = (x: object): boolean => {
  const proto: unknown = Object.getPrototypeOf(x)
  return proto === Object.prototype || proto === null
}

/** Structural equality on JSON-like data (primitives, arrays, plain objects); `Object.is` otherwise. */
export const structuralEquals = (a: unknown, b: unknown): boolean => {
  if (Object.is(a, b)) return true
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false
    for (let i = 0; i < a.length; i++) if (!structuralEquals(a[i], b[i])) return false
    return true
  }
  if (Array.isArray(b) || !isPlainObject(a) || !isPlainObject(b)) return false
  const ka = Object.keys(a)
  const kb = Object.keys(b)
  if (ka.length !== kb.length) return false
  const ra = a as Readonly<Record<string, unknown>>
  const rb = b as Readonly<Record<string, unknown>>
  for (const k of ka) {
    if (!Object.prototype.hasOwnProperty.call(b, k) || !structuralEquals(ra[k], rb[k])) return false
  }
  return true
}

/**
 * Register a class as a pytree node (JAX's `register_pytree_node`). Instances of exactly this class
 * (not subclasses) are flattened with `flatten` and rebuilt with `unflatten`.
 *
 * @example
 * class Point { constructor(readonly x: unknown, readonly y: unknown) {} }
 * tree.registerNode(Point, {
 *   flatten: (p) => [[p.x, p.y], null],
 *   unflatten: (_aux, [x, y]) => new Point(x, y)
 * })
 */
export const registerNode = <T extends object, Aux = unknown>(ctor: NodeClass<T>, registration: NodeRegistration<T, Aux>): void => {
  checkRegistrable(ctor, "tree.registerNode")
  checkOptions("tree.registerNode", registration, REGISTRATION_KEYS)
  addEntry(ctor, registration, undefined)
}

/** Register `ctor` (already checked by the caller) with optional key-path entries for its children. */
export const addEntry = <T, Aux>(
  ctor: NodeClass<T>,
  registration: NodeRegistration<T, Aux>,
  childKeys: ((aux: Aux) => ReadonlyArray<KeyEntry>) | undefined
): void => {
  const auxEquals = registration.auxEquals
  registry.set(ctor, {
    id: nextId++,
    ctor,
    name: registration.name ?? (ctor.name || "<anonymous>"),
    flatten: registration.flatten as (node: unknown) => readonly [ReadonlyArray<unknown>, unknown],
    unflatten: registration.unflatten as (aux: unknown, children: ReadonlyArray<unknown>) => unknown,
    auxEquals: auxEquals === undefined ? structuralEquals : (auxEquals as (a: unknown, b: unknown) => boolean),
    ...(childKeys === undefined ? {} : { childKeys: childKeys as (aux: unknown) => ReadonlyArray<KeyEntry> })
  })
}

/** The checks every class registration starts with (a class, not a built-in, not yet registered). */
export const checkRegistrable = (ctor: unknown, what: string): void => {
  if (typeof ctor !== "function") {
    throw new TreeError(`${what}: the first argument must be a class (constructor function).`)
  }
  if (ctor === Object || ctor === Array || ctor === JaxArray) {
    throw new TreeError(`${what}: ${ctor.name} is built into jaxfx's pytrees and cannot be registered; register your own class instead.`)
  }
  if (registry.has(ctor)) {
    throw new TreeError(
      `${what}: the class ${ctor.name || "<anonymous>"} is already registered as a pytree node; ` +
        "register each class once (e.g. at module level, next to the class)."
    )
  }
}

/**
 * Whether instances of this class are registered pytree nodes.
 *
 * @example
 * class Point {
 *   constructor(
 *     readonly x: Array,
 *     readonly y: Array
 *   ) {}
 * }
 * tree.isRegistered(Point) // false
 * tree.registerNode(Point, { flatten: (p) => [[p.x, p.y], null], unflatten: (_aux, [x, y]) => new Point(x as Array, y as Array) })
 * tree.isRegistered(Point) // true
 */
export const isRegistered = (ctor: NodeClass<unknown>): boolean => registry.has(ctor)

/** One level of a value: a leaf, or a node with its children. */
export type Classified =
  | { readonly kind: "leaf" }
  | { readonly kind: "null" }
  | { readonly kind: "undefined" }
  | { readonly kind: "array"; readonly children: ReadonlyArray<unknown> }
  | { readonly kind: "object"; readonly keys: ReadonlyArray<string>; readonly children: ReadonlyArray<unknown> }
  | {
      readonly kind: "custom"
      readonly entry: RegistryEntry
      readonly aux: unknown
      readonly children: ReadonlyArray<unknown>
    }

const LEAF: Classified = { kind: "leaf" }
const NULL: Classified = { kind: "null" }
const UNDEFINED: Classified = { kind: "undefined" }

/**
 * JAX sorts dict keys as Python sorts strings: by code point. UTF-16 code units order the same
 * except that a surrogate (half of a character above U+FFFF) is below U+E000..U+FFFF as a code
 * unit but above it as a code point.
 */
const byKey = (a: string, b: string): number => {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i)
    const y = b.charCodeAt(i)
    if (x === y) continue
    const sx = x >= 0xd800 && x <= 0xdfff
    const sy = y >= 0xd800 && y <= 0xdfff
    return sx === sy ? x - y : sx ? 1 : -1
  }
  return a.length - b.length
}

/** Take one level of a value apart (no `isLeaf` here: callers check it first). */
export const classify = (x: unknown): Classified => {
  if (x === null) return NULL
  if (x === undefined) return UNDEFINED
  if (typeof x !== "object") return LEAF // numbers, strings, booleans, bigints, symbols, functions
  if (x instanceof JaxArray) return LEAF
  if (Array.isArray(x)) return { kind: "array", children: x as ReadonlyArray<unknown> }
  const proto: unknown = Object.getPrototypeOf(x)
  if (proto === Object.prototype || proto === null) {
    const keys = Object.keys(x).sort(byKey)
    const rec = x as Readonly<Record<string, unknown>>
    return { kind: "object", keys, children: keys.map((k) => rec[k]) }
  }
  const ctor: unknown = typeof proto === "object" && proto !== null ? (proto as { readonly constructor?: unknown }).constructor : undefined
  const entry = ctor === undefined ? undefined : registry.get(ctor)
  if (entry === undefined) return LEAF
  const [children, aux] = entry.flatten(x)
  if (!Array.isArray(children)) {
    throw new TreeError(`tree: the flatten function registered for ${entry.name} must return [children, aux] with ` + "children a JS array.")
  }
  return { kind: "custom", entry, aux, children: children as ReadonlyArray<unknown> }
}
