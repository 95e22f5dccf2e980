/**
 * JAX's x64 switch, `config.update("jax_enable_x64", true)` (or `JAX_ENABLE_X64=1`). Off by
 * default, as in JAX: then 64-bit dtypes are canonicalized to their 32-bit counterparts.
 */
import { defineSetting } from "../config.js"
import { ValueError } from "../errors.js"

const parseBool = (value: unknown, source: string): boolean => {
  if (typeof value === "boolean") return value
  throw new ValueError(`${source}: expected true or false, got ${typeof value === "string" ? JSON.stringify(value) : String(value)}.`)
}

const setting = defineSetting<boolean>({
  name: "jax_enable_x64",
  env: "JAX_ENABLE_X64",
  initial: false,
  describe: "enable 64-bit types (float64); off, as in JAX, 64-bit requests give the 32-bit type with a warning",
  check: parseBool,
  parse: (text, source) => {
    const t = text.trim().toLowerCase()
    if (t === "1" || t === "true") return true
    if (t === "0" || t === "false") return false
    throw new ValueError(`${source}: expected 1, 0, true or false.`)
  }
})

/**
 * Whether 64-bit types are enabled (`config.read("jax_enable_x64")`).
 *
 * @example
 * x64Enabled() // false unless config.update("jax_enable_x64", true) or JAX_ENABLE_X64=1
 */
export const x64Enabled = (): boolean => setting.get()

/** Called when the setting changes (caches keyed on dtypes are dropped). */
export const onX64Change = (f: (value: boolean) => void): void => setting.onChange(f)

const warned = new Set<string>()
let warner: (message: string, category?: string) => void = (m, category = "UserWarning") => {
  const p = (globalThis as { process?: { emitWarning?: (m: string, t: string) => void } }).process
  if (p?.emitWarning !== undefined) p.emitWarning(m, category)
  else console.warn(`${category}: ${m}`)
}

/** Where x64 (and complex-cast) warnings go (tests collect them); returns the previous sink. */
export const setX64Warner = (f: (message: string, category?: string) => void): ((message: string, category?: string) => void) => {
  const prev = warner
  warner = f
  return prev
}

/**
 * A dtype the user asked for, as JAX canonicalizes it: with x64 off, float64 becomes float32 (and
 * complex128 complex64, int64 int32, uint64 uint32) with JAX's warning (once per function). Other
 * dtypes, and everything with x64 on, pass unchanged.
 *
 * @example
 * requestDType("float64", "zeros") // "float32" (x64 off), after a UserWarning
 */
export const requestDType = <D extends string | undefined>(d: D, what: string): D | "float32" | "complex64" | "int32" | "uint32" => {
  if ((d !== "float64" && d !== "complex128" && d !== "int64" && d !== "uint64") || x64Enabled()) return d
  const to = d === "float64" ? "float32" : d === "complex128" ? "complex64" : d === "int64" ? "int32" : "uint32"
  if (!warned.has(`${what}:${d}`)) {
    warned.add(`${what}:${d}`)
    warner(
      `Explicitly requested dtype ${d} requested in ${what} is not available, and will be truncated to dtype ${to}. ` +
        "To enable more dtypes, set the jax_enable_x64 configuration option or the JAX_ENABLE_X64 shell environment variable. " +
        "See https://github.com/jax-ml/jax#current-gotchas for more."
    )
  }
  return to
}

/**
 * JAX's warning when `astype` casts complex values to a real dtype (it drops the imaginary part),
 * given once per process.
 *
 * @example
 * warnComplexToReal("complex64", "float32") // DeprecationWarning: Casting from complex to real dtypes ...
 */
export const warnComplexToReal = (from: string, to: string): void => {
  if ((from !== "complex64" && from !== "complex128") || to === "complex64" || to === "complex128" || warned.has("complex->real")) return
  warned.add("complex->real")
  warner(
    "Casting from complex to real dtypes will soon raise a ValueError. Please first use np.real or np.imag to take the " +
      "real/imaginary component of your input.",
    "DeprecationWarning"
  )
}
