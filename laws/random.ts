/**
 * Laws of the PRNG: keys are values, so the same key always gives the same keys and numbers
 * (eagerly, under jit, and per key under vmap), and derived keys never coincide with each other
 * or with the key they came from.
 *
 * - `splitIsDeterministic`: `split(k, n)` twice, and under jit, gives the same keys.
 * - `splitKeysDistinct`: the keys of a split tree (k, its subkeys, theirs, ...) are all distinct.
 * - `foldInDistinct`: `foldIn(k, d)` for distinct data d are distinct keys, unlike k, and stable.
 * - `samplerDeterministic`: a sampler gives the same numbers for the same key, eagerly, under jit
 *   and under vmap over a batch of keys.
 *
 * The key functions are options (`{ split, foldIn }`), so a broken implementation can be checked.
 *
 * @example
 * import { random } from "jaxfx"
 * import * as laws from "jaxfx/laws"
 * laws.check(laws.splitKeysDistinct(laws.arb.key()), { seed: 1, numRuns: 50 })
 * laws.check(laws.samplerDeterministic((k) => random.normal(k, [3])), { seed: 1, numRuns: 20 })
 */
import fc from "fast-check"
import { jit, random, vmap } from "../index.js"
import { key as keyArb } from "./arbitraries.js"
import { treeCode } from "./format.js"
import { checkLawOptions } from "./check-options.js"
import { optionKeys } from "../core/options.js"
import {
  type AnyFn,
  attempt,
  compareOutputs,
  defaultJit,
  defaultVmap,
  Described,
  erase,
  type ErasedJit,
  type JitLike,
  lawProperty,
  type LawProperty,
  LawViolation,
  nameOf,
  stackTrees,
  type VmapLike
} from "./laws.js"

type Key = random.PRNGKeyArray

/** The key functions under test (default jaxfx's `random.split` and `random.foldIn`). */
export interface KeyFunctions {
  /** `n` new keys from one, as a key array of shape [n]. */
  readonly split?: (key: Key, num: number) => Key
  /** A new key from a key and 32-bit data. */
  readonly foldIn?: (key: Key, data: number) => Key
}

const defaultSplit = (k: Key, n: number): Key => random.split(k, n)
const defaultFoldIn = (k: Key, d: number): Key => random.foldIn(k, d)

/** The two words of a key, as numbers. */
const words = (k: Key): [number, number] => {
  const d = random.keyData(k).data()
  return [d[0]!, d[1]!]
}
const wordsOfAll = (ks: Key): Array<[number, number]> => {
  const d = random.keyData(ks).data()
  const out: Array<[number, number]> = []
  for (let i = 0; i + 1 < d.length; i += 2) out.push([d[i]!, d[i + 1]!])
  return out
}

/**
 * A key as code that rebuilds it.
 *
 * @example
 * laws.keyCode(random.key(7)) // code that rebuilds the key, e.g. "random.key(7)"
 */
export const keyCode = (k: Key): string => {
  const shape = k.shape
  if (shape.length === 0) {
    const [a, b] = words(k)
    return a === 0 && b < 2 ** 31 ? `random.key(${b})` : `random.wrapKeyData(np.array([${a}, ${b}], { dtype: "uint32" }))`
  }
  return `random.wrapKeyData(${treeCode(random.keyData(k))})`
}

const wordsStr = ([a, b]: readonly [number, number]): string => `[${a}, ${b}]`

/** A fresh copy of a key, so that deliberate reuse passes the opt-in key-reuse checker. */
const fresh = (k: Key): Key => random.clone(k)

const numArb = (n: number | { readonly min: number; readonly max: number } | undefined, dflt: { min: number; max: number }): fc.Arbitrary<number> => {
  const r = n === undefined ? dflt : typeof n === "number" ? { min: n, max: n } : n
  if (!(r.min >= 1 && r.max >= r.min)) throw new RangeError(`laws: need 1 <= min <= max subkeys, got ${r.min}..${r.max}`)
  return fc.integer(r)
}

// ---------------------------------------------------------------------------------------------
// split is deterministic

export interface SplitLawOptions extends KeyFunctions {
  /** How many subkeys per split: a count or a range (default 2 to 4). */
  readonly num?: number | { readonly min: number; readonly max: number }
  /** The jit under test (default jaxfx's). */
  readonly jit?: JitLike
}

interface SplitCase {
  readonly key: Key
  readonly num: number
}

const describeSplit = ({ key, num }: SplitCase): string => `key: ${keyCode(key)}\nnum: ${num}`

/**
 * `split(k, n)` is a function of k and n: called twice, and under jit, it gives the same keys
 * (bit for bit).
 *
 * @example
 * laws.check(laws.splitIsDeterministic(arb.key()), { seed: 1, numRuns: 20 })
 */
export const splitIsDeterministic = (keys: fc.Arbitrary<Key> = keyArb(), options: SplitLawOptions = {}): LawProperty<Described<SplitCase>> => {
  checkLawOptions("laws.splitIsDeterministic", options, optionKeys<SplitLawOptions>()("split", "foldIn", "num", "jit"))
  const split = options.split ?? defaultSplit
  const jitFn: ErasedJit = erase(options.jit, defaultJit)
  const jitted = new Map<number, AnyFn>()
  const cases = fc.record({ key: keys, num: numArb(options.num, { min: 2, max: 4 }) }).map((c) => new Described(c, describeSplit))
  return lawProperty("splitIsDeterministic", "random.split", cases, ({ key, num }) => {
    const a = attempt("split(k, n)", () => wordsOfAll(split(fresh(key), num)))
    const b = attempt("split(k, n) again", () => wordsOfAll(split(fresh(key), num)))
    if (a.length !== num) throw new LawViolation(`split(k, ${num}) gave ${a.length} keys`)
    const differ = a.findIndex((w, i) => wordsStr(w) !== wordsStr(b[i]!))
    if (differ >= 0) throw new LawViolation(`split(k, ${num})[${differ}] is ${wordsStr(a[differ]!)} the first time and ${wordsStr(b[differ]!)} the second`)
    let j = jitted.get(num)
    if (j === undefined) {
      j = jitFn(((k: Key) => split(k, num)) as AnyFn)
      jitted.set(num, j)
    }
    const jf = j
    const c = attempt("jit(k => split(k, n))", () => wordsOfAll(jf(fresh(key)) as Key))
    const differJit = a.findIndex((w, i) => wordsStr(w) !== wordsStr(c[i] ?? [NaN, NaN]))
    if (differJit >= 0 || c.length !== a.length) {
      const i = Math.max(differJit, 0)
      throw new LawViolation(`split(k, ${num})[${i}] is ${wordsStr(a[i]!)} eagerly but ${c[i] === undefined ? "missing" : wordsStr(c[i]!)} under jit`)
    }
  })
}

// ---------------------------------------------------------------------------------------------
// The keys of a split tree are distinct

export interface DistinctSplitOptions extends KeyFunctions {
  /** How many subkeys per split (default 2 to 3). */
  readonly num?: number | { readonly min: number; readonly max: number }
  /** Levels of splitting (default 2: k, its subkeys, and their subkeys). */
  readonly depth?: number
}

/**
 * Splitting never repeats a key: in the tree of keys made by splitting k into n subkeys, and each
 * of those into n again (`depth` levels), every key differs from every other, and in particular
 * every subkey differs from its parent and from its siblings. (Threefry keys are 64-bit hashes:
 * an honest collision among these few keys has probability below 2⁻⁵⁰.)
 *
 * @example
 * laws.check(laws.splitKeysDistinct(arb.key()), { seed: 1, numRuns: 20 })
 */
export const splitKeysDistinct = (keys: fc.Arbitrary<Key> = keyArb(), options: DistinctSplitOptions = {}): LawProperty<Described<SplitCase>> => {
  checkLawOptions("laws.splitKeysDistinct", options, optionKeys<DistinctSplitOptions>()("split", "foldIn", "num", "depth"))
  const split = options.split ?? defaultSplit
  const depth = options.depth ?? 2
  const cases = fc.record({ key: keys, num: numArb(options.num, { min: 2, max: 3 }) }).map((c) => new Described(c, describeSplit))
  return lawProperty("splitKeysDistinct", "random.split", cases, ({ key, num }) => {
    const seen = new Map<string, string>()
    const visit = (k: Key, path: string, level: number): void => {
      const w = wordsStr(words(k))
      const before = seen.get(w)
      if (before !== undefined) {
        const parent = path.startsWith(before) && path.length > before.length
        throw new LawViolation(
          `${path} = ${before} (both are ${w})` +
            (parent ? ": a split returned its parent key" : "") +
            `\n(keys are paths from the root k: k.split[i] is subkey i of split(k, ${num}))`
        )
      }
      seen.set(w, path)
      if (level === depth) return
      const subs = attempt(`split(${path}, ${num})`, () => split(fresh(k), num))
      const n = subs.shape[0] ?? 0
      if (subs.shape.length !== 1 || n !== num)
        throw new LawViolation(`split(${path}, ${num}) gave a key array of shape [${subs.shape.join(", ")}], not [${num}]`)
      for (let i = 0; i < num; i++) visit(subs.index(i), `${path}.split[${i}]`, level + 1)
    }
    visit(key, "k", 0)
  })
}

// ---------------------------------------------------------------------------------------------
// foldIn: different data, different keys

/**
 * Data for foldIn: small values, powers of two (single bits, where a hash that drops bits
 * collides first), values near 2³², and any uint32.
 */
const defaultFoldInData: fc.Arbitrary<number> = fc.oneof(
  fc.integer({ min: 0, max: 16 }),
  fc.integer({ min: 0, max: 31 }).map((k) => 2 ** k),
  fc.integer({ min: 0, max: 16 }).map((k) => 0xffffffff - k),
  fc.integer({ min: 0, max: 0xffffffff })
)

export interface FoldInLawOptions extends KeyFunctions {
  /** The data to fold in (default: small values, single bits, values near 2³² and any uint32; 2 to 4 distinct values per case). */
  readonly data?: fc.Arbitrary<number>
}

interface FoldInCase {
  readonly key: Key
  readonly data: ReadonlyArray<number>
}

/**
 * `foldIn(k, d)` for distinct data d gives distinct keys, none equal to k, and the same key every
 * time for the same (k, d). Data are compared as 32-bit words (`-1` and `2³² - 1` are the same
 * data), so the default arbitrary draws uint32 values.
 *
 * @example
 * laws.check(laws.foldInDistinct(arb.key()), { seed: 1, numRuns: 20 })
 */
export const foldInDistinct = (keys: fc.Arbitrary<Key> = keyArb(), options: FoldInLawOptions = {}): LawProperty<Described<FoldInCase>> => {
  checkLawOptions("laws.foldInDistinct", options, optionKeys<FoldInLawOptions>()("split", "foldIn", "data"))
  const foldIn = options.foldIn ?? defaultFoldIn
  const dataArb = options.data ?? defaultFoldInData
  const cases = fc
    .record({ key: keys, data: fc.uniqueArray(dataArb, { minLength: 2, maxLength: 4, selector: (d) => d >>> 0 }) })
    .map((c) => new Described<FoldInCase>(c, ({ key, data }) => `key: ${keyCode(key)}\ndata: [${data.join(", ")}]`))
  return lawProperty("foldInDistinct", "random.foldIn", cases, ({ key, data }) => {
    const parent = wordsStr(words(key))
    const seen = new Map<string, number>()
    for (const d of data) {
      const w = wordsStr(attempt(`foldIn(k, ${d})`, () => words(foldIn(fresh(key), d))))
      const again = wordsStr(attempt(`foldIn(k, ${d}) again`, () => words(foldIn(fresh(key), d))))
      if (w !== again) throw new LawViolation(`foldIn(k, ${d}) is ${w} the first time and ${again} the second`)
      if (w === parent) throw new LawViolation(`foldIn(k, ${d}) = k = ${parent}: folding in data returned the key unchanged`)
      const other = seen.get(w)
      if (other !== undefined) throw new LawViolation(`foldIn(k, ${other}) = foldIn(k, ${d}) = ${w}: different data gave the same key`)
      seen.set(w, d)
    }
  })
}

// ---------------------------------------------------------------------------------------------
// A sampler gives the same numbers for the same key

export interface SamplerLawOptions {
  /** The keys to sample with (default `arb.key()`). */
  readonly keys?: fc.Arbitrary<Key>
  /** Largest batch of keys for the vmap check (default 3; 0 skips it). */
  readonly maxBatch?: number
  /** The jit and vmap under test (default jaxfx's). */
  readonly jit?: JitLike
  readonly vmap?: VmapLike
}

interface SamplerCase {
  readonly key: Key
  /** Keys for the vmap check (key 0 of the batch is `key`). */
  readonly batch: ReadonlyArray<Key>
}

/**
 * A sampler (a function of a key, e.g. `k => random.normal(k, [3])`) is deterministic: the same
 * key gives the same numbers, bit for bit, when called again, under jit, and under vmap over a
 * batch of keys (where row i equals the sampler on key i).
 *
 * @example
 * laws.check(laws.samplerDeterministic((k) => random.normal(k, [3])), { seed: 1, numRuns: 20 })
 */
export const samplerDeterministic = <R>(sampler: (key: Key) => R, options: SamplerLawOptions = {}): LawProperty<Described<SamplerCase>> => {
  checkLawOptions("laws.samplerDeterministic", options, optionKeys<SamplerLawOptions>()("keys", "maxBatch", "jit", "vmap"))
  const jitFn: ErasedJit = erase(options.jit, defaultJit)
  const vmapFn: ErasedJit = erase(options.vmap, defaultVmap)
  const maxBatch = options.maxBatch ?? 3
  const keys = options.keys ?? keyArb()
  const f = sampler as unknown as AnyFn
  let jitted: AnyFn | undefined
  let vmapped: AnyFn | undefined
  const cases = fc
    .record({ key: keys, more: fc.array(keys, { maxLength: Math.max(0, maxBatch - 1) }) })
    .map(
      ({ key, more }) =>
        new Described<SamplerCase>(
          { key, batch: maxBatch === 0 ? [] : [key, ...more] },
          (c) => `key: ${keyCode(c.key)}` + (c.batch.length > 1 ? `\nbatch of keys for vmap: [${c.batch.map(keyCode).join(", ")}]` : "")
        )
    )
  return lawProperty("samplerDeterministic", nameOf(sampler), cases, ({ key, batch }) => {
    const first = attempt("sampler(k)", () => f(fresh(key)))
    const again = attempt("sampler(k) again", () => f(fresh(key)))
    compareOutputs(first, again, "exact", ["first call", "second call"], "sample")
    jitted ??= jitFn(f)
    const j = jitted
    const underJit = attempt("jit(sampler)(k)", () => j(fresh(key)))
    compareOutputs(first, underJit, "exact", ["eager", "jit"], "sample")
    if (batch.length === 0) return
    vmapped ??= vmapFn(f)
    const v = vmapped
    const stackedKeys = random.wrapKeyData(
      stackTrees(
        batch.map((k) => random.keyData(k)),
        "key"
      ) as ReturnType<typeof random.keyData>
    )
    const expected = stackTrees(
      batch.map((k, i) => attempt(`sampler(keys[${i}])`, () => f(fresh(k)))),
      "the sample of key"
    )
    const actual = attempt("vmap(sampler)(keys)", () => v(stackedKeys))
    compareOutputs(expected, actual, "exact", ["per key", "vmap"], `samples (batch of ${batch.length})`)
  })
}

// Type-level check that jaxfx's own functions fit the options.
const _fits: Required<KeyFunctions> & { jit: JitLike; vmap: VmapLike } = { split: defaultSplit, foldIn: defaultFoldIn, jit, vmap }
void _fits
