package confident

import (
	"fmt"
	"math"
	"math/bits"
	"slices"
)

// Result is what FindIssues found. Matrices are K×K with rows indexed by
// the given label and columns by the estimated true label, like
// Cleanlab's confident_joint.
type Result struct {
	Filter string // the filter used (Options.Filter or its default)
	Rank   string // the rank method of Scores and Order

	// LabelCounts is the number of rows given each label
	// (value_counts_fill_missing_classes).
	LabelCounts []int64
	// Thresholds are the per-class confident thresholds,
	// count.get_confident_thresholds: the mean predicted probability of
	// class k over the rows labelled k (NumPy's summation order), 2 for a
	// class no row is labelled with, at least 2e-6.
	Thresholds []float64
	// ConfidentJoint is count.compute_confident_joint(calibrate=False):
	// row i counts the rows labelled i by the class they are confidently
	// predicted as (p_j ≥ threshold_j − 1e-6; the argmax over all classes
	// when several qualify; rows confident in no class are not counted),
	// with the diagonal raised to at least 1.
	ConfidentJoint [][]int64
	// CalibratedJoint is count.calibrate_confident_joint of ConfidentJoint,
	// the confident joint find_label_issues prunes with: each row scaled to
	// its label count, the whole to N, rounded half to even preserving row
	// totals.
	CalibratedJoint [][]int64

	// NumIssues is Cleanlab's estimate of the number of label issues,
	// count.num_label_issues with its default estimation_method
	// "off_diagonal": the rows off the diagonal of the confident joint,
	// less those un-flagged because their argmax (+1e-6 on the given
	// label) is the given label. It equals the number of rows
	// FilterConfidentLearning flags.
	NumIssues int
	// NumIssuesCalibrated is num_label_issues with estimation_method
	// "off_diagonal_calibrated": rint((1 − trace of the normalised
	// calibrated joint) · N). Cleanlab suggests it for fewer than 4
	// classes.
	NumIssuesCalibrated int

	// Issue is the mask find_label_issues returns: Issue[i] is true when
	// row i is flagged.
	Issue []bool
	// Order lists the flagged rows by Scores, lowest (likeliest error)
	// first, ties by row number. Cleanlab (order_label_issues) uses
	// NumPy's unstable argsort, so its order of equal scores may differ.
	Order []int
	// Scores is the label quality score of every row by Rank
	// (rank.get_label_quality_scores).
	Scores []float64
	// SuggestedLabel is the argmax of each row's probabilities (the first
	// on ties), the predicted_label of CleanLearning.find_label_issues.
	SuggestedLabel []int
}

// Per-row flags, set by the passes of FindIssues.
const (
	flagOffDiag uint8 = 1 << iota // counted off the confident joint's diagonal
	flagKeep                      // argmax with +1e-6 on the given label is the given label
	flagArgNeq                    // argmax is not the given label
	flagNoise                     // picked by prune_by_noise_rate
	flagClass                     // picked by prune_by_class
	flagLow                       // picked by a low_* filter
)

// FindIssues finds label issues by confident learning exactly as Cleanlab
// 2.9's cleanlab.filter.find_label_issues(labels, pred_probs,
// filter_by=opts.Filter, frac_noise=opts.FracNoise,
// min_examples_per_class=opts.MinExamplesPerClass) for single-label data:
// given the same probabilities it flags the same rows, ties included
// (where equal values straddle a cut, NumPy 1.24's introsort order is
// replayed). Result.Order is find_label_issues with
// return_indices_ranked_by=opts.Rank, ties by row number.
//
// The input is checked first (see Validate, with opts.SumTol); errors wrap
// ErrInvalid. labels and p are not modified.
func FindIssues(labels []int, p Probs, opts Options) (*Result, error) {
	return findIssues(labels, p, opts, sampleMinRows)
}

// findIssues is FindIssues with the class size from which the noise-rate
// filter samples (see prune), for tests.
func findIssues(labels []int, p Probs, opts Options, sampleFrom int) (*Result, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	o := opts.withDefaults()
	if err := validateShape(labels, p); err != nil {
		return nil, err
	}
	n, k, data, w := p.N, p.K, p.Data, o.Workers
	chunks := spans(n, w)
	nc := len(chunks)
	// The first two passes also check the input; on a problem, validate
	// finds the first bad row for the error.
	invalid := make([]bool, nc)

	// Pass 1: label counts per chunk.
	chunkCounts := make([]int, nc*k)
	parallel(nc, w, func(c int) {
		cc := chunkCounts[c*k : (c+1)*k]
		for _, l := range labels[chunks[c].lo:chunks[c].hi] {
			if uint(l) >= uint(k) {
				invalid[c] = true
				return
			}
			cc[l]++
		}
	})
	if slices.Contains(invalid, true) {
		return nil, rejected(labels, p, o)
	}
	counts := make([]int64, k)
	start := make([]int, k+1) // rows of class j are classRows[start[j]:start[j+1]]
	offs := make([]int, nc*k)
	classes := 0
	for j := range k {
		pos := start[j]
		for c := range nc {
			offs[c*k+j] = pos
			pos += chunkCounts[c*k+j]
		}
		counts[j] = int64(pos - start[j])
		start[j+1] = pos
		if counts[j] > 0 {
			classes++
		}
	}
	if classes < 2 && counts[0] == 0 {
		return nil, rejected(labels, p, o)
	}

	// Pass 2: check the probabilities; group rows by label, in row order,
	// with their self-confidence.
	classRows := make([]int32, n)
	selfConf := make([]float64, n)
	parallel(nc, w, func(c int) {
		off := offs[c*k : (c+1)*k]
		for i := chunks[c].lo; i < chunks[c].hi; i++ {
			row := data[i*k : (i+1)*k : (i+1)*k]
			if !rowOK(row, o.SumTol) {
				invalid[c] = true
				return
			}
			l := labels[i]
			at := off[l]
			off[l]++
			classRows[at] = int32(i)
			selfConf[at] = row[l]
		}
	})
	if slices.Contains(invalid, true) {
		return nil, rejected(labels, p, o)
	}
	thr := make([]float64, k)
	parallel(k, w, func(j int) {
		thr[j] = threshold(selfConf[start[j]:start[j+1]])
	})
	tm := make([]float64, k) // thresholds − 1e-6, as compared
	for j, t := range thr {
		tm[j] = t - floatingPointComparison
	}

	// Pass 3: per row, the confident class, the flags, the scores and the
	// argmax.
	lowMethod := ""
	switch o.Filter {
	case FilterLowNormalizedMargin:
		lowMethod = RankNormalizedMargin
	case FilterLowSelfConfidence:
		lowMethod = RankSelfConfidence
	}
	flags := make([]uint8, n)
	guess := make([]int32, n)
	suggested := make([]int, n)
	scores := make([]float64, n)
	lowScores := scores
	if lowMethod != "" && lowMethod != o.Rank {
		lowScores = make([]float64, n)
	}
	bad := make([]int, nc)
	issues := make([]int, nc)
	logK := math.Log(float64(k))
	parallel(nc, w, func(c int) {
		s := chunks[c]
		numIssues := 0
		firstBad := -1
		var buf []float64
		if o.Rank == RankConfidenceWeightedEntropy {
			buf = make([]float64, k)
		}
		for i := s.lo; i < s.hi; i++ {
			l := labels[i]
			row := data[i*k : (i+1)*k : (i+1)*k]
			best, bestV := 0, row[0]
			nconf, first := 0, -1
			if k <= 64 {
				// The confident classes as a bit set: no branch on the
				// data-dependent comparisons.
				var conf uint64
				for j, v := range row {
					if v > bestV {
						best, bestV = j, v
					}
					conf |= b2u(v >= tm[j]) << uint(j)
				}
				nconf = bits.OnesCount64(conf)
				first = bits.TrailingZeros64(conf)
			} else {
				for j, v := range row {
					if v > bestV {
						best, bestV = j, v
					}
					if v >= tm[j] {
						if nconf == 0 {
							first = j
						}
						nconf++
					}
				}
			}
			suggested[i] = best
			g := -1
			switch {
			case nconf == 1:
				g = first
			case nconf > 1:
				g = best
			}
			guess[i] = int32(g)
			var f uint8
			if best != l {
				f |= flagArgNeq
			}
			if keepsLabel(row, l, bestV) {
				f |= flagKeep
			}
			if g >= 0 && g != l {
				f |= flagOffDiag
				if f&flagKeep == 0 {
					numIssues++
				}
			}
			flags[i] = f
			switch o.Rank {
			case RankSelfConfidence:
				scores[i] = row[l]
			case RankNormalizedMargin:
				scores[i] = normalizedMargin(row, l)
			default:
				if firstBad < 0 && !inUnit(row) {
					firstBad = i
				}
				scores[i] = confidenceWeightedEntropy(row, l, logK, buf)
			}
		}
		issues[c] = numIssues
		bad[c] = firstBad
		if lowMethod != "" && lowMethod != o.Rank {
			scoreRows(lowMethod, labels, p, s.lo, s.hi, lowScores)
		}
	})
	for _, b := range bad {
		if b >= 0 {
			return nil, outOfRange(p, b)
		}
	}
	numIssues := 0
	for _, v := range issues {
		numIssues += v
	}

	// The confident joint and its calibration.
	cj := make([]int64, k*k)
	for i, g := range guess {
		if g >= 0 {
			cj[labels[i]*k+int(g)]++
		}
	}
	for j := range k {
		cj[j*k+j] = max(cj[j*k+j], 1)
	}
	cal, _ := calibrate(cj, counts, k)

	res := &Result{
		Filter:              o.Filter,
		Rank:                o.Rank,
		LabelCounts:         counts,
		Thresholds:          thr,
		ConfidentJoint:      square(cj, k),
		CalibratedJoint:     square(cal, k),
		NumIssues:           numIssues,
		NumIssuesCalibrated: numIssuesCalibrated(cal, counts, k),
		Scores:              scores,
		SuggestedLabel:      suggested,
	}

	// Pass 4: the pruning filters, class by class.
	switch o.Filter {
	case FilterPruneByNoiseRate, FilterPruneByClass, FilterBoth:
		pcm := pruneCounts(cal, k, o.MinExamplesPerClass, o.FracNoise)
		prune(o, p, labels, pcm, counts, start, classRows, selfConf, flags, chunks, sampleFrom)
	case FilterLowNormalizedMargin, FilterLowSelfConfidence:
		var sel selector
		for _, i := range sel.smallest(lowScores, numIssues) {
			flags[i] |= flagLow
		}
	}

	// Pass 5: the mask, then the flagged rows by score.
	var want, unless uint8
	switch o.Filter {
	case FilterPruneByNoiseRate:
		want, unless = flagNoise, flagKeep
	case FilterPruneByClass:
		want, unless = flagClass, flagKeep
	case FilterBoth:
		want, unless = flagNoise|flagClass, flagKeep
	case FilterConfidentLearning:
		want, unless = flagOffDiag, flagKeep
	case FilterPredictedNeqGiven:
		want, unless = flagArgNeq, flagKeep
	default: // low_*
		want = flagLow
	}
	issue := make([]bool, n)
	flagged := make([]int, nc)
	parallel(nc, w, func(c int) {
		m := 0
		for i := chunks[c].lo; i < chunks[c].hi; i++ {
			f := flags[i]
			if f&want == want && f&unless == 0 {
				issue[i] = true
				m++
			}
		}
		flagged[c] = m
	})
	res.Issue = issue
	res.Order = rankFlagged(issue, scores, chunks, flagged, w)
	return res, nil
}

// rejected returns validate's error for input the passes of FindIssues
// found invalid.
func rejected(labels []int, p Probs, o Options) error {
	if err := validate(labels, p, o.SumTol, o.Workers); err != nil {
		return err
	}
	return fmt.Errorf("%w: input rejected", ErrInvalid) // not reached: the checks agree
}

// keepsLabel reports whether the argmax of row with 1e-6 added to the
// given label l is l (count._reduce_issues); bestV is the row's maximum.
// np.argmax takes the first maximum, so an earlier class equal to
// p_l + 1e-6 wins over l.
func keepsLabel(row []float64, l int, bestV float64) bool {
	pl := row[l] + floatingPointComparison
	switch {
	case bestV < pl:
		return true
	case bestV > pl:
		return false
	}
	for j := range l {
		if row[j] >= pl {
			return false
		}
	}
	return true
}

// b2u is 1 for true, 0 for false.
func b2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}
