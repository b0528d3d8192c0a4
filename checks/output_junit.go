package checks

import (
	"encoding/xml"
	"io"
	"strconv"
	"strings"
	"time"
)

// WriteJUnit writes run as JUnit XML, the format the test reporters of
// Jenkins, GitLab and GitHub Actions read:
//
//	<testsuites name="assay check" tests=… failures=… errors="0" skipped=… time=…>
//	  <testsuite name="assay check SOURCE" tests=… failures=… errors="0" skipped=… time=… timestamp=…>
//	    <properties> source, rules, rows, dataset, dataset_version, warnings </properties>
//	    <testcase classname="RULES FILE" name="CHECK NAME" time="0">…</testcase>
//
// One testcase per check, in rule-file order:
//
//   - a passing check is an empty testcase;
//   - a failing error-level check has <failure message=… type="KIND"> with
//     the details (expected, observed, counts, first failing rows, failing
//     groups) as its text;
//   - a failing warn-level check is a passing testcase whose <system-out>
//     starts with "WARNING:" and holds the same details: warnings must not
//     fail CI, and reporting them as skipped would hide that they ran and
//     found something;
//   - a check that was not evaluated (a change or anomaly check without
//     enough history) has <skipped message=…>.
//
// All checks run in one fused scan, so a testcase's time is 0 and the
// suite's time is the whole run. Details are CDATA, so their lines read
// well in the raw file; attributes are escaped by encoding/xml; characters
// XML cannot carry become U+FFFD.
func WriteJUnit(w io.Writer, run *Run) error {
	if run == nil {
		return errNilRun
	}
	results := withoutNil(run.Results)
	c := countStatuses(results)
	secs := strconv.FormatFloat(max(run.Elapsed, 0), 'f', 3, 64)
	suite := junitSuite{
		Name:     "assay check " + run.Source,
		Tests:    c.Checks,
		Failures: c.Failed,
		Skipped:  c.NotEvaluated,
		Time:     secs,
	}
	if !run.Time.IsZero() {
		suite.Timestamp = run.Time.UTC().Format(time.RFC3339)
	}
	prop := func(name, value string) {
		suite.Properties = append(suite.Properties, junitProperty{name, value})
	}
	prop("source", run.Source)
	prop("rules", run.Rules)
	if run.Dataset != "" {
		prop("dataset", run.Dataset)
	}
	if run.DataVer != 0 {
		prop("dataset_version", strconv.Itoa(run.DataVer))
	}
	prop("rows", strconv.FormatInt(run.Rows, 10))
	prop("warnings", strconv.Itoa(c.Warned))
	prop("success", strconv.FormatBool(run.Success))

	for _, r := range results {
		tc := junitCase{ClassName: run.Rules, Name: r.Name, Time: "0"}
		switch statusOf(r) {
		case StatusFail:
			tc.Failure = &junitFailure{Message: headline(r), Type: string(r.Kind), Text: xmlChars(detailText(r, run.Rules))}
		case StatusWarn:
			tc.SystemOut = &junitText{xmlChars("WARNING: " + headline(r) + "\n" + detailText(r, run.Rules))}
		case StatusNotEvaluated:
			tc.Skipped = &junitSkipped{Message: headline(r)}
		}
		suite.Cases = append(suite.Cases, tc)
	}
	doc := junitSuites{
		Name: "assay check", Tests: c.Checks, Failures: c.Failed, Skipped: c.NotEvaluated, Time: secs,
		Suites: []junitSuite{suite},
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// detailText is the body of a failure or warning: where the check is, then
// its details, one per line.
func detailText(r *Result, rules string) string {
	lines := append([]string{"check:       " + checkPlace(r, rules)},
		detailLines(r, defaultSamples, defaultGroups)...)
	return strings.Join(lines, "\n") + "\n"
}

// xmlChars replaces the characters XML 1.0 cannot hold with U+FFFD (CDATA
// is not escaped; attributes and other text are, by encoding/xml).
func xmlChars(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' || r >= 0x20 && r <= 0xd7ff || r >= 0xe000 && r <= 0xfffd || r >= 0x10000 && r <= 0x10ffff {
			return r
		}
		return '\uFFFD'
	}, strings.ToValidUTF8(s, "\uFFFD"))
}

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr"`
	Timestamp  string          `xml:"timestamp,attr,omitempty"`
	Properties []junitProperty `xml:"properties>property"`
	Cases      []junitCase     `xml:"testcase"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	ClassName string        `xml:"classname,attr"`
	Name      string        `xml:"name,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitFailure `xml:"failure"`
	Skipped   *junitSkipped `xml:"skipped"`
	SystemOut *junitText    `xml:"system-out"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",cdata"`
}

// junitText is element text written as CDATA, so that its lines stay
// readable in the raw file.
type junitText struct {
	Text string `xml:",cdata"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}
