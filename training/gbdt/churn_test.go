package gbdt

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"slices"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/assayhq/assay/training/frame"
)

const churnCSV = "../../examples/churn/Telco-Customer-Churn.csv"

// churnNumeric are the numeric columns of the churn table; the others,
// but customerID, are categorical.
var churnNumeric = map[string]bool{"SeniorCitizen": true, "tenure": true, "MonthlyCharges": true, "TotalCharges": true}

// churnTable is the churn CSV as columns, encoded as testdata/gen_sklearn.py
// encodes it.
type churnTable struct {
	names []string
	cols  map[string]frame.Feature
}

func readChurn(t testing.TB) *churnTable {
	t.Helper()
	f, err := os.Open(churnCSV)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	header, recs := recs[0], recs[1:]
	tab := &churnTable{cols: map[string]frame.Feature{}}
	for j, name := range header {
		if name == "customerID" {
			continue
		}
		tab.names = append(tab.names, name)
		if churnNumeric[name] {
			num := make([]float64, len(recs))
			for i, r := range recs {
				num[i] = math.NaN()
				if r[j] != " " && r[j] != "" {
					if num[i], err = strconv.ParseFloat(r[j], 64); err != nil {
						t.Fatalf("row %d, %s: %v", i+2, name, err)
					}
				}
			}
			tab.cols[name] = frame.Feature{Name: name, Kind: frame.Numeric, Num: num}
			continue
		}
		var levels []string
		for _, r := range recs {
			levels = append(levels, r[j])
		}
		slices.Sort(levels)
		levels = slices.Compact(levels)
		cat := make([]int32, len(recs))
		for i, r := range recs {
			c, _ := slices.BinarySearch(levels, r[j])
			cat[i] = int32(c)
		}
		tab.cols[name] = frame.Feature{Name: name, Kind: frame.Categorical, Cat: cat, Levels: levels}
	}
	return tab
}

// matrix returns the columns of tab but those excluded.
func (tab *churnTable) matrix(exclude ...string) *frame.Matrix {
	m := &frame.Matrix{}
	for _, name := range tab.names {
		if slices.Contains(exclude, name) {
			continue
		}
		f := tab.cols[name]
		m.Features = append(m.Features, f)
		m.Rows = f.Len()
	}
	return m
}

type churnSplit struct {
	Train []int `json:"train"`
	Test  []int `json:"test"`
}

type sklearnChurn struct {
	Sklearn    string `json:"sklearn"`
	Classifier struct {
		TestROCAUC float64   `json:"test_roc_auc"`
		FitSeconds float64   `json:"fit_seconds"`
		NIter      int       `json:"n_iter"`
		TestProba  []float64 `json:"test_proba"`
	} `json:"classifier"`
	Regressor struct {
		TestR2     float64   `json:"test_r2"`
		FitSeconds float64   `json:"fit_seconds"`
		NIter      int       `json:"n_iter"`
		TestPred   []float64 `json:"test_pred"`
	} `json:"regressor"`
}

func readJSON(t testing.TB, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// rocAUC is the area under the ROC curve of scores for labels (true:
// positive), by ranks with ties averaged (the Mann-Whitney U statistic).
func rocAUC(scores []float64, labels []bool) float64 {
	idx := make([]int, len(scores))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return scores[idx[a]] < scores[idx[b]] })
	var rankSum float64
	var pos int
	for i := 0; i < len(idx); {
		j := i
		for j < len(idx) && scores[idx[j]] == scores[idx[i]] {
			j++
		}
		rank := float64(i+j+1) / 2 // mean of ranks i+1 … j
		for _, k := range idx[i:j] {
			if labels[k] {
				rankSum += rank
				pos++
			}
		}
		i = j
	}
	neg := len(scores) - pos
	return (rankSum - float64(pos)*float64(pos+1)/2) / (float64(pos) * float64(neg))
}

func r2(pred, y []float64) float64 {
	var mean float64
	for _, v := range y {
		mean += v
	}
	mean /= float64(len(y))
	var ssRes, ssTot float64
	for i, v := range y {
		ssRes += (v - pred[i]) * (v - pred[i])
		ssTot += (v - mean) * (v - mean)
	}
	return 1 - ssRes/ssTot
}

func correlation(a, b []float64) float64 {
	var ma, mb float64
	for i := range a {
		ma += a[i]
		mb += b[i]
	}
	ma /= float64(len(a))
	mb /= float64(len(b))
	var sab, saa, sbb float64
	for i := range a {
		sab += (a[i] - ma) * (b[i] - mb)
		saa += (a[i] - ma) * (a[i] - ma)
		sbb += (b[i] - mb) * (b[i] - mb)
	}
	return sab / math.Sqrt(saa*sbb)
}

func TestRocAUC(t *testing.T) {
	tests := []struct {
		scores []float64
		labels []bool
		want   float64
	}{
		{[]float64{0.1, 0.4, 0.35, 0.8}, []bool{false, false, true, true}, 0.75},
		{[]float64{1, 2, 3}, []bool{false, true, true}, 1},
		{[]float64{1, 1, 1, 1}, []bool{false, true, false, true}, 0.5},
	}
	for _, tt := range tests {
		if got := rocAUC(tt.scores, tt.labels); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("rocAUC(%v, %v) = %v, want %v", tt.scores, tt.labels, got, tt.want)
		}
	}
}

func TestChurnMatchesSklearn(t *testing.T) {
	tab := readChurn(t)
	var sp churnSplit
	readJSON(t, "testdata/churn_split.json", &sp)
	var ref sklearnChurn
	readJSON(t, "testdata/sklearn_churn.json", &ref)
	train := sp.Train

	t.Run("classifier", func(t *testing.T) {
		x := tab.matrix("Churn")
		churn := tab.cols["Churn"]
		y := &frame.Target{Name: "Churn", Task: frame.Classification, Class: churn.Cat, Classes: churn.Levels}
		start := time.Now()
		m, err := Train(context.Background(), x.Subset(train), y.Subset(train), DefaultParams())
		if err != nil {
			t.Fatal(err)
		}
		elapsed := time.Since(start)
		xt := x.Subset(sp.Test)
		proba := make([]float64, 2*xt.Rows)
		if err := m.PredictProba(xt, proba); err != nil {
			t.Fatal(err)
		}
		pos := make([]float64, xt.Rows)
		labels := make([]bool, xt.Rows)
		for i, r := range sp.Test {
			pos[i] = proba[2*i+1]
			labels[i] = churn.Cat[r] == 1
		}
		auc := rocAUC(pos, labels)
		corr := correlation(pos, ref.Classifier.TestProba)
		t.Logf("test ROC AUC %.5f (scikit-learn %s: %.5f); fit %v (scikit-learn %.3f s); %d iterations; probabilities: correlation %.6f, largest difference %.2g",
			auc, ref.Sklearn, ref.Classifier.TestROCAUC, elapsed.Round(time.Millisecond), ref.Classifier.FitSeconds, m.NumIter(), corr, maxAbsDiff(pos, ref.Classifier.TestProba))
		if math.Abs(auc-ref.Classifier.TestROCAUC) > 0.01 {
			t.Errorf("test ROC AUC %.5f, want within 0.01 of scikit-learn's %.5f", auc, ref.Classifier.TestROCAUC)
		}
		if m.NumIter() != ref.Classifier.NIter {
			t.Errorf("%d iterations, scikit-learn ran %d", m.NumIter(), ref.Classifier.NIter)
		}
		if corr < 0.999 {
			t.Errorf("probabilities correlate %.5f with scikit-learn's, want >= 0.999", corr)
		}
	})

	t.Run("regressor", func(t *testing.T) {
		x := tab.matrix("tenure", "TotalCharges")
		tenure := tab.cols["tenure"]
		y := &frame.Target{Name: "tenure", Task: frame.Regression, Value: tenure.Num}
		start := time.Now()
		m, err := Train(context.Background(), x.Subset(train), y.Subset(train), DefaultParams())
		if err != nil {
			t.Fatal(err)
		}
		elapsed := time.Since(start)
		xt := x.Subset(sp.Test)
		pred := make([]float64, xt.Rows)
		if err := m.PredictValue(xt, pred); err != nil {
			t.Fatal(err)
		}
		yt := y.Subset(sp.Test).Value
		got := r2(pred, yt)
		corr := correlation(pred, ref.Regressor.TestPred)
		t.Logf("test R² %.5f (scikit-learn %s: %.5f); fit %v (scikit-learn %.3f s); predictions: correlation %.6f, largest difference %.2g",
			got, ref.Sklearn, ref.Regressor.TestR2, elapsed.Round(time.Millisecond), ref.Regressor.FitSeconds, corr, maxAbsDiff(pred, ref.Regressor.TestPred))
		if math.Abs(got-ref.Regressor.TestR2) > 0.01 {
			t.Errorf("test R² %.5f, want within 0.01 of scikit-learn's %.5f", got, ref.Regressor.TestR2)
		}
		if corr < 0.999 {
			t.Errorf("predictions correlate %.5f with scikit-learn's, want >= 0.999", corr)
		}
	})
}

func maxAbsDiff(a, b []float64) float64 {
	var d float64
	for i := range a {
		d = max(d, math.Abs(a[i]-b[i]))
	}
	return d
}
