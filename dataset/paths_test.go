package dataset_test

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/assayhq/assay/dataset"
)

func TestExpandPaths(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{
		"d/b.parquet", "d/a.parquet", "d/sub/c.csv", "d/sub/deeper/e.PQ", "d/notes.txt",
		"d/.hidden/h.parquet", "d/._a.parquet", "d/sub/.x.csv",
		"e/z.csv", "empty/readme.md", "x.parquet", "noext",
	} {
		writeFile(t, filepath.Join(dir, f), "x")
	}
	os.MkdirAll(filepath.Join(dir, "dir.parquet"), 0o755) // a directory matching a glob
	t.Chdir(dir)
	tests := []struct {
		name string
		args []string
		want []string
		err  error
	}{
		{"file", []string{"x.parquet"}, []string{"x.parquet"}, nil},
		{"any name when given", []string{"noext"}, []string{"noext"}, nil},
		{"hidden file when given", []string{"d/._a.parquet"}, []string{"d/._a.parquet"}, nil},
		{"dir recursive, sorted, hidden skipped", []string{"d"}, []string{"d/a.parquet", "d/b.parquet", "d/sub/c.csv", "d/sub/deeper/e.PQ"}, nil},
		{"dir with trailing slash", []string{"e/"}, []string{"e/z.csv"}, nil},
		{"hidden dir when given", []string{"d/.hidden"}, []string{"d/.hidden/h.parquet"}, nil},
		{"glob, dirs left out", []string{"*.parquet"}, []string{"x.parquet"}, nil},
		{"glob in dir", []string{"d/*.parquet"}, []string{"d/._a.parquet", "d/a.parquet", "d/b.parquet"}, nil},
		{"order of arguments kept", []string{"x.parquet", "e", "d/b.parquet"}, []string{"x.parquet", "e/z.csv", "d/b.parquet"}, nil},
		{"dedupe same", []string{"x.parquet", "x.parquet"}, []string{"x.parquet"}, nil},
		{"dedupe dir then file", []string{"d", "d/a.parquet"}, []string{"d/a.parquet", "d/b.parquet", "d/sub/c.csv", "d/sub/deeper/e.PQ"}, nil},
		{"dedupe ./ and glob", []string{"./d/a.parquet", "d/*.parquet"}, []string{"./d/a.parquet", "d/._a.parquet", "d/b.parquet"}, nil},
		{"dedupe .. and absolute", []string{"d/../x.parquet", filepath.Join(dir, "x.parquet"), "x.parquet"}, []string{"d/../x.parquet"}, nil},
		{"glob matches nothing", []string{"*.csv"}, nil, dataset.ErrNotFound},
		{"missing file", []string{"x.parquet", "nope.parquet"}, nil, dataset.ErrNotFound},
		{"dir without data", []string{"empty"}, nil, dataset.ErrNotFound},
		{"bad glob", []string{"d/[.parquet"}, nil, dataset.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := dataset.ExpandPaths(tt.args)
			if tt.err != nil {
				if !errors.Is(err, tt.err) {
					t.Errorf("got %v, %v; want %v", got, err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := make([]string, len(tt.want))
			for i, w := range tt.want {
				want[i] = filepath.FromSlash(w)
			}
			if !slices.Equal(got, want) {
				t.Errorf("got %q, want %q", got, want)
			}
		})
	}
}
