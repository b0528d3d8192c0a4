package agreement

import "math"

// Alpha is Krippendorff's alpha for nominal data with its parts.
type Alpha struct {
	// Value is 1 − Observed/Expected, or NaN when Undefined is not
	// Defined.
	Value float64
	// Units is the number of items with at least two labels (pairable
	// units); Pairable the number of labels on them (n).
	Units, Pairable int
	// Observed and Expected are the disagreements D_o and D_e; NaN when
	// Pairable is 0.
	Observed, Expected float64
	// Undefined says why Value is NaN.
	Undefined Reason
}

// KrippendorffAlpha returns Krippendorff's alpha for nominal labels. Labels
// may be missing: an item with m_u ≥ 2 labels is a pairable unit, items
// with fewer are dropped. With n_uc the labels of class c on unit u,
// n_c = Σ_u n_uc and n = Σ_c n_c,
//
//	D_o = (1/n) Σ_u Σ_{c≠k} n_uc n_uk / (m_u − 1)
//	D_e = Σ_{c≠k} n_c n_k / (n (n − 1))
//	alpha = 1 − D_o / D_e
//
// as in Krippendorff, "Computing Krippendorff's Alpha-Reliability" (2011),
// whose nominal example with missing values gives 0.743. It matches
// nltk.metrics.agreement.AnnotationTask(data).alpha() (binary distance)
// except where nltk's answer is not a number: no pairable unit is NaN with
// NoItems (nltk divides by zero), a single category among the pairable
// labels is NaN with NoVariation (nltk returns 1 when only one label
// occurs anywhere and divides by zero otherwise).
func KrippendorffAlpha(r Ratings) (Alpha, error) {
	if err := r.Validate(); err != nil {
		return Alpha{}, err
	}
	n := r.Annotators
	// byM[m] is Σ_{c≠k} n_uc n_uk = m² − Σ_c n_uc² summed over units with
	// m labels: exact integers, divided by m − 1 once at the end.
	byM := make([]int64, n+1)
	counts := make([]int64, r.K)
	t := newTally(r.K, n)
	var units, pairable int64
	for i := 0; i < len(r.Labels); i += n {
		row := r.Labels[i : i+n]
		var m, sumSq int64
		for _, l := range row {
			if l >= 0 {
				sumSq += 2*int64(t.add(l)) + 1
				m++
			}
		}
		if m >= 2 {
			units++
			pairable += m
			byM[m] += m*m - sumSq
			for _, l := range t.distinct {
				counts[l] += int64(t.cnt[l])
			}
		}
		t.reset()
	}
	a := Alpha{Units: int(units), Pairable: int(pairable)}
	if pairable == 0 {
		a.Value, a.Observed, a.Expected, a.Undefined = math.NaN(), math.NaN(), math.NaN(), NoItems
		return a, nil
	}
	var do float64
	for m := 2; m <= n; m++ {
		if byM[m] != 0 {
			do += float64(byM[m]) / float64(m-1)
		}
	}
	fn := float64(pairable)
	a.Observed = do / fn
	var dot int64
	for _, c := range counts {
		dot += c * c
	}
	a.Expected = float64(pairable*pairable-dot) / (fn * (fn - 1))
	if dot == pairable*pairable {
		a.Value, a.Undefined = math.NaN(), NoVariation
		return a, nil
	}
	a.Value = 1 - a.Observed/a.Expected
	return a, nil
}
