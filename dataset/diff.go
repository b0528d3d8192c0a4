package dataset

import (
	"context"
	"fmt"
	"slices"

	"github.com/assayhq/assay/dataset/profile"
)

// Diff is what changed from one dataset version (or set of files), A, to
// another, B.
type Diff struct {
	A, B    string       `json:"-"`
	RowsA   int64        `json:"rows_a"`
	RowsB   int64        `json:"rows_b"`
	Added   Schema       `json:"added"`   // columns only in B
	Removed Schema       `json:"removed"` // columns only in A
	Retyped []Retype     `json:"retyped"`
	Columns []ColumnDiff `json:"columns"` // columns in both, in B's order
	Keys    *KeyDiff     `json:"keys,omitempty"`
}

// Retype is a column whose type changed.
type Retype struct {
	Name string `json:"name"`
	From string `json:"from"`
	To   string `json:"to"`
}

// ColumnDiff compares the profiles of a column present in both.
type ColumnDiff struct {
	Name       string         `json:"name"`
	Type       string         `json:"type"`
	NullShareA float64        `json:"null_share_a"`
	NullShareB float64        `json:"null_share_b"`
	MeanA      *profile.Float `json:"mean_a,omitempty"`
	MeanB      *profile.Float `json:"mean_b,omitempty"`
	// MeanShift is the change of the mean in A's standard deviations.
	MeanShift *profile.Float `json:"mean_shift_sd,omitempty"`
	DistinctA int64          `json:"distinct_a"`
	DistinctB int64          `json:"distinct_b"`
	// TopNew and TopGone are values among B's most frequent but not A's,
	// and the reverse.
	TopA    []profile.TopValue `json:"top_a,omitempty"`
	TopB    []profile.TopValue `json:"top_b,omitempty"`
	TopNew  []string           `json:"top_new,omitempty"`
	TopGone []string           `json:"top_gone,omitempty"`
}

// Changed reports whether any figure of the column moved.
func (d ColumnDiff) Changed() bool {
	if d.NullShareA != d.NullShareB || d.DistinctA != d.DistinctB || len(d.TopNew) > 0 || len(d.TopGone) > 0 {
		return true
	}
	if (d.MeanA == nil) != (d.MeanB == nil) {
		return true
	}
	return d.MeanA != nil && *d.MeanA != *d.MeanB
}

// CompareProfiles builds the schema and per-column part of a diff from two
// profiles and schemas.
func CompareProfiles(a, b string, sa, sb Schema, pa, pb profile.Summary) *Diff {
	d := &Diff{A: a, B: b, RowsA: pa.Rows, RowsB: pb.Rows}
	for _, c := range sb {
		i := sa.Index(c.Name)
		if i < 0 {
			d.Added = append(d.Added, c)
			continue
		}
		if sa[i].Type != c.Type || sa[i].UTC != c.UTC {
			d.Retyped = append(d.Retyped, Retype{c.Name, sa[i].typeString(), c.typeString()})
		}
	}
	for _, c := range sa {
		if sb.Index(c.Name) < 0 {
			d.Removed = append(d.Removed, c)
		}
	}
	byName := map[string]profile.ColumnSummary{}
	for _, c := range pa.Columns {
		byName[c.Name] = c
	}
	for _, cb := range pb.Columns {
		ca, ok := byName[cb.Name]
		if !ok {
			continue
		}
		cd := ColumnDiff{
			Name: cb.Name, Type: cb.Type,
			NullShareA: share(ca.Nulls, ca.Count), NullShareB: share(cb.Nulls, cb.Count),
			MeanA: ca.Mean, MeanB: cb.Mean,
			DistinctA: ca.Distinct, DistinctB: cb.Distinct,
			TopA: ca.Top, TopB: cb.Top,
		}
		if ca.Mean != nil && cb.Mean != nil && ca.Std != nil && *ca.Std > 0 {
			s := (*cb.Mean - *ca.Mean) / *ca.Std
			cd.MeanShift = &s
		}
		cd.TopNew = topMinus(cb.Top, ca.Top)
		cd.TopGone = topMinus(ca.Top, cb.Top)
		d.Columns = append(d.Columns, cd)
	}
	return d
}

func share(n, of int64) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) / float64(of)
}

func topMinus(a, b []profile.TopValue) []string {
	var out []string
	for _, v := range a {
		if !slices.ContainsFunc(b, func(w profile.TopValue) bool { return w.Value == v.Value }) {
			out = append(out, v.Value)
		}
	}
	return out
}

// KeyDiff compares rows matched by key columns.
type KeyDiff struct {
	Key       []string `json:"key"`
	Compared  []string `json:"compared"` // columns compared for "changed"
	Added     int64    `json:"added"`    // keys only in B
	Removed   int64    `json:"removed"`  // keys only in A
	Changed   int64    `json:"changed"`  // keys in both with different values
	Unchanged int64    `json:"unchanged"`
	// DuplicatesA and DuplicatesB count rows whose key an earlier row of
	// the same side already had; only the first row of a key is compared.
	DuplicatesA   int64        `json:"duplicates_a"`
	DuplicatesB   int64        `json:"duplicates_b"`
	SampleAdded   []Row        `json:"sample_added,omitempty"`
	SampleRemoved []Row        `json:"sample_removed,omitempty"`
	SampleChanged []ChangedRow `json:"sample_changed,omitempty"`
}

// Row is a rendered row: column names and values.
type Row struct {
	Key    string   `json:"key"`
	Values []string `json:"values"`
}

// ChangedRow is a changed row: its key and the columns that differ.
type ChangedRow struct {
	Key     string       `json:"key"`
	Changes []CellChange `json:"changes"`
}

// CellChange is one column of a changed row.
type CellChange struct {
	Column string `json:"column"`
	A      string `json:"a"`
	B      string `json:"b"`
}

// DiffSample is the number of sample rows of each kind a key diff shows.
const DiffSample = 5

type keyRow struct {
	key, row uint64
	num      int64 // row number
}

// CompareKeys matches the rows of a and b by the key columns and counts
// added, removed and changed rows, with samples of each. Memory: 32 bytes
// per row of a, for the key index; the data itself is streamed.
func CompareKeys(ctx context.Context, a, b *Scanner, key []string, sb Schema) (*KeyDiff, error) {
	kd := &KeyDiff{Key: key}
	sa := a.Schema()
	if len(key) == 0 {
		return nil, fmt.Errorf("%w: a key diff needs at least one key column", ErrInvalid)
	}
	for i, k := range key {
		if slices.Contains(key[:i], k) {
			return nil, fmt.Errorf("%w: key column %q is given twice", ErrInvalid, k)
		}
		ia, ib := sa.Index(k), sb.Index(k)
		if ia < 0 || ib < 0 {
			return nil, fmt.Errorf("%w: key column %q is not in both (A: %v, B: %v)", ErrInvalid, k, ia >= 0, ib >= 0)
		}
		if sa[ia].Type != sb[ib].Type {
			return nil, fmt.Errorf("%w: key column %q is %s in A and %s in B", ErrInvalid, k, sa[ia].Type, sb[ib].Type)
		}
	}
	for _, c := range sb.Supported() {
		if i := sa.Index(c.Name); i >= 0 && sa[i].Type == c.Type && sa[i].Unsupported == "" && !slices.Contains(key, c.Name) {
			kd.Compared = append(kd.Compared, c.Name)
		}
	}
	cols := append(slices.Clone(key), kd.Compared...)
	rowsA, err := hashKeys(ctx, a, cols, len(key))
	if err != nil {
		return nil, err
	}
	type seenRow struct {
		row  uint64
		num  int64
		seen bool
	}
	index := make(map[uint64]*seenRow, len(rowsA))
	for _, r := range rowsA {
		if _, dup := index[r.key]; dup {
			kd.DuplicatesA++
			continue
		}
		index[r.key] = &seenRow{row: r.row, num: r.num}
	}
	rowsA = nil
	rowsB, err := hashKeys(ctx, b, cols, len(key))
	if err != nil {
		return nil, err
	}
	seenB := make(map[uint64]bool, len(rowsB))
	var addedNums, changedA, changedB []int64
	for _, r := range rowsB {
		if seenB[r.key] {
			kd.DuplicatesB++
			continue
		}
		seenB[r.key] = true
		ar, ok := index[r.key]
		switch {
		case !ok:
			kd.Added++
			if len(addedNums) < DiffSample {
				addedNums = append(addedNums, r.num)
			}
		case ar.row != r.row:
			kd.Changed++
			ar.seen = true
			if len(changedB) < DiffSample {
				changedA, changedB = append(changedA, ar.num), append(changedB, r.num)
			}
		default:
			kd.Unchanged++
			ar.seen = true
		}
	}
	var removedNums []int64
	for _, r := range index {
		if !r.seen {
			kd.Removed++
			removedNums = append(removedNums, r.num)
		}
	}
	slices.Sort(removedNums)
	if len(removedNums) > DiffSample {
		removedNums = removedNums[:DiffSample]
	}
	rowsOfA, err := FetchRows(ctx, a, cols, append(slices.Clone(removedNums), changedA...))
	if err != nil {
		return nil, err
	}
	rowsOfB, err := FetchRows(ctx, b, cols, append(slices.Clone(addedNums), changedB...))
	if err != nil {
		return nil, err
	}
	render := func(vals []string) Row {
		return Row{Key: joinKey(vals[:len(key)]), Values: vals}
	}
	for _, n := range addedNums {
		kd.SampleAdded = append(kd.SampleAdded, render(rowsOfB[n]))
	}
	for _, n := range removedNums {
		kd.SampleRemoved = append(kd.SampleRemoved, render(rowsOfA[n]))
	}
	for i := range changedB {
		va, vb := rowsOfA[changedA[i]], rowsOfB[changedB[i]]
		ch := ChangedRow{Key: joinKey(vb[:len(key)])}
		for j := len(key); j < len(cols); j++ {
			if va[j] != vb[j] {
				ch.Changes = append(ch.Changes, CellChange{Column: cols[j], A: va[j], B: vb[j]})
			}
		}
		kd.SampleChanged = append(kd.SampleChanged, ch)
	}
	return kd, nil
}

func joinKey(vals []string) string {
	out := ""
	for i, v := range vals {
		if i > 0 {
			out += ", "
		}
		out += v
	}
	return out
}

// hashKeys returns, in row order, each row's key hash (the first nkey
// columns) and value hash (the others).
func hashKeys(ctx context.Context, s *Scanner, cols []string, nkey int) ([]keyRow, error) {
	parts := make([][]keyRow, len(s.RowGroups()))
	err := s.Scan(ctx, ScanOptions{Columns: cols}, func(ctx context.Context, rg RowGroup, r *BatchReader) error {
		out := make([]keyRow, 0, rg.NumRows)
		var kh, vh []uint64
		for r.Next() {
			rec := r.Record()
			n := int(rec.NumRows())
			kh = slices.Grow(kh[:0], n)[:n]
			vh = slices.Grow(vh[:0], n)[:n]
			clear(kh)
			clear(vh)
			for j := range cols {
				if j < nkey {
					hashRows(rec.Column(j), kh)
				} else {
					hashRows(rec.Column(j), vh)
				}
			}
			base := rg.FirstRow + r.Offset()
			for i := range n {
				out = append(out, keyRow{key: kh[i], row: vh[i], num: base + int64(i)})
			}
		}
		parts[rg.Index] = out
		return nil
	})
	if err != nil {
		return nil, err
	}
	var all []keyRow
	for _, p := range parts {
		all = append(all, p...)
	}
	return all, nil
}
