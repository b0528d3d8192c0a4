package drift

import (
	"context"
	"fmt"
	"math"
	"runtime"
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
	start := time.Now()
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	fromProfile, err := useProfile(refSrc, opts)
	if err != nil {
		return nil, err
	}
	curScan, err := curSrc.Scanner(ctx)
	if err != nil {
		return nil, err
	}
	defer curScan.Close()
	var refScan *dataset.Scanner
	var refSchema dataset.Schema
	if fromProfile {
		refSchema = refSrc.Manifest.Schema
	} else {
		if refScan, err = refSrc.Scanner(ctx); err != nil {
			return nil, err
		}
		defer refScan.Close()
		refSchema = refScan.Schema()
	}
	cols, err := columns(refSchema, curScan.Schema(), opts)
	if err != nil {
		return nil, err
	}
	read := slices.Clone(cols)
	for _, extra := range []string{opts.Target, opts.Prediction, opts.Error, opts.Time} {
		if extra == "" || read.Index(extra) >= 0 {
			continue
		}
		ri, ci := refSchema.Index(extra), curScan.Schema().Index(extra)
		if ri < 0 || ci < 0 {
			return nil, fmt.Errorf("%w: column %q is not in both %s and %s", dataset.ErrInvalid, extra, refSrc.Label, curSrc.Label)
		}
		read = append(read, curScan.Schema()[ci])
	}
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	rows := opts.needsRows()
	// Both sides load at once: a side of few row groups keeps only some
	// workers busy.
	var ref, cur *frame
	var refSides map[string]*side
	lg, lctx := errgroup.WithContext(ctx)
	lg.Go(func() (err error) {
		if fromProfile {
			refSides, err = profileSides(lctx, refSrc, cols, opts.SampleCap)
		} else {
			ref, err = load(lctx, refSrc.Label, refScan, read, opts.SampleCap, workers, rows)
		}
		return err
	})
	lg.Go(func() (err error) {
		cur, err = load(lctx, curSrc.Label, curScan, read, opts.SampleCap, workers, rows)
		return err
	})
	if err := lg.Wait(); err != nil {
		return nil, err
	}
	rep := &Report{
		Version: ReportVersion, Reference: refSrc.Label, Current: curSrc.Label, Time: opts.Now.UTC(),
		CurRows: cur.rows, Sampled: cur.rate < 1,
		Method: opts.Method, Correction: opts.Correction, Threshold: opts.DatasetThreshold,
	}
	if fromProfile {
		rep.RefRows = refSrc.Manifest.Rows
		rep.ReferenceNote = "reference from the profile stored with " + refSrc.Label + " (its data not read)"
	} else {
		rep.RefRows = ref.rows
		rep.Sampled = rep.Sampled || ref.rate < 1
	}
	rep.Columns = make([]*ColumnResult, len(cols))
	g, _ := errgroup.WithContext(ctx)
	g.SetLimit(workers)
	// One sort buffer per running comparison, passed from one to the next.
	scratch := make(chan *[]uint64, workers)
	for range workers {
		scratch <- new([]uint64)
	}
	for i, c := range cols {
		g.Go(func() error {
			buf := <-scratch
			defer func() { scratch <- buf }()
			cd := cur.cols[c.Name]
			rs := refSides[c.Name]
			if rs == nil {
				rs = sideOf(ref.cols[c.Name], !rows, buf)
			}
			r := compareColumn(c.Name, typeName(c), cd.numeric, rs, sideOf(cd, !rows, buf), opts.Method, opts.Threshold)
			if rs.sketched {
				r.Notes = append(r.Notes, "reference from the stored profile's sketch: approximate")
			}
			rep.Columns[i] = r
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	correct(rep.Columns, opts.Correction)
	for _, c := range rep.Columns {
		if c.Drifted {
			rep.DriftedCount++
		}
	}
	rep.ColumnCount = len(rep.Columns)
	if rep.ColumnCount > 0 {
		rep.DriftedShare = float64(rep.DriftedCount) / float64(rep.ColumnCount)
		rep.Drifted = rep.DriftedShare >= opts.DatasetThreshold
	}
	if opts.Multivariate == "classifier" || opts.Multivariate == "pca" {
		if rep.Multivariate, err = multivariate(ref, cur, cols.Names(), opts.Multivariate); err != nil {
			return nil, err
		}
	}
	if opts.Target != "" || opts.Prediction != "" || opts.Error != "" {
		rep.Concept = concept(ref, cur, cols.Names(), opts)
	}
	rep.Elapsed = time.Since(start).Seconds()
	return rep, nil
}

// columns picks the columns to compare: those asked for, else every
// supported column both sides have (not the target, prediction or time).
func columns(ref, cur dataset.Schema, opts Options) (dataset.Schema, error) {
	var out dataset.Schema
	if opts.Columns != nil {
		for _, name := range opts.Columns {
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
