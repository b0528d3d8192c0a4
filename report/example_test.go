package report_test

import (
	"bytes"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"regexp"

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
