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
// *Bars, *Stats, *Note or *Grid. Nil blocks are skipped.
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

func (*Table) block()     {}
func (*Histogram) block() {}
func (*Bars) block()      {}
func (*Stats) block()     {}
func (*Note) block()      {}
func (*Grid) block()      {}
