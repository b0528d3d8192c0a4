package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"
)

func TestCheckEdges(t *testing.T) {
	nan, inf, big := math.NaN(), math.Inf(1), math.MaxFloat64
	tests := []struct {
		edges []float64
		want  string // part of the message; "" for valid edges
	}{
		{[]float64{0, 1, 2}, ""},
		{[]float64{0, 0, 1, 1}, ""}, // empty bins are allowed
		{[]float64{3, 3}, ""},
		{[]float64{-inf, 0, 1}, ""},
		{[]float64{0, 1, inf}, ""},
		{[]float64{-inf, 0, inf}, ""},
		{[]float64{-inf, 0}, ""},
		{[]float64{-big / 2, big / 2}, ""},
		{[]float64{0, nan, 2}, "bin edge 1 is NaN"},
		{[]float64{nan, 1}, "bin edge 0 is NaN"},
		{[]float64{0, 2, 1}, "bin edges decrease at edge 2 (1 after 2)"},
		{[]float64{inf, 0}, "bin edge 0 is ∞ (only the first edge may be -∞ and the last ∞)"},
		{[]float64{0, -inf}, "bin edge 1 is -∞"},
		{[]float64{-inf, -inf, 0}, "bin edge 1 is -∞"},
		{[]float64{0, inf, inf}, "bin edge 1 is ∞"},
		{[]float64{-inf, inf}, "its only bin is (-∞, ∞)"},
		{[]float64{-big, big}, "the range of the bins is too large"},
		{[]float64{-inf, -big, big, inf}, "the range of the bins is too large"},
	}
	for _, tt := range tests {
		got := checkEdges(tt.edges)
		if tt.want == "" && got != "" || tt.want != "" && !strings.Contains(got, tt.want) {
			t.Errorf("checkEdges(%v) = %q, want %q", tt.edges, got, tt.want)
		}
	}
}

// nums parses the coordinates of view fields.
func nums(t *testing.T, ss ...string) []float64 {
	t.Helper()
	out := make([]float64, len(ss))
	for i, s := range ss {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatalf("coordinate %q: %v", s, err)
		}
		out[i] = f
	}
	return out
}

// points parses polyline points.
func points(t *testing.T, s string) [][2]float64 {
	t.Helper()
	var out [][2]float64
	for _, p := range strings.Fields(s) {
		x, y, ok := strings.Cut(p, ",")
		if !ok {
			t.Fatalf("point %q", p)
		}
		xy := nums(t, x, y)
		out = append(out, [2]float64{xy[0], xy[1]})
	}
	return out
}

func TestComparisonShares(t *testing.T) {
	v := layoutComparison(&Comparison{Edges: []float64{0, 1, 2}, Ref: []float64{1, 3}, Cur: []float64{30, 10}})
	if v.Empty != "" || v.Numeric == nil {
		t.Fatalf("not drawn: %s", v.Empty)
	}
	h := v.Numeric
	if got, want := v.Legend[0].Text+" | "+v.Legend[1].Text, "reference (4) | current (40)"; got != want {
		t.Errorf("legend %q, want %q", got, want)
	}
	if got, want := h.Hits[0].Title, "[0, 1): reference 25% (1), current 75% (30), change +50 pp"; got != want {
		t.Errorf("tooltip %q, want %q", got, want)
	}
	if got, want := h.Hits[1].Title, "[1, 2]: reference 75% (3), current 25% (10), change -50 pp"; got != want {
		t.Errorf("tooltip %q, want %q", got, want)
	}
	// Bars and the step line are drawn to scale: the y axis tops out at
	// 80%, so 75% is 15/16 of the plot and 25% is 5/16.
	if got := h.YTicks[len(h.YTicks)-1].Label; got != "80%" {
		t.Fatalf("top y tick %q, want 80%%", got)
	}
	f := nums(t, h.Top, h.Base)
	top, base := f[0], f[1]
	share := func(y float64) float64 { return (base - y) / (base - top) * 0.8 }
	for i, want := range []float64{0.25, 0.75} {
		b := nums(t, h.Bars[i].Y, h.Bars[i].H, h.Bars[i].W)
		if math.Abs(share(b[0])-want) > 0.005 || math.Abs(b[0]+b[1]-base) > 0.11 || b[2] <= 0 {
			t.Errorf("bar %d: y %v height %v width %v, want a share of %v", i, b[0], b[1], b[2], want)
		}
	}
	if len(h.Lines) != 1 {
		t.Fatalf("%d current lines, want one step line", len(h.Lines))
	}
	pts := points(t, h.Lines[0])
	if len(pts) != 6 || pts[0][1] != base || pts[5][1] != base {
		t.Fatalf("step line %v, want 6 points from and back to the baseline %v", pts, base)
	}
	for i, want := range []float64{0.75, 0.25} {
		if a, b := pts[1+2*i], pts[2+2*i]; a[1] != b[1] || math.Abs(share(a[1])-want) > 0.005 {
			t.Errorf("step %d at %v, %v, want a share of %v", i, a, b, want)
		}
	}
	if !strings.HasPrefix(v.Label, "Comparison of reference and current in 2 bins from 0 to 2; largest changes: [0, 1) 25.0% → 75.0%") {
		t.Errorf("label %q", v.Label)
	}
}

func TestComparisonOpenBins(t *testing.T) {
	inf := math.Inf(1)
	v := layoutComparison(&Comparison{
		Edges: []float64{-inf, 0, 10, 20, inf},
		Ref:   []float64{1, 2, 3, 4},
		Cur:   []float64{4, 3, 2, 1},
	})
	if v.Empty != "" {
		t.Fatalf("not drawn: %s", v.Empty)
	}
	h := v.Numeric
	if len(h.Axis) != 3 || h.Axis[1].Class != "open" || h.Axis[2].Class != "open" {
		t.Fatalf("axis %+v, want the finite part and two open slots", h.Axis)
	}
	axis := nums(t, h.Axis[0].X1, h.Axis[0].X2)
	left := nums(t, h.Axis[1].X1, h.Axis[1].X2)
	right := nums(t, h.Axis[2].X1, h.Axis[2].X2)
	if !(left[1] < axis[0]-cmpSlotGap/2 && right[0] > axis[1]+cmpSlotGap/2) {
		t.Errorf("open slots %v and %v not set apart from the axis %v", left, right, axis)
	}
	for _, tk := range h.XTicks {
		if x := nums(t, tk.Pos)[0]; x < axis[0] || x > axis[1] {
			t.Errorf("x tick %s at %v, outside the finite axis %v", tk.Label, x, axis)
		}
	}
	for i, want := range []string{"< 0: ", "[0, 10): ", "[10, 20): ", "≥ 20: "} {
		if !strings.HasPrefix(h.Hits[i].Title, want) {
			t.Errorf("bin %d tooltip %q, want it to start with %q", i, h.Hits[i].Title, want)
		}
	}
	first := nums(t, h.Bars[0].X, h.Bars[0].W)
	last := nums(t, h.Bars[3].X, h.Bars[3].W)
	if first[0] < left[0]-1 || first[0]+first[1] > left[1]+1 || last[0] < right[0]-1 || last[0]+last[1] > right[1]+1 {
		t.Errorf("open bins' bars %v and %v outside their slots %v and %v", first, last, left, right)
	}
	// The current distribution: a box in each open slot, one step line
	// over the finite bins from the axis' start to its end.
	if len(h.Lines) != 3 {
		t.Fatalf("%d current lines, want 3", len(h.Lines))
	}
	step := points(t, h.Lines[2])
	base := nums(t, h.Base)[0]
	if s, e := step[0], step[len(step)-1]; s != [2]float64{axis[0], base} || e != [2]float64{axis[1], base} {
		t.Errorf("step line from %v to %v, want from %v to %v on the baseline %v", s, e, axis[0], axis[1], base)
	}
}

func TestComparisonHighlight(t *testing.T) {
	v := layoutComparison(&Comparison{
		Edges:     []float64{0, 1, 2, 3},
		Ref:       []float64{1, 1, 1},
		Cur:       []float64{1, 2, 1},
		Highlight: []int{1, -1, 3, 99},
	})
	h := v.Numeric
	if len(h.Bands) != 1 || h.Bands[0].X != h.Hits[1].X || h.Bands[0].W != h.Hits[1].W {
		t.Fatalf("bands %+v, want one over bin 1 (%+v)", h.Bands, h.Hits[1])
	}
	for i, hit := range h.Hits {
		if got, want := strings.HasSuffix(hit.Title, "(highlighted)"), i == 1; got != want {
			t.Errorf("bin %d tooltip %q: highlighted %v, want %v", i, hit.Title, got, want)
		}
	}
	if !strings.Contains(v.Label, "; highlighted: [1, 2) 33.3% → 50.0%") {
		t.Errorf("label %q", v.Label)
	}

	c := layoutComparison(&Comparison{Labels: []string{"a", "b", "c"}, Ref: []float64{1, 1, 1}, Cur: []float64{2, 1, 0}, Highlight: []int{2}})
	for i, r := range c.Rows {
		if got, want := r.Class, map[bool]string{true: "hl"}[i == 2]; got != want {
			t.Errorf("row %d class %q, want %q", i, got, want)
		}
	}
	if r := c.Rows[2]; !r.NoCur || r.NoRef || r.Value != "33.3% → 0%" {
		t.Errorf("row c: no current bar %v, no reference bar %v, value %q", r.NoCur, r.NoRef, r.Value)
	}
}

func TestComparisonOtherRow(t *testing.T) {
	cats := func(n int) *Comparison {
		c := &Comparison{}
		for i := range n {
			c.Labels = append(c.Labels, "c"+strconv.Itoa(i))
			c.Ref = append(c.Ref, 1)
			c.Cur = append(c.Cur, float64(i%3))
		}
		return c
	}
	tests := []struct {
		n, rows   int
		highlight []int
		last      string // text of the last row
		class     string // its class
		tip       string // part of its tooltip
	}{
		{30, 30, nil, "c29", "", "c29: reference 3.33% (1)"},
		{31, 31, nil, "others (1)", "other", "1 other categories: reference 3.23% (1), current 0% (0)"},
		{40, 31, []int{3}, "others (10)", "other", "10 other categories: reference 25% (10), current 23.08% (9)"},
		{40, 31, []int{35, 39}, "others (10)", "hl other", "; highlighted among them: c35, c39"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.n, tt.highlight), func(t *testing.T) {
			c := cats(tt.n)
			c.Highlight = tt.highlight
			v := layoutComparison(c)
			if len(v.Rows) != tt.rows {
				t.Fatalf("%d rows, want %d", len(v.Rows), tt.rows)
			}
			for i, r := range v.Rows[:min(30, tt.n)] {
				if r.Text != "c"+strconv.Itoa(i) {
					t.Errorf("row %d is %q, want the categories in the order given", i, r.Text)
				}
			}
			last := v.Rows[len(v.Rows)-1]
			if last.Text != tt.last || last.Class != tt.class || !strings.Contains(last.Title, tt.tip) {
				t.Errorf("last row %q class %q tooltip %q, want %q class %q tooltip with %q",
					last.Text, last.Class, last.Title, tt.last, tt.class, tt.tip)
			}
			if got, want := nums(t, v.H)[0], nums(t, v.Rows[len(v.Rows)-1].Y)[0]+cmpRowH+2; got != want {
				t.Errorf("height %v, want %v: the rows fill the chart", got, want)
			}
		})
	}
}

func TestComparisonLongLabels(t *testing.T) {
	long := "Bank transfer (automatic, with a very long description)"
	v := layoutComparison(&Comparison{Labels: []string{long, "short"}, Ref: []float64{1, 2}, Cur: []float64{2, 1}})
	r := v.Rows[0]
	if !strings.HasSuffix(r.Text, "…") || textWidth(r.Text)*fontSize > cmpLabelW {
		t.Errorf("label %q not cut to fit %v units", r.Text, cmpLabelW)
	}
	if !strings.HasPrefix(r.Title, long+": ") {
		t.Errorf("tooltip %q lacks the whole label", r.Title)
	}
	if v.Rows[1].Text != "short" {
		t.Errorf("short label cut: %q", v.Rows[1].Text)
	}
}

// fuzzFloats decodes b as float64 bits, 8 bytes each, when raw, and else
// as small integers, one byte each, so that both odd values (NaN, ±Inf,
// huge, tiny) and ordinary data come up.
func fuzzFloats(b []byte, raw bool) []float64 {
	var out []float64
	if raw {
		for ; len(b) >= 8; b = b[8:] {
			var bits uint64
			for _, c := range b[:8] {
				bits = bits<<8 | uint64(c)
			}
			out = append(out, math.Float64frombits(bits))
		}
		return out
	}
	for _, c := range b {
		out = append(out, float64(int8(c)))
	}
	return out
}

// resize returns x cut or padded with zeros to n values.
func resize(x []float64, n int) []float64 {
	out := make([]float64, n)
	copy(out, x)
	return out
}

// FuzzComparison lays out comparisons of arbitrary input, made consistent
// in length and order or not as mode says, and checks that the page is
// well-formed HTML whose charts are clean SVG.
func FuzzComparison(f *testing.F) {
	f.Add([]byte{0, 10, 20, 30}, []byte{1, 2, 3}, []byte{3, 2, 1}, "", []byte{1}, uint8(0))
	f.Add([]byte{0, 10, 20}, []byte{1, 2}, []byte{3, 2}, "", []byte{0}, uint8(0b110011))
	f.Add([]byte{}, []byte{1, 2, 200}, []byte{3, 0, 1}, "a\x00b\x00c", []byte{2}, uint8(0b1010))
	f.Add([]byte{5, 5, 5}, []byte{1, 0}, []byte{0, 0}, "", []byte{}, uint8(0b10))
	f.Add([]byte{0x7f, 0xef, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, []byte{0x7f, 0xf8, 0, 0, 0, 0, 0, 1}, []byte{0x40, 0, 0, 0, 0, 0, 0, 0}, "", []byte{}, uint8(0b111))
	f.Fuzz(func(t *testing.T, edgeBytes, refBytes, curBytes []byte, labels string, highlight []byte, mode uint8) {
		raw := mode&1 != 0
		c := &Comparison{
			Title:   "fuzz",
			Ref:     fuzzFloats(refBytes, raw),
			Cur:     fuzzFloats(curBytes, raw),
			RefName: labels,
			XLabel:  labels,
		}
		consistent := mode&2 != 0
		if consistent {
			c.Cur = resize(c.Cur, len(c.Ref))
		}
		if mode&8 != 0 {
			c.Labels = strings.Split(labels, "\x00")
			if consistent {
				c.Labels = append(c.Labels, make([]string, max(0, len(c.Ref)-len(c.Labels)))...)[:len(c.Ref)]
			}
		} else {
			c.Edges = fuzzFloats(edgeBytes, raw)
			if consistent {
				c.Edges = resize(c.Edges, len(c.Ref)+1)
				for i := 1; i < len(c.Edges); i++ {
					c.Edges[i] = math.Max(c.Edges[i], c.Edges[i-1])
				}
				if len(c.Edges) > 1 && mode&16 != 0 {
					c.Edges[0] = math.Inf(-1)
				}
				if len(c.Edges) > 1 && mode&32 != 0 {
					c.Edges[len(c.Edges)-1] = math.Inf(1)
				}
			}
		}
		if mode&64 != 0 {
			c.Format = func(x float64) string { return labels + FormatFloat(x) }
		}
		for _, h := range highlight {
			c.Highlight = append(c.Highlight, int(int8(h)))
		}
		out, _ := check(t, Page{Sections: []Section{{Blocks: []Block{c}}}})
		checkSVG(t, out)
	})
}
