package drift

import (
	"context"
	"errors"
	"math"
	"strconv"
	"testing"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/dataset/store/mem"
)

// newRepo commits each path as the next version of dataset "d".
func newRepo(t *testing.T, paths ...string) *dataset.Repo {
	t.Helper()
	ctx := context.Background()
	repo, err := dataset.Init(ctx, mem.New(), "memory")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range paths {
		if _, err := repo.Commit(ctx, dataset.CommitOptions{Name: "d", Paths: []string{p}, Message: "m", Author: "test"}); err != nil {
			t.Fatal(err)
		}
	}
	return repo
}

// TestProfileReferenceExact: while a column has at most 65,536 distinct
// values its stored profile holds every value, so tests from the profile
// equal tests from the data.
func TestProfileReferenceExact(t *testing.T) {
	dir := t.TempDir()
	header := []string{"n", "f", "s", "b"}
	mk := func(name string, shift int, seed rng) string {
		r := seed
		return writeCSV(t, dir, name, header, 30000, func(i int) []string {
			if i%97 == 0 {
				return []string{"", "", "", ""}
			}
			return []string{
				strconv.Itoa(int(r.next()%5000) + shift),
				strconv.FormatFloat(float64(int(r.normal()*1000))/100, 'g', -1, 64),
				"s" + strconv.Itoa(int(r.next()%(40+uint64(shift)))),
				strconv.FormatBool(r.float() < 0.3),
			}
		})
	}
	repo := newRepo(t, mk("a.csv", 0, 1), mk("b.csv", 7, 2))
	for _, method := range []string{"auto", "ks", "wasserstein", "anderson", "mannwhitney", "chisquare", "psi", "jensenshannon"} {
		data := compare(t, repo, "d@v1", "d@v2", Options{Method: method, ReferenceFrom: ReferenceData})
		prof := compare(t, repo, "d@v1", "d@v2", Options{Method: method, ReferenceFrom: ReferenceProfile})
		if prof.ReferenceNote == "" || data.ReferenceNote != "" {
			t.Errorf("%s: reference notes %q (profile) and %q (data)", method, prof.ReferenceNote, data.ReferenceNote)
		}
		for i, d := range data.Columns {
			p := prof.Columns[i]
			if d.Test != p.Test || !sameFloat(float64(d.Statistic), float64(p.Statistic)) || d.RefCount != p.RefCount ||
				d.MissingRef != p.MissingRef || d.Drifted != p.Drifted {
				t.Errorf("%s %s: from the profile %s %v (%d values, missing %v), from the data %s %v (%d, %v)", method, d.Column,
					p.Test, p.Statistic, p.RefCount, p.MissingRef, d.Test, d.Statistic, d.RefCount, d.MissingRef)
			}
			if (d.PValue == nil) != (p.PValue == nil) || d.PValue != nil && !sameFloat(float64(*d.PValue), float64(*p.PValue)) {
				t.Errorf("%s %s: p-values differ: %v (profile) and %v (data)", method, d.Column, p.PValue, d.PValue)
			}
			for _, n := range p.Notes {
				if n == "reference from the stored profile's sketch: approximate" {
					t.Errorf("%s %s: exact profile reported as a sketch", method, d.Column)
				}
			}
		}
	}
}

// TestProfileReferenceSketch: past 65,536 distinct values the reference
// comes from the profile's sketches; results are close to the data's, and
// say they are approximate. Binned distances carry the sketch's rank
// error into every bin's share: PSI and Jensen-Shannon move by up to
// about 0.02 on 20 bins.
func TestProfileReferenceSketch(t *testing.T) {
	dir := t.TempDir()
	const n = 150000
	mk := func(name string, shift float64, seed rng) string {
		r := seed
		return writeCSV(t, dir, name, []string{"x", "id"}, n, func(i int) []string {
			// id: a few frequent values and a long tail of rare ones.
			id := "u" + strconv.Itoa(int(r.next()%2000000))
			if r.float() < 0.5 {
				id = "top" + strconv.Itoa(int(r.next()%10))
			}
			return []string{strconv.FormatFloat(r.normal()+shift, 'g', -1, 64), id}
		})
	}
	repo := newRepo(t, mk("a.csv", 0, 1), mk("b.csv", 0.05, 2))
	for _, method := range []string{"wasserstein", "ks", "psi", "jensenshannon"} {
		data := compare(t, repo, "d@v1", "d@v2", Options{Method: method, ReferenceFrom: ReferenceData})
		prof := compare(t, repo, "d@v1", "d@v2", Options{Method: method, ReferenceFrom: ReferenceProfile})
		for i, d := range data.Columns {
			p := prof.Columns[i]
			if p.Test == "chisquare" {
				// KS falls back to chi-square for categories, whose
				// statistic grows with the sample and the bins: the
				// data's top 20 include tail values the sketch drops.
				continue
			}
			if diff := math.Abs(float64(d.Statistic - p.Statistic)); diff > 0.02+0.05*math.Abs(float64(d.Statistic)) {
				t.Errorf("%s %s: statistic %v from the sketch, %v from the data", method, d.Column, p.Statistic, d.Statistic)
			}
			if len(p.Notes) == 0 {
				t.Errorf("%s %s: a sketched reference not marked approximate", method, d.Column)
			}
		}
	}
	// Auto reads the data of a small reference, and uses the profile once
	// the reference is over the sample cap.
	if r := compare(t, repo, "d@v1", "d@v2", Options{}); r.ReferenceNote != "" {
		t.Errorf("auto used the profile of a reference under the sample cap: %q", r.ReferenceNote)
	}
	if r := compare(t, repo, "d@v1", "d@v2", Options{SampleCap: 100000}); r.ReferenceNote == "" {
		t.Error("auto read the data of a reference over the sample cap")
	}
	if r := compare(t, repo, "d@v1", "d@v2", Options{SampleCap: 100000, Target: "x"}); r.ReferenceNote != "" {
		t.Error("auto used the profile although concept drift needs rows")
	}
}

func TestProfileReferenceErrors(t *testing.T) {
	dir := t.TempDir()
	a := writeCSV(t, dir, "a.csv", []string{"x", "y"}, 10, func(i int) []string { return []string{strconv.Itoa(i), strconv.Itoa(i % 2)} })
	repo := newRepo(t, a, a)
	ctx := context.Background()
	for _, tt := range []struct {
		ref  string
		opts Options
	}{
		{a, Options{ReferenceFrom: ReferenceProfile}},                   // a path has no stored profile
		{"d@v1", Options{ReferenceFrom: ReferenceProfile, Target: "y"}}, // concept drift needs rows
	} {
		_, err := Compare(ctx, open(t, repo, tt.ref), open(t, repo, "d@v2"), tt.opts)
		if err == nil || !errors.Is(err, dataset.ErrInvalid) {
			t.Errorf("%s %+v: error %v, want ErrInvalid", tt.ref, tt.opts, err)
		}
	}
}

func sameFloat(a, b float64) bool {
	return a == b || math.IsNaN(a) && math.IsNaN(b) || relClose(a, b, 1e-12)
}
