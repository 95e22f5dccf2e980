/**
 * jaxfx: JAX for TypeScript. The package entry wires the layers: it registers the CPU platform
 * (device 0 on this thread, worker devices after it) and exports the user namespaces and
 * transformations.
 */
import { cpuPlatform } from "./backends/cpu/platform.js"
import { webgpuPlatform } from "./backends/webgpu/platform.js"
import { registerPlatform } from "./core/devices/registry.js"
import { sealBuiltins } from "./core/primitive.js"
import "./core/numpy/methods.js"
import "./core/random/index.js"
import "./core/debug/index.js"
import "./core/traceback.js"

registerPlatform(cpuPlatform)
// Acquired on `await init("webgpu")`; jaxfx loads without the optional `webgpu` package.
registerPlatform(webgpuPlatform)
sealBuiltins()

export { Array, ShapedArray } from "./core/array.js"
/**
 * jaxfx's array type (JAX's `jax.Array`) under a name that does not shadow the global `Array`:
 * `import { type JaxArray } from "jaxfx"` where JS lists are used too.
 *
 * @example
 * ```ts
 * import { np, type JaxArray } from "jaxfx"
 * const double = (x: JaxArray): JaxArray => x.mul(2)
 * double(np.arange(3))   // Array([0, 2, 4], dtype=int32)
 * ```
 */
export { Array as JaxArray } from "./core/array.js"
export type { Nested } from "./core/array.js"
export type { DType } from "./core/dtype.js"
export type { DTypeRequest } from "./core/dtypes/request.js"
export * from "./core/errors.js"
export * as np from "./core/numpy/index.js"
export * as lax from "./core/lax/index.js"
export * as nn from "./core/nn/index.js"
export * as random from "./core/random/index.js"
export * as scipy from "./core/scipy/index.js"
export * as tree from "./core/tree.js"
export * as debug from "./core/debug/index.js"
export { grad, jvp, linearize, valueAndGrad, vjp, vjpWithAux, type Argnums, type GradOf, type GradOptions, type Tangent } from "./core/transforms/autodiff.js"
export { stopGradient } from "./core/primitives/elementwise.js"
export { jit, makeJaxpr, type JitCacheInfo, type JitOptions, type Jitted, type MakeJaxprOptions } from "./core/transforms/jit.js"
export { namedScope } from "./core/name-stack.js"
export { type CallbackResult, pureCallback, type PureCallbackOptions, type VmapMethod } from "./core/transforms/pure-callback.js"
export { clearCaches, disableJit } from "./core/transforms/jit-control.js"
export { ClosedJaxpr, Jaxpr } from "./core/ir.js"
// Defining primitives (with their jvp, transpose and batching rules), as JAX's core does.
export {
  type BatchRule,
  definePrimitive,
  type ImplRule,
  type JvpRule,
  type Params,
  Primitive,
  type ShapeRule,
  type TransposeRule,
  UndefPrimal,
  Zero
} from "./core/primitive.js"
export { bind, bind1 } from "./core/trace.js"
export { checkpoint, checkpoint as remat, customJvp, customVjp, type CustomJvpFunction, type CustomVjpFunction } from "./core/transforms/custom.js"
export { customGradient, type CustomGradientResult } from "./core/transforms/custom-gradient.js"
export { linearTranspose, type PrimalsLike, type ShapeDtypeLike } from "./core/transforms/linear-transpose.js"
export { hessian, jacfwd, jacobian, jacrev, type Jacobian, type JacobianOptions } from "./core/transforms/jacobian.js"
export { vmap, type Axis, type InAxes, type OutAxes, type VmapOptions } from "./core/transforms/vmap.js"
export { evalShape, ShapeDtypeStruct } from "./core/transforms/eval-shape.js"
export * as config from "./core/config.js"
export { Device } from "./core/devices/device.js"
export { defaultDevice, deviceCount, devices, init, localDeviceCount, withDefaultDevice } from "./core/devices/registry.js"
export { deviceGet, devicePut, devicePutAsync, effectsBarrier, effectsBarrierAsync, type Fetched } from "./core/devices/api.js"
export { type ArrayScope, openScope, scope } from "./core/devices/lifetimes.js"
export { pmap, type PmapOptions } from "./core/parallel/pmap.js"
export { makeMesh, Mesh, NamedSharding, P, PartitionSpec, type SpecEntry } from "./core/parallel/mesh.js"
export { shardMap, type ShardMapOptions } from "./core/parallel/shard-map.js"
export { makeShardedArray, type Shard, ShardedArray, type ShardSlice } from "./core/parallel/sharded-array.js"
export { type Sharding, SingleDeviceSharding } from "./core/devices/sharding.js"
