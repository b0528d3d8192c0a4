package drift

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/zeebo/xxh3"
	"golang.org/x/sync/errgroup"

	"github.com/assayhq/assay/dataset"
)

// Side is one side of a comparison.
type Side int

// The sides.
const (
	Reference Side = iota
	Current
)

func (s Side) String() string {
	switch s {
	case Reference:
		return "reference"
	case Current:
		return "current"
	}
	return fmt.Sprintf("side %d", int(s))
}

// Plan is a comparison set up from both sources' footers: the columns,
// what each side reads, whether the reference comes from its stored
// profile, each side's sampling rate. Compare is NewPlan, a Scan of each
// side, and Finish; a sharded run scans row groups apart (Scan with
// only), merges the parts in row-group order and finishes with them.
//
// A Plan is safe for concurrent Scans, DecodeParts and Finishes; Close it
// after the last.
type Plan struct {
	opts           Options
	refSrc, curSrc *dataset.Source
	fromProfile    bool
	scanners       [2]*dataset.Scanner // nil for a reference from its profile
	cols           dataset.Schema      // compared
	read           dataset.Schema      // read: cols, then target, prediction, error and time
	rows           bool                // categorical columns keep their rows' codes
	workers        int
	rate           [2]float64 // the probability a row is sampled
	fp             [2]uint64  // what parts of a side must have been made with
	start          time.Time
}

// NewPlan validates the options, opens both sources' footers and picks
// the columns.
func NewPlan(ctx context.Context, refSrc, curSrc *dataset.Source, opts Options) (*Plan, error) {
	p := &Plan{refSrc: refSrc, curSrc: curSrc, start: time.Now(), rate: [2]float64{1, 1}}
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	p.opts = opts
	var err error
	if p.fromProfile, err = useProfile(refSrc, opts); err != nil {
		return nil, err
	}
	if p.scanners[Current], err = curSrc.Scanner(ctx); err != nil {
		return nil, err
	}
	var refSchema dataset.Schema
	if p.fromProfile {
		refSchema = refSrc.Manifest.Schema
	} else {
		if p.scanners[Reference], err = refSrc.Scanner(ctx); err != nil {
			p.Close()
			return nil, err
		}
		refSchema = p.scanners[Reference].Schema()
	}
	curSchema := p.scanners[Current].Schema()
	if p.cols, err = columns(refSchema, curSchema, opts); err != nil {
		p.Close()
		return nil, err
	}
	p.read = slices.Clone(p.cols)
	for _, extra := range []string{opts.Target, opts.Prediction, opts.Error, opts.Time} {
		if extra == "" || p.read.Index(extra) >= 0 {
			continue
		}
		ri, ci := refSchema.Index(extra), curSchema.Index(extra)
		if ri < 0 || ci < 0 {
			p.Close()
			return nil, fmt.Errorf("%w: column %q is not in both %s and %s", dataset.ErrInvalid, extra, refSrc.Label, curSrc.Label)
		}
		p.read = append(p.read, curSchema[ci])
	}
	p.workers = opts.Workers
	if p.workers <= 0 {
		p.workers = runtime.GOMAXPROCS(0)
	}
	p.rows = opts.needsRows()
	for s, sc := range p.scanners {
		if sc == nil {
			continue
		}
		if n := sc.NumRows(); opts.SampleCap > 0 && n > int64(opts.SampleCap) {
			p.rate[s] = float64(opts.SampleCap) / float64(n)
		}
		p.fp[s] = p.fingerprint(Side(s))
	}
	return p, nil
}

// fingerprint hashes what a side's parts depend on: the side, its rows
// and row groups, the sampling rate, the columns read and whether rows
// are kept. Parts of plans with other fingerprints do not mix.
func (p *Plan) fingerprint(s Side) uint64 {
	sc := p.scanners[s]
	b := []byte(partMagic)
	b = append(b, byte(s))
	b = binary.LittleEndian.AppendUint64(b, uint64(sc.NumRows()))
	b = binary.AppendUvarint(b, uint64(len(sc.RowGroups())))
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(p.rate[s]))
	if p.rows {
		b = append(b, 1)
	} else {
		b = append(b, 0)
	}
	for _, c := range p.read {
		t := c.String()
		b = binary.AppendUvarint(b, uint64(len(t)))
		b = append(b, t...)
	}
	return xxh3.Hash(b)
}

// Close closes the sources' files.
func (p *Plan) Close() error {
	var err error
	for i, sc := range p.scanners {
		if sc != nil {
			err = errors.Join(err, sc.Close())
			p.scanners[i] = nil
		}
	}
	return err
}

// Scanner returns the side's scanner (of the whole side: all its files'
// footers), whose Shards are the row groups to scan apart; nil for a
// reference read from its profile.
func (p *Plan) Scanner(s Side) *dataset.Scanner {
	if s != Reference && s != Current {
		return nil
	}
	return p.scanners[s]
}

// FromProfile reports whether the reference comes from its stored
// profile: it is then not scanned, and Finish takes no reference part.
func (p *Plan) FromProfile() bool { return p.fromProfile }

func (p *Plan) scanner(s Side) (*dataset.Scanner, error) {
	switch {
	case s != Reference && s != Current:
		return nil, fmt.Errorf("%w: no %s in a comparison", dataset.ErrInvalid, s)
	case p.scanners[s] == nil && s == Reference && p.fromProfile:
		return nil, fmt.Errorf("%w: the reference %s comes from its stored profile: it is not scanned", dataset.ErrInvalid, p.refSrc.Label)
	case p.scanners[s] == nil:
		return nil, fmt.Errorf("%w: the plan is closed", dataset.ErrInvalid)
	}
	return p.scanners[s], nil
}

// Scan loads the row groups of a side that only accepts (nil: all) into
// a Part. only is called once per row group, before the scan; the
// accepted row groups must be consecutive: a part holds a run of row
// groups, in row order.
func (p *Plan) Scan(ctx context.Context, s Side, only func(dataset.RowGroup) bool) (*Part, error) {
	sc, err := p.scanner(s)
	if err != nil {
		return nil, err
	}
	if only == nil {
		return p.scan(ctx, s, 0, len(sc.RowGroups()), true)
	}
	first, end := -1, -1
	for _, rg := range sc.RowGroups() {
		if !only(rg) {
			continue
		}
		switch {
		case first < 0:
			first, end = rg.Index, rg.Index+1
		case rg.Index == end:
			end++
		default:
			return nil, fmt.Errorf("%w: %s: the row groups to scan are not consecutive (%d follows %d): a part holds a run of row groups", dataset.ErrInvalid, s, rg.Index, end-1)
		}
	}
	if first < 0 {
		return nil, fmt.Errorf("%w: %s: no row group to scan", dataset.ErrInvalid, s)
	}
	return p.scan(ctx, s, first, end, false)
}

// Finish compares the parts of all row groups of both sides (ref nil when
// the reference comes from its stored profile). It takes the parts over:
// it reorders their values, and they cannot be used again.
func (p *Plan) Finish(ctx context.Context, ref, cur *Part) (*Report, error) {
	return p.finish(ctx, ref, cur, nil)
}

// finish is Finish with the reference's sides from its profile, when
// already loaded.
func (p *Plan) finish(ctx context.Context, refPart, curPart *Part, refSides map[string]*side) (*Report, error) {
	if err := p.whole(Current, curPart); err != nil {
		return nil, err
	}
	if p.fromProfile {
		if refPart != nil {
			return nil, fmt.Errorf("%w: the reference %s comes from its stored profile: no reference part to finish with", dataset.ErrInvalid, p.refSrc.Label)
		}
	} else if err := p.whole(Reference, refPart); err != nil {
		return nil, err
	}
	curPart.used = true
	if refPart != nil {
		refPart.used = true
	}
	var err error
	if p.fromProfile && refSides == nil {
		if refSides, err = profileSides(ctx, p.refSrc, p.cols, p.opts.SampleCap); err != nil {
			return nil, err
		}
	}
	opts := p.opts
	var ref *frame
	cur := p.frame(curPart, p.curSrc.Label)
	if !p.fromProfile {
		ref = p.frame(refPart, p.refSrc.Label)
	}
	rep := &Report{
		Version: ReportVersion, Reference: p.refSrc.Label, Current: p.curSrc.Label, Time: opts.Now.UTC(),
		CurRows: cur.rows, Sampled: cur.rate < 1,
		Method: opts.Method, Correction: opts.Correction, Threshold: opts.DatasetThreshold,
	}
	if p.fromProfile {
		rep.RefRows = p.refSrc.Manifest.Rows
		rep.ReferenceNote = "reference from the profile stored with " + p.refSrc.Label + " (its data not read)"
	} else {
		rep.RefRows = ref.rows
		rep.Sampled = rep.Sampled || ref.rate < 1
	}
	rep.Columns = make([]*ColumnResult, len(p.cols))
	g, _ := errgroup.WithContext(ctx)
	g.SetLimit(p.workers)
	// One sort buffer per running comparison, passed from one to the next.
	scratch := make(chan *[]uint64, p.workers)
	for range p.workers {
		scratch <- new([]uint64)
	}
	for i, c := range p.cols {
		g.Go(func() error {
			buf := <-scratch
			defer func() { scratch <- buf }()
			cd := cur.cols[c.Name]
			rs := refSides[c.Name]
			if rs == nil {
				rs = sideOf(ref.cols[c.Name], !p.rows, buf)
			}
			r := compareColumn(c.Name, typeName(c), cd.numeric, rs, sideOf(cd, !p.rows, buf), opts.Method, opts.Threshold)
			if rs.sketched {
				r.Notes = append(r.Notes, "reference from the stored profile's sketch: approximate")
			}
			rep.Columns[i] = r
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	correct(rep.Columns, opts.Correction)
	for _, c := range rep.Columns {
		if c.Drifted {
			rep.DriftedCount++
		}
	}
	rep.ColumnCount = len(rep.Columns)
	if rep.ColumnCount > 0 {
		rep.DriftedShare = float64(rep.DriftedCount) / float64(rep.ColumnCount)
		rep.Drifted = rep.DriftedShare >= opts.DatasetThreshold
	}
	if opts.Multivariate == "classifier" || opts.Multivariate == "pca" {
		if rep.Multivariate, err = multivariate(ref, cur, p.cols.Names(), opts.Multivariate); err != nil {
			return nil, err
		}
	}
	if opts.Target != "" || opts.Prediction != "" || opts.Error != "" {
		rep.Concept = concept(ref, cur, p.cols.Names(), opts)
	}
	rep.Elapsed = time.Since(p.start).Seconds()
	return rep, nil
}

// whole checks that q is a side's part of all its row groups, made with
// this plan and not finished with before.
func (p *Plan) whole(s Side, q *Part) error {
	sc, err := p.scanner(s)
	if err != nil {
		return err
	}
	n := len(sc.RowGroups())
	switch {
	case q == nil:
		return fmt.Errorf("%w: no %s part to finish with", dataset.ErrInvalid, s)
	case q.used:
		return fmt.Errorf("%w: the %s part was finished with before", dataset.ErrInvalid, s)
	case q.side != s:
		return fmt.Errorf("%w: a %s part given as the %s", dataset.ErrInvalid, q.side, s)
	case q.fp != p.fp[s]:
		return fmt.Errorf("%w: the %s part was made by another plan (other data or options)", dataset.ErrInvalid, s)
	case q.first != 0 || q.end != n:
		return fmt.Errorf("%w: the %s part holds row groups %d to %d of %d: finish needs all", dataset.ErrInvalid, s, q.first, q.end-1, n)
	case q.rows != sc.NumRows():
		return fmt.Errorf("%w: the %s part holds %d rows, not the side's %d", dataset.ErrInvalid, s, q.rows, sc.NumRows())
	}
	return nil
}

// frame turns a side's part of all row groups into a frame; categories
// get codes in sorted order.
func (p *Plan) frame(q *Part, label string) *frame {
	f := &frame{label: label, rows: q.rows, cols: make(map[string]*colData, len(p.read)), sampled: q.n, rate: p.rate[q.side]}
	for j, c := range p.read {
		pc := &q.cols[j]
		d := &colData{col: c, numeric: !pc.cat, num: pc.num, nulls: pc.nulls, nan: pc.nan, rows: f.rows}
		f.cols[c.Name] = d
		if !pc.cat {
			continue
		}
		if !slices.IsSorted(pc.names) {
			// Merged parts list categories in order of first appearance.
			var remap []int32
			pc.names, pc.counts, remap = sortCategories(pc.names, pc.counts)
			for i, k := range pc.codes {
				if k >= 0 {
					pc.codes[i] = remap[k]
				}
			}
			pc.index = nil
		}
		d.cats, d.counts, d.codes = pc.names, pc.counts, pc.codes
		if p.rows {
			// Codes of categories by name, for concept and multivariate drift.
			d.index = make(map[string]int32, len(d.cats))
			for i, k := range d.cats {
				d.index[k] = int32(i)
			}
		}
	}
	return f
}

// sortCategories returns categories and their counts in sorted order, and
// remap, each old position's new one.
func sortCategories(names []string, counts []int64) (sorted []string, sortedCounts []int64, remap []int32) {
	order := make([]int32, len(names))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { return strings.Compare(names[a], names[b]) })
	sorted, sortedCounts, remap = make([]string, len(order)), make([]int64, len(order)), make([]int32, len(order))
	for i, o := range order {
		sorted[i], sortedCounts[i], remap[o] = names[o], counts[o], int32(i)
	}
	return sorted, sortedCounts, remap
}
