/**
 * `config`: process-wide settings, as JAX's `jax.config`. Each setting has a validator, an
 * optional environment variable that gives its initial value, and may be frozen once the runtime
 * has used it (the number of CPU devices cannot change after the devices exist).
 *
 *   config.update("jaxfxCpuDevices", 4)   // before the first array is made (or JAXFX_CPU_DEVICES=4)
 *   config.read("jaxfxCpuDevices")        // 4
 */
import { ValueError } from "./errors.js"
import { closest } from "./options.js"

interface Setting<T> {
  readonly name: string
  readonly env: string | undefined
  readonly initial: T
  readonly describe: string
  /** Validates a value given to `update` (or parsed from the environment); throws a typed error. */
  readonly check: (value: unknown, source: string) => T
  /** Parses the environment variable's text. */
  readonly parse: ((text: string, source: string) => T) | undefined
  /** Why the setting can no longer change, or undefined while it can. */
  frozen: (() => string | undefined) | undefined
  value: T | undefined
  listeners: ((value: T) => void)[]
}

const settings = new Map<string, Setting<unknown>>()

/** The environment, where there is one (Node); browsers have none. */
const environment = (): Readonly<Record<string, string | undefined>> => {
  const p = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process
  return p?.env ?? {}
}

/**
 * Declare a setting (done by the module that owns it). `parse` reads its environment variable;
 * `check` validates values given to `config.update`.
 *
 * @example
 * const verbose = config.defineSetting({
 *   name: "jaxfxDocVerbose",
 *   env: "JAXFX_DOC_VERBOSE",
 *   initial: false,
 *   describe: "Print more.",
 *   check: (v: unknown) => {
 *     if (typeof v !== "boolean") throw new Error("jaxfxDocVerbose is a boolean")
 *     return v
 *   }
 * })
 * verbose.get() // false, until config.update("jaxfxDocVerbose", true)
 */
export const defineSetting = <T>(spec: {
  readonly name: string
  readonly env?: string
  readonly initial: T
  readonly describe: string
  readonly check: (value: unknown, source: string) => T
  readonly parse?: (text: string, source: string) => T
}): { readonly get: () => T; readonly freeze: (why: () => string | undefined) => void; readonly onChange: (f: (value: T) => void) => void } => {
  if (settings.has(spec.name)) throw new Error(`jaxfx internal: setting ${spec.name} declared twice`)
  const s: Setting<T> = {
    name: spec.name,
    env: spec.env,
    initial: spec.initial,
    describe: spec.describe,
    check: spec.check,
    parse: spec.parse,
    frozen: undefined,
    value: undefined,
    listeners: []
  }
  settings.set(spec.name, s as unknown as Setting<unknown>)
  return {
    get: () => current(s as Setting<unknown>) as T,
    freeze: (why) => {
      s.frozen = why
    },
    onChange: (f) => {
      s.listeners.push(f)
    }
  }
}

/** A setting's value: set by `update`, else parsed from its environment variable, else its default. */
const current = (s: Setting<unknown>): unknown => {
  if (s.value === undefined) {
    const text = s.env === undefined ? undefined : environment()[s.env]
    s.value = text === undefined || text === "" || s.parse === undefined ? s.initial : s.parse(text, `${s.env}=${text}`)
  }
  return s.value
}

const lookup = (name: string): Setting<unknown> => {
  const s = settings.get(name)
  if (s === undefined) {
    const hint = closest(name, settings.keys())
    throw new ValueError(
      `config: unknown setting "${name}"${hint === undefined ? "" : ` (did you mean "${hint}"?)`}; the settings are ` +
        `${[...settings.keys()]
          .sort()
          .map((k) => `"${k}"`)
          .join(", ")}.`
    )
  }
  return s
}

/**
 * Change a setting, as `jax.config.update(name, value)`. Unknown names and invalid values are a
 * ValueError; settings the runtime has already used (the CPU device count) cannot change.
 *
 * @example
 * config.update("jaxfxCpuDevices", 4) // four CPU devices: device 0 on this thread, 1..3 on workers
 */
export const update = (name: string, value: unknown): void => {
  const s = lookup(name)
  const checked = s.check(value, `config.update("${name}", ...)`)
  const why = s.frozen?.()
  if (why !== undefined) throw new ValueError(`config.update("${name}", ...): ${why}`)
  s.value = checked
  for (const f of s.listeners) f(checked)
}

/**
 * The current value of a setting (from `config.update`, else its environment variable, else its
 * default).
 *
 * @example
 * config.read("jaxfxCpuDevices") // 1 unless JAXFX_CPU_DEVICES says otherwise
 */
export const read = (name: string): unknown => current(lookup(name))

/**
 * Every setting with its description and environment variable (for help texts).
 *
 * @example
 * config.describe().map((s) => `${s.name} (${s.env ?? "no env"}): ${s.describe}`)
 */
export const describe = (): ReadonlyArray<{ readonly name: string; readonly env: string | undefined; readonly describe: string }> =>
  [...settings.values()].map((s) => ({ name: s.name, env: s.env, describe: s.describe }))

/**
 * A positive integer setting's validator, with the range in its messages.
 *
 * @example
 * const upTo64 = config.positiveInt(64)
 * upTo64(8, "config.update") // 8; 0, 65 or 2.5 throw a ValueError naming the range
 */
export const positiveInt =
  (max: number) =>
  (value: unknown, source: string): number => {
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1 || value > max) {
      throw new ValueError(`${source}: expected an integer from 1 to ${max}, got ${typeof value === "string" ? JSON.stringify(value) : String(value)}.`)
    }
    return value
  }

/**
 * Parse an integer environment variable strictly (no "4abc", no "1e3").
 *
 * @example
 * const parse = config.parseIntStrict(config.positiveInt(64))
 * parse("8", "JAXFX_EXAMPLE") // 8; "8abc" or "1e3" throw
 */
export const parseIntStrict =
  (check: (v: unknown, source: string) => number) =>
  (text: string, source: string): number => {
    const t = text.trim()
    return check(/^[0-9]+$/.test(t) ? Number(t) : t, source)
  }
