package linear

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/assayhq/assay/training/frame"
)

// aucTol is how far the churn AUC may be from scikit-learn's. Both fit
// with tol=1e-4 on an ill-conditioned design (levels such as "No internet
// service" repeat across six one-hot columns), where the two optimizers
// may stop at slightly different points; the AUC has agreed to 1e-6.
const aucTol = 0.005

type churnFixture struct {
	CSV         string   `json:"csv"`
	Target      string   `json:"target"`
	Positive    string   `json:"positive"`
	Drop        []string `json:"drop"`
	Numeric     []string `json:"numeric"`
	Categorical []string `json:"categorical"`
	TestIndex   []int    `json:"test_index"`
	Logistic    struct {
		C       float64 `json:"C"`
		MaxIter int     `json:"max_iter"`
		Tol     float64 `json:"tol"`
		NIter   int     `json:"n_iter"`
	} `json:"logistic"`
	DesignWidth int     `json:"design_width"`
	AUC         float64 `json:"auc"`
}

func TestChurnAUC(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "churn.json"))
	if err != nil {
		t.Fatal(err)
	}
	var fx churnFixture
	if err := json.Unmarshal(data, &fx); err != nil {
		t.Fatal(err)
	}
	x, y, numeric, categorical := loadCSV(t, filepath.Join("..", "..", filepath.FromSlash(fx.CSV)), fx.Target, fx.Drop)
	if !slices.Equal(numeric, fx.Numeric) || !slices.Equal(categorical, fx.Categorical) {
		t.Fatalf("got numeric %q and categorical %q, want %q and %q", numeric, categorical, fx.Numeric, fx.Categorical)
	}
	isTest := make([]bool, x.Rows)
	for _, i := range fx.TestIndex {
		isTest[i] = true
	}
	var train []int
	for i, tst := range isTest {
		if !tst {
			train = append(train, i)
		}
	}
	m, err := Fit(context.Background(), x.Subset(train), y.Subset(train), Options{
		Design:   DesignOptions{Standardize: true},
		Logistic: LogisticOptions{C: fx.Logistic.C, MaxIter: fx.Logistic.MaxIter, Tol: fx.Logistic.Tol},
	})
	if err != nil {
		t.Fatal(err)
	}
	if w := m.Design.Width(); w != fx.DesignWidth {
		t.Errorf("got %d design columns, want %d", w, fx.DesignWidth)
	}
	test := x.Subset(fx.TestIndex)
	proba := make([]float64, test.Rows*len(m.Classes))
	if err := m.PredictProba(proba, test); err != nil {
		t.Fatal(err)
	}
	pos := slices.Index(m.Classes, fx.Positive)
	scores := make([]float64, test.Rows)
	positive := make([]bool, test.Rows)
	for i, r := range fx.TestIndex {
		scores[i] = proba[i*len(m.Classes)+pos]
		positive[i] = y.Classes[y.Class[r]] == fx.Positive
	}
	got := rocAUC(scores, positive)
	t.Logf("AUC %.6f (scikit-learn %.6f); %d iterations (scikit-learn %d), converged %v",
		got, fx.AUC, m.Logistic.Iterations, fx.Logistic.NIter, m.Logistic.Converged)
	if math.Abs(got-fx.AUC) > aucTol {
		t.Errorf("got AUC %.6f, want %.6f ± %v", got, fx.AUC, aucTol)
	}
}

// loadCSV reads a CSV as gen_sklearn.py does: values trimmed, a column
// numeric when every non-blank value parses as a number (blank: NaN),
// otherwise categorical (blank: missing).
func loadCSV(t *testing.T, path, target string, drop []string) (x *frame.Matrix, y *frame.Target, numeric, categorical []string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	header, rows := recs[0], recs[1:]
	x = &frame.Matrix{Rows: len(rows)}
	for j, name := range header {
		if slices.Contains(drop, name) {
			continue
		}
		vals := make([]*string, len(rows))
		nums := make([]float64, len(rows))
		isNum := true
		for i, r := range rows {
			v := strings.TrimSpace(r[j])
			if v == "" {
				nums[i] = math.NaN()
				continue
			}
			vals[i] = &v
			n, err := strconv.ParseFloat(v, 64)
			if err != nil {
				isNum = false
			}
			nums[i] = n
		}
		if name == target {
			y = &frame.Target{Name: name, Task: frame.Classification}
			y.Class, y.Classes = codes(vals)
			continue
		}
		feat := frame.Feature{Name: name}
		if isNum {
			feat.Kind, feat.Num = frame.Numeric, nums
			numeric = append(numeric, name)
		} else {
			feat.Kind = frame.Categorical
			feat.Cat, feat.Levels = codes(vals)
			categorical = append(categorical, name)
		}
		x.Features = append(x.Features, feat)
	}
	return x, y, numeric, categorical
}

// rocAUC is the area under the ROC curve: the chance that a random
// positive scores above a random negative, ties counting one half
// (Mann–Whitney U from mid-ranks).
func rocAUC(scores []float64, positive []bool) float64 {
	idx := make([]int, len(scores))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int { return cmpFloat(scores[a], scores[b]) })
	var rankSum float64
	pos := 0
	for i := 0; i < len(idx); {
		j := i
		for j < len(idx) && scores[idx[j]] == scores[idx[i]] {
			j++
		}
		mid := float64(i+j+1) / 2 // mean of ranks i+1..j
		for _, k := range idx[i:j] {
			if positive[k] {
				rankSum += mid
				pos++
			}
		}
		i = j
	}
	neg := len(scores) - pos
	return (rankSum - float64(pos)*float64(pos+1)/2) / (float64(pos) * float64(neg))
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func TestRocAUC(t *testing.T) {
	tests := []struct {
		name     string
		scores   []float64
		positive []bool
		want     float64
	}{
		{"perfect", []float64{0.1, 0.2, 0.8, 0.9}, []bool{false, false, true, true}, 1},
		{"reversed", []float64{0.9, 0.8, 0.2, 0.1}, []bool{false, false, true, true}, 0},
		{"all tied", []float64{0.5, 0.5, 0.5, 0.5}, []bool{false, true, false, true}, 0.5},
		{"one swap", []float64{0.1, 0.3, 0.2, 0.4}, []bool{false, false, true, true}, 0.75},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := rocAUC(tt.scores, tt.positive); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}
