package checks

import "time"

// Kind is the kind of a check: the key that introduces it in a rule file.
type Kind string

// The check kinds. See the package documentation for their arguments.
const (
	KindSchema         Kind = "schema"
	KindRowCount       Kind = "row_count"
	KindFreshness      Kind = "freshness"
	KindNotNull        Kind = "not_null"
	KindNullFraction   Kind = "null_fraction"
	KindUnique         Kind = "unique"
	KindInSet          Kind = "in_set"
	KindNotInSet       Kind = "not_in_set"
	KindBetween        Kind = "between"
	KindRegex          Kind = "regex"
	KindNotRegex       Kind = "not_regex"
	KindLength         Kind = "length"
	KindIncreasing     Kind = "increasing"
	KindDecreasing     Kind = "decreasing"
	KindFormat         Kind = "format"
	KindRow            Kind = "row"
	KindMetric         Kind = "metric"
	KindPair           Kind = "pair"
	KindReference      Kind = "reference"
	KindLabelConflicts Kind = "label_conflicts"
	KindChange         Kind = "change"
	KindAnomaly        Kind = "anomaly"
)

// Kinds lists every kind, in the order the documentation gives them.
var Kinds = []Kind{KindSchema, KindRowCount, KindFreshness, KindNotNull, KindNullFraction, KindUnique,
	KindInSet, KindNotInSet, KindBetween, KindRegex, KindNotRegex, KindLength, KindIncreasing,
	KindDecreasing, KindFormat, KindRow, KindMetric, KindPair, KindReference, KindLabelConflicts, KindChange, KindAnomaly}

// Severity says what a failing check does to the run: an error fails it
// (exit code 1), a warning is reported only.
type Severity string

// Severities.
const (
	SeverityError Severity = "error"
	SeverityWarn  Severity = "warn"
)

// Nulls says how a value rule treats null values.
type Nulls string

// Null handling. The default, NullsIgnore, follows Great Expectations: a
// null is never an unexpected value, and tolerances count non-null rows.
const (
	NullsIgnore Nulls = "ignore" // nulls are left out: neither expected nor unexpected
	NullsFail   Nulls = "fail"   // a null is an unexpected value
	NullsPass   Nulls = "pass"   // a null is an expected value
)

// Pos is a position in a rule file: 1-based line and column.
type Pos struct {
	File string
	Line int
	Col  int
}

// File is a parsed rule file: the checks for a dataset, applicable to any
// ref or path.
type File struct {
	Path    string
	Dataset string // optional: the dataset the rules were written for
	Checks  []*Check
}

// Check is one check of a rule file, as written. Fields that do not apply
// to its kind are zero. Positions of every argument are kept (Pos for the
// check itself, ArgPos by argument key) so that compile errors point at
// the value at fault.
type Check struct {
	Pos      Pos
	Name     string // optional; defaults to a description of the check
	Kind     Kind
	Severity Severity // default SeverityError
	Where    string   // optional expr-lang filter: the check sees only rows where it is true
	GroupBy  []string // optional: the check runs per group of these columns
	// Tolerance ("mostly"): the check passes while the unexpected rows are
	// at most this share (of the rows the null policy counts) or count.
	MaxFailFraction *float64
	MaxFailCount    *int64
	Nulls           Nulls // default NullsIgnore; NullsFail for not_null

	Column  string   // the column of a column rule; label_conflicts: the label column
	Columns []string // unique: the key columns (one or more)

	// label_conflicts: the feature columns (nil: every other supported
	// column but the group_by ones), whether text compares
	// case-insensitively, and the largest difference of numbers that
	// still counts as equal.
	Features       []string
	CaseFold       bool
	FloatTolerance float64

	// Bounds: between (values), length (characters), row_count (rows),
	// null_fraction (fraction of rows).
	Min, Max             *float64
	StrictMin, StrictMax bool
	Equal                *float64 // length, row_count

	Values  []Value // in_set, not_in_set
	Pattern string  // regex, not_regex (a search: matches anywhere)
	Format  string  // format: email, uuid, url, date (ISO 8601), datetime
	Strict  bool    // increasing, decreasing: no equal neighbours

	Expr string // row (a boolean expression per row), metric (over aggregates)

	A, Op, B string // pair: A Op B, Op one of > >= < <= == !=

	Ref       string // reference: the referenced dataset ref or path
	RefColumn string // reference: its column (default: Column)

	MaxAge     time.Duration // freshness
	RelativeTo string        // freshness: "now" (default) or "version"

	Schema *SchemaSpec // schema

	// change and anomaly: the metric (an aggregate expression such as
	// row_count or mean(income)) compared with earlier versions.
	Metric            string
	MaxRelativeChange *float64 // change: |now−previous| / |previous|
	MaxAbsoluteChange *float64 // change: |now−previous|
	Window            int      // anomaly: how many earlier versions (default 10)
	MaxZ              float64  // anomaly: robust z-score bound (default 3.5)
	MinHistory        int      // anomaly, change: versions needed to evaluate (default 4 / 1)

	// Ints holds, by key, the exact values of numeric arguments written as
	// integers (min, max, equal), for integer columns beyond 2^53.
	Ints map[string]int64

	// ArgPos holds the position of each argument's value by key ("column",
	// "min", "pattern", …; "expr" for a row or metric expression).
	ArgPos map[string]Pos
}

// At returns the position of argument key, or the check's position.
func (c *Check) At(key string) Pos {
	if p, ok := c.ArgPos[key]; ok {
		return p
	}
	return c.Pos
}

// SchemaSpec is the argument of a schema check.
type SchemaSpec struct {
	Required  []string          // columns that must exist
	Forbidden []string          // columns that must not exist
	Types     map[string]string // column → type (as assay names types: int64, string, timestamp[us]…)
	Count     *int              // number of columns
	Columns   []string          // the exact ordered column list
	// NoNewColumns and NoDroppedColumns compare with the previous version
	// of the dataset (repository refs only).
	NoNewColumns     bool
	NoDroppedColumns bool
}

// Value is a literal of a rule file (in_set values): a string, an int64, a
// float64 or a bool, as YAML typed it.
type Value struct {
	V   any
	Pos Pos
}
