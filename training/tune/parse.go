package tune

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"github.com/assayhq/assay/dataset/suggest"
)

// spaceDoc is a space file as decoded.
type spaceDoc struct {
	Trainer   string               `yaml:"trainer"`
	Metric    string               `yaml:"metric"`
	Direction Direction            `yaml:"direction"`
	Space     map[string]paramSpec `yaml:"space"`
}

// paramSpec is one parameter as written; pointers tell a field left out
// from a zero.
type paramSpec struct {
	Type    string    `yaml:"type"`
	Low     *float64  `yaml:"low"`
	High    *float64  `yaml:"high"`
	Step    *float64  `yaml:"step"`
	Log     *bool     `yaml:"log"`
	Grid    []float64 `yaml:"grid"`
	Choices []any     `yaml:"choices"`
}

// ParseFile reads and validates a space file.
func ParseFile(path string) (*Space, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrSpace, err)
	}
	return Parse(path, data)
}

// Parse reads and validates a space file's bytes; path names it in
// errors. Parameters keep the order of the file. A YAML error is one
// Problem; otherwise every problem of the space is reported at once, in
// file order.
func Parse(path string, data []byte) (*Space, error) {
	var doc spaceDoc
	if err := decode(data, &doc); err != nil && !errors.Is(err, io.EOF) { // EOF: an empty file
		// "[3:10] message" becomes "path:3:10: message".
		msg := yaml.FormatError(err, false, false)
		var line, col int
		if pos, rest, ok := strings.Cut(strings.TrimPrefix(msg, "["), "] "); ok && strings.HasPrefix(msg, "[") {
			if _, err := fmt.Sscanf(pos, "%d:%d", &line, &col); err == nil {
				msg = rest
			}
		}
		return nil, Problems{{Pos: Pos{File: path, Line: line, Col: col}, Msg: msg}}
	}
	top, params := positions(path, data)
	s := &Space{Trainer: doc.Trainer, Metric: doc.Metric, Direction: doc.Direction, path: path, at: top}
	var ps Problems
	if doc.Direction == "" {
		ps.add(s.pos(""), "no direction: want direction: maximize or minimize")
	}
	// Parameters in file order; any the walk missed (through a merge
	// key, say) follow by name.
	var names []string
	for _, pp := range params {
		if _, ok := doc.Space[pp.name]; ok && !slices.Contains(names, pp.name) {
			names = append(names, pp.name)
		}
	}
	var rest []string
	for name := range doc.Space {
		if !slices.Contains(names, name) {
			rest = append(rest, name)
		}
	}
	slices.Sort(rest)
	names = append(names, rest...)
	for _, name := range names {
		var at map[string]Pos
		for _, pp := range params {
			if pp.name == name {
				at = pp.at
			}
		}
		p, probs := doc.Space[name].param(name)
		p.at = at
		for _, prob := range probs {
			ps.add(s.paramPos(&p, prob.field), "%s: %s", name, prob.msg)
		}
		s.Params = append(s.Params, p)
	}
	s.validate(&ps)
	if len(ps) > 0 {
		slices.SortStableFunc(ps, func(a, b *Problem) int {
			if a.Pos.Line != b.Pos.Line {
				return a.Pos.Line - b.Pos.Line
			}
			return a.Pos.Col - b.Pos.Col
		})
		return nil, ps
	}
	return s, nil
}

// param converts a spec to a parameter. Problems of the spec itself
// (fields the type does not take, bounds left out) are returned; the
// parameter's own validation reports the rest, unless the parameter
// could not be made whole (no bounds) and is marked invalid.
func (sp paramSpec) param(name string) (Param, []paramProblem) {
	var probs []paramProblem
	add := func(field, format string, args ...any) {
		probs = append(probs, paramProblem{field: field, msg: fmt.Sprintf(format, args...)})
	}
	invalid := func(field, format string, args ...any) {
		add(field, format, args...)
		probs[len(probs)-1].invalid = true
	}
	p := Param{Name: name, Kind: Kind(sp.Type), Grid: sp.Grid}
	if sp.Log != nil {
		p.Log = *sp.Log
	}
	if sp.Step != nil {
		p.Step = *sp.Step
		if p.Step == 0 {
			add("step", "step 0: want a positive number")
		}
	}
	if sp.Grid != nil && len(sp.Grid) == 0 {
		add("grid", "empty grid: want a list of values")
	}
	switch sp.Type {
	case "log_float":
		p.Kind = KindFloat
		if sp.Log != nil && !*sp.Log {
			add("log", "log_float is on a log scale: drop log: false, or use type float")
		}
		p.Log = true
		fallthrough
	case "int", "float":
		switch {
		case sp.Low != nil && sp.High != nil:
			p.Low, p.High = *sp.Low, *sp.High
		case sp.Low == nil && sp.High == nil && len(sp.Grid) > 0:
			// A grid alone bounds the other samplers' search.
			p.Low, p.High = slices.Min(sp.Grid), slices.Max(sp.Grid)
		case sp.Low == nil:
			invalid("", "no low: give low and high (or a grid)")
		default:
			invalid("", "no high: give low and high (or a grid)")
		}
		if sp.Choices != nil {
			add("choices", "choices are for categorical parameters, not %s", sp.Type)
		}
	case "categorical":
		if sp.Low != nil || sp.High != nil || sp.Step != nil || sp.Log != nil || sp.Grid != nil {
			add("", "a categorical parameter takes choices only (no low, high, step, log or grid)")
		}
		p.Choices = make([]any, len(sp.Choices))
		for i, c := range sp.Choices {
			if v, ok := c.(uint64); ok && v > math.MaxInt64 {
				invalid("choices", "choice %d (%d) is out of range for an integer", i+1, v)
			}
			p.Choices[i] = normalChoice(c)
		}
	}
	for _, prob := range probs {
		// Keep the parameter's own checks from piling onto these.
		p.invalid = p.invalid || prob.invalid
	}
	return p, probs
}

// decode decodes YAML strictly. The decoder panics on some malformed
// input; that is reported as bad YAML.
func decode(data []byte, v any) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("bad YAML (the decoder failed: %v)", r)
		}
	}()
	return yaml.NewDecoder(bytes.NewReader(data), yaml.Strict(), yaml.DisallowUnknownField()).Decode(v)
}

// paramPositions are the positions of a parameter's key ("") and of
// the keys of its fields.
type paramPositions struct {
	name string
	at   map[string]Pos
}

// positions walks the YAML of a file that decoded, for the positions of
// its top-level keys and of the parameters under space:, in file order.
// It finds what it can: a position it misses falls back to an outer one.
func positions(path string, data []byte) (top map[string]Pos, params []paramPositions) {
	top = map[string]Pos{}
	f, err := parseYAML(data)
	if err != nil || f == nil || len(f.Docs) == 0 || f.Docs[0] == nil {
		return top, nil
	}
	pos := func(n ast.Node) Pos {
		p := Pos{File: path, Line: 1, Col: 1}
		if n != nil {
			if tk := n.GetToken(); tk != nil && tk.Position != nil {
				p.Line, p.Col = max(tk.Position.Line, 1), max(tk.Position.Column, 1)
			}
		}
		return p
	}
	top[""] = pos(f.Docs[0].Body)
	for i, e := range entries(f.Docs[0].Body) {
		if i == 0 {
			top[""] = pos(e.Key)
		}
		key := keyName(e.Key)
		top[key] = pos(e.Key)
		if key != "space" {
			continue
		}
		for _, pe := range entries(e.Value) {
			pp := paramPositions{name: keyName(pe.Key), at: map[string]Pos{"": pos(pe.Key)}}
			for _, fe := range entries(pe.Value) {
				pp.at[keyName(fe.Key)] = pos(fe.Key)
			}
			params = append(params, pp)
		}
	}
	return top, params
}

// parseYAML runs the YAML parser, a third-party boundary that must not
// crash on user input.
func parseYAML(data []byte) (f *ast.File, err error) {
	defer func() {
		if r := recover(); r != nil {
			f, err = nil, fmt.Errorf("the YAML parser failed: %v", r)
		}
	}()
	return parser.ParseBytes(data, 0)
}

// entries returns the key-value pairs of a mapping node (through tags
// and anchors), or nil.
func entries(n ast.Node) []*ast.MappingValueNode {
	for {
		switch v := n.(type) {
		case *ast.TagNode:
			n = v.Value
		case *ast.AnchorNode:
			n = v.Value
		case *ast.MappingNode:
			return v.Values
		case *ast.MappingValueNode:
			return []*ast.MappingValueNode{v}
		default:
			return nil
		}
	}
}

func keyName(k ast.MapKeyNode) string {
	if k == nil {
		return ""
	}
	if s, ok := k.(*ast.StringNode); ok {
		return s.Value
	}
	return k.String()
}

// didYouMean returns ` (did you mean "x"?)` for the known name nearest
// to name, or "".
func didYouMean(name string, known []string) string {
	if s := suggest.Nearest(name, known); s != "" {
		return fmt.Sprintf(" (did you mean %q?)", s)
	}
	return ""
}
