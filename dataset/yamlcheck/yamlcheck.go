// Package yamlcheck reads a YAML file into a Go value described by its
// yaml struct tags, strictly, and reports every problem at once with
// file:line:column: unknown keys (with a suggestion), duplicate keys,
// values of the wrong kind, aliases and tags. It also records where each
// value stands, so that the caller's own checks can be reported at the
// right place.
//
// Paths name values: "train.params", "notify[1].url", "space.lr.type".
package yamlcheck

import (
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"

	"github.com/assayhq/assay/dataset/suggest"
)

// ErrYAML marks a file that does not read.
var ErrYAML = errors.New("bad file")

// Pos is a position in a file; lines and columns count from 1.
type Pos struct {
	File      string
	Line, Col int
}

// String returns file:line:col.
func (p Pos) String() string { return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col) }

// Problem is one problem at a position.
type Problem struct {
	Pos Pos
	Msg string
}

// Problems are the problems of a file, in file order. As an error, it
// lists them one per line and wraps ErrYAML.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.Pos.String() + ": " + p.Msg
	}
	return strings.Join(lines, "\n")
}

// Unwrap lets errors.Is find ErrYAML.
func (ps Problems) Unwrap() error { return ErrYAML }

// File is a read file: where each value stands.
type File struct {
	Path string
	// At maps paths to the positions of their values.
	At    map[string]Pos
	probs Problems
	fatal bool // a problem that keeps values from being read
}

// Pos returns the position of the value at path, or of the closest
// enclosing value that has one, or the file's start.
func (f *File) Pos(path string) Pos {
	for {
		if p, ok := f.At[path]; ok {
			return p
		}
		i := strings.LastIndexAny(path, ".[")
		if i < 0 {
			return Pos{File: f.Path, Line: 1, Col: 1}
		}
		path = path[:i]
	}
}

// Errorf adds a problem at the value of path.
func (f *File) Errorf(path, format string, args ...any) {
	f.probs = append(f.probs, Problem{f.Pos(path), fmt.Sprintf(format, args...)})
}

// Err returns the problems added (sorted by position), or nil.
func (f *File) Err() error {
	if len(f.probs) == 0 {
		return nil
	}
	sort.SliceStable(f.probs, func(i, j int) bool {
		a, b := f.probs[i].Pos, f.probs[j].Pos
		return a.Line < b.Line || a.Line == b.Line && a.Col < b.Col
	})
	return f.probs
}

// Decode reads data into v (a pointer to a struct) after checking it
// against v's type. Problems that keep values from being read (bad
// YAML, values of the wrong kind, aliases, tags) are returned at once as
// Problems, and v is not filled. Unknown and duplicate keys do not stop
// the reading: they wait in the File, with the caller's own checks
// (File.Errorf), for File.Err to report them all together.
func Decode(path string, data []byte, v any) (*File, error) {
	f := &File{Path: path, At: map[string]Pos{}}
	doc, err := parse(data)
	if err != nil {
		var ye yaml.Error
		if errors.As(err, &ye) {
			f.probs = append(f.probs, Problem{tokPos(path, ye.GetToken()), "bad YAML: " + ye.GetMessage()})
		} else {
			f.probs = append(f.probs, Problem{Pos{path, 1, 1}, "bad YAML: " + err.Error()})
		}
		return f, f.Err()
	}
	if doc == nil {
		f.probs = append(f.probs, Problem{Pos{path, 1, 1}, "empty file"})
		return f, f.Err()
	}
	w := &walker{f: f}
	w.walk(doc, reflect.TypeOf(v).Elem(), "")
	if f.fatal {
		return f, f.Err()
	}
	if err := decode(data, v); err != nil {
		f.probs = append(f.probs, Problem{Pos{path, 1, 1}, err.Error()})
		return f, f.Err()
	}
	return f, nil
}

// parse returns the body of the file's one document; the recover is a
// boundary around a third-party parser.
func parse(data []byte) (body ast.Node, err error) {
	defer func() {
		if r := recover(); r != nil {
			body, err = nil, fmt.Errorf("the YAML parser failed: %v", r)
		}
	}()
	file, err := parser.ParseBytes(data, 0, parser.AllowDuplicateMapKey())
	if err != nil {
		return nil, err
	}
	var docs []ast.Node
	for _, d := range file.Docs {
		if d != nil && d.Body != nil {
			docs = append(docs, d.Body)
		}
	}
	switch len(docs) {
	case 0:
		return nil, nil
	case 1:
		return docs[0], nil
	}
	return nil, fmt.Errorf("the file holds %d YAML documents; want one", len(docs))
}

func decode(data []byte, v any) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("bad YAML (the decoder failed: %v)", r)
		}
	}()
	return yaml.Unmarshal(data, v)
}

func tokPos(path string, t *token.Token) Pos {
	if t == nil || t.Position == nil {
		return Pos{path, 1, 1}
	}
	return Pos{path, t.Position.Line, t.Position.Column}
}

// walker checks nodes against types.
type walker struct{ f *File }

// pos is a node's position: a mapping's is that of its first key.
func (w *walker) pos(n ast.Node) Pos {
	switch m := n.(type) {
	case *ast.MappingNode:
		if len(m.Values) > 0 && m.Values[0] != nil && m.Values[0].Key != nil {
			return tokPos(w.f.Path, m.Values[0].Key.GetToken())
		}
	case *ast.MappingValueNode:
		if m.Key != nil {
			return tokPos(w.f.Path, m.Key.GetToken())
		}
	}
	return tokPos(w.f.Path, n.GetToken())
}

func (w *walker) errorf(n ast.Node, format string, args ...any) {
	w.f.probs = append(w.f.probs, Problem{w.pos(n), fmt.Sprintf(format, args...)})
	w.f.fatal = true
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// walk checks node n against type t at path.
func (w *walker) walk(n ast.Node, t reflect.Type, path string) {
	n, ok := w.unwrap(n)
	if !ok {
		return
	}
	if path != "" {
		w.f.At[path] = w.pos(n)
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if _, null := n.(*ast.NullNode); null {
		return // an empty value is the zero value
	}
	label := path
	if label == "" {
		label = "the file"
	}
	switch t.Kind() {
	case reflect.Struct:
		w.mapping(n, path, label, func(key string) (reflect.Type, bool, []string) {
			names := make([]string, 0, t.NumField())
			for i := range t.NumField() {
				name := tagName(t.Field(i))
				if name == "" {
					continue
				}
				if name == key {
					return t.Field(i).Type, true, nil
				}
				names = append(names, name)
			}
			return nil, false, names
		})
	case reflect.Map:
		w.mapping(n, path, label, func(string) (reflect.Type, bool, []string) { return t.Elem(), true, nil })
	case reflect.Slice:
		seq, ok := n.(*ast.SequenceNode)
		if !ok {
			w.errorf(n, "%s: want a list, got %s", label, describe(n))
			return
		}
		for i, item := range seq.Values {
			w.walk(item, t.Elem(), path+"["+strconv.Itoa(i)+"]")
		}
	case reflect.String:
		switch n.(type) {
		case *ast.StringNode, *ast.LiteralNode:
		default:
			w.errorf(n, "%s: want a string, got %s%s", label, describe(n), quoteHint(n))
		}
	case reflect.Bool:
		if _, ok := n.(*ast.BoolNode); !ok {
			w.errorf(n, "%s: want true or false, got %s", label, describe(n))
		}
	case reflect.Int, reflect.Int64, reflect.Int32, reflect.Uint64:
		if _, ok := n.(*ast.IntegerNode); !ok {
			w.errorf(n, "%s: want an integer, got %s", label, describe(n))
		}
	case reflect.Float64:
		switch n.(type) {
		case *ast.IntegerNode, *ast.FloatNode:
		default:
			w.errorf(n, "%s: want a number, got %s", label, describe(n))
		}
	}
}

// mapping checks a mapping's keys: field looks a key up, returning its
// value's type, or the known names when it is unknown.
func (w *walker) mapping(n ast.Node, path, label string, field func(key string) (reflect.Type, bool, []string)) {
	var values []*ast.MappingValueNode
	switch m := n.(type) {
	case *ast.MappingNode:
		values = m.Values
	case *ast.MappingValueNode:
		values = []*ast.MappingValueNode{m}
	default:
		w.errorf(n, "%s: want a mapping, got %s", label, describe(n))
		return
	}
	seen := map[string]Pos{}
	for _, mv := range values {
		if mv == nil || mv.Key == nil {
			continue
		}
		kn, ok := w.unwrap(mv.Key)
		if !ok {
			continue
		}
		var key string
		switch k := kn.(type) {
		case *ast.StringNode:
			key = k.Value
		default:
			key = kn.GetToken().Value
		}
		at := w.pos(kn)
		if first, dup := seen[key]; dup {
			w.f.probs = append(w.f.probs, Problem{at, fmt.Sprintf("duplicate key %s (first at line %d)", key, first.Line)})
			continue
		}
		seen[key] = at
		t, ok, known := field(key)
		if !ok {
			msg := fmt.Sprintf("unknown key %s in %s", key, label)
			if near := suggest.Nearest(key, known); near != "" {
				msg += "; did you mean " + near + "?"
			} else if len(known) > 0 {
				msg += "; want " + strings.Join(known, ", ")
			}
			w.f.probs = append(w.f.probs, Problem{at, msg})
			continue
		}
		w.walk(mv.Value, t, join(path, key))
	}
}

// unwrap follows anchors and refuses aliases and tags.
func (w *walker) unwrap(n ast.Node) (ast.Node, bool) {
	for {
		switch v := n.(type) {
		case *ast.AnchorNode:
			n = v.Value
		case *ast.AliasNode:
			w.errorf(n, "aliases (*name) are not supported")
			return nil, false
		case *ast.TagNode:
			w.errorf(n, "YAML tags (!!type) are not supported")
			return nil, false
		case nil:
			return nil, false
		default:
			return n, true
		}
	}
}

// tagName returns a field's yaml name, or "" for fields without one.
func tagName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
	if name == "-" {
		return ""
	}
	return name
}

func describe(n ast.Node) string {
	switch v := n.(type) {
	case *ast.MappingNode, *ast.MappingValueNode:
		return "a mapping"
	case *ast.SequenceNode:
		return "a list"
	case *ast.StringNode:
		return strconv.Quote(v.Value)
	case *ast.NullNode:
		return "nothing"
	}
	return n.GetToken().Value
}

func quoteHint(n ast.Node) string {
	switch n.(type) {
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode:
		return " (quote it if it is text)"
	}
	return ""
}
