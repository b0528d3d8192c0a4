package agreement

// patterns groups items by their row of labels. Every statistic of the
// package depends on an item only through its row, and with few annotators
// and classes a million items share a few thousand rows (at most (K+1)^n),
// so repeated work (Dawid-Skene's iterations, leave-one-out votes) runs
// over patterns with weights instead of items.
type patterns struct {
	rep   []int32 // per pattern: the first item with that row
	count []int64 // per pattern: the number of items with that row
	of    []int32 // per item: its pattern, or -1 when nobody labelled it
}

// directPatterns bounds the size of the table that maps a row's code to its
// pattern; beyond it rows are grouped in a map.
const directPatterns = 1 << 20

// groupPatterns groups the labelled items of r by row, patterns numbered in
// order of first item. Rows are coded as base-(K+1) numbers when that fits
// in 62 bits; otherwise each labelled item is its own pattern (many
// annotators: rows rarely repeat anyway).
func groupPatterns(r Ratings) patterns {
	n := r.Annotators
	p := patterns{of: make([]int32, r.Items)}
	base := uint64(r.K) + 1
	size, fits := uint64(1), true
	for range n {
		if size > (1<<62)/base {
			fits = false
			break
		}
		size *= base
	}
	var table []int32
	var index map[uint64]int32
	switch {
	case !fits:
	case size <= directPatterns:
		table = make([]int32, size)
		for i := range table {
			table[i] = -1
		}
	default:
		index = make(map[uint64]int32)
	}
	for i := 0; i < r.Items; i++ {
		row := r.Labels[i*n : i*n+n]
		var code uint64
		labelled := false
		for a := n - 1; a >= 0; a-- {
			code = code*base + uint64(row[a]+1)
			labelled = labelled || row[a] >= 0
		}
		if !labelled {
			p.of[i] = -1
			continue
		}
		id := int32(-1)
		switch {
		case table != nil:
			id = table[code]
		case index != nil:
			if v, ok := index[code]; ok {
				id = v
			}
		}
		if id < 0 {
			id = int32(len(p.rep))
			p.rep = append(p.rep, int32(i))
			p.count = append(p.count, 0)
			switch {
			case table != nil:
				table[code] = id
			case index != nil:
				index[code] = id
			}
		}
		p.of[i] = id
		p.count[id]++
	}
	return p
}

// row returns the labels of pattern id.
func (p *patterns) row(r Ratings, id int) []int32 {
	i := int(p.rep[id]) * r.Annotators
	return r.Labels[i : i+r.Annotators]
}
