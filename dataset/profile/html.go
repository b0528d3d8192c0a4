package profile

import (
	"fmt"
	"strings"
	"time"

	"github.com/assayhq/assay/report"
)

// Page lays out a profile as a report: a summary table of every
// column, then a card per column with its figures and charts. how says
// where the profile came from, such as "scanned in 1.2s".
func Page(label string, s Summary, how string) report.Page {
	page := report.Page{
		Title:    "Profile of " + label,
		Subtitle: fmt.Sprintf("%s · %s rows · %d columns", label, report.FormatInt(s.Rows), len(s.Columns)),
		Meta: []report.KV{
			{Key: "Generated", Value: time.Now().UTC().Format(time.RFC3339)},
			{Key: "Source", Value: label},
			{Key: "Profile", Value: how},
		},
	}
	summary := &report.Table{
		Columns: []string{"Column", "Type", "Nulls", "Distinct", "Min", "Max", "Mean", "Std", "Median"},
		Numeric: []bool{false, false, true, true, true, true, true, true, true},
		Filter:  len(s.Columns) > 12,
	}
	var cards []report.Card
	for _, c := range s.Columns {
		anchor := "#" + report.Anchor("col-"+c.Name)
		nulls := report.Cell{Text: report.FormatPercent(fraction(c.Nulls, c.Count))}
		if c.Nulls > 0 {
			nulls.Level = report.LevelWarn
		}
		distinct := report.FormatInt(c.Distinct)
		if !c.DistinctExact {
			distinct = "≈ " + distinct
		}
		median := "-"
		if c.Quantiles != nil {
			median = formatAs(c.Type, float64(c.Quantiles.P50))
		}
		summary.Rows = append(summary.Rows, []report.Cell{
			{Text: c.Name, Link: anchor}, {Text: c.Type}, nulls, {Text: distinct},
			{Text: orDash(c.MinValue)}, {Text: orDash(c.MaxValue)},
			{Text: fnumAs(c.Type, c.Mean)}, {Text: fnum(c.Std)}, {Text: median},
		})
		cards = append(cards, columnCard(c))
	}
	page.Sections = []report.Section{
		{ID: "summary", Title: "Columns", Blocks: []report.Block{summary}},
		{ID: "details", Title: "Column details", Intro: sketchNote(s), Blocks: []report.Block{&report.Grid{Cards: cards}}},
	}
	return page
}

func sketchNote(s Summary) string {
	for _, c := range s.Columns {
		if !c.DistinctExact || (c.Quantiles != nil && !c.QuantilesExact) {
			return "Figures marked ≈ come from sketches: distinct counts from HyperLogLog (about 0.8% error), " +
				"quantiles and histograms from a KLL sketch (rank error about 1%), top values from a Misra-Gries summary (counts are lower bounds)."
		}
	}
	return "All figures are exact."
}

func columnCard(c ColumnSummary) report.Card {
	card := report.Card{ID: report.Anchor("col-" + c.Name), Title: c.Name + " · " + c.Type}
	items := []report.KV{
		{Key: "Rows", Value: report.FormatInt(c.Count)},
		{Key: "Nulls", Value: fmt.Sprintf("%s (%s)", report.FormatInt(c.Nulls), report.FormatPercent(fraction(c.Nulls, c.Count)))},
		{Key: "Distinct", Value: approx(!c.DistinctExact) + report.FormatInt(c.Distinct)},
	}
	if c.NaN > 0 {
		items = append(items, report.KV{Key: "NaN", Value: report.FormatInt(c.NaN)})
	}
	if c.MinValue != "" || c.MaxValue != "" {
		items = append(items, report.KV{Key: "Min", Value: c.MinValue}, report.KV{Key: "Max", Value: c.MaxValue})
	}
	if c.Mean != nil {
		items = append(items, report.KV{Key: "Mean", Value: fnumAs(c.Type, c.Mean)})
	}
	if c.Std != nil {
		items = append(items, report.KV{Key: "Std", Value: fnum(c.Std)})
	}
	if q := c.Quantiles; q != nil {
		a := approx(!c.QuantilesExact)
		for _, p := range []struct {
			k string
			v Float
		}{{"p01", q.P01}, {"p05", q.P05}, {"p25", q.P25}, {"p50", q.P50}, {"p75", q.P75}, {"p95", q.P95}, {"p99", q.P99}} {
			items = append(items, report.KV{Key: p.k, Value: a + formatAs(c.Type, float64(p.v))})
		}
	}
	if l := c.Length; l != nil {
		items = append(items, report.KV{Key: "Length", Value: fmt.Sprintf("%d to %d, mean %s", l.Min, l.Max, report.FormatFloat(l.Mean))})
	}
	card.Blocks = append(card.Blocks, &report.Stats{Items: items})
	if h := c.Histogram; h != nil {
		hist := &report.Histogram{Title: "Histogram" + approxNote(!c.QuantilesExact), XLabel: c.Name}
		for _, e := range h.Edges {
			hist.Edges = append(hist.Edges, float64(e))
		}
		for _, n := range h.Counts {
			hist.Counts = append(hist.Counts, float64(n))
		}
		if isTemporal(c.Type) {
			typ := c.Type
			hist.Format = func(v float64) string { return formatAs(typ, v) }
		}
		card.Blocks = append(card.Blocks, hist)
	}
	if len(c.Top) > 0 && c.Top[0].Count == 1 {
		card.Blocks = append(card.Blocks, &report.Note{Level: report.LevelInfo, Text: "No value occurs twice."})
	} else if len(c.Top) > 0 {
		bars := &report.Bars{Title: "Most frequent values" + approxNote(!c.TopExact)}
		for _, t := range c.Top {
			bars.Labels = append(bars.Labels, t.Value)
			bars.Values = append(bars.Values, float64(t.Count))
		}
		card.Blocks = append(card.Blocks, bars)
	}
	return card
}

func approx(b bool) string {
	if b {
		return "≈ "
	}
	return ""
}

func approxNote(b bool) string {
	if b {
		return " (approximate)"
	}
	return ""
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func isTemporal(typ string) bool { return typ == "date" || strings.HasPrefix(typ, "timestamp") }

// formatAs renders a number of a column's type: dates and timestamps as
// text, other numbers in the report's style.
func formatAs(typ string, v float64) string {
	if isTemporal(typ) {
		return FormatValue(typ, v, int64(v))
	}
	return report.FormatFloat(v)
}

func fnumAs(typ string, f *Float) string {
	if f == nil {
		return "-"
	}
	return formatAs(typ, float64(*f))
}
