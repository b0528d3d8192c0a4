package expr

import (
	"errors"
	"fmt"
	"reflect"
	"time"

	exprlang "github.com/expr-lang/expr"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/vm"

	"github.com/assayhq/assay/dataset"
)

// fallback is a program that runs on expr-lang's VM, one row at a time.
type fallback struct {
	prog *vm.Program
	typ  Type
	unit time.Duration
	cols []colRef // columns copied into the environment
}

var timeType = reflect.TypeFor[time.Time]()
var durationType = reflect.TypeFor[time.Duration]()

// compileFallback compiles src with expr-lang against an environment with
// a typed zero value per readable column.
func compileFallback(src string, schema dataset.Schema, now time.Time) (*fallback, error) {
	env := map[string]any{}
	for _, col := range schema {
		if t, _, ok := typeOf(col); ok {
			env[col.Name] = zeroOf(t)
		}
	}
	prog, err := exprlang.Compile(src, exprlang.Env(env),
		exprlang.Function("now", func(...any) (any, error) { return now, nil }, new(func() time.Time)))
	if err != nil {
		return nil, fromExprError(src, err, ErrType)
	}
	fb := &fallback{prog: prog}
	rt := prog.Node().Type()
	switch {
	case rt == nil:
		return nil, newError(src, 0, ErrType, "cannot tell the type of the expression")
	case rt == timeType:
		fb.typ, fb.unit = Time, time.Nanosecond
	case rt == durationType:
		fb.typ = Duration
	default:
		switch rt.Kind() {
		case reflect.Bool:
			fb.typ = Bool
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
			reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			fb.typ = Int
		case reflect.Float32, reflect.Float64:
			fb.typ = Float
		case reflect.String:
			fb.typ = String
		default:
			return nil, newError(src, 0, ErrType, fmt.Sprintf(
				"cannot use a value of type %s as a column value (convert it with bool(), int(), float() or string())", rt))
		}
	}
	return fb, nil
}

func zeroOf(t Type) any {
	switch t {
	case Bool:
		return false
	case Int:
		return 0
	case Float:
		return 0.0
	case String:
		return ""
	case Time:
		return time.Time{}
	}
	return nil
}

// fallbackRun is the per-evaluator state of a fallback program.
type fallbackRun struct {
	fb  *fallback
	env map[string]any
	vm  vm.VM
	out slot
}

func (fb *fallback) newRun() *fallbackRun {
	return &fallbackRun{fb: fb, env: make(map[string]any, len(fb.cols))}
}

// eval runs the program once per row of the bound batch. A row whose run
// fails is null when a referenced column is null there, else an error.
func (r *fallbackRun) eval(e *Evaluator) (*Vector, error) {
	n := e.n
	s := &r.out
	out := s.begin(&nodeInfo{t: r.fb.typ, unit: r.fb.unit}, n)
	s.nulls = grow(s.nulls, n)
	clear(s.nulls)
	switch r.fb.typ {
	case Bool:
		s.bools = grow(s.bools, n)
		clear(s.bools)
		out.Bools = s.bools
	case Int, Time, Duration:
		s.ints = grow(s.ints, n)
		clear(s.ints)
		out.Ints = s.ints
	case Float:
		s.floats = grow(s.floats, n)
		clear(s.floats)
		out.Floats = s.floats
	case String:
		s.offs = grow(s.offs, n+1)
		s.offs[0] = 0
		s.data = s.data[:0]
	}
	for i := range n {
		anyNull := false
		for j, c := range r.fb.cols {
			v := &e.cols[j]
			if v.IsNull(i) {
				r.env[c.name] = nil
				anyNull = true
				continue
			}
			switch v.Type {
			case Bool:
				r.env[c.name] = v.Bools[i]
			case Int:
				r.env[c.name] = int(v.Ints[i])
			case Float:
				r.env[c.name] = v.Floats[i]
			case String:
				r.env[c.name] = string(v.Bytes(i))
			case Time:
				r.env[c.name] = v.Time(i)
			}
		}
		res, err := r.vm.Run(r.fb.prog, r.env)
		if err != nil {
			if !anyNull {
				msg := err.Error()
				var fe *file.Error
				if errors.As(err, &fe) {
					msg = fe.Message
				}
				return nil, fmt.Errorf("%w: row %d: %s", ErrEval, i, msg)
			}
			res = nil
		}
		if res == nil || !r.store(i, res) {
			s.nulls[i] = true
		}
		if r.fb.typ == String {
			s.offs[i+1] = checkOffset(len(s.data))
		}
	}
	if r.fb.typ == String {
		out.Offsets, out.Data = s.offs, s.data
	}
	out.Nulls = s.nulls
	return out, nil
}

// store writes result res of row i; false when its type does not fit.
func (r *fallbackRun) store(i int, res any) bool {
	s := &r.out
	switch r.fb.typ {
	case Bool:
		b, ok := res.(bool)
		s.bools[i] = b
		return ok
	case Int:
		v := reflect.ValueOf(res)
		switch v.Kind() {
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			s.ints[i] = v.Int()
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			s.ints[i] = int64(v.Uint())
		default:
			return false
		}
	case Float:
		v := reflect.ValueOf(res)
		switch v.Kind() {
		case reflect.Float32, reflect.Float64:
			s.floats[i] = v.Float()
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			s.floats[i] = float64(v.Int())
		default:
			return false
		}
	case String:
		str, ok := res.(string)
		s.data = append(s.data, str...)
		return ok
	case Time:
		t, ok := res.(time.Time)
		s.ints[i], _ = timeTicks(t, time.Nanosecond)
		return ok
	case Duration:
		d, ok := res.(time.Duration)
		s.ints[i] = int64(d)
		return ok
	}
	return true
}
