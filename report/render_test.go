package report

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

// samplePage is a dataset profile report that uses every block type.
func samplePage() Page {
	type column struct {
		name, typ       string
		nulls, distinct int64
		mean, min, max  string
		level           Level
	}
	cols := []column{
		{"customerID", "string", 0, 7043, "", "", "", ""},
		{"gender", "string", 0, 2, "", "", "", ""},
		{"tenure", "int64", 0, 73, "32.37", "0", "72", ""},
		{"MonthlyCharges", "double", 0, 1585, "64.76", "18.25", "118.8", ""},
		{"TotalCharges", "double", 11, 6530, "2,283", "18.8", "8,685", LevelWarn},
		{"Contract", "string", 0, 3, "", "", "", ""},
		{"Churn", "string", 0, 2, "", "", "", LevelOK},
		{"notes <free text> & \"quotes\"", "string", 7043, 0, "", "", "", LevelError},
	}
	summary := &Table{
		Caption: "Columns",
		Columns: []string{"Column", "Type", "Nulls", "Null %", "Distinct", "Mean", "Min", "Max"},
		Numeric: []bool{false, false, true, true, true, true, true, true},
		Filter:  true,
	}
	for _, c := range cols {
		summary.Rows = append(summary.Rows, []Cell{
			{Text: c.name, Link: "#" + Anchor("col-"+c.name)},
			{Text: c.typ},
			{Text: FormatInt(c.nulls), Level: c.level},
			{Text: FormatPercent(float64(c.nulls) / 7043), Level: c.level},
			{Text: FormatInt(c.distinct)},
			{Text: c.mean}, {Text: c.min}, {Text: c.max},
		})
	}
	tenure := &Histogram{
		Title:  "Distribution",
		Edges:  []float64{0, 6, 12, 18, 24, 30, 36, 42, 48, 54, 60, 66, 72},
		Counts: []float64{1481, 705, 548, 476, 431, 401, 397, 438, 418, 450, 536, 762},
		XLabel: "tenure (months)",
	}
	charges := &Histogram{
		Title:  "Distribution",
		Edges:  []float64{18.25, 28.3, 38.35, 48.4, 58.45, 68.5, 78.55, 88.6, 98.65, 108.7, 118.75},
		Counts: []float64{1606, 186, 400, 438, 654, 940, 864, 948, 713, 294},
		XLabel: "MonthlyCharges ($)",
	}
	total := &Histogram{
		Title:  "Distribution",
		Edges:  []float64{0, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000},
		Counts: []float64{3157, 989, 621, 518, 493, 421, 345, 326, 162},
		XLabel: "TotalCharges ($)",
	}
	signup := &Histogram{
		Title:  "Sign-up date",
		Edges:  []float64{0, 365, 730, 1095, 1460, 1825, 2190},
		Counts: []float64{1200, 1100, 1000, 1300, 1250, 1193},
		Format: func(x float64) string {
			return time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(x)).Format("2006-01-02")
		},
	}
	card := func(name string, level Level, blocks ...Block) Card {
		return Card{ID: Anchor("col-" + name), Title: name, Level: level, Blocks: blocks}
	}
	return Page{
		Title:    "Dataset profile: churn@v2",
		Subtitle: "churn@v2 · 7,043 rows · 21 columns · " + FormatBytes(978534),
		Meta: []KV{
			{"Generated", "2026-11-01 09:30:00 UTC"},
			{"Ref", "churn@v2 (sha256:9f2c…e41a)"},
			{"Command", `assay profile churn@v2 --html profile.html`},
		},
		Sections: []Section{
			{
				ID:    "summary",
				Title: "Summary",
				Blocks: []Block{
					&Stats{Items: []KV{
						{"Rows", FormatInt(7043)}, {"Columns", "21"}, {"Missing cells", FormatInt(7054) + " (" + FormatPercent(7054.0/(7043*21)) + ")"},
						{"Duplicate rows", "0"}, {"Size", FormatBytes(978534)}, {"Row groups", "1"},
					}},
					summary,
				},
			},
			{
				ID:    "columns",
				Title: "Columns",
				Intro: "One card per column: summary statistics and the distribution of values.\nNumeric columns show a histogram, text columns their most frequent values.",
				Blocks: []Block{&Grid{Cards: []Card{
					card("customerID", "",
						&Stats{Items: []KV{{"Distinct", "7,043"}, {"Unique", FormatPercent(1)}, {"Min length", "10"}, {"Max length", "10"}}},
						&Note{Level: LevelInfo, Text: "Every value is unique: probably an identifier."}),
					card("gender", "",
						&Stats{Items: []KV{{"Distinct", "2"}, {"Nulls", "0"}}},
						&Bars{Title: "Top values", Labels: []string{"Male", "Female"}, Values: []float64{3555, 3488}}),
					card("tenure", "",
						&Stats{Items: []KV{{"Mean", "32.37"}, {"Std", "24.56"}, {"Min", "0"}, {"Max", "72"}, {"Zeros", "11"}}},
						tenure),
					card("MonthlyCharges", "",
						&Stats{Items: []KV{{"Mean", "64.76"}, {"Std", "30.09"}, {"Min", "18.25"}, {"Max", "118.8"}}},
						charges),
					card("TotalCharges", LevelWarn,
						&Stats{Items: []KV{{"Mean", "2,283"}, {"Nulls", "11 (0.16%)"}, {"Min", "18.8"}, {"Max", "8,685"}}},
						total,
						&Note{Level: LevelWarn, Text: "11 null values (0.16%): blank strings in the source CSV."}),
					card("Contract", "",
						&Bars{Title: "Top values", Labels: []string{"Month-to-month", "Two year", "One year"}, Values: []float64{3875, 1695, 1473}},
						signup),
					card("Churn", LevelOK,
						&Bars{Title: "Share of rows", Labels: []string{"No", "Yes"}, Values: []float64{0.7346, 0.2654}, Max: 1, Format: FormatPercent}),
					card("notes <free text> & \"quotes\"", LevelError,
						&Note{Level: LevelError, Text: "All 7,043 values are null."},
						&Bars{Title: "Top values", Labels: []string{"an extremely long value that goes on and on and does not stop", "x"}, Values: []float64{2, 1}}),
				}}},
			},
			{
				ID:    "checks",
				Title: "Checks",
				Blocks: []Block{
					&Note{Level: LevelOK, Text: "18 of 20 checks passed."},
					&Table{
						Columns: []string{"Check", "Column", "Observed", "Status"},
						Numeric: []bool{false, false, true, false},
						Rows: [][]Cell{
							{{Text: "not_null"}, {Text: "customerID", Link: "#" + Anchor("col-customerID")}, {Text: "0%"}, {Text: "pass", Level: LevelOK}},
							{{Text: "not_null"}, {Text: "TotalCharges", Link: "#" + Anchor("col-TotalCharges")}, {Text: "0.16%"}, {Text: "warn", Level: LevelWarn}},
							{{Text: "between 0 and 100"}, {Text: "MonthlyCharges", Link: "#" + Anchor("col-MonthlyCharges")}, {Text: "118.8"}, {Text: "fail", Level: LevelError}},
						},
					},
					&Note{Level: LevelError, Text: "1 check failed: MonthlyCharges has 32 values above 100."},
				},
			},
		},
	}
}

func render(t testing.TB, p Page) string {
	t.Helper()
	var buf bytes.Buffer
	if err := Render(&buf, p); err != nil {
		t.Fatalf("Render: %v", err)
	}
	return buf.String()
}

// check renders p and runs the strict HTML checker on it.
func check(t *testing.T, p Page) (string, *parsedPage) {
	t.Helper()
	out := render(t, p)
	pp, err := checkHTML(out)
	if err != nil {
		t.Fatalf("bad HTML: %v", err)
	}
	return out, pp
}

// checkGolden compares got with the golden file testdata/name, which
// -update rewrites, and reports the first line that differs.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	golden := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got == string(want) {
		return
	}
	gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
	for i := range max(len(gl), len(wl)) {
		var g, w string
		if i < len(gl) {
			g = gl[i]
		}
		if i < len(wl) {
			w = wl[i]
		}
		if g != w {
			t.Fatalf("output differs from %s at line %d:\ngot  %.300q\nwant %.300q\n(run go test -update if the change is intended)", golden, i+1, g, w)
		}
	}
}

func TestGolden(t *testing.T) {
	checkGolden(t, "page.golden.html", render(t, samplePage()))
	if os.Getenv("REPORT_SAMPLE") != "" {
		if err := WriteFile(os.Getenv("REPORT_SAMPLE"), samplePage()); err != nil {
			t.Fatal(err)
		}
	}
}

func TestWellFormed(t *testing.T) {
	pages := map[string]Page{
		"sample":      samplePage(),
		"empty":       {},
		"hostile":     hostilePage(),
		"edges":       edgePage(),
		"bench":       benchPage(20),
		"drift":       driftPage(),
		"drift edges": driftEdgePage(),
	}
	for name, p := range pages {
		t.Run(name, func(t *testing.T) {
			out, pp := check(t, p)
			checkSVG(t, out)
			for _, bad := range []string{"<link", "<img", "<iframe", "<object", "<embed", "src=", "url(", "@import", "ZgotmplZ"} {
				if strings.Contains(out, bad) {
					t.Errorf("output contains %q", bad)
				}
			}
			for _, tag := range []string{`<meta charset="utf-8">`, `<html lang="en">`, `name="viewport"`} {
				if !strings.Contains(out, tag) {
					t.Errorf("output lacks %s", tag)
				}
			}
			if len(pp.Scripts) != 1 || pp.Count["script"] != 1 {
				t.Errorf("%d scripts, want exactly the page's own", pp.Count["script"])
			}
			if !strings.Contains(out, "<script>") || regexp.MustCompile(`<script[^>]`).MatchString(out) {
				t.Errorf("script element has attributes (src?)")
			}
		})
	}
}

// TestNoURLs checks that a page whose data holds no URL has none: nothing
// to load, no namespace URLs, no links out.
func TestNoURLs(t *testing.T) {
	out := render(t, samplePage())
	for _, bad := range []string{"http:", "https:", "://", "www."} {
		if i := strings.Index(out, bad); i >= 0 {
			t.Errorf("output contains %q", out[max(0, i-40):min(len(out), i+40)])
		}
	}
}

// TestCSP checks that the Content-Security-Policy allows exactly the page's
// own style and script, and no fetches.
func TestCSP(t *testing.T) {
	out, pp := check(t, samplePage())
	policies := pp.Attrs["content"]
	var policy string
	for _, c := range policies {
		if strings.HasPrefix(c, "default-src") {
			policy = c
		}
	}
	if policy == "" {
		t.Fatalf("no Content-Security-Policy in %q", policies)
	}
	hash := func(s string) string {
		sum := sha256.Sum256([]byte(s))
		return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
	}
	want := fmt.Sprintf("default-src 'none'; style-src %s; script-src %s; base-uri 'none'; form-action 'none'",
		hash(pp.Styles[0]), hash(pp.Scripts[0]))
	if policy != want {
		t.Errorf("policy\n%s\nwant\n%s", policy, want)
	}
	if len(pp.Styles) != 1 || pp.Styles[0] != styleCSS {
		t.Errorf("inline style differs from assets/style.css")
	}
	if !strings.Contains(out, `http-equiv="Content-Security-Policy"`) {
		t.Errorf("no http-equiv meta")
	}
}

const evil = `<script>alert(1)</script>"' onload="x" &amp; </style></title>]]>`

func hostilePage() Page {
	return Page{
		Title:    evil,
		Subtitle: evil,
		Meta:     []KV{{evil, evil}},
		Sections: []Section{
			{ID: evil, Title: evil, Intro: evil, Blocks: []Block{
				&Table{Caption: evil, Columns: []string{evil, "b"}, Numeric: []bool{true},
					Rows: [][]Cell{
						{{Text: evil, Link: "#" + evil, Level: Level(evil)}, {Text: evil, Link: "javascript:alert(1)"}},
						{{Text: "x", Link: "http://example.com/"}, {Text: "y", Link: "//example.com"}},
					}},
				&Histogram{Title: evil, XLabel: evil, Edges: []float64{0, 1, 2}, Counts: []float64{1, 2},
					Format: func(float64) string { return evil }},
				&Bars{Title: evil, Labels: []string{evil, evil}, Values: []float64{1, 2},
					Format: func(float64) string { return evil }},
				&Stats{Title: evil, Items: []KV{{evil, evil}}},
				&Note{Level: Level(evil), Text: evil},
				&Grid{Cards: []Card{{ID: evil, Title: evil, Level: Level(evil), Blocks: []Block{&Note{Text: evil}}}}},
			}},
			{ID: "second", Title: "x"},
		},
	}
}

func TestEscaping(t *testing.T) {
	out, pp := check(t, hostilePage())
	for _, bad := range []string{"<script>alert", "onload=\"x\"", "</style></title>", `href="javascript`, `href="http`, `href="//`} {
		if strings.Contains(out, bad) {
			t.Errorf("output contains %q", bad)
		}
	}
	if strings.Count(out, "<script") != 1 {
		t.Errorf("%d <script in output, want 1", strings.Count(out, "<script"))
	}
	// The hostile text is shown, literally, wherever it went in.
	if pp.Title != evil {
		t.Errorf("title %q, want %q", pp.Title, evil)
	}
	if n := strings.Count(pp.Text, evil); n < 15 {
		t.Errorf("hostile string shown %d times as text, want at least 15", n)
	}
	if id := Anchor(evil); !pp.IDs[id] || !pp.IDs[id+"-2"] {
		t.Errorf("ids %v, want the hostile id and its -2 twin", pp.IDs)
	}
	if len(pp.Links) != 3 { // the TOC's two and the cell's "#"+evil
		t.Errorf("links %q, want only the three in-page ones", pp.Links)
	}
	for _, c := range pp.Attrs["class"] {
		if strings.Contains(c, "script") {
			t.Errorf("hostile level made it into class %q", c)
		}
	}
}

// edgePage holds charts and tables at the edges of their input.
func edgePage() Page {
	nan, inf := math.NaN(), math.Inf(1)
	long := strings.Repeat("W", 5000)
	hist := func(title string, edges, counts []float64) Block {
		return &Histogram{Title: title, Edges: edges, Counts: counts}
	}
	return Page{
		Title: long,
		Sections: []Section{{Title: "Edges", Blocks: []Block{
			nil,
			(*Table)(nil),
			hist("empty", nil, nil),
			hist("mismatch", []float64{0, 1}, []float64{1, 2, 3}),
			hist("one bin", []float64{0, 1}, []float64{5}),
			hist("point", []float64{3, 3}, []float64{5}),
			hist("zero point", []float64{0, 0}, []float64{5}),
			hist("all zero", []float64{0, 1, 2, 3}, []float64{0, 0, 0}),
			hist("nan count", []float64{0, 1, 2, 3}, []float64{1, nan, 3}),
			hist("inf edges", []float64{-inf, 0, 1, inf}, []float64{4, 5, 6}),
			hist("all bad", []float64{nan, nan}, []float64{1}),
			hist("reversed", []float64{3, 2, 1}, []float64{1, 1}),
			hist("huge range", []float64{-math.MaxFloat64, math.MaxFloat64}, []float64{1}),
			hist("tiny", []float64{1e-12, 2e-12, 3e-12}, []float64{1, 2}),
			hist("offset", []float64{1e15, 1e15 + 1, 1e15 + 2}, []float64{1, 2}),
			hist("big counts", []float64{0, 1}, []float64{1e300}),
			hist("tiny counts", []float64{0, 1, 2}, []float64{1e-300, 1}),
			&Histogram{Title: "long format", Edges: []float64{0, 1}, Counts: []float64{1},
				Format: func(float64) string { return long }},
			&Bars{Title: "empty"},
			&Bars{Title: "mixed", Labels: []string{"", long, "nan", "neg", "inf", "missing value"},
				Values: []float64{0, 1e12, nan, -5, inf}},
			&Bars{Title: "max below", Labels: []string{"a"}, Values: []float64{10}, Max: 5},
			&Bars{Title: "nan max", Labels: []string{"a"}, Values: []float64{10}, Max: nan},
			&Bars{Title: "cjk", Labels: []string{strings.Repeat("漢字", 40)}, Values: []float64{1}},
			&Table{},
			&Table{Columns: []string{"a", "b"}},
			&Table{Columns: []string{"a"}, Rows: [][]Cell{{{Text: long}, {Text: "extra"}}, {}}},
			&Stats{},
			&Note{},
			&Grid{},
			&Grid{Cards: []Card{{}, {Title: "c", ID: "c"}, {Title: "c again", ID: "c"}}},
			&Note{Text: "controls \x00\x01\x1b\x7f\u0085 and invalid \xff\xfe utf-8\r\nnext line"},
		}}},
	}
}

func TestEdgeCases(t *testing.T) {
	out, pp := check(t, edgePage())
	for _, want := range []string{
		"Histogram not drawn: 2 bin edges for 3 counts (want 4).",
		"No data.",
		"No drawable bins.",
		"1 of 3 bins not drawn",
		"2 of 3 bins not drawn",
		"all counts zero",
		"the range of the bins is too large",
		"No rows.",
		"missing value",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if strings.ContainsAny(out, "\x00\x01\x1b\x7f\r\u0085") || strings.Contains(out, "\xff") {
		t.Errorf("control characters or invalid UTF-8 in output")
	}
	if !strings.Contains(pp.Text, "controls  and invalid \uFFFD utf-8\nnext line") {
		t.Errorf("cleaned note not found in text")
	}
	for _, v := range pp.Attrs["width"] {
		if strings.Contains(v, "NaN") || strings.Contains(v, "Inf") || strings.HasPrefix(v, "-") {
			t.Errorf("bad width %q", v)
		}
	}
	for _, a := range []string{"x", "y", "height", "x1", "x2", "y1", "y2"} {
		for _, v := range pp.Attrs[a] {
			if strings.Contains(v, "NaN") || strings.Contains(v, "Inf") {
				t.Errorf("bad %s %q", a, v)
			}
		}
	}
	// SVG text is not wrapped, so long labels must be cut.
	for _, m := range regexp.MustCompile(`<text[^>]*>([^<]*)</text>`).FindAllStringSubmatch(out, -1) {
		if len([]rune(m[1])) > 60 {
			t.Errorf("SVG text of %d characters: %.40q…", len([]rune(m[1])), m[1])
		}
	}
	if !pp.IDs["c"] || !pp.IDs["c-2"] {
		t.Errorf("duplicate card ids not made unique: %v", pp.IDs)
	}
}

func TestHistogramLayout(t *testing.T) {
	h := layoutHistogram(&Histogram{Edges: []float64{0, 25, 50, 75, 100}, Counts: []float64{10, 93, 40, 0}})
	if h.Empty != "" {
		t.Fatalf("empty: %s", h.Empty)
	}
	var ylabels, xlabels []string
	for _, tk := range h.YTicks {
		ylabels = append(ylabels, tk.Label)
	}
	for _, tk := range h.XTicks {
		xlabels = append(xlabels, tk.Label)
	}
	if got, want := strings.Join(ylabels, " "), "0 20 40 60 80 100"; got != want {
		t.Errorf("y ticks %q, want %q", got, want)
	}
	if got, want := strings.Join(xlabels, " "), "0 20 40 60 80 100"; got != want {
		t.Errorf("x ticks %q, want %q", got, want)
	}
	if len(h.Bars) != 4 {
		t.Fatalf("%d bars, want 4", len(h.Bars))
	}
	if got, want := h.Bars[1].Title, "[25, 50): 93"; got != want {
		t.Errorf("bar title %q, want %q", got, want)
	}
	if got, want := h.Bars[3].Title, "[75, 100]: 0"; got != want {
		t.Errorf("last bar title %q, want %q", got, want)
	}
	if h.Bars[3].H != "0" {
		t.Errorf("zero bin height %s, want 0", h.Bars[3].H)
	}
	// The tallest bar reaches 93% of the plot.
	var y, hh, base, top float64
	fmt.Sscan(h.Bars[1].Y, &y)
	fmt.Sscan(h.Bars[1].H, &hh)
	fmt.Sscan(h.Base, &base)
	fmt.Sscan(h.Top, &top)
	if r := hh / (base - top); math.Abs(r-0.93) > 0.01 || math.Abs(y+hh-base) > 0.11 {
		t.Errorf("bar y=%v h=%v in plot %v..%v", y, hh, top, base)
	}
}

func TestBarsLayout(t *testing.T) {
	b := layoutBars(&Bars{Labels: []string{"a", "b", "c"}, Values: []float64{50, 100, -1}})
	var w [3]float64
	for i := range w {
		fmt.Sscan(b.Rows[i].BarW, &w[i])
	}
	if math.Abs(w[0]*2-w[1]) > 0.2 || !b.Rows[2].NoBar || b.Rows[0].NoBar {
		t.Errorf("bar widths %v (no bar: %v)", w, b.Rows[2].NoBar)
	}
	if b.Rows[1].Value != "100" || b.Rows[2].Value != "-1" {
		t.Errorf("values %q %q", b.Rows[1].Value, b.Rows[2].Value)
	}
	if !strings.HasPrefix(b.Label, "Bar chart: a 50; b 100; c -1") {
		t.Errorf("label %q", b.Label)
	}
}

func TestAnchor(t *testing.T) {
	tests := []struct{ in, want string }{
		{"age", "age"},
		{"col-Monthly_Charges2", "col-Monthly_Charges2"},
		{"a b", "a-b-"},
		{"a-b", "a-b"},
		{"", "id-"},
		{"<>", "id-"},
		{"名前", "id-"},
		{"price (€)", "price-"},
	}
	seen := map[string]string{}
	for _, tt := range tests {
		got := Anchor(tt.in)
		if !strings.HasPrefix(got, tt.want) || !regexp.MustCompile(`^[A-Za-z0-9_-]+$`).MatchString(got) {
			t.Errorf("Anchor(%q) = %q, want prefix %q and only [A-Za-z0-9_-]", tt.in, got, tt.want)
		}
		if other, dup := seen[got]; dup {
			t.Errorf("Anchor(%q) = Anchor(%q) = %q", tt.in, other, got)
		}
		seen[got] = tt.in
		if Anchor(tt.in) != got {
			t.Errorf("Anchor(%q) not deterministic", tt.in)
		}
	}
}

func TestIDs(t *testing.T) {
	_, pp := check(t, Page{Sections: []Section{
		{Title: "Summary"},          // generated: Summary
		{ID: "Summary", Title: "x"}, // chosen: takes Summary from the generated one? no: reserved first
		{Title: "Summary"},          // generated again
		{},                          // section-4
		{ID: "section-4", Blocks: []Block{&Grid{Cards: []Card{{ID: "Summary-2"}}}}},
	}})
	for _, id := range []string{"Summary", "Summary-3", "Summary-4", "section-4", "section-4-2", "Summary-2"} {
		if !pp.IDs[id] {
			t.Errorf("no id %q in %v", id, pp.IDs)
		}
	}
	// The chosen ID "Summary" belongs to the second section.
	out := render(t, Page{Sections: []Section{{Title: "Summary"}, {ID: "Summary", Title: "Chosen"}}})
	if !strings.Contains(out, "<section id=\"Summary\">\n<h2>Chosen</h2>") {
		t.Errorf("caller's ID not kept for its section:\n%s", out[strings.Index(out, "<main>"):])
	}
}

// fakeBlock satisfies Block by embedding a block type.
type fakeBlock struct{ *Note }

func TestRenderErrors(t *testing.T) {
	var buf bytes.Buffer
	err := Render(&buf, Page{Sections: []Section{{Blocks: []Block{fakeBlock{&Note{}}}}}})
	if err == nil || !strings.Contains(err.Error(), "unsupported block type") {
		t.Errorf("err = %v, want unsupported block type", err)
	}
	g := &Grid{}
	g.Cards = []Card{{Blocks: []Block{g}}} // contains itself
	err = Render(&buf, Page{Sections: []Section{{Blocks: []Block{g}}}})
	if err == nil || !strings.Contains(err.Error(), "nested") {
		t.Errorf("err = %v, want nesting error", err)
	}
	if buf.Len() != 0 {
		t.Errorf("failed Render wrote %d bytes", buf.Len())
	}
	werr := errors.New("disk full")
	if err := Render(failWriter{werr}, samplePage()); !errors.Is(err, werr) {
		t.Errorf("err = %v, want %v", err, werr)
	}
}

type failWriter struct{ err error }

func (w failWriter) Write([]byte) (int, error) { return 0, w.err }

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "report.html")
	if err := os.WriteFile(path, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(path, samplePage()); err != nil {
		t.Fatalf("WriteFile: %v", err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != render(t, samplePage()) {
		t.Errorf("file differs from Render output")
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644", fi.Mode().Perm())
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("directory holds %d entries, want 1 (temp file left?)", len(entries))
	}
	// A failure leaves no file behind.
	bad := filepath.Join(dir, "missing", "report.html")
	if err := WriteFile(bad, samplePage()); err == nil || !strings.Contains(err.Error(), bad) {
		t.Errorf("err = %v, want one naming %s", err, bad)
	}
	g := &Grid{}
	g.Cards = []Card{{Blocks: []Block{g}}}
	if err := WriteFile(filepath.Join(dir, "x.html"), Page{Sections: []Section{{Blocks: []Block{g}}}}); err == nil {
		t.Errorf("WriteFile of a bad page succeeded")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("directory holds %d entries after failures, want 1", len(entries))
	}
}

func TestClean(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{"tab\tand\nnewline", "tab\tand\nnewline"},
		{"crlf\r\nline", "crlf\nline"},
		{"nul\x00bell\x07del\x7f", "nulbelldel"},
		{"bad \xff utf8", "bad \uFFFD utf8"},
		{"c1 \u0085 next", "c1  next"},
		{"ünïcödé ✓", "ünïcödé ✓"},
	}
	for _, tt := range tests {
		if got := clean(tt.in); got != tt.want {
			t.Errorf("clean(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTruncate(t *testing.T) {
	tests := []struct {
		in    string
		maxEm float64
		want  string
	}{
		{"short", 10, "short"},
		{"a\nb\tc", 10, "a b c"},
		{"abcdeghknopqsuvxyz", 6, "abcdeghk…"},
		{"漢字漢字漢字", 3, "漢字…"},
		{"", 3, ""},
	}
	for _, tt := range tests {
		if got := truncate(tt.in, tt.maxEm); got != tt.want {
			t.Errorf("truncate(%q, %v) = %q, want %q", tt.in, tt.maxEm, got, tt.want)
		}
	}
}

// benchPage is a profile of n numeric columns, each a card with stats and
// a 30-bin histogram, after a summary table.
func benchPage(n int) Page {
	summary := &Table{Columns: []string{"Column", "Mean", "Nulls"}, Numeric: []bool{false, true, true}, Filter: true}
	var cards []Card
	for c := range n {
		name := fmt.Sprintf("feature_%03d", c)
		edges := make([]float64, 31)
		counts := make([]float64, 30)
		for i := range edges {
			edges[i] = float64(c) + float64(i)*0.5
		}
		for i := range counts {
			d := float64(i-15) / 5
			counts[i] = math.Round(1000 * math.Exp(-d*d/2))
		}
		summary.Rows = append(summary.Rows, []Cell{
			{Text: name, Link: "#" + Anchor("col-"+name)}, {Text: FormatFloat(float64(c) + 7.5)}, {Text: FormatInt(int64(c))},
		})
		cards = append(cards, Card{ID: Anchor("col-" + name), Title: name, Blocks: []Block{
			&Stats{Items: []KV{{"Mean", FormatFloat(float64(c) + 7.5)}, {"Nulls", FormatInt(int64(c))}}},
			&Histogram{Edges: edges, Counts: counts, XLabel: name},
		}})
	}
	return Page{
		Title: "Benchmark", Subtitle: fmt.Sprintf("%d columns", n),
		Sections: []Section{
			{ID: "summary", Title: "Summary", Blocks: []Block{summary}},
			{ID: "columns", Title: "Columns", Blocks: []Block{&Grid{Cards: cards}}},
		},
	}
}

func BenchmarkRender100Histograms(b *testing.B) { benchRender(b, benchPage(100)) }

// benchRender measures Render of p, in bytes of HTML a second.
func benchRender(b *testing.B, p Page) {
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := Render(&buf, p); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(buf.Len()))
}
