// Package agreement measures how far annotators agree and derives consensus
// labels from their votes. It is pure computation over labels already
// encoded as class codes; loading data and naming classes is the caller's
// job.
//
// Glossary:
//   - Ratings: items × annotators in wide form, labels coded 0..K-1 and
//     Missing (-1) where an annotator did not label an item. FromLong builds
//     it from (item, annotator, label) rows.
//   - Cohen's kappa (CohenKappa): for every pair of annotators, on the items
//     both labelled; matches sklearn.metrics.cohen_kappa_score (unweighted).
//   - Fleiss' kappa (FleissKappa): on the items labelled by every
//     annotator; matches statsmodels' fleiss_kappa(method='fleiss') on
//     aggregate_raters counts.
//   - Krippendorff's alpha (KrippendorffAlpha): nominal, missing labels
//     allowed; units (items) with fewer than two labels are dropped; matches
//     nltk's AnnotationTask.alpha and Krippendorff's worked example.
//   - Undefined: a coefficient that is 0/0 (nothing to compare, or chance
//     agreement 1 because a single category is used) is NaN and carries a
//     Reason; it is never reported as 0 or 1.
//   - Tie order: where votes tie, the label given most often across the
//     whole Ratings wins, then the smallest code (MajorityVote,
//     AnnotatorAgreement, DawidSkene).
//   - Majority vote (MajorityVote): the most frequent label of each item,
//     with its vote share.
//   - Leave-one-out agreement (AnnotatorAgreement): the share of an
//     annotator's labels equal to the majority vote of the other
//     annotators on the same item, the annotator's own labels excluded
//     from the tie order too, so no annotator votes on its own score.
//   - Dawid-Skene (DawidSkene): the EM model of Dawid and Skene (1979):
//     per-annotator confusion matrices, class priors and a posterior over
//     the true class of each item, started from the soft majority vote.
//
// Costs: every function is one or a few passes over the labels,
// O(items × annotators), with O(K) scratch space; outputs per item
// (consensus, posteriors) are O(items) and O(items × K). Pairwise kappa
// makes one pass per pair, O(items × annotators²) in all. Leave-one-out
// agreement and Dawid-Skene group items by their row of labels first (with
// 5 annotators and 5 classes at most 6⁵ distinct rows) and then work per
// distinct row, so each Dawid-Skene iteration costs O(rows × annotators × K)
// whatever the number of items.
package agreement
