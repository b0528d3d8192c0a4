package dataset

// Shard addresses one row group of a scan so that a worker elsewhere, with
// a scanner of the same files, scans it alone (ScanOptions.Only) and knows
// its place in the whole: its position among the scan's row groups and the
// number of its first row. Analyzers seed sketches and number rows from
// those, so a shard's state is the one a local scan computes for that row
// group. Comparing shards tells a worker whether it sees the files the
// launcher listed.
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
