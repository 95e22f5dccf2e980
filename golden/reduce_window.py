"""Golden values for jaxfx's lax.reduceWindow (core/lax/reduce-window.ts) and np.correlate, from
real JAX in float32.

Each reduce_window case: {"name", "op": "sum" | "max" | "min" | "mul", "init", "x", "window",
"options" (jaxfx's option names: windowStrides, padding, baseDilation, windowDilation), "out",
"w" and "grad": JAX's gradient of sum(out * w) with respect to x (absent where JAX cannot
differentiate: the generic "mul" reducer, max/min with window dilation)}. Each correlate case: {"name", "a", "v", "mode",
"out", "w", "gradA", "gradV"}. Values are distinct within each window, so the max/min gradient
has one winner per window.
Run: /work/venv/bin/python golden/reduce_window.py
"""
import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from common import enc, write

jax.config.update("jax_platforms", "cpu")

rng = np.random.RandomState(1)
f32 = np.float32
cases = []
OPS = {"sum": (lax.add, 0.0), "max": (lax.max, -np.inf), "min": (lax.min, np.inf), "mul": (lax.mul, 1.0)}


def distinct(*shape):
    n = int(np.prod(shape))
    return (rng.permutation(n).astype(f32) / 4 - n / 8 + rng.uniform(0, 0.2, size=n).astype(f32)).reshape(shape).astype(f32)


def rw_case(name, op, shape, window, **opts):
    x = distinct(*shape)
    comp, init = OPS[op]
    pad = opts.get("padding", "VALID")
    f = lambda a: lax.reduce_window(a, f32(init), comp, tuple(window), tuple(opts.get("windowStrides", [1] * len(shape))),
                                    pad if isinstance(pad, str) else tuple(tuple(p) for p in pad),
                                    opts.get("baseDilation"), opts.get("windowDilation"))
    out = f(x)
    c = dict(name=name, op=op, init=init if np.isfinite(init) else ("inf" if init > 0 else "-inf"), x=enc(x), window=list(window),
             options={k: (v if isinstance(v, str) else [list(p) if isinstance(p, (list, tuple)) else p for p in v]) for k, v in opts.items()},
             out=enc(out))
    if op != "mul":
        w = rng.normal(size=out.shape).astype(f32)
        try:
            g = jax.grad(lambda a: jnp.sum(f(a) * w))(x)
            c["w"] = enc(w)
            c["grad"] = enc(g)
        except NotImplementedError:  # max/min with window dilation: JAX has no VJP
            pass
    cases.append(c)


rw_case("max pool 2x2 stride 2 (NHWC)", "max", (2, 4, 6, 3), (1, 2, 2, 1), windowStrides=[1, 2, 2, 1])
rw_case("max pool 3x3 stride 2 SAME", "max", (1, 7, 6, 2), (1, 3, 3, 1), windowStrides=[1, 2, 2, 1], padding="SAME")
rw_case("avg-pool sum 2x3 SAME_LOWER", "sum", (2, 5, 5, 1), (1, 2, 3, 1), padding="SAME_LOWER")
rw_case("sum with strides and explicit padding", "sum", (6, 5), (3, 2), windowStrides=[2, 1], padding=[[1, 2], [0, 1]])
rw_case("max with window dilation", "max", (9, 4), (3, 2), windowDilation=[2, 1], padding=[[1, 1], [0, 0]])
rw_case("sum with base dilation", "sum", (4, 3), (2, 2), baseDilation=[2, 1], padding=[[1, 0], [0, 1]])
rw_case("min with base and window dilation and strides", "min", (5, 6), (2, 3), baseDilation=[1, 2], windowDilation=[2, 1], windowStrides=[1, 2])
rw_case("1-D max SAME", "max", (11,), (4,), windowStrides=[3], padding="SAME")
rw_case("3-D sum VALID", "sum", (4, 5, 3), (2, 3, 2), windowStrides=[2, 1, 1])
rw_case("generic product reducer", "mul", (5, 4), (2, 2), windowStrides=[1, 2])

corr = []
for name, n, m, mode in [("valid", 7, 3, "valid"), ("same", 6, 4, "same"), ("full", 5, 3, "full"), ("swapped full", 3, 6, "full"), ("swapped same", 4, 7, "same")]:
    a = rng.normal(size=n).astype(f32)
    v = rng.normal(size=m).astype(f32)
    f = lambda a, v: jnp.correlate(a, v, mode=mode)
    out = f(a, v)
    w = rng.normal(size=out.shape).astype(f32)
    ga, gv = jax.grad(lambda a, v: jnp.sum(f(a, v) * w), argnums=(0, 1))(a, v)
    corr.append(dict(name=name, a=enc(a), v=enc(v), mode=mode, out=enc(out), w=enc(w), gradA=enc(ga), gradV=enc(gv)))

write("reduce_window", [dict(kind="reduceWindow", **c) for c in cases] + [dict(kind="correlate", **c) for c in corr])
