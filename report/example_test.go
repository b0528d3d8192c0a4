package report_test

import (
	"bytes"
	"fmt"
	"html"
	"log"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"time"

	"github.com/assayhq/assay/report"
)

func ExampleRender() {
	columns := []string{"age", "monthly charges"}
	summary := &report.Table{
		Columns: []string{"Column", "Nulls"},
		Numeric: []bool{false, true},
		Filter:  true,
	}
	var cards []report.Card
	for _, name := range columns {
		id := report.Anchor("col-" + name)
		summary.Rows = append(summary.Rows, []report.Cell{
			{Text: name, Link: "#" + id},
			{Text: report.FormatInt(0)},
		})
		cards = append(cards, report.Card{ID: id, Title: name, Blocks: []report.Block{
			&report.Stats{Items: []report.KV{{Key: "Mean", Value: report.FormatFloat(42.123)}}},
			&report.Histogram{Edges: []float64{0, 10, 20, 30}, Counts: []float64{5, 12, 3}, XLabel: name},
		}})
	}
	page := report.Page{
		Title:    "Profile of churn@v2",
		Subtitle: "churn@v2 · " + report.FormatInt(7043) + " rows",
		Meta:     []report.KV{{Key: "Command", Value: "assay profile churn@v2"}},
		Sections: []report.Section{
			{ID: "summary", Title: "Summary", Blocks: []report.Block{summary}},
			{ID: "columns", Title: "Columns", Blocks: []report.Block{&report.Grid{Cards: cards}}},
		},
	}
	var buf bytes.Buffer
	if err := report.Render(&buf, page); err != nil {
		log.Fatal(err)
	}
	fmt.Println(regexp.MustCompile(`<title>.*</title>`).FindString(buf.String()))
	fmt.Println(regexp.MustCompile(`<a href="#col-monthly[^"]*">`).FindString(buf.String()))
	// Output:
	// <title>Profile of churn@v2</title>
	// <a href="#col-monthly-charges-v9i2rk">
}

func ExampleWriteFile() {
	dir, err := os.MkdirTemp("", "report")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	page := report.Page{
		Title: "Checks for churn@v2",
		Sections: []report.Section{{Title: "Result", Blocks: []report.Block{
			&report.Note{Level: report.LevelError, Text: "1 of 20 checks failed."},
		}}},
	}
	path := filepath.Join(dir, "checks.html")
	if err := report.WriteFile(path, page); err != nil {
		log.Fatal(err)
	}
	fi, err := os.Stat(path)
	fmt.Println(err == nil && fi.Size() > 0)
	// Output: true
}

func ExampleFormatFloat() {
	for _, x := range []float64{3.14159, 7043, 123456.7, 0.00012346, 1.5e13} {
		fmt.Println(report.FormatFloat(x))
	}
	// Output:
	// 3.142
	// 7,043
	// 123,457
	// 0.0001235
	// 1.5e+13
}

func ExampleFormatInt() {
	fmt.Println(report.FormatInt(7043), report.FormatPercent(11.0/7043), report.FormatBytes(1258291))
	// Output: 7,043 0.16% 1.2 MiB
}

func ExampleAnchor() {
	fmt.Println(report.Anchor("tenure"))
	fmt.Println(report.Anchor("Monthly Charges ($)"))
	// Output:
	// tenure
	// Monthly-Charges-43gyic
}

// ariaLabel renders a page of one block and returns the label of its
// chart, which describes it in words.
func ariaLabel(b report.Block) string {
	var buf bytes.Buffer
	if err := report.Render(&buf, report.Page{Title: "Drift", Sections: []report.Section{{Blocks: []report.Block{b}}}}); err != nil {
		log.Fatal(err)
	}
	return html.UnescapeString(regexp.MustCompile(`<svg[^>]* aria-label="([^"]*)"`).FindStringSubmatch(buf.String())[1])
}

func ExampleComparison() {
	inf := math.Inf(1)
	tenure := &report.Comparison{
		Title:     "tenure",
		Edges:     []float64{-inf, 0, 12, 24, inf}, // open bins catch values beyond the reference's range
		Ref:       []float64{0, 500, 300, 200},
		Cur:       []float64{10, 300, 300, 390},
		RefName:   "churn@v1",
		CurName:   "churn@v2",
		XLabel:    "months",
		Highlight: []int{3},
	}
	contract := &report.Comparison{
		Title:  "Contract",
		Labels: []string{"Month-to-month", "One year", "Two year"},
		Ref:    []float64{3875, 1473, 1695},
		Cur:    []float64{1890, 390, 420},
	}
	fmt.Println(ariaLabel(tenure))
	fmt.Println(ariaLabel(contract))
	// Output:
	// tenure. Comparison of churn@v1 and churn@v2 in 4 bins from -∞ to ∞; highlighted: ≥ 24 20.0% → 39.0%
	// Contract. Comparison of reference and current over 3 categories; largest changes: Month-to-month 55.0% → 70.0%; Two year 24.1% → 15.6%; One year 20.9% → 14.4%
}

func ExampleLine() {
	start := float64(time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC).Unix())
	var hours, errRate []float64
	for h := range 48 {
		hours = append(hours, start+float64(h)*3600)
		errRate = append(errRate, 0.1+float64(h/24)*0.1)
	}
	ddm := &report.Line{
		Title:  "DDM",
		X:      hours,
		XTime:  true,
		Series: []report.Series{{Name: "error rate", Y: errRate}},
		Markers: []report.Marker{
			{X: start + 24*3600, Label: "drift", Level: report.LevelError},
		},
		HLines:  []report.HLine{{Y: 0.15, Label: "threshold"}},
		YFormat: report.FormatPercent,
	}
	fmt.Println(ariaLabel(ddm))
	// Output:
	// DDM. Line chart over x from 2026-10-01 to 2026-10-02 23:00 UTC; error rate: 48 points from 10% to 20%, last 20%; 1 marker: drift at 2026-10-02; threshold at 15%
}
