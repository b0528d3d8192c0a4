package dataset_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/dataset/csvconv"
	"github.com/assayhq/assay/dataset/store"
	"github.com/assayhq/assay/dataset/store/mem"
	"github.com/assayhq/assay/dataset/store/s3"
	"github.com/assayhq/assay/dataset/store/s3/s3test"
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// exactColumns have values whose sums are exact in float64 (small
// integers and quarters), so that profiles merged in any order are equal.
func exactColumns() []pqColumn {
	byName := map[string]pqType{}
	for _, tp := range pqTypes() {
		byName[tp.name] = tp
	}
	quarter := pqType{name: "quarter", typ: dataset.Float64,
		node: func() parquet.Node { return parquet.Leaf(parquet.DoubleType) },
		val:  func(r *rand.Rand) parquet.Value { return parquet.DoubleValue(float64(r.IntN(400)-100) / 4) }}
	small := pqType{name: "small", typ: dataset.Int64,
		node: func() parquet.Node { return parquet.Int(64) },
		val:  func(r *rand.Rand) parquet.Value { return parquet.Int64Value(int64(r.IntN(1000))) }}
	day := pqType{name: "day", typ: dataset.Date,
		node: func() parquet.Node { return parquet.Date() },
		val:  func(r *rand.Rand) parquet.Value { return parquet.Int32Value(int32(19000 + r.IntN(400))) }}
	return []pqColumn{
		{name: "a_id", t: small, enc: "plain"},
		{name: "b_segment", t: byName["string"], enc: "dict", opt: true, nulls: 0.1},
		{name: "c_score", t: quarter, enc: "plain", opt: true, nulls: 0.05},
		{name: "d_churn", t: byName["bool"], enc: "plain"},
		{name: "e_day", t: day, enc: "dict"},
	}
}

// writeExact writes a small file of exactColumns.
func writeExact(t testing.TB, path string, rows int, seed uint64) string {
	return writeParquet(t, path, pqSpec{columns: exactColumns(), rows: rows, rowGroupRows: 64, seed: seed})
}

func newMemRepo(t testing.TB) (*dataset.Repo, *mem.Store) {
	t.Helper()
	s := mem.New()
	r, err := dataset.Init(context.Background(), s, "mem")
	if err != nil {
		t.Fatal(err)
	}
	return r, s
}

func newLocalRepo(t testing.TB) (*dataset.Repo, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), ".assay")
	r, err := dataset.InitDir(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	return r, dir
}

// newS3Repo creates a repository in a fresh bucket of a versitygw started
// for the test (skipped without versitygw, unless ASSAY_REQUIRE_S3=1). open
// opens it again over a client of its own, as another process would.
func newS3Repo(t testing.TB) (r *dataset.Repo, open func() (*dataset.Repo, error)) {
	t.Helper()
	ctx := context.Background()
	endpoint, access, secret := s3test.StartVersity(t)
	const bucket, prefix = "assay-test", "repo"
	s3test.CreateBucket(t, endpoint, access, secret, bucket)
	location := "s3://" + bucket + "/" + prefix
	opts := s3.Options{Endpoint: endpoint, Region: s3test.Region, Bucket: bucket, Prefix: prefix,
		AccessKey: access, SecretKey: secret, PathStyle: true}
	open = func() (*dataset.Repo, error) {
		st, err := s3.New(ctx, opts)
		if err != nil {
			return nil, err
		}
		return dataset.New(ctx, st, location)
	}
	st, err := s3.New(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	if r, err = dataset.Init(ctx, st, location); err != nil {
		t.Fatal(err)
	}
	return r, open
}

func commit(t testing.TB, r *dataset.Repo, opts dataset.CommitOptions) *dataset.Manifest {
	t.Helper()
	if opts.Message == "" {
		opts.Message = "test"
	}
	if opts.Author == "" {
		opts.Author = "tester"
	}
	m, err := r.Commit(context.Background(), opts)
	if err != nil {
		t.Fatalf("commit %s %v: %v", opts.Name, opts.Paths, err)
	}
	return m
}

func writeFile(t testing.TB, path, content string) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func sha(t testing.TB, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	return "sha256:" + hex.EncodeToString(sum[:])
}

func objectKeyOf(id string) string {
	h := strings.TrimPrefix(id, "sha256:")
	return "objects/sha256/" + h[:2] + "/" + h[2:]
}

// listAll lists every blob of a store.
func listAll(t testing.TB, s store.Store) []store.Entry {
	t.Helper()
	var all []store.Entry
	for _, prefix := range []string{"config.json", "objects/", "datasets/"} {
		es, err := s.List(context.Background(), prefix)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, es...)
	}
	return all
}

// replaceBlob overwrites a blob of a mem store (delete, put).
func replaceBlob(t testing.TB, s store.Store, key string, data []byte) {
	t.Helper()
	if err := s.Delete(context.Background(), key); err != nil {
		t.Fatal(err)
	}
	if err := s.PutIfAbsent(context.Background(), key, bytes.NewReader(data)); err != nil {
		t.Fatal(err)
	}
}

func readBlob(t testing.TB, s store.Store, key string) []byte {
	t.Helper()
	b, err := s.Open(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	data, err := io.ReadAll(io.NewSectionReader(b, 0, b.Size()))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestInit(t *testing.T) {
	ctx := context.Background()
	t.Run("mem twice", func(t *testing.T) {
		s := mem.New()
		if _, err := dataset.Init(ctx, s, "here"); err != nil {
			t.Fatal(err)
		}
		_, err := dataset.Init(ctx, s, "here")
		if !errors.Is(err, dataset.ErrExists) || !strings.Contains(err.Error(), "here") {
			t.Errorf("got %v, want ErrExists naming the location", err)
		}
	})
	t.Run("dir twice", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "repo")
		if _, err := dataset.InitDir(ctx, dir); err != nil {
			t.Fatal(err)
		}
		if _, err := dataset.InitDir(ctx, dir); !errors.Is(err, dataset.ErrExists) {
			t.Errorf("got %v, want ErrExists", err)
		}
		if _, err := dataset.OpenDir(ctx, dir); err != nil {
			t.Errorf("OpenDir: %v", err)
		}
	})
	t.Run("open missing dir", func(t *testing.T) {
		if _, err := dataset.OpenDir(ctx, filepath.Join(t.TempDir(), "nope")); !errors.Is(err, dataset.ErrNotFound) {
			t.Errorf("got %v, want ErrNotFound", err)
		}
	})
	t.Run("open empty store", func(t *testing.T) {
		if _, err := dataset.New(ctx, mem.New(), "x"); !errors.Is(err, dataset.ErrNotFound) {
			t.Errorf("got %v, want ErrNotFound", err)
		}
	})
	t.Run("corrupt config", func(t *testing.T) {
		s := mem.New()
		s.PutIfAbsent(ctx, "config.json", strings.NewReader("{not json"))
		if _, err := dataset.New(ctx, s, "x"); !errors.Is(err, dataset.ErrCorrupt) {
			t.Errorf("got %v, want ErrCorrupt", err)
		}
	})
	t.Run("other format", func(t *testing.T) {
		s := mem.New()
		s.PutIfAbsent(ctx, "config.json", strings.NewReader(`{"format": 99}`))
		if _, err := dataset.New(ctx, s, "x"); !errors.Is(err, dataset.ErrInvalid) || !strings.Contains(err.Error(), "99") {
			t.Errorf("got %v, want ErrInvalid naming format 99", err)
		}
	})
	t.Run("find", func(t *testing.T) {
		_, dir := newLocalRepo(t)
		sub := filepath.Join(filepath.Dir(dir), "a", "b")
		os.MkdirAll(sub, 0o755)
		got, err := dataset.Find(sub)
		if err != nil || got != dir {
			t.Errorf("Find: got %q, %v; want %q", got, err, dir)
		}
		if _, err := dataset.Find(t.TempDir()); !errors.Is(err, dataset.ErrNotFound) {
			t.Errorf("Find without a repository: got %v, want ErrNotFound", err)
		}
	})
}

func TestCommitParquet(t *testing.T) {
	r, s := newMemRepo(t)
	dir := t.TempDir()
	a := writeExact(t, filepath.Join(dir, "a.parquet"), 150, 1)
	m := commit(t, r, dataset.CommitOptions{Name: "churn", Paths: []string{a}, Message: "first", Author: "ann",
		Time: t0, Metadata: map[string]string{"source": "crm"}})
	st, _ := os.Stat(a)
	want := dataset.File{Name: "a.parquet", Object: sha(t, a), Size: st.Size(), Rows: 150}
	if len(m.Files) != 1 || m.Files[0] != want {
		t.Errorf("files: got %+v, want [%+v]", m.Files, want)
	}
	checks := []struct {
		what      string
		got, want any
	}{
		{"format", m.Format, dataset.FormatVersion},
		{"dataset", m.Dataset, "churn"},
		{"version", m.Version, 1},
		{"parent", m.Parent, 0},
		{"op", m.Op, "commit"},
		{"message", m.Message, "first"},
		{"author", m.Author, "ann"},
		{"time", m.Time, t0},
		{"metadata", fmt.Sprint(m.Metadata), "map[source:crm]"},
		{"rows", m.Rows, int64(150)},
		{"bytes", m.Bytes, st.Size()},
		{"columns", fmt.Sprint(m.Schema.Names()), "[a_id b_segment c_score d_churn e_day]"},
		{"profile rows", m.Profile != nil && m.Profile.Rows == 150, true},
		{"label", m.Label(), "churn@v1"},
	}
	for _, c := range checks {
		if fmt.Sprint(c.got) != fmt.Sprint(c.want) {
			t.Errorf("%s: got %v, want %v", c.what, c.got, c.want)
		}
	}
	// The object holds the file's bytes.
	data, _ := os.ReadFile(a)
	if got := readBlob(t, s, objectKeyOf(m.Files[0].Object)); !bytes.Equal(got, data) {
		t.Errorf("object: got %d bytes, want the file's %d", len(got), len(data))
	}
	// The stored manifest reads back equal; the profile object loads.
	back, err := r.Manifest(context.Background(), "churn", 1)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprintf("%+v", back.Files) != fmt.Sprintf("%+v", m.Files) || !back.Time.Equal(m.Time) {
		t.Errorf("manifest read back: got %+v, want %+v", back, m)
	}
	p, err := r.LoadProfile(context.Background(), back)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := summaryJSON(t, p.Summary()), summaryJSON(t, *m.Profile); got != want {
		t.Errorf("stored profile differs from the manifest's summary")
	}
	names, err := r.Datasets(context.Background())
	if err != nil || !slices.Equal(names, []string{"churn"}) {
		t.Errorf("Datasets: got %v, %v; want [churn]", names, err)
	}
}

func TestCommitCSV(t *testing.T) {
	r, _ := newMemRepo(t)
	dir := t.TempDir()
	csv := writeFile(t, filepath.Join(dir, "jan.csv"), "id,name,score,ok,at\n1,ann,1.5,true,2026-01-01T00:00:00Z\n2,,2.5,false,2026-01-02T00:00:00Z\n3,bob,,true,\n")
	m := commit(t, r, dataset.CommitOptions{Name: "c", Paths: []string{csv}})
	if len(m.Files) != 1 || m.Files[0].Name != "jan.parquet" || m.Files[0].Source != csv || m.Files[0].Rows != 3 {
		t.Errorf("files: got %+v, want jan.parquet from %s with 3 rows", m.Files, csv)
	}
	want := []string{"id int64", "name string", "score float64", "ok bool"}
	for i, w := range want {
		if got := m.Schema[i].String(); got != w {
			t.Errorf("column %d: got %q, want %q", i, got, w)
		}
	}
	if got := m.Schema[4]; got.Name != "at" || !got.Type.Timestamp() {
		t.Errorf("column 4: got %v, want a timestamp", got)
	}
	var nameNulls int64 = -1
	for _, c := range m.Profile.Columns {
		if c.Name == "name" {
			nameNulls = c.Nulls
		}
	}
	if nameNulls != 1 {
		t.Errorf("name nulls: got %d, want 1", nameNulls)
	}
	// The converted file reads back.
	src, err := dataset.OpenSource(context.Background(), r, "c@v1", csvconv.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	sc, err := src.Scanner(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer sc.Close()
	recs, err := dataset.ReadAll(context.Background(), sc, []string{"name"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, rec := range recs {
		for i := range int(rec.NumRows()) {
			got = append(got, dataset.FormatCell(rec.Column(0), i))
		}
		rec.Release()
	}
	if want := []string{"ann", "null", "bob"}; !slices.Equal(got, want) {
		t.Errorf("name: got %v, want %v", got, want)
	}
}

func TestVersionsIncrement(t *testing.T) {
	r, _ := newMemRepo(t)
	dir := t.TempDir()
	for i := 1; i <= 4; i++ {
		p := writeExact(t, filepath.Join(dir, fmt.Sprintf("v%d.parquet", i)), 10*i, uint64(i))
		m := commit(t, r, dataset.CommitOptions{Name: "d", Paths: []string{p}})
		if m.Version != i || m.Parent != i-1 {
			t.Errorf("commit %d: got version %d parent %d, want %d, %d", i, m.Version, m.Parent, i, i-1)
		}
		// Without --append the file set is replaced.
		if len(m.Files) != 1 || m.Rows != int64(10*i) {
			t.Errorf("commit %d: got %d files, %d rows; want 1, %d", i, len(m.Files), m.Rows, 10*i)
		}
	}
	vs, err := r.Versions(context.Background(), "d")
	if err != nil || !slices.Equal(vs, []int{1, 2, 3, 4}) {
		t.Errorf("Versions: got %v, %v; want [1 2 3 4]", vs, err)
	}
	head, err := r.Head(context.Background(), "d")
	if err != nil || head.Version != 4 {
		t.Errorf("Head: got %v, %v; want v4", head, err)
	}
}

func TestCommitValidation(t *testing.T) {
	r, s := newMemRepo(t)
	p := writeExact(t, filepath.Join(t.TempDir(), "a.parquet"), 10, 1)
	tests := []struct {
		name string
		opts dataset.CommitOptions
	}{
		{"path name", dataset.CommitOptions{Name: "../evil", Paths: []string{p}, Message: "m"}},
		{"slash name", dataset.CommitOptions{Name: "a/b", Paths: []string{p}, Message: "m"}},
		{"empty name", dataset.CommitOptions{Name: "", Paths: []string{p}, Message: "m"}},
		{"no paths", dataset.CommitOptions{Name: "ok", Message: "m"}},
		{"no message", dataset.CommitOptions{Name: "ok", Paths: []string{p}, Message: "  "}},
		{"empty metadata key", dataset.CommitOptions{Name: "ok", Paths: []string{p}, Message: "m", Metadata: map[string]string{"": "x"}}},
	}
	before := listAll(t, s)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := r.Commit(context.Background(), tt.opts); !errors.Is(err, dataset.ErrInvalid) {
				t.Errorf("got %v, want ErrInvalid", err)
			}
		})
	}
	if after := listAll(t, s); !slices.Equal(after, before) {
		t.Errorf("store changed: got %d blobs, want %d", len(after), len(before))
	}
}

// TestFailedCommitLeavesStore: a commit that fails for bad input leaves
// the store exactly as it was.
func TestFailedCommitLeavesStore(t *testing.T) {
	r, s := newMemRepo(t)
	dir := t.TempDir()
	base := writeExact(t, filepath.Join(dir, "base.parquet"), 40, 1)
	commit(t, r, dataset.CommitOptions{Name: "d", Paths: []string{base}})
	other := writeParquet(t, filepath.Join(dir, "other.parquet"), pqSpec{columns: smallColumns(), rows: 10})
	good := writeExact(t, filepath.Join(dir, "good.parquet"), 30, 2)
	truncated := filepath.Join(dir, "trunc.parquet")
	data, _ := os.ReadFile(good)
	os.WriteFile(truncated, data[:len(data)/2], 0o644)
	tests := []struct {
		name  string
		opts  dataset.CommitOptions
		class error
	}{
		{"csv type hint broken", dataset.CommitOptions{Name: "d", Message: "m",
			Paths: []string{writeFile(t, filepath.Join(dir, "hint.csv"), "n,s\n1,a\n2,b\nthree,c\n")},
			CSV:   csvconv.Options{Types: map[string]csvconv.Type{"n": csvconv.Int64}}}, dataset.ErrInvalid},
		{"csv cell beyond sample", dataset.CommitOptions{Name: "d", Message: "m",
			Paths: []string{writeFile(t, filepath.Join(dir, "sample.csv"), "n\n1\n2\n3\n4\nfour\n")},
			CSV:   csvconv.Options{SampleRows: 2}}, dataset.ErrInvalid},
		{"csv duplicate header", dataset.CommitOptions{Name: "d", Message: "m",
			Paths: []string{writeFile(t, filepath.Join(dir, "dup.csv"), "a,a\n1,2\n")}}, dataset.ErrInvalid},
		{"csv ragged", dataset.CommitOptions{Name: "d", Message: "m",
			Paths: []string{writeFile(t, filepath.Join(dir, "ragged.csv"), "a,b\n1,2\n3\n")}}, dataset.ErrInvalid},
		{"append schema mismatch", dataset.CommitOptions{Name: "d", Message: "m", Append: true, Paths: []string{other}}, dataset.ErrSchema},
		{"files of two schemas", dataset.CommitOptions{Name: "e", Message: "m", Paths: []string{good, other}}, dataset.ErrSchema},
		{"truncated parquet", dataset.CommitOptions{Name: "e", Message: "m", Paths: []string{good, truncated}}, dataset.ErrInvalid},
		{"missing file", dataset.CommitOptions{Name: "e", Message: "m", Paths: []string{good, filepath.Join(dir, "nope.parquet")}}, dataset.ErrNotFound},
		{"not data", dataset.CommitOptions{Name: "e", Message: "m", Paths: []string{writeFile(t, filepath.Join(dir, "notes.txt"), "hello")}}, dataset.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := listAll(t, s)
			_, err := r.Commit(context.Background(), tt.opts)
			if !errors.Is(err, tt.class) {
				t.Errorf("got %v, want %v", err, tt.class)
			}
			if after := listAll(t, s); !slices.Equal(after, before) {
				t.Errorf("store changed:\ngot  %v\nwant %v", after, before)
			}
		})
	}
}

func TestAppend(t *testing.T) {
	ctx := context.Background()
	r, s := newMemRepo(t)
	dir := t.TempDir()
	a := writeExact(t, filepath.Join(dir, "a.parquet"), 200, 1)
	b := writeExact(t, filepath.Join(dir, "b.parquet"), 130, 2)
	c := writeExact(t, filepath.Join(dir, "c.parquet"), 70, 3)
	v1 := commit(t, r, dataset.CommitOptions{Name: "d", Paths: []string{a}})
	v2 := commit(t, r, dataset.CommitOptions{Name: "d", Paths: []string{b}, Append: true})
	v3 := commit(t, r, dataset.CommitOptions{Name: "d", Paths: []string{c}, Append: true})
	if v2.Op != "append" || v2.Parent != 1 || v3.Version != 3 {
		t.Errorf("got op %q parent %d, v3 version %d; want append, 1, 3", v2.Op, v2.Parent, v3.Version)
	}
	var names []string
	for _, f := range v3.Files {
		names = append(names, f.Name)
	}
	if !slices.Equal(names, []string{"a.parquet", "b.parquet", "c.parquet"}) || v3.Rows != 400 {
		t.Errorf("v3: got files %v, %d rows; want a, b, c and 400", names, v3.Rows)
	}
	if v3.Files[0] != v1.Files[0] {
		t.Errorf("v3 changed the first file: got %+v, want %+v", v3.Files[0], v1.Files[0])
	}
	// Old versions and their objects stay.
	for _, f := range v1.Files {
		if _, err := s.Open(ctx, objectKeyOf(f.Object)); err != nil {
			t.Errorf("object of v1's %s: %v", f.Name, err)
		}
	}
	if m, err := r.Manifest(ctx, "d", 1); err != nil || len(m.Files) != 1 {
		t.Errorf("v1 after appends: got %v, %v; want one file", m, err)
	}
	// The appended profile equals the profile of all files committed at
	// once (exact data: no sketch error). Means and standard deviations
	// are merged in another order and may differ in the last bits.
	fresh := commit(t, r, dataset.CommitOptions{Name: "fresh", Paths: []string{a, b, c}})
	diffSummaries(t, *v3.Profile, *fresh.Profile, 1e-14)
	loaded, err := r.LoadProfile(ctx, v3)
	if err != nil {
		t.Fatal(err)
	}
	diffSummaries(t, loaded.Summary(), *fresh.Profile, 1e-14)
	// Appending to a dataset with no versions is a first commit.
	m := commit(t, r, dataset.CommitOptions{Name: "new", Paths: []string{a}, Append: true})
	if m.Version != 1 || m.Op != "commit" {
		t.Errorf("append to nothing: got v%d op %q, want v1 commit", m.Version, m.Op)
	}
}

func TestAppendSchemaMismatch(t *testing.T) {
	byName := map[string]pqType{}
	for _, tp := range pqTypes() {
		byName[tp.name] = tp
	}
	base := []pqColumn{
		{name: "id", t: byName["int64"], enc: "plain"},
		{name: "name", t: byName["string"], enc: "plain"},
		{name: "at", t: byName["ts_ms_utc"], enc: "plain"},
	}
	with := func(i int, c pqColumn) []pqColumn {
		out := slices.Clone(base)
		out[i] = c
		return out
	}
	tests := []struct {
		name  string
		cols  []pqColumn
		words []string
	}{
		{"retyped", with(0, pqColumn{name: "id", t: byName["string"], enc: "plain"}), []string{`"id"`, "string", "int64"}},
		{"time zone", with(2, pqColumn{name: "at", t: byName["ts_ms_local"], enc: "plain"}), []string{`"at"`, "timestamp[ms]", "timestamp[ms] UTC"}},
		{"unit", with(2, pqColumn{name: "at", t: byName["ts_ns_utc"], enc: "plain"}), []string{`"at"`, "timestamp[ns] UTC", "timestamp[ms] UTC"}},
		{"missing", base[:2], []string{`"at"`, "missing"}},
		{"new", append(slices.Clone(base), pqColumn{name: "zz", t: byName["bool"], enc: "plain"}), []string{`"zz"`, "new"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, s := newMemRepo(t)
			dir := t.TempDir()
			commit(t, r, dataset.CommitOptions{Name: "d", Paths: []string{writeParquet(t, filepath.Join(dir, "a.parquet"), pqSpec{columns: base, rows: 5})}})
			before := listAll(t, s)
			p := writeParquet(t, filepath.Join(dir, "b.parquet"), pqSpec{columns: tt.cols, rows: 5})
			_, err := r.Commit(context.Background(), dataset.CommitOptions{Name: "d", Paths: []string{p}, Message: "m", Append: true})
			if !errors.Is(err, dataset.ErrSchema) {
				t.Fatalf("got %v, want ErrSchema", err)
			}
			for _, w := range append([]string{"d@v1"}, tt.words...) {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("got %q, want it to name %s", err, w)
				}
			}
			if after := listAll(t, s); !slices.Equal(after, before) {
				t.Errorf("store changed")
			}
		})
	}
	// Only nullability differs: the append works and the column becomes
	// nullable.
	t.Run("nullability", func(t *testing.T) {
		r, _ := newMemRepo(t)
		dir := t.TempDir()
		commit(t, r, dataset.CommitOptions{Name: "d", Paths: []string{writeParquet(t, filepath.Join(dir, "a.parquet"), pqSpec{columns: base, rows: 5})}})
		opt := with(1, pqColumn{name: "name", t: byName["string"], enc: "plain", opt: true, nulls: 0.5})
		m := commit(t, r, dataset.CommitOptions{Name: "d", Append: true, Paths: []string{writeParquet(t, filepath.Join(dir, "b.parquet"), pqSpec{columns: opt, rows: 5})}})
		if i := m.Schema.Index("name"); i < 0 || !m.Schema[i].Nullable {
			t.Errorf("schema: got %+v, want name nullable", m.Schema)
		}
	})
}

// TestStoredOnce: identical content is one object, whatever its name,
// dataset or version.
func TestStoredOnce(t *testing.T) {
	ctx := context.Background()
	r, s := newMemRepo(t)
	dir := t.TempDir()
	a := writeExact(t, filepath.Join(dir, "a.parquet"), 50, 1)
	data, _ := os.ReadFile(a)
	copyA := filepath.Join(dir, "sub", "copy.parquet")
	os.MkdirAll(filepath.Dir(copyA), 0o755)
	os.WriteFile(copyA, data, 0o644)
	m1 := commit(t, r, dataset.CommitOptions{Name: "one", Paths: []string{a}})
	m2 := commit(t, r, dataset.CommitOptions{Name: "two", Paths: []string{a, copyA}})
	m3 := commit(t, r, dataset.CommitOptions{Name: "one", Paths: []string{copyA}, Append: true})
	ids := map[string]bool{}
	for _, m := range []*dataset.Manifest{m1, m2, m3} {
		for _, f := range m.Files {
			ids[f.Object] = true
		}
	}
	if len(ids) != 1 {
		t.Errorf("got %d distinct objects for one content, want 1: %v", len(ids), ids)
	}
	objs, _ := s.List(ctx, "objects/")
	profiles := map[string]bool{}
	for _, m := range []*dataset.Manifest{m1, m2, m3} {
		profiles[m.ProfileObject] = true
	}
	if want := 1 + len(profiles); len(objs) != want {
		t.Errorf("got %d objects, want %d (one data file, %d profiles)", len(objs), want, len(profiles))
	}
	if m2.Files[0].Name != "a.parquet" || m2.Files[1].Name != "copy.parquet" {
		t.Errorf("names: got %s, %s", m2.Files[0].Name, m2.Files[1].Name)
	}
}

func TestUniqueNames(t *testing.T) {
	r, _ := newMemRepo(t)
	dir := t.TempDir()
	x := writeExact(t, filepath.Join(dir, "x", "part.parquet"), 10, 1)
	y := writeExact(t, filepath.Join(dir, "y", "part.parquet"), 11, 2)
	z := writeExact(t, filepath.Join(dir, "z", "part.parquet"), 12, 3)
	dash := writeExact(t, filepath.Join(dir, "w", "part-2.parquet"), 13, 4)
	csv := writeFile(t, filepath.Join(dir, "v", "part.csv"), "a_id\n1\n")
	tests := []struct {
		name   string
		paths  []string
		append bool
		want   []string
	}{
		{"collision in one commit", []string{x, y}, false, []string{"part.parquet", "part-2.parquet"}},
		{"collision on append", []string{z}, true, []string{"part.parquet", "part-2.parquet", "part-3.parquet"}},
		{"suffix taken", []string{x, dash, y}, false, []string{"part.parquet", "part-2.parquet", "part-3.parquet"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := commit(t, r, dataset.CommitOptions{Name: "d", Paths: tt.paths, Append: tt.append})
			var got []string
			for _, f := range m.Files {
				got = append(got, f.Name)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
	t.Run("csv and parquet of one stem", func(t *testing.T) {
		_, err := r.Commit(context.Background(), dataset.CommitOptions{Name: "e", Paths: []string{x, csv}, Message: "m", Author: "a"})
		// The CSV has another schema; what matters is no panic and a
		// clear error.
		if !errors.Is(err, dataset.ErrSchema) {
			t.Errorf("got %v, want ErrSchema", err)
		}
	})
}

func TestResolve(t *testing.T) {
	ctx := context.Background()
	r, _ := newMemRepo(t)
	dir := t.TempDir()
	times := []time.Time{t0, t0.Add(time.Hour), t0.Add(48 * time.Hour), t0.Add(72 * time.Hour)}
	for i, tm := range times {
		p := writeExact(t, filepath.Join(dir, fmt.Sprintf("%d.parquet", i)), 5+i, uint64(i))
		commit(t, r, dataset.CommitOptions{Name: "d", Paths: []string{p}, Time: tm})
	}
	v2, _ := r.Manifest(ctx, "d", 2)
	if err := r.Tag(ctx, v2, "prod", "me", false); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		ref  string
		want int // 0: ErrNotFound
	}{
		{"d", 4},
		{"d@v2", 2},
		{"d@2", 2},
		{"d@v4", 4},
		{"d@v5", 0},
		{"d@~1", 3},
		{"d@~3", 1},
		{"d@~4", 0},
		{"d@prod", 2},
		{"d@staging", 0},
		{"d@" + t0.Format(time.RFC3339), 1},
		{"d@" + t0.Add(-time.Second).Format(time.RFC3339), 0},
		{"d@" + t0.Add(30*time.Minute).Format(time.RFC3339), 1},
		{"d@" + t0.Add(time.Hour).Format(time.RFC3339), 2},
		{"d@" + t0.Add(time.Hour).In(time.FixedZone("X", 3*3600)).Format(time.RFC3339), 2},
		{"d@2026-03-02", 2},
		{"d@2026-03-03", 2},
		{"d@2026-03-04", 3},
		{"d@2030-01-01", 4},
		{"nope", 0},
		{"nope@v1", 0},
	}
	for _, tt := range tests {
		t.Run(tt.ref, func(t *testing.T) {
			ref, err := dataset.ParseRef(tt.ref)
			if err != nil {
				t.Fatal(err)
			}
			m, err := r.Resolve(ctx, ref)
			if tt.want == 0 {
				if !errors.Is(err, dataset.ErrNotFound) {
					t.Errorf("got %v, %v; want ErrNotFound", m, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("got %v, want v%d", err, tt.want)
			}
			if m.Version != tt.want {
				t.Errorf("got v%d, want v%d", m.Version, tt.want)
			}
		})
	}
	t.Run("path", func(t *testing.T) {
		ref, _ := dataset.ParseRef("data/x.parquet")
		if _, err := r.Resolve(ctx, ref); !errors.Is(err, dataset.ErrInvalid) {
			t.Errorf("got %v, want ErrInvalid", err)
		}
	})
}

func TestTags(t *testing.T) {
	ctx := context.Background()
	r, s := newMemRepo(t)
	dir := t.TempDir()
	var ms []*dataset.Manifest
	for i := range 3 {
		ms = append(ms, commit(t, r, dataset.CommitOptions{Name: "d", Paths: []string{writeExact(t, filepath.Join(dir, fmt.Sprintf("%d.parquet", i)), 5, uint64(i))}}))
	}
	steps := []struct {
		name    string
		version int
		tag     string
		force   bool
		wantErr error
		want    map[string]int
	}{
		{"create", 1, "prod", false, nil, map[string]int{"prod": 1}},
		{"second tag", 2, "staging", false, nil, map[string]int{"prod": 1, "staging": 2}},
		{"exists", 3, "prod", false, dataset.ErrExists, map[string]int{"prod": 1, "staging": 2}},
		{"same version exists", 1, "prod", false, dataset.ErrExists, map[string]int{"prod": 1, "staging": 2}},
		{"force", 3, "prod", true, nil, map[string]int{"prod": 3, "staging": 2}},
		{"force back", 1, "prod", true, nil, map[string]int{"prod": 1, "staging": 2}},
		{"bad name", 1, "../x", false, dataset.ErrInvalid, map[string]int{"prod": 1, "staging": 2}},
		{"file-like name", 1, "x.csv", false, dataset.ErrInvalid, map[string]int{"prod": 1, "staging": 2}},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			err := r.Tag(ctx, ms[st.version-1], st.tag, "me", st.force)
			if st.wantErr == nil && err != nil || st.wantErr != nil && !errors.Is(err, st.wantErr) {
				t.Errorf("Tag: got %v, want %v", err, st.wantErr)
			}
			got, err := r.Tags(ctx, "d")
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(got) != fmt.Sprint(st.want) {
				t.Errorf("Tags: got %v, want %v", got, st.want)
			}
		})
	}
	// The moves are kept in the tag's log.
	log, _ := s.List(ctx, "datasets/d/tags/prod/")
	if len(log) != 3 {
		t.Errorf("prod's log: got %d entries, want 3", len(log))
	}
	_, err := r.Tags(ctx, "other")
	if err != nil {
		t.Errorf("Tags of a dataset without tags: %v", err)
	}
}

func TestCheckout(t *testing.T) {
	ctx := context.Background()
	r, repoDir := newLocalRepo(t)
	dir := t.TempDir()
	a := writeExact(t, filepath.Join(dir, "in", "a.parquet"), 100, 1)
	b := writeExact(t, filepath.Join(dir, "in", "b.parquet"), 50, 2)
	csv := writeFile(t, filepath.Join(dir, "in", "c.csv"), "a_id\n1\n")
	m := commit(t, r, dataset.CommitOptions{Name: "d", Paths: []string{a, b}})
	mc := commit(t, r, dataset.CommitOptions{Name: "c", Paths: []string{csv}})

	t.Run("identical bytes", func(t *testing.T) {
		out := filepath.Join(dir, "out")
		written, err := r.Checkout(ctx, m, out)
		if err != nil {
			t.Fatal(err)
		}
		if len(written) != 2 {
			t.Fatalf("got %v, want two files", written)
		}
		entries, _ := os.ReadDir(out)
		if len(entries) != 2 {
			t.Errorf("out holds %d entries, want 2 (no temp files)", len(entries))
		}
		// The mode any new file gets here (0666 minus the umask).
		ref, err := os.Create(filepath.Join(out, "reference"))
		if err != nil {
			t.Fatal(err)
		}
		ref.Close()
		refSt, _ := os.Stat(ref.Name())
		for i, src := range []string{a, b} {
			want, _ := os.ReadFile(src)
			got, err := os.ReadFile(filepath.Join(out, filepath.Base(src)))
			if err != nil || !bytes.Equal(got, want) {
				t.Errorf("file %d: got %d bytes (%v), want the %d bytes of %s", i, len(got), err, len(want), src)
			}
			st, _ := os.Stat(written[i])
			if st.Mode().Perm() != refSt.Mode().Perm() {
				t.Errorf("%s: mode %v, want %v like any new file", written[i], st.Mode().Perm(), refSt.Mode().Perm())
			}
		}
	})
	t.Run("refuses to overwrite", func(t *testing.T) {
		out := filepath.Join(dir, "out2")
		os.MkdirAll(out, 0o755)
		writeFile(t, filepath.Join(out, "b.parquet"), "mine")
		_, err := r.Checkout(ctx, m, out)
		if !errors.Is(err, dataset.ErrExists) || !strings.Contains(err.Error(), "b.parquet") {
			t.Errorf("got %v, want ErrExists naming b.parquet", err)
		}
		if got, _ := os.ReadFile(filepath.Join(out, "b.parquet")); string(got) != "mine" {
			t.Errorf("b.parquet was overwritten")
		}
		if _, err := os.Stat(filepath.Join(out, "a.parquet")); err == nil {
			t.Errorf("a.parquet was written despite the refusal")
		}
	})
	t.Run("csv version", func(t *testing.T) {
		out := filepath.Join(dir, "out3")
		written, err := r.Checkout(ctx, mc, out)
		if err != nil || len(written) != 1 || filepath.Base(written[0]) != "c.parquet" {
			t.Fatalf("got %v, %v; want c.parquet", written, err)
		}
		s, err := dataset.NewScanner(ctx, []dataset.Input{dataset.FileInput(written[0])})
		if err != nil {
			t.Fatal(err)
		}
		s.Close()
	})
	t.Run("damaged object", func(t *testing.T) {
		key := objectKeyOf(m.Files[1].Object)
		path := filepath.Join(repoDir, filepath.FromSlash(key))
		flipByte(t, path, 100)
		out := filepath.Join(dir, "out4")
		_, err := r.Checkout(ctx, m, out)
		if !errors.Is(err, dataset.ErrCorrupt) || !strings.Contains(err.Error(), "b.parquet") {
			t.Errorf("got %v, want ErrCorrupt naming b.parquet", err)
		}
		entries, _ := os.ReadDir(out)
		if len(entries) != 0 {
			var names []string
			for _, e := range entries {
				names = append(names, e.Name())
			}
			t.Errorf("a failed checkout left %v behind", names)
		}
	})
}

// flipByte flips one byte of a (read-only) file in place.
func flipByte(t testing.TB, path string, at int64) {
	t.Helper()
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	data[at] ^= 0x01
	if err := os.WriteFile(path, data, 0o444); err != nil {
		t.Fatal(err)
	}
}

// TestRepoInputs: reading a version checks that its objects exist with the
// recorded size.
func TestRepoInputs(t *testing.T) {
	ctx := context.Background()
	r, s := newMemRepo(t)
	a := writeExact(t, filepath.Join(t.TempDir(), "a.parquet"), 80, 1)
	m := commit(t, r, dataset.CommitOptions{Name: "d", Paths: []string{a}})
	key := objectKeyOf(m.Files[0].Object)
	data := readBlob(t, s, key)
	tests := []struct {
		name   string
		damage func()
		words  []string
	}{
		{"truncated", func() { replaceBlob(t, s, key, data[:len(data)-10]) }, []string{"d@v1:a.parquet", "bytes"}},
		{"missing", func() { s.Delete(ctx, key) }, []string{"d@v1:a.parquet", "missing"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.damage()
			_, err := dataset.NewScanner(ctx, r.Inputs(m))
			if !errors.Is(err, dataset.ErrCorrupt) {
				t.Errorf("got %v, want ErrCorrupt", err)
			}
			for _, w := range tt.words {
				if !strings.Contains(fmt.Sprint(err), w) {
					t.Errorf("got %q, want it to contain %q", err, w)
				}
			}
			s.Delete(ctx, key)
			s.PutIfAbsent(ctx, key, bytes.NewReader(data))
		})
	}
}

// damagedRepo is a repository with two versions of one dataset and a tag,
// and the keys of its blobs.
type damagedRepo struct {
	r        *dataset.Repo
	s        *mem.Store
	v1, v2   *dataset.Manifest
	objA     string // object of v1's and v2's a.parquet
	objB     string // object of v2's b.parquet
	manifest string // key of v2's manifest
}

func newDamagedRepo(t *testing.T) *damagedRepo {
	r, s := newMemRepo(t)
	dir := t.TempDir()
	d := &damagedRepo{r: r, s: s}
	d.v1 = commit(t, r, dataset.CommitOptions{Name: "d", Paths: []string{writeExact(t, filepath.Join(dir, "a.parquet"), 60, 1)}})
	d.v2 = commit(t, r, dataset.CommitOptions{Name: "d", Append: true, Paths: []string{writeExact(t, filepath.Join(dir, "b.parquet"), 60, 2)}})
	if err := r.Tag(context.Background(), d.v2, "prod", "me", false); err != nil {
		t.Fatal(err)
	}
	d.objA, d.objB = objectKeyOf(d.v2.Files[0].Object), objectKeyOf(d.v2.Files[1].Object)
	d.manifest = "datasets/d/v/000002.json"
	return d
}

func TestVerify(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name   string
		damage func(t *testing.T, d *damagedRepo)
		want   []string // damaged keys, sorted
	}{
		{"clean", func(*testing.T, *damagedRepo) {}, nil},
		{"flipped byte", func(t *testing.T, d *damagedRepo) {
			data := readBlob(t, d.s, d.objB)
			data[len(data)/2] ^= 0x10
			replaceBlob(t, d.s, d.objB, data)
		}, []string{"objects/b"}},
		{"missing object", func(t *testing.T, d *damagedRepo) {
			d.s.Delete(ctx, d.objA)
		}, []string{"datasets/d/v/000001.json", "datasets/d/v/000002.json"}},
		{"truncated object", func(t *testing.T, d *damagedRepo) {
			data := readBlob(t, d.s, d.objB)
			replaceBlob(t, d.s, d.objB, data[:len(data)-1])
		}, []string{"datasets/d/v/000002.json", "objects/b"}},
		{"missing profile", func(t *testing.T, d *damagedRepo) {
			d.s.Delete(ctx, objectKeyOf(d.v1.ProfileObject))
		}, []string{"datasets/d/v/000001.json"}},
		{"corrupt manifest", func(t *testing.T, d *damagedRepo) {
			replaceBlob(t, d.s, d.manifest, []byte(`{"format": 1, "dataset": "d", "vers`))
		}, []string{"datasets/d/v/000002.json"}},
		{"manifest under another name", func(t *testing.T, d *damagedRepo) {
			data := readBlob(t, d.s, "datasets/d/v/000001.json")
			d.s.PutIfAbsent(ctx, "datasets/d/v/000007.json", bytes.NewReader(data))
		}, []string{"datasets/d/v/000007.json"}},
		{"tag names a missing version", func(t *testing.T, d *damagedRepo) {
			d.s.PutIfAbsent(ctx, "datasets/d/tags/old/000001.json", strings.NewReader(`{"format":1,"version":9,"author":"x","time":"2026-01-01T00:00:00Z"}`))
		}, []string{"datasets/d/tags/old/000001.json"}},
		{"bad tag record", func(t *testing.T, d *damagedRepo) {
			d.s.PutIfAbsent(ctx, "datasets/d/tags/bad/000001.json", strings.NewReader(`not json`))
		}, []string{"datasets/d/tags/bad/000001.json"}},
		{"stray file", func(t *testing.T, d *damagedRepo) {
			d.s.PutIfAbsent(ctx, "datasets/d/notes.txt", strings.NewReader(`hi`))
		}, []string{"datasets/d/notes.txt"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newDamagedRepo(t)
			tt.damage(t, d)
			rep, err := d.r.Verify(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, dm := range rep.Damage {
				key := dm.Key
				switch key {
				case d.objB:
					key = "objects/b"
				case d.objA:
					key = "objects/a"
				}
				got = append(got, key)
			}
			slices.Sort(got)
			want := slices.Clone(tt.want)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("damaged keys: got %v, want %v\n%+v", got, want, rep.Damage)
			}
			if rep.Manifests < 2 || rep.Objects < 3 {
				t.Errorf("checked %d manifests, %d objects; want at least 2, 3", rep.Manifests, rep.Objects)
			}
		})
	}
}

// TestVerifyLocal flips a byte of an object file on disk.
func TestVerifyLocal(t *testing.T) {
	ctx := context.Background()
	r, repoDir := newLocalRepo(t)
	m := commit(t, r, dataset.CommitOptions{Name: "d", Paths: []string{writeExact(t, filepath.Join(t.TempDir(), "a.parquet"), 60, 1)}})
	rep, err := r.Verify(ctx)
	if err != nil || len(rep.Damage) != 0 {
		t.Fatalf("clean repository: got %+v, %v", rep, err)
	}
	key := objectKeyOf(m.Files[0].Object)
	flipByte(t, filepath.Join(repoDir, filepath.FromSlash(key)), 200)
	rep, err = r.Verify(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Damage) != 1 || rep.Damage[0].Key != key || !strings.Contains(rep.Damage[0].Problem, "hashes to") {
		t.Errorf("got %+v, want one damage of %s", rep.Damage, key)
	}
}

func TestGC(t *testing.T) {
	ctx := context.Background()
	r, s := newMemRepo(t)
	dir := t.TempDir()
	a := writeExact(t, filepath.Join(dir, "a.parquet"), 60, 1)
	b := writeExact(t, filepath.Join(dir, "b.parquet"), 60, 2)
	commit(t, r, dataset.CommitOptions{Name: "d", Paths: []string{a}})
	commit(t, r, dataset.CommitOptions{Name: "d", Paths: []string{b}}) // replaces a; v1 still references it
	orphans := map[string]string{}
	for _, content := range []string{"orphan one", "orphan two"} {
		sum := sha256.Sum256([]byte(content))
		id := "sha256:" + hex.EncodeToString(sum[:])
		s.PutIfAbsent(ctx, objectKeyOf(id), strings.NewReader(content))
		orphans[id] = content
	}
	// Not an object name: GC leaves it alone.
	s.PutIfAbsent(ctx, "objects/sha256/zz", strings.NewReader("x"))
	objects := func() []string {
		es, _ := s.List(ctx, "objects/")
		var keys []string
		for _, e := range es {
			keys = append(keys, e.Key)
		}
		return keys
	}
	all := objects()

	t.Run("young", func(t *testing.T) {
		rep, err := r.GC(ctx, time.Hour, false)
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Deleted) != 0 || rep.Young != 2 || rep.Kept != len(all)-3 {
			t.Errorf("got %+v, want nothing deleted, 2 young, %d kept", rep, len(all)-3)
		}
		if got := objects(); !slices.Equal(got, all) {
			t.Errorf("objects changed")
		}
	})
	t.Run("dry run", func(t *testing.T) {
		rep, err := r.GC(ctx, 0, true)
		if err != nil {
			t.Fatal(err)
		}
		got := slices.Sorted(slices.Values(rep.Deleted))
		want := slices.Sorted(func(yield func(string) bool) {
			for id := range orphans {
				if !yield(id) {
					return
				}
			}
		})
		if !slices.Equal(got, want) || !rep.DryRun || rep.Bytes != int64(len("orphan one")+len("orphan two")) {
			t.Errorf("got %+v, want %v to be deleted", rep, want)
		}
		if got := objects(); !slices.Equal(got, all) {
			t.Errorf("dry run deleted objects")
		}
	})
	t.Run("delete", func(t *testing.T) {
		rep, err := r.GC(ctx, 0, false)
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Deleted) != 2 {
			t.Errorf("deleted %v, want the 2 orphans", rep.Deleted)
		}
		for id := range orphans {
			if _, err := s.Open(ctx, objectKeyOf(id)); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("orphan %s: got %v, want it deleted", id, err)
			}
		}
		if got := len(objects()); got != len(all)-2 {
			t.Errorf("got %d objects, want %d", got, len(all)-2)
		}
		ver, err := r.Verify(ctx)
		if err != nil {
			t.Fatal(err)
		}
		// Only the stray non-object key remains as damage.
		if len(ver.Damage) != 1 || ver.Damage[0].Key != "objects/sha256/zz" {
			t.Errorf("verify after gc: got %+v", ver.Damage)
		}
		for _, v := range []int{1, 2} {
			m, err := r.Manifest(ctx, "d", v)
			if err != nil {
				t.Fatal(err)
			}
			sc, err := dataset.NewScanner(ctx, r.Inputs(m))
			if err != nil {
				t.Errorf("v%d after gc: %v", v, err)
				continue
			}
			sc.Close()
		}
	})
	t.Run("corrupt manifest stops gc", func(t *testing.T) {
		s.PutIfAbsent(ctx, "datasets/d/v/000003.json", strings.NewReader("garbage"))
		before := objects()
		if _, err := r.GC(ctx, 0, false); !errors.Is(err, dataset.ErrCorrupt) {
			t.Errorf("got %v, want ErrCorrupt", err)
		}
		if got := objects(); !slices.Equal(got, before) {
			t.Errorf("gc deleted objects despite a corrupt manifest")
		}
	})
}

// hookStore calls before ahead of every PutIfAbsent; before may act (as
// another writer would) or return an error to inject.
type hookStore struct {
	store.Store
	before func(key string) error
}

func (h *hookStore) PutIfAbsent(ctx context.Context, key string, r io.Reader) error {
	if h.before != nil {
		if err := h.before(key); err != nil {
			return err
		}
	}
	return h.Store.PutIfAbsent(ctx, key, r)
}

func TestCommitConflict(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	a := writeExact(t, filepath.Join(dir, "a.parquet"), 40, 1)
	b := writeExact(t, filepath.Join(dir, "b.parquet"), 40, 2)
	c := writeExact(t, filepath.Join(dir, "c.parquet"), 40, 3)
	tests := []struct {
		name string
		// race: another writer commits v2 (true), or the store just
		// reports the key taken once (false).
		race    bool
		append  bool
		wantErr bool
		want    []string // files of the head
		version int
	}{
		{"race, replace", true, false, true, []string{"b.parquet"}, 2},
		{"race, append retries", true, true, false, []string{"a.parquet", "b.parquet", "c.parquet"}, 3},
		{"phantom, replace", false, false, true, []string{"a.parquet"}, 1},
		{"phantom, append retries", false, true, false, []string{"a.parquet", "c.parquet"}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			under := mem.New()
			if _, err := dataset.Init(ctx, under, "mem"); err != nil {
				t.Fatal(err)
			}
			other, _ := dataset.New(ctx, under, "mem")
			commit(t, other, dataset.CommitOptions{Name: "d", Paths: []string{a}})
			var once sync.Once
			hs := &hookStore{Store: under}
			hs.before = func(key string) error {
				if key != "datasets/d/v/000002.json" {
					return nil
				}
				var err error
				once.Do(func() {
					if tt.race {
						commit(t, other, dataset.CommitOptions{Name: "d", Paths: []string{b}, Append: tt.append})
					} else {
						err = fmt.Errorf("put %s: %w", key, store.ErrExists)
					}
				})
				return err
			}
			r, err := dataset.New(ctx, hs, "mem")
			if err != nil {
				t.Fatal(err)
			}
			m, err := r.Commit(ctx, dataset.CommitOptions{Name: "d", Paths: []string{c}, Append: tt.append, Message: "m", Author: "me"})
			if tt.wantErr {
				if !errors.Is(err, dataset.ErrConflict) || !strings.Contains(fmt.Sprint(err), "d@v2") {
					t.Errorf("got %v, want ErrConflict naming d@v2", err)
				}
			} else if err != nil {
				t.Fatalf("got %v, want success", err)
			} else if m.Version != tt.version {
				t.Errorf("got v%d, want v%d", m.Version, tt.version)
			}
			head, err := other.Head(ctx, "d")
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range head.Files {
				got = append(got, f.Name)
			}
			if head.Version != tt.version || !slices.Equal(got, tt.want) {
				t.Errorf("head: got v%d %v, want v%d %v", head.Version, got, tt.version, tt.want)
			}
			rep, err := other.Verify(ctx)
			if err != nil || len(rep.Damage) != 0 {
				t.Errorf("verify: %+v, %v", rep, err)
			}
		})
	}
}

// TestConcurrentAppends: 8 writers append to one dataset at once; every
// append lands as its own complete version. In memory, in a directory, and
// in an S3 bucket (versitygw on loopback).
func TestConcurrentAppends(t *testing.T) {
	for _, kind := range []string{"mem", "local", "s3"} {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			var (
				r    *dataset.Repo
				open func() (*dataset.Repo, error)
			)
			switch kind {
			case "mem":
				var s *mem.Store
				r, s = newMemRepo(t)
				open = func() (*dataset.Repo, error) { return dataset.New(ctx, s, "mem") }
			case "local":
				var dir string
				r, dir = newLocalRepo(t)
				open = func() (*dataset.Repo, error) { return dataset.OpenDir(ctx, dir) }
			case "s3":
				r, open = newS3Repo(t)
			}
			dir := t.TempDir()
			const n = 8
			paths := make([]string, n)
			for i := range n {
				paths[i] = writeExact(t, filepath.Join(dir, fmt.Sprintf("w%d.parquet", i)), 20+i, uint64(i+1))
			}
			var wg sync.WaitGroup
			errs := make([]error, n)
			for i := range n {
				wg.Go(func() {
					// Each writer opens the repository on its own, as a
					// separate process would.
					w, err := open()
					if err != nil {
						errs[i] = err
						return
					}
					_, errs[i] = w.Commit(ctx, dataset.CommitOptions{Name: "d", Paths: []string{paths[i]}, Append: true, Message: fmt.Sprint("w", i), Author: "w"})
				})
			}
			wg.Wait()
			for i, err := range errs {
				if err != nil {
					t.Errorf("writer %d: %v", i, err)
				}
			}
			vs, _ := r.Versions(ctx, "d")
			if len(vs) != n {
				t.Fatalf("got versions %v, want 1 to %d", vs, n)
			}
			var prev []dataset.File
			for _, v := range vs {
				m, err := r.Manifest(ctx, "d", v)
				if err != nil {
					t.Fatal(err)
				}
				if len(m.Files) != v || !slices.Equal(m.Files[:len(prev)], prev) {
					t.Errorf("v%d: got files %v, want v%d's files and one more", v, m.Files, v-1)
				}
				prev = m.Files
			}
			head, _ := r.Head(ctx, "d")
			var rows int64
			for i := range n {
				rows += int64(20 + i)
			}
			if head.Rows != rows || head.Profile.Rows != rows {
				t.Errorf("head: got %d rows (profile %d), want %d", head.Rows, head.Profile.Rows, rows)
			}
			rep, err := r.Verify(ctx)
			if err != nil || len(rep.Damage) != 0 {
				t.Errorf("verify: %+v, %v", rep, err)
			}
		})
	}
}

// TestOpenSource: refs to versions and to paths, with and without a
// repository.
func TestOpenSource(t *testing.T) {
	ctx := context.Background()
	r, _ := newMemRepo(t)
	dir := t.TempDir()
	a := writeExact(t, filepath.Join(dir, "a.parquet"), 90, 1)
	commit(t, r, dataset.CommitOptions{Name: "d", Paths: []string{a}})
	tests := []struct {
		name    string
		repo    *dataset.Repo
		ref     string
		label   string
		wantErr error
	}{
		{"version", r, "d@v1", "d@v1", nil},
		{"head", r, "d", "d@v1", nil},
		{"path without repo", nil, a, a, nil},
		{"glob without repo", nil, filepath.Join(dir, "*.parquet"), filepath.Join(dir, "*.parquet"), nil},
		{"dataset without repo", nil, "d", "", dataset.ErrNotFound},
		{"missing path", nil, filepath.Join(dir, "nope.parquet"), "", dataset.ErrNotFound},
		{"bad ref", r, "d@", "", dataset.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src, err := dataset.OpenSource(ctx, tt.repo, tt.ref, dataset.DefaultCSVOptions())
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Errorf("got %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer src.Close()
			if src.Label != tt.label {
				t.Errorf("label: got %q, want %q", src.Label, tt.label)
			}
			p, err := src.Profile(ctx, nil, 2)
			if err != nil {
				t.Fatal(err)
			}
			if p.Summary().Rows != 90 {
				t.Errorf("rows: got %d, want 90", p.Summary().Rows)
			}
			sel, err := src.Profile(ctx, []string{"c_score"}, 2)
			if err != nil || len(sel.Summary().Columns) != 1 {
				t.Errorf("profile of one column: got %v, %v", sel, err)
			}
			if _, err := src.Profile(ctx, []string{"nope"}, 2); !errors.Is(err, dataset.ErrInvalid) || !strings.Contains(err.Error(), "nope") {
				t.Errorf("unknown column: got %v, want ErrInvalid naming it", err)
			}
		})
	}
}

// TestManifestFileNames: a manifest whose file names are not plain names
// (a damaged or hostile repository) is corrupt, and checkout never writes
// outside its directory.
func TestManifestFileNames(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		file string
	}{
		{"parent", "../evil.parquet"},
		{"absolute", "/tmp/evil.parquet"},
		{"subdir", "sub/evil.parquet"},
		{"backslash", `..\evil.parquet`},
		{"dot dot", ".."},
		{"empty", ""},
		{"duplicate", "a.parquet"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, _ := newLocalRepo(t)
			dir := t.TempDir()
			a := writeExact(t, filepath.Join(dir, "a.parquet"), 10, 1)
			b := writeExact(t, filepath.Join(dir, "b.parquet"), 10, 2)
			commit(t, r, dataset.CommitOptions{Name: "d", Paths: []string{a, b}})
			data := string(readBlob(t, r.Store(), "datasets/d/v/000001.json"))
			bad := strings.Replace(data, `"name": "b.parquet"`, fmt.Sprintf("%q: %q", "name", tt.file), 1)
			bad = strings.Replace(bad, `"version": 1`, `"version": 2`, 1)
			if bad == data {
				t.Fatal("manifest not edited")
			}
			r.Store().PutIfAbsent(ctx, "datasets/d/v/000002.json", strings.NewReader(bad))

			if _, err := r.Manifest(ctx, "d", 2); !errors.Is(err, dataset.ErrCorrupt) {
				t.Errorf("Manifest: got %v, want ErrCorrupt", err)
			}
			rep, err := r.Verify(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Damage) != 1 || rep.Damage[0].Key != "datasets/d/v/000002.json" {
				t.Errorf("Verify: got %+v, want damage of v2's manifest", rep.Damage)
			}
			// Checkout of a manifest built in memory checks too.
			m, err := r.Manifest(ctx, "d", 1)
			if err != nil {
				t.Fatal(err)
			}
			m.Files[1].Name = tt.file
			out := filepath.Join(t.TempDir(), "out")
			if _, err := r.Checkout(ctx, m, out); err == nil {
				t.Errorf("Checkout: got nil, want an error")
			}
			if _, err := os.Stat(filepath.Join(filepath.Dir(out), "evil.parquet")); err == nil {
				t.Errorf("Checkout wrote outside its directory")
			}
		})
	}
}

// failStore fails every put of an object.
type failStore struct{ store.Store }

func (f failStore) PutIfAbsent(ctx context.Context, key string, r io.Reader) error {
	if strings.HasPrefix(key, "objects/") {
		return fmt.Errorf("put %s: disk full", key)
	}
	return f.Store.PutIfAbsent(ctx, key, r)
}

// TestCommitStoreErrorNamesInput: when the data cannot be stored, the
// error names the file the user gave, also for a CSV converted to a
// temporary Parquet file.
func TestCommitStoreErrorNamesInput(t *testing.T) {
	ctx := context.Background()
	s := mem.New()
	if _, err := dataset.Init(ctx, s, "mem"); err != nil {
		t.Fatal(err)
	}
	r, err := dataset.New(ctx, failStore{s}, "mem")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	csv := writeFile(t, filepath.Join(dir, "nov.csv"), "plan,price\nbasic,19.5\n")
	pq := writeExact(t, filepath.Join(dir, "dec.parquet"), 10, 1)
	for _, p := range []string{csv, pq} {
		t.Run(filepath.Base(p), func(t *testing.T) {
			_, err := r.Commit(ctx, dataset.CommitOptions{Name: "d", Paths: []string{p}, Message: "m", Author: "a"})
			if err == nil || !strings.HasPrefix(err.Error(), "store "+p+": ") || strings.Contains(err.Error(), "assay-csv-") {
				t.Errorf("got %v, want an error starting %q and no temp file", err, "store "+p+": ")
			}
		})
	}
}

// TestAppendCSVKeepsHeadTypes: a CSV batch whose float64 column happens to
// hold whole numbers appends as float64, the type the head has, instead of
// being inferred as int64 and refused; a cell that fits neither is an
// error that says where the type came from.
func TestAppendCSVKeepsHeadTypes(t *testing.T) {
	r, s := newMemRepo(t)
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	commit(t, r, dataset.CommitOptions{Name: "plans", Paths: []string{write("oct.csv", "plan,price\nbasic,19.5\npro,49.9\n")}})
	m := commit(t, r, dataset.CommitOptions{Name: "plans", Append: true, Paths: []string{write("nov.csv", "plan,price\nbasic,20\npro,50\n")}})
	if i := m.Schema.Index("price"); i < 0 || m.Schema[i].Type != dataset.Float64 {
		t.Fatalf("schema: got %+v, want price float64", m.Schema)
	}
	if m.Rows != 4 {
		t.Errorf("rows: got %d, want 4", m.Rows)
	}
	before := listAll(t, s)
	_, err := r.Commit(context.Background(), dataset.CommitOptions{Name: "plans", Append: true, Message: "m",
		Paths: []string{write("dec.csv", "plan,price\nbasic,twenty\n")}})
	if !errors.Is(err, dataset.ErrInvalid) || !strings.Contains(err.Error(), "dec.csv:2:2") ||
		!strings.Contains(err.Error(), "appended to") {
		t.Errorf("got %v, want an input error naming dec.csv:2:2 and the appended-to type", err)
	}
	if after := listAll(t, s); !slices.Equal(after, before) {
		t.Errorf("store changed")
	}
}
