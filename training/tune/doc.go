// Package tune searches hyperparameters in the manner of Optuna: a
// study samples trials from a search space, an objective function
// scores each, and the best is kept. The package knows nothing of
// trainers; the objective is a function.
//
// Glossary:
//
//   - Space: the parameters to search, each an int, a float (optionally
//     on a log scale or a grid of steps) or a categorical, with the
//     trainer and metric a study tunes (opaque strings here) and the
//     direction (maximize or minimize). It is written in YAML (see
//     Parse) or built in Go.
//   - Trial: one evaluation of the objective, numbered from 0, with a
//     value for every parameter. It ends complete (with a value),
//     pruned (stopped early; its value is the last it reported) or
//     failed (the objective returned an error or NaN).
//   - Sampler: what chooses a trial's parameters: grid (the cartesian
//     product of the grid values, in order), random (uniform, or
//     log-uniform), or tpe (the Tree-structured Parzen Estimator, the
//     default; below).
//   - Intermediate value: a score a trial reports at a step (after each
//     CV fold, say), which the median pruner compares with other
//     trials' at the same step.
//   - Window: how far behind sampling lags, which makes a study
//     reproducible under parallelism (below).
//
// A space file:
//
//	trainer: gbdt
//	metric: cv.roc_auc
//	direction: maximize
//	space:
//	  learning_rate: {type: log_float, low: 0.01, high: 0.3}
//	  max_leaf_nodes: {type: int, low: 8, high: 64}
//	  l2_regularization: {type: float, low: 0, high: 1, step: 0.1}
//	  max_depth: {type: categorical, choices: [3, 6, 0]}
//	  min_samples_leaf: {type: int, low: 5, high: 100, log: true}
//	  subsample: {type: float, low: 0.5, high: 1, grid: [0.5, 0.8, 1]}
//
// Types: int (low and high inclusive, optional step, optional log),
// float (optional step, or log: true), log_float (a float with log: true;
// low > 0) and categorical (choices: numbers, strings, booleans). A grid
// search needs every float to have a step or a grid list; grid: lists
// the values a grid search takes for an int or float (and bounds it for
// the other samplers when low and high are left out).
//
// # Samplers
//
// The grid sampler walks the cartesian product of the parameters' grid
// values in a fixed order, the space's last parameter varying fastest:
// a categorical's choices, an int's values from low to high by its step
// (1 by default), and for an int or float a grid: list in the order
// given; it stops when the product is exhausted.
//
// The random sampler draws each parameter uniformly, as Optuna's
// RandomSampler: floats in [low, high), log floats log-uniformly; ints
// and stepped floats over a range widened by half a step at each end,
// rounded to the nearest step, so that low and high are as likely as
// the values between; log ints log-uniformly over [low−0.5, high+0.5],
// rounded.
//
// # The TPE sampler
//
// TPE (Bergstra et al. 2011) is implemented as Optuna's TPESampler with
// its defaults, univariate: each parameter is sampled on its own. Until
// 10 trials are complete or pruned, trials are drawn exactly as the
// random sampler draws them. After that the trials seen are split into
// the γ(n) = min(⌈n/10⌉, 25) best ("good") and the rest; complete trials
// rank by value, then pruned ones by the last step they reached and
// their value there; failed trials are left out. For each parameter a
// Parzen estimator l(x) is fitted to the good trials' values and g(x)
// to the others', 24 candidates are drawn from l, and the one with the
// largest l(x)/g(x) is taken.
//
// An estimator is a mixture of one kernel per observation and a prior
// kernel. Numeric parameters have truncated normal kernels on
// [low, high] (in log space for log parameters; widened by half a step
// at each end for ints and stepped floats, whose kernels weigh the mass
// of the step around a value, and whose draws round to the nearest
// step). A kernel's bandwidth is the larger gap to its neighbours among
// the observations and the bounds (for the lowest and highest
// observations, the gap to the inner neighbour), clipped to
// [(high−low)/min(100, n+2), high−low] (Optuna's magic clip); the prior
// kernel sits at the middle with bandwidth high−low. A categorical
// kernel puts 1 on the observed choice plus 1/(n+1) on every choice,
// normalised; the prior kernel is uniform. Kernels weigh the same,
// except that beyond 25 observations the older ones ramp down linearly
// from 1/n; the prior weighs 1. (Optuna computes γ as ceil(0.1·n) in
// floating point, which makes γ(30) = 4; here it is the exact ⌈n/10⌉.)
//
// # Reproducibility
//
// Every trial draws from its own random stream, seeded by the study's
// Seed and the trial's number, and trial n is sampled from the
// finished trials numbered 0 … n−Window, in number order, and from
// nothing else: it is started only once those have finished. The median
// pruner likewise compares trial n only with the complete trials among
// 0 … n−Window. So for a given space, sampler, seed, Window, Trials and
// pruner, and an objective whose value and reports depend only on the
// trial's parameters, Run returns the same trials — numbers, parameters,
// states, values, intermediate values — whatever Parallel is and however
// the trials' running times fall. Window defaults to Parallel, so set
// it to compare studies run with different Parallel. With Window 1
// trials run one at a time, each sampled from all before it, as in a
// sequential Optuna study; a larger Window trades what TPE knows when
// sampling (it lags Window−1 trials behind) for concurrency. The random
// and grid samplers do not learn: their parameters depend on the seed
// alone (pruning still follows the window). Durations are measured, and
// vary.
//
// An objective that panics crashes the study: the objective is code, not
// input, and a trainer's panic is a bug to surface.
package tune
