package dataset

import (
	"context"
	"fmt"

	"github.com/parquet-go/parquet-go"

	"github.com/assayhq/assay/dataset/store"
)

// Shard addresses one row group of a scan so that a worker elsewhere can
// read it alone and still know its place in the whole: its position among
// the scan's row groups and the number of its first row. Analyzers seed
// sketches and number rows from those, so a shard's state is the one a
// local scan computes for that row group.
type Shard struct {
	Index    int    // position among the scan's row groups
	File     int    // index of its Input
	FileName string // its Input's name
	RowGroup int    // index within its file
	FirstRow int64  // row number (from 0, across all files) of its first row
	NumRows  int64
}

// Shards returns the scan's row groups as shards, in file order.
func (s *Scanner) Shards() []Shard {
	out := make([]Shard, len(s.rowGroups))
	for i, rg := range s.rowGroups {
		out[i] = Shard{Index: rg.Index, File: rg.File, FileName: rg.FileName, RowGroup: rg.fileRG, FirstRow: rg.FirstRow, NumRows: rg.NumRows}
	}
	return out
}

// OpenShard opens the file of one shard (inputs[sh.File]) and returns a
// Scanner whose only row group is the shard's, with the shard's Index and
// FirstRow (its File is 0, the scanner's one file). Its Schema is that
// file's and its NumRows the shard's rows.
// A file whose row group no longer matches the shard (replaced since the
// shards were listed) is an ErrInvalid error naming it.
func OpenShard(ctx context.Context, inputs []Input, sh Shard) (*Scanner, error) {
	if sh.File < 0 || sh.File >= len(inputs) {
		return nil, fmt.Errorf("%w: shard %d names file %d of %d", ErrInvalid, sh.Index, sh.File, len(inputs))
	}
	in := inputs[sh.File]
	b, err := in.Open(ctx)
	if err != nil {
		return nil, err
	}
	s := &Scanner{inputs: []Input{in}, blobs: []store.Blob{b}}
	f, err := openParquet(in.Name, b)
	if err != nil {
		s.Close()
		return nil, err
	}
	s.files = []*parquet.File{f}
	s.schema = schemaOf(f.Schema())
	groups := f.RowGroups()
	if sh.RowGroup < 0 || sh.RowGroup >= len(groups) || groups[sh.RowGroup].NumRows() != sh.NumRows {
		s.Close()
		return nil, fmt.Errorf("%w: %s: row group %d is not the %d-row group listed for shard %d (file replaced?)", ErrInvalid, in.Name, sh.RowGroup, sh.NumRows, sh.Index)
	}
	rg := groups[sh.RowGroup]
	s.rowGroups = []RowGroup{{
		Index: sh.Index, File: 0, FileName: in.Name,
		FirstRow: sh.FirstRow, NumRows: sh.NumRows, pq: rg, fileRG: sh.RowGroup,
	}}
	s.rows = sh.NumRows
	return s, nil
}
