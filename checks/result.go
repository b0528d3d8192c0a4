package checks

import "time"

// Status is the outcome of one check.
type Status string

// Statuses. A failing check of severity warn is StatusWarn; a change or
// anomaly check without enough history is StatusNotEvaluated (it neither
// passes nor fails the run).
const (
	StatusPass         Status = "pass"
	StatusFail         Status = "fail"
	StatusWarn         Status = "warn"
	StatusNotEvaluated Status = "not_evaluated"
)

// ResultVersion is the version of the JSON shape of a Run; it changes when
// a field changes meaning or goes away.
const ResultVersion = 1

// Run is the outcome of applying a rule file to data. Its JSON form is
// what `assay check --format json` prints and what the repository stores.
type Run struct {
	Version int       `json:"version"` // ResultVersion
	Source  string    `json:"source"`  // "churn@v3" or the path
	Dataset string    `json:"dataset,omitempty"`
	DataVer int       `json:"dataset_version,omitempty"`
	Rules   string    `json:"rules"` // the rule file
	Time    time.Time `json:"time"`
	// Success is true when no error-level check failed.
	Success bool    `json:"success"`
	Rows    int64   `json:"rows"`
	Elapsed float64 `json:"elapsed_seconds"`
	Counts  Counts  `json:"counts"`
	// Metrics are the aggregate values computed in the run, by canonical
	// name ("row_count", "mean(income)", "null_fraction(email)"): the
	// history change and anomaly checks read.
	Metrics map[string]float64 `json:"metrics,omitempty"`
	Results []*Result          `json:"results"`
}

// Counts tallies results by status.
type Counts struct {
	Checks       int `json:"checks"`
	Passed       int `json:"passed"`
	Failed       int `json:"failed"`
	Warned       int `json:"warned"`
	NotEvaluated int `json:"not_evaluated"`
}

// Result is the outcome of one check. Field names follow Great
// Expectations' validation results where they overlap.
type Result struct {
	Name     string   `json:"name"`
	Kind     Kind     `json:"kind"`
	Column   string   `json:"column,omitempty"`
	Columns  []string `json:"columns,omitempty"`
	Severity Severity `json:"severity"`
	Status   Status   `json:"status"`
	// Success is the check's verdict, whatever its severity.
	Success bool `json:"success"`
	// Line is the check's line in the rule file.
	Line int `json:"line"`
	// Expected says what the check asks for, e.g. "between 0 and 120".
	Expected string `json:"expected"`
	// Message explains a failure or a NOT_EVALUATED result in words.
	Message string `json:"message,omitempty"`

	// ElementCount is the rows the check looked at (after where);
	// MissingCount those that are null (in the check's column, or in any
	// of its columns). UnexpectedCount is the rows that broke the rule.
	ElementCount    int64   `json:"element_count"`
	MissingCount    int64   `json:"missing_count"`
	MissingPercent  float64 `json:"missing_percent"`
	UnexpectedCount int64   `json:"unexpected_count"`
	// UnexpectedPercent is the share the tolerance applies to: of non-null
	// rows for value rules with nulls ignored (as Great Expectations
	// does), of all rows otherwise. Both fractions are also given.
	UnexpectedPercent           float64 `json:"unexpected_percent"`
	UnexpectedPercentTotal      float64 `json:"unexpected_percent_total"`
	UnexpectedPercentNonmissing float64 `json:"unexpected_percent_nonmissing"`
	// ObservedValue is the measured value of aggregate checks (a row
	// count, a metric, an expression's verdict) and null for row-level
	// checks.
	ObservedValue any `json:"observed_value"`

	// Samples are the first failing rows, in row order (at most the
	// run's sample size), with their row numbers (from 0) and values.
	Samples []Sample `json:"samples,omitempty"`
	// PartialUnexpectedList is the offending values of Samples, as Great
	// Expectations lists them.
	PartialUnexpectedList []any `json:"partial_unexpected_list,omitempty"`

	// Duplicates details a unique check.
	Duplicates *Duplicates `json:"duplicates,omitempty"`
	// Groups are the results per group of a check with group_by; only
	// failing groups are listed.
	Groups []*GroupResult `json:"groups,omitempty"`
	// FailingGroups counts the groups that failed.
	FailingGroups int `json:"failing_groups,omitempty"`
}

// Sample is a failing row.
type Sample struct {
	Row int64 `json:"row"`
	// Values are the row's values of the check's columns (and the key
	// columns the run names), rendered as text; null is JSON null.
	Values map[string]*string `json:"values"`
}

// Duplicates counts repeated values of a unique check. A duplicate group
// is a value (or key) that occurs more than once; its rows are duplicate
// rows (Great Expectations flags each), and the rows after its first are
// extra rows (what removing duplicates would drop).
type Duplicates struct {
	Groups    int64 `json:"groups"`
	Rows      int64 `json:"rows"`
	ExtraRows int64 `json:"extra_rows"`
}

// GroupResult is the outcome of a check for one group of group_by.
type GroupResult struct {
	Group map[string]*string `json:"group"`
	// The counts and verdict of the check restricted to the group.
	Success                     bool     `json:"success"`
	ElementCount                int64    `json:"element_count"`
	MissingCount                int64    `json:"missing_count"`
	UnexpectedCount             int64    `json:"unexpected_count"`
	UnexpectedPercent           float64  `json:"unexpected_percent"`
	UnexpectedPercentTotal      float64  `json:"unexpected_percent_total"`
	UnexpectedPercentNonmissing float64  `json:"unexpected_percent_nonmissing"`
	ObservedValue               any      `json:"observed_value"`
	Samples                     []Sample `json:"samples,omitempty"`
}
