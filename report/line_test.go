package report

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestLineGaps(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	tests := []struct {
		name        string
		x, y        []float64
		lines, dots []int  // points per polyline; dots
		note        string // part of the note
	}{
		{"no gaps", nil, []float64{1, 2, 3}, []int{3}, nil, ""},
		{"nan and inf y break the line", nil, []float64{1, 2, nan, 3, 4, inf, 5, nan, -inf, 6, 7},
			[]int{2, 2, 2}, []int{1}, "4 of 11 points not drawn (NaN or infinite x or y)."},
		{"a leading and a trailing gap", nil, []float64{nan, 1, 2, nan}, []int{2}, nil, "2 of 4 points not drawn"},
		{"nan x is left out", []float64{0, 1, nan, 3}, []float64{1, 2, 3, 4}, []int{3}, nil, "1 of 4 points not drawn"},
		{"unsorted x", []float64{3, 1, 2, -inf}, []float64{1, 2, nan, 4}, nil, []int{1, 1}, "2 of 4 points not drawn"},
		{"sorted x", []float64{3, 1, 2, 4}, []float64{1, 2, 3, 4}, []int{4}, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := layoutLine(&Line{X: tt.x, Series: []Series{{Y: tt.y}}})
			if v.Empty != "" {
				t.Fatalf("not drawn: %s", v.Empty)
			}
			s := v.Series[0]
			var lines []int
			for _, l := range s.Lines {
				lines = append(lines, len(points(t, l)))
			}
			if !slices.Equal(lines, tt.lines) || len(s.Dots) != len(tt.dots) {
				t.Errorf("polylines of %v points and %d dots, want %v and %d", lines, len(s.Dots), tt.lines, len(tt.dots))
			}
			if tt.note == "" && v.Note != "" || !strings.Contains(v.Note, tt.note) {
				t.Errorf("note %q, want %q", v.Note, tt.note)
			}
		})
	}
	// Points are drawn in order of x.
	v := layoutLine(&Line{X: []float64{3, 1, 2}, Series: []Series{{Y: []float64{30, 10, 20}}}})
	pts := points(t, v.Series[0].Lines[0])
	if !slices.IsSortedFunc(pts, func(a, b [2]float64) int { return int(a[0] - b[0]) }) || pts[0][1] < pts[2][1] {
		t.Errorf("points %v, want them by x, rising", pts)
	}
}

// collect thins points and returns the ones drawn, on an identity scale.
func collect(t *testing.T, xs, ys []float64, x0, x1 float64, n int) ([][2]float64, *seriesView) {
	t.Helper()
	sv := &seriesView{}
	r := &runs{sx: func(x float64) float64 { return x }, sy: func(y float64) float64 { return y }, view: sv}
	thin(func(f func(x, y float64)) {
		for i := range xs {
			f(xs[i], ys[i])
		}
	}, x0, x1, n, r)
	var out [][2]float64
	for _, l := range sv.Lines {
		out = append(out, points(t, l)...)
	}
	for _, d := range sv.Dots {
		f := nums(t, d.X, d.Y)
		out = append(out, [2]float64{f[0], f[1]})
	}
	return out, sv
}

func TestThinKeepsPeaks(t *testing.T) {
	// 100,000 points of noise in 250 slices, with a spike up and one down.
	r := rand.New(rand.NewPCG(3, 4))
	const n, slicesN = 100_000, 250
	xs, ys := make([]float64, n), make([]float64, n)
	for i := range n {
		xs[i], ys[i] = float64(i), float64(r.IntN(100))
	}
	ys[33_333], ys[77_777] = 1000, -1000
	drawn, _ := collect(t, xs, ys, 0, n-1, slicesN)
	if len(drawn) > 4*slicesN {
		t.Errorf("%d points drawn, want at most 4 per slice (%d)", len(drawn), 4*slicesN)
	}
	// Each slice keeps its first, last, lowest and highest point, and
	// nothing else.
	slice := func(x float64) int { return min(slicesN-1, int(x/(n-1)*slicesN)) }
	type want struct{ first, last, low, high [2]float64 }
	wants := make([]*want, slicesN)
	for i := range n {
		p := [2]float64{xs[i], ys[i]}
		w := wants[slice(xs[i])]
		if w == nil {
			wants[slice(xs[i])] = &want{p, p, p, p}
			continue
		}
		w.last = p
		if p[1] < w.low[1] {
			w.low = p
		}
		if p[1] > w.high[1] {
			w.high = p
		}
	}
	kept, wanted := map[[2]float64]bool{}, map[[2]float64]bool{}
	for _, p := range drawn {
		kept[p] = true
	}
	for s, w := range wants {
		for _, p := range [][2]float64{w.first, w.last, w.low, w.high} {
			if !kept[p] {
				t.Errorf("slice %d: point %v not drawn", s, p)
			}
			wanted[p] = true
		}
	}
	for p := range kept {
		if !wanted[p] {
			t.Errorf("point %v drawn, which is no slice's first, last, lowest or highest", p)
		}
	}
	for _, peak := range []float64{1000, -1000} {
		if !slices.ContainsFunc(drawn, func(p [2]float64) bool { return p[1] == peak }) {
			t.Errorf("peak %v lost", peak)
		}
	}
}

func TestThinGaps(t *testing.T) {
	nan := math.NaN()
	xs := make([]float64, 1000)
	ys := make([]float64, 1000)
	for i := range xs {
		xs[i], ys[i] = float64(i), float64(i%10)
		if i >= 400 && i < 500 || i%2 == 1 && i > 800 && i < 890 {
			ys[i] = nan
		}
	}
	// 10 slices of 100: the gap 400-499 fills a slice and breaks the
	// line; the odd NaNs from 801 to 889 fall inside a slice and do not.
	_, sv := collect(t, xs, ys, 0, 999, 10)
	if len(sv.Lines) != 2 || len(sv.Dots) != 0 {
		t.Errorf("%d polylines and %d dots, want 2 polylines", len(sv.Lines), len(sv.Dots))
	}
	// Through layoutLine: a series over maxPoints is thinned to the
	// plot's width, one under is drawn whole.
	long := make([]float64, 3*maxPoints)
	for i := range long {
		long[i] = math.Sin(float64(i))
	}
	v := layoutLine(&Line{Series: []Series{{Y: long}, {Y: long[:maxPoints]}}})
	pw := nums(t, v.PlotR)[0] - nums(t, v.PlotL)[0]
	if got := len(points(t, v.Series[0].Lines[0])); float64(got) > 4*math.Ceil(pw) {
		t.Errorf("long series drawn with %d points, want at most %v", got, 4*math.Ceil(pw))
	}
	if got := len(points(t, v.Series[1].Lines[0])); got != maxPoints {
		t.Errorf("series of %d points drawn with %d", maxPoints, got)
	}
}

func TestLineMarkers(t *testing.T) {
	v := layoutLine(&Line{
		Series: []Series{{Y: make([]float64, 101)}},
		Markers: []Marker{
			{X: 12, Label: "third", Level: LevelError},
			{X: 10, Label: "first", Level: LevelWarn},
			{X: 11, Label: "second", Level: LevelError},
			{X: 50, Label: "fourth", Level: LevelInfo},
			{X: 100, Label: "at the end", Level: LevelOK},
			{X: 55, Level: Level("bogus")},
			{X: 300, Label: "beyond the data", Level: LevelError},
			{X: math.NaN(), Label: "nowhere"},
		},
		HLines: []HLine{{Y: -5, Label: "low"}, {Y: 0.5}},
	})
	if len(v.Markers) != 7 {
		t.Fatalf("%d markers, want 7 (the NaN one is not drawn)", len(v.Markers))
	}
	if !strings.Contains(v.Note, "1 of 8 markers not drawn") {
		t.Errorf("note %q", v.Note)
	}
	f := nums(t, v.PlotL, v.PlotR, v.Top, v.Base)
	left, right, top, base := f[0], f[1], f[2], f[3]
	type label struct {
		from, to float64
		row      string
	}
	var placed []label
	var titles []string
	for _, m := range v.Markers {
		titles = append(titles, m.Title)
		x := nums(t, m.X)[0]
		if x < left || x > right || m.Y1 != v.Top || m.Y2 != v.Base {
			t.Errorf("marker %q at x %v from %s to %s, outside the plot [%v, %v]×[%v, %v]", m.Title, x, m.Y1, m.Y2, left, right, top, base)
		}
		if m.Text == "" {
			continue
		}
		w := textWidth(m.Text) * fontSize
		from := nums(t, m.TextX)[0]
		if m.Anchor == "end" {
			from -= w
		}
		if from < left || from+w > right {
			t.Errorf("label %q from %v to %v, outside the plot", m.Text, from, from+w)
		}
		for _, p := range placed {
			if p.row == m.TextY && from < p.to && p.from < from+w {
				t.Errorf("label %q overlaps another in its row", m.Text)
			}
		}
		placed = append(placed, label{from, from + w, m.TextY})
	}
	want := []string{"first at 10", "second at 11", "third at 12", "fourth at 50", "marker at 55", "at the end at 100", "beyond the data at 300"}
	if !slices.Equal(titles, want) {
		t.Errorf("marker tooltips %q, want %q", titles, want)
	}
	texts := map[string]string{}
	for _, m := range v.Markers {
		texts[m.Title] = m.Text + "|" + m.Anchor + "|" + m.Class
	}
	for title, want := range map[string]string{
		"first at 10":            "first|start|mk warn",
		"second at 11":           "second|start|mk error", // second row
		"third at 12":            "||mk error",            // no room in either row
		"fourth at 50":           "fourth|start|mk info",
		"marker at 55":           "||mk",
		"at the end at 100":      "at the end|start|mk ok",
		"beyond the data at 300": "beyond the data|end|mk error", // at the right edge: before the line
	} {
		if texts[title] != want {
			t.Errorf("marker %q: text|anchor|class %q, want %q", title, texts[title], want)
		}
	}
	// The axes cover markers and horizontal lines.
	for _, h := range v.HLines {
		if y := nums(t, h.Y)[0]; y < top || y > base {
			t.Errorf("horizontal line %q at y %v, outside [%v, %v]", h.Title, y, top, base)
		}
	}
	// The legend names each level by its markers' shared label, or by the
	// level when they differ, mildest first.
	var legend []string
	for _, it := range v.Legend {
		legend = append(legend, it.Class+"="+it.Text)
	}
	if got, want := strings.Join(legend, " "), "mk=marker mk ok=at the end mk info=fourth mk warn=first mk error=error"; got != want {
		t.Errorf("legend %q, want %q", got, want)
	}
}

func TestLineLegendSeries(t *testing.T) {
	tests := []struct {
		series []Series
		want   string
	}{
		{[]Series{{Y: []float64{1, 2}}}, ""},
		{[]Series{{Name: "acc", Y: []float64{1, 2}}}, "s0=acc"},
		{[]Series{{Y: []float64{1, 2}}, {Y: []float64{2, 1}}}, "s0=series 1 s1=series 2"},
		{[]Series{{Y: []float64{1, 2}}, {Name: "skipped", Y: []float64{2}}}, ""},
	}
	for _, tt := range tests {
		v := layoutLine(&Line{X: []float64{0, 1}, Series: tt.series})
		var legend []string
		for _, it := range v.Legend {
			legend = append(legend, it.Class+"="+it.Text)
		}
		if got := strings.Join(legend, " "); got != tt.want {
			t.Errorf("legend of %d series: %q, want %q", len(tt.series), got, tt.want)
		}
	}
	// Six colours, then the same dashed.
	if got, want := []string{seriesClass(0), seriesClass(5), seriesClass(6), seriesClass(13)}, []string{"s0", "s5", "s0 dash", "s1 dash"}; !slices.Equal(got, want) {
		t.Errorf("series classes %q, want %q", got, want)
	}
}

func TestLineTimeAxis(t *testing.T) {
	start := 1_790_812_800.0 // 2026-10-01 00:00:00 UTC, a Thursday
	var x, y []float64
	for h := range 30 * 24 {
		x = append(x, start+float64(h)*hour)
		y = append(y, float64(h%24))
	}
	v := layoutLine(&Line{X: x, Series: []Series{{Y: y}}, XTime: true,
		Markers: []Marker{{X: start + 19.5*day, Label: "drift", Level: LevelError}}})
	var labels []string
	for _, tk := range v.XTicks {
		labels = append(labels, tk.Label)
	}
	if got, want := strings.Join(labels, " "), "Oct 5 Oct 12 Oct 19 Oct 26"; got != want {
		t.Errorf("x ticks %q, want %q", got, want)
	}
	if got, want := v.Markers[0].Title, "drift at 2026-10-20 12:00 UTC"; got != want {
		t.Errorf("marker tooltip %q, want %q", got, want)
	}
	if !strings.Contains(v.Label, "from 2026-10-01 to 2026-10-30 23:00 UTC") {
		t.Errorf("label %q", v.Label)
	}
}

// FuzzLine lays out line charts of arbitrary input and checks that the
// page is well-formed HTML whose charts are clean SVG.
func FuzzLine(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3}, []byte{5, 3, 4, 1, 2, 3, 4, 5}, []byte{1, 2}, []byte{3}, "drift", uint8(0), uint8(2))
	f.Add([]byte{}, []byte{5, 0x80, 4, 1}, []byte{9}, []byte{}, "", uint8(0b110), uint8(1))
	f.Add([]byte{3, 1, 2}, []byte{1, 2, 3}, []byte{}, []byte{1, 1}, "a\nb", uint8(0b1000_0100), uint8(5))
	f.Add([]byte{}, []byte{1, 2, 3, 4, 5, 6, 7, 8, 9}, []byte{100}, []byte{50}, "x", uint8(0b0001_0010), uint8(1))
	f.Add([]byte{0x7f, 0xef, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, []byte{0xff, 0xef, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, []byte{}, []byte{}, "", uint8(1), uint8(1))
	f.Fuzz(func(t *testing.T, xBytes, yBytes, markBytes, hlineBytes []byte, label string, mode, nseries uint8) {
		raw := mode&1 != 0
		l := &Line{Title: "fuzz", XLabel: label, YLabel: label, XTime: mode&4 != 0}
		ys := fuzzFloats(yBytes, raw)
		if mode&16 != 0 && len(ys) > 0 {
			// Past maxPoints, so that the series is thinned.
			for len(ys) <= maxPoints {
				ys = append(ys, ys...)
			}
		}
		// Time axes at several scales: seconds to years.
		scale := []float64{1, minute, hour, day, 30 * day, year}[int(mode>>5)%6]
		offset := 0.0
		if l.XTime && !raw {
			offset = 1.7e9
		}
		if mode&2 == 0 {
			l.X = fuzzFloats(xBytes, raw)
			if mode&8 != 0 {
				l.X = resize(l.X, len(ys)/max(1, int(nseries%4)))
			}
			for i := range l.X {
				l.X[i] = offset + l.X[i]*scale
			}
		}
		// Split the values into up to three series.
		k := max(1, int(nseries%4))
		for i := range k {
			part := ys[i*len(ys)/k : (i+1)*len(ys)/k]
			l.Series = append(l.Series, Series{Name: strings.Repeat(label, i), Y: part})
		}
		for i, m := range fuzzFloats(markBytes, raw) {
			l.Markers = append(l.Markers, Marker{X: offset + m*scale, Label: label, Level: []Level{LevelWarn, LevelError, "", "bogus"}[i%4]})
		}
		for _, h := range fuzzFloats(hlineBytes, raw) {
			l.HLines = append(l.HLines, HLine{Y: h, Label: label})
		}
		if mode&128 != 0 {
			l.XFormat = func(x float64) string { return label + FormatFloat(x) }
			l.YFormat = func(y float64) string { return FormatPercent(y) + label }
		}
		out, _ := check(t, Page{Sections: []Section{{Blocks: []Block{l}}}})
		checkSVG(t, out)
	})
}

func BenchmarkLayoutLine(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	y := make([]float64, 100_000)
	for i := range y {
		y[i] = r.NormFloat64()
	}
	l := &Line{Series: []Series{{Name: "statistic", Y: y}}, Markers: []Marker{{X: 50_000, Label: "drift"}}}
	b.ReportAllocs()
	for b.Loop() {
		if v := layoutLine(l); v.Empty != "" {
			b.Fatal(v.Empty)
		}
	}
}
