/**
 * jaxfx/effects: the Effect layer. State slots, and the transformations of Effect programs that
 * use them (importing this module teaches jit/grad/valueAndGrad/vmap to handle such programs).
 */
import "./transforms.js"

export * as State from "./state-namespace.js"
export * as train from "./train.js"
