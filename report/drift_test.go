package report

import (
	"bytes"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/assayhq/assay/report/reporttest"
)

// driftPage is a drift report between two versions of the churn data:
// reference and current distributions of numeric and categorical columns,
// and error-stream detectors over time.
func driftPage() Page {
	r := rand.New(rand.NewPCG(1, 2))
	inf := math.Inf(1)

	tenure := &Comparison{
		Title:     "tenure (months)",
		Edges:     []float64{-inf, 0, 12, 24, 36, 48, 60, 72, inf},
		Ref:       []float64{0, 2186, 1024, 832, 762, 832, 1397, 10},
		Cur:       []float64{3, 998, 420, 301, 280, 250, 402, 46},
		XLabel:    "tenure (months)",
		Highlight: []int{1, 7},
	}
	charges := &Comparison{
		Title:  "MonthlyCharges ($)",
		Edges:  []float64{18.25, 28.3, 38.35, 48.4, 58.45, 68.5, 78.55, 88.6, 98.65, 108.7, 118.75},
		Ref:    []float64{1606, 186, 400, 438, 654, 940, 864, 948, 713, 294},
		Cur:    []float64{510, 70, 150, 160, 205, 300, 310, 380, 400, 215},
		XLabel: "MonthlyCharges ($)",
	}
	contract := &Comparison{
		Title:     "Contract",
		Labels:    []string{"Month-to-month", "Two year", "One year"},
		Ref:       []float64{3875, 1695, 1473},
		Cur:       []float64{1890, 420, 390},
		Highlight: []int{0},
	}
	payment := &Comparison{
		Title:   "PaymentMethod",
		Labels:  []string{"Electronic check", "Mailed check", "Bank transfer (automatic, with a very long description)", "Credit card (automatic)", "Crypto wallet", "other"},
		Ref:     []float64{2365, 1612, 1544, 1522, 0, 0},
		Cur:     []float64{1310, 500, 420, 380, 90, 0},
		RefName: "churn@v1", CurName: "churn@v2",
		Highlight: []int{4},
	}
	var cities []string
	var cref, ccur []float64
	for i := range 40 {
		cities = append(cities, "city-"+string(rune('A'+i%26))+string(rune('a'+i/26)))
		cref = append(cref, math.Round(2000/float64(i+1)))
		ccur = append(ccur, math.Round(1500/float64(i+2)))
	}
	city := &Comparison{Title: "City (40 categories)", Labels: cities, Ref: cref, Cur: ccur}

	// An error stream over 30 days, hourly, that degrades after day 18.
	start := float64(time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC).Unix())
	var hours, errRate []float64
	for h := range 30 * 24 {
		p := 0.12
		if h > 18*24 {
			p = 0.12 + 0.1*math.Min(1, float64(h-18*24)/(5*24))
		}
		hours = append(hours, start+float64(h)*3600)
		errRate = append(errRate, p+0.03*r.NormFloat64())
	}
	ddm := &Line{
		Title:  "DDM on the prediction errors",
		X:      hours,
		Series: []Series{{Name: "error rate", Y: errRate}},
		Markers: []Marker{
			{X: start + 19*24*3600 + 5*3600, Label: "warning", Level: LevelWarn},
			{X: start + 20*24*3600 + 14*3600, Label: "drift", Level: LevelError},
		},
		HLines:  []HLine{{Y: 0.2, Label: "alert threshold 0.2"}},
		XTime:   true,
		YFormat: FormatPercent,
		YLabel:  "error rate (hourly)",
	}
	// A long stream by row: thinned for drawing, alarms exact.
	const rows = 100_000
	acc, mean := make([]float64, rows), make([]float64, rows)
	var sum float64
	for i := range rows {
		p := 0.85
		if i > 61_000 {
			p = 0.74
		}
		acc[i] = p + 0.02*r.NormFloat64()
		sum += acc[i]
		mean[i] = sum / float64(i+1)
	}
	adwin := &Line{
		Title:  "ADWIN on accuracy",
		Series: []Series{{Name: "accuracy (window)", Y: acc}, {Name: "running mean", Y: mean}},
		Markers: []Marker{
			{X: 61_950, Label: "drift", Level: LevelError},
			{X: 63_400, Label: "drift", Level: LevelError},
			{X: 60_500, Label: "warning", Level: LevelWarn},
		},
		XLabel: "row",
	}

	card := func(name string, level Level, verdict string, blocks ...Block) Card {
		return Card{ID: Anchor("col-" + name), Title: name, Level: level,
			Blocks: append([]Block{&Stats{Items: []KV{{"Test", verdict}}}}, blocks...)}
	}
	return Page{
		Title:    "Drift: churn@v1 → churn@v2",
		Subtitle: "reference churn@v1 · 7,043 rows · current churn@v2 · 3,000 rows",
		Meta:     []KV{{"Generated", "2026-11-01 09:30:00 UTC"}, {"Command", "assay drift churn@v1 churn@v2 --html drift.html"}},
		Sections: []Section{
			{ID: "summary", Title: "Summary", Blocks: []Block{
				&Note{Level: LevelError, Text: "Dataset drift: 4 of 5 columns drifted (threshold 50%)."},
			}},
			{ID: "columns", Title: "Columns", Blocks: []Block{&Grid{Cards: []Card{
				card("tenure", LevelError, "Wasserstein (normed) 0.21 > 0.1", tenure),
				card("MonthlyCharges", LevelOK, "Wasserstein (normed) 0.04 ≤ 0.1", charges),
				card("Contract", LevelError, "Jensen-Shannon 0.12 > 0.1", contract),
				card("PaymentMethod", LevelError, "Jensen-Shannon 0.15 > 0.1", payment),
				card("City", LevelError, "Jensen-Shannon 0.11 > 0.1", city),
			}}}},
			{ID: "concept", Title: "Concept drift", Blocks: []Block{&Grid{Cards: []Card{
				{Title: "DDM", Level: LevelError, Blocks: []Block{ddm}},
				{Title: "ADWIN", Level: LevelError, Blocks: []Block{adwin}},
			}}}},
		},
	}
}

func TestDriftGolden(t *testing.T) {
	got := render(t, driftPage())
	golden := filepath.Join("testdata", "drift.golden.html")
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
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
	if path := os.Getenv("DRIFT_SAMPLE"); path != "" {
		if err := WriteFile(path, driftPage()); err != nil {
			t.Fatal(err)
		}
	}
}

// TestDriftPageInBrowser loads the drift page in headless Chromium: no
// network request, no console message, and the chart text shown.
func TestDriftPageInBrowser(t *testing.T) {
	path := filepath.Join(t.TempDir(), "drift.html")
	if err := WriteFile(path, driftPage()); err != nil {
		t.Fatal(err)
	}
	res := reporttest.Check(t, path)
	for _, want := range []string{"reference (7,043)", "churn@v2 (2,700)", "others (10)", "drift", "alert threshold 0.2", "Month-to-month"} {
		if !strings.Contains(res.Text, want) {
			t.Errorf("page text lacks %q", want)
		}
	}
}

func BenchmarkRenderDriftPage(b *testing.B) {
	p := driftPage()
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

// driftEdgePage holds comparisons and line charts at the edges of their
// input, each with the message it should show (or "" when it draws).
func driftEdgeBlocks() []struct {
	block Block
	want  string
} {
	nan, inf := math.NaN(), math.Inf(1)
	long := strings.Repeat("W", 5000)
	many, edges := make([]float64, 5000), make([]float64, 5001)
	for i := range many {
		many[i] = float64(i % 7)
	}
	for i := range edges {
		edges[i] = float64(i) / 10
	}
	return []struct {
		block Block
		want  string
	}{
		{&Comparison{Title: "empty"}, "No data."},
		{&Comparison{Title: "both", Edges: []float64{0, 1}, Labels: []string{"a"}, Ref: []float64{1}, Cur: []float64{1}}, "both bin edges and category labels"},
		{&Comparison{Title: "ref/cur", Edges: []float64{0, 1, 2}, Ref: []float64{1, 2, 3}, Cur: []float64{1, 2}}, "3 reference counts and 2 current counts"},
		{&Comparison{Title: "labels", Labels: []string{"a"}, Ref: []float64{1, 2}, Cur: []float64{1, 2}}, "1 category labels for 2 counts"},
		{&Comparison{Title: "edges", Edges: []float64{0, 1}, Ref: []float64{1, 2}, Cur: []float64{1, 2}}, "2 bin edges for 2 counts (want 3)"},
		{&Comparison{Title: "no edges", Ref: []float64{1}, Cur: []float64{1}}, "0 bin edges for 1 counts"},
		{&Comparison{Title: "nan edge", Edges: []float64{0, nan, 2}, Ref: []float64{1, 2}, Cur: []float64{1, 2}}, "bin edge 1 is NaN"},
		{&Comparison{Title: "decreasing", Edges: []float64{0, 2, 1}, Ref: []float64{1, 2}, Cur: []float64{1, 2}}, "bin edges decrease at edge 2"},
		{&Comparison{Title: "inner inf", Edges: []float64{0, inf, inf}, Ref: []float64{1, 2}, Cur: []float64{1, 2}}, "only the first edge may be"},
		{&Comparison{Title: "only open", Edges: []float64{-inf, inf}, Ref: []float64{1}, Cur: []float64{1}}, "its only bin is (-∞, ∞)"},
		{&Comparison{Title: "all zero", Edges: []float64{0, 1, 2}, Ref: []float64{0, 0}, Cur: []float64{0, 0}}, "all counts are zero"},
		{&Comparison{Title: "all zero cats", Labels: []string{"a", "b"}, Ref: []float64{0, 0}, Cur: []float64{0, 0}}, "all counts are zero"},
		{&Comparison{Title: "cur empty", Edges: []float64{0, 1, 2}, Ref: []float64{1, 2}, Cur: []float64{0, 0}}, "The current distribution is empty"},
		{&Comparison{Title: "bad counts", Edges: []float64{0, 1, 2, 3}, Ref: []float64{1, nan, 3}, Cur: []float64{-1, 2, inf}}, "3 of 6 counts taken as zero"},
		{&Comparison{Title: "overflow", Edges: []float64{0, 1, 2}, Ref: []float64{math.MaxFloat64, math.MaxFloat64}, Cur: []float64{1, 1}}, "more than float64 holds"},
		{&Comparison{Title: "huge range", Edges: []float64{-math.MaxFloat64, math.MaxFloat64}, Ref: []float64{1}, Cur: []float64{1}}, "range of the bins is too large"},
		{&Comparison{Title: "one bin", Edges: []float64{0, 1}, Ref: []float64{5}, Cur: []float64{7}}, ""},
		{&Comparison{Title: "point", Edges: []float64{3, 3}, Ref: []float64{5}, Cur: []float64{7}}, ""},
		{&Comparison{Title: "zero-width bins", Edges: []float64{0, 0, 1, 1}, Ref: []float64{5, 1, 5}, Cur: []float64{1, 1, 9}}, ""},
		{&Comparison{Title: "open left only", Edges: []float64{-inf, 3}, Ref: []float64{5}, Cur: []float64{7}}, ""},
		{&Comparison{Title: "open both", Edges: []float64{-inf, 3, inf}, Ref: []float64{5, 1}, Cur: []float64{7, 0}}, ""},
		{&Comparison{Title: "tiny shares", Edges: []float64{0, 1, 2}, Ref: []float64{1e-300, 1}, Cur: []float64{1, 1e9}, Highlight: []int{-1, 0, 99}}, ""},
		{&Comparison{Title: "long format", Edges: []float64{0, 1}, Ref: []float64{1}, Cur: []float64{2}, Format: func(float64) string { return long }, XLabel: long, RefName: long, CurName: long}, ""},
		{&Comparison{Title: "long labels", Labels: []string{long, "", "漢字" + long}, Ref: []float64{1, 2, 3}, Cur: []float64{3, 2, 1}}, ""},
		{&Comparison{Title: "many bins", Edges: append([]float64{-inf}, edges...), Ref: many, Cur: many[1:]}, "5,000 reference counts and 4,999 current"},
		{&Comparison{Title: "many bins open", Edges: append([]float64{-inf}, edges[:len(edges)-1]...), Ref: many, Cur: many}, ""},
		{&Comparison{Title: "many categories", Labels: make([]string, 5000), Ref: many, Cur: many}, "others (4,970)"},
		{&Line{Title: "empty"}, "No data."},
		{&Line{Title: "empty series", Series: []Series{{Name: "a"}}}, "No data."},
		{&Line{Title: "mismatch only", X: []float64{1}, Series: []Series{{Y: []float64{1, 2}}}}, "No drawable points."},
		{&Line{Title: "all nan", Series: []Series{{Y: []float64{nan, inf, -inf}}}}, "No drawable points."},
		{&Line{Title: "mismatch", X: []float64{1, 2, 3}, Series: []Series{{Name: "short", Y: []float64{1, 2}}}}, `"short" has 2 values for 3 x values`},
		{&Line{Title: "huge", Series: []Series{{Y: []float64{-math.MaxFloat64, math.MaxFloat64}}}}, "range of the values is too large"},
		{&Line{Title: "one point", Series: []Series{{Y: []float64{5}}}}, ""},
		{&Line{Title: "one time point", X: []float64{1.7e9}, XTime: true, Series: []Series{{Y: []float64{0}}}}, ""},
		{&Line{Title: "all zero", Series: []Series{{Y: make([]float64, 10)}}}, ""},
		{&Line{Title: "gaps", Series: []Series{{Y: []float64{1, nan, 2, 3, inf, 4, nan}}}}, "3 of 7 points not drawn"},
		{&Line{Title: "nan x", X: []float64{3, nan, 1, 2}, Series: []Series{{Y: []float64{1, 2, 3, 4}}}}, "1 of 4 points not drawn"},
		{&Line{Title: "bad markers", Series: []Series{{Y: []float64{1, 2}}},
			Markers: []Marker{{X: nan, Label: "x"}, {X: 0.5, Label: long, Level: Level("bogus")}, {X: 0.5, Label: long}},
			HLines:  []HLine{{Y: inf}, {Y: 1.5, Label: long}, {Y: 1e6}}}, "1 of 3 markers not drawn"},
		{&Line{Title: "markers far out", Series: []Series{{Y: []float64{1, 2}}}, Markers: []Marker{{X: -1e12}, {X: 1e12, Level: LevelError}}}, ""},
		{&Line{Title: "many series", Series: func() []Series {
			s := make([]Series, 20)
			for i := range s {
				s[i] = Series{Name: strings.Repeat("n", i), Y: []float64{float64(i), float64(i + 1)}}
			}
			return s
		}()}, "+9 more"},
		{&Line{Title: "thinned gaps", Series: []Series{{Y: func() []float64 {
			y := make([]float64, 10_000)
			for i := range y {
				if i%2 == 1 {
					y[i] = nan
				}
			}
			return y
		}()}}}, "5,000 of 10,000 points not drawn"},
		{&Line{Title: "long formats", XLabel: long, YLabel: long, Series: []Series{{Name: long, Y: []float64{1, 2}}},
			XFormat: func(float64) string { return long }, YFormat: func(float64) string { return long }}, ""},
		{&Line{Title: "time outside years", X: []float64{-1e15, 1e15}, XTime: true, Series: []Series{{Y: []float64{1, 2}}}}, ""},
	}
}

func driftEdgePage() Page {
	var blocks []Block
	for _, b := range driftEdgeBlocks() {
		blocks = append(blocks, b.block)
	}
	blocks = append(blocks, (*Comparison)(nil), (*Line)(nil))
	return Page{Title: "Drift edges", Sections: []Section{{Title: "Edges", Blocks: blocks}}}
}

func TestDriftEdgeCases(t *testing.T) {
	for _, tt := range driftEdgeBlocks() {
		var title string
		switch b := tt.block.(type) {
		case *Comparison:
			title = b.Title
		case *Line:
			title = b.Title
		}
		t.Run(title, func(t *testing.T) {
			out, pp := check(t, Page{Sections: []Section{{Blocks: []Block{tt.block}}}})
			if tt.want != "" && !strings.Contains(pp.Text, tt.want) {
				t.Errorf("page text lacks %q:\n%s", tt.want, pp.Text)
			}
			drawn := strings.Contains(out, "<svg")
			if tt.want == "" && !drawn {
				t.Errorf("nothing drawn:\n%s", pp.Text)
			}
			for _, a := range []string{"x", "y", "width", "height", "x1", "x2", "y1", "y2", "cx", "cy", "points", "viewBox"} {
				for _, v := range pp.Attrs[a] {
					if strings.Contains(v, "NaN") || strings.Contains(v, "Inf") || (a == "width" || a == "height") && strings.HasPrefix(v, "-") {
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
			if drawn && !strings.Contains(out, `role="img"`) {
				t.Errorf("chart without role=img")
			}
		})
	}
}
