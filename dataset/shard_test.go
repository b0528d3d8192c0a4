package dataset_test

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/dataset/profile"
)

// TestShardProfilesMergeToLocal profiles each shard of two files on its
// own (as a worker does), sends the states through their binary encoding, merges them in
// shard order and expects the local profile's exact bytes.
func TestShardProfilesMergeToLocal(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	inputs := []dataset.Input{
		dataset.FileInput(writeParquet(t, filepath.Join(dir, "a.parquet"), pqSpec{columns: smallColumns(), rows: 700, rowGroupRows: 250, seed: 1})),
		dataset.FileInput(writeParquet(t, filepath.Join(dir, "b.parquet"), pqSpec{columns: smallColumns(), rows: 400, rowGroupRows: 300, seed: 2})),
	}
	sc, err := dataset.NewScanner(ctx, inputs)
	if err != nil {
		t.Fatal(err)
	}
	defer sc.Close()
	local, err := dataset.Profile(ctx, sc, dataset.ScanOptions{Workers: 3, BatchRows: 64})
	if err != nil {
		t.Fatal(err)
	}
	shards := sc.Shards()
	if len(shards) != 5 {
		t.Fatalf("%d shards, want 5", len(shards))
	}
	var merged *profile.Profile
	for i, sh := range shards {
		if sh.Index != i || (i == 3 && (sh.File != 1 || sh.RowGroup != 0 || sh.FirstRow != 700)) {
			t.Fatalf("shard %d: %+v", i, sh)
		}
		p, err := dataset.Profile(ctx, sc, dataset.ScanOptions{BatchRows: 64, Only: func(rg dataset.RowGroup) bool { return rg.Index == sh.Index }})
		if err != nil {
			t.Fatal(err)
		}
		b, err := p.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		q := new(profile.Profile)
		if err := q.UnmarshalBinary(b); err != nil {
			t.Fatal(err)
		}
		if merged == nil {
			merged = q
		} else if err := merged.Merge(q); err != nil {
			t.Fatal(err)
		}
	}
	want, _ := local.MarshalBinary()
	got, _ := merged.MarshalBinary()
	if !bytes.Equal(got, want) {
		t.Errorf("merged shard profiles differ from the local profile:\n got %+v\nwant %+v", merged.Summary(), local.Summary())
	}
}
