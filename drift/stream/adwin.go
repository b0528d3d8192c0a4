package stream

import (
	"fmt"
	"math"
)

// ADWINOptions are the parameters of ADWIN, named after river's.
type ADWINOptions struct {
	// Delta is the significance of the test of a cut (river's delta,
	// 0.002): smaller alarms less often and later.
	Delta float64
	// Clock is how often the window is checked: every Clock-th value
	// (river's clock, 32). 1 checks at every value.
	Clock int
	// MaxBuckets is how many buckets of each size are kept before the two
	// oldest merge (river's max_buckets, 5), at most MaxADWINBuckets.
	MaxBuckets int
	// MinWindowLength is the fewest values either side of a cut may have
	// (river's min_window_length, 5).
	MinWindowLength int
	// GracePeriod: no check until the window holds more than this many
	// values (river's grace_period, 10).
	GracePeriod int
}

// MaxADWINBuckets bounds ADWINOptions.MaxBuckets. Each row of buckets
// takes 16·(MaxBuckets+1) bytes, and the check scans every bucket, so a
// huge value (river sets no bound) would only burn memory and time.
const MaxADWINBuckets = 4096

// DefaultADWINOptions are river's defaults.
func DefaultADWINOptions() ADWINOptions {
	return ADWINOptions{Delta: 0.002, Clock: 32, MaxBuckets: 5, MinWindowLength: 5, GracePeriod: 10}
}

// Validate reports every out-of-range parameter.
func (o ADWINOptions) Validate() error {
	p := &problems{detector: "adwin"}
	if !(o.Delta > 0 && o.Delta < 1) {
		p.add("delta", formatFloat(o.Delta), "must be in (0, 1)")
	}
	if o.Clock < 1 {
		p.add("clock", o.Clock, "must be >= 1")
	}
	if o.MaxBuckets < 1 || o.MaxBuckets > MaxADWINBuckets {
		p.add("max_buckets", o.MaxBuckets, "must be in [1, %d]", MaxADWINBuckets)
	}
	if o.MinWindowLength < 1 {
		p.add("min_window_length", o.MinWindowLength, "must be >= 1")
	}
	if o.GracePeriod < 0 {
		p.add("grace_period", o.GracePeriod, "must be >= 0")
	}
	return p.err()
}

// String is the options in Parse's form.
func (o ADWINOptions) String() string {
	return fmt.Sprintf("adwin:delta=%s,clock=%d,max_buckets=%d,min_window_length=%d,grace_period=%d",
		formatFloat(o.Delta), o.Clock, o.MaxBuckets, o.MinWindowLength, o.GracePeriod)
}

func (o *ADWINOptions) set(p *problems, key, value string) {
	var dst *int
	switch key {
	case "delta":
		if f, ok := parseFloat(p, key, value); ok {
			o.Delta = f
		}
		return
	case "clock":
		dst = &o.Clock
	case "max_buckets":
		dst = &o.MaxBuckets
	case "min_window_length":
		dst = &o.MinWindowLength
	case "grace_period":
		dst = &o.GracePeriod
	default:
		unknownParam(p, key, value, "delta", "clock", "max_buckets", "min_window_length", "grace_period")
		return
	}
	if n, ok := parseInt(p, key, value); ok {
		*dst = n
	}
}

// ADWIN is adaptive windowing (Bifet & Gavaldà 2007, the bucketed ADWIN2)
// over a stream of real values, following river's implementation step by
// step, floating-point operation order included.
//
// It keeps a window of recent values compressed into buckets: row i holds
// up to MaxBuckets summaries of 2^i values each (total and sum of squared
// deviations); when a row overflows, its two oldest summaries merge into
// the next row. Every Clock-th value, once the window holds more than
// GracePeriod values, it tries every cut between buckets, oldest first,
// into an older part W0 (n0 values) and a newer part W1 (n1 values), both
// at least MinWindowLength long, and cuts when
//
//	|mean(W0) − mean(W1)| > sqrt(2·m·σ²·δ') + 2/3·δ'·m
//	m  = 1/(n0 − MinWindowLength + 1) + 1/(n1 − MinWindowLength + 1)
//	δ' = ln(2·ln(width)/Delta),  σ² = the window's variance (ddof 0)
//
// A cut drops the oldest bucket and starts the scan again, until no cut
// holds; the update then reports drift. Right after that update, Width and
// Estimation describe the shrunken window. As in river (since it resets
// every detector after an alarm), the next update then starts from an
// empty window: the part kept after the cut is not carried over, unlike
// the paper's ADWIN, which goes on from it.
//
// river scans every bucket of every row (the fix of river issue 1539;
// older river releases skipped the newest bucket of each row, as
// scikit-multiflow did), and so does this. ADWIN never warns.
type ADWIN struct {
	opts        ADWINOptions
	minLen      float64
	grace       float64
	rows        []adwinRow // rows[i]: buckets of 2^i values, oldest first
	spare       []adwinRow // rows emptied since the last reset, for reuse
	total       float64    // sum of the window
	variance    float64    // sum of squared deviations from the window's mean
	width       float64    // values in the window
	tick        int
	drift       bool
	nDetections int
}

// adwinRow is one row of buckets: n summaries, oldest first, in arrays of
// MaxBuckets+1 slots (a row briefly holds one more before merging).
type adwinRow struct {
	n     int
	total []float64
	vari  []float64
}

// NewADWIN makes an ADWIN. The zero ADWINOptions stands for
// DefaultADWINOptions(); any other value is taken as it is.
func NewADWIN(opts ADWINOptions) (*ADWIN, error) {
	if opts == (ADWINOptions{}) {
		opts = DefaultADWINOptions()
	}
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	a := &ADWIN{opts: opts, minLen: float64(opts.MinWindowLength), grace: float64(opts.GracePeriod)}
	a.Reset()
	return a, nil
}

// Name is "adwin".
func (a *ADWIN) Name() string { return "adwin" }

// String is the detector in Parse's form.
func (a *ADWIN) String() string { return a.opts.String() }

// Options are the parameters in use.
func (a *ADWIN) Options() ADWINOptions { return a.opts }

// Reset empties the window. It keeps its memory for reuse.
func (a *ADWIN) Reset() {
	for i := range a.rows {
		a.rows[i].clear()
	}
	a.spare = append(a.spare, a.rows...)
	a.rows = a.rows[:0]
	a.rows = append(a.rows, a.newRow())
	a.total, a.variance, a.width = 0, 0, 0
	a.tick = 0
	a.drift = false
}

// Width is how many values the window holds.
func (a *ADWIN) Width() int { return int(a.width) }

// Total is the sum of the values in the window.
func (a *ADWIN) Total() float64 { return a.total }

// Variance is the sum of squared deviations of the window's values from
// their mean (river's ADWIN.variance: not divided by the width).
func (a *ADWIN) Variance() float64 { return a.variance }

// Estimation is the mean of the window (0 when it is empty).
func (a *ADWIN) Estimation() float64 {
	if a.width == 0 {
		return 0
	}
	return a.total / a.width
}

// Detections counts the alarms since NewADWIN, across resets.
func (a *ADWIN) Detections() int { return a.nDetections }

// Update feeds one value.
func (a *ADWIN) Update(x float64) (warning, drift bool) {
	if !finite(x) {
		return false, false
	}
	if a.drift {
		a.Reset()
	}
	a.insert(x)
	a.drift = a.detect()
	if a.drift {
		a.nDetections++
	}
	return false, a.drift
}

func (a *ADWIN) newRow() adwinRow {
	if n := len(a.spare); n > 0 {
		r := a.spare[n-1]
		a.spare = a.spare[:n-1]
		return r
	}
	size := a.opts.MaxBuckets + 1
	buf := make([]float64, 2*size)
	return adwinRow{total: buf[:size:size], vari: buf[size:]}
}

func (r *adwinRow) clear() {
	clear(r.total[:r.n])
	clear(r.vari[:r.n])
	r.n = 0
}

func (r *adwinRow) push(total, vari float64) {
	r.total[r.n] = total
	r.vari[r.n] = vari
	r.n++
}

// drop removes the k oldest summaries.
func (r *adwinRow) drop(k int) {
	copy(r.total, r.total[k:r.n])
	copy(r.vari, r.vari[k:r.n])
	clear(r.total[r.n-k : r.n])
	clear(r.vari[r.n-k : r.n])
	r.n -= k
}

func (a *ADWIN) insert(x float64) {
	a.rows[0].push(x, 0)
	a.width++
	inc := 0.0
	if a.width > 1 {
		d := x - a.total/(a.width-1)
		inc = (a.width - 1) * d * d / a.width
	}
	a.variance += inc
	a.total += x
	a.compress()
}

// compress merges the two oldest summaries of each full row into the next
// row, from row 0 up, while rows overflow.
func (a *ADWIN) compress() {
	for i := 0; a.rows[i].n == a.opts.MaxBuckets+1; i++ {
		r := &a.rows[i]
		size := float64(uint64(1) << i)
		mu1 := r.total[0] / size
		mu2 := r.total[1] / size
		total := r.total[0] + r.total[1]
		v := r.vari[0] + r.vari[1] + float64(size*0.5*(mu1-mu2)*(mu1-mu2))
		if i+1 == len(a.rows) {
			a.rows = append(a.rows, a.newRow())
			r = &a.rows[i]
		}
		a.rows[i+1].push(total, v)
		r.drop(2)
		if a.rows[i+1].n <= a.opts.MaxBuckets {
			break
		}
	}
}

// deleteOldest drops the oldest bucket from the window.
func (a *ADWIN) deleteOldest() {
	last := len(a.rows) - 1
	r := &a.rows[last]
	n := float64(uint64(1) << last)
	u, v := r.total[0], r.vari[0]
	mu := u / n
	a.width -= n
	a.total -= u
	muWindow := a.total / a.width
	a.variance -= v + float64(n*a.width*(mu-muWindow)*(mu-muWindow))/(n+a.width)
	r.drop(1)
	if r.n == 0 {
		a.spare = append(a.spare, *r)
		a.rows = a.rows[:last]
	}
}

// detect runs the clocked check and shrinks the window while a cut holds.
func (a *ADWIN) detect() bool {
	a.tick++
	if a.tick%a.opts.Clock != 0 || !(a.width > a.grace) {
		return false
	}
	change := false
	for again := true; again; {
		again = false
		// δ' depends on the width only, which is fixed during one scan.
		deltaPrime := math.Log(2 * math.Log(a.width) / a.opts.Delta)
		varianceInWindow := a.variance / a.width
		n0, n1 := 0.0, a.width
		u0, u1 := 0.0, a.total
	scan:
		for i := len(a.rows) - 1; i >= 0; i-- {
			r := &a.rows[i]
			size := float64(uint64(1) << i)
			for k := 0; k < r.n; k++ {
				n0 += size
				n1 -= size
				u0 += r.total[k]
				u1 -= r.total[k]
				if i == 0 && k == r.n-1 {
					break scan // W1 would be empty
				}
				if a.longEnough(n0, n1) && a.cut(n0, n1, u0/n0-u1/n1, deltaPrime, varianceInWindow) {
					change, again = true, true
					a.deleteOldest()
					break scan
				}
			}
		}
	}
	return change
}

// longEnough reports whether both sides of a cut have at least
// MinWindowLength values (river: n1 >= min_window_length and n0 >=
// min_window_length).
func (a *ADWIN) longEnough(n0, n1 float64) bool { return n1 >= a.minLen && n0 >= a.minLen }

// cut reports whether the means of W0 and W1 differ by more than the
// bound.
func (a *ADWIN) cut(n0, n1, deltaMean, deltaPrime, varianceInWindow float64) bool {
	m := 1/(n0-a.minLen+1) + 1/(n1-a.minLen+1)
	epsilon := math.Sqrt(float64(2*m*varianceInWindow*deltaPrime)) + float64(2.0/3.0*deltaPrime*m)
	return math.Abs(deltaMean) > epsilon
}
