"""Golden values for jaxfx's jax.nn functions (activations, standardize, logmeanexp, logsumexp,
glu, dot_product_attention), from real JAX in float32.

Each case: {"fn": jaxfx name, "args": [arrays], "options": {...} (jaxfx's camelCase options; arrays
encoded like args), "out": JAX's result (an array or a list of arrays), and, where "argnums" is
given, "cotangent" w and "grad": JAX's gradients of sum(f(...) * w) with respect to those
arguments}. Elementwise functions also carry "elementGrad": jax.vmap(jax.grad(f)) at every input,
kinks and edges included (JAX's derivative conventions at 0, 1, 6, ...).
Run: /work/venv/bin/python golden/nn_functions.py
"""
import jax
import jax.numpy as jnp
import numpy as np

from common import enc, write

jax.config.update("jax_platforms", "cpu")

rng = np.random.RandomState(0)
f32 = np.float32
inf, nan = np.inf, np.nan
cases = []


def normal(*shape):
    return rng.normal(size=shape).astype(f32)


def case(fn, jax_fn, args, options=None, argnums=(), enc_options=None):
    out = jax_fn(*args)
    c = {"fn": fn, "args": [enc(a) for a in args], "options": enc_options if enc_options is not None else (options or {})}
    c["out"] = [enc(o) for o in out] if isinstance(out, tuple) else enc(out)
    if argnums:
        o0 = out[0] if isinstance(out, tuple) else out
        w = rng.normal(size=np.shape(o0)).astype(f32)

        def total(*xs):
            o = jax_fn(*xs)
            return jnp.sum((o[0] if isinstance(o, tuple) else o) * w)

        g = jax.grad(total, argnums=tuple(argnums))(*args)
        c["argnums"] = list(argnums)
        c["cotangent"] = enc(w)
        c["grad"] = [enc(x) for x in g]
    cases.append(c)


# ---------------------------------------------------------------------------------------------
# Elementwise activations: values and derivatives on a grid with the kinks of every function

grid = np.array([-30, -7, -3.5, -3, -2.999, -1.5, -1, -0.999, -0.5, -1e-3, -0.0, 0, 1e-3, 0.5, 0.999, 1, 1.001, 1.5,
                 2.999, 3, 3.001, 5.9, 6, 6.1, 10, 30, 100], dtype=f32)
edges = np.array([nan, inf, -inf], dtype=f32)
positive = np.array([1e-6, 1e-3, 0.1, 0.5, 0.6931472, 0.7, 1, 2, 5, 10, 20, 50, 100], dtype=f32)

ELEMENTWISE = [
    ("celu", jax.nn.celu, {}),
    ("celu", lambda x: jax.nn.celu(x, 0.5), {"alpha": 0.5}),
    ("mish", jax.nn.mish, {}),
    ("softSign", jax.nn.soft_sign, {}),
    ("squareplus", jax.nn.squareplus, {}),
    ("squareplus", lambda x: jax.nn.squareplus(x, 1.0), {"b": 1}),
    ("hardTanh", jax.nn.hard_tanh, {}),
    ("hardSigmoid", jax.nn.hard_sigmoid, {}),
    ("hardSilu", jax.nn.hard_silu, {}),
    ("hardSwish", jax.nn.hard_swish, {}),
    ("sparsePlus", jax.nn.sparse_plus, {}),
    ("sparseSigmoid", jax.nn.sparse_sigmoid, {}),
    ("relu6", jax.nn.relu6, {}),
    ("relu", jax.nn.relu, {}),
    ("gelu", lambda x: jax.nn.gelu(x, approximate=False), {"approximate": False}),
    ("gelu", jax.nn.gelu, {}),
    ("silu", jax.nn.silu, {}),
    ("identity", jax.nn.identity, {}),
    ("tanh", jax.nn.tanh, {}),
    ("elu", jax.nn.elu, {}),
    ("selu", jax.nn.selu, {}),
    ("softplus", jax.nn.softplus, {}),
    ("sigmoid", jax.nn.sigmoid, {}),
    ("logSigmoid", jax.nn.log_sigmoid, {}),
]
for name, f, opts in ELEMENTWISE:
    x = np.concatenate([grid, edges])
    c = {"fn": name, "args": [enc(x)], "options": opts, "out": enc(f(x))}
    c["elementGrad"] = enc(jax.vmap(jax.grad(f))(grid))
    c["gradAt"] = enc(grid)
    cases.append(c)

x = np.concatenate([positive, np.array([0, -1, nan, inf], dtype=f32)])
cases.append({"fn": "log1mexp", "args": [enc(x)], "options": {}, "out": enc(jax.nn.log1mexp(x)),
              "elementGrad": enc(jax.vmap(jax.grad(jax.nn.log1mexp))(positive)), "gradAt": enc(positive)})

# ---------------------------------------------------------------------------------------------
# glu, logsumexp, logmeanexp, standardize

case("glu", jax.nn.glu, [normal(3, 6)], argnums=(0,))
case("glu", lambda x: jax.nn.glu(x, axis=0), [normal(4, 3)], {"axis": 0}, argnums=(0,))

a = normal(3, 4) * 3
mask = rng.uniform(size=(3, 4)) > 0.3
mask[1] = False
b = rng.uniform(-0.5, 2, size=(3, 4)).astype(f32)
case("logsumexp", jax.nn.logsumexp, [a], argnums=(0,))
case("logsumexp", lambda x: jax.nn.logsumexp(x, axis=1, keepdims=True), [a], {"axis": 1, "keepdims": True}, argnums=(0,))
case("logsumexp", lambda x: jax.nn.logsumexp(x, axis=1, b=b), [a], enc_options={"axis": 1, "b": enc(b)})
case("logsumexp", lambda x: jax.nn.logsumexp(x, axis=1, b=b, return_sign=True), [a],
     enc_options={"axis": 1, "b": enc(b), "returnSign": True})
case("logsumexp", lambda x: jax.nn.logsumexp(x, axis=0, where=mask), [a], enc_options={"axis": 0, "where": enc(mask)})

case("logmeanexp", jax.nn.logmeanexp, [a], argnums=(0,))
case("logmeanexp", lambda x: jax.nn.logmeanexp(x, axis=1), [a], {"axis": 1}, argnums=(0,))
case("logmeanexp", lambda x: jax.nn.logmeanexp(x, axis=0, keepdims=True), [a], {"axis": 0, "keepdims": True}, argnums=(0,))
case("logmeanexp", lambda x: jax.nn.logmeanexp(x, axis=0, where=mask), [a], enc_options={"axis": 0, "where": enc(mask)})

s = normal(2, 3, 5) * 2 + 1
smask = rng.uniform(size=(2, 3, 5)) > 0.25
smask[..., :3] = True  # at least 3 elements per row: with one, the fast variance is rounding noise
case("standardize", jax.nn.standardize, [s], argnums=(0,))
case("standardize", lambda x: jax.nn.standardize(x, axis=(0, 2)), [s], {"axis": [0, 2]}, argnums=(0,))
case("standardize", lambda x: jax.nn.standardize(x, axis=None), [s], {"axis": None}, argnums=(0,))
case("standardize", lambda x: jax.nn.standardize(x, algorithm="stable"), [s], {"algorithm": "stable"}, argnums=(0,))
case("standardize", lambda x: jax.nn.standardize(x, epsilon=0.5), [s], {"epsilon": 0.5}, argnums=(0,))
m_given = normal(2, 3, 1)
v_given = rng.uniform(0.5, 2, size=(2, 3, 1)).astype(f32)
case("standardize", lambda x, m, v: jax.nn.standardize(x, mean=m, variance=v), [s, m_given, v_given],
     argnums=(0, 1, 2), enc_options={})
case("standardize", lambda x: jax.nn.standardize(x, where=smask), [s], enc_options={"where": enc(smask)}, argnums=(0,))

# ---------------------------------------------------------------------------------------------
# dot_product_attention (implementation "xla"); gradients with respect to query, key, value (and bias)


def attention(name, q, k, v, argnums=(0, 1, 2), **kw):
    arrays = {key: val for key, val in kw.items() if isinstance(val, np.ndarray)}
    statics = {key: val for key, val in kw.items() if not isinstance(val, np.ndarray)}
    order = list(arrays)

    def f(q, k, v, *extra):
        return jax.nn.dot_product_attention(q, k, v, **dict(zip(order, extra)), **statics)

    camel = {"bias": "bias", "mask": "mask", "scale": "scale", "is_causal": "isCausal",
             "query_seq_lengths": "querySeqLengths", "key_value_seq_lengths": "keyValueSeqLengths",
             "local_window_size": "localWindowSize", "return_residual": "returnResidual"}
    opts = {camel[key]: (list(val) if isinstance(val, tuple) else val) for key, val in statics.items()}
    opts["arrayOptions"] = [camel[key] for key in order]
    case("dotProductAttention", f, [q, k, v, *[arrays[key] for key in order]], argnums=argnums, enc_options=opts)
    cases[-1]["label"] = name


B, T, S, N, H = 2, 4, 4, 4, 4
q, k, v = normal(B, T, N, H), normal(B, S, N, H), normal(B, S, N, H)
attention("plain", q, k, v)
attention("causal", q, k, v, is_causal=True)
kg, vg = normal(B, S, 2, H), normal(B, S, 2, H)
attention("grouped-query heads (N=4, K=2), causal", q, kg, vg, is_causal=True)
k1, v1 = normal(B, S, 1, H), normal(B, S, 1, H)
attention("multi-query (K=1)", q, k1, v1)
bias = normal(B, N, T, S)
attention("bias per head", q, k, v, (0, 1, 2, 3), bias=bias)
attention("bias broadcast over batch and heads, grouped", q, kg, vg, (0, 1, 2, 3), bias=normal(1, 1, T, S))
m = rng.uniform(size=(B, 1, T, S)) > 0.3
m[:, :, :, 0] = True
attention("mask broadcast over heads", q, k, v, mask=m)
attention("mask per head and bias, grouped", q, kg, vg, (0, 1, 2, 4), mask=rng.uniform(size=(B, N, T, S)) > 0.2,
          bias=normal(B, N, T, S))
attention("local window (1, 2)", q, k, v, local_window_size=(1, 2))
attention("local window 1, causal", q, k, v, local_window_size=1, is_causal=True)
attention("sequence lengths", q, k, v, query_seq_lengths=np.array([3, 4], np.int32),
          key_value_seq_lengths=np.array([4, 2], np.int32))
attention("key lengths only, causal", q, k, v, key_value_seq_lengths=np.array([2, 4], np.int32), is_causal=True)
attention("fully masked row (uniform attention)", q, k, v, mask=np.zeros((1, 1, T, S), bool) | (np.arange(T)[:, None] > 0))
qs, ks, vs = normal(B, 3, N, H), normal(B, 5, N, H), normal(B, 5, N, H)
attention("T=3 < S=5, causal", qs, ks, vs, is_causal=True)
attention("scale 0.5", q, k, v, scale=0.5)
attention("3-D inputs [T, N, H]", normal(T, N, H), normal(S, 2, H), normal(S, 2, H), is_causal=True)
attention("residual with masks", q, kg, vg, argnums=(0, 1, 2), is_causal=True,
          key_value_seq_lengths=np.array([3, 4], np.int32), return_residual=True)

write("nn_functions", cases)
