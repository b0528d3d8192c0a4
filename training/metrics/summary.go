package metrics

import (
	"fmt"
	"math"
	"slices"
	"strconv"
)

// Classification is the evaluation of predicted class probabilities.
type Classification struct {
	// N is the number of rows.
	N int
	// Classes names the classes; a class code indexes it.
	Classes []string
	// Accuracy is the share of rows whose predicted class, the most
	// probable one, is the true class.
	Accuracy float64
	// Average is how Precision, Recall and F1 combine the classes:
	// Binary (class 1) for two classes, Macro for more.
	Average Average
	// Precision, Recall and F1 are averaged as Average says.
	Precision float64
	Recall    float64
	F1        float64
	// ROCAUC is the area under the ROC curve (see ROCAUC).
	ROCAUC float64
	// PRAUC is the average precision (see AveragePrecision).
	PRAUC float64
	// LogLoss is the mean negative log-likelihood (see LogLoss).
	LogLoss float64
	// Confusion counts rows by true and predicted class.
	Confusion Confusion
	// Undefined says why metrics are NaN, one "metric: reason" each.
	Undefined []string
}

// Classify evaluates prob, an n×k row-major matrix of predicted
// probabilities of the k = len(classes) classes, against the true class
// codes y. Every metric is the one its field names (see the functions
// of the same name); the predicted class of a row is its most probable
// class, the lowest code on ties.
//
// Classify returns an error wrapping ErrEmpty for no rows and
// ErrInvalid for malformed input: fewer than two classes, a prob of
// the wrong length, a code outside [0, k), or a probability that is NaN
// or outside [0, 1] (the error names the first such row and class).
// Metrics that are undefined for valid input are NaN, with the reason
// in Undefined.
func Classify(y []int32, prob []float64, classes []string) (Classification, error) {
	if err := checkClassification(y, prob, len(classes)); err != nil {
		return Classification{}, err
	}
	var e evaluator
	return e.classify(y, prob, classes), nil
}

// evaluator holds the buffers of Classify, reused across group slices.
type evaluator struct {
	pred []int32
	rank ranker
}

// classify evaluates valid input.
func (e *evaluator) classify(y []int32, prob []float64, classes []string) Classification {
	k := len(classes)
	e.pred = Predict(e.pred, prob, k)
	conf := confusion(y, e.pred, k)
	avg := Macro
	if k == 2 {
		avg = Binary
	}
	sc, _ := conf.Scores(avg) // valid: k ≥ 2 and rows counted
	out := Classification{
		N:         len(y),
		Classes:   slices.Clone(classes),
		Accuracy:  conf.Accuracy(),
		Average:   avg,
		Precision: sc.Precision,
		Recall:    sc.Recall,
		F1:        sc.F1,
		LogLoss:   logLoss(y, prob, k),
		Confusion: conf,
	}
	counts := make([]int64, k)
	for c, row := range conf {
		for _, v := range row {
			counts[c] += v
		}
	}
	name := func(c int) string { return "class " + strconv.Quote(classes[c]) }
	a := e.rank.areas(y, prob, k, counts, name, true, true)
	out.ROCAUC, out.PRAUC = a.roc, a.ap
	if a.rocWhy != "" {
		out.Undefined = append(out.Undefined, "roc_auc: "+a.rocWhy)
	}
	if a.apWhy != "" {
		out.Undefined = append(out.Undefined, "pr_auc: "+a.apWhy)
	}
	return out
}

// Metric names, as in JSON, for Value and SpreadOf.
const (
	MetricN         = "n"
	MetricAccuracy  = "accuracy"
	MetricPrecision = "precision"
	MetricRecall    = "recall"
	MetricF1        = "f1"
	MetricROCAUC    = "roc_auc"
	MetricPRAUC     = "pr_auc"
	MetricLogLoss   = "log_loss"
	MetricRMSE      = "rmse"
	MetricMAE       = "mae"
	MetricR2        = "r2"
)

// Value returns the metric of that name (MetricAccuracy and so on),
// or an error wrapping ErrInvalid for a name that is not a
// classification metric.
func (c *Classification) Value(metric string) (float64, error) {
	switch metric {
	case MetricN:
		return float64(c.N), nil
	case MetricAccuracy:
		return c.Accuracy, nil
	case MetricPrecision:
		return c.Precision, nil
	case MetricRecall:
		return c.Recall, nil
	case MetricF1:
		return c.F1, nil
	case MetricROCAUC:
		return c.ROCAUC, nil
	case MetricPRAUC:
		return c.PRAUC, nil
	case MetricLogLoss:
		return c.LogLoss, nil
	}
	return math.NaN(), fmt.Errorf("metrics: %q is not a classification metric: %w", metric, ErrInvalid)
}

// Value returns the metric of that name (MetricRMSE and so on), or an
// error wrapping ErrInvalid for a name that is not a regression metric.
func (r *Regression) Value(metric string) (float64, error) {
	switch metric {
	case MetricN:
		return float64(r.N), nil
	case MetricRMSE:
		return r.RMSE, nil
	case MetricMAE:
		return r.MAE, nil
	case MetricR2:
		return r.R2, nil
	}
	return math.NaN(), fmt.Errorf("metrics: %q is not a regression metric: %w", metric, ErrInvalid)
}
