// Package confident finds label errors by confident learning, exactly as
// Cleanlab 2.x does: given the same out-of-sample predicted probabilities,
// FindIssues flags the same rows as cleanlab.filter.find_label_issues,
// and Scores returns cleanlab.rank.get_label_quality_scores. It works on
// integer class codes; mapping class names to codes is the caller's job.
//
// The tests check every output against Cleanlab 2.9.0 (tag v2.9.0, commit 7506257,
// run from source) on NumPy 1.24.2 and scikit-learn 1.2.1; see
// testdata/README.md.
//
// # Glossary
//
// Given label: the label in the data, labels[i], an integer in [0, K).
// True label: the class a row really belongs to, unknown and estimated.
//
// Self-confidence: p[i][labels[i]], the predicted probability of the
// given label.
//
// Threshold: per class k, the mean self-confidence of the rows labelled k
// (count.get_confident_thresholds). A row is confidently class j when
// p_j ≥ threshold_j − 1e-6; when several classes qualify, the argmax over
// all classes is taken; a row confident in no class is left out.
//
// Confident joint: the K×K counts of rows by given label (row) and the
// class they are confidently predicted as (column), diagonal raised to at
// least 1 (count.compute_confident_joint). Calibrated joint: each row
// scaled to its label count and the whole to N, rounded half to even
// while preserving row totals (count.calibrate_confident_joint).
//
// Prune counts: the transposed calibrated joint with each diagonal raised
// to min_examples_per_class (the increase taken evenly from the column's
// non-zero noise counts), noise counts scaled by frac_noise, truncated to
// integers (filter._keep_at_least_n_per_class).
//
// Filters (Options.Filter): prune_by_noise_rate, the default, flags for
// each given class k and other class j the prune count's worth of rows
// labelled k with the largest margin p_j − p_k; prune_by_class flags the
// rows of each class with the smallest self-confidence; both flags rows
// both flag; confident_learning flags the rows off the confident joint's
// diagonal; predicted_neq_given flags rows whose argmax is not the given
// label; low_normalized_margin and low_self_confidence flag the NumIssues
// rows with the lowest score. All but the low_* filters then un-flag
// every row whose argmax, with 1e-6 added to the given label's
// probability, is the given label (the first maximum wins, as in
// np.argmax).
//
// Scores (Options.Rank): self_confidence, normalized_margin
// ((p_label − max_{j≠label} p_j + 1)/2) and confidence_weighted_entropy;
// lower means likelier a label error. Result.Order lists the flagged rows
// by score, worst first.
//
// NumIssues: Cleanlab's estimate of the number of label errors,
// count.num_label_issues with its default "off_diagonal" method (the
// confident_learning rows); NumIssuesCalibrated is its
// "off_diagonal_calibrated" method.
//
// # Exactness
//
// Cleanlab's results hinge on NumPy's arithmetic in a few places, and the
// package replays it: np.mean's pairwise summation (8192-element blocks,
// eight accumulators) for the thresholds and the calibration totals,
// round half to even, truncation in astype(int), and above all
// np.argsort's introsort. Where equal margins or self-confidences straddle
// a prune cut, which of them Cleanlab flags is decided by the order in
// which NumPy's unstable quicksort leaves equal keys; FindIssues
// reproduces that order (NumPy's generic aquicksort/aheapsort, as in
// NumPy 1.24 on every CPU). Later NumPy releases dispatch SIMD sorts on
// CPUs that support them, which order equal keys differently: there,
// Cleanlab itself may flag other rows among exactly tied candidates.
//
// Probabilities are float64, matching Cleanlab given float64 pred_probs.
// Given float32 pred_probs, NumPy computes Cleanlab's thresholds and
// margins in float32; convert them to float64 before calling Cleanlab to
// compare.
//
// # Deviations from Cleanlab
//
//   - Result.Order breaks ties by row number; Cleanlab's
//     order_label_issues uses NumPy's unstable argsort, so rows with
//     equal scores may come in another order there. The flagged set and
//     the sequence of scores are the same.
//   - Validate checks more than Cleanlab: NaN and ±Inf are rejected
//     (Cleanlab lets NaN through), rows must sum to 1 within a tolerance,
//     K must be at least 2, and there are MaxRows and MaxClasses.
//   - With every label 0 (K ≥ 2), Cleanlab's find_label_issues runs but
//     its num_label_issues, get_label_quality_scores, the low_* filters
//     and return_indices_ranked_by raise "Labels must contain at least 2
//     classes"; FindIssues and Scores compute them as for any other input.
//   - confidence_weighted_entropy uses Go's math.Log, NumPy and SciPy their
//     own log: scores may differ in the last bits (within 1e-13 relative in
//     the tests), and so may the order of rows whose scores are that close.
//     The other scores, and every filter, are bit for bit Cleanlab's.
//   - Not supported: num_to_remove_per_class, a caller-supplied
//     confident_joint, multi_label, rank_by_kwargs and adjust_pred_probs,
//     and min_examples_per_class = 0 (0 in Options means the default 1).
//   - The noise matrix and inverse noise matrix are not computed:
//     find_label_issues does not compute them either.
//
// # Speed
//
// FindIssues makes three passes over the probabilities in row order, each
// split into chunks over Options.Workers goroutines: counting labels;
// checking values while grouping the self-confidences by class; and the
// per-row work (confident class, argmax, un-flagging, scores). The prune
// cuts are selections, not sorts: prune_by_class selects on the grouped
// self-confidences; prune_by_noise_rate brackets each cut from a sample of
// the margins, keeps the rows inside the bracket in one more pass, and
// selects among those. Only when equal keys straddle a cut (or a bracket
// misses) does a cut fall back to NumPy's sort on its class. The flagged
// rows are then radix-sorted by score. On 1M rows × 10 classes in memory,
// the default filter takes about 60 ms on two cores (100 ms on one), where
// Cleanlab takes about 1.5 s (BenchmarkFindIssues and
// testdata/bench_cleanlab.py).
package confident
