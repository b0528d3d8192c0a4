package checks

import "slices"

// tally counts a row-level check's verdicts over some rows.
type tally struct {
	elements   int64   // rows seen (where true)
	missing    int64   // rows whose value (or verdict) is null
	unexpected int64   // rows that broke the rule (nulls included under nulls: fail)
	samples    []int64 // the first failing row numbers, ascending
}

// add counts one verdict.
func (t *tally) add(v byte, row int64, nulls Nulls, keep int) {
	switch v {
	case vExcluded:
		return
	case vPass:
		t.elements++
	case vFail:
		t.elements++
		t.unexpected++
		if len(t.samples) < keep {
			t.samples = append(t.samples, row)
		}
	case vNull:
		t.elements++
		t.missing++
		if nulls == NullsFail {
			t.unexpected++
			if len(t.samples) < keep {
				t.samples = append(t.samples, row)
			}
		}
	}
}

// merge adds o, the tally of later rows.
func (t *tally) merge(o *tally, keep int) {
	t.elements += o.elements
	t.missing += o.missing
	t.unexpected += o.unexpected
	for _, r := range o.samples {
		if len(t.samples) >= keep {
			break
		}
		t.samples = append(t.samples, r)
	}
}

// rowState is the state of a row-level check over a row group: a tally in
// all, and one per group when the check has group_by.
type rowState struct {
	all    tally
	groups map[string]*tally
}

func (s *rowState) group(key string) *tally {
	if s.groups == nil {
		s.groups = map[string]*tally{}
	}
	t, ok := s.groups[key]
	if !ok {
		t = &tally{}
		s.groups[key] = t
	}
	return t
}

// count tallies a batch of verdicts.
func (s *rowState) count(b *batch, vs []byte, nulls Nulls, keep int, g *groupState) {
	if g == nil {
		t := &s.all
		// The common case first: a batch without failures or nulls.
		fast := true
		for _, v := range vs {
			if v != vPass {
				fast = false
				break
			}
		}
		if fast {
			t.elements += int64(len(vs))
			return
		}
		for i, v := range vs {
			t.add(v, b.row0+int64(i), nulls, keep)
		}
		return
	}
	tallies := make([]*tally, len(g.keys))
	for i, k := range g.keys {
		tallies[i] = s.group(k)
	}
	for i, v := range vs {
		row := b.row0 + int64(i)
		s.all.add(v, row, nulls, keep)
		tallies[g.ids[i]].add(v, row, nulls, keep)
	}
}

func (s *rowState) merge(o *rowState, keep int) {
	s.all.merge(&o.all, keep)
	for k, t := range o.groups {
		s.group(k).merge(t, keep)
	}
}

// groupKeys returns the group keys in sorted order.
func (s *rowState) groupKeys() []string {
	keys := make([]string, 0, len(s.groups))
	for k := range s.groups {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
