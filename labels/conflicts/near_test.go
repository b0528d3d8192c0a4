package conflicts_test

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/assayhq/assay/labels/conflicts"
)

func TestNearCases(t *testing.T) {
	tests := []struct {
		name   string
		cols   []conflicts.Column
		labels conflicts.Labels
		opts   conflicts.NearOptions
		want   [][]int // rows of the groups, in queue order
	}{
		{
			name: "nearest neighbour with another label",
			cols: []conflicts.Column{num("x", 0.0, 0.01, 10.0, 10.01)},
			// 0 and 0.01 disagree; 10 and 10.01 agree.
			labels: labelsOf("a", "b", "a", "a"),
			opts:   conflicts.NearOptions{K: 1},
			want:   [][]int{{0, 1}},
		},
		{
			name:   "radius leaves far points out",
			cols:   []conflicts.Column{num("x", 0.0, 0.01, 10.0, 10.01)},
			labels: labelsOf("a", "b", "b", "a"),
			// sd is about 5: 0.01 is 0.002 in z.
			opts: conflicts.NearOptions{Radius: 0.01},
			want: [][]int{{0, 1}, {2, 3}},
		},
		{
			name:   "K counts points: equal rows are one point",
			cols:   []conflicts.Column{num("x", 0.0, 0.0, 0.0, 1.0, 5.0)},
			labels: labelsOf("a", "a", "a", "b", "b"),
			opts:   conflicts.NearOptions{K: 1},
			// The point 0 (rows 0-2) and its nearest point 1 (row 3).
			want: [][]int{{0, 1, 2, 3}},
		},
		{
			name:   "an exact conflict is a group without neighbours",
			cols:   []conflicts.Column{num("x", 0.0, 0.0, 100.0)},
			labels: labelsOf("a", "b", "a"),
			opts:   conflicts.NearOptions{Radius: 0.001},
			want:   [][]int{{0, 1}},
		},
		{
			name: "text differs by 1: trimmed and folded it is equal",
			cols: []conflicts.Column{
				txt("s", "red", " RED", "blue", "green"),
				num("x", 1.0, 1.0, 1.0, 1.0),
			},
			labels: labelsOf("a", "b", "a", "a"),
			opts:   conflicts.NearOptions{Radius: 0.5, CaseFold: true},
			want:   [][]int{{0, 1}},
		},
		{
			name:   "a null is one unit from the mean",
			cols:   []conflicts.Column{num("x", nil, -1.0, 1.0, 3.0, 5.0)},
			labels: labelsOf("a", "b", "b", "b", "b"),
			// mean 2, sd √5: the null is at distance √(z²+1) from each.
			opts: conflicts.NearOptions{K: 1},
			want: [][]int{{0, 2}},
		},
		{
			name:   "missing labels are ignored",
			cols:   []conflicts.Column{num("x", 0.0, 0.01, 0.02, 9.0)},
			labels: labelsOf("a", "", "b", "a"),
			opts:   conflicts.NearOptions{K: 1},
			// 0.02 is the nearest labelled point of both 0 and 9.
			want: [][]int{{0, 2}, {2, 3}},
		},
		{
			name:   "contained neighbourhoods are dropped",
			cols:   []conflicts.Column{num("x", 0.0, 0.1, 0.2, 10.0)},
			labels: labelsOf("a", "b", "a", "a"),
			// Neighbourhoods of 0.1 {0,1,2} contain those of 0 and 0.2.
			opts: conflicts.NearOptions{Radius: 0.05},
			want: [][]int{{0, 1, 2}},
		},
	}
	for _, tt := range tests {
		for _, search := range []conflicts.Search{conflicts.SearchExact, conflicts.SearchLSH} {
			t.Run(fmt.Sprintf("%s/%s", tt.name, search), func(t *testing.T) {
				opts := tt.opts
				opts.Search = search
				res, err := conflicts.Near(context.Background(), tt.cols, tt.labels, opts)
				if err != nil {
					t.Fatal(err)
				}
				if got := rowsOf(res.Groups); !slices.EqualFunc(got, tt.want, slices.Equal) {
					t.Errorf("got groups %v, want %v", got, tt.want)
				}
				if res.Search != search {
					t.Errorf("got search %q, want %q", res.Search, search)
				}
				for _, g := range res.Groups {
					if g.Kind != conflicts.KindNear || !slices.Contains(g.Rows, g.Anchor) {
						t.Errorf("group %v: kind %q anchor %d", g.Rows, g.Kind, g.Anchor)
					}
				}
			})
		}
	}
}

// TestNearDistance: the reported distance is the standardised one.
func TestNearDistance(t *testing.T) {
	cols := []conflicts.Column{num("x", 0.0, 2.0, 4.0, 6.0), txt("s", "u", "u", "v", "v")}
	labels := labelsOf("a", "b", "b", "b")
	res, err := conflicts.Near(context.Background(), cols, labels, conflicts.NearOptions{K: 1})
	if err != nil {
		t.Fatal(err)
	}
	// mean 3, population sd √5: rows 0 and 1 are 2/√5 apart, same text.
	if len(res.Groups) != 1 || !slices.Equal(res.Groups[0].Rows, []int{0, 1}) {
		t.Fatalf("got groups %v, want [[0 1]]", rowsOf(res.Groups))
	}
	if d, want := res.Groups[0].Distance, 2/math.Sqrt(5); math.Abs(d-want) > 1e-12 {
		t.Errorf("got distance %v, want %v", d, want)
	}
	if res.Points != 4 || res.LabelledRows != 4 || res.ConflictingRows != 2 {
		t.Errorf("got %d points, %d labelled, %d conflicting rows; want 4, 4, 2", res.Points, res.LabelledRows, res.ConflictingRows)
	}
}

func TestNearInvalid(t *testing.T) {
	cols := []conflicts.Column{num("x", 1, 2)}
	for _, opts := range []conflicts.NearOptions{
		{},
		{K: -1},
		{Radius: -1},
		{Radius: math.Inf(1)},
		{K: 1, Search: "kd"},
		{K: 1, MaxTables: -1},
	} {
		if _, err := conflicts.Near(context.Background(), cols, labelsOf("a", "b"), opts); !errors.Is(err, conflicts.ErrInvalid) {
			t.Errorf("%+v: got %v, want ErrInvalid", opts, err)
		}
	}
}

func TestNearCancel(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	cols, labels := continuousData(rng, 5000)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, s := range []conflicts.Search{conflicts.SearchExact, conflicts.SearchLSH} {
		if _, err := conflicts.Near(ctx, cols, labels, conflicts.NearOptions{K: 3, Search: s}); !errors.Is(err, context.Canceled) {
			t.Errorf("%s: got %v, want context.Canceled", s, err)
		}
	}
}

// continuousData makes rows with continuous numbers (so that distances
// hardly ever tie), a text column, nulls, and planted copies of earlier
// rows (some with white-space and case variants) under other labels.
func continuousData(rng *rand.Rand, n int) ([]conflicts.Column, conflicts.Labels) {
	x, y := make([]any, n), make([]any, n)
	s := make([]any, n)
	names := make([]string, n)
	words := []string{"red", "green", "blue", "grey"}
	for i := range n {
		names[i] = []string{"p", "q", "r", ""}[rng.IntN(4)]
		if i > 0 && rng.IntN(8) == 0 {
			j := rng.IntN(i)
			x[i], y[i], s[i] = x[j], y[j], s[j]
			if v, ok := s[i].(string); ok && rng.IntN(2) == 0 {
				s[i] = " " + strings.ToUpper(v)
			}
			continue
		}
		x[i] = rng.NormFloat64()
		y[i] = rng.Float64() * 100
		if rng.IntN(30) == 0 {
			y[i] = nil
		}
		s[i] = words[rng.IntN(len(words))]
		if rng.IntN(30) == 0 {
			s[i] = nil
		}
	}
	return []conflicts.Column{num("x", x...), num("y", y...), txt("s", s...)}, labelsOf(names...)
}

// refNear is Near's definition computed plainly from the columns.
func refNear(cols []conflicts.Column, labels conflicts.Labels, opts conflicts.NearOptions) []conflicts.Group {
	eq := conflicts.Options{CaseFold: opts.CaseFold}
	n := len(labels.Codes)
	// Points: classes of equal rows, in order of first row.
	var points [][]int
	for r := range n {
		if labels.Codes[r] < 0 {
			continue
		}
		k := slices.IndexFunc(points, func(p []int) bool { return refMatch(cols, p[0], r, eq) })
		if k < 0 {
			points = append(points, nil)
			k = len(points) - 1
		}
		points[k] = append(points[k], r)
	}
	// Standardised coordinates.
	type stat struct {
		mean, sd float64
		missing  bool
	}
	stats := make([]stat, len(cols))
	for j, c := range cols {
		if !c.Numeric {
			continue
		}
		var vals []float64
		for r := range n {
			if labels.Codes[r] < 0 {
				continue
			}
			if (c.Valid != nil && !c.Valid[r]) || math.IsNaN(c.Num[r]) || math.IsInf(c.Num[r], 0) {
				stats[j].missing = true
				continue
			}
			vals = append(vals, c.Num[r])
		}
		var sum, ss float64
		for _, v := range vals {
			sum += v
		}
		if len(vals) > 0 {
			stats[j].mean = sum / float64(len(vals))
		}
		for _, v := range vals {
			ss += (v - stats[j].mean) * (v - stats[j].mean)
		}
		if len(vals) > 0 {
			stats[j].sd = math.Sqrt(ss / float64(len(vals)))
		}
	}
	dist2 := func(a, b int) float64 {
		var d2 float64
		for j, c := range cols {
			na := c.Valid != nil && !c.Valid[a]
			nb := c.Valid != nil && !c.Valid[b]
			if !c.Numeric {
				switch {
				case na && nb:
				case na || nb:
					d2++
				case !refMatch([]conflicts.Column{c}, a, b, eq):
					d2++
				}
				continue
			}
			z := func(r int, null bool) (float64, float64) {
				v := c.Num[r]
				if null || math.IsNaN(v) || math.IsInf(v, 0) {
					return 0, 1
				}
				if stats[j].sd == 0 {
					return 0, 0
				}
				return (v - stats[j].mean) / stats[j].sd, 0
			}
			za, ia := z(a, na)
			zb, ib := z(b, nb)
			d2 += (za - zb) * (za - zb)
			if stats[j].missing {
				d2 += (ia - ib) * (ia - ib)
			}
		}
		return d2
	}
	var groups []conflicts.Group
	for p, own := range points {
		type cand struct {
			q  int
			d2 float64
		}
		var cands []cand
		for q := range points {
			if q == p {
				continue
			}
			d2 := dist2(own[0], points[q][0])
			if opts.Radius > 0 && d2 > opts.Radius*opts.Radius {
				continue
			}
			cands = append(cands, cand{q, d2})
		}
		slices.SortFunc(cands, func(a, b cand) int {
			if a.d2 != b.d2 {
				return cmp.Compare(a.d2, b.d2)
			}
			return a.q - b.q
		})
		if opts.K > 0 && len(cands) > opts.K {
			cands = cands[:opts.K]
		}
		rows := slices.Clone(own)
		far := 0.0
		for _, c := range cands {
			rows = append(rows, points[c.q]...)
			far = max(far, c.d2)
		}
		slices.Sort(rows)
		g := refGroup(conflicts.KindNear, rows, labels)
		if len(g.Distribution) < 2 {
			continue
		}
		g.Anchor = own[0]
		g.Distance = math.Sqrt(far)
		groups = append(groups, g)
	}
	slices.SortStableFunc(groups, func(a, b conflicts.Group) int {
		if len(a.Rows) != len(b.Rows) {
			return len(b.Rows) - len(a.Rows)
		}
		return a.Anchor - b.Anchor
	})
	var kept []conflicts.Group
	for _, g := range groups {
		if !slices.ContainsFunc(kept, func(k conflicts.Group) bool { return refSubset(g.Rows, k.Rows) }) {
			kept = append(kept, g)
		}
	}
	refSort(kept)
	return kept
}

func refSubset(a, b []int) bool {
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}

// TestNearRandom compares exact Near with the reference.
func TestNearRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(10, 11))
	for trial := range 40 {
		n := 2 + rng.IntN(150)
		cols, labels := continuousData(rng, n)
		opts := conflicts.NearOptions{CaseFold: trial%2 == 0, Search: conflicts.SearchExact, Workers: 1 + trial%3}
		switch trial % 3 {
		case 0:
			opts.K = 1 + rng.IntN(4)
		case 1:
			opts.Radius = 0.2 + rng.Float64()
		case 2:
			opts.K, opts.Radius = 2, 0.5
		}
		res, err := conflicts.Near(context.Background(), cols, labels, opts)
		if err != nil {
			t.Fatal(err)
		}
		want := refNear(cols, labels, opts)
		t.Run(fmt.Sprintf("trial %d n=%d K=%d radius=%.3g", trial, n, opts.K, opts.Radius), func(t *testing.T) {
			if len(res.Groups) != len(want) {
				t.Fatalf("got %d groups, want %d:\n got %v\nwant %v", len(res.Groups), len(want), rowsOf(res.Groups), rowsOf(want))
			}
			for i, g := range res.Groups {
				w := want[i]
				if math.Abs(g.Distance-w.Distance) > 1e-9 {
					t.Errorf("group %d: distance %v, want %v", i, g.Distance, w.Distance)
				}
				g.Distance = w.Distance
				if !slices.Equal(g.Rows, w.Rows) || g.Anchor != w.Anchor || g.Suggested != w.Suggested || g.Score != w.Score ||
					!slices.Equal(g.Distribution, w.Distribution) {
					t.Errorf("group %d:\n got %+v\nwant %+v", i, g, w)
				}
			}
		})
	}
}

// TestNearContainsExact: every exact conflict lies inside a near group.
func TestNearContainsExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 13))
	cols, labels := continuousData(rng, 3000)
	ex, err := conflicts.Exact(cols, labels, conflicts.Options{CaseFold: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(ex.Groups) == 0 {
		t.Fatal("the data has no exact conflicts")
	}
	for _, s := range []conflicts.Search{conflicts.SearchExact, conflicts.SearchLSH} {
		nr, err := conflicts.Near(context.Background(), cols, labels, conflicts.NearOptions{K: 2, CaseFold: true, Search: s})
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range ex.Groups {
			if !slices.ContainsFunc(nr.Groups, func(n conflicts.Group) bool { return refSubset(g.Rows, n.Rows) }) {
				t.Errorf("%s: exact group %v is in no near group", s, g.Rows)
			}
		}
	}
}
