"""The reference column of `npm run bench` (issue 17): the same workloads in real JAX on this CPU.

    /work/venv/bin/python bench/jax_reference.py            # every row
    /work/venv/bin/python bench/jax_reference.py selu dot   # only rows whose name contains a word

Shapes, dtypes and programs follow the TypeScript benchmarks (bench/jit.ts, bench/foundation.ts,
bench/vmap.ts, bench/devices.ts); data are random (the values do not change the timings). Every
timed region ends with `block_until_ready()`; each workload is warmed up (compiled) first and the
figure is the median wall-clock time of several runs. XLA's CPU client uses every core it sees
(the thread count is printed), so run it right after `npm run bench` on an idle machine and note
the load average (printed too).
"""

import os
import statistics
import sys
import time

import jax
import jax.numpy as jnp
import numpy as np


def median_ms(fn, reps=15, warmup=3, budget_s=3.0):
    """Median wall-clock milliseconds of `fn()` (which must block until its result is ready)."""
    for _ in range(warmup):
        fn()
    ts = []
    start = time.perf_counter()
    while len(ts) < reps or (time.perf_counter() - start < budget_s and len(ts) < 200):
        t0 = time.perf_counter()
        fn()
        ts.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(ts)


def dot_1e7():
    a = jnp.arange(10_000_000, dtype=jnp.float32) * 1e-7
    f = jax.jit(jnp.dot)
    return [("dot 1e7 f32", "JAX ms", median_ms(lambda: f(a, a).block_until_ready()))]


def selu_1e6():
    alpha, lmbda = 1.67, 1.05
    x = jnp.asarray(np.arange(1_000_000, dtype=np.float32) * np.float32(1e-5) - np.float32(5))

    def selu(x):
        return jnp.where(x > 0, x, jnp.exp(x) * alpha - alpha) * lmbda

    fj = jax.jit(selu)
    rows = [("selu 1e6 f32", "JAX jit ms", median_ms(lambda: fj(x).block_until_ready()))]
    with jax.disable_jit():
        rows.append(("selu 1e6 f32", "JAX eager (op by op) ms", median_ms(lambda: selu(x).block_until_ready())))
    rows.append(("selu 1e6 f32", "JAX jax.nn.selu eager ms", median_ms(lambda: jax.nn.selu(x).block_until_ready())))
    return rows


def linreg_1000():
    rng = np.random.default_rng(42)
    xs = jnp.asarray(rng.standard_normal(100, dtype=np.float32))
    ys = 3 * xs - 1 + 0.1 * jnp.asarray(rng.standard_normal(100, dtype=np.float32))
    theta0 = jnp.ones(2, jnp.float32)

    def loss(theta, x, y):
        return jnp.mean(jnp.square(theta[0] * x + theta[1] - y))

    update = jax.jit(lambda theta, x, y: theta - jax.grad(loss)(theta, x, y) * 0.1)

    def run():
        theta = theta0
        for _ in range(1000):
            theta = update(theta, xs, ys)
        theta.block_until_ready()

    return [("linreg 1000 steps", "JAX ms", median_ms(run, reps=5, warmup=1))]


def matmul_1024():
    rng = np.random.default_rng(0)
    a = jnp.asarray(rng.standard_normal((1024, 1024), dtype=np.float32))
    b = jnp.asarray(rng.standard_normal((1024, 1024), dtype=np.float32))
    f = jax.jit(jnp.matmul)
    ms = median_ms(lambda: f(a, b).block_until_ready())
    return [("matmul 1024 f32", "JAX GFLOP/s", 2 * 1024**3 / (ms * 1e6))]


def mlp_step():
    sizes = [784, 512, 512, 10]
    batch = 128
    rng = np.random.default_rng(7)
    params = {
        "ws": [jnp.asarray(rng.standard_normal((sizes[l], sizes[l + 1]), dtype=np.float32) * np.sqrt(2 / sizes[l])) for l in range(3)],
        "bs": [jnp.zeros(sizes[l + 1], jnp.float32) for l in range(3)],
    }
    x = jnp.asarray(rng.random((batch, 784), dtype=np.float32))
    y = jax.nn.one_hot(rng.integers(0, 10, batch), 10, dtype=jnp.float32)

    def loss(p, x, y):
        a = x
        for l in range(3):
            z = a @ p["ws"][l] + p["bs"][l]
            a = jax.nn.relu(z) if l < 2 else z
        return -jnp.mean(jnp.sum(jax.nn.log_softmax(a) * y, axis=-1))

    @jax.jit
    def step(p, x, y):
        l, g = jax.value_and_grad(loss)(p, x, y)
        return jax.tree.map(lambda w, gw: w - 0.01 * gw, p, g), l

    state = {"p": params}

    def run():
        p, l = step(state["p"], x, y)
        jax.block_until_ready((p, l))
        state["p"] = p

    ms = median_ms(run)
    return [("MLP 784-512-512-10 b128", "JAX steps/s", 1e3 / ms)]


def per_example_grads():
    features, batch = 1000, 128
    rng = np.random.default_rng(1)
    params = {"w": jnp.asarray(rng.standard_normal(features, dtype=np.float32) * 0.01), "b": jnp.float32(0.1)}
    xs = jnp.asarray(rng.standard_normal((batch, features), dtype=np.float32))
    ys = jnp.asarray(rng.random(batch, dtype=np.float32) * 2 - 1)

    def loss(p, x, y):
        return jnp.square(jnp.dot(x, p["w"]) + p["b"] - y)

    f = jax.jit(jax.vmap(jax.grad(loss), in_axes=(None, 0, 0)))
    return [(f"per-example grads {features}x{batch}", "JAX jit ms", median_ms(lambda: jax.block_until_ready(f(params, xs, ys))))]


def eager_adds():
    steps = 10_000
    x0 = jnp.asarray([1, 2, 3, 4], jnp.float32)
    one = jnp.ones(4, jnp.float32)

    def run():
        z = x0
        for _ in range(steps):
            z = z + one
        z.block_until_ready()

    ms = median_ms(run, reps=5, warmup=1)
    return [("eager add x1e4", "JAX us/op", ms * 1e3 / steps)]


def while_loop_1e5():
    n = 100_000
    f = jax.jit(lambda c: jax.lax.while_loop(lambda c: c < n, lambda c: c + 1, c))
    c0 = jnp.int32(0)
    return [("whileLoop 1e5", "JAX jit ms", median_ms(lambda: f(c0).block_until_ready(), reps=5))]


WORKLOADS = [dot_1e7, selu_1e6, linreg_1000, matmul_1024, mlp_step, per_example_grads, eager_adds, while_loop_1e5]


def main(words):
    print(f"JAX {jax.__version__}, devices {jax.devices()}, cores {os.cpu_count()}, load average {os.getloadavg()}")
    for w in WORKLOADS:
        if words and not any(word in w.__name__ for word in words):
            continue
        for bench, what, value in w():
            print(f"{bench:32s} {what:28s} {value:10.3f}")
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main(sys.argv[1:])
