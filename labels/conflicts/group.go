package conflicts

import (
	"cmp"
	"slices"
)

// Kind says how a group was found.
type Kind string

// Kinds of groups.
const (
	KindExact Kind = "exact" // equal normalised features (Exact)
	KindNear  Kind = "near"  // a neighbourhood in feature space (Near)
)

// LabelCount is how many rows of a group carry a label.
type LabelCount struct {
	Label int // the class code
	Rows  int
}

// Group is a set of rows whose labels conflict, with what a reviewer
// needs to resolve it.
type Group struct {
	Kind Kind
	// Rows are the row numbers, ascending.
	Rows []int
	// Distribution counts the rows per label, the suggested label first:
	// by rows (most first), then as the suggestion breaks ties.
	Distribution []LabelCount
	// Suggested is the majority label. Ties go to the label most frequent
	// among all labelled rows, then to the smallest code.
	Suggested int
	// Score is 1 − majority share: higher is more contested. The review
	// queue is ordered by it.
	Score float64
	// Anchor is, for a near group, the first row of the point whose
	// neighbourhood the group is; -1 for an exact group.
	Anchor int
	// Distance is, for a near group, the greatest distance from the
	// anchor to another point of the group (in standardised units, see
	// Near); 0 for an exact group.
	Distance float64
}

// Result is what Exact and Near found.
type Result struct {
	// Groups are the conflict groups, as a review queue: highest Score
	// first, then larger groups, then by first row (and anchor).
	Groups []Group
	// LabelledRows is the rows that have a label: the rows looked at.
	LabelledRows int
	// ConflictingRows is the rows in at least one group.
	ConflictingRows int
	// AgreeingGroups and AgreeingRows count the duplicate groups whose
	// rows all carry one label, and their rows (Exact only).
	AgreeingGroups int
	AgreeingRows   int
	// Points is the number of distinct normalised feature vectors among
	// the labelled rows (Near only).
	Points int
	// Search is the neighbour search Near used (Near only).
	Search Search
	// Recall is, for Near, the share of the exact neighbours of a sample
	// of 100 points that the search found: 1 for SearchExact, an estimate
	// of the recall of SearchLSH (see Near).
	Recall float64
}

// summary computes distributions and suggestions; it is set up once per
// call with the label frequencies of all labelled rows.
type summary struct {
	codes []int
	freq  []int // labelled rows per class
}

func newSummary(l Labels) *summary {
	s := &summary{codes: l.Codes, freq: make([]int, len(l.Classes))}
	for _, c := range l.Codes {
		if c >= 0 {
			s.freq[c]++
		}
	}
	return s
}

// distinct reports whether the rows carry two or more labels.
func (s *summary) distinct(rows []int32) bool {
	if len(rows) == 0 {
		return false
	}
	first := s.codes[rows[0]]
	for _, r := range rows[1:] {
		if s.codes[r] != first {
			return true
		}
	}
	return false
}

// group builds a group of rows (ascending) and its distribution.
func (s *summary) group(kind Kind, rows []int32) Group {
	g := Group{Kind: kind, Rows: make([]int, len(rows)), Anchor: -1}
	for i, r := range rows {
		g.Rows[i] = int(r)
		c := s.codes[r]
		j := slices.IndexFunc(g.Distribution, func(lc LabelCount) bool { return lc.Label == c })
		if j < 0 {
			g.Distribution = append(g.Distribution, LabelCount{Label: c})
			j = len(g.Distribution) - 1
		}
		g.Distribution[j].Rows++
	}
	slices.SortFunc(g.Distribution, func(a, b LabelCount) int {
		if c := cmp.Compare(b.Rows, a.Rows); c != 0 {
			return c
		}
		if c := cmp.Compare(s.freq[b.Label], s.freq[a.Label]); c != 0 {
			return c
		}
		return cmp.Compare(a.Label, b.Label)
	})
	g.Suggested = g.Distribution[0].Label
	g.Score = 1 - float64(g.Distribution[0].Rows)/float64(len(rows))
	return g
}

// sortQueue orders groups as a review queue.
func sortQueue(groups []Group) {
	slices.SortFunc(groups, func(a, b Group) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		if c := cmp.Compare(len(b.Rows), len(a.Rows)); c != 0 {
			return c
		}
		if c := slices.Compare(a.Rows, b.Rows); c != 0 {
			return c
		}
		return cmp.Compare(a.Anchor, b.Anchor)
	})
}
