package drift

import (
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize"
)

// Multivariate drift compares whole rows, on at most mvRows rows of each
// side (taken evenly from the loaded sample, so the same on every run).
const (
	mvRows         = 20000
	mvCategories   = 10   // one-hot columns per categorical feature: the reference's most frequent
	mvAUCThreshold = 0.55 // a held-out AUC at or above it is drift
	pcaVariance    = 0.65 // share of the reference's variance the components keep (NannyML)
	pcaChunks      = 10   // reference chunks whose errors give the band
)

// design is the feature matrix of both sides: numeric columns
// standardised with the reference's mean and sd (missing values at 0,
// the mean, with an indicator), categorical columns one-hot on the
// reference's most frequent categories.
type design struct {
	names  []string // per feature column
	owner  []string // the data column each feature comes from
	ref    *mat.Dense
	cur    *mat.Dense
	numCol []bool
}

func buildDesign(ref, cur *frame, cols []string, numericOnly bool) (*design, error) {
	nr, nc := min(ref.sampled, mvRows), min(cur.sampled, mvRows)
	if nr < 20 || nc < 20 {
		return nil, fmt.Errorf("multivariate drift needs at least 20 rows a side (has %d and %d)", nr, nc)
	}
	rowsOf := func(f *frame, n int) []int {
		out := make([]int, n)
		for i := range out {
			out[i] = int(int64(i) * int64(f.sampled) / int64(n))
		}
		return out
	}
	ri, ci := rowsOf(ref, nr), rowsOf(cur, nc)
	d := &design{}
	var refCols, curCols [][]float64
	for _, name := range cols {
		rd, cd := ref.cols[name], cur.cols[name]
		if rd.numeric {
			var vals []float64
			for _, i := range ri {
				if v := rd.num[i]; !math.IsNaN(v) && !math.IsInf(v, 0) {
					vals = append(vals, v)
				}
			}
			m, sd := 0.0, 1.0
			if len(vals) > 1 {
				m = mean(vals)
				if s := stdPop(vals); s > 0 {
					sd = s
				}
			}
			std := func(f *frame, c *colData, rows []int) ([]float64, []float64, bool) {
				x, miss := make([]float64, len(rows)), make([]float64, len(rows))
				anyMiss := false
				for k, i := range rows {
					v := c.num[i]
					if math.IsNaN(v) || math.IsInf(v, 0) {
						miss[k], anyMiss = 1, true
						continue
					}
					x[k] = (v - m) / sd
				}
				return x, miss, anyMiss
			}
			rx, rm, ra := std(ref, rd, ri)
			cx, cm, ca := std(cur, cd, ci)
			d.names, d.owner, d.numCol = append(d.names, name), append(d.owner, name), append(d.numCol, true)
			refCols, curCols = append(refCols, rx), append(curCols, cx)
			if (ra || ca) && !numericOnly {
				d.names, d.owner, d.numCol = append(d.names, name+" missing"), append(d.owner, name), append(d.numCol, false)
				refCols, curCols = append(refCols, rm), append(curCols, cm)
			}
			continue
		}
		if numericOnly {
			continue
		}
		// The reference's most frequent categories.
		idx := make([]int, len(rd.cats))
		for i := range idx {
			idx[i] = i
		}
		sort.SliceStable(idx, func(a, b int) bool { return rd.counts[idx[a]] > rd.counts[idx[b]] })
		for _, k := range idx[:min(mvCategories, len(idx))] {
			cat := rd.cats[k]
			oneHot := func(c *colData, rows []int) []float64 {
				x := make([]float64, len(rows))
				code, ok := c.index[cat]
				for j, i := range rows {
					if ok && c.codes[i] == code {
						x[j] = 1
					}
				}
				return x
			}
			d.names, d.owner, d.numCol = append(d.names, name+"="+cat), append(d.owner, name), append(d.numCol, false)
			refCols, curCols = append(refCols, oneHot(rd, ri)), append(curCols, oneHot(cd, ci))
		}
	}
	if len(d.names) == 0 {
		return nil, fmt.Errorf("multivariate drift: no usable feature")
	}
	toDense := func(cols [][]float64, n int) *mat.Dense {
		m := mat.NewDense(n, len(cols), nil)
		for j, c := range cols {
			for i, v := range c {
				m.Set(i, j, v)
			}
		}
		return m
	}
	d.ref, d.cur = toDense(refCols, nr), toDense(curCols, nc)
	return d, nil
}

// multivariate runs the domain classifier or PCA.
func multivariate(ref, cur *frame, cols []string, method string) (*Multivariate, error) {
	if method == "pca" {
		d, err := buildDesign(ref, cur, cols, true)
		if err != nil {
			return nil, err
		}
		return pcaDrift(d)
	}
	d, err := buildDesign(ref, cur, cols, false)
	if err != nil {
		return nil, err
	}
	return classifierDrift(d)
}

// classifierDrift trains a logistic regression (L2, L-BFGS) to tell
// current rows (1) from reference rows (0) on 70% of the rows and reports
// its ROC AUC on the other 30%, with the features whose coefficients
// weigh most.
func classifierDrift(d *design) (*Multivariate, error) {
	nr, _ := d.ref.Dims()
	nc, p := d.cur.Dims()
	type row struct {
		x []float64
		y float64
	}
	var train, test []row
	add := func(m *mat.Dense, n int, y float64) {
		for i := range n {
			r := row{x: mat.Row(nil, i, m), y: y}
			if keep(int64(i)*2+int64(y), 0.7) {
				train = append(train, r)
			} else {
				test = append(test, r)
			}
		}
	}
	add(d.ref, nr, 0)
	add(d.cur, nc, 1)
	const lambda = 1e-3
	loss := func(w []float64) float64 {
		var l float64
		for _, r := range train {
			z := w[p]
			for j, v := range r.x {
				z += w[j] * v
			}
			// log(1+exp(z)) − y·z, stably
			l += math.Max(z, 0) + math.Log1p(math.Exp(-math.Abs(z))) - r.y*z
		}
		var reg float64
		for _, v := range w[:p] {
			reg += v * v
		}
		return l/float64(len(train)) + lambda*reg
	}
	grad := func(g, w []float64) {
		clear(g)
		for _, r := range train {
			z := w[p]
			for j, v := range r.x {
				z += w[j] * v
			}
			e := 1/(1+math.Exp(-z)) - r.y
			for j, v := range r.x {
				g[j] += e * v
			}
			g[p] += e
		}
		for j := range g {
			g[j] /= float64(len(train))
		}
		for j := range p {
			g[j] += 2 * lambda * w[j]
		}
	}
	res, err := optimize.Minimize(optimize.Problem{Func: loss, Grad: grad}, make([]float64, p+1),
		&optimize.Settings{MajorIterations: 200}, &optimize.LBFGS{})
	if err != nil && res == nil {
		return nil, fmt.Errorf("multivariate classifier: %w", err)
	}
	w := res.X
	scores := make([]float64, len(test))
	labels := make([]bool, len(test))
	for i, r := range test {
		z := w[p]
		for j, v := range r.x {
			z += w[j] * v
		}
		scores[i], labels[i] = z, r.y == 1
	}
	auc := Float(rocAUC(scores, labels))
	// Importance per data column: the sum of its features' |coefficient|.
	imp := map[string]float64{}
	for j := range p {
		imp[d.owner[j]] += math.Abs(w[j])
	}
	var feats []Feature
	for name, v := range imp {
		feats = append(feats, Feature{Name: name, Importance: v})
	}
	sort.Slice(feats, func(i, j int) bool {
		if feats[i].Importance != feats[j].Importance {
			return feats[i].Importance > feats[j].Importance
		}
		return feats[i].Name < feats[j].Name
	})
	if len(feats) > 10 {
		feats = feats[:10]
	}
	return &Multivariate{Method: "classifier", AUC: &auc, Features: feats, Threshold: mvAUCThreshold,
		Drifted: float64(auc) >= mvAUCThreshold}, nil
}

// rocAUC is the area under the ROC curve: the Mann-Whitney probability
// that a positive scores above a negative (ties count half).
func rocAUC(scores []float64, pos []bool) float64 {
	idx := make([]int, len(scores))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return scores[idx[a]] < scores[idx[b]] })
	var np, nn, rankSum float64
	for i := 0; i < len(idx); {
		j := i
		for j < len(idx) && scores[idx[j]] == scores[idx[i]] {
			j++
		}
		rank := float64(i+j+1) / 2 // average rank, 1-based
		for k := i; k < j; k++ {
			if pos[idx[k]] {
				np++
				rankSum += rank
			} else {
				nn++
			}
		}
		i = j
	}
	if np == 0 || nn == 0 {
		return math.NaN()
	}
	return (rankSum - np*(np+1)/2) / (np * nn)
}

// pcaDrift fits principal components on the reference's standardised
// numeric columns, keeping 65% of the variance, and compares the current
// rows' mean reconstruction error with the band mean ± 3 sd of the
// reference's chunks (NannyML's data reconstruction drift).
func pcaDrift(d *design) (*Multivariate, error) {
	nr, p := d.ref.Dims()
	var svd mat.SVD
	if !svd.Factorize(d.ref, mat.SVDThin) {
		return nil, fmt.Errorf("multivariate PCA: SVD failed")
	}
	sv := svd.Values(nil)
	var totalVar float64
	for _, s := range sv {
		totalVar += s * s
	}
	k, acc := 0, 0.0
	for k < len(sv) && (totalVar == 0 || acc/totalVar < pcaVariance) {
		acc += sv[k] * sv[k]
		k++
	}
	k = max(k, 1)
	var v mat.Dense
	svd.VTo(&v)
	comps := v.Slice(0, p, 0, k) // p × k
	errOf := func(m mat.Matrix) []float64 {
		n, _ := m.Dims()
		var proj, back mat.Dense
		proj.Mul(m, comps)
		back.Mul(&proj, comps.T())
		out := make([]float64, n)
		for i := range n {
			var s float64
			for j := range p {
				d := m.At(i, j) - back.At(i, j)
				s += d * d
			}
			out[i] = math.Sqrt(s)
		}
		return out
	}
	refErr := errOf(d.ref)
	chunk := nr / pcaChunks
	var chunkMeans []float64
	for c := range pcaChunks {
		chunkMeans = append(chunkMeans, mean(refErr[c*chunk:(c+1)*chunk]))
	}
	m, sd := mean(chunkMeans), stdSample(chunkMeans)
	cur := Float(mean(errOf(d.cur)))
	refMean, lo, hi := Float(mean(refErr)), Float(m-3*sd), Float(m+3*sd)
	return &Multivariate{Method: "pca", Error: &cur, RefError: &refMean, Lower: &lo, Upper: &hi, Threshold: 3,
		Drifted: cur < lo || cur > hi}, nil
}
