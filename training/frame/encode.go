package frame

import (
	"math"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/assayhq/assay/dataset"
)

// Encoder turns record batches of a source into matrices as a schema
// describes them, for prediction batch by batch: the features only,
// categories coded by the training levels (others are missing, and
// counted).
type Encoder struct {
	s     *Schema
	cols  []int // the record column of each feature
	index []map[string]int32
	// Unseen counts, per categorical feature, values not among the
	// training levels.
	Unseen map[string]int
}

// NewEncoder checks a source's schema against the model's signature
// (every feature present, of the type trained on) and returns an
// encoder for records with the source's columns in order.
func NewEncoder(s *Schema, have dataset.Schema, label string) (*Encoder, error) {
	if err := checkSignature(s, have, label, false); err != nil {
		return nil, err
	}
	e := &Encoder{s: s, Unseen: map[string]int{}}
	for _, f := range s.Features {
		e.cols = append(e.cols, have.Index(f.Name))
		idx := map[string]int32{}
		for k, l := range f.Levels {
			idx[l] = int32(k)
		}
		e.index = append(e.index, idx)
	}
	return e, nil
}

// Encode fills m with the features of rec, reusing m's buffers.
func (e *Encoder) Encode(rec arrow.RecordBatch, m *Matrix) {
	n := int(rec.NumRows())
	m.Rows = n
	if len(m.Features) != len(e.s.Features) {
		m.Features = make([]Feature, len(e.s.Features))
	}
	for j, f := range e.s.Features {
		g := &m.Features[j]
		g.Name, g.Kind, g.Levels = f.Name, f.Kind, f.Levels
		a := rec.Column(e.cols[j])
		if f.Kind == Numeric {
			g.Num = resize(g.Num, n)
			numbers(a, g.Num)
			continue
		}
		g.Cat = resize(g.Cat, n)
		if u := e.codes(a, e.index[j], g.Cat); u > 0 {
			e.Unseen[f.Name] += u
		}
	}
}

func resize[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// numbers converts a numeric array to float64, NaN where null.
func numbers(a arrow.Array, out []float64) {
	switch v := a.(type) {
	case *array.Float64:
		copy(out, v.Float64Values())
	case *array.Float32:
		for i, x := range v.Float32Values() {
			out[i] = float64(x)
		}
	case *array.Int64:
		for i, x := range v.Int64Values() {
			out[i] = float64(x)
		}
	case *array.Int32:
		for i, x := range v.Int32Values() {
			out[i] = float64(x)
		}
	default:
		for i := range out {
			out[i] = math.NaN()
		}
		return
	}
	if a.NullN() > 0 {
		for i := range out {
			if a.IsNull(i) {
				out[i] = math.NaN()
			}
		}
	}
}

// codes maps an array's values to level codes: text as is, booleans as
// true/false, numbers in their shortest form. It returns the count of
// values not among the levels.
func (e *Encoder) codes(a arrow.Array, index map[string]int32, out []int32) int {
	unseen := 0
	look := func(s string) int32 {
		c, ok := index[s]
		if !ok {
			unseen++
			return Missing
		}
		return c
	}
	switch v := a.(type) {
	case *array.String:
		var last string
		lastCode, have := int32(Missing), false
		for i := range out {
			if v.IsNull(i) {
				out[i] = Missing
				continue
			}
			s := v.Value(i)
			if !have || s != last {
				c, ok := index[s]
				if !ok {
					c = Missing
				}
				last, lastCode, have = s, c, true
			}
			if lastCode == Missing {
				unseen++
			}
			out[i] = lastCode
		}
	case *array.Binary:
		for i := range out {
			if v.IsNull(i) {
				out[i] = Missing
			} else {
				out[i] = look(string(v.Value(i)))
			}
		}
	case *array.Boolean:
		for i := range out {
			if v.IsNull(i) {
				out[i] = Missing
			} else {
				out[i] = look(strconv.FormatBool(v.Value(i)))
			}
		}
	default:
		vals := make([]float64, len(out))
		numbers(a, vals)
		cache := map[float64]int32{}
		for i, x := range vals {
			if math.IsNaN(x) {
				out[i] = Missing
				continue
			}
			c, ok := cache[x]
			if !ok {
				c = look(strconv.FormatFloat(x, 'g', -1, 64))
				cache[x] = c
			} else if c == Missing {
				unseen++
			}
			out[i] = c
		}
	}
	return unseen
}
