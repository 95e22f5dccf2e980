"""lax.custom_root / lax.custom_linear_solve values and derivatives from real JAX. Read by
core/lax/implicit.golden.test.ts. Each case: {"id", "args", "out"} (golden/common.py collector);
the id names the call the test makes (the same solvers written in jaxfx).

Run: /work/venv/bin/python golden/lax_implicit.py
"""
import numpy as np
import jax
import jax.numpy as jnp
from jax import lax

from common import collector, write

jax.config.update("jax_enable_x64", False)
cases, case = collector()


def newton(f, x0):
    return lax.fori_loop(0, 30, lambda i, x: x - f(x) / (2 * x), x0)


def sqrt_root(a):
    # the root of x^2 - a, differentiated implicitly
    return lax.custom_root(lambda x: x * x - a, jnp.ones_like(a), newton, lambda g, y: y / g(jnp.ones_like(y)))


A = np.array([4.0, 2.0, 9.0], np.float32)
case("root value", jax.vmap(sqrt_root), A)
case("root grad", jax.vmap(jax.grad(sqrt_root)), A)
case("root jvp", lambda a: jax.jvp(sqrt_root, (a[0],), (jnp.float32(1.0),))[1], A)

M = np.array([[3.0, 1.0, 0.0], [1.0, 4.0, 1.0], [0.0, 1.0, 5.0]], np.float32)
N = np.array([[3.0, 1.0, 0.5], [0.0, 4.0, 1.0], [2.0, 1.0, 5.0]], np.float32)
B = np.array([1.0, -2.0, 0.5], np.float32)
W = np.array([1.0, 2.0, -1.0], np.float32)


def solve_sym(a, b):
    return lax.custom_linear_solve(lambda v: a @ v, b, lambda mv, r: jnp.linalg.solve(a, r), symmetric=True)


def solve_t(a, b):
    return lax.custom_linear_solve(lambda v: a @ v, b, lambda mv, r: jnp.linalg.solve(a, r),
                                   transpose_solve=lambda vm, r: jnp.linalg.solve(a.T, r))


case("solve symmetric", solve_sym, M, B)
case("solve symmetric grad", lambda a, b, w: jax.grad(lambda a, b: jnp.sum(solve_sym(a, b) * w), argnums=(0, 1))(a, b), M, B, W)
case("solve transpose grad", lambda a, b, w: jax.grad(lambda a, b: jnp.sum(solve_t(a, b) * w), argnums=(0, 1))(a, b), N, B, W)
case("solve jvp", lambda a, b: jax.jvp(lambda a, b: lax.custom_linear_solve(lambda v: a @ v, b, lambda mv, r: jnp.linalg.solve(a, r)),
                                       (a, b), (jnp.ones_like(a), jnp.asarray(W)))[1], N, B)

write("lax_implicit", cases)
