package checks

// The outputs of a check run: the text table (this file), JSON
// (output_json.go), JUnit XML (output_junit.go), Markdown for pull-request
// comments (output_markdown.go), GitHub Actions annotations
// (output_github.go) and the HTML report (html.go). They share the helpers
// below, so that every format words a result the same way.

import (
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/report"
)

// errNilRun is returned by the writers when given no run.
var errNilRun = errors.New("checks: write results: nil run")

// TextOptions configures WriteText.
type TextOptions struct {
	// Color marks statuses with ANSI colours. Set it only when the output
	// is a terminal (and NO_COLOR is unset); CI logs get plain text.
	Color bool
	// Samples is how many failing rows to show per check: 0 means 5, a
	// negative number all that the run kept.
	Samples int
	// Groups is how many failing groups to show per check: 0 means 10, a
	// negative number all.
	Groups int
}

// Defaults of TextOptions and of the other formats.
const (
	defaultSamples = 5
	defaultGroups  = 10
)

func orDefault(n, def int) int {
	switch {
	case n == 0:
		return def
	case n < 0:
		return math.MaxInt
	}
	return n
}

// WriteText writes run for a terminal or a CI log: a table with one line
// per check, then the details of every check that failed, warned or was not
// evaluated (expected against observed, the first failing rows with their
// row numbers and values, failing groups), then a summary line and what the
// exit status means. Every value is shown on one line, with control
// characters escaped, so data cannot forge lines or terminal sequences.
func WriteText(w io.Writer, run *Run, opts TextOptions) error {
	if run == nil {
		return errNilRun
	}
	p := &printer{color: opts.Color}
	results := withoutNil(run.Results)

	head := "Checks on " + safeLine(run.Source)
	if run.Rules != "" {
		head += " (" + safeLine(run.Rules) + ")"
	}
	head += ": " + countOf(run.Rows, "row", "rows")
	if run.Elapsed > 0 {
		head += " in " + formatSeconds(run.Elapsed)
	}
	p.line(head)
	p.line("")

	if len(results) > 0 {
		rows := [][]string{{"STATUS", "SEVERITY", "CHECK", "KIND", "COLUMN", "UNEXPECTED", "OBSERVED"}}
		var statuses []Status
		for _, r := range results {
			st := statusOf(r)
			statuses = append(statuses, st)
			rows = append(rows, []string{
				statusSymbol(st) + " " + statusWord(st),
				safeLine(string(r.Severity)),
				clip(safeLine(r.Name), 48),
				safeLine(string(r.Kind)),
				orDash(clip(safeLine(columnText(r)), 24)),
				orDash(unexpectedShort(r)),
				orDash(clip(safeLine(valueText(r.ObservedValue)), 32)),
			})
		}
		p.table(rows, func(i int, cell string) string {
			if i == 0 {
				return cell
			}
			return p.paint(statuses[i-1], cell)
		})
	}

	var detailed []*Result
	for _, r := range results {
		if statusOf(r) != StatusPass {
			detailed = append(detailed, r)
		}
	}
	if len(detailed) > 0 {
		p.line("")
		p.line("Details:")
		for _, r := range detailed {
			st := statusOf(r)
			p.line("")
			p.line(p.paint(st, statusSymbol(st)+" "+statusWord(st)) + "  " + safeLine(r.Name) + "  (" + checkPlace(r, run.Rules) + ")")
			for _, l := range detailLines(r, orDefault(opts.Samples, defaultSamples), orDefault(opts.Groups, defaultGroups)) {
				p.line("    " + l)
			}
		}
	}

	c := countStatuses(results)
	p.line("")
	p.line(summaryLine(c))
	verdict := verdictLine(run, c)
	switch {
	case !run.Success:
		verdict = p.paint(StatusFail, verdict)
	case c.Warned > 0:
		verdict = p.paint(StatusWarn, verdict)
	default:
		verdict = p.paint(StatusPass, verdict)
	}
	p.line(verdict)
	_, err := io.WriteString(w, p.b.String())
	return err
}

// printer builds the text output.
type printer struct {
	b     strings.Builder
	color bool
}

func (p *printer) line(s string) {
	p.b.WriteString(strings.TrimRight(s, " "))
	p.b.WriteByte('\n')
}

// ANSI colours by status.
var statusColor = map[Status]string{
	StatusPass:         "\x1b[32m",   // green
	StatusFail:         "\x1b[1;31m", // bold red
	StatusWarn:         "\x1b[33m",   // yellow
	StatusNotEvaluated: "\x1b[2m",    // dim
}

func (p *printer) paint(st Status, s string) string {
	if !p.color || s == "" {
		return s
	}
	return statusColor[st] + s + "\x1b[0m"
}

// table writes rows aligned in columns two spaces apart. Widths are counted
// in runes before colour is applied to the first cell of each row (which is
// why this is not text/tabwriter: escape sequences would count).
func (p *printer) table(rows [][]string, paintFirst func(row int, cell string) string) {
	var widths []int
	for _, r := range rows {
		for j, c := range r {
			if j >= len(widths) {
				widths = append(widths, 0)
			}
			widths[j] = max(widths[j], utf8.RuneCountInString(c))
		}
	}
	for i, r := range rows {
		var b strings.Builder
		for j, c := range r {
			pad := widths[j] - utf8.RuneCountInString(c)
			if j == 0 {
				c = paintFirst(i, c)
			}
			b.WriteString(c)
			if j < len(r)-1 {
				b.WriteString(strings.Repeat(" ", pad+2))
			}
		}
		p.line(b.String())
	}
}

// detailLines explains a result in plain lines (no escapes needed beyond
// what safeLine did): expected and observed, counts, the message, duplicates,
// the first failing rows and groups.
func detailLines(r *Result, maxSamples, maxGroups int) []string {
	var out []string
	add := func(key, value string) {
		if value != "" {
			out = append(out, fmt.Sprintf("%-12s %s", key+":", value))
		}
	}
	add("expected", safeLine(r.Expected))
	if r.ObservedValue != nil {
		add("observed", safeLine(valueText(r.ObservedValue)))
	}
	if rowLevel(r) {
		add("unexpected", unexpectedLong(r))
	}
	if r.MissingCount > 0 {
		add("nulls", fmt.Sprintf("%s (%s)", countOf(r.MissingCount, "row", "rows"), formatPercent(r.MissingPercent)))
	}
	add("message", safeLine(r.Message))
	if d := r.Duplicates; d != nil {
		add("duplicates", duplicatesText(d))
	}
	if len(r.Samples) > 0 && maxSamples > 0 {
		out = append(out, samplesHeading(r, maxSamples)+":")
		cols := sampleColumns(r.Samples, r)
		for _, s := range r.Samples[:min(len(r.Samples), maxSamples)] {
			out = append(out, "  "+sampleText(s, cols))
		}
	}
	if len(r.Groups) > 0 && maxGroups > 0 {
		out = append(out, groupsHeading(r, maxGroups)+":")
		for _, g := range withoutNil(r.Groups)[:min(len(withoutNil(r.Groups)), maxGroups)] {
			out = append(out, "  "+groupText(g)+": "+groupOutcome(g))
		}
	}
	return out
}

func samplesHeading(r *Result, maxSamples int) string {
	shown := min(len(r.Samples), maxSamples)
	total := max(r.UnexpectedCount, int64(len(r.Samples)))
	if int64(shown) == total {
		return "failing rows"
	}
	return fmt.Sprintf("first %d of %s failing rows", shown, report.FormatInt(total))
}

func groupsHeading(r *Result, maxGroups int) string {
	groups := withoutNil(r.Groups)
	shown := min(len(groups), maxGroups)
	total := max(r.FailingGroups, len(groups))
	if shown == total {
		return "failing groups"
	}
	return fmt.Sprintf("first %d of %d failing groups", shown, total)
}

func duplicatesText(d *Duplicates) string {
	return fmt.Sprintf("%s repeated, %s, %s (rows after the first of each value)",
		countOf(d.Groups, "value", "values"), countOf(d.Rows, "duplicate row", "duplicate rows"),
		countOf(d.ExtraRows, "extra row", "extra rows"))
}

// sampleText renders a failing row: "row 17: age=-1, id=x".
func sampleText(s Sample, cols []string) string {
	parts := make([]string, 0, len(cols))
	for _, c := range cols {
		v, ok := s.Values[c]
		if !ok {
			continue
		}
		parts = append(parts, quoteName(c)+"="+cellText(v))
	}
	return "row " + strconv.FormatInt(s.Row, 10) + ": " + strings.Join(parts, ", ")
}

// groupText renders a group's key: "region=north, segment=a".
func groupText(g *GroupResult) string {
	keys := sortedNames(g.Group)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, quoteName(k)+"="+cellText(g.Group[k]))
	}
	if len(parts) == 0 {
		return "(all rows)"
	}
	return strings.Join(parts, ", ")
}

// groupOutcome says how a group failed.
func groupOutcome(g *GroupResult) string {
	var parts []string
	if g.UnexpectedCount > 0 || g.ObservedValue == nil {
		parts = append(parts, fmt.Sprintf("%s of %s rows unexpected (%s)", report.FormatInt(g.UnexpectedCount),
			report.FormatInt(g.ElementCount), formatPercent(g.UnexpectedPercent)))
	}
	if g.ObservedValue != nil {
		parts = append(parts, "observed "+safeLine(valueText(g.ObservedValue)))
	}
	return strings.Join(parts, "; ")
}

// summaryLine is "20 checks: 17 passed, 2 failed, 1 warning".
func summaryLine(c Counts) string {
	s := countOf(int64(c.Checks), "check", "checks") + ": " + strconv.Itoa(c.Passed) + " passed, " +
		strconv.Itoa(c.Failed) + " failed, " + countOf(int64(c.Warned), "warning", "warnings")
	if c.NotEvaluated > 0 {
		s += ", " + strconv.Itoa(c.NotEvaluated) + " not evaluated"
	}
	return s
}

// verdictLine says what the run means for the exit status.
func verdictLine(run *Run, c Counts) string {
	if !run.Success {
		n := c.Failed
		if n == 0 {
			return "FAILED: the run did not succeed (exit status 1)"
		}
		return fmt.Sprintf("FAILED: %s failed (exit status 1)", countOf(int64(n), "error-level check", "error-level checks"))
	}
	if c.Warned > 0 {
		return "OK: every error-level check passed; warnings do not fail the run (exit status 0)"
	}
	return "OK: every error-level check passed (exit status 0)"
}

// checkPlace locates a check: "between on age, rules.yaml:12".
func checkPlace(r *Result, rules string) string {
	s := safeLine(string(r.Kind))
	if c := columnText(r); c != "" {
		s += " on " + safeLine(c)
	}
	if loc := ruleLocation(r, rules); loc != "" {
		s += ", " + safeLine(loc)
	}
	return s
}

// ruleLocation is "rules.yaml:12", "line 12" or "".
func ruleLocation(r *Result, rules string) string {
	switch {
	case r.Line > 0 && rules != "":
		return rules + ":" + strconv.Itoa(r.Line)
	case r.Line > 0:
		return "line " + strconv.Itoa(r.Line)
	}
	return rules
}

// statusOf is the result's status; a status outside the four known ones is
// derived from Success and Severity.
func statusOf(r *Result) Status {
	switch r.Status {
	case StatusPass, StatusFail, StatusWarn, StatusNotEvaluated:
		return r.Status
	}
	switch {
	case r.Success:
		return StatusPass
	case r.Severity == SeverityWarn:
		return StatusWarn
	}
	return StatusFail
}

func statusSymbol(st Status) string {
	switch st {
	case StatusPass:
		return "✓"
	case StatusFail:
		return "✗"
	case StatusWarn:
		return "!"
	}
	return "-"
}

func statusWord(st Status) string {
	switch st {
	case StatusPass:
		return "PASS"
	case StatusFail:
		return "FAIL"
	case StatusWarn:
		return "WARN"
	}
	return "NOT EVALUATED"
}

// countStatuses counts results by status. The outputs count the results they list
// rather than trusting Run.Counts, so that totals always match the lines.
func countStatuses(results []*Result) Counts {
	var c Counts
	for _, r := range results {
		c.Checks++
		switch statusOf(r) {
		case StatusPass:
			c.Passed++
		case StatusFail:
			c.Failed++
		case StatusWarn:
			c.Warned++
		default:
			c.NotEvaluated++
		}
	}
	return c
}

// aggregateKinds are the kinds whose verdict is about one measured value
// rather than about rows: they have no unexpected rows to count.
var aggregateKinds = map[Kind]bool{
	KindSchema: true, KindRowCount: true, KindFreshness: true, KindNullFraction: true,
	KindMetric: true, KindChange: true, KindAnomaly: true,
}

// rowLevel reports whether the result counts unexpected rows.
func rowLevel(r *Result) bool {
	if statusOf(r) == StatusNotEvaluated {
		return false
	}
	return !aggregateKinds[r.Kind] || r.UnexpectedCount > 0 || len(r.Samples) > 0
}

// unexpectedShort is the table cell: "3 (0.04%)".
func unexpectedShort(r *Result) string {
	if !rowLevel(r) {
		return ""
	}
	return report.FormatInt(r.UnexpectedCount) + " (" + formatPercent(r.UnexpectedPercent) + ")"
}

// unexpectedLong is "3 of 7,043 rows (0.04%; 0.05% of non-null rows)".
func unexpectedLong(r *Result) string {
	s := report.FormatInt(r.UnexpectedCount) + " of " + countOf(r.ElementCount, "row", "rows")
	total, nonnull := formatPercent(r.UnexpectedPercentTotal), formatPercent(r.UnexpectedPercentNonmissing)
	// A not_null check's unexpected rows are the nulls: a share of the
	// non-null rows says nothing.
	if r.MissingCount == 0 || total == nonnull || r.Kind == KindNotNull {
		return s + " (" + total + ")"
	}
	return s + " (" + total + " of all rows, " + nonnull + " of non-null rows)"
}

// headline is a one-sentence account of a result, for JUnit messages,
// annotations and summaries: its unexpected rows or observed value against
// what was expected. The check's own message, which often says the same in
// other words, goes with the details; it is the headline only when there
// is nothing else to say (and for a check that was not evaluated).
func headline(r *Result) string {
	if statusOf(r) == StatusNotEvaluated {
		if r.Message != "" {
			return "not evaluated: " + safeLine(r.Message)
		}
		return "not evaluated"
	}
	var parts []string
	if rowLevel(r) {
		parts = append(parts, report.FormatInt(r.UnexpectedCount)+" of "+countOf(r.ElementCount, "row", "rows")+
			" unexpected ("+formatPercent(r.UnexpectedPercent)+")")
	}
	if r.ObservedValue != nil {
		parts = append(parts, "observed "+safeLine(valueText(r.ObservedValue)))
	}
	if r.Expected != "" {
		parts = append(parts, "expected "+safeLine(r.Expected))
	}
	if r.FailingGroups > 0 {
		parts = append(parts, countOf(int64(r.FailingGroups), "failing group", "failing groups"))
	}
	if len(parts) == 0 {
		return safeLine(r.Message)
	}
	return strings.Join(parts, "; ")
}

// columnText is the check's column, or its columns joined by commas.
func columnText(r *Result) string {
	if r.Column != "" {
		return r.Column
	}
	return strings.Join(r.Columns, ", ")
}

// sampleColumns orders the columns of samples: the check's column(s) first,
// then any other (key) columns by name.
func sampleColumns(samples []Sample, r *Result) []string {
	seen := map[string]bool{}
	var cols []string
	first := append([]string{r.Column}, r.Columns...)
	present := map[string]bool{}
	for _, s := range samples {
		for k := range s.Values {
			present[k] = true
		}
	}
	for _, c := range first {
		if present[c] && !seen[c] {
			seen[c] = true
			cols = append(cols, c)
		}
	}
	var rest []string
	for k := range present {
		if !seen[k] {
			rest = append(rest, k)
		}
	}
	slices.Sort(rest)
	return append(cols, rest...)
}

func sortedNames[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// withoutNil drops nil entries.
func withoutNil[T any](xs []*T) []*T {
	for _, x := range xs {
		if x == nil {
			out := make([]*T, 0, len(xs))
			for _, x := range xs {
				if x != nil {
					out = append(out, x)
				}
			}
			return out
		}
	}
	return xs
}

// cellText renders a sample or group value: null for nil, the text as is
// when it reads unambiguously, otherwise quoted with Go escapes (empty
// strings, "null", text with spaces, quotes, separators or control
// characters).
func cellText(v *string) string {
	if v == nil {
		return "null"
	}
	s := *v
	if s == "" || s == "null" || !utf8.ValidString(s) {
		return strconv.Quote(s)
	}
	for _, r := range s {
		if r == ' ' || r == '"' || r == '\'' || r == '=' || r == ',' || r == '\\' || r == '`' || !unicode.IsPrint(r) {
			return strconv.Quote(s)
		}
	}
	return s
}

// quoteName renders a column name in "name=value": quoted if it holds
// anything but letters, digits, '_', '.' and '-'.
func quoteName(s string) string {
	if s == "" {
		return `""`
	}
	for _, r := range s {
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '.' || r == '-') {
			return strconv.Quote(s)
		}
	}
	return s
}

// safeLine makes s safe to print on one line of a terminal or log: invalid
// UTF-8 becomes U+FFFD, and control characters and bidirectional overrides
// are written as Go escapes (\n, \x1b, \u202e), so that data cannot break
// lines, move the cursor or reorder text.
func safeLine(s string) string {
	clean := true
	for _, r := range s {
		if escapeRune(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if !escapeRune(r) {
			b.WriteRune(r)
			continue
		}
		switch r {
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case utf8.RuneError:
			b.WriteRune(r)
		default:
			if r < 0x100 {
				fmt.Fprintf(&b, `\x%02x`, r)
			} else {
				fmt.Fprintf(&b, `\u%04x`, r)
			}
		}
	}
	return b.String()
}

// safeText is safeLine for text that may span lines (HTML): newlines and
// tabs are kept, other control characters and bidirectional overrides are
// escaped.
func safeText(s string) string {
	if !strings.ContainsAny(s, "\n\t") {
		return safeLine(s)
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		parts := strings.Split(l, "\t")
		for j, p := range parts {
			parts[j] = safeLine(p)
		}
		lines[i] = strings.Join(parts, "\t")
	}
	return strings.Join(lines, "\n")
}

func escapeRune(r rune) bool {
	switch {
	case r < 0x20, r >= 0x7f && r < 0xa0:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f,
		r == 0x2028, r == 0x2029, r == 0xfeff:
		return true
	case r == utf8.RuneError:
		return true // also what invalid bytes decode to; written back as U+FFFD
	}
	return false
}

// clip cuts s to at most n runes, marking the cut with "…".
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func countOf(n int64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return report.FormatInt(n) + " " + many
}

// formatPercent formats a percentage (0–100, as Result holds them).
func formatPercent(p float64) string {
	return report.FormatPercent(p / 100)
}

func formatSeconds(s float64) string {
	return time.Duration(s * float64(time.Second)).Round(time.Millisecond).String()
}

// formatNumber formats a float exactly enough to compare with a bound:
// the shortest text that reads back as x, or 10 significant digits when
// that is long. report.FormatFloat rounds to 4 digits, which can show a
// failing 19999.7 as "20,000" next to ">= 20000".
func formatNumber(x float64) string {
	switch {
	case math.IsNaN(x):
		return "NaN"
	case math.IsInf(x, 1):
		return "+Inf"
	case math.IsInf(x, -1):
		return "-Inf"
	case x == 0:
		return "0"
	}
	s := strconv.FormatFloat(x, 'g', -1, 64)
	if len(s) > 12 {
		s = strconv.FormatFloat(x, 'g', 10, 64)
		if i := strings.IndexAny(s, "e"); i >= 0 {
			s = trimFloatZeros(s[:i]) + s[i:]
		} else {
			s = trimFloatZeros(s)
		}
	}
	return s
}

func trimFloatZeros(s string) string {
	if !strings.Contains(s, ".") {
		return s
	}
	return strings.TrimSuffix(strings.TrimRight(s, "0"), ".")
}

// valueText renders an observed value (a number, a bool, a string, a
// time, or a list or map of those) as text. nil is "".
func valueText(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case float64:
		return formatNumber(v)
	case float32:
		return formatNumber(float64(v))
	case int64:
		return report.FormatInt(v)
	case int:
		return report.FormatInt(int64(v))
	case bool:
		return strconv.FormatBool(v)
	case time.Time:
		return v.Format(time.RFC3339Nano)
	case time.Duration:
		return v.String()
	case fmt.Stringer:
		return v.String()
	case error:
		return v.Error()
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Pointer, reflect.Interface:
		if rv.IsNil() {
			return "null"
		}
		return valueText(rv.Elem().Interface())
	case reflect.Float32, reflect.Float64:
		return formatNumber(rv.Float())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return report.FormatInt(rv.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return strconv.FormatUint(rv.Uint(), 10)
	case reflect.Slice, reflect.Array:
		if rv.Kind() == reflect.Slice && rv.IsNil() {
			return "[]"
		}
		parts := make([]string, rv.Len())
		for i := range parts {
			parts[i] = formatElem(rv.Index(i).Interface())
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case reflect.Map:
		type kv struct{ k, v string }
		var kvs []kv
		for it := rv.MapRange(); it.Next(); {
			kvs = append(kvs, kv{fmt.Sprint(it.Key().Interface()), formatElem(it.Value().Interface())})
		}
		slices.SortFunc(kvs, func(a, b kv) int { return strings.Compare(a.k, b.k) })
		parts := make([]string, len(kvs))
		for i, e := range kvs {
			parts[i] = e.k + ": " + e.v
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return fmt.Sprint(v)
}

// formatElem formats an element of a list or map: strings are quoted so
// that separators inside them stay readable.
func formatElem(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case string:
		return strconv.Quote(v)
	}
	return valueText(v)
}

// Formats are the formats Write prints.
var Formats = []string{"text", "json", "junit", "markdown"}

// Write prints a run in one of Formats (text with default options).
func Write(w io.Writer, format string, run *Run) error {
	switch format {
	case "json":
		return WriteJSON(w, run)
	case "junit":
		return WriteJUnit(w, run)
	case "markdown":
		return WriteMarkdown(w, run)
	case "text":
		return WriteText(w, run, TextOptions{})
	}
	return fmt.Errorf("%w: format %q: want %s", dataset.ErrInvalid, format, strings.Join(Formats, ", "))
}
