package report

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
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
	checkGolden(t, "drift.golden.html", render(t, driftPage()))
	if path := os.Getenv("DRIFT_SAMPLE"); path != "" {
		if err := WriteFile(path, driftPage()); err != nil {
			t.Fatal(err)
		}
	}
}

// chartProbe collects, in the browser, what the drift page's comparison
// and line charts look like once laid out: boxes from getBBox, computed
// colours, tooltips.
const chartProbe = `(() => {
	const box = e => { const b = e.getBBox(); return {x: b.x, y: b.y, w: b.width, h: b.height}; };
	const num = (e, a) => parseFloat(e.getAttribute(a));
	return [...document.querySelectorAll("svg.cmp, svg.linechart")].map(svg => {
		const vb = svg.viewBox.baseVal;
		const axis = svg.querySelector("g.axis line");
		const grid = [...svg.querySelectorAll("g.grid line")].map(l => num(l, "y1"));
		const ref = [...svg.querySelectorAll("g.ref rect, g.row rect.ref")];
		const cur = [...svg.querySelectorAll("g.cur polyline, g.row rect.cur")];
		return {
			kind: svg.getAttribute("class"),
			label: svg.getAttribute("aria-label"),
			w: vb.width, h: vb.height,
			shown: svg.getBoundingClientRect().width,
			plot: axis && {l: num(axis, "x1"), r: num(axis, "x2"), top: Math.min(...grid), base: num(axis, "y1")},
			ref: ref.map(box),
			refFill: ref.length ? getComputedStyle(ref[0]).fill : "",
			cur: cur.map(box),
			curColour: cur.length ? (cur[0].tagName === "rect" ? getComputedStyle(cur[0]).fill : getComputedStyle(cur[0]).stroke) : "",
			tips: [...svg.querySelectorAll("rect.hit > title, g.row > title")].map(t => t.textContent),
			series: [...svg.querySelectorAll("g.series polyline")].map(box),
			markers: [...svg.querySelectorAll("g.markers > g")].map(g => {
				const l = g.querySelector("line:not(.hit)");
				const st = getComputedStyle(l);
				return {x: num(l, "x1"), y1: num(l, "y1"), y2: num(l, "y2"), class: g.getAttribute("class"),
					stroke: st.stroke, dash: st.strokeDasharray, tip: g.querySelector("title").textContent};
			}),
			hlines: [...svg.querySelectorAll("g.hlines line")].map(l => num(l, "y1")),
			texts: [...svg.querySelectorAll("text")].filter(t => t.textContent).map(t => ({text: t.textContent, ...box(t)})),
		};
	});
})()`

type boxJS struct{ X, Y, W, H float64 }

type chartJS struct {
	Kind, Label string
	W, H, Shown float64
	Plot        struct{ L, R, Top, Base float64 }
	Ref, Cur    []boxJS
	RefFill     string
	CurColour   string
	Tips        []string
	Series      []boxJS
	Markers     []struct {
		X, Y1, Y2                float64
		Class, Stroke, Dash, Tip string
	}
	HLines []float64
	Texts  []struct {
		Text string
		boxJS
	}
}

// chartsInBrowser loads the page in headless Chromium, checks it with
// reporttest (no network request, no console message, no CSP violation)
// and checks every comparison and line chart as the browser laid it out:
// shown; its text, bars and lines inside it; markers and horizontal lines
// inside the plot, each marker with a tooltip; every comparison bin and
// row with a tooltip; the stylesheet's colours applied. It returns the
// charts for more checks.
func chartsInBrowser(t *testing.T, p Page) (reporttest.Result, []chartJS) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "page.html")
	if err := WriteFile(path, p); err != nil {
		t.Fatal(err)
	}
	var charts []chartJS
	res := reporttest.Inspect(t, path, chartProbe, &charts)
	for _, c := range charts {
		name := c.Kind + " " + strings.SplitN(c.Label, ".", 2)[0]
		if c.Shown <= 0 {
			t.Errorf("%s: not shown", name)
		}
		inside := func(what string, b boxJS) {
			if !(b.X >= -1 && b.Y >= -1 && b.X+b.W <= c.W+1 && b.Y+b.H <= c.H+1) {
				t.Errorf("%s: %s at %+v, outside the chart (%v×%v)", name, what, b, c.W, c.H)
			}
		}
		for _, tx := range c.Texts {
			inside(fmt.Sprintf("text %q", tx.Text), tx.boxJS)
		}
		for _, b := range c.Ref {
			inside("reference bar", b)
		}
		for _, b := range c.Cur {
			inside("current mark", b)
		}
		for _, b := range c.Series {
			inside("series line", b)
		}
		switch c.Kind {
		case "cmp":
			if len(c.Ref) > 0 && c.RefFill != "rgb(166, 188, 211)" || len(c.Cur) > 0 && c.CurColour != "rgb(217, 101, 11)" {
				t.Errorf("%s: reference fill %s and current colour %s, want the stylesheet's", name, c.RefFill, c.CurColour)
			}
			if len(c.Tips) < len(c.Ref) {
				t.Errorf("%s: %d tooltips for %d reference bars", name, len(c.Tips), len(c.Ref))
			}
			for _, tip := range c.Tips {
				if !strings.Contains(tip, "change") {
					t.Errorf("%s: tooltip %q", name, tip)
				}
			}
		case "linechart":
			p := c.Plot
			for _, m := range c.Markers {
				if m.X < p.L || m.X > p.R || m.Y1 < p.Top-0.5 || m.Y2 > p.Base+0.5 {
					t.Errorf("%s: marker %q at x %v from y %v to %v, outside the plot %+v", name, m.Tip, m.X, m.Y1, m.Y2, p)
				}
				if !strings.Contains(m.Tip, " at ") {
					t.Errorf("%s: marker tooltip %q", name, m.Tip)
				}
				switch m.Class {
				case "mk error":
					if m.Stroke != "rgb(179, 38, 30)" || m.Dash != "none" {
						t.Errorf("%s: drift marker stroke %s dash %s, want solid red", name, m.Stroke, m.Dash)
					}
				case "mk warn":
					if m.Stroke != "rgb(212, 167, 44)" || m.Dash == "none" {
						t.Errorf("%s: warning marker stroke %s dash %s, want dashed amber", name, m.Stroke, m.Dash)
					}
				}
			}
			for _, y := range c.HLines {
				if y < p.Top-0.5 || y > p.Base+0.5 {
					t.Errorf("%s: horizontal line at y %v, outside the plot %+v", name, y, p)
				}
			}
		}
	}
	return res, charts
}

// TestDriftPageInBrowser checks the drift page in headless Chromium (see
// chartsInBrowser): its text is shown, and each chart has bars, lines
// and markers of some size.
func TestDriftPageInBrowser(t *testing.T) {
	res, charts := chartsInBrowser(t, driftPage())
	for _, want := range []string{"reference (7,043)", "churn@v2 (2,700)", "others (10)", "drift", "alert threshold 0.2", "Month-to-month"} {
		if !strings.Contains(res.Text, want) {
			t.Errorf("page text lacks %q", want)
		}
	}
	var cmps, lines int
	for _, c := range charts {
		name := c.Kind + " " + strings.SplitN(c.Label, ".", 2)[0]
		switch c.Kind {
		case "cmp":
			cmps++
			if len(c.Ref) == 0 || len(c.Cur) == 0 {
				t.Errorf("%s: %d reference bars and %d current marks", name, len(c.Ref), len(c.Cur))
			}
			for _, b := range c.Ref {
				if b.W <= 0 || b.H <= 0 {
					t.Errorf("%s: reference bar %+v has no area", name, b)
				}
			}
			for _, b := range c.Cur {
				if b.W <= 0 {
					t.Errorf("%s: current mark %+v has no width", name, b)
				}
			}
		case "linechart":
			lines++
			if len(c.Series) == 0 || len(c.Markers) == 0 || len(c.Texts) == 0 {
				t.Errorf("%s: %d series lines, %d markers, %d texts", name, len(c.Series), len(c.Markers), len(c.Texts))
			}
			for _, b := range c.Series {
				if b.W <= 0 || b.H <= 0 {
					t.Errorf("%s: series line %+v has no extent", name, b)
				}
			}
		}
	}
	if cmps != 5 || lines != 2 {
		t.Errorf("%d comparisons and %d line charts, want 5 and 2", cmps, lines)
	}
}

// TestDriftEdgesInBrowser checks the charts of input at the edges in
// headless Chromium: long labels cut to fit the browser's font, odd
// values placed inside their charts.
func TestDriftEdgesInBrowser(t *testing.T) {
	_, charts := chartsInBrowser(t, driftEdgePage())
	if len(charts) < 20 {
		t.Errorf("%d charts drawn, want the edge cases that draw", len(charts))
	}
}

func BenchmarkRenderDriftPage(b *testing.B) { benchRender(b, driftPage()) }

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
			checkSVG(t, out)
		})
	}
}
