package checks

import (
	"io"
	"strconv"
	"strings"
)

// WriteGitHubAnnotations writes a GitHub Actions workflow command for each
// check that failed: "::error" for error-level checks, "::warning" for
// warn-level ones, pointing at the check's line in the rule file:
//
//	::error file=rules.yaml,line=12,title=age in range::3 of 7,043 rows unexpected (0.04%); expected between 0 and 120%0A…
//
// rulesPath is the rule file as the workflow's checkout names it
// (relative to the repository root); when it is empty, file and line are
// left out. The message is the headline, then the details (first failing
// rows and groups) on further lines. Passing and not-evaluated checks get
// no command. Values are escaped as GitHub's toolkit does: % \r \n in the
// message, and also : and , in properties, so data cannot end a command or
// start another.
//
// The command layer prints these when GITHUB_ACTIONS=true (to stdout with the text format, to stderr with the others, so that a JSON, JUnit or Markdown document stays whole), in
// addition to the chosen format.
func WriteGitHubAnnotations(w io.Writer, run *Run, rulesPath string) error {
	if run == nil {
		return errNilRun
	}
	var b strings.Builder
	for _, r := range withoutNil(run.Results) {
		var cmd string
		switch statusOf(r) {
		case StatusFail:
			cmd = "error"
		case StatusWarn:
			cmd = "warning"
		default:
			continue
		}
		var props []string
		if rulesPath != "" {
			props = append(props, "file="+ghProperty(rulesPath))
			if r.Line > 0 {
				props = append(props, "line="+strconv.Itoa(r.Line))
			}
		}
		props = append(props, "title="+ghProperty("assay check: "+safeLine(r.Name)))
		msg := append([]string{headline(r)}, detailLines(r, 3, 3)...)
		b.WriteString("::" + cmd + " " + strings.Join(props, ",") + "::" + ghData(strings.Join(msg, "\n")) + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// ghData escapes a workflow command's message (toolkit escapeData).
func ghData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// ghProperty escapes a workflow command's property value (toolkit
// escapeProperty).
func ghProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
