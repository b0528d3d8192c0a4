package labels

import (
	"context"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/dataset/table"
)

// Column is one column of a source in memory (see package table).
type Column = table.Column

// Table is the columns of a source that a label command needs.
type Table = table.Table

// Load reads the named columns of a source into memory (see table.Load).
func Load(ctx context.Context, src *dataset.Source, names []string, workers int) (*Table, error) {
	return table.Load(ctx, src, names, workers)
}
