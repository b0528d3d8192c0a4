package pit

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"slices"
	"testing"
)

// refJoin is the naive O(n·m) reference: for every entity row and view it
// scans all view rows.
func refJoin(ents Entities, views []View) [][]int32 {
	out := make([][]int32, len(views))
	for vi := range views {
		v := &views[vi]
		match := make([]int32, len(ents.Time))
		for i := range match {
			match[i] = -1
			if ents.TimeValid != nil && !ents.TimeValid[i] {
				continue
			}
			t := ents.Time[i]
			best := -1
			for r := range v.Time {
				if v.TimeValid != nil && !v.TimeValid[r] {
					continue
				}
				if !refKeysEqual(ents.Keys, i, v.Keys, r) {
					continue
				}
				ft := v.Time[r]
				if ft > t {
					continue
				}
				// Exact arithmetic: t − ft > TTL, without overflow.
				if v.TTL > 0 && new(big.Int).Sub(big.NewInt(t), big.NewInt(ft)).Cmp(big.NewInt(v.TTL)) > 0 {
					continue
				}
				if best < 0 || ft > v.Time[best] ||
					(ft == v.Time[best] && (v.Created == nil || v.Created[r] >= v.Created[best])) {
					best = r
				}
			}
			match[i] = int32(best)
		}
		out[vi] = match
	}
	return out
}

func refKeysEqual(ek []KeyColumn, i int, vk []KeyColumn, r int) bool {
	for k := range vk {
		v := &vk[k]
		var e *KeyColumn
		for x := range ek {
			if ek[x].Name == v.Name {
				e = &ek[x]
			}
		}
		if (e.Valid != nil && !e.Valid[i]) || (v.Valid != nil && !v.Valid[r]) {
			return false
		}
		if v.Str != nil {
			if e.Str[i] != v.Str[r] {
				return false
			}
		} else if e.Int[i] != v.Int[r] {
			return false
		}
	}
	return true
}

// gen makes random inputs with many collisions: few keys, few distinct
// times, few created values, some nulls.
type gen struct {
	r     *rand.Rand
	keys  int     // distinct values per key column
	times int64   // times are in [base, base+times)
	base  int64   // time offset
	nulls float64 // null share
}

func (g *gen) keyCol(name string, str bool, n int) KeyColumn {
	c := KeyColumn{Name: name}
	if str {
		c.Str = make([]string, n)
	} else {
		c.Int = make([]int64, n)
	}
	if g.nulls > 0 && g.r.IntN(2) == 0 {
		c.Valid = make([]bool, n)
	}
	for i := 0; i < n; i++ {
		k := g.r.IntN(g.keys)
		if str {
			c.Str[i] = fmt.Sprintf("k%d", k)
		} else {
			c.Int[i] = int64(k) - int64(g.keys/2)
		}
		if c.Valid != nil {
			c.Valid[i] = g.r.Float64() >= g.nulls
		}
	}
	return c
}

func (g *gen) times64(n int) []int64 {
	t := make([]int64, n)
	for i := range t {
		t[i] = g.base + g.r.Int64N(g.times)
	}
	return t
}

func (g *gen) valid(n int) []bool {
	if g.nulls == 0 || g.r.IntN(2) == 0 {
		return nil
	}
	v := make([]bool, n)
	for i := range v {
		v[i] = g.r.Float64() >= g.nulls
	}
	return v
}

// entityCols are the entity key columns the generator uses: name and
// whether it is a string column.
var entityCols = []struct {
	name string
	str  bool
}{{"a", false}, {"b", true}, {"c", false}}

func (g *gen) entities(n int) Entities {
	e := Entities{Time: g.times64(n), TimeValid: g.valid(n)}
	for _, c := range entityCols {
		e.Keys = append(e.Keys, g.keyCol(c.name, c.str, n))
	}
	// Duplicate some entity rows exactly.
	for i := 1; i < n; i++ {
		if g.r.IntN(8) == 0 {
			j := g.r.IntN(i)
			e.Time[i] = e.Time[j]
			if e.TimeValid != nil {
				e.TimeValid[i] = e.TimeValid[j]
			}
			for k := range e.Keys {
				c := &e.Keys[k]
				if c.Str != nil {
					c.Str[i] = c.Str[j]
				} else {
					c.Int[i] = c.Int[j]
				}
				if c.Valid != nil {
					c.Valid[i] = c.Valid[j]
				}
			}
		}
	}
	return e
}

func (g *gen) view(name string, m int) View {
	v := View{Name: name, Time: g.times64(m), TimeValid: g.valid(m)}
	// A random subset of the entity key columns, in random order.
	perm := g.r.Perm(len(entityCols))
	nk := g.r.IntN(len(entityCols) + 1)
	if g.r.IntN(4) != 0 {
		nk = max(nk, 1) // keyless views are rare
	}
	for _, p := range perm[:nk] {
		v.Keys = append(v.Keys, g.keyCol(entityCols[p].name, entityCols[p].str, m))
	}
	if g.r.IntN(2) == 0 {
		v.Created = make([]int64, m)
		for i := range v.Created {
			v.Created[i] = g.r.Int64N(3)
		}
	}
	if g.r.IntN(2) == 0 {
		v.TTL = 1 + g.r.Int64N(g.times/2+1)
	}
	f := Feature{Name: "f", Float: make([]float64, m)}
	for i := range f.Float {
		f.Float[i] = float64(i)
	}
	v.Features = []Feature{f}
	return v
}

func checkAgainstRef(t *testing.T, ents Entities, views []View, workers int) {
	t.Helper()
	res, err := Join(context.Background(), ents, views, Options{Workers: workers})
	if err != nil {
		t.Fatalf("Join: %v", err)
	}
	want := refJoin(ents, views)
	for vi := range views {
		got := res.Views[vi].Match
		if !slices.Equal(got, want[vi]) {
			for i := range got {
				if got[i] != want[vi][i] {
					t.Fatalf("view %d (%d keys, ttl %d, created %v) entity row %d: got match %d, want %d",
						vi, len(views[vi].Keys), views[vi].TTL, views[vi].Created != nil, i, got[i], want[vi][i])
				}
			}
		}
	}
}

func TestJoinRandom(t *testing.T) {
	for seed := range 300 {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			r := rand.New(rand.NewPCG(uint64(seed), 7))
			g := &gen{
				r:     r,
				keys:  1 + r.IntN(6),
				times: 1 + r.Int64N(12),
				base:  []int64{0, -5, math.MinInt64, math.MaxInt64 - 20}[r.IntN(4)],
				nulls: []float64{0, 0.1, 0.3}[r.IntN(3)],
			}
			ents := g.entities(r.IntN(40))
			views := []View{g.view("v1", r.IntN(60)), g.view("v2", r.IntN(60))}
			checkAgainstRef(t, ents, views, 1+r.IntN(3))
		})
	}
}

// TestJoinRandomMedium uses sizes that give several partitions and several
// scatter chunks.
func TestJoinRandomMedium(t *testing.T) {
	sizes := []struct{ n, m, keys int }{
		{3000, 20000, 500},
		{20000, 3000, 50},
		{70000, 80000, 5000},
	}
	for seed := range 6 {
		for _, s := range sizes {
			t.Run(fmt.Sprintf("%d/%dx%d", seed, s.n, s.m), func(t *testing.T) {
				if testing.Short() && s.n*s.m > 1e8 {
					t.Skip("large")
				}
				r := rand.New(rand.NewPCG(uint64(seed), 11))
				g := &gen{r: r, keys: s.keys, times: 200, nulls: 0.05}
				ents := g.entities(s.n)
				views := []View{g.view("v1", s.m), g.view("v2", s.m)}
				checkAgainstRefSparse(t, ents, views, 1+seed%3)
			})
		}
	}
}

// checkAgainstRefSparse compares with a reference that indexes the view
// rows by key first, so medium sizes stay quick; per key it is the same
// scan as refJoin.
func checkAgainstRefSparse(t *testing.T, ents Entities, views []View, workers int) {
	t.Helper()
	res, err := Join(context.Background(), ents, views, Options{Workers: workers})
	if err != nil {
		t.Fatalf("Join: %v", err)
	}
	for vi := range views {
		v := views[vi]
		byKey := map[string][]int{}
		keyOf := func(cols []KeyColumn, names []string, i int) (string, bool) {
			s := ""
			for _, name := range names {
				for k := range cols {
					c := &cols[k]
					if c.Name != name {
						continue
					}
					if c.Valid != nil && !c.Valid[i] {
						return "", false
					}
					if c.Str != nil {
						s += "s" + c.Str[i] + "\x00"
					} else {
						s += fmt.Sprintf("i%d\x00", c.Int[i])
					}
				}
			}
			return s, true
		}
		var names []string
		for _, k := range v.Keys {
			names = append(names, k.Name)
		}
		for r := range v.Time {
			if k, ok := keyOf(v.Keys, names, r); ok {
				byKey[k] = append(byKey[k], r)
			}
		}
		for i := range ents.Time {
			want := int32(-1)
			k, ok := keyOf(ents.Keys, names, i)
			if ok && (ents.TimeValid == nil || ents.TimeValid[i]) {
				sub := subset(v, byKey[k])
				one := Entities{Time: []int64{ents.Time[i]}}
				sub.Keys = nil
				if m := refJoin(one, []View{sub})[0][0]; m >= 0 {
					want = int32(byKey[k][m])
				}
			}
			if got := res.Views[vi].Match[i]; got != want {
				t.Fatalf("view %d entity row %d: got match %d, want %d", vi, i, got, want)
			}
		}
	}
}

// subset is view v restricted to rows, without keys or features.
func subset(v View, rows []int) View {
	s := View{Name: v.Name, TTL: v.TTL, Time: make([]int64, len(rows))}
	if v.TimeValid != nil {
		s.TimeValid = make([]bool, len(rows))
	}
	if v.Created != nil {
		s.Created = make([]int64, len(rows))
	}
	for k, r := range rows {
		s.Time[k] = v.Time[r]
		if s.TimeValid != nil {
			s.TimeValid[k] = v.TimeValid[r]
		}
		if s.Created != nil {
			s.Created[k] = v.Created[r]
		}
	}
	return s
}

func ints(v ...int64) []int64 { return v }

// TestJoinScenarios are Feast-style cases with outputs written by hand.
func TestJoinScenarios(t *testing.T) {
	driver := func(ids ...int64) []KeyColumn { return []KeyColumn{{Name: "driver_id", Int: ids}} }
	tests := []struct {
		name string
		ents Entities
		view View
		want []int32
	}{
		{
			name: "latest at or before t wins",
			ents: Entities{Keys: driver(1, 1, 1, 2), Time: ints(5, 10, 15, 10)},
			view: View{Keys: driver(1, 1, 1, 2), Time: ints(10, 3, 12, 11)},
			want: []int32{1, 0, 2, -1},
		},
		{
			name: "TTL bounds are inclusive",
			// t=20, TTL=10: a row at 10 is in, at 9 is out; at 20 is in, 21 out.
			ents: Entities{Keys: driver(1, 2, 3, 4), Time: ints(20, 20, 20, 20)},
			view: View{Keys: driver(1, 2, 3, 4), Time: ints(10, 9, 20, 21), TTL: 10},
			want: []int32{0, -1, 2, -1},
		},
		{
			name: "expired latest row is not replaced by an older one",
			ents: Entities{Keys: driver(1), Time: ints(100)},
			view: View{Keys: driver(1, 1), Time: ints(50, 80), TTL: 10},
			want: []int32{-1},
		},
		{
			name: "TTL 0 is forever",
			ents: Entities{Keys: driver(1), Time: ints(math.MaxInt64)},
			view: View{Keys: driver(1), Time: ints(math.MinInt64)},
			want: []int32{0},
		},
		{
			name: "TTL across the whole int64 range",
			ents: Entities{Keys: driver(1, 2), Time: ints(math.MaxInt64, math.MaxInt64)},
			view: View{Keys: driver(1, 2), Time: ints(-1, 0), TTL: math.MaxInt64},
			want: []int32{-1, 1},
		},
		{
			name: "tie on feature time goes to the latest created",
			ents: Entities{Keys: driver(1), Time: ints(10)},
			view: View{Keys: driver(1, 1, 1), Time: ints(7, 7, 7), Created: ints(3, 9, 5)},
			want: []int32{1},
		},
		{
			name: "a remaining tie goes to the later input row",
			ents: Entities{Keys: driver(1), Time: ints(10)},
			view: View{Keys: driver(1, 1, 1), Time: ints(7, 7, 7), Created: ints(9, 9, 5)},
			want: []int32{1},
		},
		{
			name: "without created, the later input row wins a tie",
			ents: Entities{Keys: driver(1), Time: ints(10)},
			view: View{Keys: driver(1, 1, 1), Time: ints(7, 7, 2)},
			want: []int32{1},
		},
		{
			name: "created does not beat a later feature time",
			ents: Entities{Keys: driver(1), Time: ints(10)},
			view: View{Keys: driver(1, 1), Time: ints(8, 7), Created: ints(1, 100)},
			want: []int32{0},
		},
		{
			name: "no match keeps the row; duplicates stay",
			ents: Entities{Keys: driver(9, 1, 1, 9), Time: ints(10, 10, 10, 10)},
			view: View{Keys: driver(1), Time: ints(10)},
			want: []int32{-1, 0, 0, -1},
		},
		{
			name: "null keys and null times never match",
			ents: Entities{
				Keys:      []KeyColumn{{Name: "driver_id", Int: ints(1, 1, 2), Valid: []bool{false, true, true}}},
				Time:      ints(10, 10, 10),
				TimeValid: []bool{true, false, true},
			},
			view: View{
				Keys:      []KeyColumn{{Name: "driver_id", Int: ints(1, 2, 2), Valid: []bool{true, false, true}}},
				Time:      ints(1, 1, 1),
				TimeValid: []bool{true, true, false},
			},
			want: []int32{-1, -1, -1},
		},
		{
			name: "string and multi-column keys",
			ents: Entities{
				Keys: []KeyColumn{
					{Name: "city", Str: []string{"oslo", "oslo", "rome"}},
					{Name: "shop", Int: ints(1, 2, 1)},
				},
				Time: ints(10, 10, 10),
			},
			view: View{
				Keys: []KeyColumn{
					{Name: "shop", Int: ints(1, 1, 2, 3)},
					{Name: "city", Str: []string{"oslo", "rome", "oslo", "rome"}},
				},
				Time: ints(1, 2, 3, 4),
			},
			want: []int32{0, 2, 1},
		},
		{
			name: "a view without keys joins on time alone",
			ents: Entities{Keys: driver(1, 2), Time: ints(5, 15)},
			view: View{Time: ints(10, 1)},
			want: []int32{1, 0},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.view.Name = "v"
			res, err := Join(context.Background(), tt.ents, []View{tt.view}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if got := res.Views[0].Match; !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
			if ref := refJoin(tt.ents, []View{tt.view})[0]; !slices.Equal(ref, tt.want) {
				t.Errorf("reference: got %v, want %v", ref, tt.want)
			}
		})
	}
}

// TestJoinTwoViews joins views on different keys in one call, as a
// training set with driver and customer features does.
func TestJoinTwoViews(t *testing.T) {
	ents := Entities{
		Keys: []KeyColumn{
			{Name: "driver_id", Int: ints(1001, 1002, 1001)},
			{Name: "customer_id", Str: []string{"c1", "c2", "c2"}},
		},
		Time: ints(100, 100, 200),
	}
	drivers := View{
		Name:     "driver_stats",
		Keys:     []KeyColumn{{Name: "driver_id", Int: ints(1001, 1001, 1002)}},
		Time:     ints(90, 150, 120),
		TTL:      60,
		Features: []Feature{{Name: "conv_rate", Float: []float64{0.1, 0.2, 0.3}}},
	}
	customers := View{
		Name:     "customer_profile",
		Keys:     []KeyColumn{{Name: "customer_id", Str: []string{"c2", "c1"}}},
		Time:     ints(100, 101),
		Features: []Feature{{Name: "tier", Str: []string{"gold", "silver"}}},
	}
	res, err := Join(context.Background(), ents, []View{drivers, customers}, Options{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := res.View("driver_stats").Match, []int32{0, -1, 1}; !slices.Equal(got, want) {
		t.Errorf("driver_stats: got %v, want %v", got, want)
	}
	if got, want := res.View("customer_profile").Match, []int32{-1, 0, 0}; !slices.Equal(got, want) {
		t.Errorf("customer_profile: got %v, want %v", got, want)
	}
	conv, err := Gather(drivers.Features[0], res.Views[0].Match)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(conv.Float, []float64{0.1, 0, 0.2}) || !slices.Equal(conv.Valid, []bool{true, false, true}) {
		t.Errorf("gathered conv_rate: got %v %v", conv.Float, conv.Valid)
	}
	tier, err := Gather(customers.Features[0], res.Views[1].Match)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(tier.Str, []string{"", "gold", "gold"}) || !slices.Equal(tier.Valid, []bool{false, true, true}) {
		t.Errorf("gathered tier: got %q %v", tier.Str, tier.Valid)
	}
}

func TestGather(t *testing.T) {
	f := Feature{Name: "x", Int: ints(10, 20, 30), Valid: []bool{true, false, true}}
	got, err := Gather(f, []int32{2, -1, 1, 0, 2})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.Int, []int64{30, 0, 0, 10, 30}) || !slices.Equal(got.Valid, []bool{true, false, false, true, true}) {
		t.Errorf("got %v %v", got.Int, got.Valid)
	}
	if _, err := Gather(f, []int32{3}); !errors.Is(err, ErrInvalid) {
		t.Errorf("match out of range: got %v, want ErrInvalid", err)
	}
	b, err := Gather(Feature{Name: "b", Bool: []bool{true}}, []int32{0, -1})
	if err != nil || !slices.Equal(b.Bool, []bool{true, false}) || !slices.Equal(b.Valid, []bool{true, false}) {
		t.Errorf("bool: got %v %v %v", b.Bool, b.Valid, err)
	}
}

func TestJoinErrors(t *testing.T) {
	ents := Entities{Keys: []KeyColumn{{Name: "id", Int: ints(1, 2)}}, Time: ints(1, 2)}
	tests := []struct {
		name string
		ents Entities
		view View
		opts Options
		want error
	}{
		{"missing key", ents, View{Keys: []KeyColumn{{Name: "other", Int: ints(1)}}, Time: ints(1)}, Options{}, ErrKey},
		{"key type", ents, View{Keys: []KeyColumn{{Name: "id", Str: []string{"1"}}}, Time: ints(1)}, Options{}, ErrKey},
		{"key twice", ents, View{Keys: []KeyColumn{{Name: "id", Int: ints(1)}, {Name: "id", Int: ints(1)}}, Time: ints(1)}, Options{}, ErrKey},
		{"key length", ents, View{Keys: []KeyColumn{{Name: "id", Int: ints(1, 2)}}, Time: ints(1)}, Options{}, ErrInvalid},
		{"negative TTL", ents, View{Keys: []KeyColumn{{Name: "id", Int: ints(1)}}, Time: ints(1), TTL: -1}, Options{}, ErrInvalid},
		{"created length", ents, View{Keys: []KeyColumn{{Name: "id", Int: ints(1)}}, Time: ints(1), Created: []int64{}}, Options{}, ErrInvalid},
		{"feature length", ents, View{Keys: []KeyColumn{{Name: "id", Int: ints(1)}}, Time: ints(1), Features: []Feature{{Name: "f", Float: []float64{}}}}, Options{}, ErrInvalid},
		{"feature two types", ents, View{Keys: []KeyColumn{{Name: "id", Int: ints(1)}}, Time: ints(1), Features: []Feature{{Name: "f", Float: []float64{1}, Int: ints(1)}}}, Options{}, ErrInvalid},
		{"entity time validity", Entities{Time: ints(1), TimeValid: []bool{}}, View{}, Options{}, ErrInvalid},
		{"both typed slices", Entities{Keys: []KeyColumn{{Name: "id", Int: ints(1), Str: []string{"a"}}}, Time: ints(1)}, View{}, Options{}, ErrInvalid},
		{"workers", ents, View{}, Options{Workers: -1}, ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Join(context.Background(), tt.ents, []View{tt.view}, tt.opts)
			if !errors.Is(err, tt.want) {
				t.Errorf("got %v, want %v", err, tt.want)
			}
		})
	}
}

func TestJoinCanceled(t *testing.T) {
	g := &gen{r: rand.New(rand.NewPCG(1, 1)), keys: 100, times: 100}
	ents := g.entities(100000)
	views := []View{g.view("v", 100000)}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Join(ctx, ents, views, Options{Workers: 2}); !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
}
