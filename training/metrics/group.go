package metrics

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// Group is one column to slice rows by, such as gender: a level code per
// row indexing Levels, or -1 (frame.Missing) for a row without one. A
// categorical frame.Feature has this shape.
type Group struct {
	Column string
	Codes  []int32
	Levels []string
}

// GroupMetrics is the evaluation of the rows of one level of one group
// column. Exactly one of Classification and Regression is set.
type GroupMetrics struct {
	Column         string          `json:"column"`
	Level          string          `json:"level"`
	N              int             `json:"n"`
	Classification *Classification `json:"classification,omitempty"`
	Regression     *Regression     `json:"regression,omitempty"`
}

// Value returns the metric of that name from whichever evaluation g
// holds.
func (g *GroupMetrics) Value(metric string) (float64, error) {
	switch {
	case g.Classification != nil:
		return g.Classification.Value(metric)
	case g.Regression != nil:
		return g.Regression.Value(metric)
	}
	return math.NaN(), fmt.Errorf("metrics: slice %s=%s holds no evaluation: %w", g.Column, g.Level, ErrInvalid)
}

// ClassifyByGroup evaluates, as Classify does, the rows of each level of
// each group column: the result has one entry per (column, level) with
// at least one row, sorted by column name and then by level name (byte
// order). Rows whose code is -1 are in no slice of that column.
//
// Group columns must have distinct names, one code per row, codes in
// [-1, len(Levels)) and distinct level names; otherwise, or when the
// input is one Classify rejects, ClassifyByGroup returns an error and
// no slices.
func ClassifyByGroup(y []int32, prob []float64, classes []string, groups []Group) ([]GroupMetrics, error) {
	k := len(classes)
	if err := checkClassification(y, prob, k); err != nil {
		return nil, err
	}
	var (
		e   evaluator
		ys  []int32
		ps  []float64
		out []GroupMetrics
	)
	err := eachSlice(groups, len(y), func(column, level string, rows []int) {
		ys, ps = ys[:0], ps[:0]
		for _, r := range rows {
			ys = append(ys, y[r])
			ps = append(ps, prob[r*k:r*k+k]...)
		}
		c := e.classify(ys, ps, classes)
		out = append(out, GroupMetrics{Column: column, Level: level, N: len(rows), Classification: &c})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// RegressByGroup evaluates, as Regress does, the rows of each level of
// each group column, with the slices and rules of ClassifyByGroup.
func RegressByGroup(y, pred []float64, groups []Group) ([]GroupMetrics, error) {
	if err := checkRegression(y, pred); err != nil {
		return nil, err
	}
	var (
		ys, ps []float64
		out    []GroupMetrics
	)
	err := eachSlice(groups, len(y), func(column, level string, rows []int) {
		ys, ps = ys[:0], ps[:0]
		for _, r := range rows {
			ys = append(ys, y[r])
			ps = append(ps, pred[r])
		}
		r := regress(ys, ps)
		out = append(out, GroupMetrics{Column: column, Level: level, N: len(rows), Regression: &r})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// eachSlice checks groups against n rows and, if they are all valid,
// calls fn with the rows (ascending) of each slice with at least one
// row, in column and level order.
func eachSlice(groups []Group, n int, fn func(column, level string, rows []int)) error {
	order := make([]int, len(groups))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(groups[a].Column, groups[b].Column) })
	for i, gi := range order {
		g := &groups[gi]
		if i > 0 && groups[order[i-1]].Column == g.Column {
			return fmt.Errorf("metrics: group column %q given twice: %w", g.Column, ErrInvalid)
		}
		if len(g.Codes) != n {
			return fmt.Errorf("metrics: group column %q has %d rows, want %d: %w", g.Column, len(g.Codes), n, ErrInvalid)
		}
		for r, c := range g.Codes {
			if c < -1 || int(c) >= len(g.Levels) {
				return fmt.Errorf("metrics: group column %q, row %d: level code %d outside [-1, %d): %w", g.Column, r, c, len(g.Levels), ErrInvalid)
			}
		}
		sorted := slices.Clone(g.Levels)
		slices.Sort(sorted)
		for j := 1; j < len(sorted); j++ {
			if sorted[j] == sorted[j-1] {
				return fmt.Errorf("metrics: group column %q has level %q twice: %w", g.Column, sorted[j], ErrInvalid)
			}
		}
	}
	var rows []int
	for _, gi := range order {
		g := &groups[gi]
		// Counting sort of the rows by level code; start[l] is where
		// level l's rows begin, rows of each level ascending.
		start := make([]int, len(g.Levels)+1)
		for _, c := range g.Codes {
			if c >= 0 {
				start[c+1]++
			}
		}
		levels := make([]int, 0, len(g.Levels))
		for l := range g.Levels {
			if start[l+1] > 0 {
				levels = append(levels, l)
			}
			start[l+1] += start[l]
		}
		rows = slices.Grow(rows[:0], start[len(g.Levels)])[:start[len(g.Levels)]]
		next := slices.Clone(start[:len(g.Levels)])
		for r, c := range g.Codes {
			if c >= 0 {
				rows[next[c]] = r
				next[c]++
			}
		}
		slices.SortFunc(levels, func(a, b int) int { return cmp.Compare(g.Levels[a], g.Levels[b]) })
		for _, l := range levels {
			fn(g.Column, g.Levels[l], rows[start[l]:start[l+1]])
		}
	}
	return nil
}

// Spread is one metric across the levels of one group column: the
// numbers a promotion gate reads, such as "accuracy by gender within
// 0.05 of each other, each above 0.8" (Gap ≤ 0.05, Min ≥ 0.8).
type Spread struct {
	Column string
	Metric string
	// Levels is the number of levels whose metric is defined.
	Levels int
	// Min and Max are the extremes over those levels, MinLevel and
	// MaxLevel the first levels (in level order) that reach them.
	Min      float64
	MinLevel string
	Max      float64
	MaxLevel string
	// Gap is Max - Min.
	Gap float64
	// Undefined lists the levels whose metric is NaN; they are not in
	// Min and Max, so a gate should decide what they mean.
	Undefined []string
}

// SpreadOf returns the spread of metric (MetricAccuracy and so on)
// across the slices of column in gs, as ClassifyByGroup or
// RegressByGroup returned them. It returns an error wrapping
// ErrInvalid when gs has no slice of column or the metric is unknown,
// and one wrapping ErrUndefined, with Min, Max and Gap NaN, when the
// metric is NaN in every slice.
func SpreadOf(gs []GroupMetrics, column, metric string) (Spread, error) {
	s := Spread{Column: column, Metric: metric, Min: math.NaN(), Max: math.NaN(), Gap: math.NaN()}
	seen := false
	for i := range gs {
		g := &gs[i]
		if g.Column != column {
			continue
		}
		seen = true
		v, err := g.Value(metric)
		if err != nil {
			return s, err
		}
		if math.IsNaN(v) {
			s.Undefined = append(s.Undefined, g.Level)
			continue
		}
		if s.Levels == 0 || v < s.Min {
			s.Min, s.MinLevel = v, g.Level
		}
		if s.Levels == 0 || v > s.Max {
			s.Max, s.MaxLevel = v, g.Level
		}
		s.Levels++
	}
	switch {
	case !seen:
		return s, fmt.Errorf("metrics: no slices of column %q: %w", column, ErrInvalid)
	case s.Levels == 0:
		return s, fmt.Errorf("metrics: %s is undefined in every slice of column %q: %w", metric, column, ErrUndefined)
	}
	s.Gap = s.Max - s.Min
	return s, nil
}
