package report

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Comparison geometry, besides the shared chart constants.
const (
	cmpH       = 200.0 // numeric: height below the legend
	cmpSlotW   = 18.0  // numeric: width of a bin open at one end
	cmpSlotGap = 6.0   // numeric: gap between an open bin and the others
	cmpRowH    = 24.0  // categorical: one category
	cmpBarH    = 8.0   // categorical: one of its two bars
	cmpLabelW  = 110.0 // categorical: room for category labels
	maxCats    = 30    // categorical: categories drawn; the rest are summed into one row
)

type cmpView struct {
	Title, Label, Empty, Note string
	W, H                      string
	Legend                    []legendItem
	Numeric                   *cmpBinsView
	Rows                      []cmpRowView // categorical
	LabelX, ValueX, BarH      string
	RowH                      string
}

// cmpBinsView is the numeric form: reference bars and a step line for the
// current distribution over shared bins.
type cmpBinsView struct {
	axesView
	Bands, Bars, Hits []rectView // Hits carry the tooltips
	Lines             []string   // polyline points
}

type cmpRowView struct {
	Text, Title, Value      string
	Class                   string // "hl" (highlighted), "other", both or none
	Y, TextY, RefY, CurY    string
	BarX, RefW, CurW, Width string
	NoRef, NoCur            bool
}

// cmpData is what both forms share: validated counts and their shares.
type cmpData struct {
	ref, cur           []float64 // counts, bad ones zeroed
	refTotal, curTotal float64
	refName, curName   string
	highlight          map[int]bool
}

func (d *cmpData) refShare(i int) float64 { return share(d.ref[i], d.refTotal) }
func (d *cmpData) curShare(i int) float64 { return share(d.cur[i], d.curTotal) }

func share(c, total float64) float64 {
	if total == 0 {
		return 0
	}
	return c / total
}

// layoutComparison lays c out as a numeric or a categorical comparison, or
// explains why it cannot be drawn.
func layoutComparison(c *Comparison) *cmpView {
	v := &cmpView{Title: clean(c.Title)}
	if msg := checkComparison(c); msg != "" {
		v.Empty = msg
		return v
	}
	n := len(c.Ref)
	d := &cmpData{
		ref: validCounts(c.Ref), cur: validCounts(c.Cur),
		refName: clean(c.RefName), curName: clean(c.CurName),
		highlight: map[int]bool{},
	}
	if strings.TrimSpace(d.refName) == "" {
		d.refName = "reference"
	}
	if strings.TrimSpace(d.curName) == "" {
		d.curName = "current"
	}
	bad := 0 // counts that were negative or not finite
	for i := range n {
		if d.ref[i] != c.Ref[i] {
			bad++
		}
		if d.cur[i] != c.Cur[i] {
			bad++
		}
		d.refTotal += d.ref[i]
		d.curTotal += d.cur[i]
	}
	for _, i := range c.Highlight {
		if i >= 0 && i < n {
			d.highlight[i] = true
		}
	}
	var notes []string
	if bad > 0 {
		notes = append(notes, fmt.Sprintf("%s of %s counts taken as zero (negative or not finite).",
			FormatInt(int64(bad)), FormatInt(int64(2*n))))
	}
	v.Note = strings.Join(notes, " ")
	switch {
	case math.IsInf(d.refTotal, 0) || math.IsInf(d.curTotal, 0):
		v.Empty = "Comparison not drawn: the counts add up to more than float64 holds."
		return v
	case d.refTotal == 0 && d.curTotal == 0:
		v.Empty = "No data: all counts are zero."
		return v
	}
	for _, side := range []struct {
		name  string
		total float64
	}{{d.refName, d.refTotal}, {d.curName, d.curTotal}} {
		if side.total == 0 {
			notes = append(notes, fmt.Sprintf("The %s distribution is empty: all its counts are zero.", truncate(side.name, 40)))
		}
	}
	v.Note = strings.Join(notes, " ")

	curSwatch := swatchLine // the step line
	if len(c.Labels) > 0 {
		curSwatch = swatchBox
	}
	var legendH float64
	v.Legend, legendH = layoutLegend([]legendEntry{
		{swatchBox, "ref", d.refName + " (" + FormatFloat(d.refTotal) + ")"},
		{curSwatch, "cur", d.curName + " (" + FormatFloat(d.curTotal) + ")"},
	}, chartW)
	if len(c.Labels) > 0 {
		layoutCategories(v, d, c.Labels, legendH)
	} else {
		layoutBins(v, d, c, legendH)
	}
	return v
}

// checkComparison says why c cannot be drawn, or "" when it can.
func checkComparison(c *Comparison) string {
	n := max(len(c.Ref), len(c.Cur))
	switch {
	case len(c.Edges) > 0 && len(c.Labels) > 0:
		return "Comparison not drawn: it has both bin edges and category labels."
	case n == 0 && len(c.Edges) <= 1 && len(c.Labels) == 0:
		return "No data."
	case len(c.Ref) != len(c.Cur):
		return fmt.Sprintf("Comparison not drawn: %s reference counts and %s current counts.",
			FormatInt(int64(len(c.Ref))), FormatInt(int64(len(c.Cur))))
	case len(c.Labels) > 0 && len(c.Labels) != n:
		return fmt.Sprintf("Comparison not drawn: %s category labels for %s counts.",
			FormatInt(int64(len(c.Labels))), FormatInt(int64(n)))
	case len(c.Labels) == 0 && len(c.Edges) != n+1:
		return fmt.Sprintf("Comparison not drawn: %s bin edges for %s counts (want %s).",
			FormatInt(int64(len(c.Edges))), FormatInt(int64(n)), FormatInt(int64(n+1)))
	case len(c.Labels) == 0:
		if msg := checkEdges(c.Edges); msg != "" {
			return "Comparison not drawn: " + msg
		}
	}
	return ""
}

// validCounts returns counts with the negative and non-finite ones zeroed.
func validCounts(counts []float64) []float64 {
	out := make([]float64, len(counts))
	for i, c := range counts {
		if finite(c) && c > 0 {
			out[i] = c
		}
	}
	return out
}

// checkEdges says what is wrong with bin edges, or "": they must be
// finite, except for -Inf first and +Inf last, and must not decrease; at
// least one bin must be closed, and the finite ones must span a range
// float64 holds.
func checkEdges(edges []float64) string {
	last := len(edges) - 1
	for i, e := range edges {
		switch {
		case math.IsNaN(e):
			return fmt.Sprintf("bin edge %d is NaN.", i)
		case math.IsInf(e, -1) && i != 0, math.IsInf(e, 1) && i != last:
			return fmt.Sprintf("bin edge %d is %s (only the first edge may be -∞ and the last ∞).", i, FormatFloat(e))
		case i > 0 && e < edges[i-1]:
			return fmt.Sprintf("bin edges decrease at edge %d (%s after %s).", i, FormatFloat(e), FormatFloat(edges[i-1]))
		}
	}
	lo, hi := finiteRange(edges)
	switch {
	case last == 1 && math.IsInf(edges[0], -1) && math.IsInf(edges[1], 1):
		return "its only bin is (-∞, ∞)."
	case math.IsInf(hi-lo, 0):
		return "the range of the bins is too large."
	}
	return ""
}

// finiteRange returns the first and the last finite edge of valid bin
// edges, which have at least one.
func finiteRange(edges []float64) (lo, hi float64) {
	lo, hi = edges[0], edges[len(edges)-1]
	if math.IsInf(lo, -1) {
		lo = edges[1]
	}
	if math.IsInf(hi, 1) {
		hi = edges[len(edges)-2]
	}
	return lo, hi
}

// pctLabel formats a share for a chart label, to one decimal: 0.1234 is
// "12.3%". Shares that would round to 0% or 100% without being so are
// "<0.1%" and ">99.9%".
func pctLabel(f float64) string {
	switch {
	case f <= 0:
		return "0%"
	case f >= 1:
		return "100%"
	case f < 0.0005:
		return "<0.1%"
	case f >= 0.9995:
		return ">99.9%"
	}
	return strconv.FormatFloat(f*100, 'f', 1, 64) + "%"
}

// shift describes the move between two shares: "12.3% → 15.1%".
func shift(ref, cur float64) string {
	return pctLabel(ref) + " → " + pctLabel(cur)
}

// tip is the tooltip of bin or category i: both shares with their counts
// and the change in percentage points.
func (d *cmpData) tip(name string, i int) string {
	r, c := d.refShare(i), d.curShare(i)
	delta := FormatFloat((c - r) * 100)
	if c > r {
		delta = "+" + delta
	}
	s := fmt.Sprintf("%s: %s %s (%s), %s %s (%s), change %s pp", name,
		d.refName, FormatPercent(r), FormatFloat(d.ref[i]), d.curName, FormatPercent(c), FormatFloat(d.cur[i]), delta)
	if d.highlight[i] {
		s += " (highlighted)"
	}
	return s
}

// summary describes the moves for an aria label: the highlighted bins or
// categories, or else the three that moved most.
func (d *cmpData) summary(names []string) string {
	idx := make([]int, 0, len(names))
	for i := range names {
		if d.highlight[i] {
			idx = append(idx, i)
		}
	}
	what := "highlighted"
	if len(idx) == 0 {
		what = "largest changes"
		for i := range names {
			if d.refShare(i) != d.curShare(i) {
				idx = append(idx, i)
			}
		}
		slices.SortStableFunc(idx, func(a, b int) int {
			return cmp.Compare(math.Abs(d.curShare(b)-d.refShare(b)), math.Abs(d.curShare(a)-d.refShare(a)))
		})
		idx = idx[:min(3, len(idx))]
	}
	if len(idx) == 0 {
		return "no changes"
	}
	parts := make([]string, 0, 10)
	for _, i := range idx[:min(10, len(idx))] {
		parts = append(parts, truncate(names[i], 40)+" "+shift(d.refShare(i), d.curShare(i)))
	}
	s := what + ": " + strings.Join(parts, "; ")
	if len(idx) > 10 {
		s += fmt.Sprintf("; and %s more", FormatInt(int64(len(idx)-10)))
	}
	return s
}

// layoutBins lays out a numeric comparison under a legend legendH high:
// the y axis in percent from 0, the x axis linear over the finite edges,
// with bins open at an end set apart in a narrow slot of their own.
func layoutBins(v *cmpView, d *cmpData, c *Comparison, legendH float64) {
	edges := c.Edges
	n := len(d.ref)
	openL, openR := math.IsInf(edges[0], -1), math.IsInf(edges[n], 1)
	x0, x1 := finiteRange(edges)
	pt, point := x0, x0 == x1
	if point {
		x0, x1 = widen(x0, 0.5)
	}
	format := c.Format
	if format == nil {
		format = FormatFloat
	}
	edge := func(x float64) string {
		if math.IsInf(x, 0) {
			return FormatFloat(x) // the open ends, whatever the format
		}
		return truncate(clean(format(x)), maxTickW)
	}

	// Share (y) axis, in percent.
	top := 0.0
	for i := range n {
		top = math.Max(top, math.Max(d.refShare(i), d.curShare(i)))
	}
	yt := niceExtent(0, top*100, 4)
	ylabels := yt.labels()
	yticks := make([]float64, len(yt.values))
	for i, y := range yt.values {
		ylabels[i] += "%"
		yticks[i] = y / 100
	}
	ylw := maxWidth(ylabels)

	// Bin (x) axis over the finite range, between the slots of open bins.
	var slotL, slotR float64
	if openL {
		slotL = cmpSlotW + cmpSlotGap
	}
	if openR {
		slotR = cmpSlotW + cmpSlotGap
	}
	var labelFormat func(float64) string
	if c.Format != nil {
		labelFormat = edge
	}
	xticks, xlabels := fitTicks(x0, x1, xRoom(ylw, slotL, slotR), numberTicks(x0, x1, labelFormat), edge)
	if point {
		// All finite edges are one number, drawn in the middle of the
		// axis: label it alone, not the range padded around it.
		xticks, xlabels = []float64{x0/2 + x1/2}, []string{edge(pt)}
	}

	a := &axes{
		height: legendH + cmpH, top: legendH + 10,
		x0: x0, x1: x1, y0: 0, y1: yticks[len(yticks)-1],
		xticks: xticks, xlabels: xlabels, yticks: yticks, ylabels: ylabels,
		xlabel: truncate(clean(c.XLabel), (chartW-8)/fontSize),
	}
	// Half an x label may stick out at an end, unless an open bin is there.
	first, last := ends(xlabels)
	if openL {
		first = ""
	}
	if openR {
		last = ""
	}
	a.left, a.right = plotSpan(ylw, first, last)
	a.xl, a.xr = a.left+slotL, a.right-slotR
	bottom := 22.0
	if a.xlabel != "" {
		bottom += 16
	}
	a.base = a.height - bottom
	ph := a.base - a.top
	h := &cmpBinsView{axesView: a.view()}
	v.W, v.H = px(chartW), px(a.height)

	// Each bin's place: an open slot, or its edges on the axis.
	names := make([]string, n)
	var line []string // points of the current step line through the finite bins
	for i := range n {
		var xl, xr float64
		open := i == 0 && openL || i == n-1 && openR
		switch {
		case i == 0 && openL:
			xl, xr = a.left, a.left+cmpSlotW
			names[i] = "< " + edge(edges[1])
		case i == n-1 && openR:
			xl, xr = a.right-cmpSlotW, a.right
			names[i] = "≥ " + edge(edges[n-1])
		default:
			xl, xr = a.sx(edges[i]), a.sx(edges[i+1])
			closing := ")"
			if i == n-1 {
				closing = "]"
			}
			names[i] = "[" + edge(edges[i]) + ", " + edge(edges[i+1]) + closing
		}
		if point && !open {
			xl, xr = a.xl+(a.xr-a.xl)*0.45, a.xl+(a.xr-a.xl)*0.55 // a column around the tick, not a hairline
		}
		if open {
			h.Axis = append(h.Axis, segView{X1: px(xl), X2: px(xr), Class: "open"})
		}
		// The bar: a hairline gap between neighbours, and never thinner
		// than 2 units.
		bx, bw := xl, xr-xl
		if bw > 4 {
			bx, bw = bx+0.5, bw-1
		} else if bw < 2 {
			bx, bw = bx+bw/2-1, 2
		}
		hx, hw := xl, xr-xl // hover area and highlight band: at least 4 wide
		if hw < 4 {
			hx, hw = hx+hw/2-2, 4
		}
		if d.highlight[i] {
			h.Bands = append(h.Bands, rectView{X: px(hx), Y: px(a.top), W: px(hw), H: px(ph)})
		}
		if hgt := barHeight(d.refShare(i), a.y1, ph); hgt > 0 {
			h.Bars = append(h.Bars, rectView{X: px(bx), Y: px(a.base - hgt), W: px(bw), H: px(hgt)})
		}
		h.Hits = append(h.Hits, rectView{X: px(hx), Y: px(a.top), W: px(hw), H: px(ph), Title: d.tip(names[i], i)})

		// The current share: a box of its own for an open bin or a point,
		// else a step of the line along the finite bins.
		cy := a.base - barHeight(d.curShare(i), a.y1, ph)
		step := px(xl) + "," + px(cy) + " " + px(xr) + "," + px(cy)
		if open || point {
			h.Lines = append(h.Lines, px(xl)+","+px(a.base)+" "+step+" "+px(xr)+","+px(a.base))
			continue
		}
		if len(line) == 0 {
			line = append(line, px(xl)+","+px(a.base))
		}
		line = append(line, step)
		if i == n-1 || i == n-2 && openR {
			line = append(line, px(xr)+","+px(a.base))
		}
	}
	if len(line) > 0 {
		h.Lines = append(h.Lines, strings.Join(line, " "))
	}
	v.Numeric = h

	desc := fmt.Sprintf("Comparison of %s and %s in %s bins from %s to %s; %s",
		d.refName, d.curName, FormatInt(int64(n)), edge(edges[0]), edge(edges[n]), d.summary(names))
	if v.Title != "" {
		desc = v.Title + ". " + desc
	}
	v.Label = desc
}

// barHeight is the height of a share on an axis from 0 to ymax drawn ph
// high; a non-zero share is never invisible.
func barHeight(s, ymax, ph float64) float64 {
	if ymax <= 0 || s <= 0 {
		return 0
	}
	return math.Max(s/ymax*ph, 1)
}

// layoutCategories lays out a categorical comparison under a legend
// legendH high: one row per category, its label, a reference bar above a
// current bar, and the two shares. Categories past the 30th are summed
// into one last row, highlighted when one of them is.
func layoutCategories(v *cmpView, d *cmpData, labels []string, legendH float64) {
	n := len(labels)
	names := make([]string, n)
	for i, l := range labels {
		names[i] = clean(l)
	}
	type row struct {
		name      string
		ref, cur  float64 // shares
		tip       string
		hl, other bool
	}
	shown := min(n, maxCats)
	rows := make([]row, 0, shown+1)
	for i := range shown {
		rows = append(rows, row{names[i], d.refShare(i), d.curShare(i), d.tip(names[i], i), d.highlight[i], false})
	}
	if shown < n {
		o := &cmpData{refTotal: d.refTotal, curTotal: d.curTotal, refName: d.refName, curName: d.curName,
			ref: []float64{0}, cur: []float64{0}}
		var hl []string
		for i := shown; i < n; i++ {
			o.ref[0] += d.ref[i]
			o.cur[0] += d.cur[i]
			if d.highlight[i] {
				hl = append(hl, truncate(names[i], 40))
			}
		}
		tip := o.tip(FormatInt(int64(n-shown))+" other categories", 0)
		if len(hl) > 0 {
			tip += "; highlighted among them: " + strings.Join(hl[:min(10, len(hl))], ", ")
			if len(hl) > 10 {
				tip += fmt.Sprintf(" and %s more", FormatInt(int64(len(hl)-10)))
			}
		}
		name := "others (" + FormatInt(int64(n-shown)) + ")"
		rows = append(rows, row{name, o.refShare(0), o.curShare(0), tip, len(hl) > 0, true})
	}
	top := 0.0
	values := make([]string, len(rows))
	for i, r := range rows {
		top = math.Max(top, math.Max(r.ref, r.cur))
		values[i] = shift(r.ref, r.cur)
	}
	valueW := math.Max(maxWidth(values), 40)
	y0 := legendH + 6
	barX := cmpLabelW + 6
	barW := chartW - 2 - valueW - 8 - barX
	v.W, v.H = px(chartW), px(y0+float64(len(rows))*cmpRowH+2)
	v.LabelX, v.ValueX, v.BarH, v.RowH = px(cmpLabelW), px(chartW-2), px(cmpBarH), px(cmpRowH)
	width := func(s float64) float64 {
		if top <= 0 || s <= 0 {
			return 0
		}
		return math.Max(s/top*barW, 1)
	}
	for i, r := range rows {
		y := y0 + float64(i)*cmpRowH
		rw, cw := width(r.ref), width(r.cur)
		rv := cmpRowView{
			Text:  truncate(r.name, (cmpLabelW-4)/fontSize),
			Title: r.tip, Value: values[i],
			Y: px(y), TextY: px(y + cmpRowH/2),
			RefY: px(y + cmpRowH/2 - cmpBarH - 0.5), CurY: px(y + cmpRowH/2 + 0.5),
			BarX: px(barX), RefW: px(rw), CurW: px(cw), Width: px(chartW),
			NoRef: rw == 0, NoCur: cw == 0,
		}
		var class []string
		if r.hl {
			class = append(class, "hl")
		}
		if r.other {
			class = append(class, "other")
		}
		rv.Class = strings.Join(class, " ")
		v.Rows = append(v.Rows, rv)
	}
	desc := fmt.Sprintf("Comparison of %s and %s over %s categories; %s",
		d.refName, d.curName, FormatInt(int64(n)), d.summary(names))
	if v.Title != "" {
		desc = v.Title + ". " + desc
	}
	v.Label = desc
}
