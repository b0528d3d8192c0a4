package drift

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/assayhq/assay/drift/stat"
	"github.com/assayhq/assay/examples/churn"
)

// splitChurn writes the churn table's customers with paperless billing
// (reference) and without (current), the first limit of each (0: all), as
// the fixture generator testdata/evidently/gen.py splits them.
func splitChurn(t *testing.T, limit int) (ref, cur string) {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(churn.CSV)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := slices.Index(recs[0], "PaperlessBilling")
	var yes, no [][]string
	for _, r := range recs[1:] {
		if r[col] == "Yes" {
			yes = append(yes, r)
		} else {
			no = append(no, r)
		}
	}
	if limit > 0 {
		yes, no = yes[:limit], no[:limit]
	}
	dir := t.TempDir()
	write := func(name string, rows [][]string) string {
		var b bytes.Buffer
		w := csv.NewWriter(&b)
		w.Write(recs[0])
		w.WriteAll(rows)
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	return write("ref.csv", yes), write("cur.csv", no)
}

// TestEvidentlyDefaultRule checks every column's automatic test, statistic
// and p-value against Evidently's rule computed with SciPy
// (testdata/evidently/gen.py).
func TestEvidentlyDefaultRule(t *testing.T) {
	data, err := os.ReadFile("testdata/evidently/churn.json")
	if err != nil {
		t.Fatal(err)
	}
	var fx struct {
		Cases map[string]map[string]struct {
			Test      string   `json:"test"`
			Statistic float64  `json:"statistic"`
			PValue    *float64 `json:"p_value"`
		} `json:"cases"`
	}
	if err := json.Unmarshal(data, &fx); err != nil {
		t.Fatal(err)
	}
	for name, limit := range map[string]int{"large": 0, "small": 800} {
		t.Run(name, func(t *testing.T) {
			ref, cur := splitChurn(t, limit)
			rep := compare(t, nil, ref, cur, Options{})
			want := fx.Cases[name]
			if len(want) == 0 {
				t.Fatal("no fixture")
			}
			for col, w := range want {
				c := column(t, rep, col)
				if c.Test != w.Test {
					t.Errorf("%s: test %s, want %s", col, c.Test, w.Test)
					continue
				}
				if !relClose(float64(c.Statistic), w.Statistic, 1e-9) {
					t.Errorf("%s: %s statistic %.17g, want %.17g", col, c.Test, float64(c.Statistic), w.Statistic)
				}
				switch {
				case w.PValue == nil && c.PValue != nil:
					t.Errorf("%s: p-value %v for a distance", col, *c.PValue)
				case w.PValue != nil && c.PValue == nil:
					t.Errorf("%s: no p-value, want %g", col, *w.PValue)
				case w.PValue != nil && !relClose(float64(*c.PValue), *w.PValue, 1e-7):
					t.Errorf("%s: %s p-value %.17g, want %.17g", col, c.Test, float64(*c.PValue), *w.PValue)
				}
				wantDrift := w.PValue != nil && *w.PValue < 0.05 || w.PValue == nil && w.Statistic >= 0.1
				if w.Test == "ks" {
					wantDrift = *w.PValue <= 0.05
				}
				if c.TestDrifted != wantDrift {
					t.Errorf("%s: test drifted %v, want %v", col, c.TestDrifted, wantDrift)
				}
			}
		})
	}
}

func TestChooseFollowsEvidentlysRule(t *testing.T) {
	tests := []struct {
		numeric bool
		nRef    int64
		nValues int
		want    string
	}{
		{true, 1000, 6, "ks"},
		{true, 1001, 6, "wasserstein"},
		{true, 1000, 5, "chisquare"}, // few values: treated as categories
		{true, 1000, 2, "z"},
		{true, 5000, 5, "jensenshannon"},
		{false, 1000, 3, "chisquare"},
		{false, 1000, 2, "z"},
		{false, 1000, 1, "z"},
		{false, 1001, 2, "jensenshannon"},
		{false, 1001, 300, "jensenshannon"},
	}
	for _, tt := range tests {
		if got := choose(tt.numeric, tt.nRef, tt.nValues); got != tt.want {
			t.Errorf("choose(numeric %v, n_ref %d, n_values %d) = %s, want %s", tt.numeric, tt.nRef, tt.nValues, got, tt.want)
		}
	}
}

// TestHighCardinalityHalves: two random halves of the same data with many
// rare categories are not drifted, although the Jensen-Shannon distance
// over every category would call them so.
func TestHighCardinalityHalves(t *testing.T) {
	dir := t.TempDir()
	r := rng(7)
	const n = 40000
	rows := make([]string, n)
	for i := range rows {
		// A few frequent categories and a long tail of rare ones.
		if r.float() < 0.5 {
			rows[i] = "common" + strconv.Itoa(int(r.next()%5))
		} else {
			rows[i] = "id" + strconv.Itoa(int(r.next()%30000))
		}
	}
	half := func(name string, parity uint64) string {
		h := rng(99)
		var mine []string
		for _, v := range rows {
			if h.next()%2 == parity {
				mine = append(mine, v)
			}
		}
		return writeCSV(t, dir, name, []string{"city"}, len(mine), func(i int) []string { return []string{mine[i]} })
	}
	a, b := half("a.csv", 0), half("b.csv", 1)
	checkHalves(t, a, b)
}

// TestTwoHundredLabelHalves: two random halves of 5,000 rows with 200
// equally likely labels (where Jensen-Shannon over all labels is about
// 0.1, the threshold) do not drift.
func TestTwoHundredLabelHalves(t *testing.T) {
	dir := t.TempDir()
	r := rng(11)
	var a, b []string
	for range 5000 {
		v := "label" + strconv.Itoa(int(r.next()%200))
		if r.next()%2 == 0 {
			a = append(a, v)
		} else {
			b = append(b, v)
		}
	}
	pa := writeCSV(t, dir, "a.csv", []string{"city"}, len(a), func(i int) []string { return []string{a[i]} })
	pb := writeCSV(t, dir, "b.csv", []string{"city"}, len(b), func(i int) []string { return []string{b[i]} })
	checkHalves(t, pa, pb)
}

// checkHalves checks that two halves of the same data do not drift with
// top-k bins, and that they would without them.
func checkHalves(t *testing.T, a, b string) {
	t.Helper()
	// (Not chi-square: Evidently's goodness-of-fit form takes the
	// reference's shares as exact, so two samples of one distribution
	// reach p < 0.05 more often than 5% of the time, whatever the bins.)
	for _, method := range []string{"auto", "jensenshannon", "psi", "hellinger"} {
		rep := compare(t, nil, a, b, Options{Method: method})
		c := column(t, rep, "city")
		if c.Drifted {
			t.Errorf("%s: halves of the same data drifted: statistic %v, p %v", method, c.Statistic, fmtP(c))
		}
		if got := len(c.Bins.Labels); got != TopK+1 || c.Bins.Labels[TopK] != "other" {
			t.Errorf("%s: %d bins (last %q), want the top %d and other", method, got, c.Bins.Labels[got-1], TopK)
		}
	}
	// Without top-k the same halves read as drifted: the bins matter.
	rep := compare(t, nil, a, b, Options{})
	c := column(t, rep, "city")
	ref, cur := categoryCounts(t, a), categoryCounts(t, b)
	var keys []string
	for k := range ref {
		keys = append(keys, k)
	}
	for k := range cur {
		if _, ok := ref[k]; !ok {
			keys = append(keys, k)
		}
	}
	p, q := make([]float64, len(keys)), make([]float64, len(keys))
	for i, k := range keys {
		p[i], q[i] = float64(ref[k]), float64(cur[k])
	}
	if full := stat.JensenShannon(p, q); full < float64(c.Threshold) {
		t.Fatalf("Jensen-Shannon over all %d categories is %.3g: the case does not show what top-k avoids", len(keys), full)
	}
}

func categoryCounts(t *testing.T, path string) map[string]int {
	t.Helper()
	recs, err := csv.NewReader(mustOpen(t, path)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]int{}
	for _, r := range recs[1:] {
		m[r[0]]++
	}
	return m
}

func mustOpen(t *testing.T, path string) *os.File {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// TestMissingShareIsDrift: the same values with a tenth of them missing
// drift by the missing share alone.
func TestMissingShareIsDrift(t *testing.T) {
	dir := t.TempDir()
	val := func(i int) string { return strconv.Itoa(i % 97) }
	a := writeCSV(t, dir, "a.csv", []string{"x", "s"}, 5000, func(i int) []string { return []string{val(i), "k" + strconv.Itoa(i%3)} })
	b := writeCSV(t, dir, "b.csv", []string{"x", "s"}, 5000, func(i int) []string {
		if i%10 == 0 {
			return []string{"", ""}
		}
		return []string{val(i), "k" + strconv.Itoa(i%3)}
	})
	rep := compare(t, nil, a, b, Options{})
	for _, name := range []string{"x", "s"} {
		c := column(t, rep, name)
		if !c.MissingDrift || !c.Drifted || c.TestDrifted {
			t.Errorf("%s: missing drift %v, drifted %v, test drifted %v; want true, true, false", name, c.MissingDrift, c.Drifted, c.TestDrifted)
		}
		if c.MissingRef != 0 || c.MissingCur != 0.1 {
			t.Errorf("%s: missing shares %v -> %v, want 0 -> 0.1", name, c.MissingRef, c.MissingCur)
		}
	}
	// Half a percentage point more missing in big samples is not drift.
	c := writeCSV(t, dir, "c.csv", []string{"x", "s"}, 5000, func(i int) []string {
		if i%200 == 0 {
			return []string{"", ""}
		}
		return []string{val(i), "k" + strconv.Itoa(i%3)}
	})
	if col := column(t, compare(t, nil, a, c, Options{}), "x"); col.MissingDrift {
		t.Errorf("a 0.5 point change of the missing share was called drift")
	}
}

func TestExplanation(t *testing.T) {
	dir := t.TempDir()
	a := writeCSV(t, dir, "a.csv", []string{"plan", "amount"}, 3000, func(i int) []string {
		return []string{[]string{"basic", "pro", "legacy"}[i%3], strconv.Itoa(100 + i%50)}
	})
	b := writeCSV(t, dir, "b.csv", []string{"plan", "amount"}, 3000, func(i int) []string {
		return []string{[]string{"basic", "pro", "team"}[i%3], strconv.Itoa(110 + i%50)}
	})
	rep := compare(t, nil, a, b, Options{})
	plan := column(t, rep, "plan")
	if !slices.Equal(plan.New, []string{"team"}) || !slices.Equal(plan.Gone, []string{"legacy"}) {
		t.Errorf("new %v, gone %v; want [team], [legacy]", plan.New, plan.Gone)
	}
	if !plan.Drifted {
		t.Error("plan: a category replaced by another is not drift")
	}
	amount := column(t, rep, "amount")
	if amount.MeanShift == nil || !relClose(float64(*amount.MeanShift), 10/stdSampleOf(100, 150), 1e-9) {
		t.Errorf("amount: mean shift %v sd, want %v", amount.MeanShift, 10/stdSampleOf(100, 150))
	}
	if amount.Bins == nil || len(amount.Bins.Edges) != len(amount.Bins.Ref)+1 || amount.Bins.Edges[0] != Float(math.Inf(-1)) {
		t.Fatalf("amount: bins %+v", amount.Bins)
	}
	// Current values above the reference's range land in the open bin.
	if last := amount.Bins.Cur[len(amount.Bins.Cur)-1]; last != 600 {
		t.Errorf("amount: %d current values above the reference's maximum, want 600", last)
	}
	if len(amount.Moved) == 0 {
		t.Error("amount: no moved bins")
	}
}

// stdSampleOf is the sample standard deviation of the integers lo..hi-1
// repeated evenly.
func stdSampleOf(lo, hi int) float64 {
	var v []float64
	for r := 0; r < 3000; r++ {
		v = append(v, float64(lo+r%(hi-lo)))
	}
	return stdSample(v)
}

// TestTinyPValue: p-values below the smallest float are reported by their
// logarithm, never as a plain 0.
func TestTinyPValue(t *testing.T) {
	dir := t.TempDir()
	a := writeCSV(t, dir, "a.csv", []string{"x"}, 900, func(i int) []string { return []string{strconv.Itoa(i)} })
	b := writeCSV(t, dir, "b.csv", []string{"x"}, 900, func(i int) []string { return []string{strconv.Itoa(10000 + i)} })
	for _, method := range []string{"ks", "mannwhitney", "cvm", "chisquare"} {
		c := column(t, compare(t, nil, a, b, Options{Method: method}), "x")
		if c.PValue == nil || c.LogPValue == nil {
			t.Fatalf("%s: no p-value", method)
		}
		lp := float64(*c.LogPValue)
		if method == "chisquare" {
			// Current values in bins the reference never uses: p is 0.
			if *c.PValue != 0 || !math.IsInf(lp, -1) || !c.Drifted {
				t.Errorf("chisquare: p %v, ln p %v, drifted %v; want 0, -Inf, true", *c.PValue, lp, c.Drifted)
			}
			continue
		}
		if math.IsInf(lp, 0) || math.IsNaN(lp) || lp > -30 {
			t.Errorf("%s: ln p = %v for fully separated samples of 900, want a finite large negative number", method, lp)
		}
		// (SciPy's Cramér-von Mises p, which assay reports, is imprecise
		// below 0.001; its log p is the accurate tail, and a note says so.)
		if p := float64(*c.PValue); p > 0 && !relClose(math.Log(p), lp, 1e-6) && (method != "cvm" || len(c.Notes) == 0) {
			t.Errorf("%s: ln p %v disagrees with p %v", method, lp, p)
		}
		if !c.Drifted {
			t.Errorf("%s: not drifted", method)
		}
	}
}

func TestCorrection(t *testing.T) {
	p := []float64{0.01, 0.04, 0.03, 0.005}
	mk := func() []*ColumnResult {
		var cols []*ColumnResult
		for i, v := range p {
			pv := Float(v)
			cols = append(cols, &ColumnResult{Column: fmt.Sprint(i), Test: "chisquare", PValue: &pv, Threshold: 0.05})
		}
		return cols
	}
	for _, tt := range []struct {
		method string
		want   []float64
	}{
		// statsmodels.stats.multitest.multipletests(p, method="fdr_bh"
		// and "bonferroni"), worked by hand.
		{"bh", []float64{0.02, 0.04, 0.04, 0.02}},
		{"bonferroni", []float64{0.04, 0.16, 0.12, 0.02}},
	} {
		cols := mk()
		correct(cols, tt.method)
		for i, c := range cols {
			if c.AdjustedPValue == nil || !relClose(float64(*c.AdjustedPValue), tt.want[i], 1e-12) {
				t.Errorf("%s: adjusted p[%d] = %v, want %v", tt.method, i, c.AdjustedPValue, tt.want[i])
			}
			if c.Drifted != (tt.want[i] < 0.05) {
				t.Errorf("%s: column %d drifted %v at adjusted p %v", tt.method, i, c.Drifted, tt.want[i])
			}
		}
	}
}

func TestDatasetDriftShare(t *testing.T) {
	dir := t.TempDir()
	header := []string{"a", "b", "c", "d"}
	ref := writeCSV(t, dir, "r.csv", header, 2000, func(i int) []string {
		return []string{strconv.Itoa(i % 100), strconv.Itoa(i % 77), strconv.Itoa(i % 55), strconv.Itoa(i % 33)}
	})
	cur := writeCSV(t, dir, "c.csv", header, 2000, func(i int) []string {
		return []string{strconv.Itoa(50 + i%100), strconv.Itoa(40 + i%77), strconv.Itoa(i % 55), strconv.Itoa(i % 33)}
	})
	rep := compare(t, nil, ref, cur, Options{})
	if rep.DriftedCount != 2 || rep.ColumnCount != 4 || rep.DriftedShare != 0.5 || !rep.Drifted {
		t.Errorf("drifted %d of %d (%v), dataset drift %v; want 2 of 4, true at the default 0.5", rep.DriftedCount, rep.ColumnCount, rep.DriftedShare, rep.Drifted)
	}
	rep = compare(t, nil, ref, cur, Options{DatasetThreshold: 0.75})
	if rep.Drifted {
		t.Error("dataset drift at a 0.75 threshold with half the columns drifted")
	}
}

// TestSampledSide: a side over the sample cap is tested on a deterministic
// sample while its counts stay exact.
func TestSampledSide(t *testing.T) {
	dir := t.TempDir()
	r := rng(3)
	vals := make([]string, 20000)
	for i := range vals {
		vals[i] = strconv.FormatFloat(r.normal(), 'g', -1, 64)
		if i%50 == 0 {
			vals[i] = ""
		}
	}
	a := writeCSV(t, dir, "a.csv", []string{"x", "g"}, len(vals), func(i int) []string { return []string{vals[i], "g" + strconv.Itoa(i%7)} })
	b := writeCSV(t, dir, "b.csv", []string{"x", "g"}, len(vals), func(i int) []string { return []string{vals[len(vals)-1-i], "g" + strconv.Itoa(i%7)} })
	one := compare(t, nil, a, b, Options{SampleCap: 5000})
	two := compare(t, nil, a, b, Options{SampleCap: 5000, Workers: 1})
	if !one.Sampled {
		t.Fatal("not sampled")
	}
	x1, x2 := column(t, one, "x"), column(t, two, "x")
	if x1.Statistic != x2.Statistic || x1.RefCount != x2.RefCount {
		t.Errorf("samples differ between runs: %v/%d vs %v/%d", x1.Statistic, x1.RefCount, x2.Statistic, x2.RefCount)
	}
	if x1.RefCount < 4000 || x1.RefCount > 6000 {
		t.Errorf("%d values sampled, want about 5,000", x1.RefCount)
	}
	if x1.MissingRef != 0.02 {
		t.Errorf("missing share %v from a sample, want the exact 0.02", x1.MissingRef)
	}
	if g := column(t, one, "g"); g.RefCount != 20000 {
		t.Errorf("category counts of a sampled side: %d, want all 20,000", g.RefCount)
	}
}

func TestBadOptions(t *testing.T) {
	for _, o := range []Options{
		{Method: "magic"}, {Correction: "holm"}, {DatasetThreshold: 2}, {Multivariate: "umap"}, {ReferenceFrom: "cache"},
		{Threshold: ptr(-1.0)}, {Threshold: ptr(math.NaN())},
	} {
		if err := o.Validate(); err == nil {
			t.Errorf("%+v: no error", o)
		}
	}
}

func ptr[T any](v T) *T { return &v }
