package conflicts_test

import (
	"context"
	"math"
	"slices"
	"testing"
	"unicode/utf8"

	"github.com/assayhq/assay/labels/conflicts"
)

// fuzzInput turns bytes into columns, labels and options: four bytes a
// row (a number from a set of awkward ones, a text value from a set of
// awkward ones, a label code, a second number), the first byte also
// choosing the options.
func fuzzInput(data []byte) ([]conflicts.Column, conflicts.Labels, conflicts.Options, conflicts.NearOptions) {
	nums := []any{0.0, math.Copysign(0, -1), 0.5, 1.0, 1.5, math.NaN(), math.Inf(1), math.Inf(-1), nil, math.MaxFloat64, -math.MaxFloat64, 1e-300}
	texts := []any{"", " ", "a", "A", " a ", "K", "\u212a", "ǅ", "ǆ", "\xff", "\xfe", "é", "e\u0301", nil, "ß", "SS"}
	var opts conflicts.Options
	near := conflicts.NearOptions{K: 1}
	if len(data) > 0 {
		b := data[0]
		opts.CaseFold = b&1 != 0
		opts.FloatTolerance = []float64{0, 0.5, 1.0 / 3, 2}[b>>1&3]
		near.CaseFold = opts.CaseFold
		near.K = int(b >> 3 & 3)
		near.Radius = []float64{0, 0.5, 2, 0}[b>>5&3]
		if near.K == 0 && near.Radius == 0 {
			near.K = 1
		}
	}
	n := min(len(data)/4, 80)
	x, y := make([]any, n), make([]any, n)
	s := make([]any, n)
	codes := make([]int, n)
	for i := range n {
		r := data[4*i : 4*i+4]
		x[i] = nums[int(r[0])%len(nums)]
		s[i] = texts[int(r[1])%len(texts)]
		codes[i] = int(r[2])%4 - 1
		y[i] = float64(r[3]) / 7
	}
	return []conflicts.Column{num("x", x...), txt("s", s...), num("y", y...)},
		conflicts.Labels{Codes: codes, Classes: []string{"a", "b", "c"}}, opts, near
}

// FuzzConflicts: no input panics; groups are well formed; Exact agrees
// with the reference on valid UTF-8.
func FuzzConflicts(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{0, 1, 0, 1, 0, 1, 1, 1})
	f.Add([]byte{3, 5, 1, 9, 5, 5, 2, 9, 5, 6, 1, 9})
	f.Add([]byte("\x0b\x08\x02\x00\x09\x08\x01\x00\x0a\x09\x03\x00\x02\x0c\x00\x07"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cols, labels, opts, nearOpts := fuzzInput(data)
		res, err := conflicts.Exact(cols, labels, opts)
		if err != nil {
			t.Fatal(err)
		}
		checkGroups(t, res, labels, true)
		valid := true
		for _, v := range cols[1].Str {
			valid = valid && utf8.ValidString(v)
		}
		if valid {
			compareResults(t, res, refExact(cols, labels, opts))
		}
		for _, s := range []conflicts.Search{conflicts.SearchExact, conflicts.SearchLSH} {
			nearOpts.Search = s
			nr, err := conflicts.Near(context.Background(), cols, labels, nearOpts)
			if err != nil {
				t.Fatal(err)
			}
			checkGroups(t, nr, labels, false)
			if nr.Recall < 0 || nr.Recall > 1 {
				t.Fatalf("recall %v", nr.Recall)
			}
		}
	})
}

// checkGroups checks what every result must satisfy.
func checkGroups(t *testing.T, res *conflicts.Result, labels conflicts.Labels, disjoint bool) {
	t.Helper()
	seen := map[int]bool{}
	for _, g := range res.Groups {
		if len(g.Rows) < 2 || !slices.IsSorted(g.Rows) || len(g.Distribution) < 2 {
			t.Fatalf("group %+v: want two or more rows, ascending, two or more labels", g)
		}
		total := 0
		for _, lc := range g.Distribution {
			total += lc.Rows
		}
		if total != len(g.Rows) || g.Suggested != g.Distribution[0].Label || g.Score <= 0 || g.Score >= 1 {
			t.Fatalf("group %+v: distribution, suggestion or score", g)
		}
		for _, r := range g.Rows {
			if labels.Codes[r] < 0 {
				t.Fatalf("group %+v holds row %d, which has no label", g, r)
			}
			if disjoint && seen[r] {
				t.Fatalf("row %d is in two groups", r)
			}
			seen[r] = true
		}
		if g.Kind == conflicts.KindNear && !slices.Contains(g.Rows, g.Anchor) {
			t.Fatalf("group %+v: the anchor is not a row of it", g)
		}
	}
	if len(seen) != res.ConflictingRows {
		t.Fatalf("%d rows in groups, %d conflicting rows reported", len(seen), res.ConflictingRows)
	}
}
