// Package onlinetest is the conformance suite every online.Store
// implementation runs, with the benchmarks they share and a helper that
// starts a real redis-server for the Redis implementation's tests.
//
// An implementation's test calls Run with a function that opens a new, empty
// store; Run closes the stores it opens.
package onlinetest

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/assayhq/assay/featurestore/online"
)

// Open returns a new, empty store for one subtest.
type Open func(t testing.TB) online.Store

// Run runs the conformance suite against stores made by open.
func Run(t *testing.T, open Open) {
	tests := []struct {
		name string
		fn   func(*testing.T, online.Store)
	}{
		{"RoundTrip", testRoundTrip},
		{"LatestWins", testLatestWins},
		{"CreatedTieBreak", testCreatedTieBreak},
		{"DuplicatesInBatch", testDuplicatesInBatch},
		{"MultipleViews", testMultipleViews},
		{"Missing", testMissing},
		{"TTL", testTTL},
		{"Keys", testKeys},
		{"ConcurrentWriters", testConcurrentWriters},
		{"LargeBatch", testLargeBatch},
		{"Invalid", testInvalid},
		{"Closed", testClosed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := open(t)
			t.Cleanup(func() { s.Close() })
			tt.fn(t, s)
		})
	}
}

// Key returns the entity key of the given name=value pairs; values are
// int, int64 or string. It fails the test on error.
func Key(t testing.TB, pairs ...any) online.EntityKey {
	t.Helper()
	var keys []online.JoinKey
	for i := 0; i+1 < len(pairs); i += 2 {
		jk := online.JoinKey{Name: pairs[i].(string)}
		switch v := pairs[i+1].(type) {
		case int:
			jk.Value = online.Int(int64(v))
		case int64:
			jk.Value = online.Int(v)
		case string:
			jk.Value = online.String(v)
		default:
			t.Fatalf("Key: value %v of type %T", v, v)
		}
		keys = append(keys, jk)
	}
	k, err := online.EncodeKey(keys...)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func write(t testing.TB, s online.Store, view string, features []string, rows ...online.Row) {
	t.Helper()
	if err := s.Write(context.Background(), view, features, rows); err != nil {
		t.Fatalf("Write %s: %v", view, err)
	}
}

func read(t testing.TB, s online.Store, keys []online.EntityKey, refs []online.FeatureRef, opts online.ReadOptions) [][]online.Result {
	t.Helper()
	got, err := s.Read(context.Background(), keys, refs, opts)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	if len(got) != len(keys) {
		t.Fatalf("Read returned %d rows for %d keys", len(got), len(keys))
	}
	for i := range got {
		if len(got[i]) != len(refs) {
			t.Fatalf("Read row %d has %d results for %d refs", i, len(got[i]), len(refs))
		}
	}
	return got
}

func refs(view string, names ...string) []online.FeatureRef {
	r := make([]online.FeatureRef, len(names))
	for i, n := range names {
		r[i] = online.FeatureRef{View: view, Name: n}
	}
	return r
}

// now is the read time of tests that do not test TTLs: far after every
// event time they write.
const now = int64(4_000_000_000_000_000)

func check(t testing.TB, what string, got, want online.Result) {
	t.Helper()
	if got != want {
		t.Errorf("%s: got {%v %v %d}, want {%v %v %d}", what, got.Value, got.Status, got.EventTime, want.Value, want.Status, want.EventTime)
	}
}

func present(v online.Value, event int64) online.Result {
	return online.Result{Value: v, Status: online.Present, EventTime: event}
}

func testRoundTrip(t *testing.T, s online.Store) {
	k := Key(t, "customer_id", 7)
	features := []string{"f_float", "f_int", "f_str", "f_bool", "f_neg", "f_empty", "f_nan"}
	vals := []online.Value{
		online.Float(3.25), online.Int(-42), online.String("héllo\x00world"), online.Bool(true),
		online.Float(math.Inf(-1)), online.String(""), online.Int(math.MinInt64),
	}
	write(t, s, "v", features, online.Row{Key: k, EventTime: 100, CreatedTime: 5, Values: vals})
	// Ask in another order, one feature twice.
	ask := refs("v", "f_bool", "f_str", "f_float", "f_int", "f_bool", "f_neg", "f_empty", "f_nan")
	want := []online.Value{vals[3], vals[2], vals[0], vals[1], vals[3], vals[4], vals[5], vals[6]}
	got := read(t, s, []online.EntityKey{k}, ask, online.ReadOptions{Now: now})
	for i, w := range want {
		check(t, ask[i].String(), got[0][i], present(w, 100))
	}
	if v := got[0][3].Value; v.Kind() != online.KindInt64 || v.Int() != -42 {
		t.Errorf("f_int: got %v of kind %v, want -42 int64", v, v.Kind())
	}
}

func testLatestWins(t *testing.T, s online.Store) {
	a, b := Key(t, "id", 1), Key(t, "id", 2)
	f := []string{"x"}
	// a: newer first, then older; b: older first, then newer.
	write(t, s, "v", f, online.Row{Key: a, EventTime: 200, CreatedTime: 1, Values: []online.Value{online.Int(2)}})
	write(t, s, "v", f, online.Row{Key: a, EventTime: 100, CreatedTime: 9, Values: []online.Value{online.Int(1)}})
	write(t, s, "v", f, online.Row{Key: b, EventTime: 100, CreatedTime: 9, Values: []online.Value{online.Int(1)}})
	write(t, s, "v", f, online.Row{Key: b, EventTime: 200, CreatedTime: 1, Values: []online.Value{online.Int(2)}})
	// Negative event times order before positive ones.
	write(t, s, "v", f, online.Row{Key: b, EventTime: -300, CreatedTime: 99, Values: []online.Value{online.Int(-3)}})
	got := read(t, s, []online.EntityKey{a, b}, refs("v", "x"), online.ReadOptions{Now: now})
	check(t, "a", got[0][0], present(online.Int(2), 200))
	check(t, "b", got[1][0], present(online.Int(2), 200))
	// Writing the same row again is idempotent.
	write(t, s, "v", f, online.Row{Key: a, EventTime: 200, CreatedTime: 1, Values: []online.Value{online.Int(2)}})
	got = read(t, s, []online.EntityKey{a}, refs("v", "x"), online.ReadOptions{Now: now})
	check(t, "a again", got[0][0], present(online.Int(2), 200))
}

func testCreatedTieBreak(t *testing.T, s online.Store) {
	a, b := Key(t, "id", "a"), Key(t, "id", "b")
	f := []string{"x"}
	write(t, s, "v", f, online.Row{Key: a, EventTime: 100, CreatedTime: 20, Values: []online.Value{online.String("late")}})
	write(t, s, "v", f, online.Row{Key: a, EventTime: 100, CreatedTime: 10, Values: []online.Value{online.String("early")}})
	write(t, s, "v", f, online.Row{Key: b, EventTime: 100, CreatedTime: 10, Values: []online.Value{online.String("early")}})
	write(t, s, "v", f, online.Row{Key: b, EventTime: 100, CreatedTime: 20, Values: []online.Value{online.String("late")}})
	// A later event time wins over a later created time.
	write(t, s, "v", f, online.Row{Key: b, EventTime: 99, CreatedTime: 1000, Values: []online.Value{online.String("older")}})
	got := read(t, s, []online.EntityKey{a, b}, refs("v", "x"), online.ReadOptions{Now: now})
	check(t, "a", got[0][0], present(online.String("late"), 100))
	check(t, "b", got[1][0], present(online.String("late"), 100))
	// An exact (event, created) tie replaces: a re-run with corrected
	// values takes effect.
	write(t, s, "v", f, online.Row{Key: a, EventTime: 100, CreatedTime: 20, Values: []online.Value{online.String("fixed")}})
	got = read(t, s, []online.EntityKey{a}, refs("v", "x"), online.ReadOptions{Now: now})
	check(t, "a after tie", got[0][0], present(online.String("fixed"), 100))
}

func testDuplicatesInBatch(t *testing.T, s online.Store) {
	a := Key(t, "id", 1)
	f := []string{"x"}
	row := func(ev, cr, x int64) online.Row {
		return online.Row{Key: a, EventTime: ev, CreatedTime: cr, Values: []online.Value{online.Int(x)}}
	}
	write(t, s, "v", f, row(100, 1, 1), row(300, 1, 3), row(200, 1, 2), row(300, 0, 4), row(50, 9, 5))
	got := read(t, s, []online.EntityKey{a}, refs("v", "x"), online.ReadOptions{Now: now})
	check(t, "x", got[0][0], present(online.Int(3), 300))
}

func testMultipleViews(t *testing.T, s online.Store) {
	k := Key(t, "user", 1)
	other := Key(t, "user", 2)
	write(t, s, "profile", []string{"age", "country"}, online.Row{Key: k, EventTime: 10, Values: []online.Value{online.Int(30), online.String("NL")}})
	write(t, s, "activity", []string{"clicks", "age"}, online.Row{Key: k, EventTime: 20, Values: []online.Value{online.Int(5), online.Float(1.5)}})
	write(t, s, "profile", []string{"age", "country"}, online.Row{Key: other, EventTime: 10, Values: []online.Value{online.Int(40), online.String("DE")}})
	// Rewriting one view leaves the other alone.
	write(t, s, "activity", []string{"clicks", "age"}, online.Row{Key: k, EventTime: 30, Values: []online.Value{online.Int(6), online.Float(2.5)}})
	ask := []online.FeatureRef{ref("activity", "age"), ref("profile", "age"), ref("profile", "country"), ref("activity", "clicks")}
	got := read(t, s, []online.EntityKey{k, other}, ask, online.ReadOptions{Now: now})
	check(t, "k activity:age", got[0][0], present(online.Float(2.5), 30))
	check(t, "k profile:age", got[0][1], present(online.Int(30), 10))
	check(t, "k profile:country", got[0][2], present(online.String("NL"), 10))
	check(t, "k activity:clicks", got[0][3], present(online.Int(6), 30))
	check(t, "other activity:age", got[1][0], online.Result{})
	check(t, "other profile:age", got[1][1], present(online.Int(40), 10))
	check(t, "other activity:clicks", got[1][3], online.Result{})
}

func testMissing(t *testing.T, s online.Store) {
	k := Key(t, "id", 1)
	write(t, s, "v", []string{"a", "b"}, online.Row{Key: k, EventTime: 10, Values: []online.Value{online.Null(), online.Bool(false)}})
	ask := []online.FeatureRef{ref("v", "a"), ref("v", "b"), ref("v", "zzz"), ref("nope", "a")}
	got := read(t, s, []online.EntityKey{k, Key(t, "id", 2)}, ask, online.ReadOptions{Now: now})
	check(t, "null feature", got[0][0], online.Result{EventTime: 10})
	check(t, "false feature", got[0][1], present(online.Bool(false), 10))
	check(t, "feature not in view", got[0][2], online.Result{EventTime: 10})
	check(t, "view not written", got[0][3], online.Result{})
	for i := range ask {
		check(t, fmt.Sprintf("missing entity %s", ask[i]), got[1][i], online.Result{})
	}
	// No keys, no refs.
	if got := read(t, s, nil, ask, online.ReadOptions{Now: now}); len(got) != 0 {
		t.Errorf("Read of no keys: got %d rows", len(got))
	}
	got = read(t, s, []online.EntityKey{k}, nil, online.ReadOptions{Now: now})
	if len(got[0]) != 0 {
		t.Errorf("Read of no refs: got %d results", len(got[0]))
	}
	// An empty write is fine.
	write(t, s, "v", []string{"a"})
}

func testTTL(t *testing.T, s online.Store) {
	const hour = int64(time.Hour / time.Microsecond)
	const t0 = int64(1_700_000_000_000_000)
	edge, stale, fresh := Key(t, "id", 1), Key(t, "id", 2), Key(t, "id", 3)
	f := []string{"x"}
	write(t, s, "short", f,
		online.Row{Key: edge, EventTime: t0 - hour, Values: []online.Value{online.Int(1)}},
		online.Row{Key: stale, EventTime: t0 - hour - 1, Values: []online.Value{online.Int(2)}},
		online.Row{Key: fresh, EventTime: t0 + 5, Values: []online.Value{online.Int(3)}}, // after now
	)
	write(t, s, "forever", f,
		online.Row{Key: stale, EventTime: 1, Values: []online.Value{online.Int(4)}},
		online.Row{Key: edge, EventTime: 1, Values: []online.Value{online.Null()}},
	)
	opts := online.ReadOptions{Now: t0, TTL: map[string]time.Duration{"short": time.Hour, "forever": 0}}
	ask := []online.FeatureRef{ref("short", "x"), ref("forever", "x")}
	got := read(t, s, []online.EntityKey{edge, stale, fresh}, ask, opts)
	check(t, "event = now - ttl", got[0][0], present(online.Int(1), t0-hour))
	check(t, "event = now - ttl - 1µs", got[1][0], online.Result{Value: online.Int(2), Status: online.Expired, EventTime: t0 - hour - 1})
	check(t, "event after now", got[2][0], present(online.Int(3), t0+5))
	check(t, "ttl 0", got[1][1], present(online.Int(4), 1))
	check(t, "null is missing, not expired", got[0][1], online.Result{EventTime: 1})
	// Without a TTL for the view, nothing expires.
	got = read(t, s, []online.EntityKey{stale}, ask, online.ReadOptions{Now: t0})
	check(t, "no ttl", got[0][0], present(online.Int(2), t0-hour-1))
}

func testKeys(t *testing.T, s online.Store) {
	keys := []online.EntityKey{
		Key(t, "id", 1),
		Key(t, "id", "1"),
		Key(t, "id", -1),
		Key(t, "other", 1),
		Key(t, "a", "x", "b", "y"),
		Key(t, "a", "xb", "b", ""),
		Key(t, "a", "x", "b", "y", "c", 0),
		Key(t, "id", ""),
		Key(t, "id", "ü\x00"),
	}
	seen := map[online.EntityKey]int{}
	for i, k := range keys {
		if j, ok := seen[k]; ok {
			t.Fatalf("keys %d (%v) and %d (%v) encode the same", i, k, j, keys[j])
		}
		seen[k] = i
	}
	if a, b := Key(t, "b", "y", "a", "x"), keys[4]; a != b {
		t.Errorf("join key order changes the key: %v != %v", a, b)
	}
	rows := make([]online.Row, len(keys))
	for i, k := range keys {
		rows[i] = online.Row{Key: k, EventTime: 1, Values: []online.Value{online.Int(int64(i))}}
	}
	write(t, s, "v", []string{"i"}, rows...)
	got := read(t, s, keys, refs("v", "i"), online.ReadOptions{Now: now})
	for i, k := range keys {
		check(t, k.String(), got[i][0], present(online.Int(int64(i)), 1))
	}
}

func testConcurrentWriters(t *testing.T, s online.Store) {
	const writers, entities, rounds = 8, 20, 25
	keys := make([]online.EntityKey, entities)
	for i := range keys {
		keys[i] = Key(t, "id", i)
	}
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 1))
			for _, r := range rng.Perm(rounds) {
				rows := make([]online.Row, entities)
				for e := range rows {
					// Event time r, created time w: the winner for every
					// entity is round rounds-1 of writer writers-1.
					rows[e] = online.Row{Key: keys[e], EventTime: int64(r), CreatedTime: int64(w),
						Values: []online.Value{online.Int(int64(r*100 + w))}}
				}
				if err := s.Write(ctx, "v", []string{"x"}, rows); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	got := read(t, s, keys, refs("v", "x"), online.ReadOptions{Now: now})
	want := present(online.Int((rounds-1)*100+writers-1), rounds-1)
	for i := range keys {
		check(t, keys[i].String(), got[i][0], want)
	}
}

func testLargeBatch(t *testing.T, s online.Store) {
	const n = 20000
	features := []string{"a", "b", "c", "d"}
	rows := make([]online.Row, n)
	keys := make([]online.EntityKey, n)
	for i := range rows {
		keys[i] = Key(t, "id", i, "shard", fmt.Sprintf("s%d", i%7))
		rows[i] = online.Row{Key: keys[i], EventTime: int64(i), CreatedTime: 1, Values: []online.Value{
			online.Int(int64(i)), online.Float(float64(i) / 2), online.String(fmt.Sprint(i)), online.Bool(i%2 == 0),
		}}
	}
	write(t, s, "big", features, rows...)
	got := read(t, s, keys, refs("big", "d", "c", "b", "a"), online.ReadOptions{Now: now})
	for i := range keys {
		want := []online.Value{online.Bool(i%2 == 0), online.String(fmt.Sprint(i)), online.Float(float64(i) / 2), online.Int(int64(i))}
		for j, w := range want {
			if got[i][j] != present(w, int64(i)) {
				t.Fatalf("row %d feature %d: got %v %v, want %v present", i, j, got[i][j].Value, got[i][j].Status, w)
			}
		}
	}
}

func testInvalid(t *testing.T, s online.Store) {
	ctx := context.Background()
	k := Key(t, "id", 1)
	cases := []struct {
		name string
		err  error
	}{
		{"values mismatch", s.Write(ctx, "v", []string{"a", "b"}, []online.Row{{Key: k, Values: []online.Value{online.Int(1)}}})},
		{"zero key", s.Write(ctx, "v", []string{"a"}, []online.Row{{Values: []online.Value{online.Int(1)}}})},
		{"empty view", s.Write(ctx, "", []string{"a"}, []online.Row{{Key: k, Values: []online.Value{online.Int(1)}}})},
		{"duplicate feature", s.Write(ctx, "v", []string{"a", "a"}, []online.Row{{Key: k, Values: []online.Value{online.Int(1), online.Int(2)}}})},
		{"empty feature", s.Write(ctx, "v", []string{""}, []online.Row{{Key: k, Values: []online.Value{online.Int(1)}}})},
	}
	for _, c := range cases {
		if !errors.Is(c.err, online.ErrInvalid) {
			t.Errorf("Write with %s: got %v, want ErrInvalid", c.name, c.err)
		}
	}
	if _, err := s.Read(ctx, []online.EntityKey{{}}, refs("v", "a"), online.ReadOptions{}); !errors.Is(err, online.ErrInvalid) {
		t.Errorf("Read of zero key: got %v, want ErrInvalid", err)
	}
	if _, err := s.Read(ctx, []online.EntityKey{k}, refs("v", ""), online.ReadOptions{}); !errors.Is(err, online.ErrInvalid) {
		t.Errorf("Read of empty feature name: got %v, want ErrInvalid", err)
	}
	// Nothing invalid was stored.
	got := read(t, s, []online.EntityKey{k}, refs("v", "a"), online.ReadOptions{Now: now})
	check(t, "after invalid writes", got[0][0], online.Result{})
	// A cancelled context stops a read.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := s.Read(cctx, []online.EntityKey{k}, refs("v", "a"), online.ReadOptions{}); !errors.Is(err, context.Canceled) {
		t.Errorf("Read with cancelled context: got %v, want context.Canceled", err)
	}
}

func testClosed(t *testing.T, s online.Store) {
	k := Key(t, "id", 1)
	write(t, s, "v", []string{"a"}, online.Row{Key: k, Values: []online.Value{online.Int(1)}})
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if _, err := s.Read(context.Background(), []online.EntityKey{k}, refs("v", "a"), online.ReadOptions{}); !errors.Is(err, online.ErrClosed) {
		t.Errorf("Read after Close: got %v, want ErrClosed", err)
	}
	if err := s.Write(context.Background(), "v", []string{"a"}, []online.Row{{Key: k, Values: []online.Value{online.Int(2)}}}); !errors.Is(err, online.ErrClosed) {
		t.Errorf("Write after Close: got %v, want ErrClosed", err)
	}
}

func ref(view, name string) online.FeatureRef { return online.FeatureRef{View: view, Name: name} }
