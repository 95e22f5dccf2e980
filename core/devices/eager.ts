/**
 * Eager operations take the same path as jit programs: each (primitive, input signature, params)
 * becomes a one-equation program, staged once and compiled once per device by the device's backend.
 * The per-operation cost is a key, two map lookups and the executable's call.
 */
import { type ArrayImpl, ShapedArray } from "../array.js"
import type { DeviceBuffer, Executable } from "../backend.js"
import { Jaxpr, Var } from "../jaxpr.js"
import type { Params, Primitive } from "../primitive.js"
import { Lru } from "../lru.js"
import type { Device } from "./device.js"

interface Entry {
  readonly jaxpr: Jaxpr
  readonly exes: Map<Device, Executable>
}

/** Eager programs kept (least recently used dropped; each is small, and recompiling one is cheap). */
export const EAGER_CACHE_SIZE = 4096
const cache = new Lru<string, Entry>(EAGER_CACHE_SIZE, (e) => {
  for (const [d] of e.exes) d.backend.releaseProgram(e.jaxpr)
  // (and is no longer any primitive's last-used program)
  for (const [p, m] of lastUse) if (m.entry === e) lastUse.delete(p)
})

/**
 * Per primitive, its last eager program and the input avals (by identity) and params it was
 * looked up with: a loop of one operation, whose results reuse their input's aval, finds its
 * program without building a key.
 */
interface LastUse {
  readonly params: Params
  readonly paramsKey: string
  readonly avals: ReadonlyArray<ShapedArray>
  readonly entry: Entry
}
const lastUse = new Map<Primitive, LastUse>()
const sameUse = (m: LastUse, params: Params, args: ReadonlyArray<ArrayImpl>): boolean => {
  if (m.avals.length !== args.length) return false
  for (let i = 0; i < args.length; i++) if (m.avals[i] !== args[i]!.aval) return false
  return m.params === params || m.paramsKey === paramsKey(params)
}
const eagerPrograms = new WeakSet<Jaxpr>()

/**
 * Whether a program is an eager operation's one-equation program: backends compile it without the
 * program-level optimizations (nothing to fold or merge in one equation; only local rewrites such
 * as a reshape instead of a size-1 reduction apply).
 */
export const isEagerProgram = (jaxpr: Jaxpr): boolean => eagerPrograms.has(jaxpr)

/** Mark a program derived from an eager one (a backend's rewrite of it) as eager too. */
export const markEagerProgram = (jaxpr: Jaxpr): void => {
  eagerPrograms.add(jaxpr)
}

const objectIds = new WeakMap<object, number>()
let nextId = 0
const idOf = (o: object): number => {
  let id = objectIds.get(o)
  if (id === undefined) objectIds.set(o, (id = nextId++))
  return id
}

const valueKey = (v: unknown): string => {
  switch (typeof v) {
    case "number":
      return Object.is(v, -0) ? "-0" : String(v)
    case "string":
      return JSON.stringify(v)
    case "boolean":
    case "undefined":
      return String(v)
    case "object": {
      if (v === null) return "null"
      if (globalThis.Array.isArray(v)) {
        let s = "["
        for (const x of v) s += `${valueKey(x)},`
        return `${s}]`
      }
      if (v instanceof ShapedArray) return v.key
      if (Object.getPrototypeOf(v) === Object.prototype) return `{${paramsKey(v as Params)}}`
      return `#${idOf(v)}`
    }
    default:
      return `#${idOf(v as object)}`
  }
}

/** A key for a params record: equal records (by value; objects by identity) give equal keys. */
export const paramsKey = (p: Params): string => {
  let s = ""
  for (const k in p) s += `${k}=${valueKey(p[k])};`
  return s
}

/** The one-equation program of an eager operation. */
const eagerProgram = (prim: Primitive, params: Params, args: ReadonlyArray<ArrayImpl>, outs: ReadonlyArray<ShapedArray>): Entry => {
  const last = lastUse.get(prim)
  if (last !== undefined && sameUse(last, params, args)) return last.entry
  // Keyed by the primitive's identity, not its name: an unregistered copy (a test's primitive with
  // one rule changed) may share a registered primitive's name and must not get its program.
  const pkey = paramsKey(params)
  let key = `${prim.name}#${idOf(prim)}(${pkey})`
  for (let i = 0; i < args.length; i++) key += `|${args[i]!.aval.key}`
  let e = cache.get(key)
  if (e === undefined) {
    const inVars = args.map((a) => new Var(a.aval))
    const outVars = outs.map((a) => new Var(a))
    e = { jaxpr: new Jaxpr([], inVars, [{ primitive: prim, inputs: inVars, params, outVars }], outVars), exes: new Map() }
    eagerPrograms.add(e.jaxpr)
    cache.set(key, e)
  }
  lastUse.set(prim, { params, paramsKey: pkey, avals: args.map((a) => a.aval), entry: e })
  return e
}

/** Run one primitive on arrays that are all on `device`; returns its output buffers. */
export const runEager = (
  device: Device,
  prim: Primitive,
  params: Params,
  args: ReadonlyArray<ArrayImpl>,
  outs: ReadonlyArray<ShapedArray>
): ReadonlyArray<DeviceBuffer> => {
  const e = eagerProgram(prim, params, args, outs)
  let exe = e.exes.get(device)
  if (exe === undefined) e.exes.set(device, (exe = device.backend.compile(e.jaxpr)))
  return exe(args)
}

/** How many eager programs are cached (for tests of the cache bound). */
export const eagerCacheSize = (): number => cache.size

/** Drop every cached eager program, releasing what devices compiled for them. */
export const clearEagerCache = (): void => cache.clear()
