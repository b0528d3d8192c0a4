package drift

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/assayhq/assay/drift/stat"
)

// Methods are the tests and distances a column can be compared with.
var Methods = []string{"auto", "ks", "chisquare", "z", "psi", "jensenshannon", "kl", "wasserstein", "hellinger", "anderson", "cvm", "mannwhitney", "tvd"}

// defaultThreshold is each method's threshold: a p-value for tests
// (drift when p < threshold; KS: p ≤ threshold, as Evidently), a distance
// for the others (drift when distance ≥ threshold).
func defaultThreshold(method string) float64 {
	switch method {
	case "ks", "chisquare", "z", "anderson", "cvm", "mannwhitney":
		return 0.05
	}
	return 0.1
}

func isTest(method string) bool {
	switch method {
	case "ks", "chisquare", "z", "anderson", "cvm", "mannwhitney":
		return true
	}
	return false
}

// TopK is the number of reference categories a categorical column keeps as
// its own bins; the rest share an "other" bin, so that columns of many
// categories are not called drifted by sampling noise alone.
const TopK = 20

// NumericBins is the number of equal-width bins over the reference's
// range for binned tests of numeric columns (profile histograms use the
// same rule, so stored bins and fresh ones agree).
const NumericBins = 20

// choose applies Evidently's default rule: with n_ref non-missing
// reference values and n_values distinct values in reference ∪ current, a
// numeric column with more than 5 values gets KS (n_ref ≤ 1000) or the
// normed Wasserstein distance; other columns get chi-square (more than 2
// values) or the z-test for proportions (n_ref ≤ 1000), else
// Jensen-Shannon.
func choose(numeric bool, nRef int64, nValues int) string {
	if numeric && nValues > 5 {
		if nRef <= 1000 {
			return "ks"
		}
		return "wasserstein"
	}
	if nRef <= 1000 {
		if nValues > 2 {
			return "chisquare"
		}
		return "z"
	}
	return "jensenshannon"
}

// side is one side of a column: its tested values (numeric, sorted) or
// category counts.
type side struct {
	sorted  []float64 // numeric: non-missing values, sorted
	counts  map[string]int64
	missing int64
	rows    int64
	// rest counts values not itemised in counts: the rare categories a
	// stored profile's frequent-value summary dropped.
	rest int64
	// fromProfile: the side was built from a stored profile; sketched:
	// from its sketches (approximate), not its exact counts.
	fromProfile, sketched bool
}

// compareColumn compares one column with the method (or auto).
func compareColumn(name, typ string, numeric bool, ref, cur *side, method string, threshold *float64) *ColumnResult {
	r := &ColumnResult{Column: name, Type: typ, Kind: "categorical"}
	if numeric {
		r.Kind = "numeric"
	}
	r.MissingRef = share(ref.missing, ref.rows)
	r.MissingCur = share(cur.missing, cur.rows)
	r.MissingDrift = missingDrift(ref, cur)
	var nValues int
	if numeric {
		r.RefCount, r.CurCount = int64(len(ref.sorted)), int64(len(cur.sorted))
		nValues = distinctSorted(ref.sorted, cur.sorted)
	} else {
		r.RefCount, r.CurCount = sum(ref.counts)+ref.rest, sum(cur.counts)+cur.rest
		nValues = len(ref.counts)
		for k := range cur.counts {
			if _, ok := ref.counts[k]; !ok {
				nValues++
			}
		}
	}
	r.Distinct = nValues
	if method == "" || method == "auto" {
		method = choose(numeric, r.RefCount, nValues)
	}
	r.Test = method
	th := defaultThreshold(method)
	if threshold != nil {
		th = *threshold
	}
	r.Threshold = Float(th)
	if r.RefCount == 0 || r.CurCount == 0 {
		r.Notes = append(r.Notes, "a side has no values: no test")
		r.Statistic = Float(math.NaN())
		r.Drifted = r.MissingDrift
		return r
	}
	// Binned view: reference bins, both sides' counts. Numeric columns
	// of few values are binned by value, like categories.
	var refBins, curBins []float64
	if numeric && nValues > 20 {
		r.Bins = numericBins(ref.sorted, cur.sorted)
	} else {
		if numeric {
			ref.counts, cur.counts = valueCounts(ref.sorted), valueCounts(cur.sorted)
		}
		r.Bins = categoryBins(ref.counts, cur.counts, ref.rest)
	}
	refBins, curBins = floats64(r.Bins.Ref), floats64(r.Bins.Cur)
	var res stat.Result
	isP := isTest(method)
	switch method {
	case "ks":
		if numeric {
			res = stat.KSSorted(ref.sorted, cur.sorted)
		} else {
			r.Notes = append(r.Notes, "KS needs numbers: categories compared with chi-square")
			method, isP = "chisquare", true
			r.Test = method
		}
	case "wasserstein":
		if numeric {
			d := stat.WassersteinSorted(ref.sorted, cur.sorted)
			sd := math.Max(stdPop(ref.sorted), 0.001)
			res = stat.Result{Statistic: d / sd, PValue: math.NaN(), LogPValue: math.NaN()}
		} else {
			method = "jensenshannon"
			r.Test = method
			r.Notes = append(r.Notes, "Wasserstein needs numbers: categories compared with Jensen-Shannon")
		}
	case "anderson", "cvm", "mannwhitney":
		if !numeric {
			return nonNumericResult(r, method)
		}
		switch method {
		case "anderson":
			res = stat.AndersonKSamp(ref.sorted, cur.sorted)
		case "cvm":
			res = stat.CramerVonMises2(ref.sorted, cur.sorted)
		default:
			res = stat.MannWhitneyU(ref.sorted, cur.sorted, "two-sided")
		}
	}
	switch method {
	case "chisquare":
		res = chiSquare(refBins, curBins)
	case "z":
		// Two values: the share of the first category on each side.
		sa, sb := 0.0, 0.0
		if len(refBins) > 0 {
			sa, sb = refBins[0], curBins[0]
		}
		res = stat.ZTestProportions(sa, total(refBins), sb, total(curBins))
		// Which value is "first" is arbitrary: report |z|.
		res.Statistic = math.Abs(res.Statistic)
	case "psi":
		res = distance(stat.PSI(refBins, curBins))
	case "jensenshannon":
		res = distance(stat.JensenShannon(refBins, curBins))
	case "kl":
		res = distance(stat.KL(refBins, curBins))
	case "hellinger":
		res = distance(stat.Hellinger(refBins, curBins))
	case "tvd":
		res = distance(stat.TVD(refBins, curBins))
	}
	r.Statistic = Float(res.Statistic)
	if math.IsNaN(res.Statistic) || isP && math.IsNaN(res.PValue) {
		r.Notes = append(r.Notes, fmt.Sprintf("%s is not defined on these values (%d distinct): no verdict from it", r.Test, nValues))
	}
	if method == "cvm" && res.PValue > 0 && res.PValue < 1e-3 && math.Abs(math.Log(res.PValue)-res.LogPValue) > 1e-6*math.Abs(res.LogPValue) {
		r.Notes = append(r.Notes, "p-value as SciPy computes it, whose series loses precision below 0.001; ln p is the accurate tail")
	}
	if isP {
		p, lp := Float(res.PValue), Float(res.LogPValue)
		r.PValue, r.LogPValue = &p, &lp
		r.TestDrifted = res.PValue < th || method == "ks" && res.PValue == th
	} else {
		r.TestDrifted = res.Statistic >= th
	}
	r.Drifted = r.TestDrifted || r.MissingDrift
	explain(r, ref, cur, numeric)
	return r
}

// chiSquare is Evidently's goodness of fit: current counts against the
// reference's shares scaled to the current size, over the bins either
// side uses. A current value where the reference has none is impossible
// under the reference's distribution: p is 0 (ln p −∞).
func chiSquare(refBins, curBins []float64) stat.Result {
	nr, nc := total(refBins), total(curBins)
	var obs, exp []float64
	for i, c := range refBins {
		if c == 0 && curBins[i] == 0 {
			continue
		}
		if c == 0 {
			return stat.Result{Statistic: math.Inf(1), PValue: 0, LogPValue: math.Inf(-1)}
		}
		obs = append(obs, curBins[i])
		exp = append(exp, c/nr*nc)
	}
	return stat.ChiSquareGOF(obs, exp)
}

func nonNumericResult(r *ColumnResult, method string) *ColumnResult {
	r.Statistic = Float(math.NaN())
	r.Notes = append(r.Notes, fmt.Sprintf("%s needs numbers; %s is %s: no test", method, r.Column, r.Type))
	r.Drifted = r.MissingDrift
	return r
}

func distance(d float64) stat.Result {
	return stat.Result{Statistic: d, PValue: math.NaN(), LogPValue: math.NaN()}
}

// missingDrift reports a change in the missing share: a two-proportion
// z-test below 0.05 on a change of at least one percentage point (so that
// huge samples do not flag noise).
func missingDrift(ref, cur *side) bool {
	if ref.rows == 0 || cur.rows == 0 {
		return false
	}
	a, b := share(ref.missing, ref.rows), share(cur.missing, cur.rows)
	if math.Abs(a-b) < 0.01 {
		return false
	}
	res := stat.ZTestProportions(float64(ref.missing), float64(ref.rows), float64(cur.missing), float64(cur.rows))
	return res.PValue < 0.05
}

// numericBins bins both sides on NumericBins equal-width bins over the
// reference's range (one bin per integer for narrow integer ranges), plus
// an open bin on either side for current values outside it.
func numericBins(ref, cur []float64) *Bins {
	lo, hi := ref[0], ref[len(ref)-1]
	var edges []float64
	switch {
	case lo == hi:
		edges = []float64{lo, hi}
	case isIntegral(ref) && hi-lo < NumericBins:
		for v := lo; v <= hi+1; v++ {
			edges = append(edges, v)
		}
	default:
		w := (hi - lo) / NumericBins
		for i := range NumericBins {
			edges = append(edges, lo+float64(i)*w)
		}
		edges = append(edges, hi)
	}
	all := append([]float64{math.Inf(-1)}, edges...)
	all = append(all, math.Inf(1))
	b := &Bins{Edges: make([]Float, len(all))}
	for i, e := range all {
		b.Edges[i] = Float(e)
	}
	b.Ref = binCounts(ref, edges)
	b.Cur = binCounts(cur, edges)
	return b
}

// binCounts counts sorted values into [−∞, e0), [e0, e1), …, [e_last−1,
// e_last], (e_last, ∞).
func binCounts(sorted []float64, edges []float64) []int64 {
	out := make([]int64, len(edges)+1)
	prev := 0
	for i := range edges {
		var j int
		if i == len(edges)-1 {
			j = sort.Search(len(sorted), func(k int) bool { return sorted[k] > edges[i] })
		} else {
			j = sort.Search(len(sorted), func(k int) bool { return sorted[k] >= edges[i] })
		}
		out[i] = int64(j - prev)
		prev = j
	}
	out[len(edges)] = int64(len(sorted) - prev)
	return out
}

// categoryBins keeps the reference's TopK most frequent categories (ties
// by name) as bins and puts the rest, and categories new in current, in
// "other"; with at most TopK categories in all and none unlisted, each
// category of either side is a bin. refRest counts reference values of
// categories not in ref.
func categoryBins(ref, cur map[string]int64, refRest int64) *Bins {
	type catCount struct {
		name     string
		ref, cur int64
	}
	all := make([]catCount, 0, len(ref))
	for k, v := range ref {
		all = append(all, catCount{k, v, cur[k]})
	}
	for k, v := range cur {
		if _, ok := ref[k]; !ok {
			all = append(all, catCount{k, 0, v})
		}
	}
	// Reference categories first, most frequent first; new ones last.
	slices.SortFunc(all, func(a, b catCount) int {
		if a.ref != b.ref {
			return cmp.Compare(b.ref, a.ref)
		}
		return strings.Compare(a.name, b.name)
	})
	b := &Bins{}
	keep := all
	if len(all) > TopK || refRest > 0 {
		keep = all[:min(TopK, len(ref))]
	}
	for _, c := range keep {
		b.Labels = append(b.Labels, c.name)
		b.Ref = append(b.Ref, c.ref)
		b.Cur = append(b.Cur, c.cur)
	}
	if len(keep) == len(all) && refRest == 0 {
		return b
	}
	ro, co := refRest, int64(0)
	for _, c := range all[len(keep):] {
		ro += c.ref
		co += c.cur
	}
	b.Labels = append(b.Labels, "other")
	b.Ref = append(b.Ref, ro)
	b.Cur = append(b.Cur, co)
	return b
}

// explain adds the shifts and the bins or categories that moved most.
func explain(r *ColumnResult, ref, cur *side, numeric bool) {
	if numeric && len(ref.sorted) > 0 && len(cur.sorted) > 0 {
		sd := stdSample(ref.sorted)
		if sd > 0 {
			m := Float((mean(cur.sorted) - mean(ref.sorted)) / sd)
			r.MeanShift = &m
			r.QuantileShifts = map[string]Float{}
			for _, p := range []float64{0.05, 0.25, 0.5, 0.75, 0.95} {
				r.QuantileShifts["p"+strconv.Itoa(int(p*100+0.5))] = Float((quantileSorted(cur.sorted, p) - quantileSorted(ref.sorted, p)) / sd)
			}
		}
	}
	if b := r.Bins; b != nil {
		nr, nc := float64(sum64(b.Ref)), float64(sum64(b.Cur))
		type mv struct {
			i int
			d float64
		}
		var ms []mv
		for i := range b.Ref {
			d := math.Abs(float64(b.Cur[i])/nc - float64(b.Ref[i])/nr)
			if d > 0 {
				ms = append(ms, mv{i, d})
			}
		}
		sort.SliceStable(ms, func(i, j int) bool { return ms[i].d > ms[j].d })
		for _, m := range ms[:min(3, len(ms))] {
			r.Moved = append(r.Moved, Move{Label: binLabel(b, m.i), RefShare: float64(b.Ref[m.i]) / nr, CurShare: float64(b.Cur[m.i]) / nc})
		}
	}
	if ref.rest > 0 {
		r.Notes = append(r.Notes, "the reference's rare categories come from a sketch: new categories are not listed")
	} else if !numeric || ref.counts != nil {
		for k := range cur.counts {
			if ref.counts[k] == 0 {
				r.New = append(r.New, k)
			}
		}
		for k := range ref.counts {
			if cur.counts[k] == 0 {
				r.Gone = append(r.Gone, k)
			}
		}
		slices.Sort(r.New)
		slices.Sort(r.Gone)
		const most = 10
		if len(r.New) > most {
			r.New = append(r.New[:most], fmt.Sprintf("… %d more", len(r.New)-most))
		}
		if len(r.Gone) > most {
			r.Gone = append(r.Gone[:most], fmt.Sprintf("… %d more", len(r.Gone)-most))
		}
	}
}

// binLabel names a bin: its category, or its range.
func binLabel(b *Bins, i int) string {
	if b.Labels != nil {
		return b.Labels[i]
	}
	lo, hi := float64(b.Edges[i]), float64(b.Edges[i+1])
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', 6, 64) }
	switch {
	case math.IsInf(lo, -1):
		return "< " + f(hi)
	case math.IsInf(hi, 1):
		return "> " + f(lo)
	}
	return "[" + f(lo) + ", " + f(hi) + ")"
}

func share(n, of int64) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) / float64(of)
}

func sum(m map[string]int64) int64 {
	var s int64
	for _, v := range m {
		s += v
	}
	return s
}

func sum64(v []int64) int64 {
	var s int64
	for _, x := range v {
		s += x
	}
	return s
}

func total(v []float64) float64 {
	var s float64
	for _, x := range v {
		s += x
	}
	return s
}

func floats64(v []int64) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = float64(x)
	}
	return out
}

func mean(v []float64) float64 {
	var s float64
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}

// stdPop is the population standard deviation (ddof 0), as Evidently
// norms the Wasserstein distance.
func stdPop(v []float64) float64 {
	m := mean(v)
	var s float64
	for _, x := range v {
		d := x - m
		s += d * d
	}
	return math.Sqrt(s / float64(len(v)))
}

func stdSample(v []float64) float64 {
	if len(v) < 2 {
		return 0
	}
	return stdPop(v) * math.Sqrt(float64(len(v))/float64(len(v)-1))
}

// quantileSorted is NumPy's linear interpolation.
func quantileSorted(s []float64, p float64) float64 {
	pos := p * float64(len(s)-1)
	lo := int(math.Floor(pos))
	if lo+1 >= len(s) {
		return s[len(s)-1]
	}
	f := pos - float64(lo)
	return s[lo] + (s[lo+1]-s[lo])*f
}

func isIntegral(s []float64) bool {
	for _, x := range s {
		if x != math.Trunc(x) {
			return false
		}
	}
	return true
}

// valueCounts counts the values of a numeric column with few values,
// one run of equal values at a time.
func valueCounts(sorted []float64) map[string]int64 {
	m := map[string]int64{}
	for i := 0; i < len(sorted); {
		j := i + 1
		for j < len(sorted) && sorted[j] == sorted[i] {
			j++
		}
		m[strconv.FormatFloat(sorted[i], 'g', -1, 64)] += int64(j - i)
		i = j
	}
	return m
}

// distinctSorted counts the distinct values of two sorted slices together.
func distinctSorted(a, b []float64) int {
	n, i, j := 0, 0, 0
	var last float64
	first := true
	for i < len(a) || j < len(b) {
		var v float64
		if j >= len(b) || i < len(a) && a[i] <= b[j] {
			v = a[i]
			i++
		} else {
			v = b[j]
			j++
		}
		if first || v != last {
			n++
			first = false
			last = v
		}
	}
	return n
}
