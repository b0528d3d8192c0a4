package drift

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/assayhq/assay/report"
)

// Page lays a report out as an HTML page (render it with report.Render or
// report.WriteFile): the verdict and a table of every column, then a card
// per column with its test, what moved in words, and both distributions
// on the reference's bins; then whole-row drift and concept drift (target
// and prediction, P(target | feature), performance, and each error-stream
// detector's error rate with its warnings and alarms marked).
func Page(r *Report) report.Page {
	page := report.Page{
		Title: "Drift of " + r.Current + " against " + r.Reference,
		Subtitle: fmt.Sprintf("%s vs %s rows · %s of %s columns drifted", report.FormatInt(r.CurRows), report.FormatInt(r.RefRows),
			report.FormatInt(int64(r.DriftedCount)), report.FormatInt(int64(r.ColumnCount))),
		Meta: []report.KV{
			{Key: "Run", Value: r.Time.UTC().Format(time.RFC3339)},
			{Key: "Reference", Value: r.Reference},
			{Key: "Current", Value: r.Current},
			{Key: "Method", Value: r.Method + ", correction " + r.Correction},
		},
	}
	if r.ReferenceNote != "" {
		page.Meta = append(page.Meta, report.KV{Key: "Reference side", Value: r.ReferenceNote})
	}
	page.Sections = append(page.Sections, summarySection(r), columnsSection(r))
	if m := r.Multivariate; m != nil {
		page.Sections = append(page.Sections, multivariateSection(m))
	}
	if c := r.Concept; c != nil {
		page.Sections = append(page.Sections, conceptSection(c))
	}
	return page
}

func summarySection(r *Report) report.Section {
	verdict := &report.Note{Level: report.LevelOK, Text: fmt.Sprintf("No dataset drift: %s of %s columns drifted (%s; dataset drift at %s or more).",
		report.FormatInt(int64(r.DriftedCount)), report.FormatInt(int64(r.ColumnCount)), report.FormatPercent(r.DriftedShare), report.FormatPercent(r.Threshold))}
	if r.Drifted {
		verdict.Level = report.LevelError
		verdict.Text = "Dataset drift" + strings.TrimPrefix(verdict.Text, "No dataset drift")
	}
	stats := &report.Stats{Items: []report.KV{
		{Key: "Reference rows", Value: report.FormatInt(r.RefRows)},
		{Key: "Current rows", Value: report.FormatInt(r.CurRows)},
		{Key: "Columns", Value: report.FormatInt(int64(r.ColumnCount))},
		{Key: "Drifted", Value: report.FormatInt(int64(r.DriftedCount))},
		{Key: "Elapsed", Value: fmt.Sprintf("%.2f s", r.Elapsed)},
	}}
	t := &report.Table{
		Columns: []string{"Column", "Type", "Test", "Statistic", "p-value", "Threshold", "Missing", "Verdict"},
		Numeric: []bool{false, false, false, true, true, true, false, false},
		Filter:  len(r.Columns) > 12,
	}
	for _, c := range r.Columns {
		t.Rows = append(t.Rows, []report.Cell{
			{Text: c.Column, Link: "#" + columnID(c.Column)},
			{Text: c.Type}, {Text: c.Test},
			{Text: fmtF(c.Statistic)}, {Text: fmtP(c)}, {Text: fmtF(c.Threshold)},
			{Text: missingText(c)},
			verdictCell(c),
		})
	}
	blocks := []report.Block{verdict, stats, t}
	if r.Sampled {
		blocks = append(blocks, &report.Note{Text: fmt.Sprintf("A side had more than %s rows: tests ran on a uniform sample of its rows; category and missing counts are exact.", report.FormatInt(DefaultSampleCap))})
	}
	return report.Section{ID: "summary", Title: "Summary", Blocks: blocks}
}

func columnsSection(r *Report) report.Section {
	grid := &report.Grid{}
	for _, c := range r.Columns {
		grid.Cards = append(grid.Cards, columnCard(c, c.Column, r.Reference, r.Current))
	}
	return report.Section{ID: "columns", Title: "Columns", Intro: "Each column's test and both distributions on the reference's bins; the bins that moved most are highlighted.", Blocks: []report.Block{grid}}
}

// columnCard is one column's card: facts, what moved, the distributions.
func columnCard(c *ColumnResult, title, refName, curName string) report.Card {
	card := report.Card{ID: columnID(c.Column), Title: title, Level: report.LevelOK}
	if c.Drifted {
		card.Level = report.LevelError
	}
	items := []report.KV{
		{Key: "Test", Value: c.Test},
		{Key: "Statistic", Value: fmtF(c.Statistic)},
	}
	if c.PValue != nil {
		items = append(items, report.KV{Key: "p-value", Value: fmtP(c)})
		if c.LogPValue != nil {
			items = append(items, report.KV{Key: "ln p", Value: fmtF(*c.LogPValue)})
		}
	}
	items = append(items,
		report.KV{Key: "Threshold", Value: fmtF(c.Threshold)},
		report.KV{Key: "Values", Value: report.FormatInt(c.RefCount) + " → " + report.FormatInt(c.CurCount)},
		report.KV{Key: "Missing", Value: missingText(c)},
	)
	card.Blocks = append(card.Blocks, &report.Stats{Items: items})
	if e := explanation(c); e != "" {
		lvl := report.LevelInfo
		if c.Drifted {
			lvl = report.LevelWarn
		}
		card.Blocks = append(card.Blocks, &report.Note{Level: lvl, Text: e})
	}
	if len(c.Notes) > 0 {
		card.Blocks = append(card.Blocks, &report.Note{Text: strings.Join(c.Notes, ".\n") + "."})
	}
	if b := c.Bins; b != nil {
		cmp := &report.Comparison{Ref: floats64(b.Ref), Cur: floats64(b.Cur), RefName: refName, CurName: curName, Highlight: movedBins(c)}
		if b.Labels != nil {
			cmp.Labels = b.Labels
		} else {
			cmp.XLabel = c.Column
			for _, e := range b.Edges {
				cmp.Edges = append(cmp.Edges, float64(e))
			}
			cmp.Edges, cmp.Ref, cmp.Cur = trimOpenBins(cmp.Edges, cmp.Ref, cmp.Cur)
		}
		card.Blocks = append(card.Blocks, cmp)
	}
	return card
}

// trimOpenBins drops the open bins at either end when neither side has a
// value there, so the chart shows only the reference's range.
func trimOpenBins(edges, ref, cur []float64) ([]float64, []float64, []float64) {
	if n := len(ref); n > 2 && ref[n-1] == 0 && cur[n-1] == 0 {
		edges, ref, cur = edges[:len(edges)-1], ref[:n-1], cur[:n-1]
	}
	if len(ref) > 2 && ref[0] == 0 && cur[0] == 0 {
		edges, ref, cur = edges[1:], ref[1:], cur[1:]
	}
	return edges, ref, cur
}

// movedBins returns the indexes of the bins named in c.Moved.
func movedBins(c *ColumnResult) []int {
	var out []int
	for i := range c.Bins.Ref {
		if slices.ContainsFunc(c.Moved, func(m Move) bool { return m.Label == binLabel(c.Bins, i) }) {
			out = append(out, i)
		}
	}
	return out
}

func multivariateSection(m *Multivariate) report.Section {
	s := report.Section{ID: "multivariate", Title: "Whole-row drift"}
	note := &report.Note{Level: report.LevelOK}
	if m.Drifted {
		note.Level = report.LevelError
	}
	switch m.Method {
	case "classifier":
		s.Intro = "A classifier trained to tell reference rows from current rows; its ROC AUC on held-out rows is 0.5 when the sides cannot be told apart."
		note.Text = fmt.Sprintf("Held-out ROC AUC %s (drift at %s or more): %s.", fmtF(*m.AUC), fmtF(m.Threshold), verdictWord(m.Drifted))
		bars := &report.Bars{Title: "Features that separate the sides most"}
		for _, f := range m.Features {
			bars.Labels = append(bars.Labels, f.Name)
			bars.Values = append(bars.Values, f.Importance)
		}
		s.Blocks = []report.Block{note, bars}
	case "pca":
		s.Intro = "Current rows projected on the reference's principal components: the mean reconstruction error against the band of the reference's own."
		note.Text = fmt.Sprintf("Reconstruction error %s; reference %s, band [%s, %s]: %s.", fmtF(*m.Error), fmtF(*m.RefError), fmtF(*m.Lower), fmtF(*m.Upper), verdictWord(m.Drifted))
		s.Blocks = []report.Block{note}
	}
	return s
}

func conceptSection(c *Concept) report.Section {
	s := report.Section{ID: "concept", Title: "Concept drift"}
	var cards []report.Card
	if c.TargetDrift != nil {
		cards = append(cards, columnCard(c.TargetDrift, "Target: "+c.Target, "reference", "current"))
	}
	if c.PredDrift != nil {
		cards = append(cards, columnCard(c.PredDrift, "Prediction: "+c.Prediction, "reference", "current"))
	}
	if len(cards) > 0 {
		s.Blocks = append(s.Blocks, &report.Grid{Cards: cards})
	}
	if len(c.Conditional) > 0 {
		t := &report.Table{Caption: "P(" + c.Target + " | feature): bins where the target's rate moved",
			Columns: []string{"Feature", "Bin", "Reference rate", "Current rate", "Reference rows", "Current rows", "p-value"},
			Numeric: []bool{false, false, true, true, true, true, true}}
		for _, cd := range c.Conditional {
			t.Rows = append(t.Rows, []report.Cell{{Text: cd.Feature}, {Text: cd.Bin},
				{Text: fmtF(Float(cd.RefRate))}, {Text: fmtF(Float(cd.CurRate)), Level: report.LevelError},
				{Text: report.FormatInt(cd.RefN)}, {Text: report.FormatInt(cd.CurN)}, {Text: pText(cd.PValue, cd.LogPValue)}})
		}
		s.Blocks = append(s.Blocks, t)
	}
	if p := c.Performance; p != nil {
		t := &report.Table{Caption: "Model performance (" + p.Task + ")", Columns: []string{"Metric", "Reference", "Current"}, Numeric: []bool{false, true, true}}
		for _, k := range []string{"accuracy", "f1", "roc_auc", "rmse", "mae"} {
			if v, ok := p.Ref[k]; ok {
				t.Rows = append(t.Rows, []report.Cell{{Text: k}, {Text: fmtF(v)}, {Text: fmtF(p.Cur[k])}})
			}
		}
		lvl := report.LevelOK
		if p.Drifted {
			lvl = report.LevelError
		}
		s.Blocks = append(s.Blocks, t, &report.Note{Level: lvl, Text: "Performance: " + verdictWord(p.Drifted) + fmt.Sprintf(" (drift is a relative drop of %.0f%% or more in accuracy, F1 or ROC AUC, or a rise in RMSE).", 100*performanceDrop)})
	}
	for _, d := range c.Detectors {
		s.Blocks = append(s.Blocks, detectorChart(d))
	}
	for _, n := range c.Notes {
		s.Blocks = append(s.Blocks, &report.Note{Level: report.LevelWarn, Text: n})
	}
	return s
}

// detectorChart draws the error rate with the detector's events.
func detectorChart(d Detector) report.Block {
	l := &report.Line{
		Title:  fmt.Sprintf("%s over the current rows (%s)", d.Name, d.Params),
		X:      d.X,
		Series: []report.Series{{Name: "error rate, last 200 rows", Y: d.Series}},
		XTime:  d.XTime,
		XLabel: "row", YLabel: "error",
	}
	if d.XTime {
		l.XLabel = "time"
	}
	for _, e := range d.Events {
		m := report.Marker{X: e.x, Label: e.Kind, Level: report.LevelWarn}
		if e.Kind == "drift" {
			m.Level = report.LevelError
		}
		l.Markers = append(l.Markers, m)
	}
	return l
}

func columnID(name string) string { return "col-" + report.Anchor(name) }

func missingText(c *ColumnResult) string {
	if c.MissingRef == c.MissingCur {
		return report.FormatPercent(c.MissingRef)
	}
	return report.FormatPercent(c.MissingRef) + " → " + report.FormatPercent(c.MissingCur)
}

func verdictCell(c *ColumnResult) report.Cell {
	switch {
	case c.MissingDrift && !c.TestDrifted:
		return report.Cell{Text: "drift (missing share)", Level: report.LevelError}
	case c.Drifted:
		return report.Cell{Text: "drift", Level: report.LevelError}
	case math.IsNaN(float64(c.Statistic)):
		return report.Cell{Text: "not tested", Level: report.LevelWarn}
	}
	return report.Cell{Text: "ok", Level: report.LevelOK}
}

func verdictWord(drifted bool) string {
	if drifted {
		return "drift"
	}
	return "no drift"
}
