package conflicts

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSplitCollision: rows that share a hash but differ are split into
// classes of truly equal rows, as a hash collision needs.
func TestSplitCollision(t *testing.T) {
	cols := []Column{Text("s", []string{"a", "b", "a", "b", "c"}, nil)}
	e := &exact{cols: cols, codes: []int{0, 0, 1, 1, 0}, n: 5, workers: 1}
	var z normalizer
	for _, all := range []bool{false, true} {
		var out classes
		e.split([]int32{0, 1, 2, 3, 4}, all, &out, &z)
		var got [][]int32
		for k := range out.len() {
			got = append(got, out.rows(k))
		}
		want := [][]int32{{0, 2}, {1, 3}}
		if all {
			want = append(want, []int32{4})
		}
		if !slices.EqualFunc(got, want, slices.Equal) {
			t.Errorf("all=%v: got classes %v, want %v", all, got, want)
		}
	}
}

// TestKDTreeBox compares box queries with a scan of every point.
func TestKDTreeBox(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	var tree kdTree
	for trial := range 50 {
		d := 1 + trial%5
		n := 1 + rng.IntN(500)
		pts := make([]float64, n*d)
		for i := range pts {
			if trial%3 == 0 {
				pts[i] = float64(rng.IntN(6)) / 4 // many equal coordinates
			} else {
				pts[i] = rng.NormFloat64()
			}
		}
		tree.build(pts, d)
		tol := []float64{0, 0.25, 0.5}[trial%3]
		for q := range n {
			var got []int32
			tree.box(pts[q*d:(q+1)*d], tol, func(i int32) { got = append(got, i) })
			slices.Sort(got)
			var want []int32
			for i := range n {
				if withinBox(pts[q*d:(q+1)*d], pts[i*d:(i+1)*d], tol) {
					want = append(want, int32(i))
				}
			}
			if !slices.Equal(got, want) {
				t.Fatalf("trial %d point %d: got %v, want %v", trial, q, got, want)
			}
		}
	}
}

// TestFold: folded forms are equal exactly when strings.EqualFold says
// so, for valid text.
func TestFold(t *testing.T) {
	words := []string{"k", "K", "\u212a", "s", "S", "ſ", "ß", "ẞ", "ss", "Σ", "σ", "ς", "ǅ", "ǆ", "Ǆ", "İ", "i", "ı", "I", "ﬀ", "ff", "Ω", "ω", "Ω"}
	for _, a := range words {
		for _, b := range words {
			got := string(appendFold(nil, a)) == string(appendFold(nil, b))
			if want := equalFold(a, b); got != want {
				t.Errorf("%q %q: folded equal %v, EqualFold %v", a, b, got, want)
			}
		}
	}
	// The ASCII fast path folds as the general one.
	for _, w := range []string{"", "a", "hello, World! az AZ `{@[", "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ~\x7f"} {
		got, ok := appendFoldASCII([]byte("x"), w)
		if want := appendFold([]byte("x"), w); !ok || string(got) != string(want) {
			t.Errorf("%q: ASCII fold %q (%v), want %q", w, got, ok, want)
		}
	}
	if got, ok := appendFoldASCII([]byte("x"), "abcdefgh\u00e9"); ok || string(got) != "x" {
		t.Errorf("non-ASCII: got %q, %v; want the buffer unchanged, false", got, ok)
	}
	// Bytes that are not UTF-8 are kept: two different ones differ.
	if string(appendFold(nil, "\xff")) == string(appendFold(nil, "\xfe")) {
		t.Error("\\xff and \\xfe fold alike")
	}
}

func equalFold(a, b string) bool {
	ra, rb := []rune(a), []rune(b)
	if len(ra) != len(rb) {
		return false
	}
	for i := range ra {
		if foldRune(ra[i]) != foldRune(rb[i]) {
			return false
		}
	}
	return true
}

// TestPStable checks the collision probability against its known values.
func TestPStable(t *testing.T) {
	if p := pStable(1, 4); math.Abs(p-0.8005) > 1e-3 {
		t.Errorf("p(1, w=4) = %v, want 0.8005", p)
	}
	if pStable(0, 1) != 1 || pStable(1, 1) >= pStable(0.5, 1) {
		t.Error("p is not 1 at 0 and falling")
	}
}

// TestKDTreeLink: linking with subtree skipping finds the components that
// uniting every pair box finds does, on dense and sparse points.
func TestKDTreeLink(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	var tree kdTree
	for trial := range 40 {
		d := 1 + trial%4
		n := 2 + rng.IntN(2000)
		pts := make([]float64, n*d)
		for i := range pts {
			pts[i] = math.Round(rng.NormFloat64()*8) / 4
		}
		tol := []float64{0, 0.25, 0.3, 1}[trial%4]
		want := newUnionFind(n)
		tree.build(pts, d)
		for q := range n {
			tree.box(pts[q*d:(q+1)*d], tol, func(i int32) { want.union(int32(q), i) })
		}
		got := newUnionFind(n)
		tree.build(pts, d)
		for q := range n {
			tree.link(int32(q), tol, got.find, got.union)
		}
		for i := range n {
			if got.find(int32(i)) != want.find(int32(i)) {
				t.Fatalf("trial %d (n=%d d=%d tol=%v): point %d in component %d, want %d", trial, n, d, tol, i, got.find(int32(i)), want.find(int32(i)))
			}
		}
	}
}
