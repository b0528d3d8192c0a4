package csvconv

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
)

// Column is a column of the output: its name from the header and its type.
type Column struct {
	Name string
	Type Type
}

// Infer reads the header and a sample of each file (see Options.SampleRows)
// and returns the columns, in header order, with types joined over all
// files and type hints applied. All files must have the same header.
func Infer(ctx context.Context, files []string, opts Options) ([]Column, error) {
	if len(files) == 0 {
		return nil, ErrNoFiles
	}
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	var inf inferrer
	for _, name := range files {
		if err := inferFile(ctx, &inf, name, opts); err != nil {
			return nil, err
		}
	}
	return inf.columns(opts), nil
}

func inferFile(ctx context.Context, inf *inferrer, name string, opts Options) error {
	src, err := openFile(name)
	if err != nil {
		return err
	}
	defer src.close()
	return inf.sample(ctx, src, opts)
}

// inferrer accumulates the cell types seen per column over the files.
type inferrer struct {
	file   string   // first file, for messages
	header []string // first file's header
	kinds  []kind   // union of cell types per column
	hinted []bool
}

// sample adds the cell types of the first opts.SampleRows records of src.
func (inf *inferrer) sample(ctx context.Context, src *source, opts Options) error {
	if inf.header == nil {
		if err := checkHints(src, opts.Types); err != nil {
			return err
		}
		inf.file, inf.header = src.name, src.header
		inf.kinds = make([]kind, len(src.header))
		inf.hinted = make([]bool, len(src.header))
		for i, name := range src.header {
			_, _, inf.hinted[i] = opts.typeOf(name)
		}
	} else if err := sameHeader(src, inf.header, "the header of "+inf.file); err != nil {
		return err
	}
	if !slices.Contains(inf.hinted, false) {
		return nil // every column is hinted: nothing to infer
	}
	for n := 0; opts.SampleRows <= 0 || n < opts.SampleRows; n++ {
		if n%checkEvery == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		rec, err := src.read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		for i, cell := range rec {
			if k := inf.kinds[i]; inf.hinted[i] || k&kString != 0 {
				continue // the column's type is settled
			}
			inf.kinds[i] |= classify(cell)
		}
	}
	return nil
}

// columns returns the inferred columns with the hints applied.
func (inf *inferrer) columns(opts Options) []Column {
	cols := make([]Column, len(inf.header))
	for i, name := range inf.header {
		cols[i] = Column{Name: name, Type: inf.kinds[i].resolve()}
		if t, _, ok := opts.typeOf(name); ok {
			cols[i].Type = t
		}
	}
	return cols
}

// checkHints reports every hint whose name is not in the header.
func checkHints(src *source, hints map[string]Type) error {
	var unknown []string
	for name := range hints {
		if !slices.Contains(src.header, name) {
			unknown = append(unknown, fmt.Sprintf("%q", name))
		}
	}
	if unknown == nil {
		return nil
	}
	slices.Sort(unknown)
	return fmt.Errorf("%s: type hint for %w %s (columns: %s)",
		src.name, ErrUnknownColumn, strings.Join(unknown, ", "), snippet(strings.Join(src.header, ",")))
}

// sameHeader reports where src's header differs from want; what names
// where want comes from.
func sameHeader(src *source, want []string, what string) error {
	header := src.header
	for i := range max(len(header), len(want)) {
		var diff string
		switch {
		case i >= len(header):
			diff = fmt.Sprintf("column %d %s is missing", i+1, snippet(want[i]))
		case i >= len(want):
			diff = fmt.Sprintf("column %d %s is extra", i+1, snippet(header[i]))
		case header[i] != want[i]:
			diff = fmt.Sprintf("column %d is %s, want %s", i+1, snippet(header[i]), snippet(want[i]))
		default:
			continue
		}
		return fmt.Errorf("%s:%d: %w %s: %s", src.name, src.headerLine, ErrHeaderMismatch, what, diff)
	}
	return nil
}
