"""Golden values for jaxfx's scipy.linalg, from real JAX (CPU, float32), in the format of
np_linalg.py: {"fn", "args", "options", "outs", and for differentiable cases "weights", "diff",
"grad", "grad64"}. Factor arguments (choSolve's [c, lower], luSolve's [lu, piv]) are stored as
lists. Run: /path/to/venv/bin/python golden/scipy_linalg.py
"""
import jax

jax.config.update("jax_enable_x64", True)

import jax.numpy as jnp  # noqa: E402
import jax.scipy.linalg as sl  # noqa: E402
import numpy as np  # noqa: E402

from common import enc, write  # noqa: E402

rng = np.random.RandomState(2)
f32 = np.float32
cases = []


def case(fn, args, options, call, grad=True, extra=None):
    outs = call(*[jnp.asarray(a) if isinstance(a, np.ndarray) else a for a in args])
    outs = list(outs) if isinstance(outs, (tuple, list)) else [outs]
    outs = [o for o in outs if not isinstance(o, bool)]
    c = {"fn": fn, "args": [enc(a) if isinstance(a, np.ndarray) else a for a in args], "options": options, "outs": [enc(o) for o in outs]}
    if extra:
        c.update(extra)
    if grad:
        diff = [i for i, a in enumerate(args) if isinstance(a, np.ndarray) and a.dtype == f32]
        weights = [rng.uniform(-1, 1, np.shape(o)).astype(f32) for o in outs]

        def make_loss(ws):
            def loss(*xs):
                full = list(args)
                for i, x in zip(diff, xs):
                    full[i] = x
                os = call(*[jnp.asarray(a) if isinstance(a, np.ndarray) else a for a in full])
                os = list(os) if isinstance(os, (tuple, list)) else [os]
                os = [o for o in os if not isinstance(o, bool)]
                return sum(jnp.sum(o * w) for o, w in zip(os, ws) if jnp.issubdtype(o.dtype, jnp.floating))
            return loss

        g = jax.grad(make_loss(weights), argnums=list(range(len(diff))))(*[jnp.asarray(args[i]) for i in diff])
        g64 = jax.grad(make_loss([np.asarray(w, np.float64) for w in weights]), argnums=list(range(len(diff))))(
            *[jnp.asarray(args[i], jnp.float64) for i in diff])
        c.update(weights=[enc(w) for w in weights], diff=diff, grad=[enc(x) for x in g], grad64=[enc(x) for x in g64])
    cases.append(c)


def well(n, batch=()):
    return (rng.randn(*batch, n, n) + 2 * np.sqrt(n) * np.eye(n)).astype(f32)


a = well(4)
for trans in [0, 1, 2, "N", "T"]:
    for lower in [True, False]:
        case("solveTriangular", [a, rng.randn(4, 2).astype(f32)], {"trans": trans, "lower": lower},
             lambda x, y, t=trans, lo=lower: sl.solve_triangular(x, y, trans=t, lower=lo))
case("solveTriangular", [a, rng.randn(4).astype(f32)], {"lower": True, "unitDiagonal": True},
     lambda x, y: sl.solve_triangular(x, y, lower=True, unit_diagonal=True))
case("solveTriangular", [well(3, (2,)), rng.randn(2, 3, 2).astype(f32)], {}, lambda x, y: sl.solve_triangular(x, y))
spd = (a @ a.T).astype(f32)
for lower in [True, False]:
    case("choFactor", [spd], {"lower": lower}, lambda x, lo=lower: sl.cho_factor(x, lower=lo))
    case("choSolve", [spd, rng.randn(4, 3).astype(f32)], {"lower": lower},
         lambda x, y, lo=lower: sl.cho_solve(sl.cho_factor(x, lower=lo), y))
case("choSolve", [spd, rng.randn(4).astype(f32)], {"lower": False}, lambda x, y: sl.cho_solve(sl.cho_factor(x), y))
g = rng.randn(4, 4).astype(f32)
case("luFactor", [g], {}, lambda x: sl.lu_factor(x))
for trans in [0, 1]:
    case("luSolve", [g, rng.randn(4, 2).astype(f32)], {"trans": trans}, lambda x, y, t=trans: sl.lu_solve(sl.lu_factor(x), y, trans=t))
case("luSolve", [g, rng.randn(4).astype(f32)], {}, lambda x, y: sl.lu_solve(sl.lu_factor(x), y))
for m in [rng.randn(3, 3).astype(f32) * 0.1, rng.randn(3, 3).astype(f32), rng.randn(4, 4).astype(f32) * 5,
          np.zeros((2, 2), f32), np.array([[0, 1], [0, 0]], f32), rng.randn(2, 3, 3).astype(f32),
          np.array([[1, 1e3], [0, 2]], f32)]:
    case("expm", [m], {}, lambda x: sl.expm(x), grad=m.ndim == 2 and np.abs(m).max() < 10)
case("blockDiag", [[np.array([[1, 2]], f32), np.array([[3.0]], f32), np.array([4, 5], f32), np.ones((2, 2), f32)]], {},
     lambda xs: sl.block_diag(*[jnp.asarray(x) for x in xs]), grad=False)
cases[-1]["args"] = [[enc(x) for x in [np.array([[1, 2]], f32), np.array([[3.0]], f32), np.array([4, 5], f32), np.ones((2, 2), f32)]]]

write("scipy_linalg", cases)
