package checks

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/assayhq/assay/report"
)

// Limits of the HTML report, which must stay a file a browser opens
// quickly whatever the run holds.
const (
	htmlMaxGroups = 100 // failing groups listed in a card's table
	htmlMaxBars   = 20  // groups in a card's chart, most unexpected first
)

// Page lays out run as an HTML report (render it with report.Render or
// report.WriteFile). The summary comes first: the verdict, the counts, a
// chart of unexpected rows by check when any check has some, and a table
// of every check coloured by status, each linking to its card. Then a card
// per check, in rule-file order: what was expected against what was
// observed, the counts, duplicates, the failing rows kept (row numbers and
// values), failing groups with a chart of their unexpected rows, and for a
// row-level check that did not pass, a chart of its null and unexpected
// rows against the rows checked.
func Page(run *Run) report.Page {
	if run == nil {
		return report.Page{Title: "assay check", Sections: []report.Section{{Title: "Summary", Blocks: []report.Block{
			&report.Note{Level: report.LevelError, Text: "No check run."},
		}}}}
	}
	results := withoutNil(run.Results)
	c := countStatuses(results)
	page := report.Page{
		Title:    "Checks on " + run.Source,
		Subtitle: fmt.Sprintf("%s · %s · %s", run.Source, countOf(run.Rows, "row", "rows"), countOf(int64(c.Checks), "check", "checks")),
	}
	meta := func(k, v string) {
		if v != "" {
			page.Meta = append(page.Meta, report.KV{Key: k, Value: v})
		}
	}
	if !run.Time.IsZero() {
		meta("Run", run.Time.UTC().Format(time.RFC3339))
	}
	meta("Source", run.Source)
	if run.Dataset != "" && run.DataVer > 0 {
		meta("Dataset", run.Dataset+" version "+strconv.Itoa(run.DataVer))
	} else {
		meta("Dataset", run.Dataset)
	}
	meta("Rules", run.Rules)
	if run.Elapsed > 0 {
		meta("Elapsed", formatSeconds(run.Elapsed))
	}

	verdict := &report.Note{Level: report.LevelOK, Text: summaryLine(c) + ".\n" + verdictLine(run, c) + "."}
	switch {
	case !run.Success:
		verdict.Level = report.LevelError
	case c.Warned > 0:
		verdict.Level = report.LevelWarn
	}
	stats := &report.Stats{Items: []report.KV{
		{Key: "Checks", Value: report.FormatInt(int64(c.Checks))},
		{Key: "Passed", Value: report.FormatInt(int64(c.Passed))},
		{Key: "Failed", Value: report.FormatInt(int64(c.Failed))},
		{Key: "Warnings", Value: report.FormatInt(int64(c.Warned))},
		{Key: "Not evaluated", Value: report.FormatInt(int64(c.NotEvaluated))},
		{Key: "Rows", Value: report.FormatInt(run.Rows)},
	}}
	table := &report.Table{
		Columns: []string{"Status", "Check", "Column", "Unexpected", "Observed", "Expected"},
		Numeric: []bool{false, false, false, true, true, false},
		Filter:  len(results) > 12,
	}
	bars := &report.Bars{Title: "Unexpected rows by check", Format: func(x float64) string { return report.FormatInt(int64(x)) }}
	var cards []report.Card
	for i, r := range results {
		id := cardID(i)
		st := statusOf(r)
		table.Rows = append(table.Rows, []report.Cell{
			{Text: statusWord(st), Level: statusLevel(st)},
			{Text: r.Name, Link: "#" + id},
			{Text: columnText(r)},
			{Text: unexpectedShort(r)},
			{Text: clip(safeLine(valueText(r.ObservedValue)), 40)},
			{Text: r.Expected},
		})
		if rowLevel(r) && r.UnexpectedCount > 0 {
			bars.Labels = append(bars.Labels, r.Name)
			bars.Values = append(bars.Values, float64(r.UnexpectedCount))
		}
		cards = append(cards, checkCard(r, id, run.Rules))
	}
	summary := []report.Block{verdict, stats}
	if len(bars.Values) > 0 {
		summary = append(summary, bars)
	}
	summary = append(summary, table)
	page.Sections = []report.Section{
		{ID: "summary", Title: "Summary", Blocks: summary},
		{ID: "checks", Title: "Checks", Intro: "One card per check, in the order of the rule file. Row numbers count from 0.",
			Blocks: []report.Block{&report.Grid{Cards: cards}}},
	}
	safePage(&page)
	return page
}

// safePage passes every text of the page through safeText. The report
// package escapes HTML and drops control characters; this shows them as
// escapes instead (a stray "\r" can be why a value failed) and keeps
// bidirectional overrides in data from reordering the text around them.
func safePage(p *report.Page) {
	p.Title, p.Subtitle = safeText(p.Title), safeText(p.Subtitle)
	for i := range p.Meta {
		p.Meta[i].Value = safeText(p.Meta[i].Value)
	}
	for i := range p.Sections {
		s := &p.Sections[i]
		s.Title, s.Intro = safeText(s.Title), safeText(s.Intro)
		safeBlocks(s.Blocks)
	}
}

func safeBlocks(blocks []report.Block) {
	for _, b := range blocks {
		switch b := b.(type) {
		case *report.Table:
			b.Caption = safeText(b.Caption)
			for i := range b.Columns {
				b.Columns[i] = safeText(b.Columns[i])
			}
			for _, row := range b.Rows {
				for j := range row {
					row[j].Text = safeText(row[j].Text)
				}
			}
		case *report.Bars:
			b.Title = safeText(b.Title)
			for i := range b.Labels {
				b.Labels[i] = safeText(b.Labels[i])
			}
		case *report.Stats:
			b.Title = safeText(b.Title)
			for i := range b.Items {
				b.Items[i].Value = safeText(b.Items[i].Value)
			}
		case *report.Note:
			b.Text = safeText(b.Text)
		case *report.Grid:
			for i := range b.Cards {
				b.Cards[i].Title = safeText(b.Cards[i].Title)
				safeBlocks(b.Cards[i].Blocks)
			}
		}
	}
}

// cardID is the element ID of the i-th check's card: by position, since
// check names need not be unique.
func cardID(i int) string { return "check-" + strconv.Itoa(i+1) }

func statusLevel(st Status) report.Level {
	switch st {
	case StatusPass:
		return report.LevelOK
	case StatusFail:
		return report.LevelError
	case StatusWarn:
		return report.LevelWarn
	}
	return report.LevelInfo
}

// checkCard is the card of one check.
func checkCard(r *Result, id, rules string) report.Card {
	st := statusOf(r)
	card := report.Card{ID: id, Title: statusWord(st) + " · " + r.Name, Level: statusLevel(st)}
	if r.Message != "" || st == StatusNotEvaluated {
		text := r.Message
		if st == StatusNotEvaluated {
			text = headline(r)
		}
		card.Blocks = append(card.Blocks, &report.Note{Level: statusLevel(st), Text: text})
	}

	items := []report.KV{{Key: "Expected", Value: orDash(r.Expected)}}
	if r.ObservedValue != nil {
		items = append(items, report.KV{Key: "Observed", Value: safeLine(valueText(r.ObservedValue))})
	}
	items = append(items,
		report.KV{Key: "Kind", Value: string(r.Kind)},
		report.KV{Key: "Severity", Value: string(r.Severity)})
	if col := columnText(r); col != "" {
		items = append(items, report.KV{Key: "Column", Value: col})
	}
	if loc := ruleLocation(r, rules); loc != "" {
		items = append(items, report.KV{Key: "Rule", Value: loc})
	}
	if rowLevel(r) || r.ElementCount > 0 {
		items = append(items, report.KV{Key: "Rows checked", Value: report.FormatInt(r.ElementCount)})
	}
	if rowLevel(r) || r.MissingCount > 0 {
		items = append(items, report.KV{Key: "Nulls", Value: report.FormatInt(r.MissingCount) + " (" + formatPercent(r.MissingPercent) + ")"})
	}
	if rowLevel(r) {
		items = append(items,
			report.KV{Key: "Unexpected", Value: report.FormatInt(r.UnexpectedCount) + " (" + formatPercent(r.UnexpectedPercent) + ")"},
			report.KV{Key: "Of all rows", Value: formatPercent(r.UnexpectedPercentTotal)})
		if r.Kind != KindNotNull { // its unexpected rows are the nulls
			items = append(items, report.KV{Key: "Of non-null rows", Value: formatPercent(r.UnexpectedPercentNonmissing)})
		}
	}
	if r.FailingGroups > 0 || len(r.Groups) > 0 {
		items = append(items, report.KV{Key: "Failing groups", Value: report.FormatInt(int64(max(r.FailingGroups, len(withoutNil(r.Groups)))))})
	}
	card.Blocks = append(card.Blocks, &report.Stats{Items: items})

	// Unexpected and null rows against the rows checked. (Not "expected
	// rows": whether nulls are among the unexpected ones depends on the
	// check's null policy, which the result does not carry.)
	if rowLevel(r) && st != StatusPass && r.ElementCount > 0 {
		card.Blocks = append(card.Blocks, &report.Bars{
			Title:  "Rows",
			Labels: []string{"Checked", "Null", "Unexpected"},
			Values: []float64{float64(r.ElementCount), float64(r.MissingCount), float64(r.UnexpectedCount)},
			Max:    float64(r.ElementCount),
			Format: func(x float64) string { return report.FormatInt(int64(x)) },
		})
	}

	if d := r.Duplicates; d != nil {
		card.Blocks = append(card.Blocks, &report.Stats{Title: "Duplicates", Items: []report.KV{
			{Key: "Repeated values", Value: report.FormatInt(d.Groups)},
			{Key: "Duplicate rows", Value: report.FormatInt(d.Rows)},
			{Key: "Extra rows", Value: report.FormatInt(d.ExtraRows)},
		}})
	}

	if len(r.Samples) > 0 {
		card.Blocks = append(card.Blocks, samplesTable(r.Samples, r, upperFirst(samplesHeading(r, len(r.Samples)))))
	}

	if groups := withoutNil(r.Groups); len(groups) > 0 {
		card.Blocks = append(card.Blocks, groupsTable(groups, r))
		if chart := groupBars(groups); chart != nil {
			card.Blocks = append(card.Blocks, chart)
		}
	}
	return card
}

// samplesTable lists failing rows: the row number, then the values.
func samplesTable(samples []Sample, r *Result, caption string) *report.Table {
	cols := sampleColumns(samples, r)
	t := &report.Table{
		Caption: caption,
		Columns: append([]string{"Row"}, cols...),
		Numeric: []bool{true},
	}
	for _, s := range samples {
		row := []report.Cell{{Text: strconv.FormatInt(s.Row, 10)}}
		for _, c := range cols {
			row = append(row, valueCell(s.Values[c]))
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// valueCell shows a value as text: null is marked (info level), the
// strings "" and "null" are quoted so that they are told apart from it, and
// control characters are shown as escapes (a stray "\r" is a common reason
// a value fails a rule, and the page would otherwise drop it).
func valueCell(v *string) report.Cell {
	switch {
	case v == nil:
		return report.Cell{Text: "null", Level: report.LevelInfo}
	case *v == "" || *v == "null":
		return report.Cell{Text: strconv.Quote(*v)}
	}
	return report.Cell{Text: safeLine(*v)}
}

// groupsTable lists failing groups: their key ("region=north,
// segment=a"), their rows, unexpected rows and, when any group has one,
// observed value.
func groupsTable(groups []*GroupResult, r *Result) *report.Table {
	observed := false
	for _, g := range groups {
		observed = observed || g.ObservedValue != nil
	}
	t := &report.Table{
		Caption: upperFirst(groupsHeading(r, htmlMaxGroups)),
		Columns: []string{"Group", "Rows", "Unexpected"},
		Numeric: []bool{false, true, true, true},
		Filter:  len(groups) > 12,
	}
	if observed {
		t.Columns = append(t.Columns, "Observed")
	}
	for _, g := range groups[:min(len(groups), htmlMaxGroups)] {
		row := []report.Cell{
			{Text: groupText(g)},
			{Text: report.FormatInt(g.ElementCount)},
			{Text: report.FormatInt(g.UnexpectedCount) + " (" + formatPercent(g.UnexpectedPercent) + ")", Level: report.LevelError},
		}
		if observed {
			row = append(row, report.Cell{Text: clip(safeLine(valueText(g.ObservedValue)), 40)})
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// groupBars charts unexpected rows per failing group, most first, when
// there are at least two groups with unexpected rows to compare.
func groupBars(groups []*GroupResult) *report.Bars {
	var withRows []*GroupResult
	for _, g := range groups {
		if g.UnexpectedCount > 0 {
			withRows = append(withRows, g)
		}
	}
	if len(withRows) < 2 {
		return nil
	}
	slices.SortStableFunc(withRows, func(a, b *GroupResult) int { return cmp.Compare(b.UnexpectedCount, a.UnexpectedCount) })
	title := "Unexpected rows by group"
	if len(withRows) > htmlMaxBars {
		title = fmt.Sprintf("Unexpected rows: the %d groups with most", htmlMaxBars)
		withRows = withRows[:htmlMaxBars]
	}
	b := &report.Bars{Title: title, Format: func(x float64) string { return report.FormatInt(int64(x)) }}
	for _, g := range withRows {
		b.Labels = append(b.Labels, groupText(g))
		b.Values = append(b.Values, float64(g.UnexpectedCount))
	}
	return b
}
