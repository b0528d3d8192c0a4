package csvconv

import "fmt"

// Defaults for Options.
const (
	// DefaultSampleRows is the number of data rows per file inference reads
	// by default, as in DuckDB's read_csv.
	DefaultSampleRows = 20480
	// DefaultRowGroupRows is the largest number of rows in one Parquet row
	// group by default.
	DefaultRowGroupRows int64 = 1 << 20
	// DictionaryMaxBytes bounds the dictionary of a string column within a
	// row group; past it the column chunk continues PLAIN-encoded. 1 MiB is
	// the dictionary page limit of parquet-mr and Arrow.
	DictionaryMaxBytes = 1 << 20
)

// Options configure Infer and Convert. Use DefaultOptions as a start: the
// zero value samples whole files.
type Options struct {
	// SampleRows is the number of data rows of each file that inference
	// reads. Zero or negative reads the whole file, which makes Convert
	// read each file a second time but can never fail on a cell's type.
	SampleRows int
	// Types are type hints: a column named here gets the given type instead
	// of the inferred one. Every name must be a column of the header.
	Types map[string]Type
	// Prefer gives types for columns the files may have: the types of the
	// dataset version an append extends, so that a batch of whole numbers
	// in a float64 column stays float64. Unlike Types, a name that is not
	// in the header is ignored; Types wins where both name a column.
	Prefer map[string]Type
	// RowGroupRows is the largest number of rows per Parquet row group;
	// zero or negative means DefaultRowGroupRows.
	RowGroupRows int64
}

// DefaultOptions returns the options assay uses: a sample of
// DefaultSampleRows rows and row groups of DefaultRowGroupRows rows.
func DefaultOptions() Options {
	return Options{SampleRows: DefaultSampleRows, RowGroupRows: DefaultRowGroupRows}
}

// Validate reports an invalid type in Types. Names are checked against the
// header by Infer.
func (o Options) Validate() error {
	for name, t := range o.Types {
		if !t.Valid() {
			return fmt.Errorf("type hint for column %q: %w %q (want one of %s)", name, ErrInvalidType, string(t), typeList)
		}
	}
	for name, t := range o.Prefer {
		if !t.Valid() {
			return fmt.Errorf("preferred type for column %q: %w %q (want one of %s)", name, ErrInvalidType, string(t), typeList)
		}
	}
	return nil
}

// typeOf returns the type Types or Prefer give a column, and whether it
// came from Prefer.
func (o Options) typeOf(name string) (t Type, preferred, ok bool) {
	if t, ok := o.Types[name]; ok {
		return t, false, true
	}
	t, ok = o.Prefer[name]
	return t, ok, ok
}

func (o Options) rowGroupRows() int64 {
	if o.RowGroupRows <= 0 {
		return DefaultRowGroupRows
	}
	return o.RowGroupRows
}
