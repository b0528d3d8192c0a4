package dataset

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/assayhq/assay/dataset/csvconv"
)

// ExpandPaths turns files, directories and globs into the list of data
// files they name, sorted within each argument and without duplicates (a
// file named twice, also as "./a.parquet" and "a.parquet", or through a
// directory and a glob, is listed once, where it first appears). A
// directory contributes its *.parquet, *.pq and *.csv files, recursively,
// leaving out hidden files and directories (names starting with "."), such
// as the "._x.parquet" files macOS leaves on shared volumes. An argument
// that names nothing is an ErrNotFound error.
func ExpandPaths(args []string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	add := func(p string) {
		key := filepath.Clean(p)
		if abs, err := filepath.Abs(p); err == nil {
			key = abs
		}
		if !seen[key] {
			seen[key] = true
			out = append(out, p)
		}
	}
	for _, arg := range args {
		if IsGlob(arg) {
			matches, err := filepath.Glob(arg)
			if err != nil {
				return nil, fmt.Errorf("%w: bad glob %q: %v", ErrInvalid, arg, err)
			}
			var files []string
			for _, m := range matches {
				if st, err := os.Stat(m); err == nil && !st.IsDir() {
					files = append(files, m)
				}
			}
			if len(files) == 0 {
				return nil, fmt.Errorf("%w: %s matches no files", ErrNotFound, arg)
			}
			slices.Sort(files)
			for _, f := range files {
				add(f)
			}
			continue
		}
		st, err := os.Stat(arg)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil, fmt.Errorf("%w: %s: no such file or directory", ErrNotFound, arg)
			}
			return nil, err
		}
		if !st.IsDir() {
			add(arg)
			continue
		}
		var files []string
		err = filepath.WalkDir(arg, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if p != arg && strings.HasPrefix(d.Name(), ".") {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if !d.IsDir() && isDataFileName(d.Name()) {
				files = append(files, p)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		if len(files) == 0 {
			return nil, fmt.Errorf("%w: directory %s holds no .parquet or .csv files", ErrNotFound, arg)
		}
		slices.Sort(files)
		for _, f := range files {
			add(f)
		}
	}
	return out, nil
}

func isDataFileName(name string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	return ext == ".parquet" || ext == ".pq" || ext == ".csv"
}

// isCSV decides a file's format: by extension, else by the Parquet magic
// number at its start.
func isCSV(path string) (bool, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv":
		return true, nil
	case ".parquet", ".pq":
		return false, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	magic := make([]byte, 4)
	if _, err := io.ReadFull(f, magic); err != nil || string(magic) != "PAR1" {
		return false, fmt.Errorf("%w: %s is neither Parquet nor CSV (name CSV files *.csv)", ErrInvalid, path)
	}
	return false, nil
}

// localFile is a data file given by path, after any CSV conversion.
type localFile struct {
	Path   string // the Parquet file to read
	Name   string // the name it gets in a version
	Source string // the CSV it came from, if any
}

// prepared is a set of local data files ready to scan; Close removes the
// Parquet files converted from CSV.
type prepared struct {
	files []localFile
	tmp   string
}

func (p *prepared) Close() error {
	if p.tmp != "" {
		return os.RemoveAll(p.tmp)
	}
	return nil
}

func (p *prepared) inputs() []Input {
	in := make([]Input, len(p.files))
	for i, f := range p.files {
		in[i] = FileInput(f.Path)
		if f.Source != "" {
			in[i].Name = f.Source
		}
	}
	return in
}

// prepare expands the arguments and converts CSV files to Parquet in a
// temporary directory, with one schema inferred across them.
func prepare(ctx context.Context, args []string, opts csvconv.Options) (*prepared, error) {
	paths, err := ExpandPaths(args)
	if err != nil {
		return nil, err
	}
	p := &prepared{}
	var csvs []string
	for _, path := range paths {
		csv, err := isCSV(path)
		if err != nil {
			return nil, err
		}
		if csv {
			csvs = append(csvs, path)
		}
	}
	var cols []csvconv.Column
	if len(csvs) > 0 {
		if cols, err = csvconv.Infer(ctx, csvs, opts); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrInvalid, err)
		}
		if p.tmp, err = os.MkdirTemp("", "assay-csv-"); err != nil {
			return nil, err
		}
	}
	for _, path := range paths {
		name := filepath.Base(path)
		if !slices.Contains(csvs, path) {
			p.files = append(p.files, localFile{Path: path, Name: name})
			continue
		}
		out := filepath.Join(p.tmp, fmt.Sprintf("%04d.parquet", len(p.files)))
		if err := convertCSV(ctx, path, out, cols, opts); err != nil {
			p.Close()
			return nil, err
		}
		name = strings.TrimSuffix(name, filepath.Ext(name)) + ".parquet"
		p.files = append(p.files, localFile{Path: out, Name: name, Source: path})
	}
	return p, nil
}

func convertCSV(ctx context.Context, path, out string, cols []csvconv.Column, opts csvconv.Options) error {
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	if _, err := csvconv.Convert(ctx, path, f, cols, opts); err != nil {
		f.Close()
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	return f.Close()
}
