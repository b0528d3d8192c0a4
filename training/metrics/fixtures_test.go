package metrics

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
	"testing"
)

// The fixtures hold inputs and scikit-learn 1.2.1's outputs; see
// testdata/README.md for how they are made.
const fixturesPath = "testdata/fixtures.json"

// tolerance is the relative difference allowed between a result and
// scikit-learn's. The package adds in NumPy's order, so almost every
// value agrees to the last bit; the slack is for log loss, whose
// logarithms come from Go's math.Log instead of SciPy's xlogy and may
// differ in the last bit or so.
const tolerance = 1e-12

type fixtures struct {
	Versions       map[string]string
	Classification []classCase
	Regression     []regressionCase
	Groups         []groupCase
}

type classCase struct {
	Name string
	K    int
	Y    []int32
	Prob jsonFloats
	Want classWant
}

type classWant struct {
	Accuracy     jsonFloat
	Confusion    [][]int64
	Scores       map[string]struct{ Precision, Recall, F1 jsonFloat }
	ROCAUC       jsonFloat `json:"roc_auc"`
	ROCAUCError  string    `json:"roc_auc_error"`
	PRAUC        jsonFloat `json:"pr_auc"`
	PRAUCSklearn jsonFloat `json:"pr_auc_sklearn"`
	LogLoss      jsonFloat `json:"log_loss"`
	Curves       map[string]Curve
}

type regressionCase struct {
	Name string
	Y    jsonFloats
	Pred jsonFloats
	Want regressionWant
}

type regressionWant struct {
	RMSE jsonFloat
	MAE  jsonFloat
	R2   jsonFloat
}

type groupCase struct {
	Name    string
	Task    string
	K       int
	Y       json.RawMessage
	Prob    jsonFloats
	Pred    jsonFloats
	Columns []struct {
		Column string
		Levels []string
		Codes  []int32
	}
	Groups []struct {
		Column string
		Level  string
		N      int
		Want   json.RawMessage
	}
	Spreads []Spread
}

func loadFixtures(t testing.TB) *fixtures {
	t.Helper()
	data, err := os.ReadFile(fixturesPath)
	if err != nil {
		t.Fatal(err)
	}
	var f fixtures
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatalf("%s: %v", fixturesPath, err)
	}
	if v := f.Versions["sklearn"]; v != "1.2.1" {
		t.Fatalf("%s made with scikit-learn %q, want 1.2.1", fixturesPath, v)
	}
	return &f
}

// agreement counts values compared with scikit-learn's and those equal
// to the last bit.
type agreement struct{ compared, exact int }

// near reports whether got agrees with want within tolerance; NaN
// agrees with NaN.
func (a *agreement) near(got, want float64) bool {
	a.compared++
	if got == want || math.IsNaN(got) && math.IsNaN(want) {
		a.exact++
		return true
	}
	return math.Abs(got-want) <= tolerance*math.Abs(want)
}

// check reports a disagreement of a named value.
func (a *agreement) check(t *testing.T, what string, got float64, want jsonFloat) {
	t.Helper()
	exact := a.exact
	switch {
	case !a.near(got, float64(want)):
		t.Errorf("%s = %v, want %v (scikit-learn; relative difference %.3g)", what, got, float64(want), math.Abs(got-float64(want))/math.Abs(float64(want)))
	case a.exact == exact:
		t.Logf("%s = %v, scikit-learn %v: within tolerance, not identical", what, got, float64(want))
	}
}

func (a *agreement) checkAll(t *testing.T, what string, got, want []float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s has %d values, want %d\n got %v\nwant %v", what, len(got), len(want), got, want)
		return
	}
	for i := range got {
		a.check(t, fmt.Sprintf("%s[%d]", what, i), got[i], jsonFloat(want[i]))
	}
}

func classNames(k int) []string {
	names := make([]string, k)
	for i := range names {
		names[i] = fmt.Sprintf("c%d", i)
	}
	return names
}

func TestClassificationFixtures(t *testing.T) {
	f := loadFixtures(t)
	var agree agreement
	for _, tc := range f.Classification {
		t.Run(tc.Name, func(t *testing.T) {
			classes := classNames(tc.K)
			got, err := Classify(tc.Y, tc.Prob, classes)
			if err != nil {
				t.Fatalf("Classify: %v", err)
			}
			agree.checkClassification(t, &got, &tc.Want, tc.K)

			pred := Predict(nil, tc.Prob, tc.K)
			acc, err := Accuracy(tc.Y, pred)
			if err != nil {
				t.Fatal(err)
			}
			agree.check(t, "Accuracy", acc, tc.Want.Accuracy)
			conf, err := NewConfusion(tc.Y, pred, tc.K)
			if err != nil {
				t.Fatal(err)
			}
			for name, want := range tc.Want.Scores {
				var avg Average
				if err := avg.UnmarshalText([]byte(name)); err != nil {
					t.Fatal(err)
				}
				s, err := conf.Scores(avg)
				if err != nil {
					t.Fatalf("Scores(%v): %v", avg, err)
				}
				agree.check(t, name+" precision", s.Precision, want.Precision)
				agree.check(t, name+" recall", s.Recall, want.Recall)
				agree.check(t, name+" f1", s.F1, want.F1)
			}

			roc, err := ROCAUC(tc.Y, tc.Prob, tc.K)
			agree.check(t, "ROCAUC", roc, tc.Want.ROCAUC)
			if undefined := tc.Want.ROCAUCError != ""; undefined != errors.Is(err, ErrUndefined) {
				t.Errorf("ROCAUC error %v; scikit-learn raised %q", err, tc.Want.ROCAUCError)
			}
			ap, err := AveragePrecision(tc.Y, tc.Prob, tc.K)
			agree.check(t, "AveragePrecision", ap, tc.Want.PRAUC)
			if undefined := math.IsNaN(float64(tc.Want.PRAUC)); undefined != errors.Is(err, ErrUndefined) {
				t.Errorf("AveragePrecision error %v, want undefined %v (scikit-learn: %v)", err, undefined, float64(tc.Want.PRAUCSklearn))
			}
			ll, err := LogLoss(tc.Y, tc.Prob, tc.K)
			if err != nil {
				t.Fatal(err)
			}
			agree.check(t, "LogLoss", ll, tc.Want.LogLoss)

			for key, want := range tc.Want.Curves {
				var class int32
				fmt.Sscan(key, &class)
				c, err := ROCCurve(tc.Y, tc.Prob, tc.K, class)
				undefined := slices.ContainsFunc(want.FPR, math.IsNaN) || slices.ContainsFunc(want.TPR, math.IsNaN)
				if undefined != errors.Is(err, ErrUndefined) {
					t.Errorf("ROCCurve(class %d) error %v, want undefined %v", class, err, undefined)
				}
				agree.checkAll(t, fmt.Sprintf("curve %d FPR", class), c.FPR, want.FPR)
				agree.checkAll(t, fmt.Sprintf("curve %d TPR", class), c.TPR, want.TPR)
				agree.checkAll(t, fmt.Sprintf("curve %d thresholds", class), c.Thresholds, want.Thresholds)
			}
		})
	}
	t.Logf("%d values compared with scikit-learn's, %d identical to the last bit", agree.compared, agree.exact)
}

// checkClassification compares a Classification with a fixture's
// expectations.
func (a *agreement) checkClassification(t *testing.T, got *Classification, want *classWant, k int) {
	t.Helper()
	a.check(t, "accuracy", got.Accuracy, want.Accuracy)
	avg := "macro"
	if k == 2 {
		avg = "binary"
	}
	if got.Average.String() != avg {
		t.Errorf("average = %v, want %s", got.Average, avg)
	}
	s := want.Scores[avg]
	a.check(t, "precision", got.Precision, s.Precision)
	a.check(t, "recall", got.Recall, s.Recall)
	a.check(t, "f1", got.F1, s.F1)
	a.check(t, "roc_auc", got.ROCAUC, want.ROCAUC)
	a.check(t, "pr_auc", got.PRAUC, want.PRAUC)
	a.check(t, "log_loss", got.LogLoss, want.LogLoss)
	if !slices.EqualFunc(got.Confusion, want.Confusion, slices.Equal) {
		t.Errorf("confusion = %v, want %v", got.Confusion, want.Confusion)
	}
	for metric, undefined := range map[string]bool{
		"roc_auc": want.ROCAUCError != "",
		"pr_auc":  math.IsNaN(float64(want.PRAUC)),
	} {
		said := slices.ContainsFunc(got.Undefined, func(s string) bool { return strings.HasPrefix(s, metric+": ") })
		if said != undefined {
			t.Errorf("Undefined = %q; want a reason for %s: %v", got.Undefined, metric, undefined)
		}
	}
}

func TestRegressionFixtures(t *testing.T) {
	f := loadFixtures(t)
	var agree agreement
	for _, tc := range f.Regression {
		t.Run(tc.Name, func(t *testing.T) {
			got, err := Regress(tc.Y, tc.Pred)
			if err != nil {
				t.Fatalf("Regress: %v", err)
			}
			if got.N != len(tc.Y) {
				t.Errorf("N = %d, want %d", got.N, len(tc.Y))
			}
			agree.check(t, "rmse", got.RMSE, tc.Want.RMSE)
			agree.check(t, "mae", got.MAE, tc.Want.MAE)
			agree.check(t, "r2", got.R2, tc.Want.R2)
			if undefined := math.IsNaN(float64(tc.Want.R2)); undefined != (len(got.Undefined) > 0) {
				t.Errorf("Undefined = %q, want a reason: %v", got.Undefined, undefined)
			}

			rmse, err := RMSE(tc.Y, tc.Pred)
			if err != nil {
				t.Fatal(err)
			}
			agree.check(t, "RMSE", rmse, tc.Want.RMSE)
			mae, err := MAE(tc.Y, tc.Pred)
			if err != nil {
				t.Fatal(err)
			}
			agree.check(t, "MAE", mae, tc.Want.MAE)
			r2, err := R2(tc.Y, tc.Pred)
			agree.check(t, "R2", r2, tc.Want.R2)
			if undefined := math.IsNaN(float64(tc.Want.R2)); undefined != errors.Is(err, ErrUndefined) {
				t.Errorf("R2 error %v, want undefined: %v", err, undefined)
			}
		})
	}
	t.Logf("%d values compared with scikit-learn's, %d identical to the last bit", agree.compared, agree.exact)
}

func TestGroupFixtures(t *testing.T) {
	f := loadFixtures(t)
	var agree agreement
	for _, tc := range f.Groups {
		t.Run(tc.Name, func(t *testing.T) {
			groups := make([]Group, len(tc.Columns))
			for i, c := range tc.Columns {
				groups[i] = Group{Column: c.Column, Levels: c.Levels, Codes: c.Codes}
			}
			var (
				got []GroupMetrics
				err error
			)
			switch tc.Task {
			case "classification":
				var y []int32
				if err := json.Unmarshal(tc.Y, &y); err != nil {
					t.Fatal(err)
				}
				got, err = ClassifyByGroup(y, tc.Prob, classNames(tc.K), groups)
			case "regression":
				var y jsonFloats
				if err := json.Unmarshal(tc.Y, &y); err != nil {
					t.Fatal(err)
				}
				got, err = RegressByGroup(y, tc.Pred, groups)
			default:
				t.Fatalf("task %q", tc.Task)
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tc.Groups) {
				t.Fatalf("%d slices, want %d", len(got), len(tc.Groups))
			}
			for i, want := range tc.Groups {
				g := &got[i]
				name := want.Column + "=" + want.Level
				if g.Column != want.Column || g.Level != want.Level || g.N != want.N {
					t.Errorf("slice %d is %s=%s of %d rows, want %s of %d", i, g.Column, g.Level, g.N, name, want.N)
					continue
				}
				t.Run(name, func(t *testing.T) {
					if tc.Task == "classification" {
						var w classWant
						if err := json.Unmarshal(want.Want, &w); err != nil {
							t.Fatal(err)
						}
						if g.Classification == nil || g.Regression != nil {
							t.Fatalf("slice holds %+v, want a classification", g)
						}
						agree.checkClassification(t, g.Classification, &w, tc.K)
						return
					}
					var w regressionWant
					if err := json.Unmarshal(want.Want, &w); err != nil {
						t.Fatal(err)
					}
					if g.Regression == nil || g.Classification != nil {
						t.Fatalf("slice holds %+v, want a regression", g)
					}
					agree.check(t, "rmse", g.Regression.RMSE, w.RMSE)
					agree.check(t, "mae", g.Regression.MAE, w.MAE)
					agree.check(t, "r2", g.Regression.R2, w.R2)
				})
			}
			for _, want := range tc.Spreads {
				s, err := SpreadOf(got, want.Column, want.Metric)
				if err != nil {
					t.Errorf("SpreadOf(%s, %s): %v", want.Column, want.Metric, err)
					continue
				}
				what := want.Column + " " + want.Metric
				if s.Levels != want.Levels || s.MinLevel != want.MinLevel || s.MaxLevel != want.MaxLevel ||
					!slices.Equal(s.Undefined, want.Undefined) && len(s.Undefined)+len(want.Undefined) > 0 {
					t.Errorf("%s spread = %+v, want %+v", what, s, want)
				}
				agree.check(t, what+" min", s.Min, jsonFloat(want.Min))
				agree.check(t, what+" max", s.Max, jsonFloat(want.Max))
				agree.check(t, what+" gap", s.Gap, jsonFloat(want.Gap))
			}
		})
	}
	t.Logf("%d values compared with scikit-learn's, %d identical to the last bit", agree.compared, agree.exact)
}
