package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
)

// Chart geometry, in SVG user units (CSS pixels at full size). Charts are
// drawn at this size and shrink with their container (never grow), so text
// stays legible in a grid card.
const (
	chartW    = 360.0
	histH     = 190.0
	fontSize  = 11.0
	barRowH   = 22.0
	barH      = 14.0
	barLabelW = 124.0 // room for bar labels, right-aligned
	barValueW = 64.0  // room after the longest bar for its value label
	maxTickW  = 16    // em-ish units; longer custom tick labels are cut
	maxYTickW = 10    // the same for value-axis labels of newer charts
)

type histView struct {
	Title, Label string
	Empty        string // set when there is nothing to draw
	Note         string // bins that could not be drawn
	W, H         string
	axesView
	Bars []rectView
}

// axesView is the frame of a chart with two axes: the plot area, the
// grid lines and labels of the y axis, and the x axis with its ticks,
// labels and title.
type axesView struct {
	PlotL, PlotR, Top, Base  string // plot left and right x, top and baseline y
	TickEnd                  string // lower end of x tick marks
	YLabelX                  string // right edge of y tick labels
	XTickY                   string // baseline of x tick labels
	XLabel, XLabelX, XLabelY string // x axis title and its place
	XTicks, YTicks           []tickView
	Axis                     []segView // the x axis line, in pieces
}

type tickView struct {
	Pos, Label string
}

// segView is a piece of an axis line at the baseline.
type segView struct {
	X1, X2, Class string
}

// axes lays out a chart with an x and a y axis, in chart units.
type axes struct {
	left, right, top, base float64 // the plot area
	height                 float64 // of the whole chart
	xl, xr                 float64 // where x0 and x1 fall; left and right unless the ends are kept apart
	x0, x1, y0, y1         float64 // the ranges shown
	xticks, yticks         []float64
	xlabels, ylabels       []string
	xlabel                 string
}

func (a *axes) sx(x float64) float64 { return a.xl + (x-a.x0)/(a.x1-a.x0)*(a.xr-a.xl) }
func (a *axes) sy(y float64) float64 { return a.base - (y-a.y0)/(a.y1-a.y0)*(a.base-a.top) }

// view places the frame: tick marks and labels, grid lines, the x axis
// line from xl to xr, and the x axis title under the ticks.
func (a *axes) view() axesView {
	v := axesView{
		PlotL: px(a.left), PlotR: px(a.right), Top: px(a.top), Base: px(a.base),
		YLabelX: px(a.left - 6), TickEnd: px(a.base + 4), XTickY: px(a.base + 15),
		XLabel: a.xlabel, XLabelX: px(chartW / 2), XLabelY: px(a.height - 6),
		Axis: []segView{{X1: px(a.xl), X2: px(a.xr)}},
	}
	for i, y := range a.yticks {
		v.YTicks = append(v.YTicks, tickView{Pos: px(a.sy(y)), Label: a.ylabels[i]})
	}
	for i, x := range a.xticks {
		v.XTicks = append(v.XTicks, tickView{Pos: px(a.sx(x)), Label: a.xlabels[i]})
	}
	return v
}

// plotSpan returns the left and right x of a plot area across a chart,
// leaving room on the left for y tick labels ylw wide, and at either end
// for half of the x tick label centred there, first and last ("" for
// none).
func plotSpan(ylw float64, first, last string) (left, right float64) {
	left = math.Max(math.Max(ylw+10, 8), textWidth(first)*fontSize/2+2)
	right = chartW - math.Max(10, textWidth(last)*fontSize/2+2)
	return left, right
}

// ends returns the first and the last of labels, or "" when there are
// none.
func ends(labels []string) (first, last string) {
	if len(labels) == 0 {
		return "", ""
	}
	return labels[0], labels[len(labels)-1]
}

// widen returns a range around x for an axis whose data all lie at x:
// 10% of |x| either side, or pad when that is nothing. It stays within
// float64: near its limits the range ends at x.
func widen(x, pad float64) (lo, hi float64) {
	p := math.Abs(x) * 0.1
	if p == 0 || x-p == x {
		p = pad
	}
	lo, hi = x-p, x+p
	if math.IsInf(lo, 0) {
		lo = x
	}
	if math.IsInf(hi, 0) {
		hi = x
	}
	return lo, hi
}

type rectView struct {
	X, Y, W, H, Title string
}

type barsView struct {
	Title, Label, Empty string
	W, H, BarH          string
	LabelX              string
	Rows                []barRowView
}

type barRowView struct {
	Text, Title                  string
	TextY, Y, BarX, BarW, ValueX string
	Value                        string
	NoBar                        bool
}

// px formats a coordinate to 0.1 unit, without trailing zeros.
func px(v float64) string {
	v = math.Round(v*10) / 10
	if v == 0 {
		return "0"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// textWidth estimates the rendered width of s in the chart font, in ems:
// wide (East Asian) characters count one em, others about 0.6.
func textWidth(s string) float64 {
	w := 0.0
	for _, r := range s {
		w += runeWidth(r)
	}
	return w
}

func runeWidth(r rune) float64 {
	switch {
	case r >= 0x1100 && (unicode.In(r, unicode.Han, unicode.Hangul, unicode.Hiragana, unicode.Katakana) ||
		r >= 0xff00 && r <= 0xff60 || r >= 0x1f300 && r <= 0x1faff):
		return 1
	case strings.ContainsRune("iljfrt.,:;'|!() ", r):
		return 0.36
	case strings.ContainsRune("mwMW@%", r):
		return 1
	case unicode.IsUpper(r):
		return 0.72
	}
	// Estimates err wide: fonts differ (DejaVu Sans is wider than Segoe UI
	// or Helvetica), and a label cut one letter early beats one that
	// overflows the chart.
	return 0.64
}

// truncate shortens s to at most maxEm ems, ending it with "…" when cut.
// Line breaks and tabs become spaces (SVG text is one line).
func truncate(s string, maxEm float64) string {
	s = strings.Join(strings.Fields(s), " ")
	if textWidth(s) <= maxEm {
		return s
	}
	w := runeWidth('…')
	var b strings.Builder
	for _, r := range s {
		w += runeWidth(r)
		if w > maxEm {
			break
		}
		b.WriteRune(r)
	}
	return strings.TrimRight(b.String(), " ") + "…"
}

// layoutHistogram lays out h as an SVG column chart: bins as bars over a
// linear x axis from the first to the last drawable edge, a y axis from 0
// to a nice number above the largest count, with grid lines.
func layoutHistogram(h *Histogram) *histView {
	v := &histView{Title: clean(h.Title)}
	n := len(h.Counts)
	if n == 0 {
		v.Empty = "No data."
		return v
	}
	if len(h.Edges) != n+1 {
		v.Empty = fmt.Sprintf("Histogram not drawn: %d bin edges for %d counts (want %d).", len(h.Edges), n, n+1)
		return v
	}
	type bin struct{ lo, hi, count float64 }
	var (
		bins        []bin
		skipped     int
		x0, x1      = math.Inf(1), math.Inf(-1)
		total, cmax float64
	)
	for i, c := range h.Counts {
		lo, hi := h.Edges[i], h.Edges[i+1]
		if !finite(lo) || !finite(hi) || hi < lo || !finite(c) || c < 0 {
			skipped++
			continue
		}
		bins = append(bins, bin{lo, hi, c})
		x0, x1 = math.Min(x0, lo), math.Max(x1, hi)
		total += c
		cmax = math.Max(cmax, c)
	}
	if skipped > 0 {
		v.Note = fmt.Sprintf("%s of %s bins not drawn (non-finite or reversed edges, or negative or non-finite counts).",
			FormatInt(int64(skipped)), FormatInt(int64(n)))
	}
	if len(bins) == 0 {
		v.Empty = "No drawable bins."
		return v
	}
	if math.IsInf(x1-x0, 0) {
		v.Empty = "Histogram not drawn: the range of the bins is too large."
		return v
	}
	point := x0 == x1
	if point {
		// All values in one point: centre it in a small range around it.
		x0, x1 = widen(x0, 0.5)
	}
	fmtEdge := h.Format
	if fmtEdge == nil {
		fmtEdge = FormatFloat
	}
	safeFormat := func(x float64) string { return truncate(clean(fmtEdge(x)), maxTickW) }

	// Value (y) axis.
	yt := niceExtent(0, cmax, 4)
	if cmax == 0 {
		yt = tickSet{values: []float64{0, 1}}
	}
	ymax := yt.values[len(yt.values)-1]
	ylabels := yt.labels()
	if cmax == 0 {
		ylabels = []string{"0", ""}
	}
	ylw := maxWidth(ylabels)

	// Bin (x) axis: the most ticks whose labels do not overlap.
	var labelFormat func(float64) string
	if h.Format != nil {
		labelFormat = safeFormat
	}
	xticks, xlabels := fitTicks(x0, x1, xRoom(ylw, 0, 0), numberTicks(x0, x1, labelFormat), safeFormat)

	// Margins: y labels on the left; half an x label may stick out at
	// either end.
	a := &axes{
		height: histH, top: 8, x0: x0, x1: x1, y0: 0, y1: ymax,
		xticks: xticks, xlabels: xlabels, yticks: yt.values, ylabels: ylabels,
		xlabel: truncate(clean(h.XLabel), (chartW-8)/fontSize),
	}
	first, last := ends(xlabels)
	a.left, a.right = plotSpan(ylw, first, last)
	a.xl, a.xr = a.left, a.right
	bottom := 22.0
	if a.xlabel != "" {
		bottom += 16
	}
	a.base = histH - bottom
	pw, ph := a.right-a.left, a.base-a.top
	v.W, v.H = px(chartW), px(histH)
	v.axesView = a.view()
	for i, b := range bins {
		x, w := a.sx(b.lo), a.sx(b.hi)-a.sx(b.lo)
		if point {
			x, w = x-pw/20, pw/10 // a column, not a hairline
		} else if w > 4 {
			x, w = x+0.5, w-1 // a hairline gap between neighbours
		} else if w < 2 {
			x, w = x+w/2-1, 2 // keep very narrow (or point) bins visible
		}
		hgt := 0.0
		if ymax > 0 {
			hgt = b.count / ymax * ph
		}
		if b.count > 0 && hgt < 1 {
			hgt = 1 // a non-zero count is never invisible
		}
		closing := ")"
		if i == len(bins)-1 {
			closing = "]"
		}
		v.Bars = append(v.Bars, rectView{
			X: px(x), Y: px(a.base - hgt), W: px(w), H: px(hgt),
			Title: fmt.Sprintf("[%s, %s%s: %s", safeFormat(b.lo), safeFormat(b.hi), closing, FormatFloat(b.count)),
		})
	}
	desc := fmt.Sprintf("histogram of %s bins from %s to %s, %s in total",
		FormatInt(int64(len(bins))), safeFormat(bins[0].lo), safeFormat(bins[len(bins)-1].hi), FormatFloat(total))
	if cmax == 0 {
		desc += ", all counts zero"
	}
	if v.Title != "" {
		desc = v.Title + ": " + desc
	} else {
		desc = strings.ToUpper(desc[:1]) + desc[1:]
	}
	v.Label = desc
	return v
}

// layoutBars lays out b as horizontal bars, one row per value: label,
// bar from zero, value label after the bar.
func layoutBars(b *Bars) *barsView {
	v := &barsView{Title: clean(b.Title)}
	n := max(len(b.Labels), len(b.Values))
	if n == 0 {
		v.Empty = "No data."
		return v
	}
	format := b.Format
	if format == nil {
		format = FormatFloat
	}
	value := func(i int) float64 {
		if i < len(b.Values) {
			return b.Values[i]
		}
		return math.NaN()
	}
	top := b.Max
	if !(top > 0) || math.IsInf(top, 1) {
		top = 0
		for i := range n {
			if x := value(i); finite(x) {
				top = math.Max(top, x)
			}
		}
	}
	barW := chartW - barLabelW - barValueW - 6
	x0 := barLabelW + 6
	var desc []string
	for i := range n {
		label := ""
		if i < len(b.Labels) {
			label = clean(b.Labels[i])
		}
		x := value(i)
		val := "n/a"
		if i < len(b.Values) {
			val = truncate(clean(format(x)), barValueW/fontSize)
		}
		w := 0.0
		if top > 0 && x > 0 {
			w = math.Min(x, top) / top * barW
			if math.IsInf(x, 1) {
				w = barW
			}
			w = math.Max(w, 1)
		}
		y := 4 + float64(i)*barRowH
		v.Rows = append(v.Rows, barRowView{
			Text:   truncate(label, (barLabelW-4)/fontSize),
			Title:  label + ": " + val,
			TextY:  px(y + barH/2 + fontSize*0.35),
			Y:      px(y),
			BarX:   px(x0),
			BarW:   px(w),
			NoBar:  w == 0,
			ValueX: px(x0 + w + 4),
			Value:  val,
		})
		if i < 10 {
			desc = append(desc, truncate(label, 40)+" "+val)
		}
	}
	v.W, v.H, v.BarH = px(chartW), px(float64(n)*barRowH+6), px(barH)
	v.LabelX = px(barLabelW)
	label := "Bar chart: " + strings.Join(desc, "; ")
	if n > len(desc) {
		label += fmt.Sprintf("; and %s more", FormatInt(int64(n-len(desc))))
	}
	if v.Title != "" {
		label = v.Title + ". " + label
	}
	v.Label = label
	return v
}

// maxWidth returns the estimated width of the widest label, in units.
func maxWidth(labels []string) float64 {
	w := 0.0
	for _, l := range labels {
		w = math.Max(w, textWidth(l)*fontSize)
	}
	return w
}

// tickGen makes about want ticks and their labels.
type tickGen func(want int) (values []float64, labels []string)

// numberTicks makes round-number ticks inside [lo, hi], labelled by format,
// or by the labels of the tick set when format is nil.
func numberTicks(lo, hi float64, format func(float64) string) tickGen {
	return func(want int) ([]float64, []string) {
		ts := niceTicks(lo, hi, want)
		if format == nil {
			return ts.values, ts.labels()
		}
		labels := make([]string, len(ts.values))
		for i, x := range ts.values {
			labels[i] = format(x)
		}
		return ts.values, labels
	}
}

// xRoom returns, for a chart whose y tick labels are ylw wide, the length
// of its x axis given the tick labels at its ends, first and last: at most
// chartW-ylw-30, less where an end label needs a wider margin than the
// y labels leave, and less the slots kept apart at either end (where no
// label sticks out).
func xRoom(ylw, slotL, slotR float64) func(first, last string) float64 {
	return func(first, last string) float64 {
		if slotL > 0 {
			first = ""
		}
		if slotR > 0 {
			last = ""
		}
		left, right := plotSpan(ylw, first, last)
		return math.Min(chartW-ylw-30, right-left) - slotL - slotR
	}
}

// fitTicks returns the most ticks (about 6, down to 2) over [lo, hi] whose
// labels do not overlap on an axis as long as room says: neighbours keep
// 8 units apart. When even two would overlap, only the ends are labelled,
// by format, each cut to fit half the axis.
func fitTicks(lo, hi float64, room func(first, last string) float64, gen tickGen, format func(float64) string) ([]float64, []string) {
	for _, want := range []int{6, 5, 4, 3, 2} {
		values, labels := gen(want)
		if len(values) < 2 {
			return values, labels
		}
		length := room(ends(labels))
		gap := math.Inf(1)
		for i := 1; i < len(values); i++ {
			gap = math.Min(gap, (values[i]-values[i-1])/(hi-lo)*length)
		}
		if gap >= maxWidth(labels)+8 {
			return values, labels
		}
	}
	maxEm := math.Max(3, math.Min(maxTickW, (room("", "")/2-8)/fontSize))
	return []float64{lo, hi}, []string{truncate(format(lo), maxEm), truncate(format(hi), maxEm)}
}

// A legend is a row of entries (a swatch and a name) at the top of a
// chart, wrapped onto more rows when it does not fit.
const (
	legendRowH  = 16.0
	legendMaxEm = 24.0 // longer names are cut
	maxLegend   = 12   // entries; more are summed up as "+N more"
)

// Legend swatch kinds.
const (
	swatchBox  = "box"  // a filled square: bars
	swatchLine = "line" // a short horizontal line: a series
	swatchMark = "mark" // a short vertical line: a marker
)

type legendEntry struct {
	kind, class, text string
}

type legendItem struct {
	Kind, Class, Text  string
	X, Y, X2, Y2       string // box: x, y, width, height; lines: x1, y1, x2, y2
	TextX, TextY, Full string // Full: the whole name, when Text is cut
}

// layoutLegend lays entries out from the top left of a chart width units
// wide and returns them with the height they take.
func layoutLegend(entries []legendEntry, width float64) ([]legendItem, float64) {
	if len(entries) == 0 {
		return nil, 0
	}
	if len(entries) > maxLegend {
		more := legendEntry{text: "+" + FormatInt(int64(len(entries)-maxLegend+1)) + " more"}
		entries = append(entries[:maxLegend-1:maxLegend-1], more)
	}
	var items []legendItem
	x, y := 0.0, 0.0
	for _, e := range entries {
		text := truncate(e.text, legendMaxEm)
		w := 18 + textWidth(text)*fontSize
		if e.kind == "" {
			w -= 18
		}
		if x > 0 && x+w > width {
			x, y = 0, y+legendRowH
		}
		cy := y + legendRowH/2
		it := legendItem{Kind: e.kind, Class: e.class, Text: text, TextX: px(x + 18), TextY: px(cy)}
		if text != e.text {
			it.Full = e.text
		}
		switch e.kind {
		case swatchBox:
			it.X, it.Y, it.X2, it.Y2 = px(x+2), px(cy-5), "10", "10"
		case swatchLine:
			it.X, it.Y, it.X2, it.Y2 = px(x), px(cy), px(x+14), px(cy)
		case swatchMark:
			it.X, it.Y, it.X2, it.Y2 = px(x+7), px(cy-6), px(x+7), px(cy+6)
		default:
			it.TextX = px(x)
		}
		items = append(items, it)
		x += w + 14
	}
	return items, y + legendRowH
}
