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
)

type histView struct {
	Title, Label, XLabel string
	Empty                string // set when there is nothing to draw
	Note                 string // bins that could not be drawn
	W, H                 string
	PlotL, PlotR, Base   string // plot left and right x, baseline y
	TickEnd              string // lower end of x tick marks
	Top                  string // plot top y
	YLabelX              string // right edge of y tick labels
	XTickY, XLabelY      string
	XLabelX              string
	XTicks, YTicks       []tickView
	Bars                 []rectView
}

type tickView struct {
	Pos, Label string
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
	v := &histView{Title: clean(h.Title), XLabel: truncate(clean(h.XLabel), (chartW-8)/fontSize)}
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
		pad := math.Abs(x0) * 0.1
		if pad == 0 || x0-pad == x0 {
			pad = 0.5
		}
		x0, x1 = x0-pad, x1+pad
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
	ylw := 0.0
	for _, l := range ylabels {
		ylw = math.Max(ylw, textWidth(l)*fontSize)
	}

	// Bin (x) axis: the most ticks whose labels do not overlap.
	var xt tickSet
	var xlabels []string
	var xlw float64
	for _, want := range []int{6, 5, 4, 3, 2} {
		xt = niceTicks(x0, x1, want)
		if h.Format != nil {
			xlabels = make([]string, len(xt.values))
			for i, x := range xt.values {
				xlabels[i] = safeFormat(x)
			}
		} else {
			xlabels = xt.labels()
		}
		xlw = 0
		for _, l := range xlabels {
			xlw = math.Max(xlw, textWidth(l)*fontSize)
		}
		if len(xt.values) < 2 {
			break
		}
		gap := (xt.values[1] - xt.values[0]) / (x1 - x0) * (chartW - ylw - 30)
		if gap >= xlw+8 {
			break
		}
	}
	if len(xt.values) >= 2 && (xt.values[1]-xt.values[0])/(x1-x0)*(chartW-ylw-30) < xlw+8 {
		// Even two ticks overlap: label only the ends.
		xt = tickSet{values: []float64{x0, x1}}
		xlabels = []string{safeFormat(x0), safeFormat(x1)}
	}

	// Margins: y labels on the left; half an x label may stick out at
	// either end.
	left := math.Max(ylw+10, 8)
	right := 10.0
	if len(xlabels) > 0 {
		left = math.Max(left, textWidth(xlabels[0])*fontSize/2+2)
		right = math.Max(right, textWidth(xlabels[len(xlabels)-1])*fontSize/2+2)
	}
	top, bottom := 8.0, 22.0
	if v.XLabel != "" {
		bottom += 16
	}
	pw, ph := chartW-left-right, histH-top-bottom
	sx := func(x float64) float64 { return left + (x-x0)/(x1-x0)*pw }
	sy := func(y float64) float64 { return top + ph - y/ymax*ph }

	v.W, v.H = px(chartW), px(histH)
	v.PlotL, v.PlotR, v.Top, v.Base = px(left), px(left+pw), px(top), px(top+ph)
	v.YLabelX = px(left - 6)
	v.TickEnd = px(top + ph + 4)
	v.XTickY = px(top + ph + 15)
	v.XLabelX, v.XLabelY = px(chartW/2), px(histH-6)
	for i, y := range yt.values {
		v.YTicks = append(v.YTicks, tickView{Pos: px(sy(y)), Label: ylabels[i]})
	}
	for i, x := range xt.values {
		v.XTicks = append(v.XTicks, tickView{Pos: px(sx(x)), Label: xlabels[i]})
	}
	for i, b := range bins {
		x, w := sx(b.lo), sx(b.hi)-sx(b.lo)
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
			X: px(x), Y: px(top + ph - hgt), W: px(w), H: px(hgt),
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
