package report

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// Index is a page that lists items which have pages of their own, such
// as the dataset versions, check runs and training runs of a repository:
// the front page of a directory of reports. It is a Page whose sections
// are each one table of items, with a time and a status per item.
//
// Unlike a Page, whose links stay inside the page, an Index links to
// other files: a Cell's Link may be a path relative to the directory of
// the index ("datasets/churn/v3.html", "runs/x.html#metrics"), as well as
// an in-page anchor ("#models"). A relative path is made of segments of
// ASCII letters, digits, '.', '-' and '_', none of them "." or "..", and
// may end in "#" and an anchor; anything else (a scheme, a leading '/',
// "..") is not rendered as a link, only its text is. So an index never
// leads out of its directory, and, like every page, fetches nothing.
type Index struct {
	Title    string
	Subtitle string
	Meta     []KV
	Sections []IndexSection
	// Empty is the note the index shows, in place of its sections, when
	// none of them has a row: there is nothing to list yet.
	Empty string
}

// IndexSection is a titled table of items, one row each, in the order
// given (newest first, by convention). Its columns are the item, its time
// (UTC), its status, then Columns. ID is the section's element ID, as in
// Section. When there are rows, an overview at the top of the index links
// to each section that has any.
type IndexSection struct {
	ID, Title string
	Intro     string
	// ItemColumn and StatusColumn head the item and status columns;
	// "Item" and "Status" if empty.
	ItemColumn, StatusColumn string
	Columns                  []string
	Numeric                  []bool // right-aligns Columns[i]
	Rows                     []IndexRow
	// Empty is the note shown in place of the table when there are no
	// rows; with neither rows nor Empty the section is left out.
	Empty string
	// Blocks follow the table, such as a chart of the items over time.
	Blocks []Block
}

// IndexRow is one item: its name (linking to its page), its time (zero
// for none), its status (a verdict and its Level) and one cell per column
// of its section.
type IndexRow struct {
	Item   Cell
	Time   time.Time
	Status Cell
	Cells  []Cell
}

// indexFilterRows is the number of rows from which an index table gets a
// filter box.
const indexFilterRows = 15

// RenderIndex writes ix to w as one self-contained HTML page with the look
// of every report. Like Render it returns an error only when w fails or a
// block is malformed, and nothing is written then.
func RenderIndex(w io.Writer, ix Index) error {
	page, links := ix.page()
	v, err := buildPage(page)
	if err != nil {
		return err
	}
	for _, l := range links {
		v.Sections[l.section].Blocks[0].Table.Rows[l.row][l.col].Link = l.href
	}
	var buf bytes.Buffer
	if err := pageTmpl.Execute(&buf, v); err != nil {
		return fmt.Errorf("report: render %q: %w", page.Title, err)
	}
	_, err = w.Write(buf.Bytes())
	return err
}

// WriteIndex renders ix into the file at path atomically, as WriteFile
// does a Page.
func WriteIndex(path string, ix Index) error {
	var buf bytes.Buffer
	if err := RenderIndex(&buf, ix); err != nil {
		return err
	}
	return WriteHTML(path, buf.Bytes())
}

// relLink is a link to another file, to be set on a table cell after the
// page is built (Table cells link only in-page): the cell in row, col of
// the table that opens section.
type relLink struct {
	section, row, col int
	href              string
}

// page lays the index out as a Page, each section's table first among its
// blocks, and returns the links to other files with the cells they go in.
func (ix Index) page() (Page, []relLink) {
	p := Page{Title: ix.Title, Subtitle: ix.Subtitle, Meta: ix.Meta}
	if p.Title == "" {
		p.Title = "assay report"
	}
	ids := indexIDs(ix.Sections)
	var (
		sections []Section
		links    []relLink
		overview = &Table{Columns: []string{"Section", "Items", "Newest (UTC)", "Status"}, Numeric: []bool{false, true}}
	)
	for i, s := range ix.Sections {
		if len(s.Rows) == 0 && s.Empty == "" {
			continue
		}
		sec := Section{ID: ids[i], Title: s.Title, Intro: s.Intro}
		if len(s.Rows) == 0 {
			sec.Blocks = append(sec.Blocks, &Note{Level: LevelInfo, Text: s.Empty})
		} else {
			t, l := s.table(len(sections) + 1) // after the overview
			sec.Blocks = append(sec.Blocks, t)
			links = append(links, l...)
			overview.Rows = append(overview.Rows, s.overviewRow(ids[i]))
		}
		sec.Blocks = append(sec.Blocks, s.Blocks...)
		sections = append(sections, sec)
	}
	if len(overview.Rows) == 0 {
		text := ix.Empty
		if text == "" {
			text = "Nothing to list yet."
		}
		p.Sections = []Section{{ID: "overview", Title: "Overview", Blocks: []Block{&Note{Level: LevelInfo, Text: text}}}}
		return p, nil
	}
	p.Sections = append([]Section{{ID: "overview", Title: "Overview", Blocks: []Block{overview}}}, sections...)
	return p, links
}

// indexIDs returns each section's element ID: its own, else one made from
// its title, made unique among the sections and the overview.
func indexIDs(sections []IndexSection) []string {
	used := map[string]bool{"overview": true}
	ids := make([]string, len(sections))
	for i, s := range sections {
		id := elementID(s.ID)
		if id == "" {
			id = Anchor(s.Title)
		}
		base := id
		for n := 2; used[id]; n++ {
			id = base + "-" + strconv.Itoa(n)
		}
		used[id] = true
		ids[i] = id
	}
	return ids
}

// table lays out the rows of s as the first block of the page's section
// number section, and returns the links to other files it holds.
func (s IndexSection) table(section int) (*Table, []relLink) {
	t := &Table{
		Columns: append([]string{or(s.ItemColumn, "Item"), "Time (UTC)", or(s.StatusColumn, "Status")}, s.Columns...),
		Numeric: append([]bool{false, false, false}, s.Numeric...),
		Filter:  len(s.Rows) >= indexFilterRows,
	}
	var links []relLink
	for i, r := range s.Rows {
		row := append([]Cell{r.Item, {Text: formatIndexTime(r.Time)}, r.Status}, r.Cells...)
		if row[2].Text == "" {
			row[2].Text = "-"
		}
		for j := range row {
			href := row[j].Link
			if strings.HasPrefix(href, "#") {
				continue // in-page: the table links it
			}
			row[j].Link = ""
			if href, ok := relativeLink(href); ok {
				links = append(links, relLink{section: section, row: i, col: j, href: href})
			}
		}
		t.Rows = append(t.Rows, row)
	}
	return t, links
}

// overviewRow is the section's line in the overview: its items, the
// newest time, and the worst status with how many items have it.
func (s IndexSection) overviewRow(id string) []Cell {
	var newest time.Time
	worst := Level("")
	count := 0
	for _, r := range s.Rows {
		if r.Time.After(newest) {
			newest = r.Time
		}
		switch l := levelClass(r.Status.Level); {
		case levelRank(Level(l)) > levelRank(worst):
			worst, count = Level(l), 1
		case Level(l) == worst:
			count++
		}
	}
	status := Cell{Text: "-"}
	if worst != "" {
		status = Cell{Text: fmt.Sprintf("%s: %s of %s", levelWord(worst), FormatInt(int64(count)), FormatInt(int64(len(s.Rows)))), Level: worst}
	}
	title := or(s.Title, id)
	return []Cell{{Text: title, Link: "#" + id}, {Text: FormatInt(int64(len(s.Rows)))}, {Text: formatIndexTime(newest)}, status}
}

// relativeLink reports whether href is a link an index renders: a
// relative path of safe segments with an optional anchor. It returns the
// link with the anchor made a valid element ID.
func relativeLink(href string) (string, bool) {
	path, anchor, hasAnchor := strings.Cut(href, "#")
	if path == "" || hasAnchor && anchor == "" {
		return "", false
	}
	for _, seg := range strings.Split(path, "/") {
		if seg == "" || seg == "." || seg == ".." {
			return "", false
		}
		for i := 0; i < len(seg); i++ {
			if c := seg[i]; !idByte(c) && c != '.' {
				return "", false
			}
		}
	}
	if hasAnchor {
		return path + "#" + elementID(anchor), true
	}
	return path, true
}

func formatIndexTime(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format("2006-01-02 15:04:05")
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
