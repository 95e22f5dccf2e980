/**
 * Options objects (JAX's keyword arguments): the one place that checks them. Every public function
 * that takes an options object calls `checkOptions` with its valid keys, so an unknown key (a typo
 * such as `{ axes: 0 }` for `{ axis: 0 }`) is a ValueError naming the valid keys and the closest
 * one, never silently ignored. `optionKeys<O>()(...)` lists the keys of an options interface and
 * fails to type-check when one is missing, so the list cannot fall behind the interface;
 * `checkOneOf` checks an option whose value is one of a fixed set of names.
 *
 * The check runs when the function is called, before it does anything, and throws: also for a
 * function that returns a transformed function (`grad(f, { argnum: 1 })` throws at once) or an
 * Effect (`codec.save(path, t, { fromat: "json" })` throws before any Effect runs), since a
 * misspelt option is a programming error, not a failure of the computation.
 */
import { ValueError } from "./errors.js"

/** The closest name by edit distance (case-insensitive), for "did you mean" hints; undefined when none is close. */
export const closest = (name: string, names: Iterable<string>): string | undefined => {
  let best: string | undefined
  let bestD = Infinity
  for (const n of names) {
    const d = editDistance(name.toLowerCase(), n.toLowerCase())
    if (d < bestD) {
      bestD = d
      best = n
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(best.length / 3)) ? best : undefined
}

const editDistance = (a: string, b: string): number => {
  let prev = globalThis.Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const cur = [i]
    for (let j = 1; j <= b.length; j++) {
      cur.push(Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)))
    }
    prev = cur
  }
  return prev[b.length]!
}

/** The keys of an options interface, checked to be complete at compile time: `optionKeys<SumOptions>()("axis", "keepdims")`. */
export const optionKeys =
  <O extends object>() =>
  <const K extends ReadonlyArray<keyof O & string>>(
    ...keys: K & ([Exclude<keyof O & string, K[number]>] extends [never] ? unknown : { readonly missingKeys: Exclude<keyof O & string, K[number]> })
  ): ReadonlyArray<string> =>
    keys

const isPlainObject = (x: object): boolean => {
  const proto = Object.getPrototypeOf(x) as unknown
  return proto === Object.prototype || proto === null
}

/**
 * Check an options object: undefined passes; anything but a plain object, or an unknown key, is a
 * ValueError that names `caller`, the valid keys and the closest match. Returns the options.
 *
 * @example
 * checkOptions("np.sum", { axes: 0 }, ["axis", "keepdims", "dtype"])
 * // ValueError: np.sum: unknown option "axes" (did you mean "axis"?); the options are axis, keepdims, dtype.
 */
export const checkOptions = <O>(caller: string, options: O, valid: ReadonlyArray<string>): O => {
  if (options === undefined) return options
  if (typeof options !== "object" || options === null || globalThis.Array.isArray(options) || !isPlainObject(options)) {
    throw new ValueError(
      `${caller}: the options must be a plain object such as { ${valid[0] ?? "key"}: ... }, got ${describe(options)}` +
        (valid.length === 0 ? "; it takes no options." : `; the options are ${valid.join(", ")}.`)
    )
  }
  for (const key in options) {
    if (!valid.includes(key)) {
      const hint = closest(key, valid)
      throw new ValueError(
        `${caller}: unknown option "${key}"${hint === undefined ? "" : ` (did you mean "${hint}"?)`}; ` +
          (valid.length === 0 ? "it takes no options." : `the options are ${valid.join(", ")}.`)
      )
    }
  }
  return options
}

const describe = (x: unknown): string => {
  if (x === null) return "null"
  if (globalThis.Array.isArray(x)) return "a list"
  if (typeof x === "object") return `a ${(x as object).constructor?.name ?? "object"}`
  return `${typeof x} ${String(x)}`
}

/**
 * Check an option whose value is one of a fixed set of names (`mode`, `method`, `norm`, ...):
 * undefined passes; anything else outside `allowed` is a ValueError naming `caller`, the option,
 * the allowed values and the closest one.
 *
 * @example
 * checkOneOf("random.gumbel", "mode", "hi", ["low", "high"])
 * // ValueError: random.gumbel: unknown mode "hi" (did you mean "high"?); use one of "low", "high".
 */
export const checkOneOf = <V>(caller: string, name: string, value: V | undefined, allowed: ReadonlyArray<V>): void => {
  if (value === undefined || allowed.includes(value)) return
  const hint = typeof value === "string" ? closest(value, allowed.map(String)) : undefined
  throw new ValueError(
    `${caller}: unknown ${name} ${typeof value === "string" ? JSON.stringify(value) : describe(value)}` +
      `${hint === undefined ? "" : ` (did you mean "${hint}"?)`}; use one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}.`
  )
}

/**
 * The part of an options object whose keys are in `keys`, for a function that passes some of its
 * options on to another one that checks its own (undefined stays undefined).
 *
 * @example
 * const adamwOptions = { b1: 0.9, weightDecay: 1e-4 }
 * pickOptions(adamwOptions, ["b1", "b2", "eps"])  // { b1: 0.9 }: without weightDecay
 */
export const pickOptions = <O extends object>(options: O | undefined, keys: ReadonlyArray<string>): Partial<O> | undefined => {
  if (options === undefined) return undefined
  const out: Record<string, unknown> = {}
  for (const k of keys) if (Object.hasOwn(options, k)) out[k] = (options as Record<string, unknown>)[k]
  return out as Partial<O>
}
