package drift

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/dataset/csvconv"
	"github.com/assayhq/assay/dataset/store/mem"
)

// shardCSV converts CSV to Parquet row groups of 700 rows.
var shardCSV = csvconv.Options{SampleRows: 0, RowGroupRows: 700}

// shardFiles writes a side as files CSV files of rows rows each: an int
// with nulls, a float with NaN and nulls, strings (some only in the
// current side), a boolean, a timestamp, a binary target y that follows f
// and a score pred for it, and a phase whose values change along the rows
// (later row groups bring values that sort first), and tie, 15 values of
// equal counts (on 4,500 rows) in runs of 300 rows, in an order that is not
// sorted: which of them a top-k keeps depends on the categories' order.
// shift moves f and the strings.
func shardFiles(t testing.TB, dir, side string, files, rows int, seed rng, shift float64) string {
	t.Helper()
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	header := []string{"n", "f", "s", "b", "at", "y", "pred", "phase", "tie"}
	r := seed
	for k := range files {
		writeCSV(t, dir, fmt.Sprintf("%s-%d.csv", side, k), header, rows, func(i int) []string {
			row := k*rows + i
			n := strconv.Itoa(int(r.next() % 500))
			if r.float() < 0.01 {
				n = ""
			}
			fv := r.normal() + shift
			f := strconv.FormatFloat(fv, 'g', -1, 64)
			switch x := r.float(); {
			case x < 0.02:
				f = "NaN"
			case x < 0.03:
				f = ""
			}
			s := "s" + strconv.Itoa(int(r.next()%uint64(20+10*shift)))
			if r.float() < 0.01 {
				s = ""
			}
			y := "no"
			if fv+0.3*r.normal() > shift {
				y = "yes"
			}
			pred := 1 / (1 + math.Exp(-2*(fv-shift*float64(row%2))))
			phase := string(rune('z' - row/400))
			if r.float() < 0.3 {
				phase = string(rune('z' - r.next()%3))
			}
			return []string{n, f, s, strconv.FormatBool(r.float() < 0.3+0.1*shift),
				start.Add(time.Duration(row) * time.Minute).Format(time.RFC3339), y, strconv.FormatFloat(pred, 'g', -1, 64), phase,
				"t" + strconv.Itoa(14-row/300%15)}
		})
	}
	return filepath.Join(dir, side+"-*.csv")
}

// openShardSource opens a path or ref with row groups of 700 rows.
func openShardSource(t testing.TB, repo *dataset.Repo, ref string) *dataset.Source {
	t.Helper()
	s, err := dataset.OpenSource(context.Background(), repo, ref, shardCSV)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// reportJSON is a report's JSON form with the elapsed time zeroed.
func reportJSON(t testing.TB, r *Report) []byte {
	t.Helper()
	r.Elapsed = 0
	var b bytes.Buffer
	if err := WriteJSON(&b, r); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// roundTrip encodes a part and decodes it with another plan.
func roundTrip(t testing.TB, p *Plan, q *Part) *Part {
	t.Helper()
	b, err := q.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	out, err := p.DecodePart(b)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// shardedCompare computes a report as a sharded run does: a worker's plan
// scans every row group alone, all at once; the parts travel encoded to a
// launcher's plan, which merges neighbours pairwise (encoding each merged
// part again, as a combine's accumulators travel) until one part of each
// side is left, and finishes.
func shardedCompare(t testing.TB, ref, cur *dataset.Source, opts Options) *Report {
	t.Helper()
	ctx := context.Background()
	worker, err := NewPlan(ctx, ref, cur, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer worker.Close()
	launcher, err := NewPlan(ctx, ref, cur, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer launcher.Close()
	side := func(s Side) *Part {
		sc := launcher.Scanner(s)
		if sc == nil {
			return nil
		}
		shards := sc.Shards()
		if len(shards) < 2 {
			t.Fatalf("%s: %d shards; the test needs several", s, len(shards))
		}
		encoded := make([][]byte, len(shards))
		var wg sync.WaitGroup
		errs := make([]error, len(shards))
		for i, sh := range shards {
			wg.Go(func() {
				q, err := worker.Scan(ctx, s, func(rg dataset.RowGroup) bool { return rg.Index == sh.Index })
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
		parts := make([]*Part, len(encoded))
		for i, b := range encoded {
			if parts[i], err = launcher.DecodePart(b); err != nil {
				t.Fatal(err)
			}
		}
		for len(parts) > 1 {
			var next []*Part
			for i := 0; i < len(parts); i += 2 {
				if i+1 < len(parts) {
					if err := parts[i].Merge(parts[i+1]); err != nil {
						t.Fatal(err)
					}
				}
				next = append(next, roundTrip(t, launcher, parts[i]))
			}
			parts = next
		}
		return parts[0]
	}
	r, err := launcher.Finish(ctx, side(Reference), side(Current))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestShardedEqualsCompare: scanning row group by row group, merging in
// order and finishing gives Compare's report, byte for byte.
func TestShardedEqualsCompare(t *testing.T) {
	dir := t.TempDir()
	refGlob := shardFiles(t, dir, "ref", 3, 1500, 1, 0)
	curGlob := shardFiles(t, dir, "cur", 2, 2000, 2, 0.4)
	repo, err := dataset.Init(context.Background(), mem.New(), "memory")
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range []string{refGlob, curGlob} {
		if _, err := repo.Commit(context.Background(), dataset.CommitOptions{Name: "d", Paths: []string{g}, Message: "m", Author: "test", CSV: shardCSV}); err != nil {
			t.Fatal(err)
		}
	}
	concept := Options{Target: "y", Prediction: "pred", Time: "at"}
	tests := []struct {
		name     string
		ref, cur string
		opts     Options
		check    func(*Report) string
	}{
		{"columns", refGlob, curGlob, Options{}, nil},
		{"psi-bh", refGlob, curGlob, Options{Method: "psi", Correction: "bh"}, nil},
		{"sampled", refGlob, curGlob, Options{SampleCap: 2000}, func(r *Report) string {
			if !r.Sampled {
				return "not sampled"
			}
			return ""
		}},
		{"concept", refGlob, curGlob, concept, func(r *Report) string {
			if r.Concept == nil || r.Concept.Performance == nil || len(r.Concept.Detectors) == 0 {
				return "no concept drift, performance or detectors"
			}
			return ""
		}},
		{"concept-sampled", refGlob, curGlob, Options{Target: "y", Prediction: "pred", SampleCap: 3000}, func(r *Report) string {
			if r.Concept == nil || r.Concept.Performance == nil || !r.Sampled {
				return "no concept drift on a sample"
			}
			return ""
		}},
		{"error-column", refGlob, curGlob, Options{Error: "f", Columns: []string{"n", "s"}}, nil},
		{"classifier", refGlob, curGlob, Options{Multivariate: "classifier"}, func(r *Report) string {
			if r.Multivariate == nil || r.Multivariate.AUC == nil {
				return "no classifier result"
			}
			return ""
		}},
		{"pca-sampled", refGlob, curGlob, Options{Multivariate: "pca", SampleCap: 2500}, func(r *Report) string {
			if r.Multivariate == nil || r.Multivariate.Error == nil {
				return "no PCA result"
			}
			return ""
		}},
		{"repo-data", "d@v1", "d@v2", Options{ReferenceFrom: ReferenceData}, nil},
		{"profile", "d@v1", "d@v2", Options{ReferenceFrom: ReferenceProfile}, func(r *Report) string {
			if r.ReferenceNote == "" {
				return "reference not from its profile"
			}
			return ""
		}},
		{"profile-auto-sampled", "d@v1", "d@v2", Options{SampleCap: 2000}, func(r *Report) string {
			if r.ReferenceNote == "" || !r.Sampled {
				return "reference not from its profile, or current not sampled"
			}
			return ""
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.Now = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
			ref, cur := openShardSource(t, repo, tt.ref), openShardSource(t, repo, tt.cur)
			local, err := Compare(context.Background(), ref, cur, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if tt.check != nil {
				if msg := tt.check(local); msg != "" {
					t.Fatalf("the case does not test what it should: %s", msg)
				}
			}
			want := reportJSON(t, local)
			got := reportJSON(t, shardedCompare(t, ref, cur, tt.opts))
			if !bytes.Equal(got, want) {
				t.Errorf("sharded report differs from Compare's:\n%s", firstDiff(got, want))
			}
		})
	}
}

// firstDiff shows where two outputs part.
func firstDiff(got, want []byte) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	lo := max(i-200, 0)
	return fmt.Sprintf("at byte %d:\n got: …%s…\nwant: …%s…", i, got[lo:min(i+200, len(got))], want[lo:min(i+200, len(want))])
}

// partsPlan returns a plan of two small sides, 60 rows in row groups of
// 20, comparing y's concept (so categorical parts keep codes).
func partsPlan(t testing.TB, opts Options) *Plan {
	t.Helper()
	dir := t.TempDir()
	csv := csvconv.Options{RowGroupRows: 20}
	mk := func(name string, seed rng) *dataset.Source {
		r := seed
		path := writeCSV(t, dir, name, []string{"x", "seg", "y", "pred"}, 60, func(i int) []string {
			x := strconv.FormatFloat(r.normal(), 'g', -1, 64)
			switch i % 17 {
			case 3:
				x = "NaN"
			case 5:
				x = ""
			}
			seg := []string{"a", "b", "c", ""}[r.next()%4]
			return []string{x, seg, []string{"yes", "no"}[r.next()%2], strconv.FormatFloat(r.float(), 'g', -1, 64)}
		})
		s, err := dataset.OpenSource(context.Background(), nil, path, csv)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	if opts.Target == "" {
		opts.Target, opts.Prediction = "y", "pred"
	}
	p, err := NewPlan(context.Background(), mk("ref.csv", 1), mk("cur.csv", 2), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

// scanGroup scans one row group of a side.
func scanGroup(t testing.TB, p *Plan, s Side, i int) *Part {
	t.Helper()
	q, err := p.Scan(context.Background(), s, func(rg dataset.RowGroup) bool { return rg.Index == i })
	if err != nil {
		t.Fatal(err)
	}
	return q
}

func encode(t testing.TB, q *Part) []byte {
	t.Helper()
	b, err := q.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestMergeErrors(t *testing.T) {
	p := partsPlan(t, Options{})
	if n := len(p.Scanner(Current).RowGroups()); n != 3 {
		t.Fatalf("%d row groups, want 3", n)
	}
	c0, c1, c2 := scanGroup(t, p, Current, 0), scanGroup(t, p, Current, 1), scanGroup(t, p, Current, 2)
	r1 := scanGroup(t, p, Reference, 1)
	before := encode(t, c0)
	for name, o := range map[string]*Part{
		"not adjacent":   c2,
		"before it":      c0,
		"the other side": r1,
		"nil":            nil,
	} {
		err := c0.Merge(o)
		if err == nil || !errors.Is(err, dataset.ErrInvalid) {
			t.Errorf("merge of %s: error %v, want ErrInvalid", name, err)
		}
	}
	if err := c1.Merge(c0); err == nil {
		t.Error("merging a part that comes before: no error")
	}
	if !bytes.Equal(encode(t, c0), before) {
		t.Error("a failed merge changed the part")
	}
	// Adjacent merges work, and their run is what they say.
	if err := c0.Merge(c1); err != nil {
		t.Fatal(err)
	}
	if err := c0.Merge(c2); err != nil {
		t.Fatal(err)
	}
	if first, end := c0.RowGroups(); first != 0 || end != 3 || c0.Side() != Current {
		t.Errorf("merged part: %s row groups %d to %d, want current 0 to 2", c0.Side(), first, end-1)
	}
	// A part of another plan (another sampling rate) does not mix.
	other := partsPlan(t, Options{SampleCap: 30})
	if err := scanGroup(t, other, Current, 0).Merge(scanGroup(t, p, Current, 1)); err == nil {
		t.Error("merge of parts of different plans: no error")
	}
	if _, err := other.DecodePart(encode(t, scanGroup(t, p, Current, 0))); !errors.Is(err, dataset.ErrCorrupt) {
		t.Errorf("decoding another plan's part: error %v, want ErrCorrupt", err)
	}
}

func TestScanAndFinishErrors(t *testing.T) {
	ctx := context.Background()
	p := partsPlan(t, Options{})
	if _, err := p.Scan(ctx, Current, func(rg dataset.RowGroup) bool { return rg.Index != 1 }); !errors.Is(err, dataset.ErrInvalid) {
		t.Errorf("scan of row groups 0 and 2: error %v, want ErrInvalid", err)
	}
	if _, err := p.Scan(ctx, Current, func(dataset.RowGroup) bool { return false }); !errors.Is(err, dataset.ErrInvalid) {
		t.Errorf("scan of no row group: error %v, want ErrInvalid", err)
	}
	ref, err := p.Scan(ctx, Reference, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Finish needs every row group of both sides, each on its side.
	if _, err := p.Finish(ctx, ref, scanGroup(t, p, Current, 0)); !errors.Is(err, dataset.ErrInvalid) {
		t.Errorf("finish with a part of one row group: error %v, want ErrInvalid", err)
	}
	cur, err := p.Scan(ctx, Current, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Finish(ctx, cur, ref); !errors.Is(err, dataset.ErrInvalid) {
		t.Errorf("finish with the sides swapped: error %v, want ErrInvalid", err)
	}
	if _, err := p.Finish(ctx, nil, cur); !errors.Is(err, dataset.ErrInvalid) {
		t.Errorf("finish without the reference: error %v, want ErrInvalid", err)
	}
	if _, err := p.Finish(ctx, ref, cur); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Finish(ctx, ref, cur); !errors.Is(err, dataset.ErrInvalid) {
		t.Errorf("a second finish with the same parts: error %v, want ErrInvalid", err)
	}
}

func TestDecodePartDamaged(t *testing.T) {
	p := partsPlan(t, Options{})
	b := encode(t, scanGroup(t, p, Current, 1))
	if _, err := p.DecodePart(b); err != nil {
		t.Fatal(err)
	}
	for i := range b {
		c := bytes.Clone(b)
		c[i] ^= 0x10
		if _, err := p.DecodePart(c); err == nil {
			t.Fatalf("byte %d changed: no error", i)
		}
	}
	for n := range len(b) {
		if _, err := p.DecodePart(b[:n]); err == nil {
			t.Fatalf("cut to %d bytes: no error", n)
		}
	}
	if _, err := p.DecodePart(append(bytes.Clone(b), 0)); err == nil {
		t.Fatal("a byte added: no error")
	}
}

// fixCRC replaces the last 4 bytes with the checksum of the others, so
// that fuzzed input reaches the decoder's checks.
func fixCRC(b []byte) []byte {
	if len(b) < 4 {
		return b
	}
	out := bytes.Clone(b)
	binary.LittleEndian.PutUint32(out[len(out)-4:], crc32.Checksum(out[:len(out)-4], castagnoli))
	return out
}

func FuzzDecodePart(f *testing.F) {
	p := partsPlan(f, Options{})
	ctx := context.Background()
	// Seeds: parts of one row group, a merged part (categories in order
	// of first appearance) and whole sides.
	for s := range []Side{Reference, Current} {
		for i := range 3 {
			f.Add(encode(f, scanGroup(f, p, Side(s), i)))
		}
		q := scanGroup(f, p, Side(s), 1)
		if err := q.Merge(scanGroup(f, p, Side(s), 2)); err != nil {
			f.Fatal(err)
		}
		f.Add(encode(f, q))
		whole, err := p.Scan(ctx, Side(s), nil)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(encode(f, whole))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, in := range [][]byte{b, fixCRC(b)} {
			q, err := p.DecodePart(in)
			if err != nil {
				if !errors.Is(err, dataset.ErrCorrupt) && !errors.Is(err, dataset.ErrInvalid) {
					t.Fatalf("error %v wraps neither ErrCorrupt nor ErrInvalid", err)
				}
				continue
			}
			// What decodes encodes again, merges and finishes.
			again, err := p.DecodePart(encode(t, q))
			if err != nil {
				t.Fatalf("re-encoded part: %v", err)
			}
			if first, end := q.RowGroups(); first > 0 {
				prev, err := p.Scan(ctx, q.Side(), func(rg dataset.RowGroup) bool { return rg.Index < first })
				if err != nil {
					t.Fatal(err)
				}
				if err := prev.Merge(again); err != nil {
					t.Fatal(err)
				}
				again = prev
				if end < len(p.Scanner(q.Side()).RowGroups()) {
					continue
				}
			}
			if first, end := again.RowGroups(); first != 0 || end != len(p.Scanner(q.Side()).RowGroups()) {
				continue
			}
			other, err := p.Scan(ctx, 1-q.Side(), nil)
			if err != nil {
				t.Fatal(err)
			}
			ref, cur := again, other
			if q.Side() == Current {
				ref, cur = other, again
			}
			if _, err := p.Finish(ctx, ref, cur); err != nil {
				t.Fatalf("finish with a decoded part: %v", err)
			}
		}
	})
}

// TestShardedCodeWidths: category codes travel in 1, 2 or 4 bytes by the
// number of categories: a column of 5 values, one of 300, and one whose
// every value is distinct (4 bytes once the merged part holds 66,000).
func TestShardedCodeWidths(t *testing.T) {
	dir := t.TempDir()
	csv := csvconv.Options{RowGroupRows: 35000}
	mk := func(name string, n int, seed rng) *dataset.Source {
		r := seed
		path := writeCSV(t, dir, name, []string{"small", "mid", "id", "x", "y"}, n, func(i int) []string {
			x := r.normal()
			y := "0"
			if x+r.normal() > 0 {
				y = "1"
			}
			return []string{"k" + strconv.Itoa(int(r.next()%5)), "m" + strconv.Itoa(int(r.next()%300)),
				"u" + strconv.Itoa(n-i), strconv.FormatFloat(x, 'g', -1, 64), y}
		})
		s, err := dataset.OpenSource(context.Background(), nil, path, csv)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	ref, cur := mk("ref.csv", 66000, 1), mk("cur.csv", 36000, 2)
	opts := Options{Target: "y", Multivariate: "classifier", Now: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	local, err := Compare(context.Background(), ref, cur, opts)
	if err != nil {
		t.Fatal(err)
	}
	want := reportJSON(t, local)
	if got := reportJSON(t, shardedCompare(t, ref, cur, opts)); !bytes.Equal(got, want) {
		t.Errorf("sharded report differs from Compare's:\n%s", firstDiff(got, want))
	}
	// The merged reference decodes to what was encoded.
	p, err := NewPlan(context.Background(), ref, cur, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	q := scanGroup(t, p, Reference, 0)
	if err := q.Merge(scanGroup(t, p, Reference, 1)); err != nil {
		t.Fatal(err)
	}
	var widths []int
	for _, c := range q.cols {
		if c.cat {
			widths = append(widths, codeWidth(len(c.names)))
		}
	}
	if !slices.Equal(widths, []int{1, 2, 4}) {
		t.Fatalf("code widths %v, want [1 2 4]", widths)
	}
	if msg := partDiff(roundTrip(t, p, q), q); msg != "" {
		t.Error(msg)
	}
}

// partDiff says how two parts differ (floats by their bits; not the
// merge index).
func partDiff(a, b *Part) string {
	if a.side != b.side || a.fp != b.fp || a.first != b.first || a.end != b.end || a.rows != b.rows || a.n != b.n || len(a.cols) != len(b.cols) {
		return fmt.Sprintf("parts differ: %s %x %d-%d %d rows %d sampled %d columns; %s %x %d-%d %d rows %d sampled %d columns",
			a.side, a.fp, a.first, a.end, a.rows, a.n, len(a.cols), b.side, b.fp, b.first, b.end, b.rows, b.n, len(b.cols))
	}
	for j := range a.cols {
		x, y := &a.cols[j], &b.cols[j]
		bits := func(v []float64) []uint64 {
			out := make([]uint64, len(v))
			for i, f := range v {
				out[i] = math.Float64bits(f)
			}
			return out
		}
		if x.cat != y.cat || x.nulls != y.nulls || x.nan != y.nan || !slices.Equal(bits(x.num), bits(y.num)) ||
			!slices.Equal(x.names, y.names) || !slices.Equal(x.counts, y.counts) || !slices.Equal(x.codes, y.codes) {
			return fmt.Sprintf("column %d differs", j)
		}
	}
	return ""
}
