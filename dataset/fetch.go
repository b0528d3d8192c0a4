package dataset

import (
	"context"
	"slices"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
)

// FetchRows renders the rows with the given row numbers (from 0, across
// the scanner's files) as text, one string per column of cols, scanning
// only the row groups that hold them. For nulls see FetchCells.
func FetchRows(ctx context.Context, s *Scanner, cols []string, nums []int64) (map[int64][]string, error) {
	cells, err := FetchCells(ctx, s, cols, nums)
	if err != nil {
		return nil, err
	}
	out := make(map[int64][]string, len(cells))
	for n, row := range cells {
		vals := make([]string, len(row))
		for i, c := range row {
			vals[i] = "null"
			if c != nil {
				vals[i] = *c
			}
		}
		out[n] = vals
	}
	return out, nil
}

// FetchCells is FetchRows with nulls as nil.
func FetchCells(ctx context.Context, s *Scanner, cols []string, nums []int64) (map[int64][]*string, error) {
	out := map[int64][]*string{}
	if len(nums) == 0 {
		return out, nil
	}
	var mu sync.Mutex
	want := func(rg RowGroup) bool {
		return slices.ContainsFunc(nums, func(n int64) bool { return n >= rg.FirstRow && n < rg.FirstRow+rg.NumRows })
	}
	err := s.Scan(ctx, ScanOptions{Columns: cols, Only: want}, func(ctx context.Context, rg RowGroup, r *BatchReader) error {
		for r.Next() {
			rec := r.Record()
			base := rg.FirstRow + r.Offset()
			for _, n := range nums {
				if n < base || n >= base+rec.NumRows() {
					continue
				}
				vals := renderCells(rec, int(n-base))
				mu.Lock()
				out[n] = vals
				mu.Unlock()
			}
		}
		return nil
	})
	return out, err
}

func renderCells(rec arrow.RecordBatch, i int) []*string {
	vals := make([]*string, rec.NumCols())
	for j := range vals {
		if col := rec.Column(j); !col.IsNull(i) {
			s := FormatCell(col, i)
			vals[j] = &s
		}
	}
	return vals
}
