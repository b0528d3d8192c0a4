package main

import (
	"context"
	"fmt"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/dataset/profile"
)

// profileAnalysis profiles the columns of one source.
type profileAnalysis struct {
	src     *dataset.Source
	sc      *dataset.Scanner
	columns []string
}

func openProfile(ctx context.Context, repo *dataset.Repo, j Job) (*profileAnalysis, error) {
	if len(j.Refs) != 1 {
		return nil, fmt.Errorf("%w: profile reads one source, not %d", dataset.ErrInvalid, len(j.Refs))
	}
	src, err := openSource(ctx, repo, j.Refs[0])
	if err != nil {
		return nil, err
	}
	sc, err := src.Scanner(ctx)
	if err != nil {
		src.Close()
		return nil, err
	}
	a := &profileAnalysis{src: src, sc: sc, columns: j.Columns}
	if _, err := sc.Projection(j.Columns); err != nil {
		a.Close()
		return nil, err
	}
	return a, nil
}

func (a *profileAnalysis) scanners() []*dataset.Scanner { return []*dataset.Scanner{a.sc} }

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

func (a *profileAnalysis) Close() error {
	a.sc.Close()
	return a.src.Close()
}
