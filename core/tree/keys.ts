/**
 * Key paths (JAX's `jax.tree_util` key entries): the position of a leaf in a tree, root first.
 * JAX's `DictKey(k)` is the string `k`, `SequenceKey(i)` and `FlattenedIndexKey(i)` the number `i`;
 * `GetAttrKey(name)` (a field of a class registered with `registerDataclass`) is its own class, so
 * `keystr` prints it as JAX does (`.name`).
 */
import { TreeError } from "../errors.js"
import { checkOptions, optionKeys } from "../options.js"

/**
 * A field of a registered class in a key path (JAX's `GetAttrKey`): `keystr` prints `.name`.
 *
 * @example
 * tree.keystr([new tree.GetAttrKey("w"), 0]) // ".w[0]"
 */
export class GetAttrKey {
  constructor(readonly name: string) {}
  /** The field name (so `path.map(String)` gives plain names). */
  toString(): string {
    return this.name
  }
}

/** One step of a key path: an object key, an array (or custom-node child) index, or a field. */
export type KeyEntry = string | number | GetAttrKey

/** A position in a tree: object keys, array (or custom-node child) indices and fields, root first. */
export type KeyPath = ReadonlyArray<KeyEntry>

/** A string as Python's `repr` writes it: `'a'`, `"it's"`. */
export const pyRepr = (s: string): string => {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'"
  let out = ""
  for (const ch of s) {
    if (ch === "\\") out += "\\\\"
    else if (ch === quote) out += "\\" + quote
    else if (ch === "\n") out += "\\n"
    else if (ch === "\r") out += "\\r"
    else if (ch === "\t") out += "\\t"
    else out += ch
  }
  return quote + out + quote
}

/** Options of `keystr` (JAX's `keystr(keys, simple=False, separator='')`). */
export interface KeystrOptions {
  /** Print each entry bare (`a`, `0`, `w`) instead of `['a']`, `[0]`, `.w`. */
  readonly simple?: boolean
  /** Put this between the entries (JAX's default `""`). */
  readonly separator?: string
}
const KEYSTR_KEYS = optionKeys<KeystrOptions>()("simple", "separator")

const entryString = (k: KeyEntry, simple: boolean): string => {
  if (k instanceof GetAttrKey) return simple ? k.name : `.${k.name}`
  if (typeof k === "number") return simple ? String(k) : `[${k}]`
  if (typeof k === "string") return simple ? k : `[${pyRepr(k)}]`
  throw new TreeError(`tree.keystr: a key path holds strings, numbers and GetAttrKeys, got ${typeof k}.`)
}

/**
 * A key path as JAX's `keystr` prints it: `['layers'][0]['w']`; with `{ simple: true, separator: "/" }`
 * as `layers/0/w`.
 *
 * @example
 * tree.keystr(["layers", 0, "w"]) // "['layers'][0]['w']"
 * tree.keystr(["layers", 0, "w"], { simple: true, separator: "/" }) // "layers/0/w"
 */
export const keystr = (path: KeyPath, opts?: KeystrOptions): string => {
  checkOptions("tree.keystr", opts, KEYSTR_KEYS)
  const simple = opts?.simple ?? false
  return path.map((k) => entryString(k, simple)).join(opts?.separator ?? "")
}

/** A key path for error messages: "the root", or its keystr. */
export const pathString = (path: KeyPath): string => (path.length === 0 ? "the root" : keystr(path))
