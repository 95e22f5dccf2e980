"""Golden values for jaxfx's scipy.special and lax special functions, from real JAX.

Each case: {"fn", "args": [arrays], "options": {...} (jaxfx's camelCase options), "out": JAX's
float32 result (array or [arrays]), "ref": a float64 reference at the same (float32-rounded)
inputs, "refArgs": those inputs in float64, "grad": jax.grad of sum(f) for the listed "argnums"
at "gradArgs" (float32)}. The reference is SciPy's float64 function where SciPy has one, else JAX's
own in float64 (jax_enable_x64): JAX's float32 results are off by up to 1e-3 relative in places
(and its float64 ones in a few, e.g. zeta for q < -4), and the tests use the reference to tell
those apart from jaxfx's errors. Inputs cover ordinary values, edge values
(0, -0, negatives, NaN, inf, tiny and huge), broadcasting, and gradients at interior points.
Run: /path/to/venv/bin/python golden/scipy_special.py
"""
import jax

jax.config.update("jax_enable_x64", True)

import jax.numpy as jnp  # noqa: E402
import jax.scipy.special as sp  # noqa: E402
import numpy as np  # noqa: E402
import scipy.special as ss  # noqa: E402
from jax import lax  # noqa: E402

from common import enc, write  # noqa: E402

rng = np.random.RandomState(0)
inf, nan = np.inf, np.nan
f32 = np.float32


def uniform(lo, hi, n):
    return list(rng.uniform(lo, hi, n))


def logspace(lo, hi, n):
    return list(10.0 ** rng.uniform(lo, hi, n))


cases = []

# SciPy's float64 functions as references, by jaxfx name (others: JAX in float64)
SCIPY = {
    "gammaln": ss.gammaln, "digamma": ss.digamma, "loggamma": lambda x: np.where(x > 0, ss.gammaln(x), np.nan),
    "gammasgn": ss.gammasgn, "gamma": ss.gamma, "polygamma": ss.polygamma, "zeta": ss.zeta, "betaln": ss.betaln,
    "beta": ss.beta, "factorial": ss.factorial, "comb": ss.comb, "poch": ss.poch, "gammainc": ss.gammainc,
    "gammaincc": ss.gammaincc, "betainc": ss.betainc, "erf": ss.erf, "erfc": ss.erfc, "erfcx": ss.erfcx,
    "erfinv": ss.erfinv, "ndtr": ss.ndtr, "logNdtr": ss.log_ndtr, "ndtri": ss.ndtri, "i0e": ss.i0e, "i1e": ss.i1e,
    "i0": ss.i0, "i1": ss.i1, "xlogy": ss.xlogy, "xlog1py": ss.xlog1py, "entr": ss.entr, "relEntr": ss.rel_entr,
    "klDiv": ss.kl_div, "logit": ss.logit, "expit": ss.expit, "boxcox": ss.boxcox, "boxcox1p": ss.boxcox1p,
}


def case(fn, jax_fn, args, options=None, argnums=(), arg_dtypes=None, grad_args=None, ref=None):
    """JAX's float32 result, a float64 reference (ref, default JAX in float64) at the same inputs,
    and JAX's float32 gradients at grad_args."""
    dtypes = arg_dtypes or [f32] * len(args)
    a32 = [np.asarray(a, dtype=d) for a, d in zip(args, dtypes)]
    out = jax_fn(*a32)
    c = {"fn": fn, "args": [enc(a) for a in a32], "options": options or {}}
    c["out"] = [enc(o) for o in out] if isinstance(out, tuple) else enc(out)
    a64 = [a.astype(np.float64) if a.dtype == f32 else a for a in a32]
    with np.errstate(all="ignore"):
        r64 = (ref or SCIPY.get(fn) or jax_fn)(*a64)
    c["refArgs"] = [enc(a) for a in a64]
    c["ref"] = [enc(np.asarray(o, np.float64)) for o in r64] if isinstance(r64, tuple) else enc(np.asarray(r64, np.float64))
    if argnums:
        g_in = [np.asarray(a, dtype=d) for a, d in zip(grad_args or args, dtypes)]

        def total(*xs):
            o = jax_fn(*xs)
            return jnp.sum(o[0] if isinstance(o, tuple) else o)

        g = jax.grad(total, argnums=tuple(argnums))(*g_in)
        c["gradArgs"] = [enc(a) for a in g_in]
        c["argnums"] = list(argnums)
        c["grad"] = [enc(x) for x in g]
    cases.append(c)


# ---------------------------------------------------------------------------------------------
# Gamma family

edges = [-inf, -3, -2.5, -1, -0.5, -0.0, 0.0, 1e-30, 1e-5, 0.5, 1, 2, 3, 1e5, 1e30, inf, nan]
x_gamma = uniform(0.01, 20, 24) + uniform(-10, 0, 8) + [0.99, 1.01, 1.99, 2.01, 1.4616321] + edges
g_gamma = uniform(0.1, 15, 12) + [-2.5, -1.5, -0.3, -7.7]
for name, f in [("gammaln", sp.gammaln), ("digamma", sp.digamma), ("loggamma", sp.loggamma), ("gammasgn", sp.gammasgn)]:
    case(name, f, [x_gamma], argnums=(0,) if name in ("gammaln", "digamma") else (), grad_args=[g_gamma])
x_gamma_small = [v for v in x_gamma if not (abs(v) > 40)] + [35.5, 40, -40.5, inf, -inf, nan]
case("gamma", sp.gamma, [x_gamma_small], argnums=(0,), grad_args=[uniform(0.1, 8, 8) + [-2.5, -0.5]])

# polygamma(n, x) with integer n broadcast against x; JAX has no derivative in n
pg_x = uniform(0.05, 30, 10) + [-2.5, -0.5, -7.25, 0.5, 1, 2, 100]
case("polygamma", sp.polygamma, [[[0], [1], [2], [3], [5]], [pg_x]], argnums=(1,), arg_dtypes=[np.int32, f32],
     grad_args=[[[0], [1], [2], [4]], [uniform(0.3, 10, 6)]])
case("polygamma", sp.polygamma, [[1, 1, 2, 2, 0, 0, 3, 1], [0.0, -1.0, -2.0, 1e-30, -3, 1e30, inf, nan]], arg_dtypes=[np.int32, f32])

# zeta(s, q): s > 1 with positive q, integer s with negative q in (-9, 0), poles and domain edges
z_s = [[1.5], [2], [3], [4.5], [10], [21]]
z_q = uniform(0.05, 40, 8) + [1, 2, 0.5, 1e-3, 1e4]
case("zeta", sp.zeta, [z_s, [z_q]], argnums=(0, 1), grad_args=[[[1.5], [2.5], [6]], [uniform(0.2, 20, 6)]])
# (JAX's float32 and float64 results drift from SciPy's below q = -4; the reference is SciPy's)
case("zeta", sp.zeta, [[2, 3, 4, 2, 3, 5, 4], [-2.5, -0.5, -3.25, -8.5, -7.75, -0.1, -6.2]])
case("zeta", sp.zeta, [[1, 0.5, -2, 2, 2.5, nan, 2], [1, 1, 1, 0.0, 1e-30, 1, nan]])

# betaln, beta: small and very large arguments (the asymptotic branch), negative ones for beta
bl_a = uniform(0.1, 20, 10) + [1e3, 1e6, 0.5, 3e6, 1e-3, 10]
bl_b = uniform(0.1, 20, 10) + [1e3, 2, 1e6, 7, 1e-3, 8]
case("betaln", sp.betaln, [bl_a, bl_b], argnums=(0, 1), grad_args=[uniform(0.5, 30, 8), uniform(0.5, 30, 8)])
case("betaln", sp.betaln, [[[0.5], [3], [50]], [[1, 2, 9, 1e4]]])
case("beta", sp.beta, [uniform(0.2, 8, 8) + [-0.5, -1.5, 2.5, 1], uniform(0.2, 8, 8) + [2.25, 0.75, -0.25, 1]],
     argnums=(0, 1), grad_args=[uniform(0.5, 6, 6), uniform(0.5, 6, 6)])

case("factorial", sp.factorial, [[-1, 0, 1, 2, 3, 3.5, 10, 20, 34, 35, 0.5]])
case("comb", sp.comb, [[[5], [10], [5.5], [-1], [30]], [[0, 1, 2, 3, 6, -1, 2.5]]], argnums=(0, 1),
     grad_args=[[[6], [10.5]], [[1.5, 2, 3]]])
case("comb", lambda n, k: sp.comb(n, k, repetition=True), [[5, 10, 3], [2, 3, 0]], options={"repetition": True},
     ref=lambda n, k: ss.comb(n, k, repetition=True))
case("poch", sp.poch, [uniform(0.1, 10, 8) + [2, 3, 0.5], uniform(-0.5, 4, 8) + [0, 2, 1]], argnums=(0, 1),
     grad_args=[uniform(0.5, 8, 6), uniform(0.2, 3, 6)])
for d in [1, 2, 3, 5]:
    case("multigammaln", lambda a, d=d: sp.multigammaln(a, d), [uniform(d, d + 20, 8)], options={"d": d}, argnums=(0,),
         grad_args=[uniform(d + 0.5, d + 10, 4)], ref=lambda a, d=d: np.vectorize(lambda v: ss.multigammaln(v, d))(a))

# ---------------------------------------------------------------------------------------------
# Incomplete gamma and beta

ig_a = uniform(0.05, 30, 16) + [0.5, 1, 2, 5, 10, 100, 1000, 0.01, 3, 0, 0, 2, 2, 1, 2, 5, 3]
ig_x = uniform(0.0, 40, 16) + [0.5, 1, 1, 20, 9, 110, 990, 0.001, 0, 0.5, 2, -1, inf, nan, 3, 6, 3.5]
g_a = uniform(0.3, 20, 10) + [2, 5, 3]
g_x = uniform(0.1, 30, 10) + [3, 6, 3.5]
for name, f in [("gammainc", sp.gammainc), ("gammaincc", sp.gammaincc)]:
    case(name, f, [ig_a, ig_x], argnums=(0, 1), grad_args=[g_a, g_x])
    case(name, f, [[[0.5], [4], [30]], [[0.1, 1, 10, 100]]])
for name, f in [("igammaGradA", lax.igamma_grad_a), ("randomGammaGrad", lax.random_gamma_grad)]:
    case(name, f, [ig_a[:-5] + [2, 5, 3], ig_x[:-5] + [3, 6, 3.5]])

bi_a = uniform(0.1, 20, 12) + [0.5, 1, 2, 5, 10, 100, 0.01, 3, 0, 1, 2, 2, 1e-20, 30, 1, 2]
bi_b = uniform(0.1, 20, 12) + [0.5, 1, 3, 20, 9, 110, 0.001, 0.5, 1, 0, 2, 2, 2, 1, 1, 3]
bi_x = uniform(0, 1, 12) + [0.5, 0.3, 0.25, 0.2, 0.9, 0.45, 0.5, 0.99, 0.5, 0.5, -0.1, 1, 0.5, 0.999, nan, 1.5]
case("betainc", sp.betainc, [bi_a, bi_b, bi_x], argnums=(2,),
     grad_args=[uniform(0.5, 10, 8), uniform(0.5, 10, 8), uniform(0.05, 0.95, 8)])
case("betainc", sp.betainc, [[[0.5], [2], [8]], [[1.5, 4]], [[[0.1]], [[0.7]]]])

# ---------------------------------------------------------------------------------------------
# Error functions and the normal distribution

x_erf = list(np.linspace(-6, 6, 25)) + [-30, -9.5, -0.3, -1e-20, -0.0, 0.0, 1e-20, 0.3, 0.49, 0.51, 9, 10, 12, 30, 1e3, -1e3, inf, -inf, nan]
g_erf = uniform(-4, 4, 10)
for name, f in [("erf", sp.erf), ("erfc", sp.erfc), ("erfcx", sp.erfcx)]:
    case(name, f, [x_erf], argnums=(0,), grad_args=[g_erf])
case("erfinv", sp.erfinv, [uniform(-0.999, 0.999, 12) + [-1, 1, 0, 1e-30, 0.5, -0.9, 1 - 1e-7, 2, nan]], argnums=(0,),
     grad_args=[uniform(-0.95, 0.95, 8)])
x_ndtr = list(np.linspace(-40, 10, 26)) + [-1e3, -0.0, 0.5, 0.7, 1.5, 5.5, 8.5, inf, -inf, nan]
case("ndtr", sp.ndtr, [x_ndtr], argnums=(0,), grad_args=[uniform(-6, 6, 10)])
case("logNdtr", sp.log_ndtr, [x_ndtr], argnums=(0,), grad_args=[uniform(-30, 6, 10)])
p_ndtri = uniform(0.001, 0.999, 16) + logspace(-37, -2, 8) + [0, 1, 0.5, 0.025, 0.975, 1 - 1e-7, -0.1, 1.1, nan]
case("ndtri", sp.ndtri, [p_ndtri], argnums=(0,), grad_args=[uniform(0.05, 0.95, 8) + [1e-5, 0.999]])

# ---------------------------------------------------------------------------------------------
# Bessel functions

x_bessel = uniform(-30, 30, 20) + [-8.01, -8, -7.99, 7.99, 8, 8.01, 0.0, -0.0, 1e-20, 1, -1, 100, 1e4, -1e4, inf, -inf, nan]
g_bessel = uniform(-20, 20, 10) + [0.5, -0.2]
for name, f in [("i0e", sp.i0e), ("i1e", sp.i1e)]:
    case(name, f, [x_bessel], argnums=(0,), grad_args=[g_bessel])
x_bessel_small = [v for v in x_bessel if not abs(v) > 80]
for name, f in [("i0", sp.i0), ("i1", sp.i1)]:
    case(name, f, [x_bessel_small], argnums=(0,), grad_args=[uniform(-10, 10, 8)])

# ---------------------------------------------------------------------------------------------
# Logs, entropies, logistic, Box-Cox

xy_x = [0, 0, 0, 2, -1.5, 3, 0.5, 1e-30, nan, 0, 2]
xy_y = [0, 1, nan, 3, 0.5, -1, 1e-30, 2, 1, -2, inf]
case("xlogy", sp.xlogy, [xy_x, xy_y], argnums=(0, 1), grad_args=[uniform(-3, 3, 6) + [0, 0], uniform(0.1, 5, 6) + [1, 0.5]])
case("xlog1py", sp.xlog1py, [xy_x, [v - 1 if v == v else v for v in xy_y]], argnums=(0, 1),
     grad_args=[uniform(-3, 3, 6) + [0, 0], uniform(-0.9, 5, 6) + [1, -0.5]])
case("xlogy", sp.xlogy, [[[1], [2], [0]], [[0.5, 1, 4]]])
case("entr", sp.entr, [uniform(0, 3, 8) + [0, -1, 1, 1e-30, inf, nan]], argnums=(0,), grad_args=[uniform(0.1, 3, 6)])
re_p = uniform(0, 2, 8) + [0, 0, 1, -1, 1, nan]
re_q = uniform(0, 2, 8) + [1, 0, 0, 1, -1, 1]
for name, f in [("relEntr", sp.rel_entr), ("klDiv", sp.kl_div)]:
    case(name, f, [re_p, re_q], argnums=(0, 1), grad_args=[uniform(0.1, 2, 6), uniform(0.1, 2, 6)])
case("logit", sp.logit, [uniform(0.001, 0.999, 10) + [0, 1, 0.5, -0.1, nan]], argnums=(0,), grad_args=[uniform(0.05, 0.95, 6)])
case("expit", sp.expit, [uniform(-20, 20, 10) + [-100, 100, 0, inf, -inf, nan]], argnums=(0,), grad_args=[uniform(-5, 5, 6)])
bc_x = uniform(0.1, 10, 8) + [1, 0, 2]
bc_l = uniform(-2, 2, 8) + [0, 0.5, 0]
case("boxcox", sp.boxcox, [bc_x, bc_l], argnums=(0, 1), grad_args=[uniform(0.5, 5, 6), uniform(-1, 1, 6)])
case("boxcox1p", sp.boxcox1p, [[v - 0.5 for v in bc_x], bc_l], argnums=(0, 1), grad_args=[uniform(0, 5, 6), uniform(-1, 1, 6)])

# ---------------------------------------------------------------------------------------------
# logsumexp, softmax, log_softmax

m = [[1.0, 2.0, -1.0, 0.5], [-inf, -inf, -inf, -inf], [1000.0, 1000.5, -3.0, 2.0]]
w = [[1.0, -1.0, 0.5, 2.0], [1.0, 1.0, 1.0, 1.0], [0.0, 1.0, -2.0, 1.0]]
case("logsumexp", lambda a: sp.logsumexp(a), [m[0:1] + m[2:]], argnums=(0,), ref=ss.logsumexp)
case("logsumexp", lambda a: sp.logsumexp(a, axis=1), [m], options={"axis": 1}, argnums=(0,), grad_args=[[m[0], m[2]]],
     ref=lambda a: ss.logsumexp(a, axis=1))
case("logsumexp", lambda a: sp.logsumexp(a, axis=0, keepdims=True), [m], options={"axis": 0, "keepdims": True},
     ref=lambda a: ss.logsumexp(a, axis=0, keepdims=True))
case("logsumexp", lambda a, b: sp.logsumexp(a, axis=1, b=b), [m, w], options={"axis": 1, "b": 1}, argnums=(0, 1),
     grad_args=[[m[0], m[2]], [[1, 2, 0.5, 2], [0.5, 1, 2, 1]]], ref=lambda a, b: ss.logsumexp(a, axis=1, b=b))
case("logsumexp", lambda a, b: sp.logsumexp(a, axis=1, b=b, return_sign=True), [m, w], options={"axis": 1, "b": 1, "returnSign": True},
     ref=lambda a, b: ss.logsumexp(a, axis=1, b=b, return_sign=True))
case("logsumexp", lambda a, b: sp.logsumexp(a, axis=(0, 1), b=b), [m[0:1], [[2.0], [0.5], [1.0]]], options={"axis": [0, 1], "b": 1},
     ref=lambda a, b: ss.logsumexp(a, axis=(0, 1), b=b))
case("logsumexp", lambda a, wh: sp.logsumexp(a, axis=1, where=wh), [m, [[True, False, True, True]]],
     options={"axis": 1, "where": 1}, arg_dtypes=[f32, np.bool_])
for name, f, g in [("softmax", sp.softmax, ss.softmax), ("logSoftmax", sp.log_softmax, ss.log_softmax)]:
    case(name, lambda a, f=f: f(a), [[m[0], m[2]]], argnums=(0,), ref=lambda a, g=g: g(a, axis=None))
    case(name, lambda a, f=f: f(a, axis=0), [[m[0], m[2]]], options={"axis": 0}, ref=lambda a, g=g: g(a, axis=0))
    case(name, lambda a, f=f: f(a, axis=-1), [m], options={"axis": -1}, ref=lambda a, g=g: g(a, axis=-1))

for n in [0, 1, 4, 10, 20, 30]:
    cases.append({"fn": "bernoulli", "args": [], "options": {"n": n}, "out": enc(np.asarray(sp.bernoulli(n), dtype=f32)),
                  "refArgs": [], "ref": enc(ss.bernoulli(n))})

# ---------------------------------------------------------------------------------------------
# lax: the same compositions without promotion

case("lax.lgamma", lax.lgamma, [[0.5, 3, -2.5, 1e-5]])
case("lax.digamma", lax.digamma, [[0.5, 3, -2.5, 1e-5]])
case("lax.polygamma", lax.polygamma, [[0, 1, 2, 1.5, -1], [2, 2, 2, 2, 2]])
case("lax.zeta", lax.zeta, [[2, 3, 4.5], [1, 0.5, 10]])
case("lax.igamma", lax.igamma, [[0.5, 2, 10], [1, 3, 8]])
case("lax.igammac", lax.igammac, [[0.5, 2, 10], [1, 3, 8]])
case("lax.igammaGradA", lax.igamma_grad_a, [[0.5, 2, 10], [1, 3, 8]])
case("lax.randomGammaGrad", lax.random_gamma_grad, [[0.5, 2, 10], [1, 3, 8]])
case("lax.betainc", lax.betainc, [[0.5, 2, 10], [1, 3, 8], [0.2, 0.5, 0.9]])
case("lax.erfc", lax.erfc, [[-1, 0.2, 3, 9]])
case("lax.besselI0e", lax.bessel_i0e, [[-1, 0.2, 3, 9]])
case("lax.besselI1e", lax.bessel_i1e, [[-1, 0.2, 3, 9]])

write("scipy_special", cases)
