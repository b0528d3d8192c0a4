package report_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/assayhq/assay/report"
	"github.com/assayhq/assay/report/reporttest"
)

// TestPageInBrowser renders a page with every kind of block and loads it in
// headless Chromium: no network request, no console message, text shown.
func TestPageInBrowser(t *testing.T) {
	page := report.Page{
		Title:    "Browser check",
		Subtitle: "every block <type>",
		Meta:     []report.KV{{Key: "Source", Value: "test"}},
		Sections: []report.Section{{
			ID: "s", Title: "Section", Intro: "Intro text",
			Blocks: []report.Block{
				&report.Table{Columns: []string{"a", "b"}, Numeric: []bool{false, true}, Filter: true,
					Rows: [][]report.Cell{{{Text: "x", Link: "#card"}, {Text: "1", Level: report.LevelWarn}}}},
				&report.Histogram{Title: "h", Edges: []float64{0, 1, 2}, Counts: []float64{3, 4}},
				&report.Bars{Title: "b", Labels: []string{"one", "two"}, Values: []float64{2, 1}},
				&report.Comparison{Title: "c", Edges: []float64{0, 1, 2}, Ref: []float64{3, 4}, Cur: []float64{5, 1}},
				&report.Comparison{Title: "k", Labels: []string{"x", "y"}, Ref: []float64{3, 4}, Cur: []float64{5, 1}},
				&report.Line{Title: "l", Series: []report.Series{{Y: []float64{1, 3, 2}}},
					Markers: []report.Marker{{X: 1, Label: "a marker", Level: report.LevelWarn}},
					HLines:  []report.HLine{{Y: 2.5, Label: "a threshold"}}},
				&report.Stats{Items: []report.KV{{Key: "k", Value: "v"}}},
				&report.Note{Level: report.LevelError, Text: "a note"},
				&report.Grid{Cards: []report.Card{{ID: "card", Title: "Card", Blocks: []report.Block{&report.Note{Text: "in a card"}}}}},
			},
		}},
	}
	path := filepath.Join(t.TempDir(), "page.html")
	if err := report.WriteFile(path, page); err != nil {
		t.Fatal(err)
	}
	res := reporttest.Check(t, path)
	if res.Title != "Browser check" {
		t.Errorf("title = %q, want %q", res.Title, "Browser check")
	}
	for _, want := range []string{"every block <type>", "a note", "in a card", "a marker", "a threshold", "reference (7)"} {
		if !strings.Contains(res.Text, want) {
			t.Errorf("page text lacks %q", want)
		}
	}
}
