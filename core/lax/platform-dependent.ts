/**
 * `lax.platformDependent`: pick an implementation by the platform the computation runs on, as
 * JAX's `lax.platform_dependent` does. jaxfx's platforms are "cpu" and "webgpu".
 */
import { ArrayImpl } from "../array.js"
import { defaultDevice } from "../devices/registry.js"
import { ValueError } from "../errors.js"
import { checkOptions, optionKeys } from "../options.js"

/** One implementation per platform, and a default for the others. */
export interface PlatformBranches<A extends ReadonlyArray<unknown>, R> {
  readonly cpu?: (...args: A) => R
  readonly webgpu?: (...args: A) => R
  readonly default?: (...args: A) => R
}
const BRANCH_KEYS = optionKeys<PlatformBranches<[], unknown>>()("cpu", "webgpu", "default")

/**
 * The platform a call on `args` runs on: that of the first concrete array committed to a device
 * (an eager operation runs there), else the default device's (where jit places uncommitted calls).
 */
const platformOf = (args: ReadonlyArray<unknown>): string => {
  for (const a of args) if (a instanceof ArrayImpl && a.committed) return a.device.platform
  return defaultDevice().platform
}

/**
 * `lax.platform_dependent(*args, default=..., cpu=..., ...)`: call the branch for the platform the
 * computation runs on (the platform of the committed input arrays, else of the default device;
 * under jit the branch is chosen when the function is traced), or `default` where no branch names
 * it. Branches are given first here, then the arguments.
 *
 * @example
 * const f = (x: Array) => lax.platformDependent({ cpu: (y: Array) => y.mul(2), default: (y: Array) => y.add(1) }, x)
 * f(np.array([1, 2])) // Array([2, 4], dtype=int32) on a CPU device
 */
export const platformDependent = <A extends ReadonlyArray<unknown>, R>(branches: PlatformBranches<A, R>, ...args: A): R => {
  checkOptions("lax.platformDependent", branches, BRANCH_KEYS)
  const platform = platformOf(args)
  const f = (platform === "cpu" ? branches.cpu : platform === "webgpu" ? branches.webgpu : undefined) ?? branches.default
  if (f === undefined) {
    throw new ValueError(`lax.platformDependent: no branch for platform "${platform}" and no default; give a ${platform} branch or a default one.`)
  }
  if (typeof f !== "function") throw new ValueError(`lax.platformDependent: the ${platform} branch must be a function.`)
  return f(...args)
}
