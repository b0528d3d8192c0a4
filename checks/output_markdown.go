package checks

import (
	"fmt"
	"html"
	"io"
	"strconv"
	"strings"

	"github.com/assayhq/assay/report"
)

// markdownBudget bounds the Markdown document in bytes: GitHub refuses
// comments over 65,536 characters. Details that do not fit are left out,
// with a line saying how many.
const markdownBudget = 60000

// WriteMarkdown writes run as GitHub-flavoured Markdown for a pull-request
// comment: a title line with ✅ or ❌, the counts, a table of every check
// (status, check, column, unexpected, observed), then a collapsible
// <details> block per check that failed, warned or was not evaluated, with
// expected against observed, the first failing rows and failing groups.
//
// Data never becomes markup: values and column names are code spans (so
// they cannot mention users, link or format), with pipes escaped inside
// tables; other text has Markdown punctuation backslash-escaped; control
// characters are shown as escapes.
func WriteMarkdown(w io.Writer, run *Run) error {
	if run == nil {
		return errNilRun
	}
	results := withoutNil(run.Results)
	c := countStatuses(results)
	var b strings.Builder

	icon, verdict := "✅", "passed"
	if !run.Success {
		icon, verdict = "❌", "failed"
	}
	fmt.Fprintf(&b, "### %s assay check %s on %s\n\n", icon, verdict, mdCode(run.Source, false))
	facts := []string{mdText(summaryLine(c)), mdText(countOf(run.Rows, "row", "rows"))}
	if run.Rules != "" {
		facts = append(facts, "rules "+mdCode(run.Rules, false))
	}
	if run.Elapsed > 0 {
		facts = append(facts, formatSeconds(run.Elapsed))
	}
	b.WriteString(strings.Join(facts, " · ") + "\n\n")
	if !run.Success {
		b.WriteString(mdText(verdictLine(run, c)) + "\n\n")
	} else if c.Warned > 0 {
		b.WriteString(mdText(verdictLine(run, c)) + "\n\n")
	}

	if len(results) > 0 {
		b.WriteString("| Status | Check | Column | Unexpected | Observed |\n")
		b.WriteString("| --- | --- | --- | ---: | ---: |\n")
		for _, r := range results {
			st := statusOf(r)
			col := "–"
			if r.Column != "" {
				col = mdCode(r.Column, true)
			} else if len(r.Columns) > 0 {
				parts := make([]string, len(r.Columns))
				for i, c := range r.Columns {
					parts[i] = mdCode(c, true)
				}
				col = strings.Join(parts, ", ")
			}
			unexpected := "–"
			if s := unexpectedShort(r); s != "" {
				unexpected = mdCell(s)
			}
			observed := "–"
			if r.ObservedValue != nil {
				observed = mdCode(clip(valueText(r.ObservedValue), 40), true)
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", mdStatus(st), mdCell(r.Name), col, unexpected, observed)
		}
		b.WriteString("\n")
	}

	omitted := 0
	for _, r := range results {
		st := statusOf(r)
		if st == StatusPass {
			continue
		}
		block := markdownDetails(r, run.Rules)
		if b.Len()+len(block) > markdownBudget {
			omitted++
			continue
		}
		b.WriteString(block)
	}
	if omitted > 0 {
		fmt.Fprintf(&b, "_%s not shown here (the comment would be too long); see the JSON or HTML report._\n",
			countOf(int64(omitted), "more check detail is", "more check details are"))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// markdownDetails is the <details> block of a check that did not pass.
func markdownDetails(r *Result, rules string) string {
	var b strings.Builder
	st := statusOf(r)
	// Inside <summary> the text is HTML, not Markdown.
	fmt.Fprintf(&b, "<details>\n<summary>%s <b>%s</b>: %s</summary>\n\n", mdStatus(st),
		html.EscapeString(safeLine(r.Name)), html.EscapeString(headline(r)))

	item := func(key, value string) {
		if value != "" {
			fmt.Fprintf(&b, "- **%s:** %s\n", key, value)
		}
	}
	item("Check", mdText(checkPlace(r, rules)))
	item("Expected", mdText(safeLine(r.Expected)))
	if r.ObservedValue != nil {
		item("Observed", mdCode(valueText(r.ObservedValue), false))
	}
	if rowLevel(r) {
		item("Unexpected", mdText(unexpectedLong(r)))
	}
	if r.MissingCount > 0 {
		item("Nulls", mdText(fmt.Sprintf("%s (%s)", countOf(r.MissingCount, "row", "rows"), formatPercent(r.MissingPercent))))
	}
	item("Message", mdText(safeLine(r.Message)))
	if d := r.Duplicates; d != nil {
		item("Duplicates", mdText(duplicatesText(d)))
	}

	if len(r.Samples) > 0 {
		fmt.Fprintf(&b, "\n%s:\n\n", mdText(upperFirst(samplesHeading(r, defaultSamples))))
		cols := sampleColumns(r.Samples, r)
		b.WriteString("| Row |")
		for _, c := range cols {
			b.WriteString(" " + mdCode(c, true) + " |")
		}
		b.WriteString("\n| ---: |" + strings.Repeat(" --- |", len(cols)) + "\n")
		for _, s := range r.Samples[:min(len(r.Samples), defaultSamples)] {
			b.WriteString("| " + strconv.FormatInt(s.Row, 10) + " |")
			for _, c := range cols {
				b.WriteString(" " + mdValue(s.Values[c], true) + " |")
			}
			b.WriteString("\n")
		}
	}

	if groups := withoutNil(r.Groups); len(groups) > 0 {
		fmt.Fprintf(&b, "\n%s:\n\n", mdText(upperFirst(groupsHeading(r, defaultGroups))))
		b.WriteString("| Group | Rows | Unexpected | Observed |\n| --- | ---: | ---: | ---: |\n")
		for _, g := range groups[:min(len(groups), defaultGroups)] {
			var parts []string
			for _, k := range sortedNames(g.Group) {
				parts = append(parts, mdCode(k, true)+" = "+mdValue(g.Group[k], true))
			}
			key := strings.Join(parts, ", ")
			if key == "" {
				key = "(all rows)"
			}
			observed := "–"
			if g.ObservedValue != nil {
				observed = mdCode(clip(valueText(g.ObservedValue), 40), true)
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", key, report.FormatInt(g.ElementCount),
				mdCell(report.FormatInt(g.UnexpectedCount)+" ("+formatPercent(g.UnexpectedPercent)+")"), observed)
		}
	}
	b.WriteString("\n</details>\n\n")
	return b.String()
}

func mdStatus(st Status) string {
	switch st {
	case StatusPass:
		return "✅ pass"
	case StatusFail:
		return "❌ fail"
	case StatusWarn:
		return "⚠️ warn"
	}
	return "⏭️ not evaluated"
}

// mdValue renders a sample or group value: null in italics, anything else
// as a code span.
func mdValue(v *string, inTable bool) string {
	if v == nil {
		return "_null_"
	}
	return mdCode(cellText(v), inTable)
}

// mdCode makes s a code span, whatever it holds: it is put on one line, the
// fence is one backtick longer than the longest run of backticks inside,
// and a space pads content that starts or ends with a backtick or space.
// In a table, pipes are escaped (GFM splits cells on them even inside code
// spans, and shows "\|" there as "|").
func mdCode(s string, inTable bool) string {
	s = safeLine(s)
	if s == "" {
		s = `""`
	}
	longest, run := 0, 0
	for _, r := range s {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", longest+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") || strings.HasPrefix(s, " ") || strings.HasSuffix(s, " ") {
		s = " " + s + " "
	}
	if inTable {
		s = strings.ReplaceAll(s, "|", `\|`)
	}
	return fence + s + fence
}

// mdText escapes plain text for Markdown: ASCII punctuation that could
// start markup is backslash-escaped, and control characters are shown as
// escapes.
func mdText(s string) string {
	s = safeLine(s)
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune("\\`*_[]<>|~&#!", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// mdCell is mdText for a table cell (pipes are escaped by mdText already).
func mdCell(s string) string { return mdText(s) }

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
