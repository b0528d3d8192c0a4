// Package drift compares current data with a reference: per-column
// two-sample tests, a dataset verdict, whole-row (multivariate) drift and
// concept drift, and monitors a dataset's versions against a reference.
//
// Glossary:
//   - Column test: each column is compared with one method. With auto,
//     Evidently's default rule chooses: n_ref non-missing reference
//     values and n_values distinct values of reference ∪ current; a
//     numeric column with more than 5 values gets KS when n_ref ≤ 1000,
//     else the Wasserstein distance normed by the reference's standard
//     deviation (ddof 0, at least 0.001); any other column gets
//     chi-square (more than 2 values) or the two-proportion z-test when
//     n_ref ≤ 1000, else Jensen-Shannon. Tests drift when p < 0.05 (KS:
//     p ≤ 0.05), distances when ≥ 0.1; --threshold overrides.
//   - Chi-square is Evidently's goodness of fit: current counts against
//     the reference's shares scaled to the current size (not the 2×K
//     contingency test of Alibi Detect and NannyML).
//   - Bins: numeric columns are binned on 20 equal-width bins of the
//     reference's range (one per integer for narrow integer ranges, the
//     rule of stored profiles), with an open bin either side for current
//     values outside it; categorical columns keep the reference's 20 most
//     frequent categories and an "other" bin, so that many rare
//     categories do not read as drift.
//   - Missing share: a change of at least one percentage point that a
//     two-proportion z-test finds significant (p < 0.05) is drift of its
//     own, whatever the value test says.
//   - Dataset drift: the share of drifted columns at or above a threshold
//     (0.5), p-values optionally corrected (Bonferroni, Benjamini-Hochberg).
//   - Sample: a side of more than DefaultSampleCap rows is tested on a
//     uniform sample chosen by a hash of the row number (the same on
//     every run); category and missing counts stay exact.
//   - Shards: Compare is NewPlan, a Scan of each side and Finish. A
//     sharded run scans row groups apart (Plan.Scan with only), moves the
//     Parts as bytes (Part.MarshalBinary, Plan.DecodePart), merges them in
//     row-group order (Part.Merge) and finishes with the same report.
package drift
