// Package gbdt trains and applies histogram-based gradient-boosted
// decision trees, in the manner of scikit-learn's
// HistGradientBoostingClassifier and HistGradientBoostingRegressor (whose
// parameter names and defaults it keeps) and of LightGBM.
//
// Train fits a Model to a frame.Matrix and a frame.Target; the model
// predicts raw scores, class probabilities, classes or values for the
// rows of another matrix, whose features it finds by name. Models encode
// to bytes with MarshalBinary and back with UnmarshalBinary.
//
// Glossary:
//
//   - Bin: training reads each feature as small integers. A numeric
//     feature has up to MaxBins bins, bounded by thresholds at quantiles
//     of its distinct values (computed on a seeded subsample of 200,000
//     rows); a categorical feature's bin is its level code. Missing values
//     have a bin of their own. Prediction compares raw values with
//     thresholds and needs no bins.
//   - Histogram: per feature and tree node, the sums of the gradients and
//     hessians, and the count, of the node's rows in each bin. The
//     histograms of the smaller child of a split are built from its rows,
//     its sibling's by subtracting them from the parent's.
//   - Gradient, hessian: the first and second derivatives of the loss of
//     each row with respect to its raw score; each tree fits a Newton step.
//   - Raw score: the sum of a baseline (the best constant) and the outputs
//     of the trees; a sigmoid or softmax of it gives probabilities.
//   - Iteration: one round of boosting: one tree, or one tree per class for
//     more than two classes.
//   - Gain: the decrease of the loss a split brings,
//     G_L²/(H_L+λ) + G_R²/(H_R+λ) − G²/(H+λ); a feature's importance is
//     the share of the total gain of all splits that are on it.
//
// Trees grow best-first: the leaf whose best split gains most splits next,
// until MaxLeafNodes leaves, MaxDepth, or no split leaves MinSamplesLeaf
// rows and a hessian sum of 1e-3 on each side. A numeric split sends the
// bins up to a threshold left; missing values go to whichever side gains
// more, and, for a feature with no missing values in training, to the
// side that had more rows. A categorical split sorts the levels with
// enough support by their gradient/hessian ratio and sends a prefix or
// suffix of that order left, kept as a bit set of level codes; levels the
// training rows lacked count as missing.
//
// # Model format
//
// MarshalBinary writes, in order, little-endian (uvarint and varint are
// encoding/binary's; str is a uvarint length and bytes; f64 is an IEEE
// 754 bit pattern as u64):
//
//	magic "GBDT", u16 format version (1)
//	params: str Loss, f64 LearningRate, uvarint MaxIter, MaxLeafNodes,
//	  MaxDepth, MinSamplesLeaf, f64 L2Regularization, uvarint MaxBins,
//	  str EarlyStopping, f64 ValidationFraction, uvarint NIterNoChange,
//	  f64 Tol, u64 Seed
//	u8 task (0 classification, 1 regression), u8 loss (1 binary log
//	  loss, 2 multiclass log loss, 3 squared error), str target
//	uvarint classes, each str
//	uvarint features, each: str name, u8 kind (0 numeric, 1 categorical),
//	  and if categorical: uvarint levels, each str level, u8 seen
//	uvarint scores per row k, k × f64 baseline
//	uvarint trees (iteration i, class c at i*k+c), each:
//	  uvarint nodes, each: varint feature (-1 for a leaf); if not a leaf:
//	    uvarint left child (the right is next), f64 threshold, varint
//	    category set (-1 for a numeric split), u8 missing-go-left,
//	    f64 gain; then f64 value, uvarint training rows
//	  uvarint category sets, each 4 × u64 (bit c: level code c goes left)
//	uvarint n, n × f64 training loss; uvarint n, n × f64 validation loss
//	u32 CRC-32C (Castagnoli) of all the bytes before it
//
// Decoders reject other versions, bad checksums and trees that could not
// have been trained (a child before its parent, a feature out of range).
package gbdt
