package checks

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"os"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/assayhq/assay/dataset/suggest"
	yaml "github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"
)

// ParseFile reads and parses the rule file at path. See Parse.
func ParseFile(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read rule file: %w", err)
	}
	return Parse(path, data)
}

// Parse parses a rule file (YAML; docs/checks.md is its reference). path
// names the file in positions and messages.
//
// Parse is strict and reports every problem of the file at once: the error
// is a Problems (wrapping ErrRules), in file order, each positioned at the
// offending key or value. Even then Parse returns a File, holding the
// checks that had no problem, so that a caller can go on and report the
// problems the compiler finds in those too.
//
// Defaults are filled in: Severity error; Nulls ignore, except for
// not_null, whose Nulls stays empty unless given (the compiler treats it
// as fail); RelativeTo "now" (freshness); Window 10, MaxZ 3.5 and
// MinHistory 4 (anomaly); MinHistory 1 (change). unique always sets
// Columns, and also Column when the key has one column.
//
// Positions. Check.Pos is the position of the check's kind key. ArgPos
// holds the position of every argument and common option given, by key
// ("column", "min", "where", "expr" for a row or metric expression, …;
// ArgPos["column"] also for the shorthand `not_null: id`). Elements of
// list arguments are also recorded as "key[i]" (for example "columns[1]"
// of a compound unique key, "group_by[0]", "required[2]") and the types of
// a schema check as "types.COLUMN". Columns count characters, not bytes.
// The position of a string value is that of its first character, inside
// the quotes when it is quoted, so that a column within an expression can
// be added to it: for a one-line scalar (plain or quoted) character i of
// the expression (from 0) is at column Pos.Col+i, exactly unless a quoted
// string has escapes before it; a plain or quoted scalar that spans lines
// is folded into one line, so only its first line maps exactly. For a
// block scalar (| or >) the position is the first line of its content at
// its indentation: with a literal block (|) character i of line k of the
// expression (both from 1) is at line Pos.Line+k-1, column Pos.Col+i-1;
// a folded block (>) joins lines, so only its first line maps exactly.
//
// Not supported, each reported as a problem: several YAML documents in one
// file, aliases (*name) and merge keys (<<), and tags (!!str). Anchors
// (&name) are allowed and ignored.
func Parse(path string, data []byte) (*File, error) {
	// Line breaks are normalised to \n (YAML also breaks lines at \r\n and
	// a lone \r; the YAML parser counts mixed ones inconsistently).
	src := bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if bytes.IndexByte(src, '\r') >= 0 {
		src = bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n"))
		src = bytes.ReplaceAll(src, []byte("\r"), []byte("\n"))
	}
	p := &ruleParser{path: path, src: src}
	f := p.parse()
	return f, p.problems()
}

// ruleParser walks the YAML AST of one rule file, collecting problems.
type ruleParser struct {
	path  string
	src   []byte
	lines []int // byte offset of the start of each line, built on demand
	probs Problems
	// kindPos is the position of the value of the kind key of the check
	// being parsed.
	kindPos Pos
}

func (p *ruleParser) parse() *File {
	f := &File{Path: p.path}
	doc, ok := p.document()
	if !ok {
		return f
	}
	if doc == nil {
		p.errorAt(Pos{File: p.path, Line: 1, Col: 1}, "empty rule file: want a mapping with a checks list")
		return f
	}
	n, ok := p.value(doc)
	if !ok {
		return f
	}
	m, ok := mappingValues(n)
	if !ok {
		p.errorf(n, "want a mapping with a checks list, got %s", describe(n))
		return f
	}
	var checks ast.Node
	for _, e := range p.entries(m) {
		switch e.key {
		case "dataset":
			if s, ok := p.str(e.val, "dataset", "a dataset name"); ok {
				f.Dataset = s
			}
		case "checks":
			checks = e.val
		default:
			p.unknownKey(e, "in a rule file", topKeys)
		}
	}
	if checks == nil {
		p.errorAt(p.pos(n), "missing checks: want a list of checks")
		return f
	}
	checks, ok = p.value(checks)
	if !ok {
		return f
	}
	seq, ok := checks.(*ast.SequenceNode)
	if !ok {
		p.errorf(checks, "checks: want a list of checks (each item starts with -), got %s", describe(checks))
		return f
	}
	for _, item := range seq.Values {
		before := len(p.probs)
		c := p.check(item)
		if c != nil && len(p.probs) == before {
			f.Checks = append(f.Checks, c)
		}
	}
	return f
}

// document parses the YAML and returns the body of its one document (nil
// when the file is empty). ok is false when the YAML does not parse.
func (p *ruleParser) document() (body ast.Node, ok bool) {
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
		p.errorAt(at, "a rule file holds one YAML document; this is a second one")
	}
	return docs[0].Body, true
}

// parseYAML runs the YAML parser. Duplicate keys are let through: they
// are reported with the other problems. The recover is a boundary around
// a third-party parser: a bug in it must not crash assay on user input.
func (p *ruleParser) parseYAML() (f *ast.File, err error) {
	defer func() {
		if r := recover(); r != nil {
			f, err = nil, fmt.Errorf("the YAML parser failed: %v", r)
		}
	}()
	return parser.ParseBytes(p.src, 0, parser.AllowDuplicateMapKey())
}

// problems returns the problems in file order, or nil.
func (p *ruleParser) problems() error {
	sort.SliceStable(p.probs, func(i, j int) bool {
		a, b := p.probs[i].Pos, p.probs[j].Pos
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
	p.probs = slices.CompactFunc(p.probs, func(a, b *Problem) bool { return *a == *b })
	return p.probs.err()
}

// The keys of a rule file and of a check.
var (
	topKeys    = []string{"dataset", "checks"}
	optionKeys = []string{"name", "severity", "where", "group_by", "max_fail_fraction", "max_fail_count", "nulls"}
	kindNames  = func() []string {
		s := make([]string, len(Kinds))
		for i, k := range Kinds {
			s[i] = string(k)
		}
		return s
	}()
	// kindArgKeys are the argument keys of each kind that takes a mapping.
	kindArgKeys = map[Kind][]string{
		KindSchema:         {"required", "forbidden", "types", "count", "columns", "no_new_columns", "no_dropped_columns"},
		KindRowCount:       {"min", "max", "equal"},
		KindFreshness:      {"column", "max_age", "relative_to"},
		KindNotNull:        {"column"},
		KindNullFraction:   {"column", "min", "max"},
		KindUnique:         {"column", "columns"},
		KindInSet:          {"column", "values"},
		KindNotInSet:       {"column", "values"},
		KindBetween:        {"column", "min", "max", "strict_min", "strict_max"},
		KindRegex:          {"column", "pattern"},
		KindNotRegex:       {"column", "pattern"},
		KindLength:         {"column", "min", "max", "equal"},
		KindIncreasing:     {"column", "strict"},
		KindDecreasing:     {"column", "strict"},
		KindFormat:         {"column", "format"},
		KindPair:           {"a", "op", "b"},
		KindReference:      {"column", "ref", "ref_column"},
		KindLabelConflicts: {"label", "features", "case_fold", "float_tolerance"},
		KindChange:         {"metric", "max_relative_change", "max_absolute_change", "min_history"},
		KindAnomaly:        {"metric", "window", "max_z", "min_history"},
	}
	// geNames maps Great Expectations' expectation names to assay's kinds,
	// for the message about an unknown key.
	geNames = map[string]Kind{
		"expect_column_values_to_not_be_null":                       KindNotNull,
		"expect_column_values_to_be_unique":                         KindUnique,
		"expect_compound_columns_to_be_unique":                      KindUnique,
		"expect_select_column_values_to_be_unique_within_record":    KindUnique,
		"expect_column_values_to_be_in_set":                         KindInSet,
		"expect_column_values_to_not_be_in_set":                     KindNotInSet,
		"expect_column_values_to_be_between":                        KindBetween,
		"expect_column_values_to_match_regex":                       KindRegex,
		"expect_column_values_to_not_match_regex":                   KindNotRegex,
		"expect_column_value_lengths_to_be_between":                 KindLength,
		"expect_column_value_lengths_to_equal":                      KindLength,
		"expect_column_values_to_be_increasing":                     KindIncreasing,
		"expect_column_values_to_be_decreasing":                     KindDecreasing,
		"expect_table_row_count_to_be_between":                      KindRowCount,
		"expect_table_row_count_to_equal":                           KindRowCount,
		"expect_column_pair_values_a_to_be_greater_than_b":          KindPair,
		"expect_column_pair_values_to_be_equal":                     KindPair,
		"expect_table_columns_to_match_ordered_list":                KindSchema,
		"expect_table_columns_to_match_set":                         KindSchema,
		"expect_column_to_exist":                                    KindSchema,
		"expect_table_column_count_to_equal":                        KindSchema,
		"expect_column_values_to_be_of_type":                        KindSchema,
		"expect_column_proportion_of_non_null_values_to_be_between": KindNullFraction,
	}
)

// Which common options apply to which kinds. A tolerance and a null
// policy only make sense where single rows fail; a filter or grouping
// not for a schema, nor for the metric history of change and anomaly.
func rowLevelKind(k Kind) bool {
	switch k {
	case KindNotNull, KindUnique, KindInSet, KindNotInSet, KindBetween, KindRegex, KindNotRegex,
		KindLength, KindIncreasing, KindDecreasing, KindFormat, KindRow, KindPair, KindReference:
		return true
	}
	return false
}

func optionApplies(opt string, k Kind) (ok bool, why string) {
	switch opt {
	case "max_fail_fraction", "max_fail_count":
		// label_conflicts counts rows too: the rows in conflict groups.
		return rowLevelKind(k) || k == KindLabelConflicts, "a tolerance applies to checks of single rows"
	case "nulls":
		if k == KindLabelConflicts {
			return false, "rows without a label are left out, and a null feature equals a null"
		}
		return rowLevelKind(k), "a null policy applies to checks of single rows"
	case "where", "group_by":
		return k != KindSchema && k != KindChange && k != KindAnomaly, ""
	}
	return true, ""
}

// check parses one item of the checks list. It returns nil when the item
// is not a mapping.
func (p *ruleParser) check(item ast.Node) *Check {
	n, ok := p.value(item)
	if !ok {
		return nil
	}
	m, ok := mappingValues(n)
	if !ok {
		if s, isStr := n.(*ast.StringNode); isStr && slices.Contains(kindNames, s.Value) {
			p.errorf(n, "check %s has no argument: write %s: followed by its column or arguments", s.Value, s.Value)
		} else {
			p.errorf(n, "want a check, a mapping such as `not_null: COLUMN`, got %s", describe(n))
		}
		return nil
	}
	before := len(p.probs)
	entries := p.entries(m)
	unknown := len(p.probs) > before // a bad key may be the kind
	c := &Check{Pos: p.pos(n), Severity: SeverityError, ArgPos: map[string]Pos{}}
	var kindEntry *mapEntry
	var options []*mapEntry
	for i := range entries {
		e := &entries[i]
		switch {
		case slices.Contains(kindNames, e.key):
			if kindEntry != nil {
				p.errorAt(e.keyPos, "check has two kinds, %s and %s: write each check as its own list item", kindEntry.key, e.key)
				continue
			}
			kindEntry = e
		case slices.Contains(optionKeys, e.key):
			options = append(options, e)
		}
	}
	if kindEntry != nil {
		c.Kind = Kind(kindEntry.key)
		c.Pos = kindEntry.keyPos
	}
	for i := range entries {
		e := &entries[i]
		if slices.Contains(kindNames, e.key) || slices.Contains(optionKeys, e.key) {
			continue
		}
		if c.Kind != "" && slices.Contains(kindArgKeys[c.Kind], e.key) {
			p.errorAt(e.keyPos, "%s is an argument of %s: write it inside its mapping, %s: {…, %s: …}", e.key, c.Kind, c.Kind, e.key)
			continue
		}
		p.unknownKey(*e, "in a check", append(slices.Clone(kindNames), optionKeys...))
		unknown = true
	}
	if kindEntry == nil && !unknown {
		// (An unknown key is likely the misspelt kind: its message says.)
		p.errorAt(c.Pos, "check has no kind: want one key of %s", strings.Join(kindNames, ", "))
	}
	for _, e := range options {
		p.option(c, e)
	}
	if c.MaxFailFraction != nil && c.MaxFailCount != nil {
		a, b := c.ArgPos["max_fail_fraction"], c.ArgPos["max_fail_count"]
		second, name := b, "max_fail_count"
		if posBefore(b, a) {
			second, name = a, "max_fail_fraction"
		}
		p.errorAt(second, "%s: give max_fail_fraction or max_fail_count, not both", name)
	}
	if c.Kind == "" {
		return c
	}
	if c.Nulls == "" && c.Kind != KindNotNull {
		c.Nulls = NullsIgnore
	}
	p.kind(c, kindEntry)
	return c
}

// option parses a common option of check c.
func (p *ruleParser) option(c *Check, e *mapEntry) {
	if c.Kind != "" {
		if ok, why := optionApplies(e.key, c.Kind); !ok {
			if why != "" {
				why = ": " + why
			}
			p.errorAt(e.keyPos, "%s does not apply to a %s check%s", e.key, c.Kind, why)
			return
		}
	}
	c.ArgPos[e.key] = p.valuePos(e.val, e)
	switch e.key {
	case "name":
		if s, ok := p.str(e.val, "name", "a name"); ok {
			c.Name = s
		}
	case "severity":
		if s, ok := p.oneOf(e.val, "severity", []string{"error", "warn"}); ok {
			c.Severity = Severity(s)
		}
	case "where":
		if s, ok := p.str(e.val, "where", "an expression"); ok {
			c.Where = s
		}
	case "group_by":
		c.GroupBy = p.columnList(c, e.val, "group_by", "group_by", true)
	case "max_fail_fraction":
		if f, ok := p.number(e.val, "max_fail_fraction"); ok {
			if f < 0 || f > 1 {
				p.errorAt(p.valuePos(e.val, e), "max_fail_fraction: want a fraction between 0 and 1, got %s", fmtNum(f))
			} else {
				c.MaxFailFraction = &f
			}
		}
	case "max_fail_count":
		if i, ok := p.integer(e.val, "max_fail_count", 0, math.MaxInt64); ok {
			c.MaxFailCount = &i
		}
	case "nulls":
		if s, ok := p.oneOf(e.val, "nulls", []string{"ignore", "fail", "pass"}); ok {
			c.Nulls = Nulls(s)
		}
	}
}

// kind parses the value of the kind key of c.
func (p *ruleParser) kind(c *Check, e *mapEntry) {
	p.kindPos = p.valuePos(e.val, e)
	v, ok := p.value(e.val)
	if !ok {
		return
	}
	switch c.Kind {
	case KindSchema:
		p.schema(c, v)
	case KindRowCount:
		a := p.args(c, v)
		if a == nil {
			return
		}
		c.Min = a.integerNum("min", 0)
		c.Max = a.integerNum("max", 0)
		c.Equal = a.integerNum("equal", 0)
		p.bounds(c, a, true)
	case KindFreshness:
		a := p.args(c, v)
		if a == nil {
			return
		}
		a.column(true)
		if n, ok := a.get("max_age"); ok {
			if s, ok := p.str(n, "freshness max_age", "a duration such as 24h, 90m or 7d"); ok {
				if d, ok := parseMaxAge(s); ok {
					c.MaxAge = d
				} else {
					p.errorAt(p.valuePos(n, nil), "freshness max_age: want a positive duration such as 24h, 90m or 7d, got %q", s)
				}
			}
		} else {
			a.missing("max_age")
		}
		c.RelativeTo = "now"
		if n, ok := a.get("relative_to"); ok {
			if s, ok := p.oneOf(n, "freshness relative_to", []string{"now", "version"}); ok {
				c.RelativeTo = s
			}
		}
	case KindNotNull:
		if a := p.columnOr(c, v); a != nil {
			a.column(true)
		}
	case KindNullFraction:
		a := p.args(c, v)
		if a == nil {
			return
		}
		a.column(true)
		c.Min = a.fraction("min")
		c.Max = a.fraction("max")
		p.bounds(c, a, true)
	case KindUnique:
		p.unique(c, v)
	case KindInSet, KindNotInSet:
		a := p.args(c, v)
		if a == nil {
			return
		}
		a.column(true)
		if n, ok := a.get("values"); ok {
			c.Values = p.values(c, n)
		} else {
			a.missing("values")
		}
	case KindBetween:
		a := p.args(c, v)
		if a == nil {
			return
		}
		a.column(true)
		c.Min = a.num("min")
		c.Max = a.num("max")
		c.StrictMin = a.boolean("strict_min")
		c.StrictMax = a.boolean("strict_max")
		if c.StrictMin && c.Min == nil {
			p.errorAt(c.ArgPos["strict_min"], "between strict_min: there is no min")
		}
		if c.StrictMax && c.Max == nil {
			p.errorAt(c.ArgPos["strict_max"], "between strict_max: there is no max")
		}
		p.bounds(c, a, true)
	case KindRegex, KindNotRegex:
		a := p.args(c, v)
		if a == nil {
			return
		}
		a.column(true)
		if n, ok := a.get("pattern"); ok {
			if s, ok := p.str(n, string(c.Kind)+" pattern", "a regular expression"); ok {
				if _, err := regexp.Compile(s); err != nil {
					p.errorAt(c.ArgPos["pattern"], "%s pattern: %v", c.Kind, err)
				} else {
					c.Pattern = s
				}
			}
		} else {
			a.missing("pattern")
		}
	case KindLength:
		a := p.args(c, v)
		if a == nil {
			return
		}
		a.column(true)
		c.Min = a.integerNum("min", 0)
		c.Max = a.integerNum("max", 0)
		c.Equal = a.integerNum("equal", 0)
		// Great Expectations: min > max is no error for lengths; every
		// row fails.
		p.bounds(c, a, false)
	case KindIncreasing, KindDecreasing:
		if a := p.columnOr(c, v); a != nil {
			a.column(true)
			c.Strict = a.boolean("strict")
		}
	case KindFormat:
		a := p.args(c, v)
		if a == nil {
			return
		}
		a.column(true)
		if n, ok := a.get("format"); ok {
			if s, ok := p.oneOf(n, "format", []string{"email", "uuid", "url", "date", "datetime"}); ok {
				c.Format = s
			}
		} else {
			a.missing("format")
		}
	case KindRow, KindMetric:
		c.ArgPos["expr"] = p.kindPos
		what := "a boolean expression over the columns of a row"
		if c.Kind == KindMetric {
			what = "a boolean expression over aggregates"
		}
		if s, ok := p.str(v, string(c.Kind), what); ok {
			c.Expr = s
		}
	case KindPair:
		p.pair(c, v)
	case KindLabelConflicts:
		p.labelConflicts(c, v)
	case KindReference:
		a := p.args(c, v)
		if a == nil {
			return
		}
		a.column(true)
		if n, ok := a.get("ref"); ok {
			if s, ok := p.str(n, "reference ref", "a dataset ref or path"); ok {
				c.Ref = s
			}
		} else {
			a.missing("ref")
		}
		if n, ok := a.get("ref_column"); ok {
			if s, ok := p.str(n, "reference ref_column", "a column name"); ok {
				c.RefColumn = s
			}
		}
	case KindChange:
		a := p.args(c, v)
		if a == nil {
			return
		}
		a.metric()
		c.MaxRelativeChange = a.nonNegative("max_relative_change")
		c.MaxAbsoluteChange = a.nonNegative("max_absolute_change")
		_, rel := a.vals["max_relative_change"]
		_, abs := a.vals["max_absolute_change"]
		if !rel && !abs && !a.incomplete {
			p.errorAt(c.Pos, "change: want max_relative_change or max_absolute_change (or both)")
		}
		c.MinHistory = a.count("min_history", 1, 1)
	case KindAnomaly:
		a := p.args(c, v)
		if a == nil {
			return
		}
		a.metric()
		c.Window = a.count("window", 2, 10)
		c.MaxZ = 3.5
		if n, ok := a.get("max_z"); ok {
			if f, ok := p.number(n, "anomaly max_z"); ok {
				if f <= 0 {
					p.errorAt(c.ArgPos["max_z"], "anomaly max_z: want a number > 0, got %s", fmtNum(f))
				} else {
					c.MaxZ = f
				}
			}
		}
		c.MinHistory = a.count("min_history", 2, min(4, c.Window))
		if _, given := a.vals["min_history"]; given && c.MinHistory > c.Window {
			p.errorAt(c.ArgPos["min_history"], "anomaly min_history: %d is more than the window of %d versions, so the check could never be evaluated", c.MinHistory, c.Window)
		}
	}
}

// bounds checks the min, max and equal arguments of c already parsed:
// at least one, equal alone, and (when ordered) min <= max.
func (p *ruleParser) bounds(c *Check, a *argMap, ordered bool) {
	_, hasMin := a.vals["min"]
	_, hasMax := a.vals["max"]
	_, hasEqual := a.vals["equal"]
	switch {
	case hasEqual && (hasMin || hasMax):
		p.errorAt(c.ArgPos["equal"], "%s: give equal or min/max, not both", c.Kind)
	case !hasMin && !hasMax && !hasEqual && !a.incomplete:
		want := "min or max (or both)"
		if slices.Contains(kindArgKeys[c.Kind], "equal") {
			want = "min, max or equal"
		}
		p.errorAt(c.Pos, "%s: want %s", c.Kind, want)
	case ordered && c.Min != nil && c.Max != nil && *c.Min > *c.Max:
		p.errorAt(c.ArgPos["min"], "%s: min %s is greater than max %s", c.Kind, fmtNum(*c.Min), fmtNum(*c.Max))
	}
}

func (p *ruleParser) schema(c *Check, v ast.Node) {
	a := p.args(c, v)
	if a == nil {
		return
	}
	s := &SchemaSpec{}
	c.Schema = s
	if len(a.vals) == 0 && !a.incomplete {
		p.errorAt(c.Pos, "schema: want at least one of %s", strings.Join(kindArgKeys[KindSchema], ", "))
	}
	if n, ok := a.get("required"); ok {
		s.Required = p.columnList(c, n, "required", "schema required", true)
	}
	if n, ok := a.get("forbidden"); ok {
		s.Forbidden = p.columnList(c, n, "forbidden", "schema forbidden", true)
	}
	if n, ok := a.get("columns"); ok {
		s.Columns = p.columnList(c, n, "columns", "schema columns", false)
	}
	if n, ok := a.get("types"); ok {
		n, ok := p.value(n)
		if ok {
			if m, isMap := mappingValues(n); isMap {
				s.Types = map[string]string{}
				for _, e := range p.entries(m) {
					if strings.TrimSpace(e.key) == "" {
						p.errorAt(e.keyPos, "schema types: blank column name")
						continue
					}
					if t, ok := p.str(e.val, "schema types."+e.key, "a type name such as int64, string or timestamp[us]"); ok {
						s.Types[e.key] = t
						c.ArgPos["types."+e.key] = p.valuePos(e.val, &e)
					}
				}
			} else {
				p.errorf(n, "schema types: want a mapping of column: type, got %s", describe(n))
			}
		}
	}
	if n, ok := a.get("count"); ok {
		if i, ok := p.integer(n, "schema count", 0, math.MaxInt32); ok {
			k := int(i)
			s.Count = &k
		}
	}
	s.NoNewColumns = a.boolean("no_new_columns")
	s.NoDroppedColumns = a.boolean("no_dropped_columns")
}

func (p *ruleParser) unique(c *Check, v ast.Node) {
	switch v.(type) {
	case *ast.SequenceNode:
		c.ArgPos["columns"] = p.kindPos
		c.Columns = p.columnList(c, v, "columns", "unique", false)
	case *ast.StringNode, *ast.LiteralNode:
		if a := p.columnOr(c, v); a != nil {
			a.column(true)
		}
		if c.Column != "" {
			c.Columns = []string{c.Column}
			c.ArgPos["columns[0]"] = c.ArgPos["column"]
		}
	default:
		a := p.args(c, v)
		if a == nil {
			return
		}
		col, hasCol := a.vals["column"]
		cols, hasCols := a.vals["columns"]
		switch {
		case hasCol && hasCols:
			second := cols.keyPos
			if posBefore(second, col.keyPos) {
				second = col.keyPos
			}
			p.errorAt(second, "unique: give column or columns, not both")
		case hasCol:
			a.column(true)
			if c.Column != "" {
				c.Columns = []string{c.Column}
				c.ArgPos["columns[0]"] = c.ArgPos["column"]
			}
		case hasCols:
			n, _ := a.get("columns")
			c.Columns = p.columnList(c, n, "columns", "unique columns", true)
		default:
			a.missing("columns")
		}
	}
	if len(c.Columns) == 1 {
		c.Column = c.Columns[0]
	}
}

// labelConflicts parses the argument of a label_conflicts check: the
// label column, or a mapping {label, features, case_fold,
// float_tolerance}.
func (p *ruleParser) labelConflicts(c *Check, v ast.Node) {
	switch v.(type) {
	case *ast.StringNode, *ast.LiteralNode:
		c.ArgPos["label"] = p.kindPos
		if s, ok := p.column(v, "label_conflicts"); ok {
			c.Column = s
		}
		return
	case *ast.MappingNode, *ast.MappingValueNode:
	default:
		p.errorf(v, "label_conflicts: want the label column or a mapping {label: …, features: […]}, got %s%s", describe(v), quoteHint(v))
		return
	}
	a := p.args(c, v)
	if a == nil {
		return
	}
	if n, ok := a.get("label"); ok {
		if s, ok := p.column(n, "label_conflicts label"); ok {
			c.Column = s
		}
	} else {
		a.missing("label")
	}
	if n, ok := a.get("features"); ok {
		c.Features = p.columnList(c, n, "features", "label_conflicts features", true)
		if i := slices.Index(c.Features, c.Column); i >= 0 && c.Column != "" {
			p.errorAt(c.At(fmt.Sprintf("features[%d]", i)), "label_conflicts features: %q is the label; the features are the columns rows are compared on", c.Column)
		}
	}
	c.CaseFold = a.boolean("case_fold")
	if f := a.nonNegative("float_tolerance"); f != nil {
		c.FloatTolerance = *f
	}
}

var pairOps = []string{">", ">=", "<", "<=", "==", "!="}

func (p *ruleParser) pair(c *Check, v ast.Node) {
	if s, ok := v.(*ast.StringNode); ok {
		// The short form "a > b": three words, the operator in the middle.
		at := p.valuePos(v, nil)
		f := strings.Fields(s.Value)
		if len(f) != 3 || !slices.Contains(pairOps, f[1]) || strings.Contains(s.Value, "\n") {
			p.errorAt(at, "pair: want \"A OP B\" (OP one of %s) or {a: A, op: OP, b: B}, got %q", strings.Join(pairOps, " "), s.Value)
			return
		}
		c.A, c.Op, c.B = f[0], f[1], f[2]
		i := 0
		for j, key := range []string{"a", "op", "b"} {
			off := strings.Index(s.Value[i:], f[j]) + i
			c.ArgPos[key] = Pos{File: at.File, Line: at.Line, Col: at.Col + utf8.RuneCountInString(s.Value[:off])}
			i = off + len(f[j])
		}
		return
	}
	a := p.args(c, v)
	if a == nil {
		return
	}
	for _, key := range []string{"a", "b"} {
		n, ok := a.get(key)
		if !ok {
			a.missing(key)
			continue
		}
		if s, ok := p.str(n, "pair "+key, "a column name"); ok {
			if strings.TrimSpace(s) == "" {
				p.errorAt(c.ArgPos[key], "pair %s: blank column name", key)
			} else if key == "a" {
				c.A = s
			} else {
				c.B = s
			}
		}
	}
	if n, ok := a.get("op"); ok {
		if s, ok := p.oneOf(n, "pair op", pairOps); ok {
			c.Op = s
		}
	} else {
		a.missing("op")
	}
}

// values parses the values list of in_set and not_in_set.
func (p *ruleParser) values(c *Check, n ast.Node) []Value {
	n, ok := p.value(n)
	if !ok {
		return nil
	}
	seq, isSeq := n.(*ast.SequenceNode)
	if !isSeq {
		p.errorf(n, "%s values: want a list of values, got %s", c.Kind, describe(n))
		return nil
	}
	vals := []Value{}
	for _, item := range seq.Values {
		item, ok := p.value(item)
		if !ok {
			continue
		}
		at := p.valuePos(item, nil)
		switch item := item.(type) {
		case *ast.StringNode:
			if f, ok := p.plainNumber(item); ok {
				vals = append(vals, Value{V: f, Pos: at})
			} else {
				vals = append(vals, Value{V: item.Value, Pos: at})
			}
		case *ast.LiteralNode:
			vals = append(vals, Value{V: literalValue(item), Pos: at})
		case *ast.IntegerNode:
			i, ok := intValue(item)
			if !ok {
				p.errorAt(at, "%s values: %s is out of range for an integer", c.Kind, item.GetToken().Value)
				continue
			}
			vals = append(vals, Value{V: i, Pos: at})
		case *ast.FloatNode:
			vals = append(vals, Value{V: item.Value, Pos: at})
		case *ast.BoolNode:
			vals = append(vals, Value{V: item.Value, Pos: at})
		case nil, *ast.NullNode:
			p.errorAt(at, "%s values: null is not a value; the nulls option says how nulls count", c.Kind)
		default:
			p.errorAt(at, "%s values: want a string, number or boolean, got %s", c.Kind, describe(item))
		}
	}
	return vals
}

// columnOr handles the kinds whose value is a column name or a mapping of
// arguments: for a column name it sets c.Column and returns nil.
func (p *ruleParser) columnOr(c *Check, v ast.Node) *argMap {
	switch v.(type) {
	case *ast.StringNode, *ast.LiteralNode:
		c.ArgPos["column"] = p.kindPos
		if s, ok := p.column(v, string(c.Kind)); ok {
			c.Column = s
		}
		return nil
	case *ast.MappingNode, *ast.MappingValueNode:
		return p.args(c, v)
	}
	p.errorf(v, "%s: want a column name or a mapping {column: …}, got %s%s", c.Kind, describe(v), quoteHint(v))
	return nil
}

// columnList parses a list of column names (or, if single, one name) of
// argument key, recording "key[i]" positions. Duplicates are problems.
func (p *ruleParser) columnList(c *Check, n ast.Node, key, label string, single bool) []string {
	n, ok := p.value(n)
	if !ok {
		return nil
	}
	if _, isSeq := n.(*ast.SequenceNode); !isSeq && single {
		if s, ok := p.column(n, label); ok {
			c.ArgPos[key+"[0]"] = p.valuePos(n, nil)
			return []string{s}
		}
		return nil
	}
	seq, isSeq := n.(*ast.SequenceNode)
	if !isSeq {
		p.errorf(n, "%s: want a list of column names, got %s", label, describe(n))
		return nil
	}
	if len(seq.Values) == 0 {
		p.errorf(n, "%s: want at least one column", label)
		return nil
	}
	var cols []string
	seen := map[string]Pos{}
	for i, item := range seq.Values {
		item, ok := p.value(item)
		if !ok {
			continue
		}
		s, ok := p.column(item, label)
		if !ok {
			continue
		}
		at := p.valuePos(item, nil)
		if first, dup := seen[s]; dup {
			p.errorAt(at, "%s: column %q is listed twice (first at line %d)", label, s, first.Line)
			continue
		}
		seen[s] = at
		c.ArgPos[fmt.Sprintf("%s[%d]", key, i)] = at
		cols = append(cols, s)
	}
	return cols
}

// argMap is the mapping of arguments of a check's kind.
type argMap struct {
	p    *ruleParser
	c    *Check
	vals map[string]*mapEntry // by key; val nil when refused
	// incomplete is set when a key was unknown (likely a misspelt
	// argument) or a value refused (an alias or a tag, which may have
	// swallowed the keys after it): an argument that seems missing then
	// is not reported.
	incomplete bool
}

// args reads the argument mapping v of check c, reporting unknown keys.
// It returns nil (after a problem) when v is not a mapping.
func (p *ruleParser) args(c *Check, v ast.Node) *argMap {
	keys := kindArgKeys[c.Kind]
	m, ok := mappingValues(v)
	if !ok {
		p.errorf(v, "%s: want a mapping of its arguments (%s), got %s", c.Kind, strings.Join(keys, ", "), describe(v))
		return nil
	}
	a := &argMap{p: p, c: c, vals: map[string]*mapEntry{}}
	for _, e := range p.entries(m) {
		if !slices.Contains(keys, e.key) {
			if slices.Contains(optionKeys, e.key) {
				p.errorAt(e.keyPos, "%s is a common option: write it beside %s, not inside its mapping", e.key, c.Kind)
				continue
			}
			p.unknownKey(e, "in the arguments of "+string(c.Kind), keys)
			a.incomplete = true
			continue
		}
		c.ArgPos[e.key] = p.valuePos(e.val, &e)
		v, ok := p.value(e.val)
		if !ok {
			a.incomplete = true
		}
		e.val = v
		a.vals[e.key] = &e
	}
	return a
}

// get returns the value of argument key, with aliases and tags refused:
// false when it is absent or refused.
func (a *argMap) get(key string) (ast.Node, bool) {
	e, ok := a.vals[key]
	if !ok || e.val == nil {
		return nil, false
	}
	return e.val, true
}

// missing reports that argument key is missing, unless it is there but
// was refused, or a refused tag or alias may have swallowed it.
func (a *argMap) missing(key string) {
	if _, present := a.vals[key]; present || a.incomplete {
		return
	}
	a.p.errorAt(a.c.Pos, "%s: missing %s", a.c.Kind, key)
}

func (a *argMap) column(required bool) {
	n, ok := a.get("column")
	if !ok {
		if required {
			a.missing("column")
		}
		return
	}
	if s, ok := a.p.column(n, string(a.c.Kind)+" column"); ok {
		a.c.Column = s
	}
}

func (a *argMap) metric() {
	n, ok := a.get("metric")
	if !ok {
		a.missing("metric")
		return
	}
	if s, ok := a.p.str(n, string(a.c.Kind)+" metric", "a metric expression such as row_count or mean(income)"); ok {
		a.c.Metric = s
	}
}

func (a *argMap) num(key string) *float64 {
	n, ok := a.get(key)
	if !ok {
		return nil
	}
	f, ok := a.p.number(n, string(a.c.Kind)+" "+key)
	if !ok {
		return nil
	}
	// Keep integers exactly too: a float64 rounds those above 2^53.
	if v, isInt := unquoted(n).(*ast.IntegerNode); isInt {
		if i, ok := intValue(v); ok {
			if a.c.Ints == nil {
				a.c.Ints = map[string]int64{}
			}
			a.c.Ints[key] = i
		}
	}
	return &f
}

// unquoted returns the node a value node stands for (through tags and
// anchors it may carry).
func unquoted(n ast.Node) ast.Node {
	for {
		switch v := n.(type) {
		case *ast.TagNode:
			n = v.Value
		case *ast.AnchorNode:
			n = v.Value
		default:
			return n
		}
	}
}

func (a *argMap) nonNegative(key string) *float64 {
	f := a.num(key)
	if f != nil && *f < 0 {
		a.p.errorAt(a.c.ArgPos[key], "%s %s: want a number >= 0, got %s", a.c.Kind, key, fmtNum(*f))
		return nil
	}
	return f
}

func (a *argMap) fraction(key string) *float64 {
	f := a.num(key)
	if f != nil && (*f < 0 || *f > 1) {
		a.p.errorAt(a.c.ArgPos[key], "%s %s: want a fraction between 0 and 1, got %s", a.c.Kind, key, fmtNum(*f))
		return nil
	}
	return f
}

// integerNum parses an integer >= lo, returned as a float64 (the type of
// the bounds of Check). Integers up to 2^53 are exact.
func (a *argMap) integerNum(key string, lo int64) *float64 {
	n, ok := a.get(key)
	if !ok {
		return nil
	}
	i, ok := a.p.integer(n, string(a.c.Kind)+" "+key, lo, 1<<53)
	if !ok {
		return nil
	}
	f := float64(i)
	return &f
}

// count parses an integer >= lo with a default.
func (a *argMap) count(key string, lo int64, def int) int {
	n, ok := a.get(key)
	if !ok {
		return def
	}
	i, ok := a.p.integer(n, string(a.c.Kind)+" "+key, lo, math.MaxInt32)
	if !ok {
		return def
	}
	return int(i)
}

func (a *argMap) boolean(key string) bool {
	n, ok := a.get(key)
	if !ok {
		return false
	}
	b, ok := n.(*ast.BoolNode)
	if !ok {
		a.p.errorf(n, "%s %s: want true or false, got %s", a.c.Kind, key, describe(n))
		return false
	}
	return b.Value
}

// Scalars.

// str reads a non-empty string. label names the key in messages, want
// what is wanted.
func (p *ruleParser) str(n ast.Node, label, want string) (string, bool) {
	n, ok := p.value(n)
	if !ok {
		return "", false
	}
	var s string
	switch v := n.(type) {
	case *ast.StringNode:
		s = v.Value
	case *ast.LiteralNode:
		s = literalValue(v)
	default:
		p.errorf(n, "%s: want %s, got %s", label, want, describe(n))
		return "", false
	}
	if strings.TrimSpace(s) == "" {
		p.errorAt(p.valuePos(n, nil), "%s: want %s, got an empty string", label, want)
		return "", false
	}
	return s, true
}

// column reads a column name: a non-blank string.
func (p *ruleParser) column(n ast.Node, label string) (string, bool) {
	n, ok := p.value(n)
	if !ok {
		return "", false
	}
	switch n.(type) {
	case *ast.StringNode, *ast.LiteralNode:
		s, ok := p.str(n, label, "a column name")
		return s, ok
	}
	p.errorf(n, "%s: want a column name, got %s%s", label, describe(n), quoteHint(n))
	return "", false
}

// oneOf reads a string that must be one of choices.
func (p *ruleParser) oneOf(n ast.Node, label string, choices []string) (string, bool) {
	want := "one of " + strings.Join(choices, ", ")
	if len(choices) == 2 {
		want = choices[0] + " or " + choices[1]
	}
	n, ok := p.value(n)
	if !ok {
		return "", false
	}
	s, isStr := n.(*ast.StringNode)
	if !isStr {
		p.errorf(n, "%s: want %s, got %s", label, want, describe(n))
		return "", false
	}
	if !slices.Contains(choices, s.Value) {
		msg := fmt.Sprintf("%s: want %s, got %q", label, want, s.Value)
		if near := suggest.Nearest(s.Value, choices); near != "" {
			msg += fmt.Sprintf("; did you mean %s?", near)
		}
		p.errorAt(p.valuePos(n, nil), "%s", msg)
		return "", false
	}
	return s.Value, true
}

// number reads a finite number: a YAML integer or float, or a plain
// scalar in YAML 1.2's float syntax (such as 1e6, which the YAML parser
// leaves a string).
func (p *ruleParser) number(n ast.Node, label string) (float64, bool) {
	n, ok := p.value(n)
	if !ok {
		return 0, false
	}
	switch v := n.(type) {
	case *ast.IntegerNode:
		if i, ok := intValue(v); ok {
			return float64(i), true
		}
		p.errorf(n, "%s: %s is out of range", label, v.GetToken().Value)
		return 0, false
	case *ast.FloatNode:
		return v.Value, true
	case *ast.StringNode:
		if f, ok := p.plainNumber(v); ok {
			return f, true
		}
	case *ast.InfinityNode, *ast.NanNode:
		p.errorf(n, "%s: want a finite number, got %s", label, describe(n))
		return 0, false
	}
	p.errorf(n, "%s: want a number, got %s", label, describe(n))
	return 0, false
}

// integer reads an integer in [lo, hi]; a number with no fractional part
// (1e6, 10.0) counts as an integer.
func (p *ruleParser) integer(n ast.Node, label string, lo, hi int64) (int64, bool) {
	n, ok := p.value(n)
	if !ok {
		return 0, false
	}
	var i int64
	if v, isInt := n.(*ast.IntegerNode); isInt {
		x, ok := intValue(v)
		if !ok {
			p.errorf(n, "%s: %s is out of range", label, v.GetToken().Value)
			return 0, false
		}
		i = x
	} else {
		f, ok := p.number(n, label)
		if !ok {
			return 0, false
		}
		if f != math.Trunc(f) {
			p.errorf(n, "%s: want an integer, got %s", label, fmtNum(f))
			return 0, false
		}
		if math.Abs(f) > 1<<53 {
			p.errorf(n, "%s: %s is out of range", label, fmtNum(f))
			return 0, false
		}
		i = int64(f)
	}
	if i < lo {
		p.errorf(n, "%s: want an integer >= %d, got %d", label, lo, i)
		return 0, false
	}
	if i > hi {
		p.errorf(n, "%s: %d is too large", label, i)
		return 0, false
	}
	return i, true
}

var yamlDecimal = regexp.MustCompile(`^[-+]?[0-9]+$`)

// intValue returns the value of a YAML integer, false when it does not
// fit an int64. Digits with a leading zero are decimal, as in YAML 1.2
// (the YAML parser reads them as octal, as YAML 1.1 did).
func intValue(v *ast.IntegerNode) (int64, bool) {
	if v.Token != nil && yamlDecimal.MatchString(v.Token.Value) {
		i, err := strconv.ParseInt(strings.TrimPrefix(v.Token.Value, "+"), 10, 64)
		return i, err == nil
	}
	switch x := v.Value.(type) {
	case int64:
		return x, true
	case uint64:
		return int64(x), x <= math.MaxInt64
	}
	return 0, false
}

var yamlFloat = regexp.MustCompile(`^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`)

// plainNumber reports whether the unquoted scalar s is a number in YAML
// 1.2's core schema that the YAML parser left a string (such as 1e3).
func (p *ruleParser) plainNumber(s *ast.StringNode) (float64, bool) {
	if s.Token == nil || s.Token.Type != token.StringType || !yamlFloat.MatchString(s.Value) {
		return 0, false
	}
	f, err := strconv.ParseFloat(s.Value, 64)
	if err != nil || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}

// parseMaxAge parses a duration as time.ParseDuration does, also accepting
// d for days ("7d", "1d12h"). It must be positive.
func parseMaxAge(s string) (time.Duration, bool) {
	isNum := func(b byte) bool { return b == '.' || '0' <= b && b <= '9' }
	var b strings.Builder
	for i := 0; i < len(s); {
		j := i
		for j < len(s) && isNum(s[j]) {
			j++
		}
		if j == i {
			return 0, false
		}
		k := j
		for k < len(s) && !isNum(s[k]) {
			k++
		}
		if s[j:k] == "d" {
			f, err := strconv.ParseFloat(s[i:j], 64)
			if err != nil {
				return 0, false
			}
			b.WriteString(strconv.FormatFloat(f*24, 'f', -1, 64))
			b.WriteString("h")
		} else {
			b.WriteString(s[i:k])
		}
		i = k
	}
	d, err := time.ParseDuration(b.String())
	return d, err == nil && d > 0
}

// Mappings.

// mapEntry is one key of a mapping and its value (a NullNode when empty).
type mapEntry struct {
	key    string
	keyPos Pos
	val    ast.Node
}

// mappingValues returns the key-value pairs of a mapping node.
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
func (p *ruleParser) entries(m []*ast.MappingValueNode) []mapEntry {
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
			p.errorAt(at, "merge keys (<<) are not supported in rule files")
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
			e.val = nullAt(&e)
		}
		out = append(out, e)
	}
	return out
}

// unknownKey reports e as unknown where, suggesting a near name.
func (p *ruleParser) unknownKey(e mapEntry, where string, known []string) {
	msg := fmt.Sprintf("unknown key %s %s", keyName(e.key), where)
	if k, ok := geNames[e.key]; ok {
		msg += fmt.Sprintf("; this Great Expectations expectation is %s in assay", k)
	} else if near := suggest.Nearest(e.key, known); near != "" {
		msg += fmt.Sprintf("; did you mean %s?", near)
	}
	p.errorAt(e.keyPos, "%s", msg)
}

var plainKey = regexp.MustCompile(`^[A-Za-z0-9_.-]+$`)

// keyName is key for a message: quoted unless it is a plain word.
func keyName(key string) string {
	if plainKey.MatchString(key) {
		return key
	}
	return strconv.Quote(key)
}

// Nodes and positions.

// value unwraps anchors and refuses aliases and tags (reporting them).
// A nil node (an empty value) is returned as is, with ok true.
func (p *ruleParser) value(n ast.Node) (ast.Node, bool) {
	for {
		switch v := n.(type) {
		case *ast.AnchorNode:
			n = v.Value
		case *ast.AliasNode:
			p.errorf(n, "aliases (*name) are not supported in rule files")
			return nil, false
		case *ast.TagNode:
			tag := ""
			if v.Start != nil {
				tag = v.Start.Value
			}
			p.errorf(n, "YAML tags (%s) are not supported in rule files; quote a value that starts with ! (\"!=\")", tag)
			return nil, false
		default:
			return n, true
		}
	}
}

// nullAt stands for the empty value of entry e, positioned after its key.
func nullAt(e *mapEntry) ast.Node {
	return &ast.NullNode{BaseNode: &ast.BaseNode{}, Token: &token.Token{Type: token.NullType, Value: "", Position: &token.Position{Line: e.keyPos.Line, Column: e.keyPos.Col}}}
}

func (p *ruleParser) tokenPos(tk *token.Token) Pos {
	pos := Pos{File: p.path, Line: 1, Col: 1}
	if tk != nil && tk.Position != nil {
		pos.Line = max(tk.Position.Line, 1)
		pos.Col = max(tk.Position.Column, 1)
	}
	return pos
}

// pos is the position where node n starts.
func (p *ruleParser) pos(n ast.Node) Pos {
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

// valuePos is the position of a value: for a string, its first character
// (inside quotes; for a block scalar, the first non-blank character of its
// content). An empty value (nil) is positioned at its key e.
func (p *ruleParser) valuePos(n ast.Node, e *mapEntry) Pos {
	switch v := n.(type) {
	case nil:
		if e != nil {
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

// blockPos is the position of the first non-blank character of the
// content of a block scalar, found in the source.
func (p *ruleParser) blockPos(v *ast.LiteralNode) Pos {
	head := p.tokenPos(v.Start)
	if p.lines == nil {
		p.lines = []int{0}
		for i, b := range p.src {
			if b == '\n' {
				p.lines = append(p.lines, i+1)
			}
		}
	}
	// The content starts on the line after the header. Its indentation is
	// that of its first non-blank line in the file, less the spaces that
	// line keeps in the value.
	if strings.TrimSpace(literalValue(v)) == "" {
		return head
	}
	valLines := strings.Split(literalValue(v), "\n")
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
		if k := l - head.Line - 1; k < len(valLines) {
			kept := len(valLines[k]) - len(strings.TrimLeft(valLines[k], " "))
			indent = max(indent-kept, 0)
		}
		return Pos{File: p.path, Line: head.Line + 1, Col: indent + 1}
	}
	return head
}

func literalValue(v *ast.LiteralNode) string {
	if v.Value == nil {
		return ""
	}
	return v.Value.Value
}

func (p *ruleParser) errorAt(pos Pos, format string, args ...any) {
	p.probs.add(pos, format, args...)
}

// errorf reports a problem at the value n.
func (p *ruleParser) errorf(n ast.Node, format string, args ...any) {
	p.probs.add(p.valuePos(n, nil), format, args...)
}

func posBefore(a, b Pos) bool {
	return a.Line < b.Line || a.Line == b.Line && a.Col < b.Col
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

// quoteHint suggests quoting a scalar that YAML typed as a number or a
// boolean where a string is wanted.
func quoteHint(n ast.Node) string {
	switch n.(type) {
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode, *ast.InfinityNode, *ast.NanNode:
		return " (quote it if it is a name)"
	}
	return ""
}

func fmtNum(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }
