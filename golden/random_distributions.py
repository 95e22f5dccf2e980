"""Golden samples of jax.random's distributions from real JAX, in both threefry modes.

Each case: {"fn": jaxfx name, "args": [positional parameters after the key: numbers or encoded
arrays], "shape": the shape argument (or null), "dtype": the dtype argument (or null), "seed",
"partitionable": jax_threefry_partitionable, "out": JAX's sample}. "shape"/"dtype" are passed by
keyword; the jaxfx test calls the camelCase function with the same positional parameters.
Gradient cases have "grad": true and "out" the gradient of sum(sample * weights) with respect to
the array parameters ("weights" an encoded array of the sample's shape, "wrt" their indices).
The float64 cases run with jax_enable_x64. Run: /work/venv/bin/python golden/random_distributions.py
"""
import jax
import jax.numpy as jnp
import numpy as np

from common import enc, write

jax.config.update("jax_platforms", "cpu")
R = jax.random


def arr(values, dtype="float32"):
    return np.asarray(values, dtype=dtype)


def call(fn, key, args, shape, dtype):
    kw = {}
    if shape is not None:
        kw["shape"] = tuple(shape)
    if dtype is not None:
        kw["dtype"] = dtype
    f = getattr(R, fn)
    if fn == "multinomial":
        return f(key, *args, **kw)
    if fn == "orthogonal":
        n, m = args
        return f(key, n, kw.get("shape", ()), kw.get("dtype"), m)
    if fn == "ball":
        d, p = args
        return f(key, d, p, kw.get("shape", ()), kw.get("dtype"))
    return f(key, *[jnp.asarray(a) if isinstance(a, np.ndarray) else a for a in args], **kw)


CAMEL = {"weibull_min": "weibullMin", "double_sided_maxwell": "doubleSidedMaxwell", "generalized_normal": "generalizedNormal"}

# (jax name, args, shape, dtype)
SPECS = [
    ("gamma", [arr([0.1, 0.5, 1.0, 2.5, 7.0, 30.0])], None, None),
    ("gamma", [2.0], [3, 4], None),
    ("gamma", [arr([[0.3], [3.0]])], [2, 3], None),
    ("gamma", [arr([0.2, 1.0, 4.0], "float64")], None, "float64"),
    ("loggamma", [arr([0.01, 0.1, 0.5, 1.0, 5.0])], None, None),
    ("loggamma", [0.05], [6], "float64"),
    ("beta", [arr([0.5, 2.0, 5.0]), arr([[1.0], [3.0]])], None, None),
    ("beta", [0.3, 0.7], [5], None),
    ("beta", [2.0, 3.0], [4], "float64"),
    ("dirichlet", [arr([0.5, 1.0, 2.0, 4.0])], None, None),
    ("dirichlet", [arr([[1.0, 1.0, 1.0], [0.1, 0.2, 0.3]])], [4, 2], None),
    ("dirichlet", [arr([1.5, 2.5])], [3], "float64"),
    ("poisson", [arr([0.0, 0.5, 3.0, 9.5, 10.0, 25.0, 400.0])], None, None),
    ("poisson", [4.0], [3, 5], None),
    ("poisson", [50.0], [8], None),
    ("binomial", [10.0, arr([0.0, 0.1, 0.5, 0.9, 1.0])], None, None),
    ("binomial", [arr([5.0, 40.0, 200.0]), 0.3], None, None),
    ("binomial", [100.0, 0.7], [6], None),
    ("binomial", [30.0, 0.4], [4], "float64"),
    ("multinomial", [20.0, arr([0.2, 0.3, 0.5])], None, None),
    ("multinomial", [arr([10.0, 100.0]), arr([[0.1, 0.6, 0.3], [0.25, 0.25, 0.5]])], None, None),
    ("cauchy", [], [5], None),
    ("cauchy", [], [3], "float64"),
    ("t", [arr([1.0, 3.0, 10.0])], None, None),
    ("t", [4.0], [2, 3], "float64"),
    ("chisquare", [arr([0.5, 2.0, 9.0])], None, None),
    ("chisquare", [3.0], [4], "float64"),
    ("f", [arr([2.0, 5.0]), arr([3.0, 10.0])], None, None),
    ("f", [4.0, 6.0], [3], "float64"),
    ("lognormal", [arr([0.5, 1.0, 2.0])], None, None),
    ("lognormal", [1.0], [4], "float64"),
    ("pareto", [arr([1.0, 3.0, 0.5])], None, None),
    ("pareto", [2.0], [4], "float64"),
    ("weibull_min", [arr([1.0, 2.0]), 1.5], [2], None),
    ("weibull_min", [2.0, arr([0.5, 3.0])], [3, 2], "float64"),
    ("rayleigh", [arr([0.5, 1.0, 4.0])], None, None),
    ("rayleigh", [2.0], [3], "float64"),
    ("maxwell", [], [2, 3], None),
    ("maxwell", [], [3], "float64"),
    ("double_sided_maxwell", [0.5, 2.0], [4], None),
    ("double_sided_maxwell", [arr([0.0, 1.0]), 1.0], [3], None),
    ("double_sided_maxwell", [1.0, 3.0], [3], "float64"),
    ("generalized_normal", [1.5], [5], None),
    ("generalized_normal", [0.7], [4], "float64"),
    ("generalized_normal", [3.0], [2, 2], None),
    ("ball", [3, 2], [4], None),
    ("ball", [2, 1.5], [3], "float64"),
    ("triangular", [arr([0.0, -1.0]), 0.5, arr([1.0, 4.0])], None, None),
    ("triangular", [0.0, 2.0, 3.0], [5], "float64"),
    ("wald", [arr([0.5, 1.0, 3.0])], None, None),
    ("wald", [2.0], [4], "float64"),
    ("geometric", [arr([0.05, 0.3, 0.9])], None, None),
    ("geometric", [0.5], [6], None),
    ("rademacher", [], [8], None),
    ("rademacher", [], [4], "float32"),
    ("orthogonal", [3, 3], [], None),
    ("orthogonal", [2, 4], [2], None),
    ("orthogonal", [4, 2], [], "float64"),
]

# gradient cases: (jax name, args, shape, indices of the differentiated args)
GRADS = [
    ("gamma", [arr([0.3, 1.0, 2.5, 8.0])], None, [0]),
    ("loggamma", [arr([0.05, 0.5, 3.0])], None, [0]),
    ("beta", [arr([0.5, 2.0, 5.0]), arr([1.5, 1.5, 0.7])], None, [0, 1]),
    ("dirichlet", [arr([0.5, 1.0, 3.0])], None, [0]),
]

cases = []
for partitionable in (True, False):
    jax.config.update("jax_threefry_partitionable", partitionable)
    for fn, args, shape, dtype in SPECS:
        x64 = dtype == "float64"
        jax.config.update("jax_enable_x64", x64)
        for seed in (0, 7, 1234):
            out = call(fn, R.key(seed), args, shape, dtype)
            cases.append({"fn": CAMEL.get(fn, fn), "args": [enc(a) if isinstance(a, np.ndarray) else a for a in args],
                          "shape": shape, "dtype": dtype, "seed": seed, "partitionable": partitionable, "out": enc(out)})
        jax.config.update("jax_enable_x64", False)
    for fn, args, shape, wrt in GRADS:
        for seed in (0, 5):
            key = R.key(seed)
            sample = call(fn, key, args, shape, None)
            weights = np.linspace(0.5, 2.0, sample.size, dtype=np.float32).reshape(sample.shape)

            def loss(*ps):
                full = list(args)
                for i, p in zip(wrt, ps):
                    full[i] = p
                return jnp.sum(call(fn, key, full, shape, None) * weights)

            gs = jax.grad(loss, argnums=tuple(range(len(wrt))))(*[jnp.asarray(args[i]) for i in wrt])
            cases.append({"fn": fn, "grad": True, "args": [enc(a) if isinstance(a, np.ndarray) else a for a in args],
                          "shape": shape, "dtype": None, "seed": seed, "partitionable": partitionable, "wrt": wrt,
                          "weights": enc(weights), "out": [enc(g) for g in gs]})

write("random_distributions", cases)
