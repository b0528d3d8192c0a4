package agreement

import "math"

// Consensus is the majority vote of each item.
type Consensus struct {
	// Labels is the label with the most votes on each item, ties broken by
	// the tie order (see MajorityVote); Missing when nobody labelled the
	// item.
	Labels []int32
	// Share is the share of the item's labels that are Labels[i]; 0 when
	// the item has no label.
	Share []float64
	// Tied is true where several labels had the top count and the tie
	// order chose.
	Tied []bool
	// Counts is, per class, the number of labels given across the Ratings:
	// the tie order's key.
	Counts []int64
}

// MajorityVote returns the label most annotators gave each item, with its
// vote share. Ties go to the label given most often across the whole
// Ratings (Consensus.Counts), then to the smallest code, so the result
// depends on nothing but the data. An item nobody labelled gets Missing
// and share 0.
func MajorityVote(r Ratings) (Consensus, error) {
	if err := r.Validate(); err != nil {
		return Consensus{}, err
	}
	c := Consensus{
		Labels: make([]int32, r.Items),
		Share:  make([]float64, r.Items),
		Tied:   make([]bool, r.Items),
		Counts: labelCounts(r),
	}
	n := r.Annotators
	t := newTally(r.K, n)
	for i := 0; i < r.Items; i++ {
		var m int32
		for _, l := range r.Labels[i*n : i*n+n] {
			if l >= 0 {
				t.add(l)
				m++
			}
		}
		if m == 0 {
			c.Labels[i] = Missing
			continue
		}
		best, tied := t.top(c.Counts)
		c.Labels[i] = best
		c.Share[i] = float64(t.cnt[best]) / float64(m)
		c.Tied[i] = tied
		t.reset()
	}
	return c, nil
}

// labelCounts is the number of labels of each class in r.
func labelCounts(r Ratings) []int64 {
	counts := make([]int64, r.K)
	for _, l := range r.Labels {
		if l >= 0 {
			counts[l]++
		}
	}
	return counts
}

// before reports whether class x precedes class y in the tie order keyed by
// counts: more frequent first, then the smaller code.
func before(counts []int64, x, y int32) bool {
	return counts[x] > counts[y] || counts[x] == counts[y] && x < y
}

// top returns the class with the most votes in t, ties broken by the tie
// order keyed by counts, and whether there was a tie. t must hold a vote.
func (t *tally) top(counts []int64) (best int32, tied bool) {
	best = t.distinct[0]
	bc := t.cnt[best]
	for _, l := range t.distinct[1:] {
		switch c := t.cnt[l]; {
		case c > bc:
			best, bc, tied = l, c, false
		case c == bc:
			tied = true
			if before(counts, l, best) {
				best = l
			}
		}
	}
	return best, tied
}

// Annotator is one annotator's agreement with the consensus of the others.
type Annotator struct {
	// Labelled is the number of items the annotator labelled.
	Labelled int
	// Compared is the number of those items some other annotator labelled
	// too: the items with a leave-one-out consensus.
	Compared int
	// Agreed is the number of compared items where the annotator's label
	// equals the majority vote of the other annotators.
	Agreed int
	// Rate is Agreed / Compared; NaN when Compared is 0.
	Rate float64
}

// AnnotatorAgreement returns, for each annotator, the share of their labels
// that agree with the majority vote of the other annotators on the same
// item (leave-one-out, so an annotator never votes on their own score).
// The others' vote breaks ties as MajorityVote does, with the tie order
// counted over the other annotators' labels only. Items only this
// annotator labelled are counted in Labelled but not compared.
func AnnotatorAgreement(r Ratings) ([]Annotator, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	n := r.Annotators
	out := make([]Annotator, n)
	counts := labelCounts(r)
	// Votes depend on an item only through its row of labels: count each
	// distinct row once, weighted by its items.
	p := groupPatterns(r)
	others := make([]int64, r.K)
	t := newTally(r.K, n)
	for a := 0; a < n; a++ {
		copy(others, counts)
		for id, w := range p.count {
			if l := p.row(r, id)[a]; l >= 0 {
				others[l] -= w
			}
		}
		var labelled, compared, agreed int64
		for id, w := range p.count {
			row := p.row(r, id)
			own := row[a]
			if own < 0 {
				continue
			}
			labelled += w
			for b, l := range row {
				if l >= 0 && b != a {
					t.add(l)
				}
			}
			if len(t.distinct) == 0 {
				continue
			}
			compared += w
			if best, _ := t.top(others); best == own {
				agreed += w
			}
			t.reset()
		}
		s := Annotator{Labelled: int(labelled), Compared: int(compared), Agreed: int(agreed), Rate: math.NaN()}
		if compared > 0 {
			s.Rate = float64(agreed) / float64(compared)
		}
		out[a] = s
	}
	return out, nil
}
