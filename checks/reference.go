package checks

import (
	"context"
	"errors"
	"fmt"

	"github.com/assayhq/assay/dataset"
)

// referenceSet is the set of values a reference check looks values up in:
// the distinct keys of a column of another dataset ref or path, read once
// before the scan.
type referenceSet struct {
	check  *Check
	col    dataset.Column // the checked column
	refCol string
	set    *exactSet
}

// checkReference opens the referenced data to check that its column exists
// and matches the checked column's type.
func (p *Plan) checkReference(ctx context.Context, c *Check, probs *Problems) error {
	src, err := dataset.OpenSource(ctx, p.env.Repo, c.Ref, p.env.CSV)
	if err != nil {
		if errors.Is(err, dataset.ErrNotFound) || errors.Is(err, dataset.ErrInvalid) {
			probs.add(c.At("ref"), "reference %s: %v", c.Ref, err)
			return nil
		}
		return err
	}
	defer src.Close()
	sc, err := src.Scanner(ctx)
	if err != nil {
		probs.add(c.At("ref"), "reference %s: %v", c.Ref, err)
		return nil
	}
	defer sc.Close()
	refCol := c.RefColumn
	if refCol == "" {
		refCol = c.Column
	}
	i := sc.Schema().Index(refCol)
	if i < 0 {
		probs.add(c.At("ref_column"), "%s has no column %q", src.Label, refCol)
		return nil
	}
	if j := p.schema.Index(c.Column); j >= 0 && keyFamily(p.schema[j]) != keyFamily(sc.Schema()[i]) {
		probs.add(c.At("ref_column"), "%s column %q is %s; %q here is %s: they cannot match", src.Label, refCol, sc.Schema()[i].Type, c.Column, p.schema[j].Type)
	}
	return nil
}

// keyFamily groups types whose keys compare: integers (and dates and
// timestamps by their numbers), floats, strings, booleans.
func keyFamily(c dataset.Column) string {
	dt := c.Arrow()
	switch {
	case isIntType(dt):
		return "int"
	case isFloatType(dt):
		return "float"
	case isStringType(dt):
		return "string"
	}
	return string(c.Type)
}

// load reads the referenced column's distinct values.
func (ref *referenceSet) load(ctx context.Context, p *Plan) error {
	c := ref.check
	src, err := dataset.OpenSource(ctx, p.env.Repo, c.Ref, p.env.CSV)
	if err != nil {
		return err
	}
	defer src.Close()
	sc, err := src.Scanner(ctx)
	if err != nil {
		return err
	}
	defer sc.Close()
	refCol := c.RefColumn
	if refCol == "" {
		refCol = c.Column
	}
	ref.refCol = refCol
	ref.set = newExactSet()
	return sc.Scan(ctx, dataset.ScanOptions{Columns: []string{refCol}, Workers: p.env.Workers}, func(ctx context.Context, rg dataset.RowGroup, br *dataset.BatchReader) error {
		var keys []key
		var scratch setScratch
		for br.Next() {
			a := br.Record().Column(0)
			keys = keys[:0]
			all := make([]key, a.Len())
			singleKeys(a, all)
			for i, k := range all {
				if !a.IsNull(i) {
					keys = append(keys, k)
				}
			}
			ref.set.addBatch(keys, &scratch)
		}
		if err := br.Err(); err != nil {
			return fmt.Errorf("reference %s: %w", c.Ref, err)
		}
		return nil
	})
}

// referenceVerdict: a value passes when the referenced column has it.
func referenceVerdict(col string, ref *referenceSet) verdictFunc {
	var keys []key
	return func(b *batch, out []byte) error {
		a := b.col(col)
		if cap(keys) < b.n {
			keys = make([]key, b.n)
		}
		keys = keys[:b.n]
		singleKeys(a, keys)
		for i, k := range keys {
			switch {
			case a.IsNull(i):
				out[i] = vNull
			case ref.set.count(k) > 0:
				out[i] = vPass
			default:
				out[i] = vFail
			}
		}
		return nil
	}
}
