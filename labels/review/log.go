package review

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// The actions a decision can take.
const (
	Accept  = "accept"  // take the suggested label
	Relabel = "relabel" // set the label to one of the item's classes
	Skip    = "skip"    // leave the label; the item was seen
)

// formatVersion is the version of the log's line format, written on every
// line.
const formatVersion = 1

// maxReason bounds a decision's reason, in bytes.
const maxReason = 4096

// Decision is what a reviewer decided about one item.
type Decision struct {
	Item        string    `json:"item"`             // the item's ID
	Rows        []int     `json:"rows"`             // the dataset rows it concerns
	Action      string    `json:"action"`           // Accept, Relabel or Skip
	Label       string    `json:"label,omitempty"`  // the new label: the suggestion for Accept, a class for Relabel, "" for Skip
	Previous    string    `json:"previous"`         // the label the dataset gives
	Reviewer    string    `json:"reviewer"`         // who decided
	Time        time.Time `json:"time"`             // when
	Reason      string    `json:"reason,omitempty"` // why, if they said
	Dataset     string    `json:"dataset"`          // the dataset version reviewed: churn@v3
	Version     int       `json:"version"`          // its version number
	LabelColumn string    `json:"label_column"`     // the label column
}

// record is a line of the log.
type record struct {
	Format int `json:"format"`
	Decision
}

// Log is the append-only file of a review's decisions, opened for one
// queue. Its methods are safe for concurrent use: appends are serialized,
// each written and synced before the next.
type Log struct {
	path    string
	dataset string
	version int
	column  string
	items   map[string]Item
	now     func() time.Time // the time of decisions that carry none

	mu       sync.Mutex
	f        *os.File // nil once closed
	size     int64    // bytes of whole lines in the file
	err      error    // set when a write failed: the log takes no more
	all      []Decision
	latest   map[string]int // item → index in all of its last decision
	warnings []string
}

// OpenLog opens the decision log at path for reviewing q, creating it if
// it does not exist, and reads the decisions it holds.
//
// It refuses a log written for another dataset version or label column
// than q's (ErrMismatch) and a log with a line that is not a decision
// (ErrCorrupt, a *LineError). A torn last line, left by a crash in the
// middle of a write, is cut off and reported by Warnings, as are
// decisions about items that are not in q (they stay in the log).
func OpenLog(path string, q *Queue) (*Log, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	l := &Log{
		path:    path,
		dataset: q.Dataset,
		version: q.Version,
		column:  q.Label,
		items:   make(map[string]Item, len(q.Items)),
		now:     func() time.Time { return time.Now().UTC().Truncate(time.Millisecond) },
		latest:  make(map[string]int),
	}
	for _, it := range q.Items {
		l.items[it.ID] = it
	}
	_, statErr := os.Stat(path)
	created := errors.Is(statErr, os.ErrNotExist)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("review: open log: %w", err)
	}
	if created {
		syncDir(filepath.Dir(path))
	}
	data, err := io.ReadAll(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("review: read log %s: %w", path, err)
	}
	ds, lines, good, err := parse(path, data)
	if err != nil {
		f.Close()
		return nil, err
	}
	for i, d := range ds {
		if !l.sameTarget(d) {
			f.Close()
			return nil, &LineError{Path: path, Line: lines[i], Err: ErrMismatch, Msg: fmt.Sprintf(
				"the log was written for %s, but this review is of %s; use a new log for this review",
				target(d.Dataset, d.Version, d.LabelColumn), target(l.dataset, l.version, l.column))}
		}
	}
	if torn := len(data) - good; torn > 0 {
		// Appending after the torn bytes would glue the next decision to
		// them; cut them off. They were never acknowledged: Append returns
		// only after a whole line is synced.
		if err := f.Truncate(int64(good)); err != nil {
			f.Close()
			return nil, fmt.Errorf("review: cut the torn last line of log %s: %w", path, err)
		}
		if err := f.Sync(); err != nil {
			f.Close()
			return nil, fmt.Errorf("review: cut the torn last line of log %s: %w", path, err)
		}
		l.warnings = append(l.warnings, fmt.Sprintf(
			"%s:%d: ignored a torn last line (%d bytes without a newline, left by a crash while it was written) and cut it off",
			path, bytes.Count(data[:good], []byte{'\n'})+1, torn))
	}
	l.f, l.size = f, int64(good)
	unknown := 0
	for _, d := range ds {
		l.add(d)
		if _, ok := l.items[d.Item]; !ok {
			unknown++
		}
	}
	if unknown > 0 {
		l.warnings = append(l.warnings, fmt.Sprintf(
			"%s: %d decisions concern items that are not in this queue; they stay in the log", path, unknown))
	}
	return l, nil
}

// sameTarget reports whether d was made for the log's dataset version and
// label column.
func (l *Log) sameTarget(d Decision) bool {
	return d.Dataset == l.dataset && d.Version == l.version && d.LabelColumn == l.column
}

// target names the dataset version and label column of a decision.
func target(dataset string, version int, column string) string {
	return fmt.Sprintf("%s (version %d, label column %q)", dataset, version, column)
}

// Path returns the log's file name.
func (l *Log) Path() string { return l.path }

// Warnings returns what OpenLog tolerated: a torn last line it cut off,
// decisions about items not in the queue. The command prints them.
func (l *Log) Warnings() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.warnings)
}

// Append checks d against the queue, completes it and writes it to the
// log as one line, synced before Append returns.
//
// The item must be in the queue; Relabel must name one of its classes,
// Accept needs a suggestion (Label, if set, must be it) and Skip takes no
// label. Fields left empty are filled in from the queue: Rows, Previous,
// Dataset, Version, LabelColumn, and Label for Accept; Time, if zero,
// is now. Fields that are set must agree with the queue. Reviewer must be
// set. An invalid decision is an ErrInvalid (or ErrMismatch) error and
// nothing is written.
func (l *Log) Append(d Decision) error {
	_, err := l.append(d)
	return err
}

// append is Append returning the decision as written.
func (l *Log) append(d Decision) (Decision, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return Decision{}, fmt.Errorf("review: append to log %s: %w", l.path, os.ErrClosed)
	}
	if l.err != nil {
		return Decision{}, fmt.Errorf("review: log %s takes no more decisions after a failed write: %w", l.path, l.err)
	}
	d, err := l.complete(d)
	if err != nil {
		return Decision{}, err
	}
	line, err := json.Marshal(record{Format: formatVersion, Decision: d})
	if err != nil {
		return Decision{}, fmt.Errorf("review: encode decision on %s: %w", d.Item, err)
	}
	line = append(line, '\n')
	_, err = l.f.Write(line)
	if err == nil {
		err = l.f.Sync()
	}
	if err != nil {
		// The line may be partly written, or written but not durable. Try
		// to leave the file as it was, and take no more decisions: a
		// restart reads what is really there.
		l.err = err
		l.f.Truncate(l.size)
		return Decision{}, fmt.Errorf("review: write decision on %s to log %s: %w", d.Item, l.path, err)
	}
	l.size += int64(len(line))
	l.add(d)
	return d, nil
}

// complete checks d against the queue and fills in what the queue knows.
func (l *Log) complete(d Decision) (Decision, error) {
	invalid := func(format string, args ...any) (Decision, error) {
		return Decision{}, fmt.Errorf("review: decision on %q: %s: %w", d.Item, fmt.Sprintf(format, args...), ErrInvalid)
	}
	it, ok := l.items[d.Item]
	if !ok {
		return invalid("no such item in the queue")
	}
	switch d.Action {
	case Accept:
		if it.Suggested == "" {
			return invalid("the item has no suggestion to accept")
		}
		if d.Label != "" && d.Label != it.Suggested {
			return invalid("accept with label %q, but the suggestion is %q", d.Label, it.Suggested)
		}
		d.Label = it.Suggested
	case Relabel:
		if !slices.Contains(it.Classes, d.Label) {
			return invalid("relabel to %q, which is not one of its classes (%s)", d.Label, quoteList(it.Classes))
		}
	case Skip:
		if d.Label != "" {
			return invalid("a skip takes no label, got %q", d.Label)
		}
	default:
		return invalid("unknown action %q (want accept, relabel or skip)", d.Action)
	}
	if d.Rows == nil {
		d.Rows = slices.Clone(it.Rows)
	} else if !slices.Equal(d.Rows, it.Rows) {
		return invalid("rows %v, but the item concerns rows %v", d.Rows, it.Rows)
	}
	if d.Previous == "" {
		d.Previous = it.Given
	} else if d.Previous != it.Given {
		return invalid("previous label %q, but the given label is %q", d.Previous, it.Given)
	}
	if d.Dataset == "" {
		d.Dataset = l.dataset
	}
	if d.Version == 0 {
		d.Version = l.version
	}
	if d.LabelColumn == "" {
		d.LabelColumn = l.column
	}
	if !l.sameTarget(d) {
		return Decision{}, fmt.Errorf("review: decision on %q is for %s, but the log is for %s: %w", d.Item,
			target(d.Dataset, d.Version, d.LabelColumn), target(l.dataset, l.version, l.column), ErrMismatch)
	}
	if d.Reviewer == "" {
		return invalid("no reviewer")
	}
	if len(d.Reason) > maxReason {
		return invalid("the reason is %d bytes long; at most %d are kept", len(d.Reason), maxReason)
	}
	if d.Time.IsZero() {
		d.Time = l.now()
	}
	return d, nil
}

// add records d, which is in the file, in memory. l.mu is held or l is
// not shared yet.
func (l *Log) add(d Decision) {
	l.latest[d.Item] = len(l.all)
	l.all = append(l.all, d)
}

// Decisions returns every decision in the log, in the order they were
// made.
func (l *Log) Decisions() []Decision {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.all)
}

// Latest returns the effective decision on item: the last one made.
func (l *Log) Latest(item string) (Decision, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	i, ok := l.latest[item]
	if !ok {
		return Decision{}, false
	}
	return l.all[i], true
}

// Effective returns the effective decision on every decided item, as the
// function Effective does.
func (l *Log) Effective() []Decision {
	return Effective(l.Decisions())
}

// latestMap returns a copy of the effective decisions by item.
func (l *Log) latestMap() map[string]Decision {
	l.mu.Lock()
	defer l.mu.Unlock()
	m := make(map[string]Decision, len(l.latest))
	for item, i := range l.latest {
		m[item] = l.all[i]
	}
	return m
}

// Close closes the log's file. Every decision appended is already synced.
func (l *Log) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return nil
	}
	err := l.f.Close()
	l.f = nil
	if err != nil {
		return fmt.Errorf("review: close log %s: %w", l.path, err)
	}
	return nil
}

// ReadDecisions reads every decision in the log at path, in the order they
// were made. A torn last line is ignored; any other line that is not a
// decision is an ErrCorrupt *LineError.
func ReadDecisions(path string) ([]Decision, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("review: read log: %w", err)
	}
	ds, _, _, err := parse(path, data)
	return ds, err
}

// Effective resolves decisions, in the order they were made, to the
// effective decision on each item: its last one. They are returned in
// the order those last decisions were made, so that applying them in
// order lets a later decision win for a row that two items share.
func Effective(ds []Decision) []Decision {
	last := make(map[string]int, len(ds))
	for i, d := range ds {
		last[d.Item] = i
	}
	out := make([]Decision, 0, len(last))
	for i, d := range ds {
		if last[d.Item] == i {
			out = append(out, d)
		}
	}
	return out
}

// parse reads the lines of a log: the decisions, the line number of each,
// and the length of the whole lines (the bytes after it are a torn last
// line).
func parse(path string, data []byte) (ds []Decision, lines []int, good int, err error) {
	line := 0
	for len(data[good:]) > 0 {
		rest := data[good:]
		nl := bytes.IndexByte(rest, '\n')
		if nl < 0 {
			break // a torn last line
		}
		text := rest[:nl]
		line++
		good += nl + 1
		if len(bytes.TrimSpace(text)) == 0 {
			continue
		}
		d, perr := parseLine(text)
		if perr != nil {
			perr.Path, perr.Line, perr.Err = path, line, ErrCorrupt
			perr.Snippet = snippet(text)
			return nil, nil, 0, perr
		}
		ds = append(ds, d)
		lines = append(lines, line)
	}
	return ds, lines, good, nil
}

func parseLine(text []byte) (Decision, *LineError) {
	var rec record
	if err := json.Unmarshal(text, &rec); err != nil {
		e := &LineError{Msg: "not a decision: " + err.Error()}
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.As(err, &syn):
			e.Col = int(syn.Offset)
		case errors.As(err, &typ):
			e.Col = int(typ.Offset)
		}
		return Decision{}, e
	}
	d := rec.Decision
	switch {
	case rec.Format == 0:
		return d, &LineError{Msg: "not a decision: no format version"}
	case rec.Format != formatVersion:
		return d, &LineError{Msg: fmt.Sprintf("format version %d is not supported (this assay reads version %d)", rec.Format, formatVersion)}
	case d.Item == "":
		return d, &LineError{Msg: "decision names no item"}
	}
	switch d.Action {
	case Accept, Relabel:
		if d.Label == "" {
			return d, &LineError{Msg: fmt.Sprintf("%s decision on %q has no label", d.Action, d.Item)}
		}
	case Skip:
	default:
		return d, &LineError{Msg: fmt.Sprintf("decision on %q has unknown action %q", d.Item, d.Action)}
	}
	return d, nil
}

// snippet returns the start of a line for an error message, printable.
func snippet(text []byte) string {
	const n = 60
	cut := len(text) > n
	if cut {
		text = text[:n]
	}
	s := strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == utf8.RuneError {
			return '?'
		}
		return r
	}, strings.ToValidUTF8(string(text), "?"))
	if cut {
		s += "…"
	}
	return s
}

func quoteList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}

// syncDir makes a new directory entry durable. Some systems cannot sync a
// directory; the file is there either way.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
