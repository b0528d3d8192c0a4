package report_test

import (
	"bytes"
	"fmt"
	"log"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/assayhq/assay/report"
	"github.com/assayhq/assay/report/reporttest"
)

func sampleIndex() report.Index {
	t0 := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	return report.Index{
		Title:    "Project <report>",
		Subtitle: "2 datasets",
		Meta:     []report.KV{{Key: "Repository", Value: "/tmp/x/.assay"}},
		Sections: []report.IndexSection{
			{
				ID: "dataset-churn", Title: "Dataset churn", ItemColumn: "Version", StatusColumn: "Checks",
				Columns: []string{"Rows", "Message", "rules.yaml"}, Numeric: []bool{true},
				Rows: []report.IndexRow{
					{
						Item: report.Cell{Text: "v2", Link: "datasets/churn/v2.html"}, Time: t0.Add(time.Hour),
						Status: report.Cell{Text: "failed", Level: report.LevelError},
						Cells: []report.Cell{{Text: "7,043"}, {Text: "December <batch>"},
							{Text: "failed 2/12", Link: "checks/churn/v2-20261101T100000.000Z.html", Level: report.LevelError}},
					},
					{
						Item: report.Cell{Text: "v1", Link: "datasets/churn/v1.html"}, Time: t0,
						Status: report.Cell{Text: "passed", Level: report.LevelOK},
						Cells: []report.Cell{{Text: "7,000"}, {Text: "first"},
							{Text: "passed 12/12", Link: "checks/churn/v1-20261101T090000.000Z.html#summary", Level: report.LevelOK}},
					},
				},
				Blocks: []report.Block{&report.Note{Text: "a block after the table"}},
			},
			{
				ID: "runs", Title: "Training runs",
				Columns: []string{"Trainer", "Model"},
				Rows: []report.IndexRow{{
					Item: report.Cell{Text: "20261101T090000Z-abcdef", Link: "runs/20261101T090000Z-abcdef.html"}, Time: t0,
					Status: report.Cell{Text: "data checked", Level: report.LevelWarn},
					Cells: []report.Cell{
						{Text: "evil", Link: "../outside.html"},
						{Text: "churn@v1", Link: "#models"},
					},
				}},
			},
			{ID: "models", Title: "Models", Empty: "No models registered yet."},
			{ID: "gone", Title: "Left out"}, // no rows, no note
		},
	}
}

var hrefRE = regexp.MustCompile(`<a href="([^"]*)">`)

func hrefs(html string) []string {
	var out []string
	for _, m := range hrefRE.FindAllStringSubmatch(html, -1) {
		out = append(out, m[1])
	}
	return out
}

func renderIndex(t *testing.T, ix report.Index) string {
	t.Helper()
	var buf bytes.Buffer
	if err := report.RenderIndex(&buf, ix); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestRenderIndex(t *testing.T) {
	html := renderIndex(t, sampleIndex())
	links := hrefs(html)
	for _, want := range []string{
		"datasets/churn/v2.html", "datasets/churn/v1.html",
		"checks/churn/v2-20261101T100000.000Z.html", "checks/churn/v1-20261101T090000.000Z.html#summary",
		"runs/20261101T090000Z-abcdef.html", "#models", "#dataset-churn", "#runs",
	} {
		if !slices.Contains(links, want) {
			t.Errorf("no link to %q; links: %q", want, links)
		}
	}
	if slices.Contains(links, "../outside.html") {
		t.Errorf("a link leads out of the index's directory: %q", links)
	}
	for _, want := range []string{
		"<title>Project &lt;report&gt;</title>",
		">evil</td>", // shown, not linked
		"December &lt;batch&gt;",
		"2026-11-01 10:00:00",
		"No models registered yet.",
		"a block after the table",
		`<th scope="col">Version</th>`,
		`<th scope="col">Checks</th>`,
		`<td class="num">7,043</td>`,
		`<td class="error"><a href="checks/churn/v2-20261101T100000.000Z.html">failed 2/12</a></td>`,
		`<td class="ok">passed</td>`,
		`<td class="warn">data checked</td>`,
		// The overview: the worst status of each section and how often.
		`<td class="error">error: 1 of 2</td>`,
		`<td class="warn">warning: 1 of 1</td>`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("index lacks %q", want)
		}
	}
	if strings.Contains(html, "Left out") {
		t.Error("a section with neither rows nor a note is shown")
	}
	if strings.Contains(html, "Nothing") {
		t.Error("an index with rows says it is empty")
	}
}

func TestRenderIndexLinks(t *testing.T) {
	tests := []struct {
		link string
		want string // "" when the link must not be rendered
	}{
		{"datasets/churn/v3.html", "datasets/churn/v3.html"},
		{"runs/a_b-c.1.html#sec", "runs/a_b-c.1.html#sec"},
		{"runs/x.html#a b", ""}, // the anchor becomes a valid ID, checked below
		{"../x.html", ""},
		{"a/../../x.html", ""},
		{"./x.html", ""},
		{"/etc/passwd", ""},
		{"a//b.html", ""},
		{"https://example.com/x.html", ""},
		{"javascript:alert(1)", ""},
		{"//example.com/x", ""},
		{`a\b.html`, ""},
		{"a b.html", ""},
		{"x.html#", ""},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.link, func(t *testing.T) {
			ix := report.Index{Sections: []report.IndexSection{{Title: "S", Rows: []report.IndexRow{
				{Item: report.Cell{Text: "item", Link: tt.link}},
			}}}}
			links := hrefs(renderIndex(t, ix))
			var got []string
			for _, l := range links {
				if !strings.HasPrefix(l, "#") {
					got = append(got, l)
				}
			}
			switch {
			case tt.link == "runs/x.html#a b":
				if len(got) != 1 || !strings.HasPrefix(got[0], "runs/x.html#a-b-") {
					t.Errorf("links %q, want one to runs/x.html#a-b-…", got)
				}
			case tt.want == "" && len(got) > 0:
				t.Errorf("links %q, want none", got)
			case tt.want != "" && !slices.Equal(got, []string{tt.want}):
				t.Errorf("links %q, want %q", got, tt.want)
			}
		})
	}
}

func TestRenderIndexEmpty(t *testing.T) {
	for name, ix := range map[string]report.Index{
		"no sections": {Empty: "Nothing here yet: commit a dataset."},
		"empty sections": {Empty: "Nothing here yet: commit a dataset.", Sections: []report.IndexSection{
			{Title: "Datasets", Empty: "No datasets."}, {Title: "Runs"},
		}},
	} {
		t.Run(name, func(t *testing.T) {
			html := renderIndex(t, ix)
			if !strings.Contains(html, "Nothing here yet: commit a dataset.") {
				t.Error("the empty index lacks its note")
			}
			if strings.Contains(html, "<table") || strings.Contains(html, "No datasets.") {
				t.Error("the empty index shows sections")
			}
			if !strings.Contains(html, "<title>assay report</title>") {
				t.Error("the untitled index is not called assay report")
			}
		})
	}
	html := renderIndex(t, report.Index{})
	if !strings.Contains(html, "Nothing to list yet.") {
		t.Error("an index without an Empty note says nothing")
	}
}

func TestRenderIndexSectionIDs(t *testing.T) {
	row := []report.IndexRow{{Item: report.Cell{Text: "x"}}}
	ix := report.Index{Sections: []report.IndexSection{
		{ID: "a", Title: "One", Rows: row},
		{ID: "a", Title: "Two", Rows: row},
		{Title: "Model churn v2", Rows: row},
		{ID: "overview", Title: "Three", Rows: row},
	}}
	html := renderIndex(t, ix)
	ids := map[string]bool{}
	for _, m := range regexp.MustCompile(`<section id="([^"]*)">`).FindAllStringSubmatch(html, -1) {
		if ids[m[1]] {
			t.Errorf("section ID %q twice", m[1])
		}
		ids[m[1]] = true
	}
	if len(ids) != 5 {
		t.Errorf("got sections %v, want the overview and 4", ids)
	}
	for _, l := range hrefs(html) {
		if strings.HasPrefix(l, "#") && l != "#top" && !ids[l[1:]] {
			t.Errorf("link %q has no target; sections %v", l, ids)
		}
	}
}

// TestIndexInBrowser loads an index in headless Chromium: it renders,
// logs nothing and fetches nothing, and its links are in the page.
func TestIndexInBrowser(t *testing.T) {
	path := filepath.Join(t.TempDir(), "index.html")
	if err := report.WriteIndex(path, sampleIndex()); err != nil {
		t.Fatal(err)
	}
	var links []string
	res := reporttest.Inspect(t, path, `Array.from(document.querySelectorAll("td a")).map(a => a.getAttribute("href"))`, &links)
	if !slices.Contains(links, "runs/20261101T090000Z-abcdef.html") {
		t.Errorf("links in the browser: %q", links)
	}
	for _, want := range []string{"Project <report>", "Dataset churn", "failed 2/12", "No models registered yet."} {
		if !strings.Contains(res.Text, want) {
			t.Errorf("page text lacks %q", want)
		}
	}
}

func ExampleRenderIndex() {
	ix := report.Index{
		Title: "assay report",
		Sections: []report.IndexSection{{
			ID: "dataset-churn", Title: "Dataset churn", ItemColumn: "Version", StatusColumn: "Checks",
			Columns: []string{"Rows"}, Numeric: []bool{true},
			Rows: []report.IndexRow{{
				Item:   report.Cell{Text: "v3", Link: "datasets/churn/v3.html"},
				Time:   time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC),
				Status: report.Cell{Text: "passed: 12 of 12", Link: "checks/churn/v3.html", Level: report.LevelOK},
				Cells:  []report.Cell{{Text: report.FormatInt(7043)}},
			}},
		}},
		Empty: "Nothing here yet.",
	}
	var buf bytes.Buffer
	if err := report.RenderIndex(&buf, ix); err != nil {
		log.Fatal(err)
	}
	for _, m := range regexp.MustCompile(`<tr><td>.*</tr>`).FindAllString(buf.String(), -1) {
		fmt.Println(m)
	}
	// Output:
	// <tr><td><a href="#dataset-churn">Dataset churn</a></td><td class="num">1</td><td>2026-12-01 09:00:00</td><td class="ok">ok: 1 of 1</td></tr>
	// <tr><td><a href="datasets/churn/v3.html">v3</a></td><td>2026-12-01 09:00:00</td><td class="ok"><a href="checks/churn/v3.html">passed: 12 of 12</a></td><td class="num">7,043</td></tr>
}
