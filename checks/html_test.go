package checks

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/assayhq/assay/report"
	"github.com/assayhq/assay/report/reporttest"
)

// TestPageGolden keeps the page's content (not its HTML, which belongs to
// the report package) in a golden file: sections, blocks and cells.
func TestPageGolden(t *testing.T) {
	for name, mk := range map[string]func() *Run{"run": testRun, "passing": passingRun} {
		t.Run(name, func(t *testing.T) {
			golden(t, name+".page.txt", []byte(dumpPage(Page(mk()))))
		})
	}
}

func TestPageStructure(t *testing.T) {
	run := testRun()
	page := Page(run)
	if len(page.Sections) != 2 || page.Sections[0].ID != "summary" {
		t.Fatalf("sections %v, want the summary first, then the checks", sectionIDs(page))
	}
	var table *report.Table
	for _, b := range page.Sections[0].Blocks {
		if tb, ok := b.(*report.Table); ok {
			table = tb
		}
	}
	if table == nil || len(table.Rows) != len(run.Results) {
		t.Fatalf("summary table missing or not one row per check")
	}
	grid, ok := page.Sections[1].Blocks[0].(*report.Grid)
	if !ok || len(grid.Cards) != len(run.Results) {
		t.Fatalf("checks section is not one card per check")
	}
	levels := map[Status]report.Level{StatusPass: report.LevelOK, StatusFail: report.LevelError,
		StatusWarn: report.LevelWarn, StatusNotEvaluated: report.LevelInfo}
	for i, row := range table.Rows {
		r, card := run.Results[i], grid.Cards[i]
		if row[1].Link != "#"+card.ID {
			t.Errorf("row %d links to %q, card ID is %q", i, row[1].Link, card.ID)
		}
		if row[0].Level != levels[r.Status] || card.Level != levels[r.Status] {
			t.Errorf("%q: cell level %q, card level %q, want %q", r.Name, row[0].Level, card.Level, levels[r.Status])
		}
		if row[1].Text != r.Name {
			t.Errorf("row %d names %q, want %q", i, row[1].Text, r.Name)
		}
	}
	// The grouped check's card has its groups table and chart.
	card := grid.Cards[8]
	var groups *report.Table
	var bars *report.Bars
	for _, b := range card.Blocks {
		switch b := b.(type) {
		case *report.Table:
			if strings.Contains(b.Caption, "groups") {
				groups = b
			}
		case *report.Bars:
			if strings.Contains(b.Title, "group") {
				bars = b
			}
		}
	}
	if groups == nil || len(groups.Rows) != 2 || bars == nil || len(bars.Values) != 2 || bars.Values[0] != 8 {
		t.Errorf("grouped card: groups table %+v, bars %+v", groups, bars)
	}
}

func sectionIDs(p report.Page) []string {
	var ids []string
	for _, s := range p.Sections {
		ids = append(ids, s.ID)
	}
	return ids
}

// TestPageHTMLInBrowser renders the report and loads it in headless
// Chromium: no network request, no console message, and the hostile
// strings shown as text.
func TestPageHTMLInBrowser(t *testing.T) {
	path := filepath.Join(t.TempDir(), "checks.html")
	if err := report.WriteFile(path, Page(testRun())); err != nil {
		t.Fatal(err)
	}
	res := reporttest.Check(t, path)
	if res.Title != "Checks on churn@v3" {
		t.Errorf("title = %q", res.Title)
	}
	for _, want := range []string{"age in range", "<script>alert(1)</script>", "11 checks: 3 passed, 5 failed, 2 warnings, 1 not evaluated",
		"Duplicate rows", "Unexpected rows by group", "needs 1 earlier version", `50%\r\n::warning::next \x1b[31mred`} {
		if !strings.Contains(res.Text, want) {
			t.Errorf("page text lacks %q", want)
		}
	}
	if strings.Contains(res.Text, "\u202e") {
		t.Errorf("a bidirectional override from the data reached the page")
	}
}

func TestPageNilRun(t *testing.T) {
	var b strings.Builder
	if err := report.Render(&b, Page(nil)); err != nil {
		t.Fatal(err)
	}
}

// dumpPage writes a page's content as indented text.
func dumpPage(p report.Page) string {
	var b strings.Builder
	fmt.Fprintf(&b, "title: %q\nsubtitle: %q\n", p.Title, p.Subtitle)
	for _, kv := range p.Meta {
		fmt.Fprintf(&b, "meta %q: %q\n", kv.Key, kv.Value)
	}
	for _, s := range p.Sections {
		fmt.Fprintf(&b, "\nsection %q %q\n", s.ID, s.Title)
		if s.Intro != "" {
			fmt.Fprintf(&b, "  intro: %q\n", s.Intro)
		}
		dumpBlocks(&b, s.Blocks, "  ")
	}
	return b.String()
}

func dumpBlocks(b *strings.Builder, blocks []report.Block, indent string) {
	for _, blk := range blocks {
		switch blk := blk.(type) {
		case *report.Note:
			fmt.Fprintf(b, "%snote %s: %q\n", indent, blk.Level, blk.Text)
		case *report.Stats:
			fmt.Fprintf(b, "%sstats %q\n", indent, blk.Title)
			for _, kv := range blk.Items {
				fmt.Fprintf(b, "%s  %q: %q\n", indent, kv.Key, kv.Value)
			}
		case *report.Table:
			fmt.Fprintf(b, "%stable %q filter=%v\n%s  columns %q numeric %v\n", indent, blk.Caption, blk.Filter, indent, blk.Columns, blk.Numeric)
			for _, row := range blk.Rows {
				var cells []string
				for _, c := range row {
					s := fmt.Sprintf("%q", c.Text)
					if c.Link != "" {
						s += "→" + c.Link
					}
					if c.Level != "" {
						s += "[" + string(c.Level) + "]"
					}
					cells = append(cells, s)
				}
				fmt.Fprintf(b, "%s  %s\n", indent, strings.Join(cells, " "))
			}
		case *report.Bars:
			fmt.Fprintf(b, "%sbars %q max=%v\n", indent, blk.Title, blk.Max)
			for i, l := range blk.Labels {
				v := blk.Values[i]
				s := fmt.Sprint(v)
				if blk.Format != nil {
					s = blk.Format(v)
				}
				fmt.Fprintf(b, "%s  %q: %s\n", indent, l, s)
			}
		case *report.Histogram:
			fmt.Fprintf(b, "%shistogram %q %v %v\n", indent, blk.Title, blk.Edges, blk.Counts)
		case *report.Grid:
			fmt.Fprintf(b, "%sgrid\n", indent)
			for _, c := range blk.Cards {
				fmt.Fprintf(b, "%s  card %q %q [%s]\n", indent, c.ID, c.Title, c.Level)
				dumpBlocks(b, c.Blocks, indent+"    ")
			}
		default:
			fmt.Fprintf(b, "%s%T\n", indent, blk)
		}
	}
}
