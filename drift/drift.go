package drift

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/assayhq/assay/dataset"
)

// Options configure Compare.
type Options struct {
	// Columns to compare (nil: every supported column of both sides but
	// the target and prediction).
	Columns []string
	// Target and Prediction name the label and the model's output, for
	// concept drift.
	Target, Prediction string
	// Error names a column of per-row model errors (0/1, or any
	// magnitude) for the error-stream detectors, instead of comparing
	// Target and Prediction.
	Error string
	// Time orders rows for the error-stream detectors (default: row
	// order).
	Time string
	// Method is auto (Evidently's rule per column) or one method for all.
	Method string
	// Threshold overrides every method's default threshold.
	Threshold *float64
	// Correction adjusts p-values for the number of columns: none,
	// bonferroni or bh (Benjamini-Hochberg).
	Correction string
	// DatasetThreshold is the share of drifted columns at which the
	// dataset has drifted (default 0.5).
	DatasetThreshold float64
	// Multivariate adds a whole-row comparison: classifier or pca.
	Multivariate string
	// SampleCap bounds the rows of a side kept in memory (default
	// DefaultSampleCap).
	SampleCap int
	// ReferenceFrom is where the reference side comes from: auto, data
	// or profile (see ReferenceAuto).
	ReferenceFrom string
	Workers       int
	Now           time.Time
}

// needsRows reports whether the comparison needs the reference's rows, not
// only its distributions: concept and multivariate drift do.
func (o *Options) needsRows() bool {
	return o.Target != "" || o.Prediction != "" || o.Error != "" || o.Multivariate == "classifier" || o.Multivariate == "pca"
}

// Validate checks the options that need no data.
func (o *Options) Validate() error {
	if o.Method == "" {
		o.Method = "auto"
	}
	if !slices.Contains(Methods, o.Method) {
		return fmt.Errorf("%w: unknown method %q (methods: %v)", dataset.ErrInvalid, o.Method, Methods)
	}
	switch o.Correction {
	case "":
		o.Correction = "none"
	case "none", "bonferroni", "bh":
	default:
		return fmt.Errorf("%w: unknown correction %q (none, bonferroni, bh)", dataset.ErrInvalid, o.Correction)
	}
	if o.DatasetThreshold == 0 {
		o.DatasetThreshold = 0.5
	}
	if o.DatasetThreshold < 0 || o.DatasetThreshold > 1 {
		return fmt.Errorf("%w: dataset threshold %v is not in [0, 1]", dataset.ErrInvalid, o.DatasetThreshold)
	}
	if o.Threshold != nil && (*o.Threshold < 0 || math.IsNaN(*o.Threshold)) {
		return fmt.Errorf("%w: threshold %v must be a number >= 0", dataset.ErrInvalid, *o.Threshold)
	}
	switch o.Multivariate {
	case "", "none", "classifier", "pca":
	default:
		return fmt.Errorf("%w: unknown multivariate method %q (classifier, pca)", dataset.ErrInvalid, o.Multivariate)
	}
	switch o.ReferenceFrom {
	case "":
		o.ReferenceFrom = ReferenceAuto
	case ReferenceAuto, ReferenceData, ReferenceProfile:
	default:
		return fmt.Errorf("%w: unknown reference source %q (auto, data, profile)", dataset.ErrInvalid, o.ReferenceFrom)
	}
	if o.SampleCap == 0 {
		o.SampleCap = DefaultSampleCap
	}
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	return nil
}

// Compare compares current data with a reference: each column with the
// chosen test, the dataset as the share of drifted columns, and, when
// asked, the rows as a whole and the concept (target, prediction, errors).
func Compare(ctx context.Context, refSrc, curSrc *dataset.Source, opts Options) (*Report, error) {
	p, err := NewPlan(ctx, refSrc, curSrc, opts)
	if err != nil {
		return nil, err
	}
	defer p.Close()
	// Both sides load at once: a side of few row groups keeps only some
	// workers busy.
	var ref, cur *Part
	var refSides map[string]*side
	lg, lctx := errgroup.WithContext(ctx)
	lg.Go(func() (err error) {
		if p.fromProfile {
			refSides, err = profileSides(lctx, refSrc, p.cols, p.opts.SampleCap)
		} else {
			ref, err = p.Scan(lctx, Reference, nil)
		}
		return err
	})
	lg.Go(func() (err error) {
		cur, err = p.Scan(lctx, Current, nil)
		return err
	})
	if err := lg.Wait(); err != nil {
		return nil, err
	}
	return p.finish(ctx, ref, cur, refSides)
}

// columns picks the columns to compare: those asked for, else every
// supported column both sides have (not the target, prediction or time).
func columns(ref, cur dataset.Schema, opts Options) (dataset.Schema, error) {
	var out dataset.Schema
	if opts.Columns != nil {
		for _, name := range opts.Columns {
			if out.Index(name) >= 0 {
				continue // compared once
			}
			ri, ci := ref.Index(name), cur.Index(name)
			switch {
			case ri < 0 && ci < 0:
				return nil, fmt.Errorf("%w: no column %q", dataset.ErrInvalid, name)
			case ri < 0 || ci < 0:
				return nil, fmt.Errorf("%w: column %q is only on one side", dataset.ErrInvalid, name)
			case ref[ri].Unsupported != "":
				return nil, fmt.Errorf("%w: column %q: %s", dataset.ErrInvalid, name, ref[ri].Unsupported)
			case kindOf(ref[ri]) != kindOf(cur[ci]):
				return nil, fmt.Errorf("%w: column %q is %s in the reference and %s in current", dataset.ErrInvalid, name, ref[ri].Type, cur[ci].Type)
			}
			out = append(out, cur[ci])
		}
		return out, nil
	}
	for _, c := range cur {
		if c.Unsupported != "" || c.Name == opts.Target || c.Name == opts.Prediction || c.Name == opts.Error || c.Name == opts.Time {
			continue
		}
		ri := ref.Index(c.Name)
		if ri < 0 || kindOf(ref[ri]) != kindOf(c) {
			continue
		}
		out = append(out, c)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w: the two sides share no comparable column", dataset.ErrInvalid)
	}
	return out, nil
}

func kindOf(c dataset.Column) string {
	if categorical(c) {
		return "categorical"
	}
	return "numeric"
}

// compareData compares a column's two loaded sides.
func compareData(ref, cur *colData, method string, threshold *float64) *ColumnResult {
	rs, cs := sideOf(ref, false, new([]uint64)), sideOf(cur, false, new([]uint64))
	return compareColumn(cur.col.Name, typeName(cur.col), cur.numeric, rs, cs, method, threshold)
}

func typeName(c dataset.Column) string {
	s := c.String()
	return s[len(c.Name)+1:]
}

// sideOf turns loaded data into a test side: numbers sorted without
// missing values (NaN counts as missing for tests); categories counted
// exactly. With reuse the numbers are filtered and sorted in the column's
// own array, which then no longer holds the rows in order. scratch is
// sortFloats' buffer.
func sideOf(d *colData, reuse bool, scratch *[]uint64) *side {
	// Missing counts and rows are exact (all rows), whatever the sample.
	s := &side{missing: d.nulls + d.nan, rows: d.rows}
	if d.numeric {
		vals := d.num[:0]
		if !reuse {
			vals = make([]float64, 0, len(d.num))
		}
		for _, v := range d.num {
			if !math.IsNaN(v) && !math.IsInf(v, 0) {
				vals = append(vals, v)
			}
		}
		sortFloatsWith(vals, scratch)
		s.sorted = vals
		return s
	}
	s.counts = map[string]int64{}
	for i, n := range d.counts {
		s.counts[d.cats[i]] = n
	}
	return s
}

// correct adjusts the p-values of tests for the number of columns tested.
func correct(cols []*ColumnResult, method string) {
	var tested []*ColumnResult
	for _, c := range cols {
		if c.PValue != nil && !math.IsNaN(float64(*c.PValue)) {
			tested = append(tested, c)
		}
	}
	m := float64(len(tested))
	if method == "none" || m == 0 {
		return
	}
	adj := make([]float64, len(tested))
	switch method {
	case "bonferroni":
		for i, c := range tested {
			adj[i] = math.Min(1, float64(*c.PValue)*m)
		}
	case "bh":
		idx := make([]int, len(tested))
		for i := range idx {
			idx[i] = i
		}
		sort.SliceStable(idx, func(a, b int) bool { return *tested[idx[a]].PValue < *tested[idx[b]].PValue })
		prev := 1.0
		for k := len(idx) - 1; k >= 0; k-- {
			i := idx[k]
			v := math.Min(prev, float64(*tested[i].PValue)*m/float64(k+1))
			adj[i], prev = v, v
		}
	}
	for i, c := range tested {
		a := Float(adj[i])
		c.AdjustedPValue = &a
		th := float64(c.Threshold)
		c.TestDrifted = adj[i] < th || c.Test == "ks" && adj[i] == th
		c.Drifted = c.TestDrifted || c.MissingDrift
	}
}
