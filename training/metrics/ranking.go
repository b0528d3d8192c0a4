package metrics

import (
	"fmt"
	"github.com/assayhq/assay/dataset/npsum"
	"math"
	"slices"
)

// Curve is a receiver operating characteristic: for each threshold,
// from the highest down, the false and true positive rates of calling
// a row positive when its score is at or above the threshold. As in
// sklearn.metrics.roc_curve(drop_intermediate=True), points collinear
// with their neighbours are left out, and the curve starts at (0, 0)
// with a threshold one above the highest score.
type Curve struct {
	FPR        []float64
	TPR        []float64
	Thresholds []float64
}

// ROCAUC returns the area under the ROC curve of prob, an n×k
// row-major matrix of probabilities, for true classes y. With two
// classes the score of a row is its probability of class 1, as
// sklearn.metrics.roc_auc_score(y, prob[:, 1]); with more it is the
// unweighted mean of the one-vs-rest areas, as roc_auc_score(y, prob,
// multi_class="ovr", average="macro", labels=range(k)).
//
// The area is undefined, and ROCAUC returns NaN and an error wrapping
// ErrUndefined, where scikit-learn raises: when a class does not occur
// in y (for two classes: y holds only one), and for more than two
// classes when a row of prob does not sum to 1 (within NumPy's allclose
// tolerance).
func ROCAUC(y []int32, prob []float64, k int) (float64, error) {
	if err := checkClassification(y, prob, k); err != nil {
		return math.NaN(), err
	}
	var r ranker
	a := r.areas(y, prob, k, classCounts(y, k), classCode, true, false)
	if a.rocWhy != "" {
		return a.roc, fmt.Errorf("metrics: roc_auc: %s: %w", a.rocWhy, ErrUndefined)
	}
	return a.roc, nil
}

// AveragePrecision returns the area under the precision-recall curve
// of prob, an n×k row-major matrix of probabilities, for true classes
// y, as sklearn.metrics.average_precision_score: with two classes of
// the probabilities of class 1, with more the unweighted mean over the
// one-vs-rest problems (average_precision_score(label_binarize(y,
// classes=range(k)), prob, average="macro")).
//
// Unlike scikit-learn, which scores a class with no rows as 0 (and a y
// of positives only as 1), AveragePrecision returns NaN and an error
// wrapping ErrUndefined when a class does not occur in y, as ROCAUC
// does: neither number says anything about the model.
func AveragePrecision(y []int32, prob []float64, k int) (float64, error) {
	if err := checkClassification(y, prob, k); err != nil {
		return math.NaN(), err
	}
	var r ranker
	a := r.areas(y, prob, k, classCounts(y, k), classCode, false, true)
	if a.apWhy != "" {
		return a.ap, fmt.Errorf("metrics: pr_auc: %s: %w", a.apWhy, ErrUndefined)
	}
	return a.ap, nil
}

// ROCCurve returns the ROC curve of one class against the rest: its
// rows in y are the positives and its column of prob the scores, as
// sklearn.metrics.roc_curve(y == class, prob[:, class]). For two
// classes, class 1 gives the usual binary curve.
//
// When y holds no row of the class, or only rows of it, one of the
// rates is undefined: ROCCurve returns the curve with that rate NaN
// throughout, as scikit-learn does, and an error wrapping ErrUndefined.
func ROCCurve(y []int32, prob []float64, k int, class int32) (Curve, error) {
	if err := checkClassification(y, prob, k); err != nil {
		return Curve{}, err
	}
	if class < 0 || int(class) >= k {
		return Curve{}, fmt.Errorf("metrics: roc curve of class %d of %d: %w", class, k, ErrInvalid)
	}
	var r ranker
	r.load(y, prob, k, class)
	// The first point is the origin, its threshold one above the first
	// real one.
	c := Curve{FPR: []float64{0}, TPR: []float64{0}, Thresholds: []float64{0}}
	r.rocPoints(func(fp, tp, t float64) {
		c.FPR = append(c.FPR, fp)
		c.TPR = append(c.TPR, tp)
		c.Thresholds = append(c.Thresholds, t)
	})
	c.Thresholds[0] = c.Thresholds[1] + 1
	rates(c.FPR, len(r.neg))
	rates(c.TPR, len(r.pos))
	switch {
	case len(r.pos) == 0:
		return c, fmt.Errorf("metrics: roc curve: class %d does not occur in y: %w", class, ErrUndefined)
	case len(r.neg) == 0:
		return c, fmt.Errorf("metrics: roc curve: y holds only class %d: %w", class, ErrUndefined)
	}
	return c, nil
}

// rates turns counts into rates of total, or into NaN if total is 0.
func rates(counts []float64, total int) {
	for i := range counts {
		if total == 0 {
			counts[i] = math.NaN()
		} else {
			counts[i] /= float64(total)
		}
	}
}

// classCounts returns the number of rows of each class in y.
func classCounts(y []int32, k int) []int64 {
	counts := make([]int64, k)
	for _, c := range y {
		counts[c]++
	}
	return counts
}

// classCode names a class by its code, for messages.
func classCode(c int) string { return fmt.Sprintf("class %d", c) }

// areas is ROC AUC and average precision, each with the reason it is
// undefined ("" if it is not).
type areas struct {
	roc, ap       float64
	rocWhy, apWhy string
}

// areas computes the areas asked for from one sort per class column.
// counts is the number of rows of each class in y; name names a class
// in reasons.
func (r *ranker) areas(y []int32, prob []float64, k int, counts []int64, name func(int) string, roc, ap bool) areas {
	out := areas{roc: math.NaN(), ap: math.NaN()}
	why := absentClass(counts, name)
	out.rocWhy, out.apWhy = why, why
	if why == "" && k > 2 {
		out.rocWhy = rowSums(prob, k)
	}
	roc = roc && out.rocWhy == ""
	ap = ap && out.apWhy == ""
	if !roc && !ap {
		return out
	}
	if k == 2 {
		r.load(y, prob, k, 1)
		if roc {
			out.roc = r.rocAUC()
		}
		if ap {
			out.ap = r.averagePrecision()
		}
		return out
	}
	buf := make([]float64, 0, 2*k)
	rocs, aps := buf[:0:k], buf[k:k]
	for c := range k {
		r.load(y, prob, k, int32(c))
		if roc {
			rocs = append(rocs, r.rocAUC())
		}
		if ap {
			aps = append(aps, r.averagePrecision())
		}
	}
	if roc {
		out.roc = npsum.Mean(rocs)
	}
	if ap {
		out.ap = npsum.Mean(aps)
	}
	return out
}

// absentClass returns why one-vs-rest areas are undefined for these
// class counts, or "" if every class occurs.
func absentClass(counts []int64, name func(int) string) string {
	for c, n := range counts {
		if n == 0 {
			if len(counts) == 2 {
				return "y holds only " + name(1-c)
			}
			return name(c) + " does not occur in y"
		}
	}
	return ""
}

// rowSums returns why multiclass ROC AUC is undefined for prob, or ""
// if every row sums to 1 as np.allclose(1, prob.sum(axis=1)) judges it.
func rowSums(prob []float64, k int) string {
	const rtol, atol = 1e-5, 1e-8
	for i := 0; i+k <= len(prob); i += k {
		s := npsum.Sum(prob[i : i+k])
		if !(math.Abs(1-s) <= atol+rtol*math.Abs(s)) {
			return fmt.Sprintf("row %d of the probabilities sums to %v, not 1", i/k, s)
		}
	}
	return ""
}

// ranker holds the scores of one class column, split into the rows of
// the class (positives) and the rest (negatives), each sorted
// ascending, ready for walks over the distinct thresholds. Scores are
// held as order-preserving keys (see key), so that a radix sort can
// order them; its buffers are reused from column to column.
type ranker struct {
	buf, tmp []uint64
	pos, neg []uint64
}

// key maps a float64 that is not NaN to a uint64 of the same order,
// with -0 and +0 the same key.
func key(x float64) uint64 {
	if x == 0 {
		x = 0 // -0 → +0
	}
	b := math.Float64bits(x)
	if b>>63 != 0 {
		return ^b
	}
	return b | 1<<63
}

// unkey is the inverse of key.
func unkey(k uint64) float64 {
	if k>>63 != 0 {
		return math.Float64frombits(k &^ (1 << 63))
	}
	return math.Float64frombits(^k)
}

// load sorts column class of prob.
func (r *ranker) load(y []int32, prob []float64, k int, class int32) {
	n := len(y)
	if cap(r.buf) < n {
		r.buf = make([]uint64, n)
	}
	buf := r.buf[:n]
	p, q := 0, n
	col := int(class)
	for i, c := range y {
		// Branch-free: write both ends, keep the one that counts.
		s := key(prob[i*k+col])
		buf[p] = s
		buf[q-1] = s
		pos := 0
		if c == class {
			pos = 1
		}
		p += pos
		q -= 1 - pos
	}
	r.pos, r.neg = buf[:p], buf[p:]
	r.tmp = sortKeys(r.pos, r.tmp)
	r.tmp = sortKeys(r.neg, r.tmp)
}

// rocPoints calls emit with the false positives, true positives and
// threshold of each point of the ROC curve, thresholds descending, as
// sklearn's _binary_clf_curve counts them and roc_curve's
// drop_intermediate thins them: a point is kept when it is the first,
// the last, or its second differences in fp or tp are non-zero.
func (r *ranker) rocPoints(emit func(fp, tp, t float64)) {
	type point struct {
		fp, tp float64
		t      uint64
	}
	var a, b point // the two points before the current one
	m := 0
	i, j := len(r.pos), len(r.neg)
	for i > 0 || j > 0 {
		var t uint64
		switch {
		case i == 0:
			t = r.neg[j-1]
		case j == 0:
			t = r.pos[i-1]
		default:
			t = max(r.pos[i-1], r.neg[j-1])
		}
		for i > 0 && r.pos[i-1] == t {
			i--
		}
		for j > 0 && r.neg[j-1] == t {
			j--
		}
		cur := point{float64(len(r.neg) - j), float64(len(r.pos) - i), t}
		switch m {
		case 0:
			emit(cur.fp, cur.tp, unkey(cur.t))
		case 1:
		default:
			if (cur.fp-b.fp)-(b.fp-a.fp) != 0 || (cur.tp-b.tp)-(b.tp-a.tp) != 0 {
				emit(b.fp, b.tp, unkey(b.t))
			}
		}
		a, b = b, cur
		m++
	}
	if m >= 2 {
		emit(b.fp, b.tp, unkey(b.t))
	}
}

// rocAUC is the trapezoidal area under the loaded column's ROC curve,
// as sklearn.metrics.auc (np.trapz) computes it from roc_curve. Both
// classes must occur.
func (r *ranker) rocAUC() float64 {
	nPos, nNeg := float64(len(r.pos)), float64(len(r.neg))
	var s npsum.Summer
	var x0, y0 float64 // the previous point, from the origin
	r.rocPoints(func(fp, tp, _ float64) {
		x, y := fp/nNeg, tp/nPos
		s.Add((x - x0) * (y + y0) / 2)
		x0, y0 = x, y
	})
	return s.Sum()
}

// averagePrecision is sklearn's average_precision_score of the loaded
// column: -sum(diff(recall) * precision[:-1]) over the
// precision_recall_curve, whose points run from the lowest threshold
// up and end at recall 0, precision 1. The column must have positives.
func (r *ranker) averagePrecision() float64 {
	nPos := float64(len(r.pos))
	var s npsum.Summer
	var rec0, prec0 float64
	first := true
	i, j := 0, 0
	for i < len(r.pos) || j < len(r.neg) {
		var t uint64
		switch {
		case i == len(r.pos):
			t = r.neg[j]
		case j == len(r.neg):
			t = r.pos[i]
		default:
			t = min(r.pos[i], r.neg[j])
		}
		tp, fp := float64(len(r.pos)-i), float64(len(r.neg)-j)
		for i < len(r.pos) && r.pos[i] == t {
			i++
		}
		for j < len(r.neg) && r.neg[j] == t {
			j++
		}
		rec, prec := tp/nPos, tp/(tp+fp)
		if !first {
			s.Add((rec - rec0) * prec0)
		}
		rec0, prec0, first = rec, prec, false
	}
	s.Add((0 - rec0) * prec0)
	return -s.Sum()
}

// Radix sort parameters: keys are sorted 11 bits at a time, in six
// passes; short runs go to slices.Sort instead.
const (
	radixBits  = 11
	radixPass  = (64 + radixBits - 1) / radixBits
	radixMask  = 1<<radixBits - 1
	radixShort = 512
)

// sortKeys sorts keys ascending with a least-significant-digit radix
// sort, O(n), using tmp as scratch; it returns tmp, grown if it was
// shorter than keys. Passes whose digit is the same for every key are
// skipped.
func sortKeys(keys, tmp []uint64) []uint64 {
	n := len(keys)
	if n < radixShort {
		slices.Sort(keys)
		return tmp
	}
	if cap(tmp) < n {
		tmp = make([]uint64, n)
	}
	var counts [radixPass][1 << radixBits]uint32
	for _, k := range keys {
		for p := range radixPass {
			counts[p][k>>(p*radixBits)&radixMask]++
		}
	}
	src, dst := keys, tmp[:n]
	for p := range radixPass {
		shift := p * radixBits
		c := &counts[p]
		if c[src[0]>>shift&radixMask] == uint32(n) {
			continue
		}
		var sum uint32
		for d, m := range c {
			c[d] = sum
			sum += m
		}
		for _, k := range src {
			d := k >> shift & radixMask
			dst[c[d]] = k
			c[d]++
		}
		src, dst = dst, src
	}
	if &src[0] != &keys[0] {
		copy(keys, src)
	}
	return tmp
}
