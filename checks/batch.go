package checks

import (
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/dataset/expr"
)

// Row verdicts, one byte per row, that row-level checks compute for a
// batch.
const (
	vPass     byte = 0 // the row meets the rule
	vFail     byte = 1 // the row breaks the rule
	vNull     byte = 2 // the value (or the verdict) is null: the null policy decides
	vExcluded byte = 3 // where is false for the row: the check does not see it
)

// batch is one record batch of a scan with what the checks of a plan
// share: where masks and group ids, computed once per batch.
type batch struct {
	rec  arrow.RecordBatch
	n    int
	row0 int64 // row number of the batch's first row
	cols map[string]arrow.Array

	wheres []whereState // by where index of the plan
	groups []groupState // by grouping index of the plan
	fail   *failBuffer  // collects failing rows when they are written out
}

func (b *batch) col(name string) arrow.Array { return b.cols[name] }

// whereExpr is a distinct where filter of a plan.
type whereExpr struct {
	src  string
	prog *expr.Program
}

// whereState holds a where filter's evaluator (per worker) and its mask
// for the current batch: 1 where the row is in, 0 where it is out (false
// or null).
type whereState struct {
	ev   *expr.Evaluator
	mask []byte
}

// grouping is a distinct group_by column list of a plan.
type grouping struct {
	cols []string
}

// groupState holds, for the current batch, each row's group (an index into
// keys) and the group keys.
type groupState struct {
	ids   []int32
	keys  []string
	index map[string]int32 // key → id, within the batch
}

// groupKey encodes group values: each rendered value, NUL-separated; a
// null is "\x01".
func groupKey(vals []*string) string {
	var sb strings.Builder
	for i, v := range vals {
		if i > 0 {
			sb.WriteByte(0)
		}
		if v == nil {
			sb.WriteByte(1)
		} else {
			sb.WriteString(*v)
		}
	}
	return sb.String()
}

// decodeGroupKey turns a key back into its column → value map.
func decodeGroupKey(cols []string, key string) map[string]*string {
	parts := strings.Split(key, "\x00")
	out := make(map[string]*string, len(cols))
	for i, c := range cols {
		if i < len(parts) && parts[i] != "\x01" {
			v := parts[i]
			out[c] = &v
		} else {
			out[c] = nil
		}
	}
	return out
}

// prepare computes the batch's where masks and group ids.
func (b *batch) prepare(p *Plan) error {
	for i := range b.wheres {
		if err := b.prepareWhere(i); err != nil {
			return err
		}
	}
	for i := range p.groupings {
		b.prepareGroups(p, i)
	}
	return nil
}

// prepareOnly computes one where mask and one grouping (-1: none).
func (b *batch) prepareOnly(p *Plan, where, grouping int) error {
	if where >= 0 {
		if err := b.prepareWhere(where); err != nil {
			return err
		}
	}
	if grouping >= 0 {
		b.prepareGroups(p, grouping)
	}
	return nil
}

func (b *batch) prepareWhere(i int) error {
	{
		w := &b.wheres[i]
		if cap(w.mask) < b.n {
			w.mask = make([]byte, b.n)
		}
		w.mask = w.mask[:b.n]
		if err := w.ev.EvalBool(b.rec, w.mask); err != nil {
			return err
		}
		for j, v := range w.mask {
			if v == 1 {
				w.mask[j] = 1
			} else {
				w.mask[j] = 0
			}
		}
	}
	return nil
}

func (b *batch) prepareGroups(p *Plan, i int) {
	g := p.groupings[i]
	{
		gs := &b.groups[i]
		if cap(gs.ids) < b.n {
			gs.ids = make([]int32, b.n)
		}
		gs.ids = gs.ids[:b.n]
		gs.keys = gs.keys[:0]
		clear(gs.index)
		if gs.index == nil {
			gs.index = map[string]int32{}
		}
		arrs := make([]arrow.Array, len(g.cols))
		for j, c := range g.cols {
			arrs[j] = b.cols[c]
		}
		vals := make([]*string, len(g.cols))
		for r := range b.n {
			for j, a := range arrs {
				if a.IsNull(r) {
					vals[j] = nil
				} else {
					s := dataset.FormatCell(a, r)
					vals[j] = &s
				}
			}
			k := groupKey(vals)
			id, ok := gs.index[k]
			if !ok {
				id = int32(len(gs.keys))
				gs.index[k] = id
				gs.keys = append(gs.keys, k)
			}
			gs.ids[r] = id
		}
	}
}
