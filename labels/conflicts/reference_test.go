package conflicts_test

import (
	"cmp"
	"math"
	"slices"
	"strings"

	"github.com/assayhq/assay/labels/conflicts"
)

// The reference implementations below are the definitions, written as
// plainly as possible: every pair of rows compared, O(n²).

// refMatch reports whether two rows match: text equal after trimming (and
// strings.EqualFold with case folding), nulls equal only to nulls, numbers
// equal (0 = -0, NaN = NaN) or, with a tolerance, finite numbers within it.
func refMatch(cols []conflicts.Column, a, b int, opts conflicts.Options) bool {
	for _, c := range cols {
		na := c.Valid != nil && !c.Valid[a]
		nb := c.Valid != nil && !c.Valid[b]
		if na || nb {
			if na != nb {
				return false
			}
			continue
		}
		if c.Numeric {
			x, y := c.Num[a], c.Num[b]
			fin := !math.IsNaN(x) && !math.IsInf(x, 0) && !math.IsNaN(y) && !math.IsInf(y, 0)
			switch {
			case math.IsNaN(x) && math.IsNaN(y):
			case opts.FloatTolerance > 0 && fin:
				if math.Abs(x-y) > opts.FloatTolerance {
					return false
				}
			case x != y:
				return false
			}
			continue
		}
		s, t := strings.TrimSpace(c.Str[a]), strings.TrimSpace(c.Str[b])
		if opts.CaseFold {
			if !strings.EqualFold(s, t) {
				return false
			}
		} else if s != t {
			return false
		}
	}
	return true
}

// refExact groups the labelled rows into connected components of refMatch
// and reports those of two or more rows.
func refExact(cols []conflicts.Column, labels conflicts.Labels, opts conflicts.Options) *conflicts.Result {
	n := len(labels.Codes)
	parent := make([]int, n)
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(x int) int {
		if parent[x] != x {
			parent[x] = find(parent[x])
		}
		return parent[x]
	}
	res := &conflicts.Result{}
	for a := range n {
		if labels.Codes[a] < 0 {
			continue
		}
		res.LabelledRows++
		for b := a + 1; b < n; b++ {
			if labels.Codes[b] >= 0 && refMatch(cols, a, b, opts) {
				ra, rb := find(a), find(b)
				parent[max(ra, rb)] = min(ra, rb)
			}
		}
	}
	comps := map[int][]int{}
	for r := range n {
		if labels.Codes[r] >= 0 {
			comps[find(r)] = append(comps[find(r)], r)
		}
	}
	for _, rows := range comps {
		if len(rows) < 2 {
			continue
		}
		g := refGroup(conflicts.KindExact, rows, labels)
		if len(g.Distribution) == 1 {
			res.AgreeingGroups++
			res.AgreeingRows += len(rows)
			continue
		}
		res.ConflictingRows += len(rows)
		res.Groups = append(res.Groups, g)
	}
	refSort(res.Groups)
	return res
}

// refGroup describes rows (ascending) as a group.
func refGroup(kind conflicts.Kind, rows []int, labels conflicts.Labels) conflicts.Group {
	freq := map[int]int{}
	for _, c := range labels.Codes {
		if c >= 0 {
			freq[c]++
		}
	}
	count := map[int]int{}
	for _, r := range rows {
		count[labels.Codes[r]]++
	}
	g := conflicts.Group{Kind: kind, Rows: slices.Clone(rows), Anchor: -1}
	for l, c := range count {
		g.Distribution = append(g.Distribution, conflicts.LabelCount{Label: l, Rows: c})
	}
	// Most rows; then most frequent overall; then smallest code.
	slices.SortFunc(g.Distribution, func(a, b conflicts.LabelCount) int {
		if a.Rows != b.Rows {
			return b.Rows - a.Rows
		}
		if freq[a.Label] != freq[b.Label] {
			return freq[b.Label] - freq[a.Label]
		}
		return a.Label - b.Label
	})
	g.Suggested = g.Distribution[0].Label
	g.Score = 1 - float64(g.Distribution[0].Rows)/float64(len(rows))
	return g
}

// refSort orders groups as the review queue.
func refSort(groups []conflicts.Group) {
	slices.SortFunc(groups, func(a, b conflicts.Group) int {
		if a.Score != b.Score {
			return cmp.Compare(b.Score, a.Score)
		}
		if len(a.Rows) != len(b.Rows) {
			return len(b.Rows) - len(a.Rows)
		}
		if c := slices.Compare(a.Rows, b.Rows); c != 0 {
			return c
		}
		return a.Anchor - b.Anchor
	})
}
