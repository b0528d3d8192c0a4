package drift

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"time"

	"github.com/assayhq/assay/drift/stream"
)

// Concept drift thresholds.
const (
	conditionalMinRows = 30   // rows a bin needs on each side to be compared
	conditionalMinMove = 0.05 // change of the target rate worth reporting
	performanceDrop    = 0.05 // relative drop of accuracy, F1 or AUC (or rise of RMSE) that is drift
)

// concept compares the relation of target and prediction to the data.
func concept(ref, cur *frame, cols []string, opts Options) *Concept {
	c := &Concept{Target: opts.Target, Prediction: opts.Prediction, Error: opts.Error}
	if opts.Target != "" {
		c.TargetDrift = compareData(ref.cols[opts.Target], cur.cols[opts.Target], opts.Method, opts.Threshold)
		c.Conditional = conditional(ref, cur, cols, opts.Target)
	}
	if opts.Prediction != "" {
		c.PredDrift = compareData(ref.cols[opts.Prediction], cur.cols[opts.Prediction], opts.Method, opts.Threshold)
	}
	if opts.Target != "" && opts.Prediction != "" {
		c.Performance = performance(ref, cur, opts.Target, opts.Prediction)
	}
	if opts.Error != "" || opts.Target != "" && opts.Prediction != "" {
		c.Detectors = detectors(cur, opts)
		if c.Detectors == nil {
			c.Notes = append(c.Notes, detectorsSkipped(cur, opts))
		}
	}
	return c
}

// targetValues returns a side's target as numbers: booleans and numbers
// as they are; a categorical target with two values as 1 for its less
// frequent reference class (the positive one), 0 for the other. ok is
// false for other targets.
func targetValues(ref, side *colData) (vals []float64, positive string, ok bool) {
	if side.numeric {
		return side.num, "", true
	}
	if len(ref.cats) != 2 {
		return nil, "", false
	}
	pos := 0
	if ref.counts[1] < ref.counts[0] {
		pos = 1
	}
	positive = ref.cats[pos]
	return classOf(side, positive), positive, true
}

// conditional compares P(target | feature bin) — the target's rate (or
// mean) within each bin of each feature — between the sides, and returns
// the bins that moved, most significant first.
func conditional(ref, cur *frame, cols []string, target string) []Conditional {
	rt, _, ok := targetValues(ref.cols[target], ref.cols[target])
	if !ok {
		return nil
	}
	ct, _, _ := targetValues(ref.cols[target], cur.cols[target])
	var out []Conditional
	for _, name := range cols {
		if name == target {
			continue
		}
		rd, cd := ref.cols[name], cur.cols[name]
		labels, rbin, cbin := binRows(rd, cd)
		type acc struct {
			n, sum, sq float64
		}
		ra, ca := make([]acc, len(labels)), make([]acc, len(labels))
		fill := func(a []acc, bins []int, t []float64) {
			for i, b := range bins {
				if b < 0 || i >= len(t) || math.IsNaN(t[i]) {
					continue
				}
				a[b].n++
				a[b].sum += t[i]
				a[b].sq += t[i] * t[i]
			}
		}
		fill(ra, rbin, rt)
		fill(ca, cbin, ct)
		var found []Conditional
		for b := range labels {
			r, c := ra[b], ca[b]
			if r.n < conditionalMinRows || c.n < conditionalMinRows {
				continue
			}
			rm, cm := r.sum/r.n, c.sum/c.n
			// Welch's z on the means (for 0/1 targets: the two-proportion
			// test without pooling).
			rv := math.Max(r.sq/r.n-rm*rm, 0) / r.n
			cv := math.Max(c.sq/c.n-cm*cm, 0) / c.n
			logP := 0.0
			if se := math.Sqrt(rv + cv); se > 0 {
				logP = logErfc(math.Abs(cm-rm) / se / math.Sqrt2)
			} else if cm != rm {
				logP = math.Inf(-1)
			}
			p := math.Exp(logP)
			drifted := p < 0.05/float64(len(labels)) && math.Abs(cm-rm) >= conditionalMinMove
			if drifted {
				found = append(found, Conditional{Feature: name, Bin: labels[b], RefRate: rm, CurRate: cm,
					RefN: int64(r.n), CurN: int64(c.n), PValue: Float(p), LogPValue: Float(logP), Drifted: true})
			}
		}
		out = append(out, found...)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].LogPValue < out[j].LogPValue })
	if len(out) > 20 {
		out = out[:20]
	}
	return out
}

// binRows assigns each sampled row of both sides to a bin of the feature:
// its category (the reference's TopK), or one of NumericBins equal-width
// bins of the reference's range (with open ends). -1: missing.
func binRows(rd, cd *colData) (labels []string, rb, cb []int) {
	if !rd.numeric {
		idx := make([]int, len(rd.cats))
		for i := range idx {
			idx[i] = i
		}
		sort.SliceStable(idx, func(a, b int) bool { return rd.counts[idx[a]] > rd.counts[idx[b]] })
		keepCat := map[string]int{}
		for _, k := range idx[:min(TopK, len(idx))] {
			keepCat[rd.cats[k]] = len(labels)
			labels = append(labels, rd.cats[k])
		}
		assign := func(d *colData) []int {
			out := make([]int, len(d.codes))
			for i, k := range d.codes {
				out[i] = -1
				if k >= 0 {
					if b, ok := keepCat[d.cats[k]]; ok {
						out[i] = b
					}
				}
			}
			return out
		}
		return labels, assign(rd), assign(cd)
	}
	var vals []float64
	for _, v := range rd.num {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			vals = append(vals, v)
		}
	}
	if len(vals) == 0 {
		return nil, nil, nil
	}
	slices.Sort(vals)
	b := numericBins(vals, vals)
	for i := range b.Ref {
		labels = append(labels, binLabel(b, i))
	}
	edges := make([]float64, len(b.Edges))
	for i, e := range b.Edges {
		edges[i] = float64(e)
	}
	assign := func(d *colData) []int {
		out := make([]int, len(d.num))
		for i, v := range d.num {
			if math.IsNaN(v) {
				out[i] = -1
				continue
			}
			// Bins: (-inf, e1) … [e_{k-1}, e_k] (e_k, inf) over edges[1:len-1].
			j := sort.SearchFloat64s(edges[1:len(edges)-1], v)
			inner := edges[1 : len(edges)-1]
			switch {
			case j < len(inner) && inner[j] == v && j == len(inner)-1:
				out[i] = j // the last edge closes the last inner bin
			case j < len(inner) && inner[j] == v:
				out[i] = j + 1
			default:
				out[i] = j
			}
		}
		return out
	}
	return labels, assign(rd), assign(cd)
}

// performance compares the model's quality on both sides: accuracy, F1
// and ROC AUC for a binary target (AUC when the prediction is a score),
// RMSE and MAE for a numeric one.
func performance(ref, cur *frame, target, pred string) *Performance {
	rt, positive, ok := targetValues(ref.cols[target], ref.cols[target])
	if !ok {
		return nil
	}
	ct, _, _ := targetValues(ref.cols[target], cur.cols[target])
	rp, _, okp := targetValues(ref.cols[target], ref.cols[pred])
	cp, _, _ := targetValues(ref.cols[target], cur.cols[pred])
	if !okp {
		// A categorical prediction of the target's classes.
		rp, cp = classOf(ref.cols[pred], positive), classOf(cur.cols[pred], positive)
	}
	binary := isBinary(rt) && isBinary(ct)
	p := &Performance{Task: "regression", Ref: map[string]Float{}, Cur: map[string]Float{}}
	if binary {
		p.Task = "classification"
		for _, s := range []struct {
			m    map[string]Float
			t, y []float64
		}{{p.Ref, rt, rp}, {p.Cur, ct, cp}} {
			acc, f1 := classification(s.t, s.y)
			s.m["accuracy"], s.m["f1"] = Float(acc), Float(f1)
			if !isBinary(s.y) {
				s.m["roc_auc"] = Float(aucOf(s.t, s.y))
			}
		}
		for _, k := range []string{"accuracy", "f1", "roc_auc"} {
			r, ok1 := p.Ref[k]
			c, ok2 := p.Cur[k]
			if ok1 && ok2 && r > 0 && float64((r-c)/r) >= performanceDrop {
				p.Drifted = true
			}
		}
		return p
	}
	for _, s := range []struct {
		m    map[string]Float
		t, y []float64
	}{{p.Ref, rt, rp}, {p.Cur, ct, cp}} {
		var se, ae, n float64
		for i := range s.t {
			if i >= len(s.y) || math.IsNaN(s.t[i]) || math.IsNaN(s.y[i]) {
				continue
			}
			d := s.y[i] - s.t[i]
			se += d * d
			ae += math.Abs(d)
			n++
		}
		s.m["rmse"], s.m["mae"] = Float(math.Sqrt(se/n)), Float(ae/n)
	}
	if r := p.Ref["rmse"]; r > 0 && float64((p.Cur["rmse"]-r)/r) >= performanceDrop {
		p.Drifted = true
	}
	return p
}

// classOf is 1 where a categorical column holds the positive class, 0
// where it holds another, NaN where it is null.
func classOf(d *colData, positive string) []float64 {
	out := make([]float64, len(d.codes))
	code, has := d.index[positive]
	for i, k := range d.codes {
		switch {
		case k < 0:
			out[i] = math.NaN()
		case has && k == code:
			out[i] = 1
		}
	}
	return out
}

func isBinary(v []float64) bool {
	for _, x := range v {
		if !math.IsNaN(x) && x != 0 && x != 1 {
			return false
		}
	}
	return true
}

// classification returns accuracy and F1 of predictions (scores are
// thresholded at 0.5) against 0/1 targets.
func classification(t, y []float64) (acc, f1 float64) {
	var tp, fp, fn, right, n float64
	for i := range t {
		if i >= len(y) || math.IsNaN(t[i]) || math.IsNaN(y[i]) {
			continue
		}
		pred := y[i] >= 0.5
		truth := t[i] == 1
		n++
		if pred == truth {
			right++
		}
		switch {
		case pred && truth:
			tp++
		case pred:
			fp++
		case truth:
			fn++
		}
	}
	if n == 0 {
		return math.NaN(), math.NaN()
	}
	acc = right / n
	if tp+fp+fn == 0 {
		return acc, math.NaN()
	}
	return acc, 2 * tp / (2*tp + fp + fn)
}

func aucOf(t, y []float64) float64 {
	var s []float64
	var pos []bool
	for i := range t {
		if i < len(y) && !math.IsNaN(t[i]) && !math.IsNaN(y[i]) {
			s = append(s, y[i])
			pos = append(pos, t[i] == 1)
		}
	}
	return rocAUC(s, pos)
}

// detectors runs DDM, EDDM, ADWIN and Page-Hinkley over the current
// side's errors in time order: for a binary target, 1 where the
// prediction is wrong; for a numeric one, the absolute error (ADWIN and
// Page-Hinkley only). A sampled side has no stream: detectors need every
// row.
func detectors(cur *frame, opts Options) []Detector {
	if cur.rate < 1 {
		return nil
	}
	perRow, binary := errorValues(cur, opts)
	if perRow == nil {
		return nil
	}
	order := make([]int, len(perRow))
	for i := range order {
		order[i] = i
	}
	var times []float64
	if opts.Time != "" && cur.cols[opts.Time] != nil && cur.cols[opts.Time].numeric {
		tv := cur.cols[opts.Time].num
		sort.SliceStable(order, func(a, b int) bool { return tv[order[a]] < tv[order[b]] })
		times = tv
	}
	var errs []float64
	var rows []int
	for _, i := range order {
		if !math.IsNaN(perRow[i]) {
			errs = append(errs, perRow[i])
			rows = append(rows, i)
		}
	}
	// The chart's x: the time in Unix seconds, or the row number.
	xs := make([]float64, len(rows))
	unit := int64(0)
	if times != nil {
		unit = unitNanos(string(cur.cols[opts.Time].col.Type))
	}
	for k, r := range rows {
		switch {
		case times != nil && unit > 0:
			xs[k] = times[r] * float64(unit) / 1e9
		case times != nil:
			xs[k] = times[r]
		default:
			xs[k] = float64(r)
		}
	}
	series := smooth(errs, 200)
	var out []Detector
	for _, name := range stream.Names() {
		if !binary && (name == "ddm" || name == "eddm") {
			continue
		}
		d, err := stream.New(name, nil)
		if err != nil {
			panic(err) // river's defaults are valid
		}
		det := Detector{Name: name, Params: d.String(), Series: series, X: xs, XTime: unit > 0}
		for _, ev := range stream.Run(d, errs) {
			e := Event{Kind: ev.Kind, Row: rows[ev.Index], x: xs[ev.Index]}
			if times != nil {
				e.Time = timeText(times[rows[ev.Index]], cur.cols[opts.Time])
			}
			det.Events = append(det.Events, e)
		}
		out = append(out, det)
	}
	return out
}

// errorValues returns each row's error (NaN where it is unknown) and
// whether errors are 0/1: the error column's values, or from the target
// and prediction, 1 where a class prediction (a score thresholded at 0.5)
// is wrong, else the absolute error.
func errorValues(cur *frame, opts Options) ([]float64, bool) {
	if opts.Error != "" {
		d := cur.cols[opts.Error]
		if !d.numeric {
			return nil, false
		}
		return d.num, isBinary(d.num)
	}
	ref := cur.cols[opts.Target]
	t, positive, ok := targetValues(ref, ref)
	if !ok {
		return nil, false
	}
	y, _, okp := targetValues(ref, cur.cols[opts.Prediction])
	if !okp {
		y = classOf(cur.cols[opts.Prediction], positive)
	}
	binary := isBinary(t)
	out := make([]float64, len(t))
	for i := range t {
		switch {
		case math.IsNaN(t[i]) || i >= len(y) || math.IsNaN(y[i]):
			out[i] = math.NaN()
		case binary && (y[i] >= 0.5) != (t[i] == 1):
			out[i] = 1
		case binary:
			out[i] = 0
		default:
			out[i] = math.Abs(y[i] - t[i])
		}
	}
	return out, binary
}

// smooth is a moving average of the error stream, for the chart.
func smooth(x []float64, w int) []float64 {
	out := make([]float64, len(x))
	var s float64
	for i, v := range x {
		s += v
		if i >= w {
			s -= x[i-w]
		}
		out[i] = s / float64(min(i+1, w))
	}
	return out
}

// timeText renders a time column's value.
func timeText(v float64, d *colData) string {
	ns := unitNanos(string(d.col.Type))
	if ns == 0 {
		return fmt.Sprint(v)
	}
	return time.Unix(0, int64(v)*ns).UTC().Format(time.RFC3339)
}

func unitNanos(t string) int64 {
	switch t {
	case "date":
		return 86400e9
	case "timestamp[ms]":
		return 1e6
	case "timestamp[us]":
		return 1e3
	case "timestamp[ns]":
		return 1
	}
	return 0
}

// logErfc is ln erfc(x), finite where erfc underflows: beyond x = 25 the
// asymptotic series, whose next term is below 1e-8 relative there.
func logErfc(x float64) float64 {
	if x < 25 {
		return math.Log(math.Erfc(x))
	}
	x2 := x * x
	return -x2 - math.Log(x*math.Sqrt(math.Pi)) + math.Log1p(-1/(2*x2)+3/(4*x2*x2))
}

// detectorsSkipped says why no detector ran.
func detectorsSkipped(cur *frame, opts Options) string {
	switch {
	case cur.rate < 1:
		return fmt.Sprintf("error-stream detectors not run: the current side has more than %d rows and was sampled; they need every row", DefaultSampleCap)
	case opts.Error != "":
		return fmt.Sprintf("error-stream detectors not run: error column %q is not numeric", opts.Error)
	}
	return fmt.Sprintf("error-stream detectors not run: target %q is neither numeric nor of two classes", opts.Target)
}
