"""Golden values for the scipy.linalg and scipy.stats names that issue 13's audit found missing
(scripts/api-audit-13.ts), from real JAX 0.10 (CPU, float32): the special matrices (toeplitz,
hankel, circulant, leslie, companion, fiedler, fiedler_companion, convolution_matrix, hilbert,
invhilbert, pascal, invpascal, helmert, hadamard, dft), scipy.linalg's cholesky, det, inv, lu,
eigh, svd, solve and polar, and scipy.stats' rankdata, sem and mode.

Each case: {"fn": jaxfx's name, "args": [arrays or plain values], "options": jaxfx's options,
"outs": [JAX's outputs], and where JAX differentiates "weights", "diff" (the argument positions),
"grad" (jax.grad of sum(out_i * weights_i) in float32) and "grad64" (the same in float64)}.
Run: /path/to/venv/bin/python golden/scipy_extra_13.py
"""
import jax

jax.config.update("jax_enable_x64", True)

import jax.numpy as jnp  # noqa: E402
import jax.scipy.linalg as sl  # noqa: E402
import jax.scipy.stats as st  # noqa: E402
import numpy as np  # noqa: E402

from common import enc, write  # noqa: E402

rng = np.random.RandomState(13)
f32 = np.float32
cases = []


def outs_of(r):
    r = list(r) if isinstance(r, (tuple, list)) else [r]
    return [jnp.asarray(o) for o in r]


def case(fn, args, options, call, grad=True):
    jargs = [jnp.asarray(a) if isinstance(a, np.ndarray) else a for a in args]
    outs = outs_of(call(*jargs))
    c = {"fn": fn, "args": [enc(a) if isinstance(a, np.ndarray) else a for a in args], "options": options,
         "outs": [enc(o) for o in outs]}
    diff = [i for i, a in enumerate(args) if isinstance(a, np.ndarray) and a.dtype == f32]
    if grad and diff:
        weights = [rng.uniform(-1, 1, np.shape(o)).astype(f32) for o in outs]

        def make_loss(ws):
            def loss(*xs):
                full = list(jargs)
                for i, x in zip(diff, xs):
                    full[i] = x
                os = outs_of(call(*full))
                return sum(jnp.sum(o * w) for o, w in zip(os, ws) if jnp.issubdtype(o.dtype, jnp.floating))
            return loss

        g = jax.grad(make_loss(weights), argnums=list(range(len(diff))))(*[jnp.asarray(args[i]) for i in diff])
        g64 = jax.grad(make_loss([np.asarray(w, np.float64) for w in weights]), argnums=list(range(len(diff))))(
            *[jnp.asarray(args[i], jnp.float64) for i in diff])
        c.update(weights=[enc(w) for w in weights], diff=diff, grad=[enc(x) for x in g], grad64=[enc(x) for x in g64])
    cases.append(c)


def r(*shape):
    return rng.randn(*shape).astype(f32)


def spd(n, batch=()):
    b = rng.randn(*batch, n, n)
    return (b @ np.swapaxes(b, -1, -2) + n * np.eye(n)).astype(f32)


# Special matrices built from vectors (batched, differentiable).
case("toeplitz", [r(4), r(3)], {}, sl.toeplitz)
case("toeplitz", [r(3)], {}, sl.toeplitz)
case("toeplitz", [r(2, 3), r(4)], {}, sl.toeplitz)
case("toeplitz", [np.array([1, 2, 3], np.int32)], {}, sl.toeplitz, grad=False)
case("toeplitz", [np.zeros(0, f32), r(3)], {}, sl.toeplitz, grad=False)
case("hankel", [r(3), r(4)], {}, sl.hankel)
case("hankel", [r(3)], {}, sl.hankel)
case("hankel", [r(2, 3), r(3)], {}, sl.hankel)
case("circulant", [r(4)], {}, sl.circulant)
case("circulant", [r(2, 3)], {}, sl.circulant)
case("leslie", [r(3), r(2)], {}, sl.leslie)
case("leslie", [r(2, 4), r(3)], {}, sl.leslie)
case("companion", [r(4) + np.array([3, 0, 0, 0], f32)], {}, sl.companion)
case("companion", [np.array([[1, -10, 31, -30], [2, 1, 0, 4]], np.int32)], {}, sl.companion, grad=False)
case("fiedler", [np.array([1, 4, 12, 45, 77], f32)], {}, sl.fiedler)
case("fiedler", [r(2, 3)], {}, sl.fiedler)
for n in [1, 2, 3, 4, 5, 6]:
    case("fiedlerCompanion", [r(n) + np.array([2] + [0] * (n - 1), f32)], {}, sl.fiedler_companion)
case("fiedlerCompanion", [r(2, 5) + 2], {}, sl.fiedler_companion)
for mode in ["full", "same", "valid"]:
    for (m, n) in [(3, 5), (5, 3), (4, 4)]:
        case("convolutionMatrix", [r(m), n, mode], {}, lambda a, n, mode: sl.convolution_matrix(a, n, mode))
case("convolutionMatrix", [r(2, 3), 4, "full"], {}, lambda a, n, mode: sl.convolution_matrix(a, n, mode))

# Fixed matrices.
for n in [0, 1, 4, 7]:
    case("hilbert", [n], {}, sl.hilbert)
for n in [1, 3, 6]:
    case("invhilbert", [n], {}, sl.invhilbert)
for kind in ["symmetric", "lower", "upper"]:
    case("pascal", [5, kind], {}, sl.pascal)
    case("invpascal", [5, kind], {}, sl.invpascal)
for n in [1, 2, 5]:
    case("helmert", [n], {}, sl.helmert)
    case("helmert", [n], {"full": True}, lambda n: sl.helmert(n, full=True))
for n in [1, 2, 8]:
    case("hadamard", [n], {}, sl.hadamard)
case("hadamard", [4], {"dtype": "float32"}, lambda n: sl.hadamard(n, dtype=jnp.float32))
for scale in [None, "sqrtn", "n"]:
    case("dft", [5], {"scale": scale}, lambda n, s=scale: sl.dft(n, scale=s))

# Decompositions and solvers in scipy's spelling.
a4 = spd(4)
for lower in [False, True]:
    case("cholesky", [a4 + np.triu(r(4, 4), 1) * 0.1], {"lower": lower}, lambda x, lo=lower: sl.cholesky(x, lower=lo))
case("cholesky", [spd(3, (2,))], {}, sl.cholesky)
case("det", [r(3, 3)], {}, sl.det)
case("inv", [r(3, 3) + 3 * np.eye(3, dtype=f32)], {}, sl.inv)
for shape in [(4, 4), (5, 3), (3, 5)]:
    case("lu", [r(*shape)], {}, sl.lu)
    case("lu", [r(*shape)], {"permuteL": True}, lambda x: sl.lu(x, permute_l=True))
for lower in [True, False]:
    case("eigh", [r(4, 4)], {"lower": lower}, lambda x, lo=lower: sl.eigh(x, lower=lo), grad=False)
case("eigh", [a4], {"eigvalsOnly": True}, lambda x: sl.eigh(x, eigvals_only=True))
case("svd", [r(4, 3)], {"computeUv": False}, lambda x: sl.svd(x, compute_uv=False))
case("svd", [r(3, 4)], {"fullMatrices": False}, lambda x: sl.svd(x, full_matrices=False), grad=False)
for assume in ["gen", "sym", "pos"]:
    for lower in [False, True]:
        case("solve", [a4 + np.triu(r(4, 4), 1) * 0.1, r(4)], {"assumeA": assume, "lower": lower},
             lambda x, y, aa=assume, lo=lower: sl.solve(x, y, assume_a=aa, lower=lo))
case("solve", [a4, r(4, 2)], {"assumeA": "pos"}, lambda x, y: sl.solve(x, y, assume_a="pos"))
case("solve", [spd(3, (2,)), r(2, 3)], {"assumeA": "pos"}, lambda x, y: sl.solve(x, y, assume_a="pos"))
for side in ["right", "left"]:
    for shape in [(3, 3), (4, 3), (3, 4)]:
        for method in ["qdwh", "svd"]:
            if method == "qdwh" and not ((shape[0] >= shape[1] and side == "right") or (shape[0] < shape[1] and side == "left")):
                continue  # JAX's qdwh refuses these shapes (jaxfx too)
            x = r(*shape)
            case("polar", [x], {"side": side, "method": method}, lambda x, s=side, m=method: sl.polar(x, side=s, method=m),
                 grad=(method == "svd" and shape[0] == shape[1]))

# scipy.stats functions.
ties = np.array([10, 20, 20, 5, 7, 20, 5], f32)
for method in ["average", "min", "max", "dense", "ordinal"]:
    case("rankdata", [ties], {"method": method}, lambda x, m=method: st.rankdata(x, m), grad=False)
    case("rankdata", [np.array([[3, 1, 3], [2, 2, 1]], f32)], {"method": method, "axis": 1},
         lambda x, m=method: st.rankdata(x, m, axis=1), grad=False)
case("rankdata", [np.array([[3, 1, 3], [2, 2, 1]], np.int32)], {}, st.rankdata, grad=False)
case("rankdata", [np.array([[3, 1, 3], [2, 2, 1]], f32)], {"axis": 0}, lambda x: st.rankdata(x, axis=0), grad=False)
case("rankdata", [np.array([[3, np.nan, 3], [2, 2, 1]], f32)], {"axis": 1}, lambda x: st.rankdata(x, axis=1), grad=False)
case("rankdata", [np.array([3, np.nan, 1], f32)], {}, st.rankdata, grad=False)
x34 = r(3, 4)
case("sem", [x34], {}, st.sem)
case("sem", [x34], {"axis": 1, "ddof": 0}, lambda x: st.sem(x, axis=1, ddof=0))
case("sem", [x34], {"axis": None}, lambda x: st.sem(x, axis=None))
case("sem", [x34], {"axis": 1, "keepdims": True}, lambda x: st.sem(x, axis=1, keepdims=True))
case("sem", [np.array([[1, np.nan, 3], [4, 5, 6]], f32)], {"axis": 1, "nanPolicy": "omit"},
     lambda x: st.sem(x, axis=1, nan_policy="omit"), grad=False)
m = np.array([[3, 1, 3, 2], [1, 1, 2, 2], [3, 2, 3, 2]], f32)
case("mode", [m], {}, st.mode, grad=False)
case("mode", [m], {"axis": 1}, lambda x: st.mode(x, axis=1), grad=False)
case("mode", [m], {"axis": None}, lambda x: st.mode(x, axis=None), grad=False)
case("mode", [m], {"axis": 1, "keepdims": True}, lambda x: st.mode(x, axis=1, keepdims=True), grad=False)
case("mode", [np.array([np.nan, 1, np.nan, 2], f32)], {}, st.mode, grad=False)
case("mode", [np.array([4, 1, 4, 1, 2], np.int32)], {}, st.mode, grad=False)
write("scipy_extra_13", cases)
