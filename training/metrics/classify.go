package metrics

import (
	"fmt"
	"github.com/assayhq/assay/dataset/npsum"
	"math"
)

// Average says how precision, recall and F1 of single classes combine
// into one number; the names are scikit-learn's average= values.
type Average uint8

const (
	// Binary scores class 1 of two classes (scikit-learn's pos_label=1).
	Binary Average = iota
	// Macro is the unweighted mean over the classes present in y or in
	// the predictions.
	Macro
	// Weighted is the mean over the classes present, weighted by their
	// number of rows in y.
	Weighted
	// Micro counts true positives, false positives and false negatives
	// over all classes together.
	Micro
)

var averageNames = [...]string{Binary: "binary", Macro: "macro", Weighted: "weighted", Micro: "micro"}

// String returns "binary", "macro", "weighted" or "micro".
func (a Average) String() string {
	if int(a) < len(averageNames) {
		return averageNames[a]
	}
	return fmt.Sprintf("Average(%d)", a)
}

// MarshalText returns the name of a.
func (a Average) MarshalText() ([]byte, error) {
	if int(a) >= len(averageNames) {
		return nil, fmt.Errorf("metrics: unknown average %d: %w", a, ErrInvalid)
	}
	return []byte(averageNames[a]), nil
}

// UnmarshalText sets a from its name.
func (a *Average) UnmarshalText(b []byte) error {
	for i, name := range averageNames {
		if string(b) == name {
			*a = Average(i)
			return nil
		}
	}
	return fmt.Errorf("metrics: unknown average %q: %w", b, ErrInvalid)
}

// Scores is the precision, recall and F1 of a set of predictions.
type Scores struct {
	Precision float64
	Recall    float64
	F1        float64
}

// Predict writes the predicted class of each row of prob, an n×k
// row-major matrix, to dst (grown as needed) and returns it. The
// prediction is the column with the largest probability, the lowest
// one on ties, as numpy.argmax picks it. Predict does not check prob:
// for a row holding NaN the prediction is unspecified (Classify rejects
// NaN).
func Predict(dst []int32, prob []float64, k int) []int32 {
	if k <= 0 {
		return dst[:0]
	}
	n := len(prob) / k
	if cap(dst) < n {
		dst = make([]int32, n)
	}
	dst = dst[:n]
	for i := range dst {
		row := prob[i*k : i*k+k : i*k+k]
		best, arg := row[0], 0
		for c := 1; c < k; c++ {
			if row[c] > best {
				best, arg = row[c], c
			}
		}
		dst[i] = int32(arg)
	}
	return dst
}

// Accuracy returns the share of rows whose prediction equals y, as
// sklearn.metrics.accuracy_score.
func Accuracy(y, pred []int32) (float64, error) {
	if len(y) != len(pred) {
		return math.NaN(), fmt.Errorf("metrics: %d labels but %d predictions: %w", len(y), len(pred), ErrInvalid)
	}
	if len(y) == 0 {
		return math.NaN(), fmt.Errorf("metrics: accuracy: %w", ErrEmpty)
	}
	hits := 0
	for i, c := range y {
		if pred[i] == c {
			hits++
		}
	}
	return float64(hits) / float64(len(y)), nil
}

// Confusion counts rows by true class (row index) and predicted class
// (column index), as sklearn.metrics.confusion_matrix with labels
// 0..k-1.
type Confusion [][]int64

// NewConfusion counts y against pred for k classes.
func NewConfusion(y, pred []int32, k int) (Confusion, error) {
	if len(y) != len(pred) {
		return nil, fmt.Errorf("metrics: %d labels but %d predictions: %w", len(y), len(pred), ErrInvalid)
	}
	if k < 1 {
		return nil, fmt.Errorf("metrics: %d classes: %w", k, ErrInvalid)
	}
	if err := checkCodes("y", y, k); err != nil {
		return nil, err
	}
	if err := checkCodes("predictions", pred, k); err != nil {
		return nil, err
	}
	return confusion(y, pred, k), nil
}

// confusion counts valid codes into one backing array.
func confusion(y, pred []int32, k int) Confusion {
	cells := make([]int64, k*k)
	for i, c := range y {
		cells[int(c)*k+int(pred[i])]++
	}
	m := make(Confusion, k)
	for r := range m {
		m[r] = cells[r*k : r*k+k : r*k+k]
	}
	return m
}

// Total returns the number of rows counted.
func (m Confusion) Total() int64 {
	var n int64
	for _, row := range m {
		for _, v := range row {
			n += v
		}
	}
	return n
}

// Accuracy returns the share of rows on the diagonal, NaN if m counts
// no rows.
func (m Confusion) Accuracy() float64 {
	var hits int64
	for i, row := range m {
		if i < len(row) {
			hits += row[i]
		}
	}
	return float64(hits) / float64(m.Total())
}

// Scores returns precision, recall and F1 averaged as avg, as
// sklearn.metrics.precision_recall_fscore_support(average=avg) with its
// default zero_division="warn": a ratio whose denominator is zero (a
// class never predicted, a class absent from y) counts as 0. Like
// scikit-learn without labels=, Macro and Weighted average over the
// classes that occur in y or in the predictions; Binary needs two
// classes and scores class 1.
func (m Confusion) Scores(avg Average) (Scores, error) {
	k := len(m)
	for i, row := range m {
		if len(row) != k {
			return Scores{}, fmt.Errorf("metrics: confusion row %d has %d columns, want %d: %w", i, len(row), k, ErrInvalid)
		}
	}
	if m.Total() == 0 {
		return Scores{}, fmt.Errorf("metrics: scores: %w", ErrEmpty)
	}
	switch avg {
	case Binary:
		if k != 2 {
			return Scores{}, fmt.Errorf("metrics: binary average of %d classes: %w", k, ErrInvalid)
		}
		tp, pred, true_ := m.counts(1)
		return score(tp, pred, true_), nil
	case Micro:
		var tp, pred, true_ int64
		for c := range k {
			t, p, y := m.counts(c)
			tp, pred, true_ = tp+t, pred+p, true_+y
		}
		return score(tp, pred, true_), nil
	case Macro, Weighted:
		return m.averaged(avg), nil
	}
	return Scores{}, fmt.Errorf("metrics: unknown average %d: %w", avg, ErrInvalid)
}

// counts returns the true positives, predicted positives and true
// positives plus false negatives of class c.
func (m Confusion) counts(c int) (tp, pred, true_ int64) {
	for r, row := range m {
		pred += row[c]
		true_ += m[c][r]
	}
	return m[c][c], pred, true_
}

// score is precision, recall and F1 of one class (or of all, for
// Micro), with scikit-learn's operations in its order.
func score(tp, pred, true_ int64) Scores {
	p := ratio(tp, pred)
	r := ratio(tp, true_)
	return Scores{Precision: p, Recall: r, F1: f1(p, r)}
}

// ratio is scikit-learn's _prf_divide with zero_division "warn": 0 for
// a zero denominator.
func ratio(num, den int64) float64 {
	if den == 0 {
		return 0
	}
	return float64(num) / float64(den)
}

// f1 is scikit-learn's F-beta for beta = 1.
func f1(p, r float64) float64 {
	den := p + r
	if den == 0 {
		den = 1
	}
	return 2 * p * r / den
}

// averaged is the Macro or Weighted mean over the classes present in y
// or the predictions (scikit-learn's unique_labels(y_true, y_pred)).
func (m Confusion) averaged(avg Average) Scores {
	k := len(m)
	buf := make([]float64, 4*k)
	ps, rs, fs, ws := buf[:0:k], buf[k:k:2*k], buf[2*k:2*k:3*k], buf[3*k:3*k]
	for c := range k {
		tp, pred, true_ := m.counts(c)
		if pred == 0 && true_ == 0 {
			continue
		}
		s := score(tp, pred, true_)
		ps, rs, fs, ws = append(ps, s.Precision), append(rs, s.Recall), append(fs, s.F1), append(ws, float64(true_))
	}
	if avg == Macro {
		return Scores{Precision: npsum.Mean(ps), Recall: npsum.Mean(rs), F1: npsum.Mean(fs)}
	}
	// np.average(x, weights=w) is sum(x*w) / sum(w); the weights sum
	// to the number of rows, never zero here.
	wsum := npsum.Sum(ws)
	for _, xs := range [][]float64{ps, rs, fs} {
		for i := range xs {
			xs[i] *= ws[i]
		}
	}
	return Scores{Precision: npsum.Sum(ps) / wsum, Recall: npsum.Sum(rs) / wsum, F1: npsum.Sum(fs) / wsum}
}

// LogLossEps is the clipping bound of LogLoss: probabilities are
// clipped to [LogLossEps, 1-LogLossEps]. It is the float64 machine
// epsilon, scikit-learn 1.2's default (eps="auto"); versions before 1.2
// used 1e-15.
const LogLossEps = 0x1p-52

// LogLoss returns the mean negative log-likelihood of y under prob, an
// n×k row-major matrix, as sklearn.metrics.log_loss(y, prob,
// labels=range(k)) in scikit-learn 1.2: each probability is clipped to
// [LogLossEps, 1-LogLossEps], each row divided by its sum, and the loss
// of a row is -log of its true class's share.
func LogLoss(y []int32, prob []float64, k int) (float64, error) {
	if err := checkClassification(y, prob, k); err != nil {
		return math.NaN(), err
	}
	return logLoss(y, prob, k), nil
}

func logLoss(y []int32, prob []float64, k int) float64 {
	const lo, hi = LogLossEps, 1 - LogLossEps
	row := make([]float64, k)
	var s npsum.Summer
	for i, c := range y {
		for j, p := range prob[i*k : i*k+k] {
			row[j] = min(max(p, lo), hi)
		}
		s.Add(-math.Log(row[c] / npsum.Sum(row)))
	}
	return s.Sum() / float64(len(y))
}

// checkCodes reports the first code outside [0, k).
func checkCodes(what string, codes []int32, k int) error {
	for i, c := range codes {
		if c < 0 || int(c) >= k {
			return fmt.Errorf("metrics: %s row %d: class code %d outside [0, %d): %w", what, i, c, k, ErrInvalid)
		}
	}
	return nil
}

// checkClassification validates y and prob for k classes: at least one
// row and two classes, n×k probabilities, codes in range, and every
// probability in [0, 1] (NaN is rejected, naming its row).
func checkClassification(y []int32, prob []float64, k int) error {
	if k < 2 {
		return fmt.Errorf("metrics: %d classes, want at least 2: %w", k, ErrInvalid)
	}
	if len(y) == 0 {
		return fmt.Errorf("metrics: %w", ErrEmpty)
	}
	if len(prob)%k != 0 || len(prob)/k != len(y) {
		return fmt.Errorf("metrics: %d probabilities for %d rows of %d classes, want %d: %w",
			len(prob), len(y), k, len(y)*k, ErrInvalid)
	}
	if err := checkCodes("y", y, k); err != nil {
		return err
	}
	for i, p := range prob {
		if !(p >= 0 && p <= 1) {
			return fmt.Errorf("metrics: probability of row %d, class %d is %v, want a number in [0, 1]: %w", i/k, i%k, p, ErrInvalid)
		}
	}
	return nil
}
