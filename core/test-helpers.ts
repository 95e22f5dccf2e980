/**
 * Helpers shared by core's tests (and the options coverage tests of effects and laws).
 *
 * `thrown` and `tagOf` catch what a call throws. `checkNamespace` and its table types drive the
 * options coverage tests: every function a namespace exports is either in a table of calls with an
 * unknown option, each of which must throw a ValueError that names the function and the option,
 * or listed as taking no options. A new export in neither fails the test; at compile time, a
 * function whose parameters accept an all-optional options object must be in the table
 * (`OptionTaking`) and cannot be listed as taking none.
 */
import { expect } from "vitest"
import { isJaxfxError, ValueError } from "./errors.js"

/** What `f` throws, or undefined when it returns. */
export const thrown = (f: () => unknown): unknown => {
  try {
    f()
  } catch (e) {
    return e
  }
  return undefined
}

/** What `f` throws or the promise it returns rejects with, or undefined. */
const thrownOrRejected = async (f: () => unknown): Promise<unknown> => {
  let r: unknown
  const e = thrown(() => (r = f()))
  if (e !== undefined || !(r instanceof Promise)) return e
  return r.then(
    () => undefined,
    (err: unknown) => err
  )
}

/** The tag of the jaxfx error `f` throws; a failed expectation when it returns or throws anything else. */
export const tagOf = (f: () => unknown, what: string): string => {
  const e = thrown(f)
  expect(e, `${what}: expected a typed error, but it returned`).toBeDefined()
  expect(isJaxfxError(e), `${what}: expected a tagged jaxfx error, got ${String(e)}`).toBe(true)
  return (e as { readonly _tag: string })._tag
}

// ---------------------------------------------------------------------------------------------
// Options coverage

/** A parameter type an options object fits: `{}` is assignable to it, and it is not `unknown` (a generic). */
type AcceptsOptions<X> = unknown extends X ? false : {} extends NonNullable<X> ? true : false

/** Whether a function has a parameter that takes an all-optional options object (its last overload's). */
export type HasOptionsParameter<F> = F extends (...args: infer P) => unknown
  ? true extends { [I in keyof P]-?: AcceptsOptions<P[I]> }[number]
    ? true
    : false
  : false

/** The exports of a namespace that are functions at run time (classes included). */
export type FunctionKeys<NS> = {
  [K in keyof NS]: NS[K] extends ((...args: never[]) => unknown) | (abstract new (...args: never[]) => unknown) ? K : never
}[keyof NS] &
  string

/**
 * The exports of a namespace whose parameters take an options object, less `Except`: functions
 * whose object parameter is not options (the params of `bind`, say), each named with a reason.
 */
export type OptionTaking<NS, Except extends string = never> = Exclude<
  { [K in keyof NS]: HasOptionsParameter<NS[K]> extends true ? K : never }[keyof NS] & string,
  Except
>

/** A call with the given options (an object with only an unknown key), or `[call, caller]` when the message names another function (an alias). */
export type BogusCall = ((options: never) => unknown) | readonly [(options: never) => unknown, string]

/** The table of a namespace: an entry for every export that takes options (more are allowed: overloads the type test cannot see). */
export type OptionsTable<NS, Except extends string = never> = Record<OptionTaking<NS, Except>, BogusCall> & Partial<Record<FunctionKeys<NS>, BogusCall>>

/** The exports listed as taking no options: none of them may take an options object (but those in `Except`). */
export type NoOptions<NS, Except extends string = never> = ReadonlyArray<Exclude<FunctionKeys<NS>, OptionTaking<NS, Except>>>

export const BOGUS = { __bogus__: 1 }

/**
 * Check a namespace: every function export is in `table` or `none` (not both), and every call in
 * the table throws a ValueError naming `${prefix}${name}` (or the entry's caller) and `__bogus__`.
 */
export const checkNamespace = async (
  prefix: string,
  ns: object,
  table: Readonly<Record<string, BogusCall | undefined>>,
  none: ReadonlyArray<string>
): Promise<void> => {
  const exports = Object.keys(ns).filter((k) => typeof (ns as Record<string, unknown>)[k] === "function")
  const inTable = (k: string): boolean => Object.hasOwn(table, k) && table[k] !== undefined
  const unclassified = exports.filter((k) => !inTable(k) && !none.includes(k))
  expect(unclassified, `exports of ${prefix || "the root"} in neither the options table nor the no-options list`).toEqual([])
  expect(
    exports.filter((k) => inTable(k) && none.includes(k)),
    "exports listed twice"
  ).toEqual([])
  expect(
    Object.keys(table).filter((k) => !exports.includes(k)),
    "table entries that are not exports"
  ).toEqual([])
  for (const [name, entry] of Object.entries(table)) {
    if (entry === undefined) continue
    const [call, caller] = typeof entry === "function" ? [entry, `${prefix}${name}`] : entry
    const e = await thrownOrRejected(() => call(BOGUS as never))
    expect(e, `${prefix}${name} with an unknown option`).toBeInstanceOf(ValueError)
    expect((e as Error).message, `${prefix}${name}'s message`).toContain(`${caller}: unknown option "__bogus__"`)
  }
}
