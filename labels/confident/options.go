package confident

import (
	"fmt"
	"math"
)

// Filter methods: Cleanlab 2.9's filter_by values of
// cleanlab.filter.find_label_issues.
const (
	// FilterPruneByNoiseRate (Cleanlab's default) flags, in each given
	// class k and for each other class j, the rows with the largest margin
	// p_j − p_k, as many as the calibrated joint puts in (given k, true j).
	FilterPruneByNoiseRate = "prune_by_noise_rate"
	// FilterPruneByClass flags, in each given class, the rows with the
	// smallest self-confidence, as many as the calibrated joint puts off
	// its diagonal in that row.
	FilterPruneByClass = "prune_by_class"
	// FilterBoth flags the rows both of the above flag.
	FilterBoth = "both"
	// FilterConfidentLearning flags the rows counted off the diagonal of
	// the confident joint.
	FilterConfidentLearning = "confident_learning"
	// FilterPredictedNeqGiven flags the rows whose argmax is not the given
	// label.
	FilterPredictedNeqGiven = "predicted_neq_given"
	// FilterLowNormalizedMargin flags the NumIssues rows with the lowest
	// normalized margin; no final un-flagging.
	FilterLowNormalizedMargin = "low_normalized_margin"
	// FilterLowSelfConfidence flags the NumIssues rows with the lowest
	// self-confidence; no final un-flagging.
	FilterLowSelfConfidence = "low_self_confidence"
)

// Rank methods: Cleanlab 2.9's method values of
// cleanlab.rank.get_label_quality_scores (return_indices_ranked_by of
// find_label_issues). Lower scores mean likelier label errors.
const (
	// RankSelfConfidence is p[label].
	RankSelfConfidence = "self_confidence"
	// RankNormalizedMargin is (p[label] − max_{j≠label} p_j + 1) / 2.
	RankNormalizedMargin = "normalized_margin"
	// RankConfidenceWeightedEntropy is log(1+x)/max(x, 1e-6) with x the
	// normalized entropy of the row over max(p[label], 1e-6).
	RankConfidenceWeightedEntropy = "confidence_weighted_entropy"
)

// Options are find_label_issues' parameters. The zero value is Cleanlab's
// defaults: filter_by="prune_by_noise_rate", ranking by
// "self_confidence", frac_noise=1.0, min_examples_per_class=1.
// num_to_remove_per_class, a supplied confident_joint and multi_label are
// not supported.
type Options struct {
	// Filter is a Filter… constant; "" means FilterPruneByNoiseRate.
	Filter string
	// Rank is a Rank… constant, the score of Result.Scores and
	// Result.Order; "" means RankSelfConfidence.
	Rank string
	// FracNoise is frac_noise in (0, 1]: the prune filters flag about this
	// fraction of their estimate. 0 means 1.0.
	FracNoise float64
	// MinExamplesPerClass is min_examples_per_class: classes with at most
	// this many rows are not pruned, and the prune counts leave at least
	// this many rows in each class. 0 means 1. (Cleanlab's 0 cannot be
	// asked for.)
	MinExamplesPerClass int
	// SumTol is the tolerance on each row's probability sum (see
	// Validate). 0 means DefaultSumTol; negative skips the check.
	SumTol float64
	// Workers is the number of goroutines; 0 means GOMAXPROCS. Results do
	// not depend on it.
	Workers int
}

// withDefaults returns o with its zero fields set to the defaults.
func (o Options) withDefaults() Options {
	if o.Filter == "" {
		o.Filter = FilterPruneByNoiseRate
	}
	if o.Rank == "" {
		o.Rank = RankSelfConfidence
	}
	if o.FracNoise == 0 {
		o.FracNoise = 1
	}
	if o.MinExamplesPerClass == 0 {
		o.MinExamplesPerClass = 1
	}
	if o.SumTol == 0 {
		o.SumTol = DefaultSumTol
	}
	o.Workers = workerCount(o.Workers)
	return o
}

// Validate reports options FindIssues rejects: an unknown filter or rank
// method, FracNoise outside [0, 1], a negative MinExamplesPerClass. The
// error wraps ErrInvalid.
func (o Options) Validate() error {
	switch o.Filter {
	case "", FilterPruneByNoiseRate, FilterPruneByClass, FilterBoth, FilterConfidentLearning,
		FilterPredictedNeqGiven, FilterLowNormalizedMargin, FilterLowSelfConfidence:
	default:
		return fmt.Errorf("%w: filter %q: want one of %s, %s, %s, %s, %s, %s, %s", ErrInvalid, o.Filter,
			FilterPruneByNoiseRate, FilterPruneByClass, FilterBoth, FilterConfidentLearning,
			FilterPredictedNeqGiven, FilterLowNormalizedMargin, FilterLowSelfConfidence)
	}
	if err := checkRank(o.Rank); err != nil {
		return err
	}
	if !(o.FracNoise >= 0 && o.FracNoise <= 1) {
		return fmt.Errorf("%w: frac_noise %v: want a fraction in (0, 1]", ErrInvalid, o.FracNoise)
	}
	if o.MinExamplesPerClass < 0 || o.MinExamplesPerClass > math.MaxInt32 {
		return fmt.Errorf("%w: min_examples_per_class %d: want at least 1", ErrInvalid, o.MinExamplesPerClass)
	}
	return nil
}

func checkRank(m string) error {
	switch m {
	case "", RankSelfConfidence, RankNormalizedMargin, RankConfidenceWeightedEntropy:
		return nil
	}
	return fmt.Errorf("%w: rank method %q: want one of %s, %s, %s", ErrInvalid, m,
		RankSelfConfidence, RankNormalizedMargin, RankConfidenceWeightedEntropy)
}
