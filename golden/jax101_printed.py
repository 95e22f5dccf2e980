"""What JAX prints for the JAX 101 snippets of the browser playground (playground/chapters.ts):
each case is a snippet id and the lines `print` shows, in order. The Chromium test runs the same
snippets in jaxfx, in the page, on device 0 and on a Web Worker device, and compares the lines."""
import jax
import jax.numpy as jnp

from common import write

cases = []


def case(id_, *values):
    cases.append({"id": id_, "printed": [str(v) for v in values]})


# "JAX As Accelerated NumPy": getting started
case("arange", jnp.arange(10))

# ... grad of a sum of squares
def sum_of_squares(x):
    return jnp.sum(x**2)


x = jnp.asarray([1.0, 2.0, 3.0, 4.0])
case("grad", sum_of_squares(x), jax.grad(sum_of_squares)(x))

# ... the gradient of a squared error
def sum_squared_error(x, y):
    return jnp.sum((x - y) ** 2)


y = jnp.asarray([1.1, 2.1, 3.1, 4.1])
case("squared-error", jax.grad(sum_squared_error)(x, y), jax.value_and_grad(sum_squared_error)(x, y)[0])

# "Just In Time Compilation": selu, jitted
def selu(x, alpha=1.67, lambda_=1.05):
    return lambda_ * jnp.where(x > 0, x, alpha * jnp.exp(x) - alpha)


case("jit-selu", jax.jit(selu)(jnp.arange(-2.0, 3.0)))

# "JAX As Accelerated NumPy": the first training loop (deterministic data instead of np.random, so
# the playground's snippet computes the same points), jitted update, theta rounded to 3 decimals
xs = jnp.linspace(-1, 1, 101)
ys = xs * 3 - 1 + jnp.sin(xs * 13) * 0.1


def model(theta, x):
    return theta[0] * x + theta[1]


def loss(theta, x, y):
    return jnp.mean((model(theta, x) - y) ** 2)


update = jax.jit(lambda theta, x, y: theta - jax.grad(loss)(theta, x, y) * 0.1)
theta = jnp.array([1.0, 1.0])
for _ in range(1000):
    theta = update(theta, xs, ys)
case("linear-regression", jnp.round(theta, 3))

write("jax101_printed", cases)
