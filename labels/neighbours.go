package labels

import (
	"math"
	"runtime"
	"strings"
	"sync"

	"github.com/assayhq/assay/labels/review"
)

// neighbourBudget bounds the work of finding neighbours for a review
// queue: queries × rows distance computations.
const neighbourBudget = 2e8

// neighbourFeatures picks the columns neighbours are measured on: the
// given features, else every loaded column but the excluded ones and
// text columns with a distinct value in more than half the rows
// (identifiers, which make every row far from every other).
func neighbourFeatures(t *Table, features []string, exclude []string) []*Column {
	var out []*Column
	if features != nil {
		for _, f := range features {
			if c := t.Column(f); c != nil {
				out = append(out, c)
			}
		}
		return out
	}
	for _, c := range t.Cols {
		if indexOf(exclude, c.Name) >= 0 {
			continue
		}
		if !c.Numeric {
			distinct := map[string]struct{}{}
			for i, ok := range c.Valid {
				if ok {
					distinct[c.Str[i]] = struct{}{}
					if float64(len(distinct)) > baselineMaxDistinct*float64(t.Rows) {
						break
					}
				}
			}
			if float64(len(distinct)) > baselineMaxDistinct*float64(t.Rows) {
				continue
			}
		}
		out = append(out, c)
	}
	return out
}

// nearestLabelled finds, for each query row, the k nearest other rows
// that have a label, on standardised features: numbers as z-scores (a
// null or non-finite number as 0, with an indicator worth 1), each
// differing text value (trimmed) adding 1 to the squared distance. It is
// exact (brute force, in parallel) and gives up (nil) when the queries
// times the rows exceed neighbourBudget.
func nearestLabelled(cols []*Column, l *Labels, queries []int, k int) [][]review.Neighbour {
	n := len(l.Codes)
	if len(cols) == 0 || len(queries) == 0 || float64(len(queries))*float64(n) > neighbourBudget {
		return nil
	}
	type feat struct {
		z    []float64 // numeric: z-score, NaN where missing
		text []string
	}
	feats := make([]feat, len(cols))
	for j, c := range cols {
		if !c.Numeric {
			feats[j].text = make([]string, n)
			for i := range n {
				if c.Valid[i] {
					feats[j].text[i] = strings.TrimSpace(c.Str[i])
				}
			}
			continue
		}
		var s, ss, cnt float64
		for i := range n {
			if v := c.Num[i]; c.Valid[i] && !math.IsNaN(v) && !math.IsInf(v, 0) {
				s += v
				cnt++
			}
		}
		mean := s / max(cnt, 1)
		for i := range n {
			if v := c.Num[i]; c.Valid[i] && !math.IsNaN(v) && !math.IsInf(v, 0) {
				ss += (v - mean) * (v - mean)
			}
		}
		sd := math.Sqrt(ss / max(cnt, 1))
		if sd == 0 {
			sd = 1
		}
		z := make([]float64, n)
		for i := range n {
			v := c.Num[i]
			if !c.Valid[i] || math.IsNaN(v) || math.IsInf(v, 0) {
				z[i] = math.NaN()
			} else {
				z[i] = (v - mean) / sd
			}
		}
		feats[j].z = z
	}
	dist2 := func(a, b int) float64 {
		var d float64
		for _, f := range feats {
			if f.text != nil {
				if f.text[a] != f.text[b] {
					d++
				}
				continue
			}
			za, zb := f.z[a], f.z[b]
			switch na, nb := math.IsNaN(za), math.IsNaN(zb); {
			case na && nb:
			case na:
				d += 1 + zb*zb
			case nb:
				d += 1 + za*za
			default:
				d += (za - zb) * (za - zb)
			}
		}
		return d
	}
	out := make([][]review.Neighbour, len(queries))
	var wg sync.WaitGroup
	next := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			type cand struct {
				row int
				d   float64
			}
			best := make([]cand, 0, k+1)
			for qi := range next {
				q := queries[qi]
				best = best[:0]
				for i := range n {
					if i == q || l.Codes[i] < 0 {
						continue
					}
					d := dist2(q, i)
					if len(best) == k && d >= best[k-1].d {
						continue
					}
					// Insert in order; ties keep the earlier row first.
					pos := len(best)
					for pos > 0 && best[pos-1].d > d {
						pos--
					}
					best = append(best, cand{})
					copy(best[pos+1:], best[pos:])
					best[pos] = cand{i, d}
					if len(best) > k {
						best = best[:k]
					}
				}
				for _, c := range best {
					nb := review.Neighbour{Row: c.row, Distance: math.Sqrt(c.d), Label: l.Classes[l.Codes[c.row]]}
					for _, col := range cols {
						nb.Values = append(nb.Values, col.Text(c.row))
					}
					out[qi] = append(out[qi], nb)
				}
			}
		})
	}
	for qi := range queries {
		next <- qi
	}
	close(next)
	wg.Wait()
	return out
}
