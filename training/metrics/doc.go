// Package metrics evaluates models: classification and regression
// metrics that agree with scikit-learn 1.2.1, for all rows and for the
// rows of each level of a group column ("accuracy by gender").
//
// Glossary:
//
//   - Class code: an int32 index into the sorted class names, as in
//     frame.Target; y holds the true codes.
//   - Probabilities: an n×k row-major []float64, row i holding the
//     predicted probability of each of the k classes for row i (for
//     two classes too). The prediction of a row is its most probable
//     class, the lowest code on ties (numpy.argmax).
//   - Average: how per-class precision, recall and F1 combine (Binary,
//     Macro, Weighted, Micro), as scikit-learn's average= argument.
//   - One-vs-rest: scoring a class's probability column against
//     whether each row is of that class, for ROC AUC and average
//     precision of more than two classes.
//   - Slice: the rows of one level of one group column; GroupMetrics
//     holds a slice's evaluation, Spread one metric across the slices
//     of a column.
//   - Undefined: a metric with no value for valid input (ROC AUC when
//     y holds one class, R² of one row). It is NaN; Classification and
//     Regression say why in Undefined, the single-metric functions
//     return an error wrapping ErrUndefined alongside the NaN.
//
// # Agreement with scikit-learn
//
// Each function names the scikit-learn call it matches. The
// fixtures in testdata (made by testdata/gen_fixtures.py with
// scikit-learn 1.2.1) hold inputs and scikit-learn's outputs, and the
// tests require agreement within 1e-12 relative. To get there the
// package adds floats in NumPy's order (blocks of 8192, pairwise
// within a block) and follows scikit-learn's operations, so that most
// results agree to the last bit; log loss may differ in the last bit
// or two because NumPy's and Go's logarithms differ.
//
// Where this package and scikit-learn 1.2.1 differ, on purpose:
//
//   - Average precision (PR AUC) when a class does not occur in y is NaN
//     and undefined. scikit-learn returns 0 for such a class (with a
//     warning), or 1 for a binary y of positives only; neither number
//     says anything about the model, and NaN keeps a gate from passing
//     on it.
//   - ROC AUC where scikit-learn raises (a class does not occur in y;
//     for more than two classes, a row of probabilities that does not
//     sum to 1) is NaN and undefined rather than an error, so Classify
//     still returns every other metric.
//   - Log loss is log_loss(y, prob, labels=range(k)): the classes come
//     from the class names, not from y, so a y of one class is not an
//     error. It clips at scikit-learn 1.2's default, eps="auto" (the
//     float64 epsilon, 2.2e-16), not at the 1e-15 of earlier versions.
//   - Probabilities must lie in [0, 1] and regression values must be
//     finite; NaN is an error naming its row, never a NaN metric.
//
// Precision, recall and F1 follow scikit-learn called without labels=:
// Macro and Weighted average over the classes that occur in y or in the
// predictions. The confusion matrix has every class (labels=range(k)).
//
// Rows without a level in a group column (code -1) belong to no slice
// of that column; map them to a level of their own to see them.
package metrics
