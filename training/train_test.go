package training

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/examples/churn"
	"github.com/assayhq/assay/training/frame"
	"github.com/assayhq/assay/training/metrics"
)

func churnData(t testing.TB) (*frame.Data, *frame.Schema) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "telco.csv")
	if err := os.WriteFile(path, churn.CSV, 0o644); err != nil {
		t.Fatal(err)
	}
	src, err := dataset.OpenSource(context.Background(), nil, path, dataset.DefaultCSVOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	d, s, err := frame.Load(context.Background(), src, frame.LoadOptions{Target: "Churn", Exclude: []string{"customerID"}, Categorical: []string{"SeniorCitizen"}})
	if err != nil {
		t.Fatal(err)
	}
	return d, s
}

// group returns a categorical feature of the data as a metrics group.
func group(d *frame.Data, name string) metrics.Group {
	for _, f := range d.X.Features {
		if f.Name == name {
			return metrics.Group{Column: name, Codes: f.Cat, Levels: f.Levels}
		}
	}
	panic(name)
}

func TestTrainChurn(t *testing.T) {
	d, s := churnData(t)
	ctx := context.Background()
	var folds []float64
	opts := Options{Trainer: "gbdt", Seed: 42, Folds: 5, Groups: []metrics.Group{group(d, "gender"), group(d, "SeniorCitizen")},
		Fold: func(k int, v float64) bool { folds = append(folds, v); return false }}
	res, err := Train(ctx, d, s, opts)
	if err != nil {
		t.Fatal(err)
	}
	sum := res.Summary
	if auc := sum["test.roc_auc"]; auc < 0.80 || auc > 0.90 {
		t.Errorf("test ROC AUC %v; gradient boosting gets about 0.84 on churn", auc)
	}
	if len(folds) != 5 || math.Abs(mean(folds)-sum["cv.roc_auc"]) > 1e-12 {
		t.Errorf("folds %v, cv.roc_auc %v", folds, sum["cv.roc_auc"])
	}
	if sum["train.roc_auc"] <= sum["test.roc_auc"] {
		t.Errorf("train AUC %v not above test AUC %v", sum["train.roc_auc"], sum["test.roc_auc"])
	}
	n := sum["test.by.gender=Female.n"] + sum["test.by.gender=Male.n"]
	if n != 1409 || len(res.Evaluation.TestRows) != 1409 || sum["test.by.SeniorCitizen=1.accuracy"] == 0 {
		t.Errorf("groups: %v female+male of 1409 test rows", n)
	}
	if res.Params["max_iter"] != int64(100) {
		t.Errorf("defaults: %v", res.Params)
	}
	names := SummaryNames(sum)
	if !strings.HasPrefix(names[0], "train.") || !strings.HasPrefix(names[len(names)-1], "test.by.") {
		t.Errorf("order: %v", names)
	}

	// The same seed trains the same model; the encoded model predicts the same.
	res2, err := Train(ctx, d, s, Options{Trainer: "gbdt", Seed: 42})
	if err != nil {
		t.Fatal(err)
	}
	if res2.Summary["test.roc_auc"] != sum["test.roc_auc"] {
		t.Errorf("not reproducible: %v vs %v", res2.Summary["test.roc_auc"], sum["test.roc_auc"])
	}
	data, err := res.Model.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	back, err := Decode("gbdt", data, s)
	if err != nil {
		t.Fatal(err)
	}
	a, b := make([]float64, d.X.Rows*2), make([]float64, d.X.Rows*2)
	res.Model.Predict(ctx, d.X, a)
	back.Predict(ctx, d.X, b)
	if !slices.Equal(a, b) {
		t.Error("decoded model predicts differently")
	}
}

func TestTrainLogisticAndEnsemble(t *testing.T) {
	d, s := churnData(t)
	ctx := context.Background()
	lr, err := Train(ctx, d, s, Options{Trainer: "logistic", Seed: 1, Params: Params{"max_iter": int64(1000)}})
	if err != nil {
		t.Fatal(err)
	}
	if auc := lr.Summary["test.roc_auc"]; auc < 0.80 {
		t.Errorf("logistic test AUC %v", auc)
	}
	gb, err := Train(ctx, d, s, Options{Trainer: "gbdt", Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	ens, err := NewEnsemble(s, []Member{{Run: "a", Trainer: "logistic", Model: lr.Model}, {Run: "b", Trainer: "gbdt", Model: gb.Model}})
	if err != nil {
		t.Fatal(err)
	}
	x := d.X.Subset([]int{0, 1, 2})
	pa, pb, pe := make([]float64, 6), make([]float64, 6), make([]float64, 6)
	lr.Model.Predict(ctx, x, pa)
	gb.Model.Predict(ctx, x, pb)
	ens.Predict(ctx, x, pe)
	for i := range pe {
		if math.Abs(pe[i]-(pa[i]+pb[i])/2) > 1e-15 {
			t.Fatalf("ensemble %v, members %v %v", pe, pa, pb)
		}
	}
	data, err := ens.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	back, err := Decode("ensemble", data, s)
	if err != nil {
		t.Fatal(err)
	}
	pd := make([]float64, 6)
	back.Predict(ctx, x, pd)
	if !slices.Equal(pd, pe) {
		t.Errorf("decoded ensemble: %v, want %v", pd, pe)
	}
	if _, err := NewEnsemble(s, nil); !errors.Is(err, dataset.ErrInvalid) {
		t.Errorf("empty ensemble: %v", err)
	}
}

func TestParams(t *testing.T) {
	p, err := ParseParams("gbdt", []string{"max_iter=50", "learning_rate=0.05", "early_stopping=off"})
	if err != nil || p["max_iter"] != int64(50) || p["learning_rate"] != 0.05 || p["early_stopping"] != "off" {
		t.Fatalf("got %v %v", p, err)
	}
	_, err = ParseParams("gbdt", []string{"max_iters=5", "learning_rate=fast", "x"})
	for _, want := range []string{"gbdt has no parameter max_iters; did you mean max_iter?", "learning_rate=fast: want a number", `"x": want NAME=VALUE`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("got %v, want %q", err, want)
		}
	}
	if _, err := ParseParams("gbdtt", nil); err == nil || !strings.Contains(err.Error(), "did you mean gbdt?") {
		t.Errorf("unknown trainer: %v", err)
	}
	p, _ = ParseParams("external", []string{"C=0.5", "n=3", "kind=rbf", "fast=true"})
	if p["C"] != 0.5 || p["n"] != int64(3) || p["kind"] != "rbf" || p["fast"] != true {
		t.Errorf("external: %v", p)
	}
	n, err := Normalize("gbdt", Params{"max_iter": 30.0, "learning_rate": 1})
	if err != nil || n["max_iter"] != int64(30) || n["learning_rate"] != 1.0 {
		t.Errorf("normalize: %v %v", n, err)
	}
	if _, err := Normalize("gbdt", Params{"max_iter": 30.5}); err == nil {
		t.Error("normalize 30.5 as an integer: no error")
	}
	d, s := churnData(t)
	if _, err := Train(context.Background(), d, s, Options{Trainer: "linear"}); err == nil || !strings.Contains(err.Error(), "use logistic") {
		t.Errorf("linear on a class target: %v", err)
	}
}

func mean(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}

func TestROCThinned(t *testing.T) {
	n := 5000
	y := &frame.Target{Task: frame.Classification, Classes: []string{"a", "b"}, Class: make([]int32, n)}
	prob := make([]float64, 2*n)
	for i := range n {
		y.Class[i] = int32(i % 2)
		p := float64((i*7919)%n) / float64(n)
		prob[2*i], prob[2*i+1] = 1-p, p
	}
	c := rocOf(y, prob)
	if c == nil || len(c.FPR) > maxCurvePoints || len(c.FPR) < 100 || c.FPR[0] != 0 || c.TPR[len(c.TPR)-1] != 1 || c.FPR[len(c.FPR)-1] != 1 || c.Class != "b" {
		t.Errorf("got %d points, ends %v %v", len(c.FPR), c.FPR[len(c.FPR)-1], c.TPR[len(c.TPR)-1])
	}
}
