package gbdt

import "math"

// lossRows is the number of rows per piece of work when computing
// gradients and losses; partial sums are added in piece order, so results
// do not depend on the number of workers.
const lossRows = 1 << 14

type lossKind uint8

const (
	lossBinary lossKind = iota + 1
	lossMulti
	lossSquared
)

// objective is a loss over a fixed set of rows. Raw scores, gradients and
// hessians are stored class by class: row i of class k at k*n+i.
type objective struct {
	kind lossKind
	k    int       // raw scores per row
	n    int       // rows
	y    []float64 // binary: 0 or 1; squared: the target
	cls  []int32   // multiclass: class codes
}

// baseline returns the raw scores of the best constant model, as
// scikit-learn computes them: the logit of the positive rate, the
// centred log of the class shares, or the mean.
func (o *objective) baseline() []float64 {
	switch o.kind {
	case lossBinary:
		var s float64
		for _, v := range o.y {
			s += v
		}
		eps := 10 * epsilon
		p := min(max(s/float64(o.n), eps), 1-eps)
		return []float64{math.Log(p / (1 - p))}
	case lossMulti:
		counts := make([]float64, o.k)
		for _, c := range o.cls {
			counts[c]++
		}
		out := make([]float64, o.k)
		var mean float64
		for c := range out {
			p := min(max(counts[c]/float64(o.n), epsilon), 1-epsilon)
			out[c] = math.Log(p)
			mean += out[c]
		}
		mean /= float64(o.k)
		for c := range out {
			out[c] -= mean
		}
		return out
	default:
		var s float64
		for _, v := range o.y {
			s += v
		}
		return []float64{s / float64(o.n)}
	}
}

// epsilon is the machine epsilon of float64.
const epsilon = 0x1p-52

// gradients sets the gradients and hessians gh for the raw scores (the
// hessians only when they are not constant) and returns the mean loss.
func (o *objective) gradients(raw []float64, gh []gpair, workers int) float64 {
	return o.run(raw, gh, workers)
}

// loss returns the mean loss of the raw scores.
func (o *objective) loss(raw []float64, workers int) float64 {
	return o.run(raw, nil, workers)
}

func (o *objective) run(raw []float64, gh []gpair, workers int) float64 {
	pieces := chunks(o.n, lossRows)
	sums := make([]float64, pieces)
	parallel(pieces, workers, func(c int) {
		lo := c * lossRows
		hi := min(lo+lossRows, o.n)
		switch o.kind {
		case lossBinary:
			sums[c] = o.binary(raw, gh, lo, hi)
		case lossMulti:
			sums[c] = o.multi(raw, gh, lo, hi)
		default:
			sums[c] = o.squared(raw, gh, lo, hi)
		}
	})
	var s float64
	for _, v := range sums {
		s += v
	}
	return s / float64(o.n)
}

// logBatch is the number of factors in (1, 2] multiplied before taking a
// logarithm: their product stays below 2^logBatch, far from overflow.
const logBatch = 512

// binary is the log loss of a sigmoid: loss log(1+e^r) - y·r, gradient
// p - y, hessian p(1-p) with p = sigmoid(r). It writes log(1+e^r) as
// max(r, 0) + log(1+e^-|r|) and takes the logarithms of batches of
// products of 1+e^-|r|, each in (1, 2], rather than of each: logarithms
// are slow, and a product of 512 such factors loses less than 1e-13 to
// rounding.
func (o *objective) binary(raw []float64, gh []gpair, lo, hi int) float64 {
	y := o.y[lo:hi]
	raw = raw[lo:hi]
	var s float64
	prod := 1.0
	for i, r := range raw {
		e := expNeg(-math.Abs(r))
		if gh != nil {
			// p is 1/(1+e) for r >= 0, else e/(1+e); chosen by bits so
			// that the compiler selects rather than branches.
			q := 1 / (1 + e)
			pb, nb := math.Float64bits(q), math.Float64bits(e*q)
			if r < 0 {
				pb = nb
			}
			p := math.Float64frombits(pb)
			gh[lo+i] = gpair{float32(p - y[i]), float32(p * (1 - p))}
		}
		s += max(r, 0) - y[i]*r
		prod *= 1 + e
		if i%logBatch == logBatch-1 {
			s += math.Log(prod)
			prod = 1
		}
	}
	return s + math.Log(prod)
}

// multi is the log loss of a softmax: loss logsumexp(r) - r_y, gradient
// p_k - [y = k], hessian p_k(1-p_k). Like binary, it takes the logarithm
// of a product of the sums of exponentials, each in [1, k], rescaled by
// powers of two as it grows.
func (o *objective) multi(raw []float64, gh []gpair, lo, hi int) float64 {
	n, k := o.n, o.k
	e := make([]float64, k)
	var s float64
	prod, exp := 1.0, 0
	for i := lo; i < hi; i++ {
		m := math.Inf(-1)
		for c := range k {
			m = max(m, raw[c*n+i])
		}
		var z float64
		for c := range k {
			e[c] = expNeg(raw[c*n+i] - m)
			z += e[c]
		}
		y := int(o.cls[i])
		s += m - raw[y*n+i]
		prod *= z
		if prod > 0x1p500 {
			var x int
			prod, x = math.Frexp(prod)
			exp += x
		}
		if gh == nil {
			continue
		}
		for c := range k {
			p := e[c] / z
			t := 0.0
			if c == y {
				t = 1
			}
			gh[c*n+i] = gpair{float32(p - t), float32(p * (1 - p))}
		}
	}
	return s + math.Log(prod) + float64(exp)*math.Ln2
}

// squared is half the squared error: gradient r - y, hessian 1.
func (o *objective) squared(raw []float64, gh []gpair, lo, hi int) float64 {
	var s float64
	y := o.y[lo:hi]
	raw = raw[lo:hi]
	if gh == nil {
		for i, r := range raw {
			d := r - y[i]
			s += 0.5 * d * d
		}
		return s
	}
	gh = gh[lo:hi]
	for i, r := range raw {
		d := r - y[i]
		gh[i].g = float32(d)
		s += 0.5 * d * d
	}
	return s
}
