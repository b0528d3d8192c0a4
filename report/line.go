package report

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Line chart geometry, besides the shared chart constants.
const (
	linePlotH    = 150.0 // plot height
	maxPoints    = 2000  // a series with more drawable points is thinned
	seriesColors = 6     // series classes s0…s5; later series repeat them dashed
	markerTextEm = 12.0  // longer marker labels are cut
	hlineTextEm  = 16.0
)

type lineView struct {
	Title, Label, Empty, Note string
	W, H                      string
	Legend                    []legendItem
	axesView
	YLabel, YTitleY string // y axis title and its baseline
	HLines          []hlineView
	Series          []seriesView
	Markers         []markerView
}

type seriesView struct {
	Class, Title string
	Lines        []string // polyline points
	Dots         []dotView
}

type dotView struct{ X, Y string }

type markerView struct {
	Class, Title, X, Y1, Y2 string
	Text, TextX, TextY      string
	Anchor                  string // text-anchor of Text
}

type hlineView struct {
	Title, Y, Text, TextX, TextY string
}

// lineSeries is a series being laid out.
type lineSeries struct {
	index      int // in Line.Series
	name       string
	y          []float64
	drawable   int
	ymin, ymax float64
	xmin, xmax float64
	last       float64
}

// levelWord names a marker level in the legend when its markers do not
// share a label.
func levelWord(l Level) string {
	switch l {
	case LevelOK:
		return "ok"
	case LevelInfo:
		return "info"
	case LevelWarn:
		return "warning"
	case LevelError:
		return "error"
	}
	return "marker"
}

// levelRank orders marker levels in the legend: by severity, unknown
// levels first.
func levelRank(l Level) int {
	return slices.Index([]Level{"", LevelOK, LevelInfo, LevelWarn, LevelError}, l)
}

// xOrder returns the indexes of the finite values of x in ascending order
// of x (ties in index order), or nil when that is all of x as it stands.
func xOrder(x []float64) []int {
	sorted := true
	for i, v := range x {
		if !finite(v) || i > 0 && v < x[i-1] {
			sorted = false
			break
		}
	}
	if sorted {
		return nil
	}
	order := make([]int, 0, len(x))
	for i, v := range x {
		if finite(v) {
			order = append(order, i)
		}
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(x[a], x[b]) })
	return order
}

// layoutLine lays l out as an SVG line chart, or explains why it cannot
// be drawn.
func layoutLine(l *Line) *lineView {
	v := &lineView{
		Title:  clean(l.Title),
		YLabel: truncate(clean(l.YLabel), (chartW-8)/fontSize),
	}
	xlabel := truncate(clean(l.XLabel), (chartW-8)/fontSize)
	sharedX := len(l.X) > 0
	var order []int
	if sharedX {
		order = xOrder(l.X)
	}
	// walk calls f with the points of y in order of x.
	walk := func(y []float64, f func(x, y float64)) {
		switch {
		case !sharedX:
			for i, yi := range y {
				f(float64(i), yi)
			}
		case order == nil:
			for i, yi := range y {
				f(l.X[i], yi)
			}
		default:
			for _, i := range order {
				f(l.X[i], y[i])
			}
		}
	}

	var (
		notes   []string
		series  []*lineSeries
		bad     int // points not drawn
		total   int // points
		named   bool
		x0, x1  = math.Inf(1), math.Inf(-1)
		y0, y1  = math.Inf(1), math.Inf(-1)
		skipped []string
	)
	for i, s := range l.Series {
		name := clean(s.Name)
		unnamed := strings.TrimSpace(name) == ""
		if unnamed {
			name = "series " + strconv.Itoa(i+1)
		}
		if sharedX && len(s.Y) != len(l.X) {
			skipped = append(skipped, fmt.Sprintf("%q has %s values for %s x values", truncate(name, 40),
				FormatInt(int64(len(s.Y))), FormatInt(int64(len(l.X)))))
			continue
		}
		named = named || !unnamed
		ls := &lineSeries{index: i, name: name, y: s.Y,
			ymin: math.Inf(1), ymax: math.Inf(-1), xmin: math.Inf(1), xmax: math.Inf(-1)}
		walk(s.Y, func(x, y float64) {
			if !finite(y) {
				return
			}
			ls.drawable++
			ls.ymin, ls.ymax = math.Min(ls.ymin, y), math.Max(ls.ymax, y)
			ls.xmin, ls.xmax = math.Min(ls.xmin, x), math.Max(ls.xmax, x)
			ls.last = y
		})
		total += len(s.Y)
		bad += len(s.Y) - ls.drawable
		if ls.drawable > 0 {
			x0, x1 = math.Min(x0, ls.xmin), math.Max(x1, ls.xmax)
			y0, y1 = math.Min(y0, ls.ymin), math.Max(y1, ls.ymax)
		}
		series = append(series, ls)
	}
	if len(skipped) > 0 {
		notes = append(notes, "Series not drawn: "+strings.Join(skipped, "; ")+".")
	}
	if bad > 0 {
		notes = append(notes, fmt.Sprintf("%s of %s points not drawn (NaN or infinite x or y).",
			FormatInt(int64(bad)), FormatInt(int64(total))))
	}
	if math.IsInf(x0, 0) {
		v.Note = strings.Join(notes, " ")
		if total == 0 && len(skipped) == 0 {
			v.Empty = "No data."
		} else {
			v.Empty = "No drawable points."
		}
		return v
	}

	// Markers and lines extend the axes: they are drawn where they are.
	var badMarks, badLines int
	for _, m := range l.Markers {
		if !finite(m.X) {
			badMarks++
			continue
		}
		x0, x1 = math.Min(x0, m.X), math.Max(x1, m.X)
	}
	for _, h := range l.HLines {
		if !finite(h.Y) {
			badLines++
			continue
		}
		y0, y1 = math.Min(y0, h.Y), math.Max(y1, h.Y)
	}
	if badMarks > 0 {
		notes = append(notes, fmt.Sprintf("%s of %s markers not drawn (NaN or infinite x).",
			FormatInt(int64(badMarks)), FormatInt(int64(len(l.Markers)))))
	}
	if badLines > 0 {
		notes = append(notes, fmt.Sprintf("%s of %s horizontal lines not drawn (NaN or infinite y).",
			FormatInt(int64(badLines)), FormatInt(int64(len(l.HLines)))))
	}
	v.Note = strings.Join(notes, " ")
	if math.IsInf(x1-x0, 0) || math.IsInf(y1-y0, 0) {
		v.Empty = "Line not drawn: the range of the values is too large."
		return v
	}
	if x0 == x1 {
		// An hour either side of a time, a point either side of a point
		// number, where float64 can tell them apart.
		pad := 0.5
		switch {
		case l.XTime:
			pad = hour
		case !sharedX:
			pad = 1
		}
		if pad == 0.5 || x0-pad == x0 || x1+pad == x1 {
			x0, x1 = widen(x0, pad)
		} else {
			x0, x1 = x0-pad, x1+pad
		}
	}
	if y0 == y1 {
		y0, y1 = widen(y0, 0.5)
	}

	// Formats for tick labels (short) and tooltips.
	xTip, yTip := FormatFloat, FormatFloat
	if l.XTime {
		xTip = formatTime
	}
	if l.XFormat != nil {
		xTip = func(x float64) string { return truncate(clean(l.XFormat(x)), 60) }
	}
	if l.YFormat != nil {
		yTip = func(y float64) string { return truncate(clean(l.YFormat(y)), 60) }
	}
	xTick := func(x float64) string { return truncate(xTip(x), maxTickW) }
	yTick := func(y float64) string { return truncate(yTip(y), maxYTickW) }

	// Value (y) axis, from round numbers around the data unless those
	// would overflow.
	yt := niceExtent(y0, y1, 4)
	if len(yt.values) < 2 || math.IsInf(yt.values[len(yt.values)-1]-yt.values[0], 0) {
		yt = tickSet{values: []float64{y0, y1}}
	}
	ymin, ymax := yt.values[0], yt.values[len(yt.values)-1]
	ylabels := yt.labels()
	if l.YFormat != nil {
		for i, y := range yt.values {
			ylabels[i] = yTick(y)
		}
	}
	ylw := maxWidth(ylabels)

	// x axis: round numbers, whole point numbers, or round times.
	var format func(float64) string
	if l.XFormat != nil {
		format = xTick
	}
	gen := numberTicks(x0, x1, format)
	switch {
	case l.XTime:
		gen = func(want int) ([]float64, []string) {
			values, labels := timeTicks(x0, x1, want)
			if format != nil {
				for i, x := range values {
					labels[i] = format(x)
				}
			}
			return values, labels
		}
	case !sharedX:
		numbers, span := gen, x1-x0 // fewer ticks than points: steps of 1 or more
		gen = func(want int) ([]float64, []string) {
			return numbers(int(math.Max(1, math.Min(float64(want), span))))
		}
	}
	xticks, xlabels := fitTicks(x0, x1, xRoom(ylw, 0, 0), gen, xTick)

	// Legend: the series, when there is more than one or they have names,
	// and each marker level.
	var entries []legendEntry
	if len(series) > 1 || named {
		for _, s := range series {
			entries = append(entries, legendEntry{swatchLine, seriesClass(s.index), s.name})
		}
	}
	levels := map[Level]string{} // level class → legend text
	var levelOrder []Level
	for _, m := range l.Markers {
		if !finite(m.X) {
			continue
		}
		lc := Level(levelClass(m.Level))
		label := markerName(m)
		if prev, seen := levels[lc]; !seen {
			levels[lc] = label
			levelOrder = append(levelOrder, lc)
		} else if prev != label {
			levels[lc] = levelWord(lc)
		}
	}
	slices.SortStableFunc(levelOrder, func(a, b Level) int { return cmp.Compare(levelRank(a), levelRank(b)) })
	for _, lc := range levelOrder {
		entries = append(entries, legendEntry{swatchMark, markerClass(lc), levels[lc]})
	}
	var legendH float64
	v.Legend, legendH = layoutLegend(entries, chartW)

	// The frame: the legend, then the y axis title, over the plot.
	a := &axes{
		x0: x0, x1: x1, y0: ymin, y1: ymax,
		xticks: xticks, xlabels: xlabels, yticks: yt.values, ylabels: ylabels,
		xlabel: xlabel,
	}
	first, last := ends(xlabels)
	a.left, a.right = plotSpan(ylw, first, last)
	a.xl, a.xr = a.left, a.right
	a.top = legendH + 8
	if legendH > 0 {
		a.top += 4
	}
	if v.YLabel != "" {
		v.YTitleY = px(a.top + 3)
		a.top += 14
	}
	a.base = a.top + linePlotH
	a.height = a.base + 22
	if xlabel != "" {
		a.height += 16
	}
	v.W, v.H = px(chartW), px(a.height)
	v.axesView = a.view()

	// Thresholds, labelled above the line where there is room.
	for _, h := range l.HLines {
		if !finite(h.Y) {
			continue
		}
		label := clean(h.Label)
		y := a.sy(h.Y)
		hv := hlineView{Y: px(y), Text: truncate(label, hlineTextEm), TextX: px(a.right - 2), TextY: px(y - 4)}
		if y-4-fontSize < a.top {
			hv.TextY = px(y + fontSize + 2)
		}
		hv.Title = yTip(h.Y)
		if strings.TrimSpace(label) != "" {
			hv.Title = label + ": " + hv.Title
		}
		v.HLines = append(v.HLines, hv)
	}

	// Series, thinned when long.
	buckets := max(1, int(a.right-a.left)) // each about a unit (pixel) wide
	for _, s := range series {
		sv := seriesView{Class: seriesClass(s.index)}
		r := &runs{sx: a.sx, sy: a.sy, view: &sv}
		if s.drawable > maxPoints {
			thin(func(f func(x, y float64)) { walk(s.y, f) }, x0, x1, buckets, r)
		} else {
			walk(s.y, func(x, y float64) {
				if finite(y) {
					r.add(x, y)
				} else {
					r.end()
				}
			})
			r.end()
		}
		if s.drawable > 0 {
			sv.Title = fmt.Sprintf("%s: %s points from %s to %s, last %s", s.name,
				FormatInt(int64(s.drawable)), yTip(s.ymin), yTip(s.ymax), yTip(s.last))
		} else {
			sv.Title = s.name + ": no drawable points"
		}
		v.Series = append(v.Series, sv)
	}

	// Markers, in order of x.
	marks := make([]int, 0, len(l.Markers))
	for i, m := range l.Markers {
		if finite(m.X) {
			marks = append(marks, i)
		}
	}
	slices.SortStableFunc(marks, func(i, j int) int { return cmp.Compare(l.Markers[i].X, l.Markers[j].X) })
	labels := markerLabels{right: a.right, top: a.top}
	for _, i := range marks {
		m := l.Markers[i]
		x := a.sx(m.X)
		mv := markerView{Class: markerClass(Level(levelClass(m.Level))), X: px(x), Y1: px(a.top), Y2: px(a.base)}
		mv.Title = markerName(m) + " at " + xTip(m.X)
		labels.place(&mv, x, truncate(clean(m.Label), markerTextEm))
		v.Markers = append(v.Markers, mv)
	}

	v.Label = describeLine(v.Title, series, l, marks, xTip, yTip, x0, x1, strings.TrimSpace(xlabel))
	return v
}

// markerName is a marker's label on one line, or the name of its level
// when it has none.
func markerName(m Marker) string {
	if label := strings.Join(strings.Fields(clean(m.Label)), " "); label != "" {
		return label
	}
	return levelWord(m.Level)
}

// markerLabels places marker labels at the top of a plot, in two rows:
// each label goes to the first row where it keeps clear of the label
// before it, or is left out (its marker's tooltip still has it).
// Markers come in order of x.
type markerLabels struct {
	right, top float64    // the plot's right edge and top
	end        [2]float64 // where each row's last label ends; 0 for none
}

// place writes text beside the marker line at x: after it, or before it
// where it would cross the plot's right edge.
func (p *markerLabels) place(mv *markerView, x float64, text string) {
	if text == "" {
		return
	}
	w := textWidth(text) * fontSize
	from, to, anchor, tx := x+3, x+3+w, "start", x+3
	if to > p.right {
		from, to, anchor, tx = x-3-w, x-3, "end", x-3
	}
	for row, end := range p.end {
		if end == 0 || from >= end+4 {
			p.end[row] = to
			mv.Text, mv.Anchor = text, anchor
			mv.TextX, mv.TextY = px(tx), px(p.top+fontSize+float64(row)*(fontSize+3))
			return
		}
	}
}

// describeLine is the aria label of a line chart.
func describeLine(title string, series []*lineSeries, l *Line, marks []int,
	xTip, yTip func(float64) string, x0, x1 float64, xname string) string {
	if xname == "" {
		xname = "x"
	}
	var b strings.Builder
	if title != "" {
		b.WriteString(title + ". ")
	}
	fmt.Fprintf(&b, "Line chart over %s from %s to %s", truncate(xname, 40), xTip(x0), xTip(x1))
	for i, s := range series {
		if i == 5 {
			fmt.Fprintf(&b, "; and %s more series", FormatInt(int64(len(series)-5)))
			break
		}
		if s.drawable == 0 {
			fmt.Fprintf(&b, "; %s: no points", truncate(s.name, 40))
			continue
		}
		fmt.Fprintf(&b, "; %s: %s points from %s to %s, last %s", truncate(s.name, 40),
			FormatInt(int64(s.drawable)), yTip(s.ymin), yTip(s.ymax), yTip(s.last))
	}
	if len(marks) > 0 {
		fmt.Fprintf(&b, "; %s marker", FormatInt(int64(len(marks))))
		if len(marks) > 1 {
			b.WriteByte('s')
		}
		b.WriteByte(':')
		for j, i := range marks {
			if j == 10 {
				fmt.Fprintf(&b, " and %s more", FormatInt(int64(len(marks)-10)))
				break
			}
			if j > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, " %s at %s", truncate(markerName(l.Markers[i]), 40), xTip(l.Markers[i].X))
		}
	}
	for _, h := range l.HLines {
		if finite(h.Y) {
			fmt.Fprintf(&b, "; %s at %s", cmp.Or(truncate(clean(h.Label), 40), "line"), yTip(h.Y))
		}
	}
	return b.String()
}

// seriesClass is the CSS class of series i: one of six colours, dashed
// from the seventh series on.
func seriesClass(i int) string {
	c := "s" + strconv.Itoa(i%seriesColors)
	if i >= seriesColors {
		c += " dash"
	}
	return c
}

// markerClass is the CSS class of a marker of level class lc.
func markerClass(lc Level) string {
	if lc == "" {
		return "mk"
	}
	return "mk " + string(lc)
}

// runs collects a series' points into polylines, breaking at gaps; a run
// of one point becomes a dot.
type runs struct {
	sx, sy func(float64) float64
	view   *seriesView
	buf    []byte
	n      int
	dot    dotView
}

func (r *runs) add(x, y float64) {
	if r.n > 0 {
		r.buf = append(r.buf, ' ')
	}
	sx, sy := px(r.sx(x)), px(r.sy(y))
	r.buf = append(r.buf, sx...)
	r.buf = append(r.buf, ',')
	r.buf = append(r.buf, sy...)
	if r.n == 0 {
		r.dot = dotView{X: sx, Y: sy}
	}
	r.n++
}

// end ends the current run.
func (r *runs) end() {
	switch {
	case r.n == 1:
		r.view.Dots = append(r.view.Dots, r.dot)
	case r.n > 1:
		r.view.Lines = append(r.view.Lines, string(r.buf))
	}
	r.buf, r.n = r.buf[:0], 0
}

// thin adds to r the points that walk yields (in order of x), keeping of
// each of n equal slices of [x0, x1] only the first, last, lowest and
// highest finite point: the lines between them cover the same pixels
// when a slice is about one pixel wide (the M4 method of Jugel et al.,
// 2014). A NaN or infinite y breaks the line only where it falls between
// two slices; inside one it would not show.
func thin(walk func(func(x, y float64)), x0, x1 float64, n int, r *runs) {
	type point struct {
		x, y float64
		seq  int
	}
	var (
		slice                  = -1
		first, low, high, last point
		gap                    bool
		seq                    int
		sel                    [4]point
	)
	flush := func() {
		sel = [4]point{first, low, high, last}
		slices.SortFunc(sel[:], func(a, b point) int { return cmp.Compare(a.seq, b.seq) })
		for i, p := range sel {
			if i == 0 || p.seq != sel[i-1].seq {
				r.add(p.x, p.y)
			}
		}
	}
	walk(func(x, y float64) {
		seq++
		if !finite(y) {
			gap = true
			return
		}
		p := point{x, y, seq}
		s := min(n-1, max(0, int((x-x0)/(x1-x0)*float64(n))))
		if s == slice {
			gap = false
			if y < low.y {
				low = p
			}
			if y > high.y {
				high = p
			}
			last = p
			return
		}
		if slice >= 0 {
			flush()
		}
		if gap {
			r.end()
		}
		gap = false
		slice = s
		first, low, high, last = p, p, p, p
	})
	if slice >= 0 {
		flush()
	}
	r.end()
}
