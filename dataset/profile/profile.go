// Package profile computes mergeable column profiles: counts, nulls,
// distinct values, bounds, moments, quantiles, histograms, most frequent
// values and string lengths, in one pass over Arrow record batches.
//
// Glossary:
//   - Column: the profile state of one column, built with Add and combined
//     with Merge. Merge is associative, so row groups, files, versions and
//     shards profiled apart combine into one profile.
//   - Summary: the figures users read, computed from the state; stored in
//     every dataset version's manifest.
//   - exact: distinct counts and value counts are exact below
//     ExactDistinctCap distinct values (HyperLogLog and Misra-Gries above);
//     quantiles and histograms are exact below 256 values per column (a KLL
//     sketch with k = 256 above, rank error about 1%).
//
// Profiles from the same rows, split into the same row groups and merged in
// the same order, are identical, whatever the number of workers.
package profile

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
)

// Spec names a column to profile.
type Spec struct {
	Name string
	Type string // as users see it, e.g. "timestamp[ms]"
	Kind Kind
}

// Profile is the mergeable profile of a set of columns.
type Profile struct {
	Rows    int64
	Columns []*Column
}

// New returns an empty profile of the given columns. seed feeds the
// quantile sketches; give each row group its own (its index, say).
func New(specs []Spec, seed uint64) *Profile {
	p := &Profile{Columns: make([]*Column, len(specs))}
	for i, s := range specs {
		p.Columns[i] = NewColumn(s.Name, s.Type, s.Kind, seed*0x9e3779b97f4a7c15+uint64(i)+1)
	}
	return p
}

// Add profiles a record batch whose columns are the profile's columns, in
// order.
func (p *Profile) Add(rec arrow.RecordBatch) {
	p.Rows += rec.NumRows()
	for i, c := range p.Columns {
		c.Add(rec.Column(i))
	}
}

// Merge adds o, a profile of other rows with the same columns, to p.
func (p *Profile) Merge(o *Profile) error {
	if len(o.Columns) != len(p.Columns) {
		return fmt.Errorf("merge profiles: %d columns and %d", len(p.Columns), len(o.Columns))
	}
	for i, c := range p.Columns {
		oc := o.Columns[i]
		if oc.Name != c.Name || oc.Kind != c.Kind {
			return fmt.Errorf("merge profiles: column %d is %s %s and %s %s", i+1, c.Name, c.Type, oc.Name, oc.Type)
		}
	}
	p.Rows += o.Rows
	for i, c := range p.Columns {
		c.Merge(o.Columns[i])
	}
	return nil
}

// Column returns the named column's profile, or nil.
func (p *Profile) Column(name string) *Column {
	for _, c := range p.Columns {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// Select returns a profile of the named columns only (sharing state).
func (p *Profile) Select(names []string) (*Profile, error) {
	out := &Profile{Rows: p.Rows}
	for _, n := range names {
		c := p.Column(n)
		if c == nil {
			return nil, fmt.Errorf("no column %q in profile", n)
		}
		out.Columns = append(out.Columns, c)
	}
	return out, nil
}
