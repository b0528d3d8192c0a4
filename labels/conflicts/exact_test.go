package conflicts_test

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/assayhq/assay/labels/conflicts"
)

// num makes a numeric column; nil is null.
func num(name string, vals ...any) conflicts.Column {
	c := conflicts.Numeric(name, make([]float64, len(vals)), make([]bool, len(vals)))
	for i, v := range vals {
		switch x := v.(type) {
		case nil:
		case int:
			c.Num[i], c.Valid[i] = float64(x), true
		case float64:
			c.Num[i], c.Valid[i] = x, true
		default:
			panic(fmt.Sprintf("num: %T", v))
		}
	}
	return c
}

// txt makes a text column; nil is null.
func txt(name string, vals ...any) conflicts.Column {
	c := conflicts.Text(name, make([]string, len(vals)), make([]bool, len(vals)))
	for i, v := range vals {
		if v != nil {
			c.Str[i], c.Valid[i] = v.(string), true
		}
	}
	return c
}

// labelsOf encodes label names; "" is a missing label. Classes are the
// names in order of first appearance unless given.
func labelsOf(names ...string) conflicts.Labels {
	l := conflicts.Labels{}
	for _, s := range names {
		code := -1
		if s != "" {
			code = -1
			for k, c := range l.Classes {
				if c == s {
					code = k
				}
			}
			if code < 0 {
				l.Classes = append(l.Classes, s)
				code = len(l.Classes) - 1
			}
		}
		l.Codes = append(l.Codes, code)
	}
	return l
}

// wantGroup is a group as a test states it: rows, and the suggested
// label by name.
type wantGroup struct {
	rows      []int
	suggested string
}

func TestExactCases(t *testing.T) {
	tests := []struct {
		name     string
		cols     []conflicts.Column
		labels   conflicts.Labels
		opts     conflicts.Options
		want     []wantGroup
		agreeing int
	}{
		{
			name:   "whitespace is trimmed, case kept",
			cols:   []conflicts.Column{txt("city", " Paris", "Paris\t", "paris", "PARIS ")},
			labels: labelsOf("a", "b", "a", "b"),
			want:   []wantGroup{{[]int{0, 1}, "a"}},
		},
		{
			name:   "case folded",
			cols:   []conflicts.Column{txt("city", " Paris", "Paris\t", "paris", "PARIS ")},
			labels: labelsOf("a", "b", "a", "b"),
			opts:   conflicts.Options{CaseFold: true},
			want:   []wantGroup{{[]int{0, 1, 2, 3}, "a"}},
		},
		{
			name:   "simple folding: Kelvin sign, long s; not ß and ss",
			cols:   []conflicts.Column{txt("w", "kiss", "\u212aiſſ", "KISS", "Straße", "STRASSE")},
			labels: labelsOf("x", "y", "y", "x", "y"),
			opts:   conflicts.Options{CaseFold: true},
			want:   []wantGroup{{[]int{0, 1, 2}, "y"}},
		},
		{
			name:   "unicode case without folding differs",
			cols:   []conflicts.Column{txt("w", "Ärger", "ärger", "Ärger")},
			labels: labelsOf("x", "y", "y"),
			want:   []wantGroup{{[]int{0, 2}, "y"}},
		},
		{
			name: "nulls equal nulls only",
			cols: []conflicts.Column{
				num("x", nil, nil, 0, 0, nil),
				txt("s", nil, nil, "", "", ""),
			},
			labels: labelsOf("a", "b", "a", "b", "a"),
			want:   []wantGroup{{[]int{0, 1}, "a"}, {[]int{2, 3}, "a"}},
		},
		{
			name:   "zero and minus zero, NaN and NaN, infinities",
			cols:   []conflicts.Column{num("x", 0.0, math.Copysign(0, -1), math.NaN(), math.NaN(), math.Inf(1), math.Inf(1), math.Inf(-1))},
			labels: labelsOf("a", "b", "a", "b", "a", "b", "a"),
			want:   []wantGroup{{[]int{0, 1}, "a"}, {[]int{2, 3}, "a"}, {[]int{4, 5}, "a"}},
		},
		{
			name: "missing labels are ignored",
			cols: []conflicts.Column{txt("s", "p", "p", "q", "q", "q", "r", "r")},
			// p: one label missing, no conflict left; q: the missing one
			// drops out of a conflict of two; r: missing both.
			labels:   labelsOf("a", "", "a", "", "b", "", ""),
			want:     []wantGroup{{[]int{2, 4}, "a"}},
			agreeing: 0,
		},
		{
			name:     "agreeing duplicates are counted",
			cols:     []conflicts.Column{num("x", 1, 1, 2, 2, 2, 3)},
			labels:   labelsOf("a", "a", "b", "b", "a", "a"),
			want:     []wantGroup{{[]int{2, 3, 4}, "b"}},
			agreeing: 1,
		},
		{
			name:   "three-way conflict; tie to the most frequent label overall",
			cols:   []conflicts.Column{num("x", 1, 1, 1, 2, 3)},
			labels: labelsOf("a", "b", "c", "c", "b"),
			// b and c both occur twice overall: the smaller code, b (1).
			want: []wantGroup{{[]int{0, 1, 2}, "b"}},
		},
		{
			name:   "tie in a group goes to the label most frequent overall",
			cols:   []conflicts.Column{num("x", 1, 1, 1, 1, 2, 3)},
			labels: labelsOf("a", "b", "a", "b", "b", "c"),
			want:   []wantGroup{{[]int{0, 1, 2, 3}, "b"}},
		},
		{
			name:   "tie overall too: the smallest code",
			cols:   []conflicts.Column{num("x", 1, 1)},
			labels: conflicts.Labels{Codes: []int{1, 0}, Classes: []string{"no", "yes"}},
			want:   []wantGroup{{[]int{0, 1}, "no"}},
		},
		{
			name:   "tolerance: the bound is inclusive",
			cols:   []conflicts.Column{num("x", 1.0, 1.5, 10.0, math.Nextafter(10.5, 11), 20.0, 20.25)},
			labels: labelsOf("a", "b", "a", "b", "a", "b"),
			opts:   conflicts.Options{FloatTolerance: 0.5},
			want:   []wantGroup{{[]int{0, 1}, "a"}, {[]int{4, 5}, "a"}},
		},
		{
			name:   "tolerance: matches chain",
			cols:   []conflicts.Column{num("x", 1.0, 1.5, 2.0, 2.5, 3.5)},
			labels: labelsOf("a", "a", "b", "b", "b"),
			opts:   conflicts.Options{FloatTolerance: 0.5},
			want:   []wantGroup{{[]int{0, 1, 2, 3}, "b"}},
		},
		{
			name: "tolerance: every numeric feature within, text equal",
			cols: []conflicts.Column{
				num("x", 1.0, 1.1, 1.0, 1.1, 1.0),
				num("y", 5.0, 5.1, 5.0, 5.9, 5.0),
				txt("s", "u", "u", "v", "u", "u"),
			},
			labels: labelsOf("a", "b", "b", "b", "a"),
			opts:   conflicts.Options{FloatTolerance: 0.2},
			want:   []wantGroup{{[]int{0, 1, 4}, "a"}},
		},
		{
			name:   "tolerance: nulls and non-finite numbers only match themselves",
			cols:   []conflicts.Column{num("x", nil, 0.0, math.Inf(1), 1e308, math.NaN(), math.NaN(), nil)},
			labels: labelsOf("a", "b", "a", "b", "a", "b", "b"),
			opts:   conflicts.Options{FloatTolerance: 1},
			// b is the more frequent label (4 of 7): it wins the ties.
			want: []wantGroup{{[]int{0, 6}, "b"}, {[]int{4, 5}, "b"}},
		},
		{
			name:   "no features: every labelled row is one group",
			cols:   nil,
			labels: labelsOf("a", "b", "", "a"),
			want:   []wantGroup{{[]int{0, 1, 3}, "a"}},
		},
		{
			name:   "no rows",
			cols:   []conflicts.Column{num("x")},
			labels: conflicts.Labels{Classes: []string{"a"}},
		},
	}
	for _, tt := range tests {
		for _, w := range []int{1, 3} {
			t.Run(fmt.Sprintf("%s/workers=%d", tt.name, w), func(t *testing.T) {
				opts := tt.opts
				opts.Workers = w
				res, err := conflicts.Exact(tt.cols, tt.labels, opts)
				if err != nil {
					t.Fatal(err)
				}
				var got []wantGroup
				for _, g := range res.Groups {
					got = append(got, wantGroup{g.Rows, tt.labels.Classes[g.Suggested]})
					if g.Kind != conflicts.KindExact || g.Anchor != -1 || g.Distance != 0 {
						t.Errorf("group %v: kind %q anchor %d distance %v, want exact, -1, 0", g.Rows, g.Kind, g.Anchor, g.Distance)
					}
				}
				if !reflect.DeepEqual(got, tt.want) {
					t.Errorf("got groups %v, want %v", got, tt.want)
				}
				if res.AgreeingGroups != tt.agreeing {
					t.Errorf("got %d agreeing groups, want %d", res.AgreeingGroups, tt.agreeing)
				}
				rows := 0
				for _, g := range tt.want {
					rows += len(g.rows)
				}
				if res.ConflictingRows != rows {
					t.Errorf("got %d conflicting rows, want %d", res.ConflictingRows, rows)
				}
				ref := refExact(tt.cols, tt.labels, opts)
				compareResults(t, res, ref)
			})
		}
	}
}

// TestExactDistribution: the distribution, suggestion and score of a
// group, and the order of the review queue.
func TestExactDistribution(t *testing.T) {
	cols := []conflicts.Column{num("x", 1, 1, 1, 1, 2, 2, 3, 3, 3, 3, 3, 3)}
	// x=1: a a b c (score 0.5); x=2: a b (0.5, smaller); x=3: b×5 c (1/6).
	labels := labelsOf("a", "a", "b", "c", "a", "b", "b", "b", "b", "b", "b", "c")
	res, err := conflicts.Exact(cols, labels, conflicts.Options{})
	if err != nil {
		t.Fatal(err)
	}
	five, six := 5.0, 6.0 // the score is computed in float64, not as a constant
	want := []conflicts.Group{
		{Kind: conflicts.KindExact, Rows: []int{0, 1, 2, 3}, Anchor: -1, Suggested: 0, Score: 0.5,
			Distribution: []conflicts.LabelCount{{Label: 0, Rows: 2}, {Label: 1, Rows: 1}, {Label: 2, Rows: 1}}},
		{Kind: conflicts.KindExact, Rows: []int{4, 5}, Anchor: -1, Suggested: 1, Score: 0.5,
			Distribution: []conflicts.LabelCount{{Label: 1, Rows: 1}, {Label: 0, Rows: 1}}},
		{Kind: conflicts.KindExact, Rows: []int{6, 7, 8, 9, 10, 11}, Anchor: -1, Suggested: 1, Score: 1 - five/six,
			Distribution: []conflicts.LabelCount{{Label: 1, Rows: 5}, {Label: 2, Rows: 1}}},
	}
	if !reflect.DeepEqual(res.Groups, want) {
		t.Errorf("got\n%+v\nwant\n%+v", res.Groups, want)
	}
	if res.LabelledRows != 12 || res.ConflictingRows != 12 || res.AgreeingGroups != 0 {
		t.Errorf("got %d labelled, %d conflicting rows, %d agreeing groups; want 12, 12, 0", res.LabelledRows, res.ConflictingRows, res.AgreeingGroups)
	}
}

func TestExactInvalid(t *testing.T) {
	good := []conflicts.Column{num("x", 1, 2)}
	tests := []struct {
		name   string
		cols   []conflicts.Column
		labels conflicts.Labels
		opts   conflicts.Options
		want   string
	}{
		{"short column", []conflicts.Column{num("x", 1)}, labelsOf("a", "b"), conflicts.Options{}, `column "x" has 1 values, the labels 2`},
		{"short validity", []conflicts.Column{{Name: "x", Numeric: true, Num: []float64{1, 2}, Valid: []bool{true}}}, labelsOf("a", "b"), conflicts.Options{}, "validity"},
		{"mixed column", []conflicts.Column{{Name: "x", Numeric: true, Num: []float64{1, 2}, Str: []string{"a", "b"}}}, labelsOf("a", "b"), conflicts.Options{}, "numeric but holds text"},
		{"code too large", good, conflicts.Labels{Codes: []int{0, 2}, Classes: []string{"a", "b"}}, conflicts.Options{}, "row 1 has label code 2"},
		{"code below -1", good, conflicts.Labels{Codes: []int{-2, 0}, Classes: []string{"a"}}, conflicts.Options{}, "row 0 has label code -2"},
		{"negative tolerance", good, labelsOf("a", "b"), conflicts.Options{FloatTolerance: -1}, "float tolerance -1"},
		{"NaN tolerance", good, labelsOf("a", "b"), conflicts.Options{FloatTolerance: math.NaN()}, "float tolerance NaN"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := conflicts.Exact(tt.cols, tt.labels, tt.opts)
			if !errors.Is(err, conflicts.ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got error %v, want ErrInvalid with %q", err, tt.want)
			}
		})
	}
}

// randomData makes n rows of small-domain columns so that duplicates,
// near-duplicates and conflicts are common: two numeric columns (one with
// values on a grid of 0.25, so that tolerance bounds are hit exactly),
// two text columns with case and white-space variants, nulls, NaN, -0.
func randomData(rng *rand.Rand, n int) ([]conflicts.Column, conflicts.Labels) {
	grid := []any{0.0, 0.25, 0.5, 0.75, 1.0, 1.25, nil, math.Copysign(0, -1), math.NaN(), math.Inf(1)}
	coarse := []any{1, 2, 3, 1e9, nil}
	words := []any{"a", "A", " a", "b ", "B", "ä", "Ä", "", nil, "straße", "STRASSE"}
	x, y := make([]any, n), make([]any, n)
	s, u := make([]any, n), make([]any, n)
	names := make([]string, n)
	for i := range n {
		x[i] = grid[rng.IntN(len(grid))]
		y[i] = coarse[rng.IntN(len(coarse))]
		s[i] = words[rng.IntN(len(words))]
		u[i] = words[rng.IntN(3)]
		switch k := rng.IntN(10); {
		case k == 0:
			names[i] = ""
		default:
			names[i] = string(rune('p' + k%3))
		}
	}
	return []conflicts.Column{num("x", x...), num("y", y...), txt("s", s...), txt("u", u...)}, labelsOf(names...)
}

// TestExactRandom compares Exact with the O(n²) reference on random
// small inputs, with and without folding and tolerance.
func TestExactRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 300 {
		n := 1 + rng.IntN(120)
		cols, labels := randomData(rng, n)
		opts := conflicts.Options{CaseFold: trial%2 == 0, Workers: 1 + trial%3}
		switch trial % 3 {
		case 1:
			opts.FloatTolerance = 0.25
		case 2:
			opts.FloatTolerance = 0.3
		}
		got, err := conflicts.Exact(cols, labels, opts)
		if err != nil {
			t.Fatal(err)
		}
		want := refExact(cols, labels, opts)
		t.Run(fmt.Sprintf("trial %d n=%d %+v", trial, n, opts), func(t *testing.T) {
			compareResults(t, got, want)
		})
	}
}

// TestExactLarge crosses the partitioning thresholds (more than 4,096
// labelled rows) and compares with the reference on a sample of rows
// that the groups are checked against.
func TestExactLarge(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const n = 30_000
	cols, labels := randomData(rng, n)
	// A unique-ish third numeric column so that most rows are distinct.
	z := make([]any, n)
	for i := range z {
		z[i] = float64(rng.IntN(n / 4))
	}
	cols = append(cols, num("z", z...))
	for _, tol := range []float64{0, 0.25} {
		opts := conflicts.Options{CaseFold: true, FloatTolerance: tol}
		res, err := conflicts.Exact(cols, labels, opts)
		if err != nil {
			t.Fatal(err)
		}
		single, err := conflicts.Exact(cols, labels, conflicts.Options{CaseFold: true, FloatTolerance: tol, Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(res, single) {
			t.Fatalf("tolerance %v: results differ with 1 worker", tol)
		}
		// Every group is connected and labelled with two labels, and no
		// row outside it matches a row inside (checked for the first
		// groups).
		inGroup := map[int]int{}
		for gi, g := range res.Groups {
			for _, r := range g.Rows {
				if _, dup := inGroup[r]; dup {
					t.Fatalf("row %d is in two groups", r)
				}
				inGroup[r] = gi
			}
		}
		for gi, g := range res.Groups[:min(20, len(res.Groups))] {
			for r := range n {
				if labels.Codes[r] < 0 {
					continue
				}
				if refMatch(cols, g.Rows[0], r, opts) {
					if k, ok := inGroup[r]; !ok || k != gi {
						t.Fatalf("tolerance %v: row %d matches row %d of group %d but is not in it", tol, r, g.Rows[0], gi)
					}
				}
			}
		}
		if len(res.Groups) == 0 || res.AgreeingGroups == 0 {
			t.Errorf("tolerance %v: %d groups, %d agreeing: the data should have both", tol, len(res.Groups), res.AgreeingGroups)
		}
	}
}

// compareResults compares a result with the reference's.
func compareResults(t *testing.T, got, want *conflicts.Result) {
	t.Helper()
	if got.LabelledRows != want.LabelledRows || got.ConflictingRows != want.ConflictingRows ||
		got.AgreeingGroups != want.AgreeingGroups || got.AgreeingRows != want.AgreeingRows {
		t.Errorf("got labelled %d conflicting %d agreeing %d/%d rows, want %d %d %d/%d",
			got.LabelledRows, got.ConflictingRows, got.AgreeingGroups, got.AgreeingRows,
			want.LabelledRows, want.ConflictingRows, want.AgreeingGroups, want.AgreeingRows)
	}
	if len(got.Groups) != len(want.Groups) {
		t.Fatalf("got %d groups, want %d:\n got %v\nwant %v", len(got.Groups), len(want.Groups), rowsOf(got.Groups), rowsOf(want.Groups))
	}
	for i := range got.Groups {
		if !reflect.DeepEqual(got.Groups[i], want.Groups[i]) {
			t.Errorf("group %d:\n got %+v\nwant %+v", i, got.Groups[i], want.Groups[i])
		}
	}
}

func rowsOf(groups []conflicts.Group) [][]int {
	var out [][]int
	for _, g := range groups {
		out = append(out, g.Rows)
	}
	return out
}

// TestExactToleranceSearch: buckets of many distinct rows (numbers only,
// continuous values) go through the k-d tree; compared with the reference.
func TestExactToleranceSearch(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for trial := range 20 {
		n := 200 + rng.IntN(400)
		dims := 1 + trial%4
		var cols []conflicts.Column
		for d := range dims {
			vals := make([]any, n)
			for i := range vals {
				switch {
				case rng.IntN(50) == 0:
					vals[i] = nil
				case d == 0:
					vals[i] = math.Round(rng.Float64()*40) / 8 // on a grid: bounds hit exactly
				default:
					vals[i] = rng.NormFloat64()
				}
			}
			cols = append(cols, num(fmt.Sprintf("x%d", d), vals...))
		}
		names := make([]string, n)
		for i := range names {
			names[i] = string(rune('a' + rng.IntN(3)))
		}
		labels := labelsOf(names...)
		for _, tol := range []float64{0.125, 0.3} {
			opts := conflicts.Options{FloatTolerance: tol, Workers: 2}
			got, err := conflicts.Exact(cols, labels, opts)
			if err != nil {
				t.Fatal(err)
			}
			t.Run(fmt.Sprintf("trial %d dims %d tol %v", trial, dims, tol), func(t *testing.T) {
				compareResults(t, got, refExact(cols, labels, opts))
			})
		}
	}
}
