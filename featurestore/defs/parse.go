package defs

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	yaml "github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/dataset/suggest"
)

// ParseFile reads and parses the definitions file at path. See Parse.
func ParseFile(path string) (*Registry, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read feature definitions: %w", err)
	}
	return Parse(path, data)
}

// Parse parses a definitions file (see the package documentation for its
// format); name names the file in positions.
//
// Parse is strict and reports every problem at once: the error is a
// Problems (wrapping ErrDefs), in file order. Even then it returns a
// Registry holding what parsed, so that a caller may go on to Validate
// it and report those problems too. Parse does not look at any data:
// columns, expressions and references are Validate's.
//
// Not supported, each reported as a problem: several YAML documents,
// aliases (*name), merge keys (<<) and tags (!!str). Anchors are ignored.
func Parse(name string, data []byte) (*Registry, error) {
	src := bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if bytes.IndexByte(src, '\r') >= 0 {
		src = bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n"))
		src = bytes.ReplaceAll(src, []byte("\r"), []byte("\n"))
	}
	p := &defParser{path: name, src: src}
	r := p.parse()
	return r, p.probs.err()
}

// The keys of each object.
var (
	topKeys     = []string{"entities", "sources", "feature_views", "feature_services", "online_store"}
	onlineKeys  = []string{"type", "path", "url", "prefix"}
	entityKeys  = []string{"name", "join_keys", "description"}
	sourceKeys  = []string{"name", "path", "timestamp", "created", "description"}
	viewKeys    = []string{"name", "entities", "source", "ttl", "filter", "features", "description"}
	featureKeys = []string{"name", "expr", "type", "description"}
	serviceKeys = []string{"name", "features", "description"}
	typeNames   = []string{
		string(dataset.Bool), string(dataset.Int32), string(dataset.Int64), string(dataset.Float32),
		string(dataset.Float64), string(dataset.String), string(dataset.Binary), string(dataset.Date),
		string(dataset.TimestampMS), string(dataset.TimestampUS), string(dataset.TimestampNS),
	}
)

var nameRE = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]*$`)

// defParser walks the YAML AST of one file, collecting problems.
type defParser struct {
	path  string
	src   []byte
	lines []int // byte offset of each line's start, built on demand
	probs Problems
}

func (p *defParser) parse() *Registry {
	r := &Registry{File: p.path}
	doc, ok := p.document()
	if !ok {
		return r
	}
	if doc == nil {
		p.errorAt(Pos{File: p.path, Line: 1, Col: 1}, "empty file: want a mapping with entities, sources, feature_views or feature_services")
		return r
	}
	n, ok := p.value(doc)
	if !ok {
		return r
	}
	m, ok := mappingValues(n)
	if !ok {
		p.errorf(n, "want a mapping with entities, sources, feature_views or feature_services, got %s", describe(n))
		return r
	}
	for _, e := range p.entries(m) {
		switch e.key {
		case "entities":
			for _, item := range p.list(e, "an entity") {
				if x := p.entity(item); x != nil {
					r.Entities = append(r.Entities, x)
				}
			}
		case "sources":
			for _, item := range p.list(e, "a source") {
				if x := p.source(item); x != nil {
					r.Sources = append(r.Sources, x)
				}
			}
		case "feature_views":
			for _, item := range p.list(e, "a feature view") {
				if x := p.view(item); x != nil {
					r.Views = append(r.Views, x)
				}
			}
		case "feature_services":
			for _, item := range p.list(e, "a feature service") {
				if x := p.service(item); x != nil {
					r.Services = append(r.Services, x)
				}
			}
		case "online_store":
			r.Online = p.online(e)
		default:
			p.unknownKey(e, "at the top level", topKeys)
		}
	}
	return r
}

// object is the keys of one mapping item, checked against known.
type object struct {
	pos     Pos
	entries []mapEntry
	argPos  map[string]Pos
}

// object reads a list item that must be a mapping with a name. It
// returns nil when the item is not a mapping.
func (p *defParser) object(item ast.Node, what string, known []string) *object {
	n, ok := p.value(item)
	if !ok {
		return nil
	}
	m, ok := mappingValues(n)
	if !ok {
		p.errorf(n, "want %s, a mapping with a name, got %s", what, describe(n))
		return nil
	}
	o := &object{pos: p.pos(n), argPos: map[string]Pos{}}
	for _, e := range p.entries(m) {
		if !slices.Contains(known, e.key) {
			p.unknownKey(e, "in "+what, known)
			continue
		}
		o.entries = append(o.entries, e)
		o.argPos[e.key] = p.valuePos(e.val, &e)
	}
	return o
}

// name reads the name key of o, which must be present; it returns the
// name and its position (o's when absent).
func (p *defParser) name(o *object, what string, word bool) (string, Pos) {
	for _, e := range o.entries {
		if e.key != "name" {
			continue
		}
		s, ok := p.str(e.val, "name", "a name")
		if !ok {
			return "", o.argPos["name"]
		}
		switch {
		case s == "":
			p.errorAt(o.argPos["name"], "name: want a name, got an empty string")
		case word && !nameRE.MatchString(s):
			p.errorAt(o.argPos["name"], "name: %q is not a name: use letters, digits, _, - and . (no colon or space)", s)
		}
		return s, o.argPos["name"]
	}
	p.errorAt(o.pos, "%s has no name", what)
	return "", o.pos
}

func (p *defParser) entity(item ast.Node) *Entity {
	o := p.object(item, "an entity", entityKeys)
	if o == nil {
		return nil
	}
	x := &Entity{ArgPos: o.argPos}
	x.Name, x.Pos = p.name(o, "entity", true)
	for _, e := range o.entries {
		switch e.key {
		case "join_keys":
			x.JoinKeys = p.strList(e, x.ArgPos, "a join key column")
			if x.JoinKeys != nil && len(x.JoinKeys) == 0 {
				p.errorAt(x.ArgPos["join_keys"], "join_keys: want at least one column")
			}
		case "description":
			x.Description, _ = p.str(e.val, "description", "a string")
		}
	}
	if _, ok := x.ArgPos["join_keys"]; !ok {
		p.errorAt(x.Pos, "entity %s has no join_keys: want the columns that identify it", x.Name)
	}
	return x
}

func (p *defParser) source(item ast.Node) *Source {
	o := p.object(item, "a source", sourceKeys)
	if o == nil {
		return nil
	}
	x := &Source{ArgPos: o.argPos}
	x.Name, x.Pos = p.name(o, "source", true)
	for _, e := range o.entries {
		switch e.key {
		case "path":
			x.Path, _ = p.nonEmpty(e.val, "path", "a dataset ref or a file path")
		case "timestamp":
			x.Timestamp, _ = p.nonEmpty(e.val, "timestamp", "the event-timestamp column")
		case "created":
			x.Created, _ = p.nonEmpty(e.val, "created", "the created-timestamp column")
		case "description":
			x.Description, _ = p.str(e.val, "description", "a string")
		}
	}
	for _, k := range []string{"path", "timestamp"} {
		if _, ok := x.ArgPos[k]; !ok {
			p.errorAt(x.Pos, "source %s has no %s", x.Name, k)
		}
	}
	return x
}

func (p *defParser) view(item ast.Node) *FeatureView {
	o := p.object(item, "a feature view", viewKeys)
	if o == nil {
		return nil
	}
	x := &FeatureView{ArgPos: o.argPos}
	x.Name, x.Pos = p.name(o, "feature view", true)
	for _, e := range o.entries {
		switch e.key {
		case "entities":
			x.Entities = p.strList(e, x.ArgPos, "an entity name")
		case "source":
			x.Source, _ = p.nonEmpty(e.val, "source", "a source name")
		case "ttl":
			x.TTL = p.ttl(e)
		case "filter":
			x.Filter, _ = p.nonEmpty(e.val, "filter", "a boolean expression")
		case "features":
			items := p.list(e, "a feature")
			for _, item := range items {
				if f := p.feature(item); f != nil {
					x.Features = append(x.Features, f)
				}
			}
			if items != nil && len(items) == 0 {
				p.errorAt(x.ArgPos["features"], "features: want at least one feature")
			}
		case "description":
			x.Description, _ = p.str(e.val, "description", "a string")
		}
	}
	for _, k := range []string{"entities", "source", "features"} {
		if _, ok := x.ArgPos[k]; !ok {
			p.errorAt(x.Pos, "feature view %s has no %s", x.Name, k)
		}
	}
	return x
}

// online reads the online_store mapping.
func (p *defParser) online(e mapEntry) *OnlineStore {
	n, ok := p.value(e.val)
	if !ok {
		return nil
	}
	m, ok := mappingValues(n)
	if !ok {
		p.errorf(n, "online_store: want a mapping with type (bolt or redis), got %s", describe(n))
		return nil
	}
	x := &OnlineStore{Pos: p.pos(n), ArgPos: map[string]Pos{}}
	for _, e := range p.entries(m) {
		if !slices.Contains(onlineKeys, e.key) {
			p.unknownKey(e, "in online_store", onlineKeys)
			continue
		}
		x.ArgPos[e.key] = p.valuePos(e.val, &e)
		switch e.key {
		case "type":
			x.Type, _ = p.oneOf(e.val, "type", []string{OnlineBolt, OnlineRedis})
		case "path":
			x.Path, _ = p.nonEmpty(e.val, "path", "a file path")
		case "url":
			x.URL, _ = p.nonEmpty(e.val, "url", "a redis:// or rediss:// URL")
		case "prefix":
			x.Prefix, _ = p.nonEmpty(e.val, "prefix", "a key prefix")
		}
	}
	if _, ok := x.ArgPos["type"]; !ok {
		p.errorAt(x.Pos, "online_store has no type: want bolt or redis")
	}
	switch x.Type {
	case OnlineBolt:
		for _, k := range []string{"url", "prefix"} {
			if pos, ok := x.ArgPos[k]; ok {
				p.errorAt(pos, "%s: applies to a redis online store, not bolt", k)
			}
		}
	case OnlineRedis:
		if pos, ok := x.ArgPos["path"]; ok {
			p.errorAt(pos, "path: applies to a bolt online store, not redis")
		}
		if _, ok := x.ArgPos["url"]; !ok {
			p.errorAt(x.Pos, "online_store of type redis has no url: want redis://HOST:PORT/DB")
		} else if x.URL != "" {
			if _, err := redisURL(x.URL); err != nil {
				p.errorAt(x.ArgPos["url"], "url: %v", err)
			}
		}
	}
	return x
}

// ttl reads a TTL: a duration string, or the integer 0.
func (p *defParser) ttl(e mapEntry) time.Duration {
	n, ok := p.value(e.val)
	if !ok {
		return 0
	}
	var s string
	switch v := n.(type) {
	case *ast.IntegerNode:
		s = v.GetToken().Value
	case *ast.FloatNode:
		s = v.GetToken().Value
	case *ast.StringNode:
		s = v.Value
	default:
		p.errorf(n, "ttl: want a duration such as 30d, 12h or 0 (forever), got %s", describe(n))
		return 0
	}
	d, err := ParseTTL(s)
	if err != nil {
		p.errorAt(p.valuePos(n, &e), "ttl: %v", err)
		return 0
	}
	return d
}

func (p *defParser) feature(item ast.Node) *Feature {
	n, ok := p.value(item)
	if !ok {
		return nil
	}
	if _, isMap := mappingValues(n); !isMap {
		s, ok := p.nonEmpty(n, "feature", "a column name or a mapping with name and expr")
		if !ok {
			return nil
		}
		at := p.valuePos(n, nil)
		return &Feature{Name: s, Pos: at, ArgPos: map[string]Pos{"name": at}}
	}
	o := p.object(item, "a feature", featureKeys)
	if o == nil {
		return nil
	}
	f := &Feature{ArgPos: o.argPos}
	f.Name, f.Pos = p.name(o, "feature", false)
	if strings.Contains(f.Name, ":") {
		p.errorAt(f.Pos, "name: a feature name cannot hold a colon (references are view:feature)")
	}
	for _, e := range o.entries {
		switch e.key {
		case "expr":
			f.Expr, _ = p.nonEmpty(e.val, "expr", "an expression")
		case "type":
			if s, ok := p.oneOf(e.val, "type", typeNames); ok {
				f.Type = s
			}
		case "description":
			f.Description, _ = p.str(e.val, "description", "a string")
		}
	}
	return f
}

func (p *defParser) service(item ast.Node) *FeatureService {
	o := p.object(item, "a feature service", serviceKeys)
	if o == nil {
		return nil
	}
	x := &FeatureService{ArgPos: o.argPos}
	x.Name, x.Pos = p.name(o, "feature service", true)
	for _, e := range o.entries {
		switch e.key {
		case "features":
			x.Features = p.strList(e, x.ArgPos, "a feature reference (view:feature or view)")
			if x.Features != nil && len(x.Features) == 0 {
				p.errorAt(x.ArgPos["features"], "features: want at least one feature reference")
			}
		case "description":
			x.Description, _ = p.str(e.val, "description", "a string")
		}
	}
	if _, ok := x.ArgPos["features"]; !ok {
		p.errorAt(x.Pos, "feature service %s has no features", x.Name)
	}
	return x
}

// Values.

// list returns the items of a list value (reporting anything else).
func (p *defParser) list(e mapEntry, what string) []ast.Node {
	n, ok := p.value(e.val)
	if !ok {
		return nil
	}
	seq, ok := n.(*ast.SequenceNode)
	if !ok {
		p.errorAt(p.valuePos(n, &e), "%s: want a list of items, each %s, got %s", e.key, what, describe(n))
		return nil
	}
	if seq.Values == nil {
		return []ast.Node{}
	}
	return seq.Values
}

// strList reads a list of non-empty strings, recording the position of
// element i as argPos["key[i]"]. It returns nil when the value is not a
// list, an empty non-nil slice for an empty list.
func (p *defParser) strList(e mapEntry, argPos map[string]Pos, what string) []string {
	n, ok := p.value(e.val)
	if !ok {
		return nil
	}
	seq, ok := n.(*ast.SequenceNode)
	if !ok {
		p.errorAt(p.valuePos(n, &e), "%s: want a list, each item %s, got %s", e.key, what, describe(n))
		return nil
	}
	out := []string{}
	for i, item := range seq.Values {
		label := fmt.Sprintf("%s[%d]", e.key, i)
		if s, ok := p.nonEmpty(item, label, what); ok {
			argPos[label] = p.valuePos(item, nil)
			out = append(out, s)
		}
	}
	return out
}

// str reads a string (a block scalar too).
func (p *defParser) str(n ast.Node, label, want string) (string, bool) {
	n, ok := p.value(n)
	if !ok {
		return "", false
	}
	switch v := n.(type) {
	case *ast.StringNode:
		return v.Value, true
	case *ast.LiteralNode:
		return literalValue(v), true
	}
	p.errorf(n, "%s: want %s, got %s%s", label, want, describe(n), quoteHint(n))
	return "", false
}

// nonEmpty reads a string that must not be empty.
func (p *defParser) nonEmpty(n ast.Node, label, want string) (string, bool) {
	s, ok := p.str(n, label, want)
	if ok && strings.TrimSpace(s) == "" {
		p.errorf(n, "%s: want %s, got an empty string", label, want)
		return "", false
	}
	return s, ok
}

// oneOf reads a string among choices.
func (p *defParser) oneOf(n ast.Node, label string, choices []string) (string, bool) {
	s, ok := p.str(n, label, "one of "+strings.Join(choices, ", "))
	if !ok {
		return "", false
	}
	if !slices.Contains(choices, s) {
		msg := fmt.Sprintf("%s: want one of %s, got %q", label, strings.Join(choices, ", "), s)
		if near := suggest.Nearest(s, choices); near != "" {
			msg += fmt.Sprintf("; did you mean %s?", near)
		}
		p.errorf(n, "%s", msg)
		return "", false
	}
	return s, true
}

// Mappings.

// mapEntry is one key of a mapping and its value (a NullNode when empty).
type mapEntry struct {
	key    string
	keyPos Pos
	val    ast.Node
}

func mappingValues(n ast.Node) ([]*ast.MappingValueNode, bool) {
	switch m := n.(type) {
	case *ast.MappingNode:
		return m.Values, true
	case *ast.MappingValueNode:
		return []*ast.MappingValueNode{m}, true
	}
	return nil, false
}

// entries returns the keys of a mapping in order, reporting keys that are
// not names, merge keys and duplicates (which it leaves out).
func (p *defParser) entries(m []*ast.MappingValueNode) []mapEntry {
	var out []mapEntry
	seen := map[string]Pos{}
	for _, mv := range m {
		if mv == nil || mv.Key == nil {
			continue
		}
		k, ok := p.value(mv.Key)
		if !ok {
			continue
		}
		at := p.pos(k)
		var key string
		switch kn := k.(type) {
		case *ast.StringNode:
			key = kn.Value
		case *ast.MergeKeyNode:
			p.errorAt(at, "merge keys (<<) are not supported")
			continue
		default:
			p.errorAt(at, "want a key name, got %s", describe(k))
			continue
		}
		if first, dup := seen[key]; dup {
			p.errorAt(at, "duplicate key %s (first at line %d)", keyName(key), first.Line)
			continue
		}
		seen[key] = at
		e := mapEntry{key: key, keyPos: at, val: mv.Value}
		if e.val == nil {
			e.val = nullAt(at)
		}
		out = append(out, e)
	}
	return out
}

func (p *defParser) unknownKey(e mapEntry, where string, known []string) {
	msg := fmt.Sprintf("unknown key %s %s", keyName(e.key), where)
	if near := suggest.Nearest(e.key, known); near != "" {
		msg += fmt.Sprintf("; did you mean %s?", near)
	} else {
		msg += "; want " + strings.Join(known, ", ")
	}
	p.errorAt(e.keyPos, "%s", msg)
}

var plainKey = regexp.MustCompile(`^[A-Za-z0-9_.-]+$`)

func keyName(key string) string {
	if plainKey.MatchString(key) {
		return key
	}
	return strconv.Quote(key)
}

// YAML documents and nodes.

// document parses the YAML and returns the body of its one document (nil
// when the file is empty); ok is false when the YAML does not parse.
func (p *defParser) document() (body ast.Node, ok bool) {
	file, err := p.parseYAML()
	if err != nil {
		var ye yaml.Error
		if errors.As(err, &ye) {
			p.errorAt(p.tokenPos(ye.GetToken()), "bad YAML: %s", ye.GetMessage())
		} else {
			p.errorAt(Pos{File: p.path, Line: 1, Col: 1}, "bad YAML: %v", err)
		}
		return nil, false
	}
	var docs []*ast.DocumentNode
	for _, d := range file.Docs {
		if d != nil && d.Body != nil {
			docs = append(docs, d)
		}
	}
	if len(docs) == 0 {
		return nil, true
	}
	if len(docs) > 1 {
		at := p.pos(docs[1].Body)
		if docs[1].Start != nil {
			at = p.tokenPos(docs[1].Start)
		}
		p.errorAt(at, "a definitions file holds one YAML document; this is a second one")
	}
	return docs[0].Body, true
}

// parseYAML runs the YAML parser, letting duplicate keys through (entries
// reports them). The recover is a boundary around a third-party parser:
// a bug in it must not crash assay on user input.
func (p *defParser) parseYAML() (f *ast.File, err error) {
	defer func() {
		if r := recover(); r != nil {
			f, err = nil, fmt.Errorf("the YAML parser failed: %v", r)
		}
	}()
	return parser.ParseBytes(p.src, 0, parser.AllowDuplicateMapKey())
}

// value unwraps anchors and refuses aliases and tags (reporting them).
func (p *defParser) value(n ast.Node) (ast.Node, bool) {
	for {
		switch v := n.(type) {
		case *ast.AnchorNode:
			n = v.Value
		case *ast.AliasNode:
			p.errorf(n, "aliases (*name) are not supported")
			return nil, false
		case *ast.TagNode:
			tag := ""
			if v.Start != nil {
				tag = v.Start.Value
			}
			p.errorf(n, "YAML tags (%s) are not supported; quote a value that starts with !", tag)
			return nil, false
		default:
			return n, true
		}
	}
}

// nullAt stands for an empty value, positioned at its key.
func nullAt(at Pos) ast.Node {
	return &ast.NullNode{BaseNode: &ast.BaseNode{}, Token: &token.Token{Type: token.NullType, Position: &token.Position{Line: at.Line, Column: at.Col}}}
}

func (p *defParser) tokenPos(tk *token.Token) Pos {
	pos := Pos{File: p.path, Line: 1, Col: 1}
	if tk != nil && tk.Position != nil {
		pos.Line = max(tk.Position.Line, 1)
		pos.Col = max(tk.Position.Column, 1)
	}
	return pos
}

// pos is the position where node n starts.
func (p *defParser) pos(n ast.Node) Pos {
	switch v := n.(type) {
	case nil:
		return Pos{File: p.path, Line: 1, Col: 1}
	case *ast.MappingNode:
		if !v.IsFlowStyle && len(v.Values) > 0 && v.Values[0] != nil && v.Values[0].Key != nil {
			return p.pos(v.Values[0].Key)
		}
		return p.tokenPos(v.Start)
	case *ast.MappingValueNode:
		if v.Key != nil {
			return p.pos(v.Key)
		}
		return p.tokenPos(v.Start)
	case *ast.SequenceNode:
		return p.tokenPos(v.Start)
	case *ast.LiteralNode:
		return p.tokenPos(v.Start)
	case *ast.AnchorNode:
		return p.tokenPos(v.Start)
	case *ast.AliasNode:
		return p.tokenPos(v.Start)
	case *ast.TagNode:
		return p.tokenPos(v.Start)
	}
	return p.tokenPos(n.GetToken())
}

// valuePos is the position of a value: for a string its first character
// (inside quotes; for a block scalar, the first character of its
// content). An empty value is positioned at its key e.
func (p *defParser) valuePos(n ast.Node, e *mapEntry) Pos {
	switch v := n.(type) {
	case nil:
		if e != nil {
			return e.keyPos
		}
	case *ast.NullNode:
		if e != nil && (v.Token == nil || v.Token.Value == "") {
			return e.keyPos
		}
	case *ast.AnchorNode:
		return p.valuePos(v.Value, e)
	case *ast.StringNode:
		at := p.pos(n)
		if v.Token != nil && (v.Token.Type == token.SingleQuoteType || v.Token.Type == token.DoubleQuoteType) {
			at.Col++
		}
		return at
	case *ast.LiteralNode:
		return p.blockPos(v)
	}
	return p.pos(n)
}

// blockPos is the position of the first character of a block scalar's
// content: the first non-blank line after its header, at the block's
// indentation.
func (p *defParser) blockPos(v *ast.LiteralNode) Pos {
	head := p.tokenPos(v.Start)
	if p.lines == nil {
		p.lines = []int{0}
		for i, b := range p.src {
			if b == '\n' {
				p.lines = append(p.lines, i+1)
			}
		}
	}
	val := literalValue(v)
	if strings.TrimSpace(val) == "" {
		return head
	}
	kept := len(strings.TrimLeft(val, "\n")) - len(strings.TrimLeft(strings.TrimLeft(val, "\n"), " "))
	for l := head.Line + 1; l <= len(p.lines); l++ {
		end := len(p.src)
		if l < len(p.lines) {
			end = p.lines[l]
		}
		line := p.src[p.lines[l-1]:end]
		text := bytes.TrimLeft(line, " ")
		if len(bytes.TrimSpace(text)) == 0 {
			continue
		}
		indent := len(line) - len(text)
		return Pos{File: p.path, Line: l, Col: max(indent-kept, 0) + 1}
	}
	return head
}

func literalValue(v *ast.LiteralNode) string {
	if v.Value == nil {
		return ""
	}
	return v.Value.Value
}

func (p *defParser) errorAt(pos Pos, format string, args ...any) {
	p.probs.add(pos, format, args...)
}

// errorf reports a problem at the value n.
func (p *defParser) errorf(n ast.Node, format string, args ...any) {
	p.probs.add(p.valuePos(n, nil), format, args...)
}

// describe says what a node is, for "want …, got …" messages.
func describe(n ast.Node) string {
	switch v := n.(type) {
	case nil, *ast.NullNode:
		return "nothing"
	case *ast.MappingNode, *ast.MappingValueNode:
		return "a mapping"
	case *ast.SequenceNode:
		return "a list"
	case *ast.StringNode:
		s := v.Value
		if utf8.RuneCountInString(s) > 40 {
			s = string([]rune(s)[:40]) + "…"
		}
		return strconv.Quote(s)
	case *ast.LiteralNode:
		return "a block string"
	case *ast.BoolNode:
		return strconv.FormatBool(v.Value)
	case *ast.IntegerNode, *ast.FloatNode, *ast.InfinityNode, *ast.NanNode:
		if tk := n.GetToken(); tk != nil {
			return tk.Value
		}
		return "a number"
	}
	return "a " + n.Type().YAMLName()
}

// quoteHint suggests quoting a scalar YAML typed as a number or boolean.
func quoteHint(n ast.Node) string {
	switch n.(type) {
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode, *ast.InfinityNode, *ast.NanNode:
		return " (quote it if it is a name)"
	}
	return ""
}
