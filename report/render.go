package report

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"errors"
	"fmt"
	"hash/fnv"
	"html/template"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"
)

//go:embed assets/page.html.tmpl assets/style.css assets/filter.js
var assets embed.FS

// The page template and its inline style and script, which are fixed, so
// their hashes can go into the page's Content-Security-Policy: the browser
// then runs no other script, applies no other style and fetches nothing.
var (
	pageTmpl = template.Must(template.New("page.html.tmpl").ParseFS(assets, "assets/page.html.tmpl"))
	styleCSS = mustAsset("assets/style.css")
	filterJS = mustAsset("assets/filter.js")
	csp      = "default-src 'none'; style-src " + cspHash(styleCSS) + "; script-src " + cspHash(filterJS) +
		"; base-uri 'none'; form-action 'none'"
)

func mustAsset(name string) string {
	b, err := assets.ReadFile(name)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func cspHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}

// maxDepth bounds how deep grids may nest (cards holding grids holding
// cards), which also stops a grid that contains itself.
const maxDepth = 8

// Render writes p to w as one self-contained HTML page. It returns an
// error only when w fails or the page is malformed in a way no data can
// cause (a block type from outside this package, grids nested too deeply);
// nothing is written then.
func Render(w io.Writer, p Page) error {
	v, err := buildPage(p)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := pageTmpl.Execute(&buf, v); err != nil {
		return fmt.Errorf("report: render %q: %w", p.Title, err)
	}
	_, err = w.Write(buf.Bytes())
	return err
}

// WriteFile renders p into the file at path atomically (see WriteHTML).
func WriteFile(path string, p Page) error {
	var buf bytes.Buffer
	if err := Render(&buf, p); err != nil {
		return err
	}
	return WriteHTML(path, buf.Bytes())
}

// WriteHTML writes a rendered page to path atomically: it writes a
// temporary file in the same directory, syncs it and renames it over
// path, so readers see the old file or the whole new one, never a part.
func WriteHTML(path string, html []byte) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return fmt.Errorf("report: write %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
			err = fmt.Errorf("report: write %s: %w", path, err)
		}
	}()
	if _, err = f.Write(html); err != nil {
		return err
	}
	if err = f.Chmod(0o644); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return err
	}
	// Make the rename durable. Some systems cannot sync a directory; the
	// file itself is complete either way.
	if d, derr := os.Open(dir); derr == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// Anchor turns name into a string that is safe as an element ID and in a
// "#" link: ASCII letters, digits, '-' and '_'. A name that is already
// safe is returned as is; otherwise unsafe characters become '-' and a
// short hash of name is appended, so that different names ("a b", "a-b")
// get different anchors. Anchor("") is "id-" and the hash.
func Anchor(name string) string {
	safe := name != ""
	for i := 0; i < len(name); i++ {
		if !idByte(name[i]) {
			safe = false
			break
		}
	}
	if safe {
		return name
	}
	var b strings.Builder
	for _, r := range name {
		if r < utf8.RuneSelf && idByte(byte(r)) {
			b.WriteRune(r)
		} else if s := b.String(); s != "" && !strings.HasSuffix(s, "-") {
			b.WriteByte('-')
		}
	}
	h := fnv.New32a()
	h.Write([]byte(name))
	s := strings.TrimSuffix(b.String(), "-")
	if s == "" {
		s = "id"
	}
	return s + "-" + strconv.FormatUint(uint64(h.Sum32()), 36)
}

// elementID turns a caller's ID into a valid element ID: cleaned, and
// through Anchor if it holds whitespace (which IDs may not). Link targets
// go through the same function, so "#a b" still finds the element made
// from ID "a b".
func elementID(id string) string {
	id = clean(id)
	if strings.ContainsAny(id, " \t\n\f\r") {
		return Anchor(id)
	}
	return id
}

func idByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_'
}

// clean makes s valid UTF-8 and drops the control characters HTML does not
// allow: all but tab and newline (CRLF becomes a newline).
func clean(s string) string {
	bad := !utf8.ValidString(s)
	for _, r := range s {
		if bad || control(r) {
			bad = true
			break
		}
	}
	if !bad {
		return s
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		if control(r) {
			return -1
		}
		return r
	}, s)
}

func control(r rune) bool {
	return r < 0x20 && r != '\t' && r != '\n' || r >= 0x7f && r < 0xa0
}

// levelClass maps a level to its CSS class; unknown levels get none.
func levelClass(l Level) string {
	switch l {
	case LevelOK, LevelInfo, LevelWarn, LevelError:
		return string(l)
	}
	return ""
}

// The view model: what the template draws, with every string cleaned,
// every ID unique and every chart laid out.

type pageView struct {
	Title, Subtitle string
	Meta            []KV
	Sections        []sectionView
	CSP             string
	CSS             template.CSS
	JS              template.JS
}

type sectionView struct {
	ID, Title, Nav, Intro string
	Blocks                []blockView
}

// blockView holds exactly one non-nil field.
type blockView struct {
	Table *tableView
	Hist  *histView
	Bars  *barsView
	Cmp   *cmpView
	Line  *lineView
	Stats *Stats
	Note  *noteView
	Grid  []cardView
}

type tableView struct {
	Caption string
	Columns []headView
	Rows    [][]cellView
	Filter  bool
	Span    int // columns an empty-table message spans
}

type headView struct {
	Text string
	Num  bool
}

type cellView struct {
	Text, Link, Class string // Class: "num" and/or a level
}

type noteView struct {
	Class, Label, Text string
}

type cardView struct {
	ID, Title, Class string
	Blocks           []blockView
}

type builder struct {
	ids map[string]bool
}

func buildPage(p Page) (*pageView, error) {
	b := &builder{ids: map[string]bool{}}
	v := &pageView{
		Title:    clean(p.Title),
		Subtitle: clean(p.Subtitle),
		CSP:      csp,
		CSS:      template.CSS(styleCSS),
		JS:       template.JS(filterJS),
	}
	if v.Title == "" {
		v.Title = "assay report"
	}
	for _, kv := range p.Meta {
		v.Meta = append(v.Meta, KV{clean(kv.Key), clean(kv.Value)})
	}
	b.reserve(p.Sections)
	for i, s := range p.Sections {
		sv := sectionView{Title: clean(s.Title), Intro: clean(s.Intro)}
		if id := elementID(s.ID); id != "" {
			sv.ID = b.unique(id, true)
		} else if s.Title != "" {
			sv.ID = b.unique(Anchor(s.Title), false)
		} else {
			sv.ID = b.unique("section-"+strconv.Itoa(i+1), false)
		}
		sv.Nav = sv.Title
		if sv.Nav == "" {
			sv.Nav = sv.ID
		}
		blocks, err := b.blocks(s.Blocks, 0)
		if err != nil {
			return nil, fmt.Errorf("report: section %q: %w", s.Title, err)
		}
		sv.Blocks = blocks
		v.Sections = append(v.Sections, sv)
	}
	return v, nil
}

// reserve notes the IDs the caller chose, in sections and cards at any
// depth, so that generated IDs and suffixes avoid them.
func (b *builder) reserve(sections []Section) {
	var cards func(blocks []Block, depth int)
	cards = func(blocks []Block, depth int) {
		if depth > maxDepth {
			return
		}
		for _, blk := range blocks {
			if g, ok := blk.(*Grid); ok && g != nil {
				for _, c := range g.Cards {
					b.reserveID(c.ID)
					cards(c.Blocks, depth+1)
				}
			}
		}
	}
	for _, s := range sections {
		b.reserveID(s.ID)
		cards(s.Blocks, 0)
	}
}

func (b *builder) reserveID(id string) {
	if id = elementID(id); id != "" && !b.ids[id] {
		b.ids[id] = false
	}
}

// unique returns id for an element, or id with the first free suffix
// ("-2", "-3", …) when another element has it. A caller-chosen id may take
// its reservation; a generated one avoids all reserved IDs.
func (b *builder) unique(id string, chosen bool) string {
	used, seen := b.ids[id]
	if !seen || chosen && !used {
		b.ids[id] = true
		return id
	}
	for n := 2; ; n++ {
		s := id + "-" + strconv.Itoa(n)
		if _, seen := b.ids[s]; !seen {
			b.ids[s] = true
			return s
		}
	}
}

func (b *builder) blocks(blocks []Block, depth int) ([]blockView, error) {
	if depth > maxDepth {
		return nil, errors.New("grids nested more than 8 deep")
	}
	var out []blockView
	for _, blk := range blocks {
		var v blockView
		switch blk := blk.(type) {
		case nil:
			continue
		case *Table:
			if blk == nil {
				continue
			}
			v.Table = buildTable(blk)
		case *Histogram:
			if blk == nil {
				continue
			}
			v.Hist = layoutHistogram(blk)
		case *Bars:
			if blk == nil {
				continue
			}
			v.Bars = layoutBars(blk)
		case *Comparison:
			if blk == nil {
				continue
			}
			v.Cmp = layoutComparison(blk)
		case *Line:
			if blk == nil {
				continue
			}
			v.Line = layoutLine(blk)
		case *Stats:
			if blk == nil {
				continue
			}
			s := &Stats{Title: clean(blk.Title)}
			for _, kv := range blk.Items {
				s.Items = append(s.Items, KV{clean(kv.Key), clean(kv.Value)})
			}
			v.Stats = s
		case *Note:
			if blk == nil {
				continue
			}
			v.Note = buildNote(blk)
		case *Grid:
			if blk == nil {
				continue
			}
			v.Grid = []cardView{}
			for _, c := range blk.Cards {
				cv := cardView{Title: clean(c.Title), Class: levelClass(c.Level)}
				if id := elementID(c.ID); id != "" {
					cv.ID = b.unique(id, true)
				}
				var err error
				if cv.Blocks, err = b.blocks(c.Blocks, depth+1); err != nil {
					return nil, err
				}
				v.Grid = append(v.Grid, cv)
			}
		default:
			return nil, fmt.Errorf("unsupported block type %T", blk)
		}
		out = append(out, v)
	}
	return out, nil
}

func buildTable(t *Table) *tableView {
	v := &tableView{Caption: clean(t.Caption), Filter: t.Filter}
	numeric := func(i int) bool { return i < len(t.Numeric) && t.Numeric[i] }
	width := len(t.Columns)
	for _, r := range t.Rows {
		width = max(width, len(r))
	}
	for i := range width {
		h := headView{Num: numeric(i)}
		if i < len(t.Columns) {
			h.Text = clean(t.Columns[i])
		}
		v.Columns = append(v.Columns, h)
	}
	v.Span = max(width, 1)
	v.Rows = make([][]cellView, len(t.Rows))
	for i, r := range t.Rows {
		row := make([]cellView, width)
		for j := range row {
			var class []string
			if numeric(j) {
				class = append(class, "num")
			}
			if j < len(r) && levelClass(r[j].Level) != "" {
				class = append(class, levelClass(r[j].Level))
			}
			row[j].Class = strings.Join(class, " ")
			if j >= len(r) {
				continue
			}
			c := r[j]
			row[j].Text = clean(c.Text)
			if len(c.Link) > 1 && c.Link[0] == '#' {
				row[j].Link = "#" + elementID(c.Link[1:])
			}
		}
		v.Rows[i] = row
	}
	return v
}

func buildNote(n *Note) *noteView {
	v := &noteView{Class: levelClass(n.Level), Text: clean(n.Text)}
	switch n.Level {
	case LevelOK:
		v.Label = "OK"
	case LevelWarn:
		v.Label = "Warning"
	case LevelError:
		v.Label = "Error"
	default:
		v.Class, v.Label = "info", "Note"
	}
	return v
}
