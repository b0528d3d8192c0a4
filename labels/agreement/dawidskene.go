package agreement

import (
	"context"
	"fmt"
	"math"
)

// Defaults of DSOptions.
const (
	DefaultTol     = 1e-6
	DefaultMaxIter = 100
)

// DSOptions configures DawidSkene. The zero value means the defaults.
type DSOptions struct {
	// Tol stops EM once no prior and no confusion entry moved by more
	// than Tol between two successive iterations. 0 means DefaultTol.
	Tol float64
	// MaxIter bounds the number of iterations. 0 means DefaultMaxIter.
	MaxIter int
	// Smoothing is a pseudo-count added to every confusion-matrix cell and
	// every class count in the M-step (a MAP estimate under a symmetric
	// Dirichlet prior). 0, the default, is the paper's maximum likelihood.
	Smoothing float64
}

// Validate rejects negative or non-finite options, wrapping ErrInvalid.
func (o DSOptions) Validate() error {
	switch {
	case !(o.Tol >= 0) || math.IsInf(o.Tol, 0):
		return fmt.Errorf("%w: Dawid-Skene tolerance %v (want ≥ 0)", ErrInvalid, o.Tol)
	case o.MaxIter < 0:
		return fmt.Errorf("%w: Dawid-Skene max iterations %d (want ≥ 0)", ErrInvalid, o.MaxIter)
	case !(o.Smoothing >= 0) || math.IsInf(o.Smoothing, 0):
		return fmt.Errorf("%w: Dawid-Skene smoothing %v (want ≥ 0)", ErrInvalid, o.Smoothing)
	}
	return nil
}

func (o DSOptions) withDefaults() DSOptions {
	if o.Tol == 0 {
		o.Tol = DefaultTol
	}
	if o.MaxIter == 0 {
		o.MaxIter = DefaultMaxIter
	}
	return o
}

// DSModel is a fitted Dawid-Skene model.
type DSModel struct {
	K, Annotators int
	// Priors is the estimated share of each true class.
	Priors []float64
	// Confusion holds each annotator's confusion matrix, row = true class:
	// Confusion[(a*K+j)*K+l] is the probability that annotator a says l
	// when the true class is j (see Pi). Each row sums to 1; a row with no
	// evidence (the annotator labelled no item of class j, and no
	// Smoothing) is uniform.
	Confusion []float64
	// Posterior is items × K: the probability of each true class given the
	// item's labels. An item nobody labelled has the priors.
	Posterior []float64
	// Labels is the consensus: the class with the largest posterior, ties
	// broken by the tie order of MajorityVote; Missing for an item nobody
	// labelled.
	Labels []int32
	// Iterations is the number of EM iterations run, Converged whether
	// they stopped on Tol before MaxIter.
	Iterations int
	Converged  bool
	// LogLikelihood is the log-likelihood of the labels under the final
	// priors and confusion matrices (natural log, summed over labelled
	// items).
	LogLikelihood float64
}

// Pi is the probability that annotator a says l when the true class is j.
func (m *DSModel) Pi(a, j, l int) float64 { return m.Confusion[(a*m.K+j)*m.K+l] }

// Accuracy is the probability that annotator a gives the true class of a
// random item: Σ_j Priors[j] · Pi(a, j, j).
func (m *DSModel) Accuracy(a int) float64 {
	var s float64
	for j, p := range m.Priors {
		s += p * m.Pi(a, j, j)
	}
	return s
}

// DawidSkene fits the model of Dawid and Skene, "Maximum Likelihood
// Estimation of Observer Error-Rates Using the EM Algorithm" (1979), by EM.
// With T_ij the posterior of class j for item i and n^a_il 1 when annotator
// a gave item i label l:
//
//	start:  T_ij = (labels j on item i) / (labels on item i)   (soft majority vote)
//	M-step: p_j = (Σ_i T_ij + s) / (I + K·s)
//	        π^a_jl = (Σ_i T_ij n^a_il + s) / Σ_l' (Σ_i T_ij n^a_il' + s)
//	E-step: T_ij ∝ p_j Π_a Π_l (π^a_jl)^(n^a_il)
//
// (equations 2.3–2.5 of the paper; s is Smoothing, I the number of
// labelled items). An iteration is an M-step then an E-step; EM stops when
// an iteration after the first moved no parameter by more than Tol, or
// after MaxIter iterations. Items nobody labelled take no part and get the
// priors as posterior. The E-step works in logs, so many annotators do not
// underflow. The result depends only on the data and options. ctx is
// checked once per iteration.
func DawidSkene(ctx context.Context, r Ratings, opts DSOptions) (*DSModel, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	opts = opts.withDefaults()
	K, A := r.K, r.Annotators
	if r.Items > MaxCells/K || A > MaxCells/K/K {
		return nil, fmt.Errorf("%w: Dawid-Skene on %d items, %d annotators and %d classes is too large", ErrInvalid, r.Items, A, K)
	}
	m := &DSModel{
		K: K, Annotators: A,
		Priors:    make([]float64, K),
		Confusion: make([]float64, A*K*K),
	}
	// EM runs over distinct rows of labels, weighted by their number of
	// items: the same sums as over items, in fewer steps.
	p := groupPatterns(r)
	nPat := len(p.rep)
	T := make([]float64, nPat*K) // posterior per pattern
	var labelled float64
	for id := range nPat {
		ti := T[id*K : id*K+K]
		var votes int
		for _, l := range p.row(r, id) {
			if l >= 0 {
				ti[l]++
				votes++
			}
		}
		for j := range ti {
			ti[j] /= float64(votes)
		}
		labelled += float64(p.count[id])
	}

	e := dsState{
		K: K, A: A, s: opts.Smoothing, labelled: labelled,
		acc:      make([]float64, A*K*K),
		logPi:    make([]float64, A*K*K),
		logPrior: make([]float64, K),
		score:    make([]float64, K),
	}
	prevPrior := make([]float64, K)
	prevConf := make([]float64, A*K*K)
	for it := 1; it <= opts.MaxIter; it++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		e.mstep(r, &p, T, m.Priors, m.Confusion)
		m.LogLikelihood = e.estep(r, &p, T)
		m.Iterations = it
		if it > 1 && maxAbsDiff(m.Priors, prevPrior) <= opts.Tol && maxAbsDiff(m.Confusion, prevConf) <= opts.Tol {
			m.Converged = true
			break
		}
		copy(prevPrior, m.Priors)
		copy(prevConf, m.Confusion)
	}

	// Consensus per pattern, then spread to the items.
	counts := labelCounts(r)
	best := make([]int32, nPat)
	for id := range nPat {
		ti := T[id*K : id*K+K]
		b := int32(0)
		for j := int32(1); j < int32(K); j++ {
			if ti[j] > ti[b] || ti[j] == ti[b] && before(counts, j, b) {
				b = j
			}
		}
		best[id] = b
	}
	m.Posterior = make([]float64, r.Items*K)
	m.Labels = make([]int32, r.Items)
	for i, id := range p.of {
		src, l := m.Priors, int32(Missing)
		if id >= 0 {
			src, l = T[int(id)*K:int(id)*K+K], best[id]
		}
		dst := m.Posterior[i*K : i*K+K]
		for j, x := range src[:len(dst)] { // a loop, not copy: rows are short
			dst[j] = x
		}
		m.Labels[i] = l
	}
	return m, nil
}

// dsState is the scratch space of one EM run.
type dsState struct {
	K, A     int
	s        float64 // smoothing
	labelled float64 // items with at least one label
	acc      []float64
	logPi    []float64 // [(a*K+l)*K+j] = log π^a_jl: contiguous in j
	logPrior []float64
	score    []float64
}

// mstep estimates priors and confusion matrices from the posteriors T of
// the patterns. It accumulates by given label, acc[(a*K+l)*K+j] += w·T_pj,
// so each label adds one contiguous vector, then transposes into conf.
func (e *dsState) mstep(r Ratings, p *patterns, T, prior, conf []float64) {
	K := e.K
	clear(e.acc)
	clear(prior)
	for id, n := range p.count {
		w := float64(n)
		ti := T[id*K : id*K+K]
		for a, l := range p.row(r, id) {
			if l < 0 {
				continue
			}
			v := e.acc[(a*K+int(l))*K : (a*K+int(l))*K+K]
			for j, t := range ti {
				v[j] += w * t
			}
		}
		for j, t := range ti {
			prior[j] += w * t
		}
	}
	den := e.labelled + float64(K)*e.s
	for j := range prior {
		if den > 0 {
			prior[j] = (prior[j] + e.s) / den
		} else {
			prior[j] = 1 / float64(K) // no labelled item and no smoothing
		}
		e.logPrior[j] = math.Log(prior[j])
	}
	for a := 0; a < e.A; a++ {
		for j := 0; j < K; j++ {
			var sum float64
			for l := 0; l < K; l++ {
				sum += e.acc[(a*K+l)*K+j] + e.s
			}
			c := conf[(a*K+j)*K : (a*K+j)*K+K]
			for l := range c {
				if sum > 0 {
					c[l] = (e.acc[(a*K+l)*K+j] + e.s) / sum
				} else {
					c[l] = 1 / float64(K)
				}
				e.logPi[(a*K+l)*K+j] = math.Log(c[l])
			}
		}
	}
}

// estep sets the posteriors of the patterns from the current parameters
// and returns the log-likelihood of all labelled items.
func (e *dsState) estep(r Ratings, p *patterns, T []float64) float64 {
	K := e.K
	s := e.score
	var ll float64
	for id, n := range p.count {
		w := float64(n)
		ti := T[id*K : id*K+K]
		copy(s, e.logPrior)
		for a, l := range p.row(r, id) {
			if l < 0 {
				continue
			}
			v := e.logPi[(a*K+int(l))*K : (a*K+int(l))*K+K]
			for j, x := range v {
				s[j] += x
			}
		}
		mx := math.Inf(-1)
		for _, x := range s {
			mx = max(mx, x)
		}
		if math.IsInf(mx, 0) || math.IsNaN(mx) {
			// Not reachable from the soft-majority start (some class
			// keeps positive mass on every item); kept so bad numbers
			// give a uniform posterior, not NaN.
			for j := range ti {
				ti[j] = 1 / float64(K)
			}
			continue
		}
		var sum float64
		for j, x := range s {
			ti[j] = math.Exp(x - mx)
			sum += ti[j]
		}
		for j := range ti {
			ti[j] /= sum
		}
		ll += w * (mx + math.Log(sum))
	}
	return ll
}

func maxAbsDiff(x, y []float64) float64 {
	var d float64
	for i, v := range x {
		d = max(d, math.Abs(v-y[i]))
	}
	return d
}
