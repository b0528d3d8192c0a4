package tune

import (
	"fmt"
	"math"
	"strconv"
)

// Kind is the type of a parameter.
type Kind string

// The kinds of parameter. A log-scale float (log_float in a space file)
// is KindFloat with Log set.
const (
	KindInt         Kind = "int"
	KindFloat       Kind = "float"
	KindCategorical Kind = "categorical"
)

// Direction says whether larger or smaller objective values are better.
type Direction string

// The directions of a study.
const (
	Minimize Direction = "minimize"
	Maximize Direction = "maximize"
)

// better reports whether a is better than b in direction d. NaN is never
// better.
func (d Direction) better(a, b float64) bool {
	if d == Maximize {
		return a > b
	}
	return a < b
}

// maxExactInt is the largest integer every float64 up to it holds
// exactly; int bounds beyond it are refused.
const maxExactInt = 1 << 53

// Space is a search space: the parameters a study samples, with the
// trainer and metric it tunes (opaque to this package).
type Space struct {
	Trainer   string    `json:"trainer,omitempty"`
	Metric    string    `json:"metric,omitempty"`
	Direction Direction `json:"direction,omitempty"`
	Params    []Param   `json:"params"`

	path string
	at   map[string]Pos // positions of top-level keys, from a file
}

// Param is one parameter of a space.
//
//   - KindInt: an integer in [Low, High], both inclusive, on a grid of
//     Step (0 means 1) from Low; Log samples on a log scale (Low >= 1,
//     Step 1).
//   - KindFloat: a number in [Low, High]; Step > 0 makes it discrete
//     (Low, Low+Step, …, High); Log samples on a log scale (Low > 0, no
//     Step).
//   - KindCategorical: one of Choices, each an int64, float64, string or
//     bool.
//
// Grid lists the values a grid search takes for an int or float; it is
// ignored by the other samplers, which search [Low, High].
type Param struct {
	Name    string
	Kind    Kind
	Low     float64
	High    float64
	Step    float64
	Log     bool
	Grid    []float64
	Choices []any

	at      map[string]Pos // positions of the parameter ("") and its fields
	invalid bool           // a file gave it with problems already reported
}

// Int returns an integer parameter over [low, high].
func Int(name string, low, high int64) Param {
	return Param{Name: name, Kind: KindInt, Low: float64(low), High: float64(high)}
}

// Float returns a float parameter over [low, high].
func Float(name string, low, high float64) Param {
	return Param{Name: name, Kind: KindFloat, Low: low, High: high}
}

// LogFloat returns a float parameter over [low, high] sampled on a log
// scale.
func LogFloat(name string, low, high float64) Param {
	return Param{Name: name, Kind: KindFloat, Low: low, High: high, Log: true}
}

// Categorical returns a parameter over choices. Go's integer types
// become int64 and float32 becomes float64; other types are left for
// Validate to refuse.
func Categorical(name string, choices ...any) Param {
	cs := make([]any, len(choices))
	for i, c := range choices {
		cs[i] = normalChoice(c)
	}
	return Param{Name: name, Kind: KindCategorical, Choices: cs}
}

func normalChoice(c any) any {
	switch v := c.(type) {
	case int:
		return int64(v)
	case int8:
		return int64(v)
	case int16:
		return int64(v)
	case int32:
		return int64(v)
	case uint8:
		return int64(v)
	case uint16:
		return int64(v)
	case uint32:
		return int64(v)
	case uint:
		if uint64(v) <= math.MaxInt64 {
			return int64(v)
		}
	case uint64:
		if v <= math.MaxInt64 {
			return int64(v)
		}
	case float32:
		return float64(v)
	}
	return c
}

// Validate checks the space and reports all of its problems at once, as
// Problems. A space without a direction is valid: the study's options
// may give it.
func (s *Space) Validate() error {
	var ps Problems
	s.validate(&ps)
	return ps.err()
}

func (s *Space) validate(ps *Problems) {
	switch s.Direction {
	case "", Minimize, Maximize:
	default:
		ps.add(s.pos("direction"), "direction %q: want maximize or minimize%s", s.Direction, didYouMean(string(s.Direction), []string{"maximize", "minimize"}))
	}
	if len(s.Params) == 0 {
		ps.add(s.pos("space"), "no parameters: want a mapping of parameters under space:")
	}
	seen := map[string]bool{}
	for i := range s.Params {
		p := &s.Params[i]
		if p.Name == "" {
			ps.add(s.paramPos(p, ""), "parameter %d has no name", i+1)
		} else if seen[p.Name] {
			ps.add(s.paramPos(p, ""), "%s: a second parameter of that name", p.Name)
		}
		seen[p.Name] = true
		if p.invalid {
			continue
		}
		for _, prob := range p.problems() {
			ps.add(s.paramPos(p, prob.field), "%s: %s", p.Name, prob.msg)
		}
	}
}

// pos is the position of a top-level key of the space's file.
func (s *Space) pos(key string) Pos {
	if at, ok := s.at[key]; ok {
		return at
	}
	return Pos{File: s.path}
}

// paramPos is the position of a field of p in the space's file, or of
// p itself.
func (s *Space) paramPos(p *Param, field string) Pos {
	if at, ok := p.at[field]; ok {
		return at
	}
	if at, ok := p.at[""]; ok {
		return at
	}
	return s.pos("space")
}

type paramProblem struct {
	field, msg string
	invalid    bool // the parameter cannot be checked further
}

// problems returns what is wrong with p, each with the field at fault.
func (p *Param) problems() []paramProblem {
	var probs []paramProblem
	add := func(field, format string, args ...any) {
		probs = append(probs, paramProblem{field: field, msg: fmt.Sprintf(format, args...)})
	}
	numeric := func() bool {
		ok := true
		for _, b := range []struct {
			field string
			v     float64
		}{{"low", p.Low}, {"high", p.High}} {
			switch {
			case math.IsNaN(b.v) || math.IsInf(b.v, 0):
				add(b.field, "%s %s is not a finite number", b.field, num(b.v))
				ok = false
			case p.Kind == KindInt && (b.v != math.Trunc(b.v) || math.Abs(b.v) > maxExactInt):
				add(b.field, "%s %s is not an integer within ±2^53", b.field, num(b.v))
				ok = false
			}
		}
		if ok && p.Low > p.High {
			add("low", "low %s is greater than high %s", num(p.Low), num(p.High))
			ok = false
		}
		if len(p.Choices) > 0 {
			add("choices", "choices are for categorical parameters, not %s", p.Kind)
		}
		return ok
	}
	checkGrid := func(boundsOK bool) {
		seen := map[float64]bool{}
		for i, g := range p.Grid {
			switch {
			case math.IsNaN(g) || math.IsInf(g, 0):
				add("grid", "grid value %d (%s) is not a finite number", i+1, num(g))
			case p.Kind == KindInt && g != math.Trunc(g):
				add("grid", "grid value %d (%s) is not an integer", i+1, num(g))
			case boundsOK && (g < p.Low || g > p.High):
				add("grid", "grid value %d (%s) is outside [%s, %s]", i+1, num(g), num(p.Low), num(p.High))
			case seen[g]:
				add("grid", "grid value %s appears twice", num(g))
			}
			seen[g] = true
		}
	}
	switch p.Kind {
	case KindInt:
		ok := numeric()
		step := p.Step
		switch {
		case math.IsNaN(step) || step < 0 || step != math.Trunc(step) || step > maxExactInt:
			add("step", "step %s: want a positive integer", num(step))
			ok = false
		case step == 0:
			step = 1
		}
		if p.Log {
			if ok && p.Low < 1 {
				add("low", "a log-scale int needs low >= 1, got %s", num(p.Low))
			}
			if step != 1 {
				add("step", "a log-scale int takes no step (it is 1)")
				ok = false
			}
		}
		if ok && math.Mod(p.High-p.Low, step) != 0 {
			add("step", "high %s is not low %s plus a multiple of step %s", num(p.High), num(p.Low), num(step))
		}
		checkGrid(ok)
	case KindFloat:
		ok := numeric()
		if ok && p.Log && p.Low <= 0 {
			add("low", "a log-scale float needs low > 0, got %s", num(p.Low))
		}
		switch {
		case math.IsNaN(p.Step) || math.IsInf(p.Step, 0) || p.Step < 0:
			add("step", "step %s: want a positive number", num(p.Step))
		case p.Step > 0 && p.Log:
			add("step", "a log-scale float takes no step")
		case p.Step > 0 && ok:
			if _, exact := p.stepCount(); !exact {
				add("step", "high %s is not low %s plus a multiple of step %s", num(p.High), num(p.Low), num(p.Step))
			}
		}
		checkGrid(ok)
	case KindCategorical:
		if p.Low != 0 || p.High != 0 || p.Step != 0 || p.Log || len(p.Grid) > 0 {
			add("", "a categorical parameter takes choices only (no low, high, step, log or grid)")
		}
		if len(p.Choices) == 0 {
			add("choices", "no choices: want a list of at least one value")
		}
		seen := map[any]bool{}
		for i, c := range p.Choices {
			switch v := c.(type) {
			case int64, string, bool:
			case float64:
				if math.IsNaN(v) || math.IsInf(v, 0) {
					add("choices", "choice %d (%s) is not a finite number", i+1, num(v))
					continue
				}
			case nil:
				add("choices", "choice %d is null: choices are numbers, strings or booleans", i+1)
				continue
			case []any:
				add("choices", "choice %d is a list: choices are numbers, strings or booleans", i+1)
				continue
			case map[string]any:
				add("choices", "choice %d is a mapping: choices are numbers, strings or booleans", i+1)
				continue
			default:
				add("choices", "choice %d has type %T: choices are numbers, strings or booleans", i+1, c)
				continue
			}
			if seen[c] {
				add("choices", "the choice %s is given twice", formatChoice(c))
			}
			seen[c] = true
		}
	case "":
		add("type", "no type: want int, float, log_float or categorical")
	default:
		add("type", "unknown type %q: want int, float, log_float or categorical%s", p.Kind, didYouMean(string(p.Kind), typeNames))
	}
	return probs
}

// typeNames are the types a space file may give.
var typeNames = []string{"int", "float", "log_float", "categorical"}

// stepCount returns the number of steps from Low to High of a discrete
// float, and whether High is Low plus a whole number of steps (up to
// rounding).
func (p *Param) stepCount() (k int64, exact bool) {
	r := (p.High - p.Low) / p.Step
	k = int64(math.Round(r))
	return k, math.Abs(r-float64(k)) <= 1e-9*max(1, r) && r < maxExactInt
}

// intStep is the step of an int parameter.
func (p *Param) intStep() float64 {
	if p.Step == 0 {
		return 1
	}
	return p.Step
}

// discrete reports whether a numeric parameter takes values on a grid of
// steps, and the step.
func (p *Param) discrete() (step float64, ok bool) {
	switch {
	case p.Kind == KindInt:
		return p.intStep(), true
	case p.Step > 0:
		return p.Step, true
	}
	return 0, false
}

// stepValue is the k-th value of a discrete parameter. Floats are
// rounded to 15 significant digits, so that 0.1 steps give 0.3 rather
// than 0.30000000000000004.
func (p *Param) stepValue(k float64) float64 {
	step, _ := p.discrete()
	v := p.Low + k*step
	if p.Kind == KindFloat {
		v, _ = strconv.ParseFloat(strconv.FormatFloat(v, 'g', 15, 64), 64)
	}
	return min(max(v, p.Low), p.High)
}

// single reports whether p has one value only, which every sampler then
// takes without drawing a random number.
func (p *Param) single() bool {
	if p.Kind == KindCategorical {
		return len(p.Choices) == 1
	}
	return p.Low == p.High
}

// external converts an internal value (the number itself; a choice's
// index for categoricals) to the value an objective sees.
func (p *Param) external(x float64) any {
	switch p.Kind {
	case KindInt:
		return int64(x)
	case KindCategorical:
		return p.Choices[int(x)]
	}
	return x
}

// gridAxis is what a parameter contributes to a grid search: n
// internal values, the k-th being at(k), computed when asked for.
type gridAxis struct {
	n  int
	at func(k int) float64
}

// gridAxis returns p's grid values, or an error message.
func (p *Param) gridAxis() (gridAxis, string) {
	switch {
	case p.Kind == KindCategorical:
		return gridAxis{len(p.Choices), func(k int) float64 { return float64(k) }}, ""
	case len(p.Grid) > 0:
		return gridAxis{len(p.Grid), func(k int) float64 { return p.Grid[k] }}, ""
	case p.single():
		return gridAxis{1, func(int) float64 { return p.Low }}, ""
	}
	step, ok := p.discrete()
	if !ok {
		return gridAxis{}, fmt.Sprintf("%s: a grid search needs a finite grid: give the float a step or a grid list", p.Name)
	}
	n := math.Round((p.High-p.Low)/step) + 1
	if n > math.MaxInt32 {
		return gridAxis{}, fmt.Sprintf("%s: %s grid values are too many for a grid search", p.Name, num(n))
	}
	return gridAxis{int(n), func(k int) float64 { return p.stepValue(float64(k)) }}, ""
}

// num formats a number for messages.
func num(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// formatChoice formats a choice for messages.
func formatChoice(c any) string {
	switch v := c.(type) {
	case string:
		return strconv.Quote(v)
	case float64:
		return num(v)
	}
	return fmt.Sprint(c)
}
