// Package linear fits linear models on a frame.Matrix and matches
// scikit-learn 1.2.1 to within the tolerances its tests state:
// LogisticRegression (lbfgs, L2, binary and multinomial), LinearRegression
// and Ridge, behind a design step that imputes, standardizes and one-hot
// encodes as SimpleImputer, StandardScaler and OneHotEncoder do.
//
// Glossary:
//
//   - Design: the fitted step that turns a frame.Matrix into a dense
//     float64 matrix, the design matrix, one row per row and one column
//     per design column. It is fitted on training rows and applied,
//     unchanged, to any rows later.
//   - Input: how one feature becomes design columns. A numeric feature is
//     one column: a missing value becomes the training mean, and with
//     Standardize the column is centred and divided by its training
//     standard deviation (population, ddof 0; a constant column is only
//     centred). A categorical feature is one column per level seen in
//     training (one-hot); a missing value or a level not seen in training
//     sets none of them.
//   - Estimator: a model on the design matrix: LogisticRegression or
//     LinearRegression. Each has a Fit function taking a *mat.Dense.
//   - Model: a Design and an estimator together, fitted by Fit on a
//     frame.Matrix and a frame.Target, predicting from a frame.Matrix, and
//     saved with MarshalBinary in the format FORMAT.md describes.
//   - C: the inverse strength of logistic regression's L2 penalty on the
//     coefficients (not the intercepts): the objective is the summed log
//     loss plus ‖w‖²/(2C), as in scikit-learn.
//   - Alpha: ridge regression's L2 penalty: the objective is the summed
//     squared error plus Alpha·‖w‖²; zero is ordinary least squares.
package linear
