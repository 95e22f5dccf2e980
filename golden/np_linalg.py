"""Golden values for jaxfx's np.linalg, from real JAX (CPU, float32).

Each case: {"fn" (jaxfx's name), "args": [arrays or JSON values], "options" (jaxfx's camelCase
options), "outs": JAX's outputs (a list), and for differentiable ones "grad": jax.grad of
sum_i sum(out_i * W_i) with respect to the float array arguments, with "weights" W_i, and
"grad64" the same gradient in float64 at the same inputs (to tell rounding from errors)}.
Run: /path/to/venv/bin/python golden/np_linalg.py
"""
import jax

jax.config.update("jax_enable_x64", True)

import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402

from common import enc, write  # noqa: E402

rng = np.random.RandomState(1)
f32 = np.float32
inf = np.inf
cases = []


def js(v):
    if isinstance(v, float) and np.isinf(v):
        return "inf" if v > 0 else "-inf"
    return v


def case(fn, args, options, call, grad=True):
    outs = call(*[jnp.asarray(a) if isinstance(a, np.ndarray) else a for a in args])
    outs = list(outs) if isinstance(outs, (tuple, list)) else [outs]
    c = {"fn": fn, "args": [enc(a) if isinstance(a, np.ndarray) else [enc(x) for x in a] if isinstance(a, list) else a for a in args],
         "options": {k: js(v) for k, v in options.items()}, "outs": [enc(o) for o in outs]}
    if grad:
        diff = [i for i, a in enumerate(args) if isinstance(a, np.ndarray) and a.dtype == f32]
        weights = [rng.uniform(-1, 1, np.shape(o)).astype(f32) for o in outs]

        def make_loss(ws, dtype):
            def loss(*xs):
                full = list(args)
                for i, x in zip(diff, xs):
                    full[i] = x
                os = call(*[jnp.asarray(a) if isinstance(a, np.ndarray) else a for a in full])
                os = list(os) if isinstance(os, (tuple, list)) else [os]
                return sum(jnp.sum(o * w) for o, w in zip(os, ws) if jnp.issubdtype(o.dtype, jnp.floating))
            return loss

        g = jax.grad(make_loss(weights, f32), argnums=list(range(len(diff))))(*[jnp.asarray(args[i]) for i in diff])
        w64 = [np.asarray(w, np.float64) for w in weights]
        g64 = jax.grad(make_loss(w64, np.float64), argnums=list(range(len(diff))))(
            *[jnp.asarray(args[i], jnp.float64) for i in diff])
        c.update(weights=[enc(w) for w in weights], diff=diff, grad=[enc(x) for x in g], grad64=[enc(x) for x in g64])
    cases.append(c)


def well(n, batch=()):
    return (rng.randn(*batch, n, n) + 2 * np.sqrt(n) * np.eye(n)).astype(f32)


v = rng.randn(5).astype(f32)
m = rng.randn(3, 4).astype(f32)
t = rng.randn(2, 3, 4).astype(f32)
# --- norms
for ord_ in [None, 2, 1, inf, -inf, 0, 3, 0.5, -1]:
    case("norm", [v], {"ord": ord_}, lambda x, o=ord_: jnp.linalg.norm(x, ord=o), grad=ord_ not in (0, -inf, inf, -1, 0.5))
for ord_ in [None, "fro", "nuc", 1, -1, 2, -2, inf, -inf]:
    case("norm", [m], {"ord": ord_}, lambda x, o=ord_: jnp.linalg.norm(x, ord=o), grad=ord_ in (None, "fro", "nuc", 2, -2))
case("norm", [t], {}, lambda x: jnp.linalg.norm(x))
case("norm", [t], {"axis": 1}, lambda x: jnp.linalg.norm(x, axis=1))
case("norm", [t], {"axis": [2, 0], "ord": 1, "keepdims": True}, lambda x: jnp.linalg.norm(x, axis=(2, 0), ord=1, keepdims=True), grad=False)
case("norm", [t], {"axis": [0, 2], "ord": inf}, lambda x: jnp.linalg.norm(x, axis=(0, 2), ord=inf), grad=False)
case("norm", [t], {"axis": [1, 2], "ord": "nuc", "keepdims": True}, lambda x: jnp.linalg.norm(x, axis=(1, 2), ord="nuc", keepdims=True))
case("norm", [t], {"axis": [-1, -2], "ord": 2}, lambda x: jnp.linalg.norm(x, axis=(-1, -2), ord=2))
case("norm", [t], {"axis": -1, "ord": 3, "keepdims": True}, lambda x: jnp.linalg.norm(x, axis=-1, ord=3, keepdims=True))
case("vectorNorm", [t], {}, lambda x: jnp.linalg.vector_norm(x))
case("vectorNorm", [t], {"axis": [0, 1], "ord": 1, "keepdims": True}, lambda x: jnp.linalg.vector_norm(x, axis=(0, 1), ord=1, keepdims=True))
case("matrixNorm", [t], {}, lambda x: jnp.linalg.matrix_norm(x))
case("matrixNorm", [t], {"ord": -inf, "keepdims": True}, lambda x: jnp.linalg.matrix_norm(x, ord=-inf, keepdims=True), grad=False)
case("matrixNorm", [t], {"ord": 2}, lambda x: jnp.linalg.matrix_norm(x, ord=2))

# --- solvers
for a in [well(3), well(4, (2,)), well(1), well(6), np.array([[1e-3, 1], [1, 1]], f32)]:
    case("inv", [a], {}, lambda x: jnp.linalg.inv(x))
    case("det", [a], {}, lambda x: jnp.linalg.det(x))
    case("slogdet", [a], {}, lambda x: jnp.linalg.slogdet(x))
case("det", [well(5, (3,))], {}, lambda x: jnp.linalg.det(x))
sing = np.array([[1, 2, 3], [2, 4, 6], [1, 0, 1]], f32)
sing4 = np.array([[1, 2, 3, 4], [2, 4, 6, 8], [1, 0, 1, 0], [0, 1, 1, 2]], f32)
case("det", [sing4], {}, lambda x: jnp.linalg.det(x), grad=False)
case("slogdet", [sing4], {}, lambda x: jnp.linalg.slogdet(x), grad=False)
case("det", [sing], {}, lambda x: jnp.linalg.det(x))
neg = np.array([[0, 1, 0, 0], [1, 0, 0, 0], [0, 0, 2, 0], [0, 0, 0, -3]], f32)
case("slogdet", [neg], {}, lambda x: jnp.linalg.slogdet(x))
a4 = well(4)
case("solve", [a4, rng.randn(4).astype(f32)], {}, lambda x, y: jnp.linalg.solve(x, y))
case("solve", [a4, rng.randn(4, 2).astype(f32)], {}, lambda x, y: jnp.linalg.solve(x, y))
case("solve", [well(3, (2,)), rng.randn(3).astype(f32)], {}, lambda x, y: jnp.linalg.solve(x, y))
case("solve", [well(3), rng.randn(5, 3, 2).astype(f32)], {}, lambda x, y: jnp.linalg.solve(x, y))
case("solve", [well(3, (2, 1)), rng.randn(4, 3, 1).astype(f32)], {}, lambda x, y: jnp.linalg.solve(x, y))
tall = rng.randn(5, 3).astype(f32)
case("lstsq", [tall, rng.randn(5).astype(f32)], {}, lambda x, y: jnp.linalg.lstsq(x, y))
case("lstsq", [tall, rng.randn(5, 2).astype(f32)], {}, lambda x, y: jnp.linalg.lstsq(x, y))
case("lstsq", [rng.randn(2, 4).astype(f32), rng.randn(2).astype(f32)], {}, lambda x, y: jnp.linalg.lstsq(x, y), grad=False)
rd = (rng.randn(4, 2) @ rng.randn(2, 3)).astype(f32)
case("lstsq", [rd, rng.randn(4).astype(f32)], {"rcond": 1e-4}, lambda x, y: jnp.linalg.lstsq(x, y, rcond=1e-4), grad=False)
for a in [tall, rng.randn(3, 5).astype(f32), well(3, (2,))]:
    case("pinv", [a], {}, lambda x: jnp.linalg.pinv(x))
case("pinv", [rd], {}, lambda x: jnp.linalg.pinv(x), grad=False)
case("pinv", [rd], {"rtol": 0.5}, lambda x: jnp.linalg.pinv(x, rtol=0.5), grad=False)
case("matrixRank", [rd], {}, lambda x: jnp.linalg.matrix_rank(x), grad=False)
case("matrixRank", [np.stack([rd[:3], np.eye(3, dtype=f32)])], {}, lambda x: jnp.linalg.matrix_rank(x), grad=False)
case("matrixRank", [rd], {"rtol": 100.0}, lambda x: jnp.linalg.matrix_rank(x, rtol=100.0), grad=False)
case("matrixRank", [v], {}, lambda x: jnp.linalg.matrix_rank(x), grad=False)
for p in [0, 1, 2, 3, 5, -1, -2]:
    case("matrixPower", [(well(3) / 3).astype(f32), p], {}, lambda x, p: jnp.linalg.matrix_power(x, p))
for p in [None, 2, -2, 1, -1, inf, -inf, "fro", "nuc"]:
    case("cond", [well(3, (2,)), js(p)], {}, lambda x, p, pp=p: jnp.linalg.cond(x, pp), grad=p in (None, 2, -2, "fro"))
case("cond", [sing, None], {}, lambda x, p: jnp.linalg.cond(x, 1), grad=False)
ts_a = rng.randn(2, 3, 6).astype(f32) + np.eye(6, dtype=f32).reshape(2, 3, 6) * 3
case("tensorsolve", [ts_a, rng.randn(2, 3).astype(f32)], {}, lambda x, y: jnp.linalg.tensorsolve(x, y))
ts_b = np.moveaxis(ts_a, 2, 0).copy()
case("tensorsolve", [ts_b, rng.randn(2, 3).astype(f32)], {"axes": [0]}, lambda x, y: jnp.linalg.tensorsolve(x, y, axes=(0,)))
case("tensorinv", [ts_a], {}, lambda x: jnp.linalg.tensorinv(x))
case("tensorinv", [np.moveaxis(ts_a, 2, 0).copy()], {"ind": 1}, lambda x: jnp.linalg.tensorinv(x, ind=1))

# --- decompositions (unique parts)
s4 = well(4)
spd4 = (s4 @ s4.T).astype(f32)
case("cholesky", [spd4], {"upper": True}, lambda x: jnp.linalg.cholesky(x, upper=True))
for mode in ["reduced", "complete", "r"]:
    case("qr", [tall], {"mode": mode}, lambda x, mo=mode: jnp.linalg.qr(x, mode=mo), grad=mode != "complete")
case("svdvals", [t], {}, lambda x: jnp.linalg.svdvals(x))
sym = (t[0].T @ t[0]).astype(f32)
case("eigvalsh", [sym], {}, lambda x: jnp.linalg.eigvalsh(x))
case("eigvalsh", [rng.randn(3, 3).astype(f32)], {"UPLO": "U"}, lambda x: jnp.linalg.eigvalsh(x, UPLO="U"))

# --- products
case("multiDot", [[rng.randn(4).astype(f32), rng.randn(4, 3).astype(f32), rng.randn(3, 5).astype(f32), rng.randn(5).astype(f32)]], {},
     lambda xs: jnp.linalg.multi_dot([jnp.asarray(x) for x in xs]), grad=False)
case("cross", [rng.randn(2, 3).astype(f32), rng.randn(3).astype(f32)], {}, lambda x, y: jnp.linalg.cross(x, y))
case("cross", [rng.randn(3, 2).astype(f32), rng.randn(3, 2).astype(f32)], {"axis": 0}, lambda x, y: jnp.linalg.cross(x, y, axis=0))
case("vecdot", [t, rng.randn(4).astype(f32)], {}, lambda x, y: jnp.linalg.vecdot(x, y))
case("vecdot", [t, rng.randn(2, 1, 1).astype(f32)], {"axis": 0}, lambda x, y: jnp.linalg.vecdot(x, y, axis=0))
for off in [0, 1, -2, 5]:
    case("diagonal", [t], {"offset": off}, lambda x, o=off: jnp.linalg.diagonal(x, offset=o))
    case("trace", [t], {"offset": off}, lambda x, o=off: jnp.linalg.trace(x, offset=o))
case("outer", [v, v[:3]], {}, lambda x, y: jnp.linalg.outer(x, y))
case("tensordot", [t, rng.randn(4, 3, 2).astype(f32)], {"axes": [[1, 2], [1, 0]]}, lambda x, y: jnp.linalg.tensordot(x, y, axes=([1, 2], [1, 0])), grad=False)
case("tensordot", [t, rng.randn(3, 4, 2).astype(f32)], {}, lambda x, y: jnp.linalg.tensordot(x, y), grad=False)
case("matrixTranspose", [t], {}, lambda x: jnp.linalg.matrix_transpose(x), grad=False)

write("np_linalg", cases)
