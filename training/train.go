// Package training trains, evaluates and tracks models: it splits the
// data (a seeded holdout, and K-fold cross-validation on the rest), fits
// a trainer (gbdt, logistic, linear, or an external program), evaluates
// each part, overall and per group, and records the run.
//
// Metric names in a run's summary are SPLIT.METRIC — train, cv (the mean
// over folds) and test (the holdout) — and SPLIT.by.COLUMN=LEVEL.METRIC
// per group; the metrics are those of package metrics (accuracy,
// precision, recall, f1, roc_auc, pr_auc, log_loss; rmse, mae, r2).
package training

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/training/frame"
	"github.com/assayhq/assay/training/metrics"
	"github.com/assayhq/assay/training/split"
)

// Options say how to train and evaluate.
type Options struct {
	Trainer string
	Params  Params   // given; the trainer's defaults fill the rest
	Command []string // the external trainer's command
	// TestFraction is the holdout's share (default 0.2; stratified by
	// class for classification). ValidFraction, when above 0, also keeps
	// a validation part out of training, scored as valid.*. Folds > 1
	// also cross-validates on the training part.
	TestFraction  float64
	ValidFraction float64
	Folds         int
	Seed          uint64
	// Groups are the group columns metrics are also computed per level
	// of, one code per row of the data.
	Groups []metrics.Group
	// Fold, when set, is told the score of each fold as it finishes
	// (tuning prunes on it); returning true stops the cross-validation
	// with ErrStopped.
	Fold func(fold int, score float64) bool
	// FoldMetric names the score Fold gets (default roc_auc or r2).
	FoldMetric string
}

// ErrStopped is returned when Options.Fold stopped a cross-validation.
var ErrStopped = fmt.Errorf("training stopped")

// Evaluation is a run's metrics.
type Evaluation struct {
	Train  *Scores  `json:"train"`
	CV     *Scores  `json:"cv,omitempty"` // the mean over folds
	Folds  []Scores `json:"folds,omitempty"`
	Valid  *Scores  `json:"valid,omitempty"`
	Test   *Scores  `json:"test,omitempty"`
	Groups struct {
		Test []metrics.GroupMetrics `json:"test,omitempty"`
	} `json:"groups"`
	// ROC is the holdout's ROC curve of the last class against the rest
	// (class 1 of two), thinned to at most 201 points, for reports.
	ROC *Curve `json:"roc,omitempty"`
	// TestRows are the data rows of the holdout, for comparing models on
	// the same rows.
	TestRows []int `json:"test_rows,omitempty"`
}

// Curve is a thinned ROC curve.
type Curve struct {
	Class string    `json:"class"`
	FPR   []float64 `json:"fpr"`
	TPR   []float64 `json:"tpr"`
}

// maxCurvePoints bounds a stored ROC curve.
const maxCurvePoints = 201

// rocOf returns the thinned ROC curve of the last class, or nil when it
// is undefined.
func rocOf(y *frame.Target, prob []float64) *Curve {
	k := len(y.Classes)
	c, err := metrics.ROCCurve(y.Class, prob, k, int32(k-1))
	if err != nil || len(c.FPR) == 0 {
		return nil
	}
	out := &Curve{Class: y.Classes[k-1]}
	step := max(1, (len(c.FPR)+maxCurvePoints-2)/(maxCurvePoints-1))
	for i := 0; i < len(c.FPR); i += step {
		out.FPR = append(out.FPR, c.FPR[i])
		out.TPR = append(out.TPR, c.TPR[i])
	}
	if last := len(c.FPR) - 1; last%step != 0 {
		out.FPR = append(out.FPR, c.FPR[last])
		out.TPR = append(out.TPR, c.TPR[last])
	}
	return out
}

// Scores are the metrics of one part of the data.
type Scores struct {
	Classification *metrics.Classification `json:"classification,omitempty"`
	Regression     *metrics.Regression     `json:"regression,omitempty"`
}

// Value returns a metric by name.
func (s *Scores) Value(metric string) (float64, error) {
	if s.Classification != nil {
		return s.Classification.Value(metric)
	}
	return s.Regression.Value(metric)
}

// Result is a trained model with its evaluation.
type Result struct {
	Model      Model
	Params     Params // with defaults
	Evaluation *Evaluation
	Summary    map[string]float64
	Started    time.Time
	Finished   time.Time
}

// Train fits the trainer on the data's training part and evaluates it.
func Train(ctx context.Context, d *frame.Data, s *frame.Schema, opts Options) (*Result, error) {
	if err := checkTrainer(opts.Trainer); err != nil {
		return nil, err
	}
	if opts.Trainer == "external" && len(opts.Command) == 0 {
		return nil, fmt.Errorf("%w: the external trainer needs a command", dataset.ErrInvalid)
	}
	if opts.TestFraction == 0 {
		opts.TestFraction = 0.2
	}
	res := &Result{Started: time.Now().UTC(), Params: WithDefaults(opts.Trainer, opts.Params)}
	n := d.X.Rows
	var stratify []int32
	if d.Y.Task == frame.Classification {
		stratify = d.Y.Class
	}
	train, valid, test, err := split.TrainTest(n, split.Options{TestFraction: opts.TestFraction, ValidFraction: opts.ValidFraction, Seed: opts.Seed, Stratify: stratify})
	if err != nil {
		return nil, fmt.Errorf("%w: split: %v", dataset.ErrInvalid, err)
	}
	ev := &Evaluation{TestRows: train[:0:0]}
	for _, r := range test {
		ev.TestRows = append(ev.TestRows, d.Rows[r])
	}
	in := fitInput{Trainer: opts.Trainer, Params: res.Params, Command: opts.Command, Schema: s, Seed: opts.Seed}
	xTrain, yTrain := d.X.Subset(train), d.Y.Subset(train)
	if opts.Folds > 1 {
		if err := crossValidate(ctx, in, xTrain, yTrain, opts, ev); err != nil {
			return nil, err
		}
	}
	in.X, in.Y = xTrain, yTrain
	m, err := fit(ctx, in)
	if err != nil {
		return nil, err
	}
	res.Model = m
	if ev.Train, err = score(ctx, m, xTrain, yTrain); err != nil {
		return nil, err
	}
	if len(valid) > 0 {
		if ev.Valid, err = score(ctx, m, d.X.Subset(valid), d.Y.Subset(valid)); err != nil {
			return nil, err
		}
	}
	xTest, yTest := d.X.Subset(test), d.Y.Subset(test)
	out, err := predict(ctx, m, xTest, yTest)
	if err != nil {
		return nil, err
	}
	if ev.Test, err = scoresOf(yTest, out); err != nil {
		return nil, err
	}
	if yTest.Task == frame.Classification {
		ev.ROC = rocOf(yTest, out)
	}
	if len(opts.Groups) > 0 {
		groups := subsetGroups(opts.Groups, test)
		if yTest.Task == frame.Classification {
			ev.Groups.Test, err = metrics.ClassifyByGroup(yTest.Class, out, yTest.Classes, groups)
		} else {
			ev.Groups.Test, err = metrics.RegressByGroup(yTest.Value, out, groups)
		}
		if err != nil {
			return nil, err
		}
	}
	res.Evaluation = ev
	res.Summary = Summarize(ev)
	res.Finished = time.Now().UTC()
	return res, nil
}

// crossValidate fits a model per fold of the training part and records
// each fold's test scores and their mean.
func crossValidate(ctx context.Context, in fitInput, x *frame.Matrix, y *frame.Target, opts Options, ev *Evaluation) error {
	var stratify []int32
	if y.Task == frame.Classification {
		stratify = y.Class
	}
	folds, err := split.KFold(x.Rows, opts.Folds, opts.Seed, stratify)
	if err != nil {
		return fmt.Errorf("%w: cross-validation: %v", dataset.ErrInvalid, err)
	}
	metric := opts.FoldMetric
	if metric == "" {
		metric = defaultMetric(y.Task)
	}
	for k, f := range folds {
		in.X, in.Y = x.Subset(f.Train), y.Subset(f.Train)
		m, err := fit(ctx, in)
		if err != nil {
			return fmt.Errorf("fold %d: %w", k+1, err)
		}
		sc, err := score(ctx, m, x.Subset(f.Test), y.Subset(f.Test))
		if err != nil {
			return fmt.Errorf("fold %d: %w", k+1, err)
		}
		ev.Folds = append(ev.Folds, *sc)
		if opts.Fold != nil {
			v, err := sc.Value(metric)
			if err != nil {
				return fmt.Errorf("%w: %v", dataset.ErrInvalid, err)
			}
			if opts.Fold(k, v) {
				return ErrStopped
			}
		}
	}
	ev.CV = meanScores(ev.Folds)
	return nil
}

// defaultMetric is the score tuning and fold reports use by default.
func defaultMetric(t frame.Task) string {
	if t == frame.Regression {
		return metrics.MetricR2
	}
	return metrics.MetricROCAUC
}

// predict runs a model on x.
func predict(ctx context.Context, m Model, x *frame.Matrix, y *frame.Target) ([]float64, error) {
	k := 1
	if y.Task == frame.Classification {
		k = len(y.Classes)
	}
	out := make([]float64, x.Rows*k)
	if err := m.Predict(ctx, x, out); err != nil {
		return nil, err
	}
	return out, nil
}

// score evaluates m on x against y.
func score(ctx context.Context, m Model, x *frame.Matrix, y *frame.Target) (*Scores, error) {
	out, err := predict(ctx, m, x, y)
	if err != nil {
		return nil, err
	}
	return scoresOf(y, out)
}

func scoresOf(y *frame.Target, out []float64) (*Scores, error) {
	if y.Task == frame.Classification {
		c, err := metrics.Classify(y.Class, out, y.Classes)
		if err != nil {
			return nil, err
		}
		return &Scores{Classification: &c}, nil
	}
	r, err := metrics.Regress(y.Value, out)
	if err != nil {
		return nil, err
	}
	return &Scores{Regression: &r}, nil
}

// meanScores averages the numbers of fold scores (confusion matrices are
// summed).
func meanScores(folds []Scores) *Scores {
	if len(folds) == 0 {
		return nil
	}
	out := &Scores{}
	inv := 1 / float64(len(folds))
	if folds[0].Classification != nil {
		c := metrics.Classification{Classes: folds[0].Classification.Classes, Average: folds[0].Classification.Average}
		for _, f := range folds {
			fc := f.Classification
			c.N += fc.N
			c.Accuracy += fc.Accuracy * inv
			c.Precision += fc.Precision * inv
			c.Recall += fc.Recall * inv
			c.F1 += fc.F1 * inv
			c.ROCAUC += fc.ROCAUC * inv
			c.PRAUC += fc.PRAUC * inv
			c.LogLoss += fc.LogLoss * inv
			if c.Confusion == nil {
				c.Confusion = make(metrics.Confusion, len(fc.Confusion))
				for i := range c.Confusion {
					c.Confusion[i] = make([]int64, len(fc.Confusion[i]))
				}
			}
			for i := range fc.Confusion {
				for j := range fc.Confusion[i] {
					c.Confusion[i][j] += fc.Confusion[i][j]
				}
			}
		}
		out.Classification = &c
		return out
	}
	var r metrics.Regression
	for _, f := range folds {
		r.N += f.Regression.N
		r.RMSE += f.Regression.RMSE * inv
		r.MAE += f.Regression.MAE * inv
		r.R2 += f.Regression.R2 * inv
	}
	out.Regression = &r
	return out
}

func subsetGroups(groups []metrics.Group, rows []int) []metrics.Group {
	out := make([]metrics.Group, len(groups))
	for j, g := range groups {
		codes := make([]int32, len(rows))
		for i, r := range rows {
			codes[i] = g.Codes[r]
		}
		out[j] = metrics.Group{Column: g.Column, Codes: codes, Levels: g.Levels}
	}
	return out
}

// classificationMetrics and regressionMetrics are the names a summary
// holds.
var (
	classificationMetrics = []string{metrics.MetricAccuracy, metrics.MetricPrecision, metrics.MetricRecall, metrics.MetricF1,
		metrics.MetricROCAUC, metrics.MetricPRAUC, metrics.MetricLogLoss}
	regressionMetrics = []string{metrics.MetricRMSE, metrics.MetricMAE, metrics.MetricR2}
)

// Summarize flattens an evaluation to SPLIT.METRIC and
// SPLIT.by.COLUMN=LEVEL.METRIC numbers.
func Summarize(ev *Evaluation) map[string]float64 {
	out := map[string]float64{}
	add := func(prefix string, s *Scores) {
		if s == nil {
			return
		}
		names := regressionMetrics
		if s.Classification != nil {
			names = classificationMetrics
		}
		for _, m := range names {
			if v, err := s.Value(m); err == nil {
				out[prefix+"."+m] = v
			}
		}
	}
	add("train", ev.Train)
	add("cv", ev.CV)
	add("valid", ev.Valid)
	add("test", ev.Test)
	for _, g := range ev.Groups.Test {
		names := regressionMetrics
		if g.Classification != nil {
			names = classificationMetrics
		}
		for _, m := range names {
			if v, err := g.Value(m); err == nil {
				out["test.by."+g.Column+"="+g.Level+"."+m] = v
			}
		}
		out["test.by."+g.Column+"="+g.Level+".n"] = float64(g.N)
	}
	return out
}

// SummaryNames returns the summary's names in a stable order: splits
// train, cv, test, then the groups.
func SummaryNames(s map[string]float64) []string {
	rank := func(k string) int {
		switch {
		case len(k) > 6 && k[:6] == "train.":
			return 0
		case len(k) > 3 && k[:3] == "cv.", len(k) > 6 && k[:6] == "valid.":
			return 1
		case len(k) > 8 && k[:8] == "test.by.":
			return 3
		}
		return 2
	}
	names := make([]string, 0, len(s))
	for k := range s {
		names = append(names, k)
	}
	slices.SortFunc(names, func(a, b string) int {
		if ra, rb := rank(a), rank(b); ra != rb {
			return ra - rb
		}
		if a < b {
			return -1
		}
		if a > b {
			return 1
		}
		return 0
	})
	return names
}
