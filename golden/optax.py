"""Golden values from real optax for jaxfx's `optim` (effects/optim/optax.test.ts).

Three kinds of cases:
  * "optimizer": the first steps of an optimizer (or transformation chain) on a fixed quadratic
    problem, params {"w": f32[2,3], "b": f32[3]}, gradients by jax.grad; the params and updates
    after each step. `extra` says what the update also receives ("value": the loss; "linesearch":
    value, grad and value_fn; "lookahead": params are LookaheadParams). `nan_step` puts a NaN into
    the gradient of that step (0-based).
  * "schedule": a schedule's values at steps 0..n-1.
  * "loss": a loss on fixed inputs (edge values included) and the gradient of its sum with
    respect to the first argument.
The case ids are mirrored, one by one, by the table in effects/optim/optax.test.ts.

Run: /path/to/venv/bin/python golden/optax.py  (jax 0.10.2, optax 0.2.8, float32: x64 off)
"""
import os
import sys

# This file is named like the package it tests: import the real optax, not this script.
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path = [p for p in sys.path if os.path.abspath(p or ".") != _HERE]
import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
import optax  # noqa: E402

sys.path.insert(0, _HERE)
from common import enc, write  # noqa: E402

f32 = jnp.float32

P0 = {"w": jnp.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]], f32), "b": jnp.array([0.1, -0.3, 0.8], f32)}
KW = jnp.array([[1.0, 2.0, 0.5], [4.0, 0.25, 3.0]], f32)
TW = jnp.array([[1.0, 0.0, -1.0], [2.0, 1.0, 0.0]], f32)
KB = jnp.array([1.5, 0.8, 2.0], f32)
TB = jnp.array([0.5, 0.5, -0.5], f32)


def loss(p):
  return jnp.sum(0.5 * KW * jnp.square(p["w"] - TW)) + jnp.sum(0.5 * KB * jnp.square(p["b"] - TB))


def leaves(t):
  return {"w": enc(t["w"]), "b": enc(t["b"])}


def run(opt, steps=5, extra=None, nan_step=None, hyper=None):
  params = optax.LookaheadParams.init_synced(P0) if extra == "lookahead" else P0
  state = opt.init(params)
  out = []
  for i in range(steps):
    fast = params.fast if extra == "lookahead" else params
    value, grad = jax.value_and_grad(loss)(fast)
    if nan_step == i:
      grad = {"w": grad["w"].at[0, 0].set(jnp.nan), "b": grad["b"]}
    kwargs = {}
    if extra == "value":
      kwargs = {"value": value}
    elif extra == "linesearch":
      kwargs = {"value": value, "grad": grad, "value_fn": loss}
    updates, state = opt.update(grad, state, params, **kwargs)
    params = optax.apply_updates(params, updates)
    if extra == "lookahead":
      step = {"fast": leaves(params.fast), "slow": leaves(params.slow), "updates_fast": leaves(updates.fast)}
    else:
      step = {"params": leaves(params), "updates": leaves(updates)}
    if hyper is not None:
      step["hyper"] = enc(state.hyperparams[hyper])
    out.append(step)
  return out


def sched(count):
  return optax.exponential_decay(0.1, transition_steps=2, decay_rate=0.5)(count)


OPTIMIZERS = {
    # the four that existed, checked against optax as well
    "sgd": lambda: optax.sgd(0.1),
    "sgd_nesterov": lambda: optax.sgd(0.1, momentum=0.9, nesterov=True),
    "adam": lambda: optax.adam(0.1),
    "adamw": lambda: optax.adamw(0.1, weight_decay=0.1),
    "rmsprop_centered": lambda: optax.rmsprop(0.1, centered=True, momentum=0.5),
    # the Adam family
    "nadam": lambda: optax.nadam(0.1),
    "nadamw": lambda: optax.nadamw(0.1, weight_decay=0.1),
    "adamax": lambda: optax.adamax(0.1),
    "adamaxw": lambda: optax.adamaxw(0.1, weight_decay=0.05),
    "radam": lambda: optax.radam(0.1),
    "radam_rectified": lambda: optax.radam(0.1, b2=0.99, threshold=3.5),
    "radam_nesterov": lambda: optax.radam(0.1, b2=0.99, threshold=3.5, nesterov=True),
    "amsgrad": lambda: optax.amsgrad(0.1),
    "amsgrad_no_bias_correction": lambda: optax.amsgrad(0.1, bias_correction_mu=False, bias_correction_nu=False),
    "adabelief": lambda: optax.adabelief(0.1),
    "adabelief_nesterov": lambda: optax.adabelief(0.1, nesterov=True),
    "yogi": lambda: optax.yogi(0.1),
    "adan": lambda: optax.adan(0.1, weight_decay=0.01),
    "lamb": lambda: optax.lamb(0.1, weight_decay=0.01),
    "novograd": lambda: optax.novograd(0.1, weight_decay=0.01),
    "lion": lambda: optax.lion(0.01),
    "lion_smooth": lambda: optax.chain(optax.scale_by_lion(mode="smooth", smooth_beta=2.0), optax.scale(-0.05)),
    "lion_refined": lambda: optax.chain(optax.scale_by_lion(mode="refined"), optax.scale(-0.05)),
    "optimistic_adam_v2": lambda: optax.optimistic_adam_v2(0.1),
    # the others
    "adagrad": lambda: optax.adagrad(0.1),
    "adagrad_options": lambda: optax.adagrad(0.5, initial_accumulator_value=0.0, eps=1e-3),
    "adadelta": lambda: optax.adadelta(1.0),
    "adadelta_decay": lambda: optax.adadelta(0.5, rho=0.95, eps=1e-4, weight_decay=0.01),
    "adafactor": lambda: optax.adafactor(0.1),
    "adafactor_no_lr": lambda: optax.adafactor(),
    "adafactor_factored": lambda: optax.adafactor(0.1, min_dim_size_to_factor=2, momentum=0.9, weight_decay_rate=0.01),
    "lars": lambda: optax.lars(0.1, weight_decay=0.01),
    "lars_nesterov": lambda: optax.lars(0.1, trust_coefficient=0.01, momentum=0.5, nesterov=True),
    "fromage": lambda: optax.fromage(0.1),
    "fromage_schedule": lambda: optax.fromage(sched),
    "sm3": lambda: optax.sm3(0.1),
    "rprop": lambda: optax.rprop(0.05),
    "sign_sgd": lambda: optax.sign_sgd(0.05),
    "signum": lambda: optax.signum(0.05),
    "noisy_sgd": lambda: optax.noisy_sgd(0.1, key=jax.random.key(0)),
    "noisy_sgd_options": lambda: optax.noisy_sgd(0.1, eta=0.5, gamma=0.3, key=jax.random.key(7)),
    "polyak_sgd": lambda: optax.polyak_sgd(max_learning_rate=1.0),
    "polyak_sgd_plus": lambda: optax.polyak_sgd(max_learning_rate=0.3, f_min=1.0, variant="sps+"),
    "optimistic_gradient_descent": lambda: optax.optimistic_gradient_descent(0.1, alpha=0.5, beta=0.7),
    "lbfgs": lambda: optax.lbfgs(),
    "lbfgs_lr_no_linesearch": lambda: optax.lbfgs(learning_rate=0.5, linesearch=None),
    "lbfgs_memory2": lambda: optax.lbfgs(memory_size=2, scale_init_precond=False),
    "zoom_linesearch": lambda: optax.chain(optax.sgd(1.0), optax.scale_by_zoom_linesearch(15)),
    "zoom_linesearch_max_lr": lambda: optax.chain(optax.sgd(1.0), optax.scale_by_zoom_linesearch(15, max_learning_rate=0.3)),
    "backtracking_linesearch": lambda: optax.chain(optax.sgd(1.0), optax.scale_by_backtracking_linesearch(15)),
    "backtracking_linesearch_store_grad": lambda: optax.chain(
        optax.sgd(2.0), optax.scale_by_backtracking_linesearch(15, store_grad=True, decrease_factor=0.5)),
    # transformations and wrappers
    "adamw_schedule_decay": lambda: optax.adamw(0.1, weight_decay=sched),
    "clip": lambda: optax.chain(optax.clip(0.5), optax.sgd(0.1)),
    "clip_by_block_rms": lambda: optax.chain(optax.clip_by_block_rms(0.5), optax.sgd(0.1)),
    "adaptive_grad_clip": lambda: optax.chain(optax.adaptive_grad_clip(0.1), optax.sgd(0.1)),
    "centralize": lambda: optax.chain(optax.centralize(), optax.sgd(0.1)),
    "keep_params_nonnegative": lambda: optax.chain(optax.sgd(0.3), optax.keep_params_nonnegative()),
    "normalize_by_update_norm": lambda: optax.chain(optax.normalize_by_update_norm(scale_factor=0.5), optax.sgd(0.1)),
    "scale_by_param_block_norm": lambda: optax.chain(optax.scale_by_param_block_norm(), optax.sgd(0.1)),
    "scale_by_param_block_rms": lambda: optax.chain(optax.scale_by_param_block_rms(), optax.sgd(0.1)),
    "scale_by_trust_ratio": lambda: optax.chain(optax.scale_by_trust_ratio(trust_coefficient=0.5), optax.sgd(0.1)),
    "ema": lambda: optax.chain(optax.ema(0.9), optax.sgd(0.1)),
    "ema_no_debias": lambda: optax.chain(optax.ema(0.8, debias=False), optax.sgd(0.1)),
    "apply_every": lambda: optax.chain(optax.sgd(0.1), optax.apply_every(3)),
    "multi_steps": lambda: optax.MultiSteps(optax.adam(0.1), 3),
    "multi_steps_sum": lambda: optax.MultiSteps(optax.sgd(0.1, momentum=0.9), 2, use_grad_mean=False),
    "multi_steps_skip_not_finite": lambda: optax.MultiSteps(optax.adam(0.1), 2, should_skip_update_fn=optax.skip_not_finite),
    "multi_steps_skip_large": lambda: optax.MultiSteps(optax.sgd(0.1), 2, should_skip_update_fn=lambda u, s, p: optax.skip_large_updates(u, s, p, 20.0)),
    "apply_if_finite": lambda: optax.apply_if_finite(optax.adam(0.1), 2),
    "zero_nans": lambda: optax.chain(optax.zero_nans(), optax.sgd(0.1)),
    "conditionally_mask": lambda: optax.conditionally_mask(optax.sgd(0.1, momentum=0.9), lambda step: step >= 2),
    "conditionally_transform": lambda: optax.chain(optax.conditionally_transform(optax.clip(0.1), lambda step: step < 2), optax.sgd(0.1)),
    "multi_transform": lambda: optax.multi_transform({"a": optax.adam(0.1), "s": optax.sgd(0.1)}, {"w": "a", "b": "s"}),
    "named_chain": lambda: optax.named_chain(("clip", optax.clip_by_global_norm(1.0)), ("adam", optax.adam(0.1))),
    "lookahead": lambda: optax.lookahead(optax.adam(0.1), 2, 0.5),
    "lookahead_reset": lambda: optax.lookahead(optax.sgd(0.1, momentum=0.9), 3, 0.3, reset_state=True),
    "inject_adam_schedule": lambda: optax.inject_hyperparams(optax.adam, static_args=("b1", "b2", "eps", "eps_root"))(learning_rate=sched),
    "inject_sgd": lambda: optax.inject_hyperparams(optax.sgd, static_args="momentum")(learning_rate=0.1, momentum=0.9),
}

CASE_OPTIONS = {
    "radam": {"steps": 4},  # step 5 puts rho_t within float32 noise of the default threshold 5
    "polyak_sgd": {"extra": "value"},
    "polyak_sgd_plus": {"extra": "value"},
    "lbfgs": {"extra": "linesearch"},
    "lbfgs_lr_no_linesearch": {"extra": "linesearch"},
    "lbfgs_memory2": {"extra": "linesearch", "steps": 6},
    "zoom_linesearch": {"extra": "linesearch"},
    "zoom_linesearch_max_lr": {"extra": "linesearch"},
    "backtracking_linesearch": {"extra": "linesearch"},
    "backtracking_linesearch_store_grad": {"extra": "linesearch"},
    "apply_every": {"steps": 6},
    "multi_steps": {"steps": 7},
    "multi_steps_sum": {"steps": 5},
    "multi_steps_skip_not_finite": {"steps": 6, "nan_step": 2},
    "multi_steps_skip_large": {"steps": 6},
    "apply_if_finite": {"steps": 6, "nan_step": 2},
    "zero_nans": {"nan_step": 1},
    "lookahead": {"extra": "lookahead", "steps": 5},
    "lookahead_reset": {"extra": "lookahead", "steps": 7},
    "inject_adam_schedule": {"hyper": "learning_rate"},
    "inject_sgd": {"hyper": "learning_rate"},
}

SCHEDULES = {
    "constant": lambda: optax.constant_schedule(0.3),
    "polynomial": lambda: optax.polynomial_schedule(init_value=0.1, end_value=0.001, power=2, transition_steps=10, transition_begin=3),
    "linear": lambda: optax.linear_schedule(init_value=0.5, end_value=0.05, transition_steps=12),
    # init - end is rounded once from float64 (0.3 - 0.1 and 0.7 - 0.1 round differently in float32)
    "polynomial_rounding": lambda: optax.polynomial_schedule(init_value=0.3, end_value=0.1, power=1, transition_steps=10),
    "linear_rounding": lambda: optax.linear_schedule(init_value=0.7, end_value=0.1, transition_steps=8),
    "exponential_decay": lambda: optax.exponential_decay(0.2, transition_steps=3, decay_rate=0.7, transition_begin=2, end_value=0.05),
    "exponential_decay_staircase": lambda: optax.exponential_decay(0.2, transition_steps=4, decay_rate=1.5, staircase=True, end_value=0.5),
    "cosine_decay": lambda: optax.cosine_decay_schedule(0.1, decay_steps=10, alpha=0.1, exponent=2.0),
    "piecewise_constant": lambda: optax.piecewise_constant_schedule(0.1, {5: 0.5, 10: 0.1, 15: 2.0}),
    "piecewise_constant_empty": lambda: optax.piecewise_constant_schedule(0.25),
    "piecewise_interpolate_linear": lambda: optax.piecewise_interpolate_schedule("linear", 0.1, {4: 2.0, 10: 0.5, 20: 0.1}),
    "piecewise_interpolate_cosine": lambda: optax.piecewise_interpolate_schedule("cosine", 0.1, {4: 2.0, 10: 0.5, 20: 0.1}),
    "linear_onecycle": lambda: optax.linear_onecycle_schedule(20, 0.1),
    "cosine_onecycle": lambda: optax.cosine_onecycle_schedule(20, 0.1, pct_start=0.25, div_factor=10.0, final_div_factor=100.0),
    "warmup_constant": lambda: optax.warmup_constant_schedule(0.0, 0.1, 6),
    "warmup_cosine_decay": lambda: optax.warmup_cosine_decay_schedule(0.01, 0.1, 5, 20, end_value=0.001, exponent=1.5),
    "warmup_exponential_decay": lambda: optax.warmup_exponential_decay_schedule(0.0, 0.1, 4, 3, 0.5, transition_begin=2, staircase=True, end_value=0.01),
    "sgdr": lambda: optax.sgdr_schedule([
        dict(init_value=0.0, peak_value=0.1, warmup_steps=3, decay_steps=10),
        dict(init_value=0.01, peak_value=0.05, warmup_steps=2, decay_steps=8, end_value=0.005),
    ]),
    "join": lambda: optax.join_schedules([optax.constant_schedule(0.1), optax.linear_schedule(0.1, 0.0, 10)], [5]),
}

inf = np.inf
nan = np.nan
A = lambda x, dtype=np.float32: jnp.array(x, dtype)

LOGITS = A([[2.0, 1.0, 0.1], [0.5, -1.0, 3.0], [100.0, -100.0, 0.0], [0.0, 0.0, 0.0], [-50.0, 60.0, 59.5]])
PROBS = A([[1, 0, 0], [0.2, 0.3, 0.5], [0, 1, 0], [1 / 3, 1 / 3, 1 / 3], [0.1, 0.0, 0.9]])
INT_LABELS = A([0, 2, 1, 1, 2], np.int32)
MASKED = A([[2.0, -inf, 0.1], [-inf, -inf, 3.0], [100.0, -100.0, -inf], [0.0, 0.0, 0.0]])
MASKED_PROBS = A([[1, 0, 0], [0, 0, 1], [0.5, 0.5, 0], [0.25, 0.25, 0.5]])
WHERE = A([[True, True, False], [True, False, True], [False, True, True], [True, True, True], [False, False, False]], np.bool_)
BIN_LOGITS = A([-100.0, -3.0, -0.5, 0.0, 0.5, 3.0, 100.0, 20.0])
BIN_LABELS = A([0.0, 1.0, 0.3, 1.0, 0.0, 1.0, 0.0, 1.0])
PRED = A([[0.5, -1.0, 2.0, 0.0], [3.0, 0.25, -0.75, 1e-3], [0.0, 0.0, 0.0, 0.0]])
TARG = A([[1.0, 0.0, -1.0, 0.0], [2.0, 1.0, 0.0, -5.0], [1.0, -2.0, 0.5, 0.0]])
LOGP = jax.nn.log_softmax(A([[1.0, 2.0, 3.0], [0.5, 0.5, -1.0], [10.0, -10.0, 0.0]]))
KL_T = A([[0.2, 0.3, 0.5], [0.0, 1.0, 0.0], [0.5, 0.0, 0.5]])
LOG_T = jax.nn.log_softmax(A([[3.0, 2.0, 1.0], [0.0, 0.0, 0.0], [-1.0, 5.0, 2.0]]))
SCORES = A([[2.0, 1.0, 0.1], [0.5, 3.0, 3.5], [-1.0, -2.0, -0.5]])
SCORE_LABELS = A([1, 2, 0], np.int32)
EMB = A([[1.0, 0.0, 0.5], [0.8, 0.1, 0.4], [-1.0, 0.5, 0.0], [-0.9, 0.4, 0.2], [0.0, 1.0, 1.0]])
EMB_LABELS = A([0, 0, 1, 1, 2], np.int32)

SEG_LOGITS = jax.random.normal(jax.random.key(5), (2, 4, 4, 3), f32)
SEG_T = jax.nn.one_hot(jax.random.randint(jax.random.key(6), (2, 4, 4), 0, 3), 3)
BIN_PRED = jax.random.normal(jax.random.key(7), (2, 4, 4), f32)
BIN_T = (jax.random.uniform(jax.random.key(8), (2, 4, 4)) > 0.5).astype(f32)

LOSSES = [
    # id, optax function, positional args, keyword args, differentiate the first argument?
    ("softmax_ce", optax.losses.softmax_cross_entropy, [LOGITS, PROBS], {}, True),
    ("softmax_ce_axis0", optax.losses.softmax_cross_entropy, [LOGITS.T, PROBS.T], {"axis": 0}, True),
    ("softmax_ce_where", optax.losses.softmax_cross_entropy, [LOGITS, PROBS * WHERE], {"where": WHERE}, False),
    ("softmax_ce_masked_logits", optax.losses.softmax_cross_entropy, [MASKED, MASKED_PROBS], {}, False),
    ("safe_softmax_ce", optax.losses.safe_softmax_cross_entropy, [LOGITS, PROBS], {}, True),
    ("safe_softmax_ce_masked_logits", optax.losses.safe_softmax_cross_entropy, [MASKED, MASKED_PROBS], {}, True),
    ("softmax_ce_int", optax.losses.softmax_cross_entropy_with_integer_labels, [LOGITS, INT_LABELS], {}, True),
    ("softmax_ce_int_masked_logits", optax.losses.softmax_cross_entropy_with_integer_labels, [MASKED, A([0, 2, 1, 2], np.int32)], {}, False),
    ("softmax_ce_int_where", optax.losses.softmax_cross_entropy_with_integer_labels, [LOGITS, INT_LABELS], {"where": WHERE}, False),
    ("softmax_ce_int_axis_tuple", optax.losses.softmax_cross_entropy_with_integer_labels,
     [LOGITS.reshape(5, 3, 1).transpose(1, 0, 2), A([[0], [2], [1], [1], [2]], np.int32)], {"axis": (0,)}, True),
    ("softmax_ce_int_negative_label", optax.losses.softmax_cross_entropy_with_integer_labels, [LOGITS, A([-1, 0, -3, 2, 1], np.int32)], {}, False),
    ("sigmoid_bce", optax.losses.sigmoid_binary_cross_entropy, [BIN_LOGITS, BIN_LABELS], {}, True),
    ("sigmoid_focal", optax.losses.sigmoid_focal_loss, [BIN_LOGITS, BIN_LABELS], {}, True),
    ("sigmoid_focal_alpha", optax.losses.sigmoid_focal_loss, [BIN_LOGITS, BIN_LABELS], {"alpha": 0.25, "gamma": 1.5}, True),
    ("poly_loss", optax.losses.poly_loss_cross_entropy, [LOGITS, PROBS], {"epsilon": 1.5}, True),
    ("poly_loss_where", optax.losses.poly_loss_cross_entropy, [LOGITS, PROBS], {"where": WHERE}, False),
    ("kl", optax.losses.kl_divergence, [LOGP, KL_T], {}, True),
    ("kl_axis_none", optax.losses.kl_divergence, [LOGP, KL_T], {"axis": None}, False),
    ("kl_log_targets", optax.losses.kl_divergence_with_log_targets, [LOGP, LOG_T], {}, True),
    ("generalized_kl", optax.losses.generalized_kl_divergence, [LOGP + 0.3, KL_T * 2.0], {}, True),
    ("convex_kl", optax.losses.convex_kl_divergence, [LOGP, KL_T], {}, False),
    ("hinge", optax.losses.hinge_loss, [BIN_LOGITS, A([-1.0, 1, -1, 1, -1, 1, -1, 1])], {}, False),
    ("perceptron", optax.losses.perceptron_loss, [BIN_LOGITS, A([-1.0, 1, 1, 1, -1, -1, 1, 1])], {}, False),
    ("multiclass_hinge", optax.losses.multiclass_hinge_loss, [SCORES, SCORE_LABELS], {}, False),
    ("multiclass_perceptron", optax.losses.multiclass_perceptron_loss, [SCORES, SCORE_LABELS], {}, False),
    ("sparsemax", optax.losses.sparsemax_loss, [BIN_LOGITS / 40.0, A([0, 1, 1, 1, 0, 1, 0, 0], np.int32)], {}, False),
    ("squared_error", optax.losses.squared_error, [PRED, TARG], {}, True),
    ("squared_error_no_targets", optax.losses.squared_error, [PRED], {}, True),
    ("l2", optax.losses.l2_loss, [PRED, TARG], {}, True),
    ("huber", optax.losses.huber_loss, [PRED, TARG], {}, True),
    ("huber_delta", optax.losses.huber_loss, [PRED, TARG], {"delta": 0.5}, True),
    ("log_cosh", optax.losses.log_cosh, [PRED * 40.0, TARG], {}, True),
    ("cosine_similarity", optax.losses.cosine_similarity, [PRED, TARG], {}, False),
    ("cosine_similarity_eps", optax.losses.cosine_similarity, [PRED, TARG], {"epsilon": 1e-3}, True),
    ("cosine_distance", optax.losses.cosine_distance, [PRED, TARG], {"epsilon": 1e-6, "axis": 0}, True),
    ("smooth_labels", optax.losses.smooth_labels, [PROBS, 0.1], {}, False),
    ("smooth_labels_where", optax.losses.smooth_labels, [PROBS, 0.2], {"where": WHERE}, False),
    ("ntxent", optax.losses.ntxent, [EMB, EMB_LABELS], {}, True),
    ("ntxent_temperature", optax.losses.ntxent, [EMB, EMB_LABELS, 0.5], {}, False),
    ("triplet_margin", optax.losses.triplet_margin_loss, [EMB, EMB[::-1], EMB * 0.5], {}, True),
    ("triplet_margin_l1", optax.losses.triplet_margin_loss, [EMB, EMB[::-1], EMB * 0.5], {"norm_degree": 1, "margin": 0.5}, False),
    ("dice", optax.losses.dice_loss, [SEG_LOGITS, SEG_T], {}, True),
    ("dice_options", optax.losses.dice_loss, [SEG_LOGITS, SEG_T],
     {"smooth": 0.5, "alpha": 0.3, "beta": 0.7, "reduction": "sum", "ignore_background": True, "class_weights": A([1.0, 2.0, 0.5])}, True),
    ("dice_probabilities", optax.losses.dice_loss, [jax.nn.softmax(SEG_LOGITS), SEG_T], {"apply_softmax": False, "reduction": "none"}, False),
    ("multiclass_generalized_dice", optax.losses.multiclass_generalized_dice_loss, [SEG_LOGITS, SEG_T], {}, True),
    ("binary_dice", optax.losses.binary_dice_loss, [BIN_PRED, BIN_T], {}, True),
]

CTC_LOGITS = jax.random.normal(jax.random.key(3), (2, 6, 4), f32)
CTC_LOGIT_PAD = A([[0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 1, 1]])
CTC_LABELS = A([[1, 2, 2], [3, 1, 0]], np.int32)
CTC_LABEL_PAD = A([[0, 0, 0], [0, 0, 1]])


def loss_case(cid, fn, args, kwargs, with_grad):
  out = fn(*args, **kwargs)
  case = {"kind": "loss", "id": cid, "args": [enc(a) for a in args],
          "kwargs": {k: (enc(v) if isinstance(v, jax.Array) else v) for k, v in kwargs.items()}, "out": enc(out)}
  if with_grad:
    case["grad"] = enc(jax.grad(lambda x: jnp.sum(fn(x, *args[1:], **kwargs)))(args[0]))
  return case


def main():
  cases = []
  for cid, make in OPTIMIZERS.items():
    o = CASE_OPTIONS.get(cid, {})
    steps = o.get("steps", 5)
    cases.append({"kind": "optimizer", "id": cid, "extra": o.get("extra"), "nan_step": o.get("nan_step"),
                  "steps": run(make(), steps, o.get("extra"), o.get("nan_step"), o.get("hyper"))})
  counts = jnp.arange(30, dtype=jnp.int32)
  for cid, make in SCHEDULES.items():
    s = make()
    cases.append({"kind": "schedule", "id": cid, "values": enc(jnp.stack([jnp.asarray(s(c), f32) for c in counts]))})
  for spec in LOSSES:
    cases.append(loss_case(*spec))
  ctc_args = [CTC_LOGITS, CTC_LOGIT_PAD, CTC_LABELS, CTC_LABEL_PAD]
  loss_ctc, phi, emit = optax.losses.ctc_loss_with_forward_probs(*ctc_args)
  grad_ctc = jax.grad(lambda x: jnp.sum(optax.losses.ctc_loss(x, *ctc_args[1:])))(CTC_LOGITS)
  cases.append({"kind": "loss", "id": "ctc", "args": [enc(a) for a in ctc_args], "kwargs": {},
                "out": enc(loss_ctc), "phi": enc(phi), "emit": enc(emit), "grad": enc(grad_ctc)})
  loss_ctc2 = optax.losses.ctc_loss(*ctc_args, blank_id=2, log_epsilon=-1e4)
  cases.append({"kind": "loss", "id": "ctc_blank2", "args": [enc(a) for a in ctc_args], "kwargs": {}, "out": enc(loss_ctc2)})
  write("optax", cases)


if __name__ == "__main__":
  main()
