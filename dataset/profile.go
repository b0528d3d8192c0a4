package dataset

import (
	"context"
	"sync"

	"github.com/assayhq/assay/dataset/profile"
)

// ProfileSpecs returns the profile specs of the given columns.
func ProfileSpecs(cols Schema) []profile.Spec {
	specs := make([]profile.Spec, len(cols))
	for i, c := range cols {
		specs[i] = profile.Spec{Name: c.Name, Type: c.typeString(), Kind: profile.KindOf(c.Arrow())}
	}
	return specs
}

// Profile scans the columns (nil: all supported) and returns their
// profile. Each row group is profiled on its own and the results merge in
// row-group order, so the profile does not depend on the worker count.
// Memory: one partial profile per row group in flight, merged as soon as
// the row groups before it are done.
func Profile(ctx context.Context, s *Scanner, opts ScanOptions) (*profile.Profile, error) {
	proj, err := s.Projection(opts.Columns)
	if err != nil {
		return nil, err
	}
	specs := ProfileSpecs(proj)
	opts.Columns = proj.Names()
	var order []int // the row groups scanned, in order
	for _, rg := range s.RowGroups() {
		if opts.Only == nil || opts.Only(rg) {
			order = append(order, rg.Index)
		}
	}
	var (
		mu      sync.Mutex
		pending = map[int]*profile.Profile{}
		next    int // position in order of the next row group to merge
		total   = profile.New(specs, 0)
	)
	err = s.Scan(ctx, opts, func(ctx context.Context, rg RowGroup, r *BatchReader) error {
		p := profile.New(specs, uint64(rg.Index)+1)
		for r.Next() {
			if err := ctx.Err(); err != nil {
				return err
			}
			p.Add(r.Record())
		}
		if r.Err() != nil {
			return r.Err()
		}
		mu.Lock()
		defer mu.Unlock()
		pending[rg.Index] = p
		for next < len(order) {
			q, ok := pending[order[next]]
			if !ok {
				return nil
			}
			delete(pending, order[next])
			next++
			if err := total.Merge(q); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return total, nil
}
