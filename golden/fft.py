"""Golden values for jaxfx's np.fft and lax.fft, from real JAX (CPU, float32 / complex64).

Each case is {"id", "fn", "args", "options", "out"}: `fn` names the np.fft function (or "grad:..."
for a gradient case, see below), `args` its array arguments, `options` the keyword arguments in
jaxfx's spelling (n, s, axis, axes, norm, d, dtype). Transforms cover every function with n/s
cropping and padding, axes, the three norms, odd, even, prime and 5-smooth lengths, and complex
inputs whose zero and Nyquist frequencies have imaginary parts (irfft and hfft ignore them).
Gradient cases record jax.grad of sum(re(y) * wr + im(y) * wi) (or sum(y * w) for real y) with
respect to the first argument, in JAX's convention for complex inputs (the conjugate of the
Wirtinger derivative times two). Run: /path/to/venv/bin/python golden/fft.py
"""
import jax
import jax.numpy as jnp
import numpy as np

from common import enc, write

rng = np.random.RandomState(13)
cases = []


def real(*shape):
    return rng.randn(*shape).astype(np.float32)


def cplx(*shape):
    return (rng.randn(*shape) + 1j * rng.randn(*shape)).astype(np.complex64)


def add(id_, fn, args, options, out):
    cases.append({"id": id_, "fn": fn, "args": [enc(a) for a in args], "options": options, "out": enc(out)})


def py_options(options):
    return {k: (tuple(v) if isinstance(v, list) else v) for k, v in options.items()}


def call(fn, args, options):
    f = getattr(jnp.fft, fn)
    kw = py_options(options)
    if fn in ("fftfreq", "rfftfreq"):
        d = kw.pop("d", 1.0)
        return f(args[0], d, **kw)
    return f(*[jnp.asarray(a) for a in args], **kw)


# frequencies and shifts
for n in [1, 2, 4, 5, 8, 9]:
    for d in [1.0, 0.1, 2.5]:
        for fn in ["fftfreq", "rfftfreq"]:
            cases.append({"id": f"{fn} n={n} d={d}", "fn": fn, "args": [], "options": {"n": n, "d": d},
                          "out": enc(call(fn, [n], {"d": d}))})
for shape in [(5,), (4,), (3, 4), (2, 3, 5)]:
    x = np.arange(np.prod(shape), dtype=np.int32).reshape(shape)
    for axes in [None, 0, [-1], [-1, 0]]:
        for fn in ["fftshift", "ifftshift"]:
            opts = {} if axes is None else {"axes": axes}
            add(f"{fn} {shape} axes={axes}", fn, [x], opts, call(fn, [x], opts))

# one-dimensional transforms
one_d = [
    ("fft", cplx, [(8,), (7,), (12,), (3, 5), (4, 2)]),
    ("ifft", cplx, [(8,), (7,), (3, 5)]),
    ("rfft", real, [(8,), (7,), (3, 10), (13,), (2, 6)]),
    ("irfft", cplx, [(5,), (4,), (3, 6)]),
    ("hfft", cplx, [(5,), (4,), (2, 6)]),
    ("ihfft", real, [(8,), (7,), (3, 6)]),
]
for fn, gen, shapes in one_d:
    for shape in shapes:
        x = gen(*shape)
        variants = [{}, {"norm": "ortho"}, {"norm": "forward"}, {"n": 6}, {"n": 11, "norm": "ortho"}]
        if len(shape) > 1:
            variants += [{"axis": 0}, {"axis": -2, "n": 3, "norm": "forward"}]
        for opts in variants:
            add(f"{fn} {shape} {opts}", fn, [x], opts, call(fn, [x], opts))
# fft of a real input (promoted to complex) and a prime length going through Bluestein in jaxfx
x = real(6)
add("fft real input", "fft", [x], {}, call("fft", [x], {}))
for n in [37, 101]:
    x = real(n)
    add(f"rfft prime {n}", "rfft", [x], {}, call("rfft", [x], {}))
    y = cplx(n)
    add(f"fft prime {n}", "fft", [y], {}, call("fft", [y], {}))

# two- and n-dimensional transforms
nd = [
    ("fft2", cplx, (3, 4), [{}, {"s": [2, 6]}, {"axes": [0, 1], "norm": "ortho"}]),
    ("ifft2", cplx, (2, 3, 4), [{}, {"axes": [0, 2]}, {"s": [5, 3], "norm": "forward"}]),
    ("rfft2", real, (4, 6), [{}, {"s": [3, 5]}, {"axes": [1, 0]}]),
    ("irfft2", cplx, (4, 4), [{}, {"s": [4, 6]}, {"s": [3, 5], "norm": "ortho"}]),
    ("fftn", cplx, (2, 3, 4), [{}, {"axes": [0, 2]}, {"s": [3, 2]}, {"s": [2, 2, 2], "norm": "forward"}, {"axes": []}]),
    ("ifftn", cplx, (2, 3, 4), [{}, {"axes": [1]}, {"s": [4, 3, 2], "norm": "ortho"}]),
    ("rfftn", real, (2, 3, 4), [{}, {"axes": [0, 1]}, {"s": [3, 5]}, {"axes": [2, 0], "s": [6, 3]}]),
    ("irfftn", cplx, (2, 3, 3), [{}, {"axes": [0, 1]}, {"s": [3, 4]}, {"s": [2, 3, 5], "norm": "forward"}]),
]
for fn, gen, shape, variants in nd:
    x = gen(*shape)
    for opts in variants:
        add(f"{fn} {shape} {opts}", fn, [x], opts, call(fn, [x], opts))


# gradients through each transform type (lax.fft's jvp and transpose rules)
def loss(fn, opts, wr, wi):
    def f(x):
        y = call(fn, [x], opts)
        if jnp.iscomplexobj(y):
            return jnp.sum(jnp.real(y) * wr + jnp.imag(y) * wi)
        return jnp.sum(y * wr)
    return f


grads = [
    ("fft", cplx(6), {}), ("ifft", cplx(5), {"norm": "ortho"}), ("fft", real(6), {}),
    ("rfft", real(8), {}), ("rfft", real(7), {}), ("rfft", real(6), {"n": 9, "norm": "ortho"}),
    ("irfft", cplx(5), {}), ("irfft", cplx(4), {"n": 7}), ("irfft", cplx(5), {"n": 6, "norm": "forward"}),
    ("hfft", cplx(4), {}), ("ihfft", real(7), {}),
    ("rfft2", real(3, 4), {}), ("irfft2", cplx(3, 3), {}), ("rfftn", real(2, 3, 5), {}), ("irfftn", cplx(2, 4), {"s": [3, 5]}),
]
for fn, x, opts in grads:
    y = call(fn, [x], opts)
    wr = real(*y.shape)
    wi = real(*y.shape)
    g = jax.grad(loss(fn, opts, wr, wi))(jnp.asarray(x))
    cases.append({"id": f"grad {fn} {x.dtype}{list(x.shape)} {opts}", "fn": "grad:" + fn,
                  "args": [enc(x), enc(wr), enc(wi)], "options": opts, "out": enc(g)})

write("fft", cases)
