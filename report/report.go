package report

// Page is one report: one self-contained HTML file.
type Page struct {
	Title    string
	Subtitle string // one line under the title, e.g. "churn@v2 · 7,043 rows · 21 columns"
	Meta     []KV   // small facts under the title: generated time, ref, command
	Sections []Section
}

// KV is a key/value pair, shown as a term and its value.
type KV struct{ Key, Value string }

// Section is a titled part of a page. ID is its element ID, the target of
// "#ID" links and of the table of contents; an empty ID is derived from the
// title. IDs are made unique across the page by suffixes ("-2"), so give
// each section its own; an ID with whitespace goes through Anchor (links
// to it too, so they still match). Intro is plain text, shown with its line breaks.
type Section struct {
	ID, Title string
	Intro     string
	Blocks    []Block // rendered in order
}

// Block is one piece of content of a section or card: *Table, *Histogram,
// *Bars, *Comparison, *Line, *Stats, *Note or *Grid. Nil blocks are
// skipped.
type Block interface{ block() }

// Level is the state a cell, note or card is coloured by.
type Level string

// Levels. Anything else is shown as no level (cells, cards) or as info
// (notes).
const (
	LevelOK    Level = "ok"
	LevelInfo  Level = "info"
	LevelWarn  Level = "warn"
	LevelError Level = "error"
)

// Table is a table with a header row. Numeric[i] right-aligns column i (use
// it for numbers). Rows shorter than Columns are padded with empty cells.
// Filter adds a box that filters rows by text (it needs JavaScript; without
// it the table is simply shown whole).
type Table struct {
	Caption string
	Columns []string
	Numeric []bool
	Rows    [][]Cell
	Filter  bool
}

// Cell is a table cell. Link, when it is an in-page anchor ("#id"), makes
// the text a link; links anywhere else are not rendered (the text is). Level
// colours the cell.
type Cell struct {
	Text  string
	Link  string
	Level Level
}

// Histogram is a bar chart of counts over contiguous bins: bin i spans
// [Edges[i], Edges[i+1]) and holds Counts[i], so len(Edges) must be
// len(Counts)+1. Bins with a non-finite or reversed edge, or a negative or
// non-finite count, are not drawn and are counted in a note under the
// chart. Format, if set, formats bin edges in axis labels and tooltips;
// otherwise axis labels are round numbers chosen for the axis.
type Histogram struct {
	Title  string
	Edges  []float64
	Counts []float64
	XLabel string
	Format func(float64) string
}

// Bars is a horizontal bar chart with a value label on each bar, such as
// the most frequent values of a column with their counts. Long labels are
// shortened with "…" and shown whole in a tooltip. Max is the value of a
// full-length bar; 0 means the largest value. Bars start at zero: negative
// and NaN values get no bar, only their label. Format formats the value
// labels (FormatFloat if nil).
type Bars struct {
	Title  string
	Labels []string
	Values []float64
	Max    float64
	Format func(float64) string
}

// Comparison shows two distributions of one variable on the same axis: a
// reference (the baseline, such as the training data) and a current one
// (the newest data), as a drift report does for each column. Counts are
// drawn as shares of their side's total, so that samples of different
// sizes compare; the legend gives each side's total.
//
// A numeric variable has bin edges: bin i spans [Edges[i], Edges[i+1]) and
// holds Ref[i] and Cur[i], so len(Edges) must be len(Ref)+1 and len(Cur)
// len(Ref). The reference is drawn as bars, the current distribution as a
// line around its own bars (a step outline). The first edge may be -Inf
// and the last +Inf, for bins open at the ends (values beyond the
// reference's range): those bins are drawn set apart at either end. Other
// edges must be finite and may not decrease. Format, if set, formats bin
// edges in axis labels and tooltips; otherwise axis labels are round
// numbers chosen for the axis.
//
// A categorical variable has Labels instead of Edges: category i holds
// Ref[i] and Cur[i], drawn as a pair of horizontal bars with both shares
// written beside them. Categories are drawn in the order given; past the
// 30th, the rest are summed into one "other" row, "others (N)". Long
// labels are shortened with "…" and shown whole in a tooltip.
//
// Highlight lists the bins or categories to emphasise by index (those
// that moved most, say); indexes out of range are ignored, and the
// "other" row is highlighted when it holds a highlighted category.
// Negative and non-finite counts count as zero and are reported in a note
// under the chart. Input that cannot be drawn (mismatched lengths,
// decreasing edges, both Edges and Labels) is reported in place of the
// chart.
type Comparison struct {
	Title            string
	Edges            []float64 // numeric: len(Ref)+1 bin edges
	Labels           []string  // categorical: one label per category
	Ref, Cur         []float64 // counts per bin or category
	RefName, CurName string    // legend names; "reference" and "current" if empty
	XLabel           string    // numeric: axis title under the chart
	Format           func(float64) string
	Highlight        []int
}

// Line is a line chart of one or more series over a shared x axis, such
// as a drift detector's statistic along a stream of rows, with Markers at
// events (a warning, a detected drift) and HLines at thresholds.
//
// X holds the x of each point and is shared by all series, each of which
// must then have len(X) values (a series of another length is not drawn,
// and a note under the chart says so); a nil X numbers each series'
// points 0, 1, 2, …. Points need not be sorted by x. A point whose y is
// NaN or infinite is not drawn and the line breaks there; a point whose x
// is NaN or infinite has no place on the axis and is left out. A note
// under the chart counts both. A series with more than 2,000 points is
// thinned for drawing: in every slice of the x axis about a pixel wide
// only the first, last, lowest and highest points are kept, so that peaks
// survive, and the line breaks only at gaps that span a slice boundary.
// Markers and HLines are always drawn at their exact positions, and the
// axes cover them as well as the data.
//
// XTime says that X holds Unix seconds: ticks then fall on round times and
// are labelled as UTC dates or times. XFormat and YFormat, if set, format
// the axis labels and tooltips of their axis; otherwise axis labels are
// round numbers chosen for the axis. XLabel is written under the x axis,
// YLabel above the y axis.
type Line struct {
	Title            string
	X                []float64
	Series           []Series
	Markers          []Marker
	HLines           []HLine
	XTime            bool
	XFormat, YFormat func(float64) string
	XLabel, YLabel   string
}

// Series is one line of a Line chart. Its Name is shown in the legend,
// which lists the series when there is more than one or any has a name.
type Series struct {
	Name string
	Y    []float64
}

// Marker is a vertical line at an event on a Line chart, coloured by its
// Level: LevelWarn amber and dashed (a detector's warning), LevelError red
// (a detected drift), LevelOK green, LevelInfo blue, anything else grey.
// Label is written at the top of the line where it does not overlap
// another, and is always in the marker's tooltip. The legend lists each
// level present, named by its markers' label when they share one.
type Marker struct {
	X     float64
	Label string
	Level Level
}

// HLine is a dashed horizontal line across a Line chart at Y, such as a
// threshold, with its Label at the right end.
type HLine struct {
	Y     float64
	Label string
}

// Stats is a grid of key/value facts (rows, nulls, mean, …).
type Stats struct {
	Title string
	Items []KV
}

// Note is a short plain-text message, shown with its line breaks, marked
// by its level (info if unset).
type Note struct {
	Level Level
	Text  string
}

// Grid lays cards out in as many columns as the page width allows.
type Grid struct {
	Cards []Card
}

// Card is a titled box in a Grid with blocks of its own. ID, if set, is
// its element ID (made unique like section IDs). Level marks the card (a
// coloured top border) as ok, warn or error.
type Card struct {
	ID, Title string
	Level     Level
	Blocks    []Block
}

func (*Table) block()      {}
func (*Histogram) block()  {}
func (*Bars) block()       {}
func (*Comparison) block() {}
func (*Line) block()       {}
func (*Stats) block()      {}
func (*Note) block()       {}
func (*Grid) block()       {}
