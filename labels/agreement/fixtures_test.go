package agreement

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"testing"
)

// The fixtures are written by testdata/gen_fixtures.py from sklearn,
// statsmodels, nltk and a NumPy Dawid-Skene; see testdata/README.md.

type fixtureFile struct {
	Versions   map[string]string `json:"versions"`
	Cases      []fixtureCase     `json:"cases"`
	DawidSkene []fixtureDS       `json:"dawid_skene"`
}

type fixtureCase struct {
	Name       string  `json:"name"`
	Items      int     `json:"items"`
	Annotators int     `json:"annotators"`
	K          int     `json:"k"`
	Labels     []int32 `json:"labels"`
	Cohen      []struct {
		A, B     int
		N        int      `json:"n"`
		Kappa    *float64 `json:"kappa"`
		Observed *float64 `json:"observed"`
		Expected *float64 `json:"expected"`
		Reason   string   `json:"reason"`
	} `json:"cohen"`
	Fleiss struct {
		N        int      `json:"n"`
		Kappa    *float64 `json:"kappa"`
		Observed *float64 `json:"observed"`
		Expected *float64 `json:"expected"`
		Reason   string   `json:"reason"`
	} `json:"fleiss"`
	Alpha struct {
		Units    int      `json:"units"`
		Pairable int      `json:"pairable"`
		Alpha    *float64 `json:"alpha"`
		Observed *float64 `json:"observed"`
		Expected *float64 `json:"expected"`
		Reason   string   `json:"reason"`
	} `json:"alpha"`
	Vote struct {
		Labels []int32   `json:"labels"`
		Share  []float64 `json:"share"`
		Tied   []bool    `json:"tied"`
		Counts []int64   `json:"counts"`
	} `json:"vote"`
	AnnotatorAgreement []struct {
		Labelled int      `json:"labelled"`
		Compared int      `json:"compared"`
		Agreed   int      `json:"agreed"`
		Rate     *float64 `json:"rate"`
	} `json:"annotator_agreement"`
}

type fixtureDS struct {
	Case       string    `json:"case"`
	Tol        float64   `json:"tol"`
	MaxIter    int       `json:"max_iter"`
	Smoothing  float64   `json:"smoothing"`
	Priors     []float64 `json:"priors"`
	Confusion  []float64 `json:"confusion"`
	Posterior  []float64 `json:"posterior"`
	Labels     []int32   `json:"labels"`
	Iterations int       `json:"iterations"`
	Converged  bool      `json:"converged"`
	LogLik     float64   `json:"loglik"`
}

func loadFixtures(t *testing.T) fixtureFile {
	t.Helper()
	b, err := os.ReadFile("testdata/fixtures.json")
	if err != nil {
		t.Fatal(err)
	}
	var f fixtureFile
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	if len(f.Cases) == 0 || len(f.DawidSkene) == 0 {
		t.Fatal("no fixtures")
	}
	return f
}

func (c fixtureCase) ratings() Ratings {
	return Ratings{Items: c.Items, Annotators: c.Annotators, K: c.K, Labels: c.Labels}
}

// checkValue compares a result with a fixture value: want nil means NaN.
func checkValue(t *testing.T, what string, got float64, want *float64, tol float64) {
	t.Helper()
	switch {
	case want == nil:
		if !math.IsNaN(got) {
			t.Errorf("%s = %v, want NaN", what, got)
		}
	case math.IsNaN(got) || math.Abs(got-*want) > tol:
		t.Errorf("%s = %.17g, want %.17g", what, got, *want)
	}
}

func TestFixtures(t *testing.T) {
	f := loadFixtures(t)
	for _, c := range f.Cases {
		t.Run(c.Name, func(t *testing.T) {
			r := c.ratings()
			if err := r.Validate(); err != nil {
				t.Fatal(err)
			}
			t.Run("cohen", func(t *testing.T) {
				pairs, err := CohenKappa(r)
				if err != nil {
					t.Fatal(err)
				}
				if len(pairs) != len(c.Cohen) {
					t.Fatalf("got %d pairs, want %d", len(pairs), len(c.Cohen))
				}
				for i, w := range c.Cohen {
					p := pairs[i]
					if p.A != w.A || p.B != w.B || p.N != w.N || p.Undefined.String() != w.Reason {
						t.Errorf("pair %d: got (%d,%d) n=%d %q, want (%d,%d) n=%d %q", i, p.A, p.B, p.N, p.Undefined, w.A, w.B, w.N, w.Reason)
					}
					checkValue(t, "kappa", p.Value, w.Kappa, 1e-12)
					checkValue(t, "observed", p.Observed, w.Observed, 1e-12)
					checkValue(t, "expected", p.Expected, w.Expected, 1e-12)
				}
			})
			t.Run("fleiss", func(t *testing.T) {
				k, err := FleissKappa(r)
				if err != nil {
					t.Fatal(err)
				}
				w := c.Fleiss
				if k.N != w.N || k.Undefined.String() != w.Reason {
					t.Errorf("got n=%d %q, want n=%d %q", k.N, k.Undefined, w.N, w.Reason)
				}
				checkValue(t, "kappa", k.Value, w.Kappa, 1e-12)
				checkValue(t, "observed", k.Observed, w.Observed, 1e-12)
				checkValue(t, "expected", k.Expected, w.Expected, 1e-12)
			})
			t.Run("alpha", func(t *testing.T) {
				a, err := KrippendorffAlpha(r)
				if err != nil {
					t.Fatal(err)
				}
				w := c.Alpha
				if a.Units != w.Units || a.Pairable != w.Pairable || a.Undefined.String() != w.Reason {
					t.Errorf("got units=%d pairable=%d %q, want units=%d pairable=%d %q", a.Units, a.Pairable, a.Undefined, w.Units, w.Pairable, w.Reason)
				}
				checkValue(t, "alpha", a.Value, w.Alpha, 1e-12)
				checkValue(t, "observed", a.Observed, w.Observed, 1e-12)
				checkValue(t, "expected", a.Expected, w.Expected, 1e-12)
			})
			t.Run("vote", func(t *testing.T) {
				v, err := MajorityVote(r)
				if err != nil {
					t.Fatal(err)
				}
				for i := range c.Vote.Labels {
					if v.Labels[i] != c.Vote.Labels[i] || v.Tied[i] != c.Vote.Tied[i] || math.Abs(v.Share[i]-c.Vote.Share[i]) > 1e-15 {
						t.Errorf("item %d: got %d (share %v, tied %v), want %d (share %v, tied %v)",
							i, v.Labels[i], v.Share[i], v.Tied[i], c.Vote.Labels[i], c.Vote.Share[i], c.Vote.Tied[i])
					}
				}
				for k, n := range c.Vote.Counts {
					if v.Counts[k] != n {
						t.Errorf("count of class %d = %d, want %d", k, v.Counts[k], n)
					}
				}
			})
			t.Run("annotators", func(t *testing.T) {
				as, err := AnnotatorAgreement(r)
				if err != nil {
					t.Fatal(err)
				}
				if len(as) != len(c.AnnotatorAgreement) {
					t.Fatalf("got %d annotators, want %d", len(as), len(c.AnnotatorAgreement))
				}
				for i, w := range c.AnnotatorAgreement {
					g := as[i]
					if g.Labelled != w.Labelled || g.Compared != w.Compared || g.Agreed != w.Agreed {
						t.Errorf("annotator %d: got %d/%d/%d, want labelled/compared/agreed %d/%d/%d",
							i, g.Labelled, g.Compared, g.Agreed, w.Labelled, w.Compared, w.Agreed)
					}
					checkValue(t, "rate", g.Rate, w.Rate, 1e-15)
				}
			})
		})
	}
}

// TestKrippendorffExample pins the number of Krippendorff's own worked
// example, whatever the fixtures say.
func TestKrippendorffExample(t *testing.T) {
	f := loadFixtures(t)
	for _, c := range f.Cases {
		if c.Name != "krippendorff-2011" {
			continue
		}
		a, err := KrippendorffAlpha(c.ratings())
		if err != nil {
			t.Fatal(err)
		}
		if got := math.Round(a.Value*1000) / 1000; got != 0.743 || a.Pairable != 40 || a.Units != 11 {
			t.Errorf("alpha = %v (n=%d, units=%d), want 0.743 (n=40, units=11)", a.Value, a.Pairable, a.Units)
		}
		return
	}
	t.Fatal("no krippendorff-2011 case")
}

func TestDawidSkeneFixtures(t *testing.T) {
	f := loadFixtures(t)
	cases := map[string]fixtureCase{}
	for _, c := range f.Cases {
		cases[c.Name] = c
	}
	const tol = 1e-9
	for _, w := range f.DawidSkene {
		c, ok := cases[w.Case]
		if !ok {
			t.Fatalf("no case %q", w.Case)
		}
		t.Run(w.Case, func(t *testing.T) {
			m, err := DawidSkene(context.Background(), c.ratings(), DSOptions{Tol: w.Tol, MaxIter: w.MaxIter, Smoothing: w.Smoothing})
			if err != nil {
				t.Fatal(err)
			}
			if m.Iterations != w.Iterations || m.Converged != w.Converged {
				t.Errorf("got %d iterations (converged %v), want %d (%v)", m.Iterations, m.Converged, w.Iterations, w.Converged)
			}
			closeAll(t, "priors", m.Priors, w.Priors, tol)
			closeAll(t, "confusion", m.Confusion, w.Confusion, tol)
			closeAll(t, "posterior", m.Posterior, w.Posterior, tol)
			if math.Abs(m.LogLikelihood-w.LogLik) > tol*math.Max(1, math.Abs(w.LogLik)) {
				t.Errorf("log-likelihood = %.17g, want %.17g", m.LogLikelihood, w.LogLik)
			}
			for i, l := range w.Labels {
				if m.Labels[i] != l {
					t.Errorf("item %d: label %d, want %d", i, m.Labels[i], l)
				}
			}
		})
	}
}

func closeAll(t *testing.T, what string, got, want []float64, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: got %d values, want %d", what, len(got), len(want))
	}
	for i := range want {
		if !(math.Abs(got[i]-want[i]) <= tol) {
			t.Errorf("%s[%d] = %.17g, want %.17g", what, i, got[i], want[i])
		}
	}
}
