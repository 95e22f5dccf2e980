"""Golden values for jaxfx's Effect-layer layers (effects/layers), from real JAX in float32.

Haiku and Flax are not installed here, so each layer is written out in jax.numpy the way Haiku
computes it (hk.Linear, hk.LayerNorm, hk.RMSNorm, hk.GroupNorm, hk.BatchNorm's update rule as
jaxfx keeps it, hk.dropout, hk.Embed, hk.MultiHeadAttention with its einsums and -1e30 mask fill,
hk.nets.MLP), independently of jaxfx's code paths (e.g. attention by einsum, not
dot_product_attention).

Each case: {"layer": name, "options": jaxfx's options, "call": jaxfx call options, "inputs":
[arrays], "params": {path: array} (the record jaxfx's apply takes), "state" (BatchNorm), "out",
"newState" (BatchNorm), "cotangent" w and "grads": JAX's gradients of sum(out * w) with respect
to the params ({path: array}) and to the float inputs ("inputs": [array or null]).
Dropout cases give "seed": jaxfx's apply(params, random.key(seed), ...) hands the layer the
second half of random.split(key) (the Rng's first draw), so the mask here is drawn with that key.
Run: /work/venv/bin/python golden/nn_layers.py
"""
import jax
import jax.numpy as jnp
import numpy as np

from common import enc, write

jax.config.update("jax_platforms", "cpu")

rng = np.random.RandomState(0)
f32 = np.float32
cases = []


def normal(*shape, scale=1.0):
    return (rng.normal(size=shape) * scale).astype(f32)


def case(layer, fn, inputs, params, options=None, call=None, state=None, seed=None, float_inputs=None):
    """fn(params, *inputs) -> out, or (out, new_state) when state is given (fn(params, state, *inputs))."""
    float_inputs = float_inputs if float_inputs is not None else [np.issubdtype(np.asarray(a).dtype, np.floating) for a in inputs]
    run = (lambda p, *xs: fn(p, state, *xs)[0]) if state is not None else fn
    out = run(params, *inputs)
    w = rng.normal(size=np.shape(out)).astype(f32)
    fi = [i for i, f in enumerate(float_inputs) if f]

    def total(p, *fx):
        xs = list(inputs)
        for i, v in zip(fi, fx):
            xs[i] = v
        return jnp.sum(run(p, *xs) * w)

    grads = jax.grad(total, argnums=tuple(range(1 + len(fi))))(params, *[inputs[i] for i in fi])
    input_grads = [None] * len(inputs)
    for i, g in zip(fi, grads[1:]):
        input_grads[i] = enc(g)
    c = {"layer": layer, "options": options or {}, "call": call or {}, "inputs": [enc(a) for a in inputs],
         "params": {k: enc(v) for k, v in params.items()}, "out": enc(out), "cotangent": enc(w),
         "grads": {"params": {k: enc(v) for k, v in grads[0].items()}, "inputs": input_grads}}
    if state is not None:
        c["state"] = {k: enc(v) for k, v in state.items()}
        c["newState"] = {k: enc(v) for k, v in fn(params, state, *inputs)[1].items()}
    if seed is not None:
        c["seed"] = seed
    cases.append(c)


# hk.Linear: jnp.dot(x, w) + b
def linear(p, x, prefix="linear", bias=True):
    y = jnp.dot(x, p[f"{prefix}/w"])
    return y + p[f"{prefix}/b"] if bias else y


case("Linear", linear, [normal(3, 4)], {"linear/w": normal(4, 5), "linear/b": normal(5)}, {"outputSize": 5})
case("Linear", lambda p, x: linear(p, x, "dense", False), [normal(2, 3, 4)], {"dense/w": normal(4, 2)},
     {"outputSize": 2, "withBias": False, "name": "dense"})
case("Linear", linear, [normal(4)], {"linear/w": normal(4, 3), "linear/b": normal(3)}, {"outputSize": 3})


# hk.LayerNorm: inv = scale * rsqrt(var + eps); inv * (x - mean) + offset
def layer_norm(axis=-1, eps=1e-5, scale=True, offset=True, fast=False, prefix="layer_norm"):
    def f(p, x):
        mean = jnp.mean(x, axis=axis, keepdims=True)
        var = (jnp.mean(jnp.square(x), axis=axis, keepdims=True) - jnp.square(mean)) if fast else jnp.var(x, axis=axis, keepdims=True)
        inv = jax.lax.rsqrt(var + jnp.float32(eps))
        if scale:
            inv = p[f"{prefix}/scale"] * inv
        out = inv * (x - mean)
        return out + p[f"{prefix}/offset"] if offset else out
    return f


case("LayerNorm", layer_norm(), [normal(3, 6, scale=3) + 2], {"layer_norm/scale": normal(6), "layer_norm/offset": normal(6)})
case("LayerNorm", layer_norm(axis=(1, 2), eps=1e-3), [normal(2, 3, 4)], {"layer_norm/scale": normal(4), "layer_norm/offset": normal(4)},
     {"axis": [1, 2], "eps": 1e-3})
case("LayerNorm", layer_norm(scale=False, fast=True, prefix="ln"), [normal(4, 5)], {"ln/offset": normal(5)},
     {"createScale": False, "useFastVariance": True, "name": "ln"})
case("LayerNorm", layer_norm(offset=False), [normal(2, 5)], {"layer_norm/scale": normal(5)}, {"createOffset": False})


# hk.RMSNorm: x * scale * rsqrt(mean(x^2) + eps)
def rms_norm(axis=-1, eps=1e-5, scale=True):
    def f(p, x):
        ms = jnp.mean(jnp.square(x), axis=axis, keepdims=True)
        s = p["rms_norm/scale"] if scale else 1.0
        return x * s * jax.lax.rsqrt(ms + jnp.float32(eps))
    return f


case("RMSNorm", rms_norm(), [normal(3, 6)], {"rms_norm/scale": normal(6)})
case("RMSNorm", rms_norm(axis=(0, 1), eps=1e-2, scale=False), [normal(2, 3, 4)], {}, {"axis": [0, 1], "eps": 1e-2, "createScale": False})


# hk.GroupNorm, channels last: [N, ..., G, C/G], statistics over all but N and G
def group_norm(groups, eps=1e-5):
    def f(p, x):
        c = x.shape[-1]
        g = x.reshape(x.shape[:-1] + (groups, c // groups))
        axes = tuple(range(1, x.ndim - 1)) + (x.ndim,)
        mean = jnp.mean(g, axes, keepdims=True)
        var = jnp.var(g, axes, keepdims=True)
        y = ((g - mean) * jax.lax.rsqrt(var + jnp.float32(eps))).reshape(x.shape)
        return y * p["group_norm/scale"] + p["group_norm/offset"]
    return f


case("GroupNorm", group_norm(3), [normal(2, 3, 3, 6)], {"group_norm/scale": normal(6), "group_norm/offset": normal(6)}, {"groups": 3})
case("GroupNorm", group_norm(2, 1e-3), [normal(3, 8)], {"group_norm/scale": normal(8), "group_norm/offset": normal(8)}, {"groups": 2, "eps": 1e-3})


# BatchNorm as jaxfx keeps it (Haiku's normalization; running averages as Flax's update rule)
def batch_norm(training, decay=0.9, eps=1e-5):
    def f(p, s, x):
        axes = tuple(range(x.ndim - 1))
        if training:
            mean, var = jnp.mean(x, axes), jnp.var(x, axes)
            new = {"batch_norm/mean": s["batch_norm/mean"] * decay + mean * (1 - decay),
                   "batch_norm/var": s["batch_norm/var"] * decay + var * (1 - decay)}
        else:
            mean, var, new = s["batch_norm/mean"], s["batch_norm/var"], s
        y = (x - mean) / jnp.sqrt(var + jnp.float32(eps))
        return y * p["batch_norm/scale"] + p["batch_norm/offset"], new
    return f


bn_params = {"batch_norm/scale": normal(4), "batch_norm/offset": normal(4)}
bn_state = {"batch_norm/mean": normal(4), "batch_norm/var": np.abs(normal(4)) + 0.5}
case("BatchNorm", batch_norm(True, 0.8), [normal(2, 3, 3, 4)], bn_params, {"decay": 0.8}, {"isTraining": True}, state=bn_state)
case("BatchNorm", batch_norm(False), [normal(5, 4)], bn_params, {}, {"isTraining": False}, state=bn_state)


# hk.dropout / nn.Dropout: keep ~ bernoulli(key, 1 - rate); select(keep, x / (1 - rate), 0)
def dropout(seed, rate, broadcast_dims=()):
    _, use = jax.random.split(jax.random.key(seed))

    def f(p, x):
        shape = list(x.shape)
        for d in broadcast_dims:
            shape[d] = 1
        keep = jnp.broadcast_to(jax.random.bernoulli(use, 1.0 - rate, shape), x.shape)
        return jax.lax.select(keep, x / (1.0 - rate), jnp.zeros_like(x))
    return f


case("Dropout", dropout(5, 0.3), [normal(4, 6)], {}, {"rate": 0.3}, {"isTraining": True}, seed=5)
case("Dropout", dropout(6, 0.5, (1,)), [normal(3, 4, 2)], {}, {"rate": 0.5, "broadcastDims": [1]}, {"isTraining": True}, seed=6)


# hk.Embed (embeddings[ids]: negative ids from the end, out of range clamped) and Flax's attend
def embed(p, ids):
    return jnp.asarray(p["embed/embeddings"])[ids]


table = normal(7, 3)
case("Embed", embed, [np.array([[0, 6, 2], [-1, 9, -9]], np.int32)], {"embed/embeddings": table}, {"vocabSize": 7, "embedDim": 3})
case("EmbedAttend", lambda p, h: h @ p["embed/embeddings"].T, [normal(2, 3)], {"embed/embeddings": table}, {"vocabSize": 7, "embedDim": 3})


# hk.MultiHeadAttention
def mha(num_heads, key_size, value_size=None, causal=False, bias=True, leading=1):
    value_size = value_size or key_size

    def proj(p, x, name, size):
        y = linear(p, x, f"multi_head_attention/{name}", bias)
        return y.reshape(x.shape[:-1] + (num_heads, size))

    def f(p, q, k, v, *mask):
        qh, kh, vh = proj(p, q, "query", key_size), proj(p, k, "key", key_size), proj(p, v, "value", value_size)
        logits = jnp.einsum("...thd,...Thd->...htT", qh, kh) / np.sqrt(key_size).astype(np.float32)
        m = mask[0] if mask else None
        if causal:
            tri = jnp.tril(jnp.ones((q.shape[-2], k.shape[-2]), bool))
            m = tri if m is None else jnp.logical_and(m, tri)
        if m is not None:
            logits = jnp.where(m, logits, -1e30)
        w = jax.nn.softmax(logits)
        attn = jnp.einsum("...htT,...Thd->...thd", w, vh)
        attn = attn.reshape(attn.shape[:-2] + (-1,))
        return linear(p, attn, "multi_head_attention/linear", bias)
    return f


def mha_params(d_in, num_heads, key_size, value_size, model_size, bias=True):
    p = {}
    for name, d_out in [("query", num_heads * key_size), ("key", num_heads * key_size), ("value", num_heads * value_size),
                        ("linear", model_size)]:
        fan_in = d_in if name != "linear" else num_heads * value_size
        p[f"multi_head_attention/{name}/w"] = normal(fan_in, d_out, scale=fan_in ** -0.5)
        if bias:
            p[f"multi_head_attention/{name}/b"] = normal(d_out, scale=0.1)
    return p


x_att = normal(2, 5, 6)
case("MultiHeadAttention", mha(2, 3), [x_att, x_att, x_att], mha_params(6, 2, 3, 3, 6), {"numHeads": 2, "keySize": 3})
case("MultiHeadAttention", mha(2, 3, causal=True), [x_att, x_att, x_att], mha_params(6, 2, 3, 3, 6), {"numHeads": 2, "keySize": 3},
     {"isCausal": True})
kv = normal(2, 3, 4, 6)
mask = rng.uniform(size=(2, 3, 1, 5, 4)) > 0.3
mask[..., 0] = True
case("MultiHeadAttention", mha(3, 2, value_size=4), [normal(2, 3, 5, 6), kv, kv, mask], mha_params(6, 3, 2, 4, 7),
     {"numHeads": 3, "keySize": 2, "valueSize": 4, "modelSize": 7}, {"mask": "inputs[3]"}, float_inputs=[True, True, True, False])
case("MultiHeadAttention", mha(2, 4, value_size=2, causal=True), [x_att, x_att, x_att], mha_params(6, 2, 4, 2, 5),
     {"numHeads": 2, "keySize": 4, "valueSize": 2, "modelSize": 5}, {"isCausal": True})
case("MultiHeadAttention", mha(1, 4, bias=False), [normal(4, 5), normal(3, 5), normal(3, 5)], mha_params(5, 1, 4, 4, 4, bias=False),
     {"numHeads": 1, "keySize": 4, "withBias": False})


# hk.nets.MLP: linear_i, activation between (not after the last unless activate_final)
def mlp(n, activation=jax.nn.relu, final=False):
    def f(p, x):
        for i in range(n):
            x = linear(p, x, f"mlp/linear_{i}")
            if i < n - 1 or final:
                x = activation(x)
        return x
    return f


case("MLP", mlp(3), [normal(4, 5)], {"mlp/linear_0/w": normal(5, 8), "mlp/linear_0/b": normal(8), "mlp/linear_1/w": normal(8, 6),
     "mlp/linear_1/b": normal(6), "mlp/linear_2/w": normal(6, 2), "mlp/linear_2/b": normal(2)}, {"outputSizes": [8, 6, 2]})
case("MLP", mlp(2, jnp.tanh, True), [normal(3, 4)], {"mlp/linear_0/w": normal(4, 3), "mlp/linear_0/b": normal(3),
     "mlp/linear_1/w": normal(3, 2), "mlp/linear_1/b": normal(2)}, {"outputSizes": [3, 2], "activation": "tanh", "activateFinal": True})

write("nn_layers", cases)
