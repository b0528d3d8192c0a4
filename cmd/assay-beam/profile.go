package main

import (
	"context"
	"fmt"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/dataset/profile"
)

// profileAnalysis profiles the columns of one source.
type profileAnalysis struct {
	scanned
	columns []string
}

func openProfile(ctx context.Context, repo *dataset.Repo, j Job) (*profileAnalysis, error) {
	if len(j.Refs) != 1 {
		return nil, fmt.Errorf("%w: profile reads one source, not %d", dataset.ErrInvalid, len(j.Refs))
	}
	s, err := openScanned(ctx, repo, j.Refs[0])
	if err != nil {
		return nil, err
	}
	a := &profileAnalysis{scanned: s, columns: j.Columns}
	if _, err := s.sc.Projection(j.Columns); err != nil {
		a.Close()
		return nil, err
	}
	return a, nil
}

func (a *profileAnalysis) scan(ctx context.Context, _ int, only func(dataset.RowGroup) bool) (state, error) {
	return dataset.Profile(ctx, a.sc, dataset.ScanOptions{Columns: a.columns, Workers: 1, Only: only})
}

func (a *profileAnalysis) decode(_ int, b []byte) (state, error) {
	p := new(profile.Profile)
	if err := p.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	return p, nil
}

func (a *profileAnalysis) merge(into, next state) error {
	return into.(*profile.Profile).Merge(next.(*profile.Profile))
}
