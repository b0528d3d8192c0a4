package agreement

import (
	"context"
	"fmt"
	"math"
	"slices"
	"testing"
)

// TestGroupPatterns covers the three ways of grouping rows: a direct table
// (few rows possible), a map (too many for the table) and one pattern per
// item (rows too wide to code in 62 bits).
func TestGroupPatterns(t *testing.T) {
	tests := []struct {
		name        string
		annotators  int
		k           int
		wantGrouped bool
	}{
		{"table", 3, 2, true},
		{"map", 10, 5, true},
		{"per item", 30, 4, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := rng(5)
			n := tt.annotators
			r := Ratings{Items: 400, Annotators: n, K: tt.k, Labels: make([]int32, 400*n)}
			for i := range r.Items {
				// Items repeat one of 20 rows, some unlabelled.
				src := rng(uint64(g.intn(20)))
				for a := range n {
					l := int32(src.intn(tt.k+1)) - 1
					if src.intn(4) == 0 || i%17 == 0 {
						l = Missing
					}
					r.Labels[i*n+a] = l
				}
			}
			p := groupPatterns(r)
			var total float64
			for i, id := range p.of {
				row := r.Labels[i*n : i*n+n]
				if id < 0 {
					if hasAny(row) {
						t.Fatalf("item %d has labels but no pattern", i)
					}
					continue
				}
				total++
				if !slices.Equal(row, p.row(r, int(id))) {
					t.Fatalf("item %d: row %v, pattern %d has %v", i, row, id, p.row(r, int(id)))
				}
			}
			var sum float64
			for _, c := range p.count {
				sum += float64(c)
			}
			if sum != total {
				t.Errorf("pattern counts sum to %v, want %v labelled items", sum, total)
			}
			seen := map[string]bool{}
			for id := range p.rep {
				key := fmt.Sprint(p.row(r, id))
				if seen[key] && tt.wantGrouped {
					t.Fatalf("pattern %d repeats an earlier row", id)
				}
				seen[key] = true
			}
			if grouped := len(p.rep) < int(total); grouped != tt.wantGrouped {
				t.Errorf("%d patterns for %v items, want grouped %v", len(p.rep), total, tt.wantGrouped)
			}
			// Dawid-Skene does not depend on the grouping: compare with
			// EM over items.
			checkMetrics(t, r)
			m, err := DawidSkene(context.Background(), r, DSOptions{MaxIter: 30, Tol: 1e-300})
			if err != nil {
				t.Fatal(err)
			}
			prior, conf, post := dsPerItem(r, 30)
			closeAll(t, "priors", m.Priors, prior, 1e-9)
			closeAll(t, "confusion", m.Confusion, conf, 1e-9)
			closeAll(t, "posterior", m.Posterior, post, 1e-9)
		})
	}
}

func hasAny(row []int32) bool {
	for _, l := range row {
		if l >= 0 {
			return true
		}
	}
	return false
}

// dsPerItem is Dawid-Skene EM without smoothing written over items,
// products in plain floating point, iters iterations; unlabelled items
// get the priors.
func dsPerItem(r Ratings, iters int) (prior, conf, post []float64) {
	k, n := r.K, r.Annotators
	post = make([]float64, r.Items*k)
	var labelled float64
	for i := range r.Items {
		var m float64
		for _, l := range r.Labels[i*n : i*n+n] {
			if l >= 0 {
				post[i*k+int(l)]++
				m++
			}
		}
		for j := range k {
			if m > 0 {
				post[i*k+j] /= m
			}
		}
		if m > 0 {
			labelled++
		}
	}
	prior = make([]float64, k)
	conf = make([]float64, n*k*k)
	for range iters {
		clear(prior)
		clear(conf)
		for i := range r.Items {
			if !hasAny(r.Labels[i*n : i*n+n]) {
				continue
			}
			for j := range k {
				prior[j] += post[i*k+j]
				for a, l := range r.Labels[i*n : i*n+n] {
					if l >= 0 {
						conf[(a*k+j)*k+int(l)] += post[i*k+j]
					}
				}
			}
		}
		for j := range k {
			prior[j] /= labelled
		}
		for row := 0; row < len(conf); row += k {
			var s float64
			for _, x := range conf[row : row+k] {
				s += x
			}
			for l := range k {
				if s > 0 {
					conf[row+l] /= s
				} else {
					conf[row+l] = 1 / float64(k)
				}
			}
		}
		for i := range r.Items {
			row := r.Labels[i*n : i*n+n]
			if !hasAny(row) {
				copy(post[i*k:i*k+k], prior)
				continue
			}
			var s float64
			for j := range k {
				v := prior[j]
				for a, l := range row {
					if l >= 0 {
						v *= conf[(a*k+j)*k+int(l)]
					}
				}
				post[i*k+j] = v
				s += v
			}
			for j := range k {
				post[i*k+j] /= s
			}
		}
	}
	if math.IsNaN(prior[0]) {
		panic("dsPerItem: no labelled item")
	}
	return prior, conf, post
}
