package checks

import (
	"cmp"
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/labels/conflicts"
)

// conflictChecker is a label_conflicts check: rows whose features are
// equal (text trimmed, optionally case-folded; numbers optionally within a
// tolerance) but whose labels differ. Its unexpected rows are the rows of
// conflict groups; rows without a label are its missing rows, left out.
//
// The grouping needs every row at once, so the check collects its rows
// during the scan (the label as a class code, the features as numbers or
// text, the row number) and groups them with conflicts.Exact afterwards.
// It holds about 12 bytes per row, 9 per numeric feature and the text plus
// 16 bytes per text feature.
type conflictChecker struct {
	c        *Check
	label    dataset.Column
	features []dataset.Column
	where    int
	grouping int
	keep     int
	opts     conflicts.Options
	// sampleCols are the columns of failing rows: the label, the
	// features, the key columns.
	sampleCols []string
}

func (p *Plan) compileLabelConflicts(c *Check, probs *Problems) checker {
	n := len(*probs)
	label, labelOK := p.column(c, "label", c.Column, probs)
	var feats []dataset.Column
	if len(c.Features) > 0 {
		for i, f := range c.Features {
			key := fmt.Sprintf("features[%d]", i)
			if _, has := c.ArgPos[key]; !has {
				key = "features"
			}
			if col, ok := p.column(c, key, f, probs); ok {
				feats = append(feats, col)
			}
		}
	} else {
		for _, col := range p.schema {
			if col.Name != c.Column && col.Unsupported == "" && !slices.Contains(c.GroupBy, col.Name) {
				feats = append(feats, col)
			}
		}
		if len(feats) == 0 && labelOK {
			probs.add(c.At("label"), "label_conflicts: the data has no columns to compare rows on besides the label %q", c.Column)
		}
	}
	where, grouping := p.where(c, probs), p.grouping(c, probs)
	if len(*probs) > n {
		return nil
	}
	ck := &conflictChecker{c: c, label: label, features: feats, where: where, grouping: grouping, keep: p.env.Samples,
		opts: conflicts.Options{CaseFold: c.CaseFold, FloatTolerance: c.FloatTolerance, Workers: p.env.Workers}}
	ck.sampleCols = append(ck.sampleCols, label.Name)
	for _, f := range feats {
		ck.sampleCols = append(ck.sampleCols, f.Name)
	}
	for _, k := range p.env.Keys {
		if !slices.Contains(ck.sampleCols, k) {
			ck.sampleCols = append(ck.sampleCols, k)
		}
	}
	return ck
}

func (ck *conflictChecker) spec() *Check { return ck.c }

func (ck *conflictChecker) reads() []string { return ck.sampleCols[:1+len(ck.features)] }

func (ck *conflictChecker) start(*scanCtx) state {
	s := &conflictState{ck: ck, feats: make([]featureValues, len(ck.features))}
	s.dict.init(ck.label.Type)
	for i, f := range ck.features {
		s.feats[i].numeric = f.Type != dataset.String && f.Type != dataset.Binary
	}
	return s
}

// conflictState is the rows of a label_conflicts check collected so far:
// those the where filter lets through and that have a label.
type conflictState struct {
	ck     *conflictChecker
	all    tally             // elements: rows seen; missing: rows without a label
	groups map[string]*tally // by group key, with group_by
	rows   []int64           // the collected rows' numbers, ascending
	codes  []int32           // their labels, as codes of dict
	dict   labelDict
	gids   []int32 // their groups, as indexes of gkeys (with group_by)
	gkeys  []string
	gindex map[string]int32
	feats  []featureValues
	sel    []int // scratch: the batch's collected rows
	fbuf   []float64
	// parts are the states merged into this one, in row order; each
	// maps its label codes and group indexes to this state's.
	parts   []*conflictState
	codeMap []int32
	gidMap  []int32
}

// featureValues is one feature of the collected rows.
type featureValues struct {
	numeric bool
	num     []float64
	valid   []bool
	text    []byte // the text values, one after another
	ends    []int  // where each text value ends in text
}

func (s *conflictState) add(b *batch) error {
	ck := s.ck
	lab := b.col(ck.label.Name)
	var mask []byte
	if ck.where >= 0 {
		mask = b.wheres[ck.where].mask
	}
	var g *groupState
	if ck.grouping >= 0 {
		g = &b.groups[ck.grouping]
		if s.groups == nil {
			s.groups = map[string]*tally{}
			s.gindex = map[string]int32{}
		}
	}
	s.sel = s.sel[:0]
	for i := range b.n {
		if mask != nil && mask[i] == 0 {
			continue
		}
		s.all.elements++
		var gt *tally
		if g != nil {
			key := g.keys[g.ids[i]]
			if gt = s.groups[key]; gt == nil {
				gt = &tally{}
				s.groups[key] = gt
			}
			gt.elements++
		}
		if lab.IsNull(i) {
			s.all.missing++
			if gt != nil {
				gt.missing++
			}
			continue
		}
		s.sel = append(s.sel, i)
		s.rows = append(s.rows, b.row0+int64(i))
		if g != nil {
			s.gids = append(s.gids, s.groupID(g.keys[g.ids[i]]))
		}
	}
	if len(s.sel) == 0 {
		return nil
	}
	s.codes = s.dict.codes(lab, s.sel, s.codes)
	for f, col := range ck.features {
		a := b.col(col.Name)
		fv := &s.feats[f]
		fv.valid = slices.Grow(fv.valid, len(s.sel))
		if fv.numeric {
			fv.num = slices.Grow(fv.num, len(s.sel))
			vals := floats(a, s.fbuf[:0])
			if _, own := a.(*array.Float64); !own {
				s.fbuf = vals
			}
			for _, i := range s.sel {
				fv.num = append(fv.num, vals[i])
				fv.valid = append(fv.valid, !a.IsNull(i))
			}
			continue
		}
		bs := newByteStrings(a)
		fv.ends = slices.Grow(fv.ends, len(s.sel))
		for _, i := range s.sel {
			ok := !a.IsNull(i)
			if ok {
				fv.text = append(fv.text, bs.at(i)...)
			}
			fv.ends = append(fv.ends, len(fv.text))
			fv.valid = append(fv.valid, ok)
		}
	}
	return nil
}

func (s *conflictState) groupID(key string) int32 {
	id, ok := s.gindex[key]
	if !ok {
		id = int32(len(s.gkeys))
		s.gindex[key] = id
		s.gkeys = append(s.gkeys, key)
	}
	return id
}

// merge adds o, the state of the rows right after s's. The rows are not
// copied: o is kept as a part, with the codes its labels and groups
// become in s, and all parts are joined once, for the result.
func (s *conflictState) merge(st state) {
	o := st.(*conflictState)
	s.all.merge(&o.all, 0)
	for k, t := range o.groups {
		if s.groups == nil {
			s.groups = map[string]*tally{}
			s.gindex = map[string]int32{}
		}
		if s.groups[k] == nil {
			s.groups[k] = &tally{}
		}
		s.groups[k].merge(t, 0)
	}
	for _, p := range append([]*conflictState{o}, o.parts...) {
		if len(p.rows) == 0 {
			continue
		}
		p.codeMap = s.dict.join(&p.dict)
		p.gidMap = make([]int32, len(p.gkeys))
		for g, key := range p.gkeys {
			p.gidMap[g] = s.groupID(key)
		}
		s.parts = append(s.parts, p)
	}
	o.parts = nil
}

// joined is the collected rows of a state and its parts, in row order,
// labels and groups as codes of the state's dictionary and group keys.
type joined struct {
	rows  []int64
	codes []int32
	gids  []int32
	cols  []conflicts.Column
}

// join concatenates the rows of s and its parts.
func (s *conflictState) join() *joined {
	parts := append([]*conflictState{s}, s.parts...)
	n := 0
	for _, p := range parts {
		n += len(p.rows)
	}
	j := &joined{rows: make([]int64, 0, n), codes: make([]int32, 0, n)}
	if s.ck.grouping >= 0 {
		j.gids = make([]int32, 0, n)
	}
	for _, p := range parts {
		j.rows = append(j.rows, p.rows...)
		for _, c := range p.codes {
			if p.codeMap != nil {
				c = p.codeMap[c]
			}
			j.codes = append(j.codes, c)
		}
		for _, g := range p.gids {
			if p.gidMap != nil {
				g = p.gidMap[g]
			}
			j.gids = append(j.gids, g)
		}
	}
	for f, col := range s.ck.features {
		valid := make([]bool, 0, n)
		for _, p := range parts {
			valid = append(valid, p.feats[f].valid...)
		}
		if s.feats[f].numeric {
			num := make([]float64, 0, n)
			for _, p := range parts {
				num = append(num, p.feats[f].num...)
			}
			j.cols = append(j.cols, conflicts.Numeric(col.Name, num, valid))
			continue
		}
		// One string holds the text of every row; the values are slices
		// of it.
		var b strings.Builder
		size := 0
		for _, p := range parts {
			size += len(p.feats[f].text)
		}
		b.Grow(size)
		for _, p := range parts {
			b.Write(p.feats[f].text)
		}
		text := b.String()
		strs := make([]string, 0, n)
		base := 0
		for _, p := range parts {
			start := 0
			for _, e := range p.feats[f].ends {
				strs = append(strs, text[base+start:base+e])
				start = e
			}
			base += len(p.feats[f].text)
		}
		j.cols = append(j.cols, conflicts.Text(col.Name, strs, valid))
	}
	return j
}

// labelDict encodes label values as class codes; values are keyed by
// their text (string and binary labels) or by their 8 bytes (numbers:
// integers, dates and timestamps as themselves, booleans 0 and 1, floats
// by value with one NaN).
type labelDict struct {
	text  bool
	float bool
	index map[string]int32
	names []string  // class names, as the data renders them
	order []float64 // numeric classes: their values, for sorting
	key   [8]byte
}

func (d *labelDict) init(t dataset.Type) {
	d.text = t == dataset.String || t == dataset.Binary
	d.float = t == dataset.Float32 || t == dataset.Float64
	d.index = map[string]int32{}
}

// codes appends the codes of a's values at rows sel to dst.
func (d *labelDict) codes(a arrow.Array, sel []int, dst []int32) []int32 {
	if d.text {
		bs := newByteStrings(a)
		for _, i := range sel {
			v := bs.at(i)
			c, ok := d.index[string(v)]
			if !ok {
				c = d.add(string(v), string(v), 0)
			}
			dst = append(dst, c)
		}
		return dst
	}
	var fs []float64
	var is []int64
	switch {
	case d.float:
		fs = floats(a, nil)
	case a.DataType().ID() == arrow.BOOL:
		fs = floats(a, nil)
	default:
		is = ints(a, nil)
	}
	for _, i := range sel {
		var bits uint64
		var order float64
		if fs != nil {
			f := fs[i]
			switch {
			case f == 0:
				f = 0
			case f != f:
				f = math.NaN()
			}
			bits, order = math.Float64bits(f), f
		} else {
			bits, order = uint64(is[i]), float64(is[i])
		}
		binary.LittleEndian.PutUint64(d.key[:], bits)
		c, ok := d.index[string(d.key[:])]
		if !ok {
			c = d.add(string(d.key[:]), dataset.FormatCell(a, i), order)
		}
		dst = append(dst, c)
	}
	return dst
}

func (d *labelDict) add(key, name string, order float64) int32 {
	c := int32(len(d.names))
	d.index[key] = c
	d.names = append(d.names, name)
	d.order = append(d.order, order)
	return c
}

// join adds o's classes and returns the codes o's codes become.
func (d *labelDict) join(o *labelDict) []int32 {
	remap := make([]int32, len(o.names))
	for key, c := range o.index {
		nc, ok := d.index[key]
		if !ok {
			nc = d.add(key, o.names[c], o.order[c])
		}
		remap[c] = nc
	}
	return remap
}

// sorted returns the class names in order (as numbers for numeric labels,
// NaN last; as text otherwise, the order labels.Encode gives) and the
// code each code becomes.
func (d *labelDict) sorted() (names []string, remap []int) {
	idx := make([]int, len(d.names))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int {
		if d.text {
			return strings.Compare(d.names[a], d.names[b])
		}
		x, y := d.order[a], d.order[b]
		switch {
		case x != x && y != y:
			return 0
		case x != x:
			return 1
		case y != y:
			return -1
		}
		return cmp.Compare(x, y)
	})
	remap = make([]int, len(idx))
	names = make([]string, len(idx))
	for k, i := range idx {
		remap[i] = k
		names[k] = d.names[i]
	}
	return names, remap
}

func (ck *conflictChecker) result(ctx context.Context, st state, r *runner) (*Result, error) {
	s := st.(*conflictState)
	res := r.newResult(ck.c)
	res.Column = ck.label.Name
	for _, f := range ck.features {
		res.Columns = append(res.Columns, f.Name)
	}
	res.Expected = ck.expected()

	all := s.join()
	cols := all.cols
	if ck.grouping >= 0 {
		// Rows of different groups never conflict: the group is one more
		// feature, as digits, which trimming and folding leave alone.
		ids := make([]string, len(all.gids))
		for i, g := range all.gids {
			ids[i] = strconv.Itoa(int(g))
		}
		cols = append(cols, conflicts.Text("", ids, nil))
	}
	classes, remap := s.dict.sorted()
	labels := conflicts.Labels{Codes: make([]int, len(all.codes)), Classes: classes}
	for i, c := range all.codes {
		labels.Codes[i] = remap[c]
	}
	found, err := conflicts.Exact(cols, labels, ck.opts)
	if err != nil {
		return nil, fmt.Errorf("%s check at line %d: %w", ck.c.Kind, ck.c.Pos.Line, err)
	}
	// Groups in row order: the samples are the first groups'.
	groups := found.Groups
	slices.SortFunc(groups, func(a, b conflicts.Group) int { return cmp.Compare(a.Rows[0], b.Rows[0]) })

	t := s.all
	t.unexpected = int64(found.ConflictingRows)
	r.tallyResult(res, ck.c, NullsIgnore, &t)
	res.ObservedValue = map[string]int64{
		"conflict_groups":           int64(len(groups)),
		"conflicting_rows":          int64(found.ConflictingRows),
		"duplicate_groups_agreeing": int64(found.AgreeingGroups),
		"labelled_rows":             int64(found.LabelledRows),
	}
	if len(groups) > 0 {
		res.Message = fmt.Sprintf("%s: %s share their features but not their label; first: %s",
			countOf(int64(len(groups)), "conflict group", "conflict groups"),
			countOf(int64(found.ConflictingRows), "row", "rows"), ck.describe(groups[0], all.rows, classes))
		if err := r.attachSamples(ctx, res, ck.sampleCols, ck.sampleRows(groups, all.rows), ck.c); err != nil {
			return nil, err
		}
	}
	if ck.grouping >= 0 {
		gcols := r.plan.groupings[ck.grouping].cols
		byGroup := map[string][]conflicts.Group{}
		for _, g := range groups {
			key := s.gkeys[all.gids[g.Rows[0]]]
			byGroup[key] = append(byGroup[key], g)
		}
		keys := make([]string, 0, len(s.groups))
		for k := range s.groups {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			gt := *s.groups[k]
			rows := 0
			for _, g := range byGroup[k] {
				rows += len(g.Rows)
			}
			gt.unexpected = int64(rows)
			gr := r.groupTally(ck.c, NullsIgnore, gcols, k, &gt)
			if gr.Success {
				continue
			}
			gr.ObservedValue = map[string]int64{"conflict_groups": int64(len(byGroup[k])), "conflicting_rows": int64(rows)}
			if err := r.attachGroupSamples(ctx, gr, ck.sampleCols, ck.sampleRows(byGroup[k], all.rows)); err != nil {
				return nil, err
			}
			res.Groups = append(res.Groups, gr)
		}
		res.FailingGroups = len(res.Groups)
		if res.FailingGroups > 0 {
			res.Success = false
		}
	}
	return res, nil
}

// expected says what the check asks for.
func (ck *conflictChecker) expected() string {
	var names []string
	for _, f := range ck.features {
		names = append(names, f.Name)
	}
	what := "(" + strings.Join(names, ", ") + ")"
	if len(names) > 5 {
		what = fmt.Sprintf("%d features", len(names))
	}
	s := fmt.Sprintf("rows with the same %s have the same %s", what, ck.label.Name)
	var how []string
	if ck.opts.CaseFold {
		how = append(how, "text case-folded")
	}
	if ck.opts.FloatTolerance > 0 {
		how = append(how, "numbers within "+formatNumber(ck.opts.FloatTolerance))
	}
	if len(how) > 0 {
		s += " (" + strings.Join(how, ", ") + ")"
	}
	return s
}

// describe tells a group in words: "rows 3, 8 and 11 (yes ×2, no ×1;
// suggested yes)".
func (ck *conflictChecker) describe(g conflicts.Group, rows []int64, classes []string) string {
	nums := make([]string, 0, min(len(g.Rows), 6))
	for i, x := range g.Rows {
		if i == 5 {
			nums = append(nums, fmt.Sprintf("%d more", len(g.Rows)-5))
			break
		}
		nums = append(nums, strconv.FormatInt(rows[x], 10))
	}
	list := strings.Join(nums, ", ")
	if i := strings.LastIndex(list, ", "); i >= 0 {
		list = list[:i] + " and " + list[i+2:]
	}
	var dist []string
	for _, lc := range g.Distribution {
		dist = append(dist, fmt.Sprintf("%s ×%d", strconv.Quote(classes[lc.Label]), lc.Rows))
	}
	return fmt.Sprintf("rows %s (%s; suggested %s)", list, strings.Join(dist, ", "), strconv.Quote(classes[g.Suggested]))
}

// sampleRows returns the row numbers of the first groups, whole groups
// one after another, at most keep rows.
func (ck *conflictChecker) sampleRows(groups []conflicts.Group, rows []int64) []int64 {
	var out []int64
	for _, g := range groups {
		for _, x := range g.Rows {
			if len(out) == ck.keep {
				return out
			}
			out = append(out, rows[x])
		}
	}
	return out
}
