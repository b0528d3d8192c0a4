package drift

import (
	"math"
	"strconv"
	"testing"
)

// TestClassificationMetrics checks ROC AUC (with tied scores), accuracy
// and F1 against scikit-learn 1.2.1:
//
//	s = [0.1, 0.4, 0.35, 0.8, 0.5, 0.5, 0.5, 0.2, 0.9, 0.35]
//	y = [0, 0, 1, 1, 1, 0, 1, 0, 1, 0]
//	roc_auc_score(y, s)                     # 0.86
//	p = [1 if v >= 0.5 else 0 for v in s]
//	accuracy_score(y, p), f1_score(y, p)    # 0.8, 0.8000000000000002
func TestClassificationMetrics(t *testing.T) {
	s := []float64{0.1, 0.4, 0.35, 0.8, 0.5, 0.5, 0.5, 0.2, 0.9, 0.35}
	y := []float64{0, 0, 1, 1, 1, 0, 1, 0, 1, 0}
	if got := aucOf(y, s); !relClose(got, 0.86, 1e-12) {
		t.Errorf("ROC AUC %v, want 0.86", got)
	}
	acc, f1 := classification(y, s)
	if !relClose(acc, 0.8, 1e-12) || !relClose(f1, 0.8000000000000002, 1e-12) {
		t.Errorf("accuracy %v, F1 %v; want 0.8, 0.8", acc, f1)
	}
	if got := aucOf([]float64{1, 1}, []float64{0.3, 0.4}); !math.IsNaN(got) {
		t.Errorf("ROC AUC of one class: %v, want NaN", got)
	}
}

// multivariateData writes two sides of x, y, seg: independent standard
// normals and four segments, x shifted by shift in the current side.
func multivariateData(t *testing.T, shift float64) (ref, cur string) {
	dir := t.TempDir()
	header := []string{"x", "y", "seg"}
	side := func(name string, seed rng, shift float64) string {
		r := seed
		return writeCSV(t, dir, name, header, 6000, func(i int) []string {
			x, y := r.normal()+shift, r.normal()
			return []string{strconv.FormatFloat(x, 'g', -1, 64), strconv.FormatFloat(y, 'g', -1, 64), "s" + strconv.Itoa(int(r.next()%4))}
		})
	}
	return side("ref.csv", 1, 0), side("cur.csv", 2, shift)
}

func TestDomainClassifier(t *testing.T) {
	ref, same := multivariateData(t, 0)
	rep := compare(t, nil, ref, same, Options{Multivariate: "classifier"})
	m := rep.Multivariate
	if m == nil || m.AUC == nil {
		t.Fatal("no classifier result")
	}
	if auc := float64(*m.AUC); math.Abs(auc-0.5) > 0.04 || m.Drifted {
		t.Errorf("same distribution: AUC %v, drifted %v; want about 0.5, false", auc, m.Drifted)
	}
	ref, shifted := multivariateData(t, 0.5)
	m = compare(t, nil, ref, shifted, Options{Multivariate: "classifier"}).Multivariate
	// Two normals 0.5 sd apart: the best AUC is Φ(0.5/√2) ≈ 0.638.
	if auc := float64(*m.AUC); math.Abs(auc-0.638) > 0.03 || !m.Drifted {
		t.Errorf("x shifted 0.5 sd: AUC %v, drifted %v; want about 0.64, true", auc, m.Drifted)
	}
	if len(m.Features) == 0 || m.Features[0].Name != "x" {
		t.Errorf("features %+v, want x first", m.Features)
	}
}

// TestPCAReconstruction: in the reference b follows a and d follows c; in
// the current side b and d are independent draws of the same spread. No
// column changes alone, but rows no longer lie near the reference's
// principal plane, so their reconstruction error leaves the band.
func TestPCAReconstruction(t *testing.T) {
	dir := t.TempDir()
	side := func(name string, seed rng, related bool) string {
		r := seed
		return writeCSV(t, dir, name, []string{"a", "b", "c", "d"}, 6000, func(int) []string {
			a, c := r.normal(), r.normal()
			b, d := a+0.1*r.normal(), c+0.1*r.normal()
			if !related {
				b, d = r.normal()*math.Sqrt(1.01), r.normal()*math.Sqrt(1.01)
			}
			f := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
			return []string{f(a), f(b), f(c), f(d)}
		})
	}
	ref, same, broken := side("ref.csv", 1, true), side("same.csv", 2, true), side("broken.csv", 3, false)
	if m := compare(t, nil, ref, same, Options{Multivariate: "pca"}).Multivariate; m == nil || m.Drifted {
		t.Errorf("same distribution drifted: %+v", m)
	}
	rep := compare(t, nil, ref, broken, Options{Multivariate: "pca"})
	for _, c := range rep.Columns {
		if c.Drifted {
			t.Errorf("%s drifted alone (statistic %v); the case needs unchanged columns", c.Column, c.Statistic)
		}
	}
	m := rep.Multivariate
	if m == nil || !m.Drifted || float64(*m.Error) <= float64(*m.Upper) {
		t.Errorf("broken relation: error %v, band [%v, %v], drifted %v; want drift above the band", *m.Error, *m.Lower, *m.Upper, m.Drifted)
	}
}
