package defs

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/dataset/expr"
	"github.com/assayhq/assay/dataset/suggest"
)

// Validate checks the registry against the schemas of its sources, which
// schemas returns (the CLI opens the source's ref or path). It reports,
// as Problems wrapping ErrDefs, positioned where the file says so:
//
//   - duplicate names: of entities, sources, views, services, features
//     within a view, and a service named as a view;
//   - a source whose schema cannot be read (the callback's error), an
//     unknown or non-temporal timestamp or created column;
//   - a view naming an unknown entity or source, a join key of its
//     entities missing from its source, a negative TTL;
//   - an unknown feature column, an expression that does not compile
//     against the source's schema (positioned at its character), a
//     filter that is not boolean, a value that does not fit its declared
//     type;
//   - a service reference naming an unknown view or feature, or a
//     service.
//
// Unknown names come with a did-you-mean. The callback is called once
// per source with a unique name; an error that is a context's
// cancellation is returned as it is.
func (r *Registry) Validate(schemas func(source Source) (dataset.Schema, error)) error {
	var ps Problems
	r.checkNames(&ps)

	// Sources.
	known := map[string]dataset.Schema{} // by source name, for sources whose schema was read
	for _, s := range r.Sources {
		if _, done := known[s.Name]; done || r.Source(s.Name) != s {
			continue // a duplicate, reported above
		}
		if s.Path == "" {
			continue // reported by Parse
		}
		schema, err := schemas(*s)
		if err != nil {
			if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
				return err
			}
			ps.add(at(s.ArgPos, "path", s.Pos), "source %s: read schema of %s: %v", s.Name, s.Path, err)
			continue
		}
		schema = schema.Supported()
		known[s.Name] = schema
		for _, k := range []string{"timestamp", "created"} {
			col := s.Timestamp
			if k == "created" {
				col = s.Created
			}
			if col == "" {
				continue
			}
			i := schema.Index(col)
			if i < 0 {
				ps.add(at(s.ArgPos, k, s.Pos), "%s: %s", k, unknownColumn(col, s, schema))
				continue
			}
			if !schema[i].Type.Temporal() {
				ps.add(at(s.ArgPos, k, s.Pos), "%s: column %s is %s; want a date or timestamp column", k, col, schema[i].Type)
			}
		}
	}

	// Views.
	for _, v := range r.Views {
		if v.TTL < 0 {
			ps.add(at(v.ArgPos, "ttl", v.Pos), "ttl: negative TTL %s; want 0 (forever) or more", v.TTL)
		}
		var src *Source
		if v.Source != "" {
			if src = r.Source(v.Source); src == nil {
				ps.add(at(v.ArgPos, "source", v.Pos), "source: %s", unknownName("source", v.Source, names(r.Sources, func(s *Source) string { return s.Name })))
			}
		}
		schema, haveSchema := known[v.Source]
		for i, name := range v.Entities {
			pos := at(v.ArgPos, fmt.Sprintf("entities[%d]", i), v.Pos)
			e := r.Entity(name)
			if e == nil {
				ps.add(pos, "entities: %s", unknownName("entity", name, names(r.Entities, func(e *Entity) string { return e.Name })))
				continue
			}
			if !haveSchema {
				continue
			}
			for _, k := range e.JoinKeys {
				if schema.Index(k) < 0 {
					ps.add(pos, "join key %s of entity %s is not a column of source %s%s", k, e.Name, src.Name, suggestColumn(k, schema))
				}
			}
		}
		seen := map[string]*Feature{}
		for _, f := range v.Features {
			if first, dup := seen[f.Name]; dup && f.Name != "" {
				ps.add(f.Pos, "duplicate feature %s in view %s (first at %s)", f.Name, v.Name, first.Pos)
			} else {
				seen[f.Name] = f
			}
			if haveSchema {
				checkFeature(&ps, f, src, schema)
			}
		}
		if haveSchema && v.Filter != "" {
			p, err := expr.Compile(v.Filter, schema)
			switch {
			case err != nil:
				addExpr(&ps, at(v.ArgPos, "filter", v.Pos), "filter: ", err)
			case p.Type() != expr.Bool:
				ps.add(at(v.ArgPos, "filter", v.Pos), "filter: want a boolean expression, got a value of type %s", p.Type())
			}
		}
	}

	// Services.
	for _, s := range r.Services {
		for i, ref := range s.Features {
			if err := r.checkServiceRef(ref); err != "" {
				ps.add(at(s.ArgPos, fmt.Sprintf("features[%d]", i), s.Pos), "%s", err)
			}
		}
	}
	return ps.err()
}

// checkNames reports duplicate names.
func (r *Registry) checkNames(ps *Problems) {
	dups := func(kind string, n int, name func(int) string, pos func(int) Pos) {
		first := map[string]Pos{}
		for i := range n {
			nm := name(i)
			if nm == "" {
				continue
			}
			if at, dup := first[nm]; dup {
				ps.add(pos(i), "duplicate %s name %s (first at %s)", kind, nm, at)
				continue
			}
			first[nm] = pos(i)
		}
	}
	dups("entity", len(r.Entities), func(i int) string { return r.Entities[i].Name }, func(i int) Pos { return r.Entities[i].Pos })
	dups("source", len(r.Sources), func(i int) string { return r.Sources[i].Name }, func(i int) Pos { return r.Sources[i].Pos })
	dups("feature view", len(r.Views), func(i int) string { return r.Views[i].Name }, func(i int) Pos { return r.Views[i].Pos })
	dups("feature service", len(r.Services), func(i int) string { return r.Services[i].Name }, func(i int) Pos { return r.Services[i].Pos })
	for _, s := range r.Services {
		if v := r.View(s.Name); v != nil && s.Name != "" {
			ps.add(s.Pos, "feature service %s has the name of a feature view (at %s): references to it would be ambiguous", s.Name, v.Pos)
		}
	}
}

// checkFeature checks a feature against its source's schema.
func checkFeature(ps *Problems, f *Feature, src *Source, schema dataset.Schema) {
	var t expr.Type
	if f.Column() {
		i := schema.Index(f.Name)
		if i < 0 {
			ps.add(f.Pos, "feature %s: %s", f.Name, unknownColumn(f.Name, src, schema))
			return
		}
		t = exprType(schema[i].Type)
	} else {
		p, err := expr.Compile(f.Expr, schema)
		if err != nil {
			addExpr(ps, at(f.ArgPos, "expr", f.Pos), "feature "+f.Name+": ", err)
			return
		}
		t = p.Type()
	}
	if f.Type == "" {
		if t == expr.Null {
			ps.add(at(f.ArgPos, "expr", f.Pos), "feature %s: the expression is always null; declare its type", f.Name)
		}
		return
	}
	if !fits(t, dataset.Type(f.Type)) {
		ps.add(at(f.ArgPos, "type", f.Pos), "feature %s: a value of type %s does not fit type %s", f.Name, t, f.Type)
	}
}

// exprType is the expression type of a column of type t.
func exprType(t dataset.Type) expr.Type {
	switch t {
	case dataset.Bool:
		return expr.Bool
	case dataset.Int32, dataset.Int64:
		return expr.Int
	case dataset.Float32, dataset.Float64:
		return expr.Float
	case dataset.String, dataset.Binary:
		return expr.String
	}
	if t.Temporal() {
		return expr.Time
	}
	return expr.Null
}

// fits reports whether values of expression type t can be stored as
// column type d.
func fits(t expr.Type, d dataset.Type) bool {
	switch t {
	case expr.Null:
		return true
	case expr.Bool:
		return d == dataset.Bool
	case expr.Int:
		return d == dataset.Int32 || d == dataset.Int64 || d == dataset.Float32 || d == dataset.Float64
	case expr.Float:
		return d == dataset.Float32 || d == dataset.Float64
	case expr.String:
		return d == dataset.String || d == dataset.Binary
	case expr.Time:
		return d.Temporal()
	case expr.Duration:
		return d == dataset.Int64
	}
	return false
}

// checkServiceRef checks one reference of a service; it returns what is
// wrong, or "".
func (r *Registry) checkServiceRef(ref string) string {
	viewName, feat, hasFeat := strings.Cut(ref, ":")
	v := r.View(viewName)
	if v == nil {
		if !hasFeat && r.Service(viewName) != nil {
			return fmt.Sprintf("%s is a feature service; a service lists views and view:feature references", ref)
		}
		return unknownName("feature view", viewName, names(r.Views, func(v *FeatureView) string { return v.Name }))
	}
	if hasFeat && v.Feature(feat) == nil {
		return fmt.Sprintf("view %s has no feature %s%s", v.Name, feat, didYouMean(feat, names(v.Features, func(f *Feature) string { return f.Name })))
	}
	return ""
}

// addExpr adds an expression's compile error, positioned in the file:
// the expression's own line and column are added to where its text
// starts.
func addExpr(ps *Problems, start Pos, prefix string, err error) {
	line, col, msg := 1, 0, err.Error()
	var e *expr.Error
	if errors.As(err, &e) {
		line, col, msg = e.Line, e.Column, e.Msg
	}
	pos := start
	if pos.Line > 0 {
		pos.Line += line - 1
		if col > 0 {
			pos.Col += col - 1
		}
	}
	ps.add(pos, "%s%s", prefix, msg)
}

func at(argPos map[string]Pos, key string, def Pos) Pos {
	if p, ok := argPos[key]; ok {
		return p
	}
	return def
}

func names[T any](xs []T, name func(T) string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = name(x)
	}
	return out
}

func didYouMean(name string, known []string) string {
	if near := suggest.Nearest(name, known); near != "" {
		return fmt.Sprintf("; did you mean %s?", near)
	}
	return ""
}

func unknownName(kind, name string, known []string) string {
	return fmt.Sprintf("unknown %s %s%s", kind, name, didYouMean(name, known))
}

func unknownColumn(col string, src *Source, schema dataset.Schema) string {
	return fmt.Sprintf("source %s (%s) has no column %s%s", src.Name, src.Path, col, suggestColumn(col, schema))
}

func suggestColumn(col string, schema dataset.Schema) string {
	return didYouMean(col, schema.Names())
}
