package online

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"time"
)

// recordVersion is the first byte of every record.
const recordVersion = 1

// headerLen is the length of version, event time and created time.
const headerLen = 17

// schema encodes rows of one Write into records.
type schema struct {
	view  string
	names []string // sorted
	order []int    // order[i] is the Values index of names[i]
}

func newSchema(view string, features []string, rows []Row) (*schema, error) {
	if err := checkWrite(view, features, rows); err != nil {
		return nil, err
	}
	s := &schema{view: view, order: make([]int, len(features))}
	for i := range s.order {
		s.order[i] = i
	}
	slices.SortFunc(s.order, func(a, b int) int {
		switch {
		case features[a] < features[b]:
			return -1
		case features[a] > features[b]:
			return 1
		}
		return 0
	})
	s.names = make([]string, len(features))
	for i, j := range s.order {
		s.names[i] = features[j]
		if features[j] == "" {
			return nil, fmt.Errorf("write %s: empty feature name: %w", view, ErrInvalid)
		}
		if i > 0 && s.names[i-1] == s.names[i] {
			return nil, fmt.Errorf("write %s: feature %q given twice: %w", view, s.names[i], ErrInvalid)
		}
	}
	return s, nil
}

// appendRecord appends the record of r to dst.
func (s *schema) appendRecord(dst []byte, r *Row) []byte {
	dst = append(dst, recordVersion)
	dst = binary.BigEndian.AppendUint64(dst, uint64(r.EventTime)^signBit)
	dst = binary.BigEndian.AppendUint64(dst, uint64(r.CreatedTime)^signBit)
	dst = binary.AppendUvarint(dst, uint64(len(s.names)))
	for i, name := range s.names {
		v := r.Values[s.order[i]]
		dst = binary.AppendUvarint(dst, uint64(len(name)))
		dst = append(dst, name...)
		dst = append(dst, byte(v.kind))
		switch v.kind {
		case KindFloat64, KindInt64:
			dst = binary.LittleEndian.AppendUint64(dst, v.bits)
		case KindString:
			dst = binary.AppendUvarint(dst, uint64(len(v.str)))
			dst = append(dst, v.str...)
		case KindBool:
			dst = append(dst, byte(v.bits))
		}
	}
	return dst
}

// newer reports whether record rec should replace record old: its (event,
// created) pair is not smaller. A malformed old record is always replaced.
func newer(rec, old []byte) bool {
	if len(old) < headerLen {
		return true
	}
	return bytes.Compare(rec[1:headerLen], old[1:headerLen]) >= 0
}

// plan is a Read's requests grouped by view, made once per Read.
type plan struct {
	views  []string       // distinct views, in order of first appearance
	index  map[string]int // view name → position in views
	refs   [][]planRef    // per view, sorted by name
	cutoff []int64        // per view, oldest fresh event time; MinInt64 = forever
	ncols  int
}

type planRef struct {
	name string
	col  int
}

func newPlan(refs []FeatureRef, opts ReadOptions) (*plan, error) {
	now := opts.Now
	if now == 0 {
		now = time.Now().UnixMicro()
	}
	p := &plan{index: make(map[string]int), ncols: len(refs)}
	for col, r := range refs {
		if r.View == "" || r.Name == "" {
			return nil, fmt.Errorf("read: feature %q: empty view or name: %w", r.String(), ErrInvalid)
		}
		v, ok := p.index[r.View]
		if !ok {
			v = len(p.views)
			p.index[r.View] = v
			p.views = append(p.views, r.View)
			p.refs = append(p.refs, nil)
			cut := int64(math.MinInt64)
			if ttl := opts.TTL[r.View]; ttl > 0 {
				if us := ttl.Microseconds(); now > math.MinInt64+us {
					cut = now - us
				}
			}
			p.cutoff = append(p.cutoff, cut)
		}
		p.refs[v] = append(p.refs[v], planRef{r.Name, col})
	}
	for _, rs := range p.refs {
		slices.SortStableFunc(rs, func(a, b planRef) int {
			switch {
			case a.name < b.name:
				return -1
			case a.name > b.name:
				return 1
			}
			return 0
		})
	}
	return p, nil
}

// results allocates the result rows for n keys in one block.
func (p *plan) results(n int) [][]Result {
	flat := make([]Result, n*p.ncols)
	out := make([][]Result, n)
	for i := range out {
		out[i] = flat[i*p.ncols : (i+1)*p.ncols : (i+1)*p.ncols]
	}
	return out
}

// fill decodes record rec of view number v into out, the result row of one
// entity, by a merge of the record's sorted features with the view's sorted
// refs.
func (p *plan) fill(out []Result, v int, rec []byte) error {
	bad := func() error {
		return fmt.Errorf("record of view %s: %w", p.views[v], ErrCorrupt)
	}
	if len(rec) < headerLen || rec[0] != recordVersion {
		return bad()
	}
	event := int64(binary.BigEndian.Uint64(rec[1:]) ^ signBit)
	status := Present
	if event < p.cutoff[v] {
		status = Expired
	}
	b := rec[headerLen:]
	n, m := binary.Uvarint(b)
	if m <= 0 || n > uint64(len(b)) {
		return bad()
	}
	b = b[m:]
	refs := p.refs[v]
	j := 0
	for range n {
		l, m := binary.Uvarint(b)
		if m <= 0 || l >= uint64(len(b)-m) {
			return bad()
		}
		name := b[m : m+int(l)]
		kind := Kind(b[m+int(l)])
		b = b[m+int(l)+1:]
		var val Value
		switch kind {
		case KindNull:
		case KindFloat64, KindInt64:
			if len(b) < 8 {
				return bad()
			}
			val = Value{kind: kind, bits: binary.LittleEndian.Uint64(b)}
			b = b[8:]
		case KindString:
			l, m := binary.Uvarint(b)
			if m <= 0 || l > uint64(len(b)-m) {
				return bad()
			}
			val.kind = KindString
			if j < len(refs) && refs[j].name <= string(name) {
				val.str = string(b[m : m+int(l)])
			}
			b = b[m+int(l):]
		case KindBool:
			if len(b) < 1 {
				return bad()
			}
			val = Value{kind: kind, bits: uint64(b[0] & 1)}
			b = b[1:]
		default:
			return bad()
		}
		for j < len(refs) && refs[j].name < string(name) {
			j++
		}
		for ; j < len(refs) && refs[j].name == string(name); j++ {
			if val.kind == KindNull {
				out[refs[j].col] = Result{EventTime: event}
				continue
			}
			out[refs[j].col] = Result{Value: val, Status: status, EventTime: event}
		}
	}
	// Requested features not in the record stay Missing, but carry the
	// record's event time.
	for _, r := range refs {
		if out[r.col].Status == Missing {
			out[r.col].EventTime = event
		}
	}
	return nil
}
