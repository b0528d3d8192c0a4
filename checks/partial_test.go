package checks_test

// Tests of sharded runs: each row group scanned alone into a Partial,
// encoded, decoded under another plan compiled from the same rules,
// merged in row-group order (one by one, as a tree, from the last), and
// finished into the run that Plan.Run gives, byte for byte.

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/assayhq/assay/checks"
	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/dataset/datagen"
)

var shardNow = time.Date(2026, 11, 2, 12, 0, 0, 0, time.UTC)

// splitFiles writes the columns as files of perFile rows (the last
// shorter) and row groups of rg rows into a new directory, and returns
// it.
func splitFiles(t testing.TB, perFile int, rg int64, cols ...col) string {
	t.Helper()
	dir := t.TempDir()
	n := len(cols[0].vals)
	for f, from := 0, 0; from < n; f, from = f+1, from+perFile {
		to := min(from+perFile, n)
		part := make([]col, len(cols))
		for i, c := range cols {
			part[i] = col{c.name, c.typ, c.vals[from:to]}
		}
		writeData(t, filepath.Join(dir, fmt.Sprintf("part-%02d.parquet", f)), rg, part...)
	}
	return dir
}

// runJSON renders a run as WriteJSON does, the elapsed time zeroed.
func runJSON(t testing.TB, run *checks.Run) string {
	t.Helper()
	r := *run
	r.Elapsed = 0
	var b bytes.Buffer
	if err := checks.WriteJSON(&b, &r); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// merge strategies of shardedRun.
const (
	mergeFold = "fold" // one by one, in row-group order
	mergeTree = "tree" // halves merged, each re-encoded, then joined
	mergeLast = "last" // from the last row group back to the first
)

// shardedRun runs the rules as a sharded run would: one worker plan scans
// every shard at once, each alone; a combiner plan decodes the partials
// and merges them; a launcher plan finishes. The plans are compiled
// separately, as on different machines.
func shardedRun(t testing.TB, src *dataset.Source, rules string, env checks.Env, strategy string) *checks.Run {
	t.Helper()
	ctx := context.Background()
	worker := compileRules(t, src, rules, env)
	combiner := compileRules(t, src, rules, env)
	launcher := compileRules(t, src, rules, env)
	sc, err := src.Scanner(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer sc.Close()
	shards := sc.Shards()
	encoded := make([][]byte, len(shards))
	errs := make([]error, len(shards))
	var wg sync.WaitGroup
	for i, sh := range shards {
		wg.Go(func() {
			q, err := worker.Scan(ctx, sc, func(rg dataset.RowGroup) bool { return rg.Index == sh.Index })
			if err == nil {
				if first, end := q.RowGroups(); first != sh.Index || end != sh.Index+1 {
					err = fmt.Errorf("shard %d: partial of row groups [%d, %d)", sh.Index, first, end)
				}
			}
			if err == nil {
				encoded[i], err = q.MarshalBinary()
			}
			errs[i] = err
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	decode := func(b []byte) *checks.Partial {
		t.Helper()
		q, err := combiner.DecodePartial(b)
		if err != nil {
			t.Fatal(err)
		}
		return q
	}
	encode := func(q *checks.Partial) []byte {
		t.Helper()
		b, err := q.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	merge := func(q, o *checks.Partial) {
		t.Helper()
		if err := q.Merge(o); err != nil {
			t.Fatal(err)
		}
	}
	var all *checks.Partial
	switch {
	case len(shards) == 0:
		all, err = worker.Scan(ctx, sc, nil)
		if err != nil {
			t.Fatal(err)
		}
		all = decode(encode(all))
	case strategy == mergeFold:
		all = decode(encoded[0])
		for _, b := range encoded[1:] {
			merge(all, decode(b))
		}
	case strategy == mergeTree:
		var tree func(lo, hi int) []byte
		tree = func(lo, hi int) []byte {
			if hi-lo == 1 {
				return encoded[lo]
			}
			mid := (lo + hi) / 2
			q := decode(tree(lo, mid))
			merge(q, decode(tree(mid, hi)))
			return encode(q)
		}
		all = decode(tree(0, len(shards)))
	case strategy == mergeLast:
		tail := encoded[len(encoded)-1]
		for i := len(encoded) - 2; i >= 0; i-- {
			q := decode(encoded[i])
			merge(q, decode(tail))
			tail = encode(q)
		}
		all = decode(tail)
	default:
		t.Fatalf("strategy %q", strategy)
	}
	run, err := launcher.Finish(ctx, src, all)
	if err != nil {
		t.Fatal(err)
	}
	return run
}

// checkSharded compares the local run of the rules with sharded runs
// merged every way, and returns the local run.
func checkSharded(t *testing.T, src *dataset.Source, rules string, env checks.Env, minShards, minFailing int) *checks.Run {
	t.Helper()
	if env.Now.IsZero() {
		env.Now = shardNow
	}
	sc, err := src.Scanner(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	shards := sc.Shards()
	files := map[int]bool{}
	for _, sh := range shards {
		files[sh.File] = true
	}
	sc.Close()
	if len(shards) < minShards {
		t.Fatalf("%d shards, want at least %d", len(shards), minShards)
	}
	local, err := compileRules(t, src, rules, env).Run(t.Context(), src, checks.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	failing := 0
	for _, r := range local.Results {
		if r.Status == checks.StatusFail || r.Status == checks.StatusWarn {
			failing++
		}
	}
	if failing < minFailing {
		t.Fatalf("only %d of %d checks fail: the data tests too little", failing, len(local.Results))
	}
	want := runJSON(t, local)
	for _, strategy := range []string{mergeFold, mergeTree, mergeLast} {
		got := runJSON(t, shardedRun(t, src, rules, env, strategy))
		if got != want {
			t.Errorf("%d shards in %d files, merged %s: the sharded run differs from the local one:\n%s", len(shards), len(files), strategy, firstDiff(got, want))
		}
	}
	return local
}

// firstDiff shows the first differing line of two texts, with context.
func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range max(len(g), len(w)) {
		var a, b string
		if i < len(g) {
			a = g[i]
		}
		if i < len(w) {
			b = w[i]
		}
		if a != b {
			from := max(0, i-6)
			return fmt.Sprintf("line %d\ncontext:\n%s\n got: %s\nwant: %s", i+1, strings.Join(w[from:i], "\n"), a, b)
		}
	}
	return "(equal)"
}

// mixedCols is invariance-style data: nulls, duplicates (also across
// files), ordered columns broken here and there, groups, times, floats
// with NaN.
func mixedCols(n int) []col {
	var id, grp, amt, tag, seen, seq, when, flag, name []any
	segments := []string{"consumer", "business", "student", "senior"}
	for i := range n {
		id = append(id, int64(i+1))
		if i%997 == 0 || i == n-1 {
			id[i] = int64(i / 2) // repeated ids, the last one's in the first file
		}
		grp = append(grp, segments[(i*i+3*i)%len(segments)])
		switch {
		case i%13 == 0:
			amt = append(amt, nil)
		case i%211 == 0:
			amt = append(amt, math.NaN())
		default:
			amt = append(amt, float64((i*7919)%1000)/10-5)
		}
		if i%17 == 0 {
			tag = append(tag, nil)
		} else {
			tag = append(tag, fmt.Sprintf("%c%03d", 'a'+i%5, i%300))
		}
		if i%11 == 0 {
			seen = append(seen, nil)
		} else {
			seen = append(seen, int64(i%250))
		}
		v := int64(i / 3)
		if i%401 == 400 || i == 999 || i == 1000 {
			v = 0 // breaks the order (also at a row group's first row)
		}
		seq = append(seq, v)
		when = append(when, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i)*time.Minute))
		flag = append(flag, i%3 != 0)
		name = append(name, fmt.Sprintf("n%05d", i-i%7+(i%7)*(i%2)))
	}
	return []col{icol("id", id...), scol("grp", grp...), fcol("amt", amt...), scol("tag", tag...), icol("seen", seen...),
		icol("seq", seq...), tscol("when", when...), bcol("flag", flag...), scol("name", name...)}
}

var mixedRules = invarianceRules + strings.TrimPrefix(rulesOf(
	"increasing: {column: name, strict: true}",
	"increasing: amt\nnulls: fail",
	"decreasing: seq\ngroup_by: grp",
	"unique: [id, grp]\nwhere: 'flag'",
	"unique: name\nnulls: fail",
	"metric: 'sum(amt) > 0 && variance(amt) > 1 && min(amt) < 0 && max(seq) > 10 && count(tag) > 10 && nulls(tag) < 1000'",
	"metric: 'median(amt) > 0 && quantile(seen, 0.25) > 1 && distinct(seen) > 10'\ngroup_by: [grp, flag]",
	"metric: 'null_fraction(amt) < 0.01 && row_count > 10 && unique_fraction(name) > 0.9'",
	"null_fraction: {column: amt, max: 0.01}",
	"null_fraction: {column: seen, max: 0.05}\nwhere: 'flag'",
	"row_count: {max: 100}\nwhere: 'amt > 90'",
	"label_conflicts: {label: flag, features: [grp, seen], case_fold: true}",
	"label_conflicts: {label: grp, features: [seen, amt], float_tolerance: 0.5}\ngroup_by: flag\nmax_fail_fraction: 0.5",
), "checks:\n")

func TestShardedMixed(t *testing.T) {
	dir := splitFiles(t, 1700, 333, mixedCols(5000)...)
	src := open(t, nil, dir)
	checkSharded(t, src, mixedRules, checks.Env{}, 15, 20)
	// Few samples, key columns shown with them.
	checkSharded(t, src, mixedRules, checks.Env{Samples: 3, Keys: []string{"id", "when"}}, 15, 20)
}

// TestShardedRowGroupEdges: row groups of one row, and of a few, where
// every boundary is a shard boundary.
func TestShardedRowGroupEdges(t *testing.T) {
	for _, rg := range []int64{1, 7} {
		dir := splitFiles(t, 40, rg, mixedCols(100)...)
		checkSharded(t, open(t, nil, dir), mixedRules, checks.Env{}, 10, 10)
	}
}

// TestShardedUniqueRuns: integer key runs that overlap across shards
// (and a hashed value inside a run) make Finish recount by hashing.
func TestShardedUniqueRuns(t *testing.T) {
	seq := func(from, to int) []any {
		var out []any
		for i := from; i <= to; i++ {
			out = append(out, int64(i))
		}
		return out
	}
	rules := rulesOf("unique: id", "metric: 'distinct(id) > 0 && unique_fraction(id) == 1'", "increasing: {column: id, strict: true}")
	for _, ids := range [][]any{
		append(append(seq(1, 4), seq(5, 8)...), int64(2), int64(9), int64(10), int64(11)),
		append(seq(1, 4), seq(4, 7)...),
		append(seq(1, 8), int64(20), int64(3), int64(21), int64(22)),
		seq(1, 40),
	} {
		dir := splitFiles(t, 8, 4, icol("id", ids...))
		checkSharded(t, open(t, nil, dir), rules, checks.Env{}, 2, 0)
	}
}

// TestShardedOrdersRepo: the orders rule file (every kind of check) on a
// repository version of several files, with a reference dataset and a
// previous version for schema, change and anomaly rules.
func TestShardedOrdersRepo(t *testing.T) {
	customers := data(t, icol("id", seqAny(1, 50)...))
	v1 := splitFiles(t, 1500, 0, ordersCols(1500, 1)...)
	v2 := splitFiles(t, 1100, 250, ordersCols(3000, 2)...)
	repo := repoWith(t, "customers", []string{customers}, nil)
	for i, dir := range []string{v1, v2} {
		if _, err := repo.Commit(t.Context(), dataset.CommitOptions{Name: "orders", Paths: []string{dir}, Message: "v", Author: "test",
			Time: shardNow.Add(time.Duration(i-2) * time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	rules, err := os.ReadFile("testdata/rules/orders.yaml")
	if err != nil {
		t.Fatal(err)
	}
	src := open(t, repo, "orders")
	run := checkSharded(t, src, string(rules), checks.Env{Repo: repo}, 12, 10)
	kinds := map[checks.Kind]bool{}
	for _, r := range run.Results {
		if r.Status != checks.StatusNotEvaluated {
			kinds[r.Kind] = true
		}
	}
	for _, k := range []checks.Kind{checks.KindUnique, checks.KindIncreasing, checks.KindDecreasing, checks.KindLabelConflicts,
		checks.KindReference, checks.KindMetric, checks.KindFreshness, checks.KindChange, checks.KindSchema} {
		if !kinds[k] {
			t.Errorf("no %s check evaluated", k)
		}
	}
}

func seqAny(from, to int) []any {
	var out []any
	for i := from; i <= to; i++ {
		out = append(out, int64(i))
	}
	return out
}

// ordersCols makes n orders with the columns testdata/rules/orders.yaml
// reads, and something for most of its checks to find.
func ordersCols(n int, seed uint64) []col {
	r := rand.New(rand.NewPCG(seed, 7))
	statuses := []string{"placed", "paid", "shipped", "delivered", "returned", "Paid"}
	countries := []string{"DE", "FR", "US", "XX", "GBR", "de"}
	domains := []string{"mail.org", "example.com", "corp.net", "nowhere"}
	base := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	var orderID, customerID, placedAt, amount, status, coupon, country, discount, email, note, stock, placedOn, shippedAt, paid []any
	for i := range n {
		id := int64(i + 1)
		if i%301 == 300 {
			id -= 5
		}
		orderID = append(orderID, id)
		if i%97 == 0 {
			customerID = append(customerID, nil)
		} else {
			customerID = append(customerID, int64(r.IntN(60)+1))
		}
		at := base.Add(time.Duration(i) * 17 * time.Minute)
		if i%173 == 0 {
			at = at.Add(-time.Duration(r.IntN(4000)) * time.Minute)
		}
		if i%89 == 0 {
			placedAt = append(placedAt, nil)
		} else {
			placedAt = append(placedAt, at)
		}
		amt := float64(r.IntN(50))*10 - 20
		if i%251 == 0 {
			amount = append(amount, math.NaN())
		} else {
			amount = append(amount, amt)
		}
		st := statuses[r.IntN(len(statuses))]
		status = append(status, st)
		if r.IntN(10) < 6 {
			coupon = append(coupon, nil)
		} else {
			coupon = append(coupon, "SAVE"+strconv.Itoa(r.IntN(3)*10))
		}
		country = append(country, countries[r.IntN(len(countries))])
		if r.IntN(4) == 0 {
			discount = append(discount, nil)
		} else {
			discount = append(discount, r.Float64())
		}
		d := domains[r.IntN(len(domains))]
		if d == "nowhere" {
			email = append(email, fmt.Sprintf("user%d", i))
		} else {
			email = append(email, fmt.Sprintf("user%d@%s", i, d))
		}
		note = append(note, strings.Repeat("n", r.IntN(520)))
		s := int64(3*n - 3*i)
		if i%157 == 0 {
			s += 3
		}
		stock = append(stock, s)
		if i%61 == 0 {
			placedOn = append(placedOn, "2026-13-01")
		} else {
			placedOn = append(placedOn, at.Format("2006-01-02"))
		}
		switch {
		case st != "shipped" && st != "delivered":
			shippedAt = append(shippedAt, nil)
		case i%7 == 0:
			shippedAt = append(shippedAt, at.Add(-time.Hour))
		default:
			shippedAt = append(shippedAt, at.Add(30*time.Hour))
		}
		switch {
		case i%23 == 0:
			paid = append(paid, nil)
		case i%19 == 0:
			paid = append(paid, amt+5)
		default:
			paid = append(paid, amt)
		}
	}
	return []col{icol("order_id", orderID...), icol("customer_id", customerID...), tscol("placed_at", placedAt...), fcol("amount", amount...),
		scol("status", status...), scol("coupon", coupon...), scol("country", country...), fcol("discount", discount...),
		scol("email", email...), scol("note", note...), icol("stock_left", stock...), scol("placed_on", placedOn...),
		tscol("shipped_at", shippedAt...), fcol("paid", paid...)}
}

// TestShardedTelcoChurn: the telco-churn rule file on the real data,
// written as three files of small row groups.
func TestShardedTelcoChurn(t *testing.T) {
	f, err := os.Open(filepath.Join("..", "dataset", "csvconv", "testdata", "telco-churn", "Telco-Customer-Churn.csv"))
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	head, recs := recs[0], recs[1:]
	var cols []col
	for j, h := range head {
		var c col
		switch h {
		case "SeniorCitizen", "tenure":
			c = icol(h)
		case "MonthlyCharges", "TotalCharges":
			c = fcol(h)
		default:
			c = scol(h)
		}
		for _, r := range recs {
			v := strings.TrimSpace(r[j])
			switch {
			case v == "":
				c.vals = append(c.vals, nil)
			case c.typ == icol("").typ:
				n, err := strconv.ParseInt(v, 10, 64)
				if err != nil {
					t.Fatal(err)
				}
				c.vals = append(c.vals, n)
			case c.typ == fcol("").typ:
				x, err := strconv.ParseFloat(v, 64)
				if err != nil {
					t.Fatal(err)
				}
				c.vals = append(c.vals, x)
			default:
				c.vals = append(c.vals, v)
			}
		}
		cols = append(cols, c)
	}
	rules, err := os.ReadFile("testdata/rules/telco-churn.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dir := splitFiles(t, 2500, 600, cols...)
	checkSharded(t, open(t, nil, dir), string(rules)+rulesOf("label_conflicts: Churn", "unique: [gender, tenure, Contract]")[len("checks:\n"):], checks.Env{}, 12, 3)
}

// TestShardedBench: the benchmark's 20 checks on generated data of two
// files (ids repeat across them).
func TestShardedBench(t *testing.T) {
	dir := t.TempDir()
	for i, rows := range []int64{30_000, 9_000} {
		f, err := os.Create(filepath.Join(dir, fmt.Sprintf("c%d.parquet", i)))
		if err != nil {
			t.Fatal(err)
		}
		if err := datagen.Write(t.Context(), f, datagen.Options{Rows: rows, RowGroupRows: 4096, Seed: uint64(i + 1)}); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	rules, err := os.ReadFile("testdata/bench/customers.yaml")
	if err != nil {
		t.Fatal(err)
	}
	extra := rulesOf("metric: 'quantile(income, 0.99) > 0 && median(score) > 0 && distinct(segment) == 8 && stddev(age) > 1'",
		"metric: 'mean(income) > 0 && quantile(score, 0.1) < 1'\ngroup_by: segment",
		"increasing: signup_ts")
	checkSharded(t, open(t, nil, dir), string(rules)+extra[len("checks:\n"):], checks.Env{}, 10, 2)
}

// TestShardedLargeQuantiles: past profile.QuantileExactCap values the
// quantile sketches are KLL sketches from the first row on; their states
// travel and merge exactly.
func TestShardedLargeQuantiles(t *testing.T) {
	if testing.Short() {
		t.Skip("1.2M rows")
	}
	path := filepath.Join(t.TempDir(), "big.parquet")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := datagen.Write(t.Context(), f, datagen.Options{Rows: 1_200_000, RowGroupRows: 1 << 18}); err != nil {
		t.Fatal(err)
	}
	f.Close()
	rules := rulesOf("metric: 'quantile(income, 0.9) < 0 && median(score) > 0 && mean(income) > 0 && stddev(score) > 0'",
		"metric: 'quantile(age, 0.5) > 0'\ngroup_by: segment",
		"unique: id")
	checkSharded(t, open(t, nil, path), rules, checks.Env{}, 5, 1)
}

// TestShardedLabelConflicts: conflicts whose rows fall in different
// shards and files, labels of every type, group_by and where.
func TestShardedLabelConflicts(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	var contract, tenure, charges, segment, churn, ilabel, flabel, blabel []any
	contracts := []string{"Month", " month", "Year", "YEAR ", "Two"}
	for i := range 900 {
		contract = append(contract, contracts[r.IntN(len(contracts))])
		tenure = append(tenure, int64(r.IntN(6)))
		charges = append(charges, float64(r.IntN(8))+r.Float64()/100)
		segment = append(segment, []string{"a", "b", "c"}[i%3])
		switch x := r.IntN(9); {
		case x == 0:
			churn = append(churn, nil)
			flabel = append(flabel, math.NaN())
			blabel = append(blabel, nil)
		default:
			churn = append(churn, []string{"Yes", "No"}[x%2])
			flabel = append(flabel, float64(x%3)/2)
			blabel = append(blabel, x%2 == 0)
		}
		ilabel = append(ilabel, int64(r.IntN(3)))
	}
	dir := splitFiles(t, 400, 90, scol("contract", contract...), icol("tenure", tenure...), fcol("charges", charges...),
		scol("segment", segment...), scol("churn", churn...), icol("ilabel", ilabel...), fcol("flabel", flabel...), bcol("blabel", blabel...))
	rules := rulesOf(
		"label_conflicts: {label: churn, features: [contract, tenure]}",
		"label_conflicts: {label: churn, features: [contract, tenure, charges], case_fold: true, float_tolerance: 0.5}",
		"label_conflicts: {label: churn, features: [contract, tenure], case_fold: true}\ngroup_by: segment",
		"label_conflicts: {label: ilabel, features: [contract, tenure]}\nwhere: 'segment != \"c\"'",
		"label_conflicts: {label: flabel, features: [tenure, charges], float_tolerance: 0.01}",
		"label_conflicts: {label: blabel, features: [contract, segment]}",
		"label_conflicts: churn",
	)
	checkSharded(t, open(t, nil, dir), rules, checks.Env{}, 10, 5)
	checkSharded(t, open(t, nil, dir), rules, checks.Env{Samples: -1}, 10, 5)
}

// TestShardedEmpty: a source without rows.
func TestShardedEmpty(t *testing.T) {
	path := data(t, icol("id"), fcol("x"))
	rules := rulesOf("unique: id", "metric: 'mean(x) > 0'", "row_count: {min: 1}", "increasing: id", "label_conflicts: {label: id, features: [x]}")
	checkSharded(t, open(t, nil, path), rules, checks.Env{}, 0, 2)
}

// shardPartials scans every shard of src alone with p.
func shardPartials(t *testing.T, p *checks.Plan, sc *dataset.Scanner) []*checks.Partial {
	t.Helper()
	var out []*checks.Partial
	for _, sh := range sc.Shards() {
		q, err := p.Scan(t.Context(), sc, func(rg dataset.RowGroup) bool { return rg.Index == sh.Index })
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, q)
	}
	return out
}

// TestPartialMisuse: partials merge only when adjacent and of the same
// plan and source; only a whole partial finishes; a scan needs the whole
// source's scanner and consecutive row groups.
func TestPartialMisuse(t *testing.T) {
	ctx := t.Context()
	dir := splitFiles(t, 60, 20, mixedCols(120)...)
	src := open(t, nil, dir)
	p := compileRules(t, src, mixedRules, checks.Env{Now: shardNow})
	sc, err := src.Scanner(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer sc.Close()
	qs := shardPartials(t, p, sc)
	if len(qs) != 6 {
		t.Fatalf("%d shards, want 6", len(qs))
	}
	if err := qs[0].Merge(qs[2]); err == nil {
		t.Error("merged row group 2 into row group 0")
	}
	if err := qs[1].Merge(qs[0]); err == nil {
		t.Error("merged row group 0 after row group 1")
	}
	if _, err := p.Finish(ctx, src, qs[0]); err == nil {
		t.Error("finished the partial of one row group of six")
	}
	// The failed attempts left the partials whole.
	for _, q := range qs[1:] {
		if err := qs[0].Merge(q); err != nil {
			t.Fatal(err)
		}
	}
	if err := qs[0].Merge(qs[1]); err == nil {
		t.Error("merged a partial twice")
	}
	if first, end := qs[0].RowGroups(); first != 0 || end != 6 {
		t.Errorf("merged partial covers [%d, %d), want [0, 6)", first, end)
	}
	// A partial of another source or plan.
	other := splitFiles(t, 60, 20, mixedCols(121)...)
	osrc := open(t, nil, other)
	if _, err := p.Finish(ctx, osrc, qs[0]); err == nil {
		t.Error("finished a partial with another source")
	}
	b := func() []byte {
		q, err := p.Scan(ctx, sc, func(rg dataset.RowGroup) bool { return rg.Index == 1 })
		if err != nil {
			t.Fatal(err)
		}
		b, err := q.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		return b
	}()
	p2 := compileRules(t, src, mixedRules, checks.Env{Now: shardNow, Samples: 5})
	if _, err := p2.DecodePartial(b); !errors.Is(err, checks.ErrBadPartial) {
		t.Errorf("decoded a partial under a plan keeping other samples: %v", err)
	}
	p3 := compileRules(t, src, strings.Replace(mixedRules, "max: 90", "max: 91", 1), checks.Env{Now: shardNow})
	if _, err := p3.DecodePartial(b); !errors.Is(err, checks.ErrBadPartial) {
		t.Errorf("decoded a partial under a plan with another bound: %v", err)
	}
	q1, err := p.DecodePartial(b)
	if err != nil {
		t.Fatal(err)
	}
	if first, end := q1.RowGroups(); first != 1 || end != 2 {
		t.Errorf("decoded partial covers [%d, %d), want [1, 2)", first, end)
	}
	// Every truncation is an error.
	for n := range len(b) {
		if _, err := p.DecodePartial(b[:n]); err == nil {
			t.Fatalf("decoded the first %d of %d bytes", n, len(b))
		}
	}
	// Scans.
	if _, err := p.Scan(ctx, sc, func(rg dataset.RowGroup) bool { return rg.Index == 1 || rg.Index == 3 }); err == nil {
		t.Error("scanned row groups 1 and 3")
	}
	if _, err := p.Scan(ctx, sc, func(rg dataset.RowGroup) bool { return false }); err == nil {
		t.Error("scanned no row group")
	}
	// Two adjacent shards in one scan equal the two merged.
	q12, err := p.Scan(ctx, sc, func(rg dataset.RowGroup) bool { return rg.Index == 1 || rg.Index == 2 })
	if err != nil {
		t.Fatal(err)
	}
	qs = shardPartials(t, p, sc)
	if err := qs[1].Merge(qs[2]); err != nil {
		t.Fatal(err)
	}
	b12, _ := q12.MarshalBinary()
	bm, _ := qs[1].MarshalBinary()
	if !bytes.Equal(b12, bm) {
		i := 0
		for i < min(len(b12), len(bm)) && b12[i] == bm[i] {
			i++
		}
		t.Errorf("the scan of row groups 1 and 2 encodes unlike the merge of their scans: %d and %d bytes, from byte %d: %q vs %q", len(b12), len(bm), i, b12[max(0, i-40):min(len(b12), i+40)], bm[max(0, i-40):min(len(bm), i+40)])
	}
}

// TestPartialFailedRowsLocal: Run with failed rows is still Scan and
// Finish inside; its results are those of a run without.
func TestPartialFailedRowsLocal(t *testing.T) {
	dir := splitFiles(t, 300, 100, mixedCols(600)...)
	src := open(t, nil, dir)
	env := checks.Env{Now: shardNow}
	plain, err := compileRules(t, src, mixedRules, env).Run(t.Context(), src, checks.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sc, err := src.Scanner(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	schema := sc.Schema()
	sc.Close()
	out := filepath.Join(t.TempDir(), "failed.parquet")
	var withFailed *checks.Run
	err = dataset.WriteFile(out, checks.FailedRowsSchema(schema), dataset.DefaultWriterOptions(), func(w *dataset.Writer) error {
		fw := checks.NewFailedRowsWriter(w, schema)
		var err error
		withFailed, err = compileRules(t, src, mixedRules, env).Run(t.Context(), src, checks.RunOptions{FailedRows: fw})
		if err == nil && fw.Rows == 0 {
			err = errors.New("no failed rows written")
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := runJSON(t, withFailed), runJSON(t, plain); got != want {
		t.Errorf("failed rows change the run:\n%s", firstDiff(got, want))
	}
}

// FuzzDecodePartial: no input makes DecodePartial (or finishing what it
// accepts) panic. The seeds are real encodings: each shard's, and merged
// ones.
func FuzzDecodePartial(f *testing.F) {
	dir := splitFiles(f, 30, 10, mixedCols(60)...)
	src := open(f, nil, dir)
	p := compileRules(f, src, mixedRules, checks.Env{Now: shardNow, Samples: 4})
	sc, err := src.Scanner(context.Background())
	if err != nil {
		f.Fatal(err)
	}
	defer sc.Close()
	for _, only := range []func(dataset.RowGroup) bool{
		nil,
		func(rg dataset.RowGroup) bool { return rg.Index == 0 },
		func(rg dataset.RowGroup) bool { return rg.Index == 2 },
		func(rg dataset.RowGroup) bool { return rg.Index >= 3 },
	} {
		q, err := p.Scan(context.Background(), sc, only)
		if err != nil {
			f.Fatal(err)
		}
		b, err := q.MarshalBinary()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("ASCP\x01"))
	f.Fuzz(func(t *testing.T, b []byte) {
		q, err := p.DecodePartial(b)
		if err != nil {
			if !errors.Is(err, checks.ErrBadPartial) {
				t.Fatalf("error %v does not wrap ErrBadPartial", err)
			}
			return
		}
		again, err := q.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.DecodePartial(again); err != nil {
			t.Fatalf("a decoded partial re-encodes into bytes that do not decode: %v", err)
		}
		if first, end := q.RowGroups(); first == 0 && end == len(sc.RowGroups()) {
			p.Finish(context.Background(), src, q) // errors are fine; panics are not
		}
	})
}
