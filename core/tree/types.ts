/**
 * Type-level pytrees: which types are leaves, what leaves a tree type holds, and what `tree.map`
 * returns. At run time anything that is not a container is a leaf; at the type level the known
 * leaf types are listed in `Leaf` and every other object type is treated as a container of its
 * fields (true for plain objects and for most registered classes).
 */
import type { Array as JaxArray } from "../array.js"

/** Any function. */
export type AnyFunction = (...args: never) => unknown

/** Types that are always leaves. */
export type Leaf =
  | JaxArray
  | number
  | boolean
  | bigint
  | string
  | symbol
  | AnyFunction
  | ArrayBufferView
  | Date
  | RegExp
  | Promise<unknown>
  | ReadonlyMap<unknown, unknown>
  | ReadonlySet<unknown>

/**
 * The union of the leaf types inside a tree type, e.g. `LeafOf<{ w: Array; b: number[] }>` is
 * `Array | number`. Recursive tree types are fine (a type met again on the way down adds nothing).
 */
export type LeafOf<T> = LeafOfImpl<T, []>

type IsSeen<T, Seen extends ReadonlyArray<unknown>> = Seen extends readonly [infer H, ...infer Rest]
  ? [T] extends [H]
    ? [H] extends [T]
      ? true
      : IsSeen<T, Rest>
    : IsSeen<T, Rest>
  : false

type LeafOfImpl<T, Seen extends ReadonlyArray<unknown>> = unknown extends T
  ? unknown
  : Seen["length"] extends 24
    ? unknown
    : IsSeen<T, Seen> extends true
      ? never
      : LeafOfMember<T, [T, ...Seen]>

type LeafOfMember<T, Seen extends ReadonlyArray<unknown>> = T extends Leaf
  ? T
  : T extends null | undefined
    ? never
    : T extends ReadonlyArray<infer E>
      ? LeafOfImpl<E, Seen>
      : T extends object
        ? { [K in keyof T]-?: T[K] extends AnyFunction ? never : LeafOfImpl<T[K], Seen> }[keyof T]
        : T

/**
 * The type of `tree.map(f, t)` for `t: T` and `f` returning `R`: the shape of `T` with `R` leaves.
 * Where a recursive tree type meets itself again, the result there is `unknown`.
 */
export type MapResult<T, R> = MapResultImpl<T, R, []>

type MapResultImpl<T, R, Seen extends ReadonlyArray<unknown>> = unknown extends T
  ? unknown
  : Seen["length"] extends 24
    ? unknown
    : IsSeen<T, Seen> extends true
      ? unknown
      : MapResultMember<T, R, [T, ...Seen]>

type MapResultMember<T, R, Seen extends ReadonlyArray<unknown>> = T extends Leaf
  ? R
  : T extends null | undefined
    ? T
    : T extends object
      ? { -readonly [K in keyof T]: T[K] extends AnyFunction ? T[K] : MapResultImpl<T[K], R, Seen> }
      : R

/**
 * The type of `tree.map(f, t)` (and of `tree.unflatten(def, leaves)`): `T` itself when `f` returns
 * the leaf type of `T` (so registered classes and records keep their type), else `MapResult<T, R>`.
 * Methods of class instances are not leaves at the type level (registered classes flatten fields).
 */
export type TreeMapResult<T, R> = [R] extends [LeafOf<T>] ? ([LeafOf<T>] extends [R] ? T : MapResult<T, R>) : MapResult<T, R>

/** The leaf types of each tree in a tuple of trees (for the extra arguments of `tree.map`). */
export type LeavesOf<Ts extends ReadonlyArray<unknown>> = { [K in keyof Ts]: LeafOf<Ts[K]> }

export type { KeyEntry, KeyPath } from "./keys.js"

/** Options of `flatten` and friends. */
export interface FlattenOptions {
  /** Treat values for which this returns true as leaves, even containers (JAX's `is_leaf`). */
  readonly isLeaf?: (x: unknown) => boolean
}
