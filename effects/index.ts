/**
 * jaxfx/effects: the Effect layer. State slots, and the transformations of Effect programs that
 * use them (importing this module teaches jit/grad/valueAndGrad/vmap to handle such programs).
 */
import "./transforms.js"

export * as State from "./state-namespace.js"
export * as train from "./train.js"
export { Device, type DeviceShape, type HostTree, type LayerOptions, type PutOptions } from "./device.js"
export * as optim from "./optim/index.js"
export * as codec from "./codec/index.js"
export * as Rng from "./rng.js"
export {
  type HasParamPaths,
  withParamPaths,
  Init,
  type Initializer,
  Model,
  ModelState,
  module,
  Param,
  type Params,
  transform,
  type Transformed,
  transformWithState,
  type TransformedWithState
} from "./transform.js"
export * from "./layers/index.js"
