package drift

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/assayhq/assay/dataset"
)

// writeCSV writes a CSV of n rows made by row and returns its path.
func writeCSV(t testing.TB, dir, name string, header []string, n int, row func(i int) []string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString(strings.Join(header, ",") + "\n")
	for i := range n {
		b.WriteString(strings.Join(row(i), ",") + "\n")
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// open opens a path or ref as a source.
func open(t testing.TB, repo *dataset.Repo, ref string) *dataset.Source {
	t.Helper()
	s, err := dataset.OpenSource(context.Background(), repo, ref, dataset.DefaultCSVOptions())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// compare runs Compare on two paths or refs.
func compare(t testing.TB, repo *dataset.Repo, ref, cur string, opts Options) *Report {
	t.Helper()
	if opts.Now.IsZero() {
		opts.Now = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	}
	r, err := Compare(context.Background(), open(t, repo, ref), open(t, repo, cur), opts)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func column(t testing.TB, r *Report, name string) *ColumnResult {
	t.Helper()
	for _, c := range r.Columns {
		if c.Column == name {
			return c
		}
	}
	t.Fatalf("no column %q in the report", name)
	return nil
}

// rng is splitmix64: deterministic test data without math/rand's
// version-dependent streams.
type rng uint64

func (r *rng) next() uint64 {
	*r += 0x9E3779B97F4A7C15
	z := uint64(*r)
	z = (z ^ z>>30) * 0xBF58476D1CE4E5B9
	z = (z ^ z>>27) * 0x94D049BB133111EB
	return z ^ z>>31
}

func (r *rng) float() float64 { return float64(r.next()>>11) / (1 << 53) }

// normal is a standard normal draw (Box-Muller).
func (r *rng) normal() float64 {
	u := 1 - r.float()
	return math.Sqrt(-2*math.Log(u)) * math.Cos(2*math.Pi*r.float())
}

func relClose(got, want, tol float64) bool {
	if got == want {
		return true
	}
	return math.Abs(got-want) <= tol*math.Max(math.Abs(want), 1e-300)
}
