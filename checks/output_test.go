package checks

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"
)

// The -update flag rewrites golden files. Other test files of the package
// may define the same flag; package variables are initialized before init
// runs, so this defines it only if nobody else has.
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite the golden files in testdata")
	}
}

func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

func textPtr(s string) *string { return &s }

func percentOf(n, of int64) float64 { return float64(n) / float64(of) * 100 }

// Hostile strings: markup, quotes, pipes, backticks, percent signs,
// newlines, a terminal escape, a GitHub command and a bidi override.
const (
	hostileName  = "hostile <b>\"quoted\"</b> & 'single' | `tick` 100%\n::error::forged, a:b"
	hostileCol   = "weird|col,name: <x>"
	hostileValue = "<script>alert(1)</script> | `x` 50%\r\n::warning::next \x1b[31mred\u202e"
)

// testRun is a run with every kind of outcome the outputs must show.
func testRun() *Run {
	const rows = 7043
	r := &Run{
		Version: ResultVersion,
		Source:  "churn@v3",
		Dataset: "churn",
		DataVer: 3,
		Rules:   "rules.yaml",
		Time:    time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC),
		Rows:    rows,
		Elapsed: 1.234,
		Metrics: map[string]float64{"row_count": rows, "mean(income)": math.NaN(), "max(ratio)": math.Inf(1)},
		Results: []*Result{
			{
				Name: "row count in range", Kind: KindRowCount, Severity: SeverityError, Status: StatusPass,
				Success: true, Line: 3, Expected: "between 1,000 and 10,000", ElementCount: rows,
				ObservedValue: int64(rows),
			},
			{
				Name: "id is unique", Kind: KindUnique, Column: "id", Columns: []string{"id"}, Severity: SeverityError,
				Status: StatusPass, Success: true, Line: 6, Expected: "unique", ElementCount: rows,
				Duplicates: &Duplicates{},
			},
			{
				Name: "age in range", Kind: KindBetween, Column: "age", Severity: SeverityError, Status: StatusFail,
				Line: 9, Expected: "between 0 and 120", ElementCount: rows, MissingCount: 11, MissingPercent: percentOf(11, rows),
				UnexpectedCount: 3, UnexpectedPercent: percentOf(3, rows-11), UnexpectedPercentTotal: percentOf(3, rows),
				UnexpectedPercentNonmissing: percentOf(3, rows-11),
				Samples: []Sample{
					{Row: 17, Values: map[string]*string{"age": textPtr("-1"), "id": textPtr("c-17")}},
					{Row: 204, Values: map[string]*string{"age": textPtr("150"), "id": nil}},
					{Row: 5000, Values: map[string]*string{"age": textPtr("999"), "id": textPtr("")}},
				},
				PartialUnexpectedList: []any{int64(-1), int64(150), int64(999)},
			},
			{
				Name: "email looks like an email", Kind: KindFormat, Column: "email", Severity: SeverityWarn,
				Status: StatusWarn, Line: 14, Expected: "format email (mostly 99%)", ElementCount: rows,
				UnexpectedCount: 120, UnexpectedPercent: percentOf(120, rows), UnexpectedPercentTotal: percentOf(120, rows),
				UnexpectedPercentNonmissing: percentOf(120, rows),
				Samples: []Sample{
					{Row: 1, Values: map[string]*string{"email": textPtr("not an email")}},
					{Row: 2, Values: map[string]*string{"email": textPtr("null")}},
				},
				PartialUnexpectedList: []any{"not an email", "null"},
			},
			{
				Name: "one row per customer and month", Kind: KindUnique, Columns: []string{"customer", "month"},
				Severity: SeverityError, Status: StatusFail, Line: 18, Expected: "unique (customer, month)",
				ElementCount: rows, UnexpectedCount: 5, UnexpectedPercent: percentOf(5, rows), UnexpectedPercentTotal: percentOf(5, rows),
				UnexpectedPercentNonmissing: percentOf(5, rows),
				Duplicates:                  &Duplicates{Groups: 2, Rows: 5, ExtraRows: 3},
				Samples: []Sample{
					{Row: 40, Values: map[string]*string{"month": textPtr("2026-10"), "customer": textPtr("c-9")}},
					{Row: 41, Values: map[string]*string{"month": textPtr("2026-10"), "customer": textPtr("c-9")}},
				},
			},
			{
				Name: "mean income plausible", Kind: KindMetric, Severity: SeverityError, Status: StatusFail, Line: 22,
				Expected: "mean(income) >= 20000 && mean(income) <= 90000", ObservedValue: math.NaN(),
				Message: "mean(income) is NaN: income has no non-null values",
			},
			{
				Name: "ratio bounded", Kind: KindMetric, Severity: SeverityWarn, Status: StatusWarn, Line: 25,
				Expected: "max(ratio) < 10", ObservedValue: map[string]any{"max(ratio)": math.Inf(1), "min(ratio)": math.Inf(-1)},
			},
			{
				Name: "ratio finite", Kind: KindMetric, Severity: SeverityError, Status: StatusPass, Success: true, Line: 27,
				Expected: "min(ratio) > -1e300", ObservedValue: 19999.7,
			},
			{
				Name: "total charges present per segment", Kind: KindNotNull, Column: "total_charges",
				Severity: SeverityError, Status: StatusFail, Line: 30, Expected: "not null in every segment",
				ElementCount: rows, MissingCount: 11, MissingPercent: percentOf(11, rows), UnexpectedCount: 11,
				UnexpectedPercent: percentOf(11, rows), UnexpectedPercentTotal: percentOf(11, rows), UnexpectedPercentNonmissing: 0,
				Samples: []Sample{
					{Row: 488, Values: map[string]*string{"total_charges": nil, "segment": textPtr("a")}},
					{Row: 753, Values: map[string]*string{"total_charges": nil, "segment": nil}},
				},
				FailingGroups: 2,
				Groups: []*GroupResult{
					{Group: map[string]*string{"segment": textPtr("a"), "region": textPtr("north")}, ElementCount: 100, MissingCount: 8,
						UnexpectedCount: 8, UnexpectedPercent: 8, UnexpectedPercentTotal: 8},
					{Group: map[string]*string{"segment": nil, "region": textPtr("south")}, ElementCount: 50, MissingCount: 3,
						UnexpectedCount: 3, UnexpectedPercent: 6, UnexpectedPercentTotal: 6, ObservedValue: math.NaN(),
						Samples: []Sample{{Row: 753, Values: map[string]*string{"total_charges": nil}}}},
				},
			},
			{
				Name: "row count near previous version", Kind: KindChange, Severity: SeverityError,
				Status: StatusNotEvaluated, Line: 34, Expected: "row_count within 10% of the previous version",
				Message: "needs 1 earlier version with results, found 0",
			},
			{
				Name: hostileName, Kind: KindRegex, Column: hostileCol, Severity: SeverityError, Status: StatusFail, Line: 37,
				Expected: "matches `^[a-z|]+$` | <strict> & 100%", ElementCount: 10, UnexpectedCount: 1,
				UnexpectedPercent: 10, UnexpectedPercentTotal: 10, UnexpectedPercentNonmissing: 10,
				Message:       "value " + hostileValue + " does not match",
				ObservedValue: hostileValue,
				Samples: []Sample{
					{Row: 3, Values: map[string]*string{hostileCol: textPtr(hostileValue), "id": textPtr("a|b`c`")}},
				},
				PartialUnexpectedList: []any{hostileValue},
			},
		},
	}
	r.Counts = countStatuses(r.Results)
	r.Success = r.Counts.Failed == 0
	return r
}

// passingRun is a run that succeeds with one warning.
func passingRun() *Run {
	r := &Run{
		Version: ResultVersion, Source: "data/orders.parquet", Rules: "checks/orders.yaml",
		Time: time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC), Rows: 120, Elapsed: 0.05,
		Results: []*Result{
			{Name: "order id not null", Kind: KindNotNull, Column: "order_id", Severity: SeverityError, Status: StatusPass,
				Success: true, Line: 2, Expected: "not null", ElementCount: 120},
			{Name: "amount positive", Kind: KindBetween, Column: "amount", Severity: SeverityWarn, Status: StatusWarn,
				Line: 5, Expected: "> 0", ElementCount: 120, UnexpectedCount: 1, UnexpectedPercent: percentOf(1, 120),
				UnexpectedPercentTotal: percentOf(1, 120), UnexpectedPercentNonmissing: percentOf(1, 120),
				Samples: []Sample{{Row: 99, Values: map[string]*string{"amount": textPtr("0")}}}},
		},
	}
	r.Counts = countStatuses(r.Results)
	r.Success = true
	return r
}

// formats are the writers under golden test, by file suffix.
var formats = []struct {
	suffix string
	write  func(*bytes.Buffer, *Run) error
}{
	{".txt", func(b *bytes.Buffer, r *Run) error { return WriteText(b, r, TextOptions{}) }},
	{".color.txt", func(b *bytes.Buffer, r *Run) error { return WriteText(b, r, TextOptions{Color: true}) }},
	{".json", func(b *bytes.Buffer, r *Run) error { return WriteJSON(b, r) }},
	{".junit.xml", func(b *bytes.Buffer, r *Run) error { return WriteJUnit(b, r) }},
	{".md", func(b *bytes.Buffer, r *Run) error { return WriteMarkdown(b, r) }},
	{".github.txt", func(b *bytes.Buffer, r *Run) error { return WriteGitHubAnnotations(b, r, ".github/rules.yaml") }},
}

func TestOutputGolden(t *testing.T) {
	runs := map[string]func() *Run{"run": testRun, "passing": passingRun}
	for name, mk := range runs {
		for _, f := range formats {
			file := name + f.suffix
			t.Run(file, func(t *testing.T) {
				var buf bytes.Buffer
				if err := f.write(&buf, mk()); err != nil {
					t.Fatal(err)
				}
				golden(t, file, buf.Bytes())
			})
		}
	}
}

// golden compares got with testdata/output/name, or rewrites it under
// -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "output", name)
	if updating() {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test -update rewrites it); got:\n%s", path, got)
	}
}

func TestWriteNilRun(t *testing.T) {
	var buf bytes.Buffer
	for _, f := range formats {
		if err := f.write(&buf, nil); err == nil {
			t.Errorf("%s: nil run: got no error", f.suffix)
		}
	}
}

func TestWriteTextSummary(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteText(&buf, testRun(), TextOptions{}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"11 checks: 3 passed, 5 failed, 2 warnings, 1 not evaluated\n",
		"FAILED: 5 error-level checks failed (exit status 1)\n",
		"row 204: age=150, id=null",
		`row 5000: age=999, id=""`,
		"19999.7", // not rounded to 20,000 next to a bound of 20000
	} {
		if !strings.Contains(out, want) {
			t.Errorf("text output lacks %q", want)
		}
	}
	buf.Reset()
	if err := WriteText(&buf, passingRun(), TextOptions{}); err != nil {
		t.Fatal(err)
	}
	if want := "OK: every error-level check passed; warnings do not fail the run (exit status 0)\n"; !strings.HasSuffix(buf.String(), want) {
		t.Errorf("passing run ends %q, want %q", lastLine(buf.String()), want)
	}
}

func lastLine(s string) string {
	s = strings.TrimSuffix(s, "\n")
	return s[strings.LastIndexByte(s, '\n')+1:]
}

// TestWriteTextControl checks that data cannot put control characters in
// the text output: without colour there is no escape byte at all, with
// colour only the SGR sequences the writer adds.
func TestWriteTextControl(t *testing.T) {
	sgr := regexp.MustCompile(`\x1b\[[0-9;]*m`)
	for _, color := range []bool{false, true} {
		var buf bytes.Buffer
		if err := WriteText(&buf, testRun(), TextOptions{Color: color}); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		if !color && strings.Contains(out, "\x1b") {
			t.Errorf("plain output has an escape byte")
		}
		out = sgr.ReplaceAllStringFunc(out, func(s string) string {
			for _, c := range statusColor {
				if s == c {
					return ""
				}
			}
			if s == "\x1b[0m" {
				return ""
			}
			return s
		})
		for i, r := range out {
			if r < 0x20 && r != '\n' || r == 0x7f || r == '\u202e' {
				t.Errorf("color=%v: control character %q at byte %d: %q", color, r, i, out[max(0, i-20):min(len(out), i+20)])
				break
			}
		}
		if !strings.Contains(out, `50%\r\n::warning::next \x1b[31mred\u202e`) {
			t.Errorf("color=%v: hostile value not shown escaped", color)
		}
	}
}

func TestWriteTextOptions(t *testing.T) {
	run := testRun()
	var all, one bytes.Buffer
	if err := WriteText(&all, run, TextOptions{Samples: -1, Groups: -1}); err != nil {
		t.Fatal(err)
	}
	if err := WriteText(&one, run, TextOptions{Samples: 1, Groups: 1}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(all.String(), "row 5000:") {
		t.Errorf("Samples -1: third sample missing")
	}
	if strings.Contains(one.String(), "row 204:") {
		t.Errorf("Samples 1: second sample shown")
	}
	if !strings.Contains(one.String(), "first 1 of 3 failing rows:") {
		t.Errorf("Samples 1: heading does not say how many there are")
	}
	if !strings.Contains(one.String(), "first 1 of 2 failing groups:") {
		t.Errorf("Groups 1: heading does not say how many there are")
	}
}

func TestWriteJSONRoundTrip(t *testing.T) {
	for name, mk := range map[string]func() *Run{"run": testRun, "passing": passingRun} {
		t.Run(name, func(t *testing.T) {
			var first bytes.Buffer
			if err := WriteJSON(&first, mk()); err != nil {
				t.Fatal(err)
			}
			if !json.Valid(first.Bytes()) {
				t.Fatalf("invalid JSON:\n%s", first.Bytes())
			}
			var back Run
			if err := json.Unmarshal(first.Bytes(), &back); err != nil {
				t.Fatal(err)
			}
			var second bytes.Buffer
			if err := WriteJSON(&second, &back); err != nil {
				t.Fatal(err)
			}
			if first.String() != second.String() {
				t.Errorf("JSON changed in a round trip:\nfirst:\n%s\nsecond:\n%s", first.Bytes(), second.Bytes())
			}
			if name != "run" {
				return
			}
			if v := back.Metrics["mean(income)"]; !math.IsNaN(v) {
				t.Errorf("metric mean(income) = %v, want NaN", v)
			}
			if v := back.Metrics["max(ratio)"]; !math.IsInf(v, 1) {
				t.Errorf("metric max(ratio) = %v, want +Inf", v)
			}
			if v, ok := back.Results[5].ObservedValue.(float64); !ok || !math.IsNaN(v) {
				t.Errorf("observed value = %#v, want NaN", back.Results[5].ObservedValue)
			}
			if v, ok := back.Results[0].ObservedValue.(int64); !ok || v != 7043 {
				t.Errorf("observed value = %#v, want int64 7043", back.Results[0].ObservedValue)
			}
			if got := back.Results[2].Samples[1].Values["id"]; got != nil {
				t.Errorf("null sample value read back as %q", *got)
			}
			if got := back.Results[10].Name; got != hostileName {
				t.Errorf("name = %q, want %q", got, hostileName)
			}
		})
	}
}

func TestWriteJSONShape(t *testing.T) {
	run := testRun()
	run.Version = 0 // WriteJSON writes the shape it knows
	var buf bytes.Buffer
	if err := WriteJSON(&buf, run); err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("{\n  \"version\": %d,\n  \"source\": \"churn@v3\",\n", ResultVersion); !strings.HasPrefix(buf.String(), want) {
		t.Errorf("JSON starts %q, want %q", buf.String()[:60], want)
	}
	for _, want := range []string{`"observed_value": "NaN"`, `"max(ratio)": "Infinity"`, `"min(ratio)": "-Infinity"`,
		`"<script>alert(1)</script>`} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("JSON lacks %s", want)
		}
	}
	// json.Marshal of a Run is the same document, compact (and with <>&
	// escaped, as json.Marshal does).
	b, err := json.Marshal(testRun())
	if err != nil {
		t.Fatal(err)
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, buf.Bytes()); err != nil {
		t.Fatal(err)
	}
	var escaped bytes.Buffer
	json.HTMLEscape(&escaped, compact.Bytes())
	if !bytes.Equal(b, escaped.Bytes()) {
		t.Errorf("json.Marshal(run) differs from WriteJSON:\n%s\n%s", b, escaped.Bytes())
	}
}

func TestWriteJSONNewerVersion(t *testing.T) {
	var r Run
	err := json.Unmarshal([]byte(fmt.Sprintf(`{"version": %d, "results": []}`, ResultVersion+1)), &r)
	if err == nil {
		t.Errorf("a newer version was read without error")
	}
}

// TestWriteJSONMirror holds the wire types to the model: the same JSON
// keys, with the same options, in the same order.
func TestWriteJSONMirror(t *testing.T) {
	pairs := []struct{ model, wire any }{
		{Run{}, jsonRun{}},
		{Result{}, jsonResult{}},
		{GroupResult{}, jsonGroup{}},
	}
	for _, p := range pairs {
		mt, wt := reflect.TypeOf(p.model), reflect.TypeOf(p.wire)
		got, want := jsonTags(wt), jsonTags(mt)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%v has keys\n%q,\n%v has\n%q", wt, got, mt, want)
		}
	}
}

// TestWriteJSONDocumented checks that docs/check-results.md names every
// key of the JSON shape.
func TestWriteJSONDocumented(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "docs", "check-results.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []any{Run{}, Counts{}, Result{}, Sample{}, Duplicates{}, GroupResult{}} {
		for f := range reflect.TypeOf(v).Fields() {
			key, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if !bytes.Contains(doc, []byte("`"+key+"`")) {
				t.Errorf("docs/check-results.md does not document %T's key %q", v, key)
			}
		}
	}
}

func jsonTags(t reflect.Type) []string {
	var tags []string
	for f := range t.Fields() {
		tags = append(tags, f.Name+":"+f.Tag.Get("json"))
	}
	return tags
}

type marshalsNaN float64

func (m marshalsNaN) MarshalJSON() ([]byte, error) { return json.Marshal(float64(m)) }

func TestWriteJSONAnyValue(t *testing.T) {
	values := []any{
		math.NaN(), float32(math.Inf(-1)), []float64{1, math.NaN()}, map[int]float64{2: math.Inf(1)},
		struct{ X float64 }{math.NaN()}, complex(1, 2), make(chan int), marshalsNaN(math.NaN()),
		[]byte("bytes"), time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), (*int)(nil), []any{nil, "s", true},
	}
	for _, v := range values {
		run := &Run{Results: []*Result{{Name: "x", ObservedValue: v, PartialUnexpectedList: []any{v}}}}
		var buf bytes.Buffer
		if err := WriteJSON(&buf, run); err != nil {
			t.Errorf("%T: %v", v, err)
			continue
		}
		if !json.Valid(buf.Bytes()) {
			t.Errorf("%T: invalid JSON", v)
		}
	}
}

type junitDoc struct {
	XMLName  xml.Name `xml:"testsuites"`
	Tests    int      `xml:"tests,attr"`
	Failures int      `xml:"failures,attr"`
	Skipped  int      `xml:"skipped,attr"`
	Suites   []struct {
		Name     string `xml:"name,attr"`
		Tests    int    `xml:"tests,attr"`
		Failures int    `xml:"failures,attr"`
		Errors   int    `xml:"errors,attr"`
		Skipped  int    `xml:"skipped,attr"`
		Time     string `xml:"time,attr"`
		Cases    []struct {
			ClassName string `xml:"classname,attr"`
			Name      string `xml:"name,attr"`
			Failure   *struct {
				Message string `xml:"message,attr"`
				Type    string `xml:"type,attr"`
				Text    string `xml:",chardata"`
			} `xml:"failure"`
			Skipped *struct {
				Message string `xml:"message,attr"`
			} `xml:"skipped"`
			SystemOut string `xml:"system-out"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

func TestWriteJUnitParses(t *testing.T) {
	run := testRun()
	var buf bytes.Buffer
	if err := WriteJUnit(&buf, run); err != nil {
		t.Fatal(err)
	}
	var doc junitDoc
	if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("JUnit output does not parse: %v", err)
	}
	if len(doc.Suites) != 1 {
		t.Fatalf("got %d test suites, want 1", len(doc.Suites))
	}
	s := doc.Suites[0]
	if s.Name != "assay check churn@v3" || s.Tests != 11 || s.Failures != 5 || s.Errors != 0 || s.Skipped != 1 || s.Time != "1.234" {
		t.Errorf("suite %q tests=%d failures=%d errors=%d skipped=%d time=%s, want assay check churn@v3 11 5 0 1 1.234",
			s.Name, s.Tests, s.Failures, s.Errors, s.Skipped, s.Time)
	}
	if doc.Tests != 11 || doc.Failures != 5 || doc.Skipped != 1 {
		t.Errorf("testsuites tests=%d failures=%d skipped=%d, want 11 5 1", doc.Tests, doc.Failures, doc.Skipped)
	}
	if len(s.Cases) != len(run.Results) {
		t.Fatalf("got %d testcases, want %d", len(s.Cases), len(run.Results))
	}
	var failures, skipped int
	for i, c := range s.Cases {
		r := run.Results[i]
		if c.Name != r.Name || c.ClassName != "rules.yaml" {
			t.Errorf("testcase %d: classname %q name %q, want rules.yaml %q", i, c.ClassName, c.Name, r.Name)
		}
		switch r.Status {
		case StatusFail:
			failures++
			if c.Failure == nil || c.Failure.Type != string(r.Kind) || c.Failure.Message == "" || c.Failure.Text == "" {
				t.Errorf("testcase %q: failure %+v, want type %s with a message and details", c.Name, c.Failure, r.Kind)
			}
		case StatusWarn:
			if c.Failure != nil || c.Skipped != nil || !strings.HasPrefix(c.SystemOut, "WARNING: ") {
				t.Errorf("testcase %q: a warning must pass with a WARNING in system-out", c.Name)
			}
		case StatusNotEvaluated:
			skipped++
			if c.Skipped == nil || !strings.Contains(c.Skipped.Message, "needs 1 earlier version") {
				t.Errorf("testcase %q: skipped %+v, want the reason", c.Name, c.Skipped)
			}
		default:
			if c.Failure != nil || c.Skipped != nil || c.SystemOut != "" {
				t.Errorf("testcase %q: a pass has content", c.Name)
			}
		}
	}
	if failures != s.Failures || skipped != s.Skipped {
		t.Errorf("counted %d failures and %d skipped, suite says %d and %d", failures, skipped, s.Failures, s.Skipped)
	}
	// The hostile message survives with XML-invalid characters replaced.
	msg := s.Cases[10].Failure.Message
	if !strings.Contains(msg, `<script>alert(1)</script> | `+"`x`") {
		t.Errorf("hostile failure message = %q", msg)
	}
}

// TestWriteJUnitAwkward writes text XML cannot hold as is: control
// characters, a CDATA terminator, invalid UTF-8.
func TestWriteJUnitAwkward(t *testing.T) {
	run := &Run{Source: "s\x00rc", Rules: "r]]>.yaml", Results: []*Result{
		{Name: "bell\x07 ]]> \xff", Kind: KindRow, Severity: SeverityError, Status: StatusFail,
			Message: "ends ]]> here\x01", Expected: "x ]]>", ElementCount: 1, UnexpectedCount: 1},
		{Name: "w", Kind: KindRow, Severity: SeverityWarn, Status: StatusWarn, Message: "]]>]]>\x02"},
	}}
	var buf bytes.Buffer
	if err := WriteJUnit(&buf, run); err != nil {
		t.Fatal(err)
	}
	var doc junitDoc
	if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("JUnit output does not parse: %v\n%s", err, buf.Bytes())
	}
	c := doc.Suites[0].Cases
	if c[0].Failure == nil || !strings.Contains(c[0].Failure.Text, "x ]]>") || !strings.Contains(c[1].SystemOut, "]]>]]>") {
		t.Errorf("CDATA text lost: %+v %q", c[0].Failure, c[1].SystemOut)
	}
}

func TestWriteGitHubAnnotations(t *testing.T) {
	run := testRun()
	var buf bytes.Buffer
	if err := WriteGitHubAnnotations(&buf, run, "ci/rules, v2.yaml"); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	var want []*Result
	for _, r := range run.Results {
		if r.Status == StatusFail || r.Status == StatusWarn {
			want = append(want, r)
		}
	}
	if len(lines) != len(want) {
		t.Fatalf("got %d commands, want %d:\n%s", len(lines), len(want), buf.String())
	}
	cmdRE := regexp.MustCompile(`^::(error|warning) ([^:]*)::(.*)$`)
	for i, line := range lines {
		r := want[i]
		m := cmdRE.FindStringSubmatch(line)
		if m == nil {
			t.Errorf("not a workflow command: %q", line)
			continue
		}
		if kind := map[Status]string{StatusFail: "error", StatusWarn: "warning"}[r.Status]; m[1] != kind {
			t.Errorf("%q: command %s, want %s", r.Name, m[1], kind)
		}
		if strings.ContainsAny(m[3], "\r\n") {
			t.Errorf("%q: message has a raw line break", r.Name)
		}
		props := map[string]string{}
		for _, p := range strings.Split(m[2], ",") {
			k, v, ok := strings.Cut(p, "=")
			if !ok {
				t.Errorf("%q: property %q has no value", r.Name, p)
			}
			props[k] = ghUnescape(v)
		}
		if props["file"] != "ci/rules, v2.yaml" || props["line"] != fmt.Sprint(r.Line) || props["title"] != "assay check: "+safeLine(r.Name) {
			t.Errorf("%q: properties %q", r.Name, props)
		}
		if msg := ghUnescape(m[3]); !strings.HasPrefix(msg, headline(r)) {
			t.Errorf("%q: message %q does not start with the headline", r.Name, msg)
		}
	}
}

// ghUnescape undoes the toolkit's escaping, as the runner does.
func ghUnescape(s string) string {
	return strings.NewReplacer("%0D", "\r", "%0A", "\n", "%3A", ":", "%2C", ",", "%25", "%").Replace(s)
}

func TestWriteGitHubEscape(t *testing.T) {
	tests := []struct{ in, data, prop string }{
		{"plain", "plain", "plain"},
		{"100%", "100%25", "100%25"},
		{"a\r\nb", "a%0D%0Ab", "a%0D%0Ab"},
		{"k:v,w", "k:v,w", "k%3Av%2Cw"},
		{"%0A", "%250A", "%250A"},
	}
	for _, tt := range tests {
		if got := ghData(tt.in); got != tt.data {
			t.Errorf("ghData(%q) = %q, want %q", tt.in, got, tt.data)
		}
		if got := ghProperty(tt.in); got != tt.prop {
			t.Errorf("ghProperty(%q) = %q, want %q", tt.in, got, tt.prop)
		}
	}
}

func TestWriteGitHubNoFile(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteGitHubAnnotations(&buf, passingRun(), ""); err != nil {
		t.Fatal(err)
	}
	if got := buf.String(); !strings.HasPrefix(got, "::warning title=assay check%3A amount positive::") || strings.Count(got, "\n") != 1 {
		t.Errorf("got %q, want one warning without file or line", got)
	}
}

// TestWriteMarkdownTables checks that every table row has exactly as many
// cells as its header, whatever pipes the data holds.
func TestWriteMarkdownTables(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteMarkdown(&buf, testRun()); err != nil {
		t.Fatal(err)
	}
	cells := -1
	unescapedPipe := regexp.MustCompile(`(^|[^\\])\|`)
	for _, line := range strings.Split(buf.String(), "\n") {
		if !strings.HasPrefix(line, "|") {
			cells = -1
			continue
		}
		// Count pipes not escaped by a backslash (an escaped backslash
		// before a pipe does not occur: mdText escapes both).
		n := len(unescapedPipe.FindAllStringIndex(strings.ReplaceAll(line, "||", "| |"), -1))
		if cells < 0 {
			cells = n
		} else if n != cells {
			t.Errorf("row has %d cell borders, header %d: %s", n, cells, line)
		}
	}
	out := buf.String()
	for _, bad := range []string{"\x1b", "\r", "\u202e"} {
		if strings.Contains(out, bad) {
			t.Errorf("Markdown holds %q", bad)
		}
	}
	// Outside code spans (which show text as is), no markup from data.
	prose := stripCodeSpans(out)
	for _, bad := range []string{"<script>", "<b>\"quoted\"", "<x>"} {
		if strings.Contains(prose, bad) {
			t.Errorf("Markdown holds %q unescaped outside code spans", bad)
		}
	}
	if !strings.Contains(out, "``\"<script>alert(1)</script> \\| `x`") {
		t.Errorf("hostile sample value is not one code span")
	}
	if !strings.HasPrefix(out, "### ❌ assay check failed on `churn@v3`\n") {
		t.Errorf("title line = %q", out[:strings.IndexByte(out, '\n')])
	}
}

// stripCodeSpans removes Markdown code spans: a run of n backticks up to
// the next run of exactly n.
func stripCodeSpans(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		if s[i] != '`' {
			b.WriteByte(s[i])
			i++
			continue
		}
		n := 0
		for i+n < len(s) && s[i+n] == '`' {
			n++
		}
		closed := false
		for j := i + n; j < len(s); {
			if s[j] != '`' {
				j++
				continue
			}
			m := 0
			for j+m < len(s) && s[j+m] == '`' {
				m++
			}
			if m == n {
				i, closed = j+m, true
				break
			}
			j += m
		}
		if !closed {
			b.WriteString(s[i : i+n])
			i += n
		}
	}
	return b.String()
}

func TestWriteMarkdownCode(t *testing.T) {
	tests := []struct {
		in      string
		inTable bool
		want    string
	}{
		{"abc", false, "`abc`"},
		{"a`b", false, "``a`b``"},
		{"`x`", false, "`` `x` ``"},
		{"a|b", true, "`a\\|b`"},
		{"a|b", false, "`a|b`"},
		{"", false, "`\"\"`"},
		{"line\nbreak", false, "`line\\nbreak`"},
	}
	for _, tt := range tests {
		if got := mdCode(tt.in, tt.inTable); got != tt.want {
			t.Errorf("mdCode(%q, %v) = %q, want %q", tt.in, tt.inTable, got, tt.want)
		}
	}
}

func TestWriteMarkdownBudget(t *testing.T) {
	run := &Run{Source: "big", Rules: "rules.yaml"}
	for i := range 400 {
		run.Results = append(run.Results, &Result{
			Name: fmt.Sprintf("check %d", i), Kind: KindRow, Severity: SeverityError, Status: StatusFail,
			Expected: strings.Repeat("x", 200), Message: strings.Repeat("m", 200), UnexpectedCount: 1, ElementCount: 1,
			Samples: []Sample{{Row: 1, Values: map[string]*string{"c": textPtr(strings.Repeat("v", 100))}}},
		})
	}
	var buf bytes.Buffer
	if err := WriteMarkdown(&buf, run); err != nil {
		t.Fatal(err)
	}
	if buf.Len() > 65536 {
		t.Errorf("Markdown is %d bytes, more than a GitHub comment holds", buf.Len())
	}
	if !strings.Contains(buf.String(), "more check details are not shown here") {
		t.Errorf("Markdown does not say that details were left out")
	}
}

func TestOutputFormatNumber(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{0, "0"}, {19999.7, "19999.7"}, {0.1 + 0.2, "0.3"}, {1.0 / 3, "0.3333333333"}, {1e21, "1e+21"},
		{math.NaN(), "NaN"}, {math.Inf(1), "+Inf"}, {math.Inf(-1), "-Inf"}, {-2.5, "-2.5"}, {123456789.123, "123456789.1"},
	}
	for _, tt := range tests {
		if got := formatNumber(tt.in); got != tt.want {
			t.Errorf("formatNumber(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestOutputSafeLine(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain ünïcode", "plain ünïcode"},
		{"a\nb\tc\r", `a\nb\tc\r`},
		{"\x1b[2J", `\x1b[2J`},
		{"rtl\u202eevil", `rtl\u202eevil`},
		{"bad\xffbyte", "bad\uFFFDbyte"},
	}
	for _, tt := range tests {
		if got := safeLine(tt.in); got != tt.want {
			t.Errorf("safeLine(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func ExampleWriteText() {
	run := &Run{
		Source: "churn@v3", Rules: "rules.yaml", Rows: 7043, Success: false,
		Results: []*Result{
			{Name: "id unique", Kind: KindUnique, Column: "id", Severity: SeverityError, Status: StatusPass,
				Success: true, Line: 2, Expected: "unique", ElementCount: 7043},
			{Name: "total charges present", Kind: KindNotNull, Column: "TotalCharges", Severity: SeverityError,
				Status: StatusFail, Line: 5, Expected: "not null", ElementCount: 7043, MissingCount: 11,
				MissingPercent: 0.156, UnexpectedCount: 11, UnexpectedPercent: 0.156, UnexpectedPercentTotal: 0.156,
				Samples: []Sample{{Row: 488, Values: map[string]*string{"TotalCharges": nil, "customerID": textPtr("4472-LVYGI")}}}},
		},
	}
	WriteText(os.Stdout, run, TextOptions{})
	// Output:
	// Checks on churn@v3 (rules.yaml): 7,043 rows
	//
	// STATUS  SEVERITY  CHECK                  KIND      COLUMN        UNEXPECTED  OBSERVED
	// ✓ PASS  error     id unique              unique    id            0 (0%)      -
	// ✗ FAIL  error     total charges present  not_null  TotalCharges  11 (0.16%)  -
	//
	// Details:
	//
	// ✗ FAIL  total charges present  (not_null on TotalCharges, rules.yaml:5)
	//     expected:    not null
	//     unexpected:  11 of 7,043 rows (0.16%)
	//     nulls:       11 rows (0.16%)
	//     first 1 of 11 failing rows:
	//       row 488: TotalCharges=null, customerID=4472-LVYGI
	//
	// 2 checks: 1 passed, 1 failed, 0 warnings
	// FAILED: 1 error-level check failed (exit status 1)
}

func ExampleWriteGitHubAnnotations() {
	run := &Run{
		Source: "churn@v3", Rows: 7043,
		Results: []*Result{{
			Name: "age in range", Kind: KindBetween, Column: "age", Severity: SeverityError, Status: StatusFail,
			Line: 12, Expected: "between 0 and 120", ElementCount: 7043, UnexpectedCount: 3,
			UnexpectedPercent: 0.0426, UnexpectedPercentTotal: 0.0426, UnexpectedPercentNonmissing: 0.0426,
		}},
	}
	WriteGitHubAnnotations(os.Stdout, run, "rules.yaml")
	// Output:
	// ::error file=rules.yaml,line=12,title=assay check%3A age in range::3 of 7,043 rows unexpected (0.04%25); expected between 0 and 120%0Aexpected:    between 0 and 120%0Aunexpected:  3 of 7,043 rows (0.04%25)
}
