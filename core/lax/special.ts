/**
 * lax's special-function operations (JAX's `lax.lgamma`, `lax.digamma`, `lax.igamma`, ...): the
 * same compositions as scipy.special, without promotion (float operands of one dtype).
 */
export { laxDigamma as digamma, laxLgamma as lgamma, laxPolygamma as polygamma } from "../scipy/special/gamma.js"
export { laxZeta as zeta } from "../scipy/special/zeta.js"
export { laxIgamma as igamma, laxIgammac as igammac, laxIgammaGradA as igammaGradA, laxRandomGammaGrad as randomGammaGrad } from "../scipy/special/igamma.js"
export { laxBetainc as betainc, laxBetainc as regularizedIncompleteBeta } from "../scipy/special/betainc.js"
export { laxErfc as erfc } from "../scipy/special/erf.js"
export { laxBesselI0e as besselI0e, laxBesselI1e as besselI1e } from "../scipy/special/bessel.js"
