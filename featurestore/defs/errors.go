package defs

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

var (
	// ErrDefs means a definitions file is bad: it does not parse, has an
	// unknown key, a value of the wrong type, or (Validate) refers to a
	// column, entity, source, view or feature that does not exist. The
	// error is a Problems listing every problem found.
	ErrDefs = errors.New("bad feature definitions")
	// ErrUnknownRef means a feature reference given to Resolve names no
	// view, feature or service.
	ErrUnknownRef = errors.New("unknown feature reference")
	// ErrNotFound means the repository holds no registry, or not the
	// version asked for.
	ErrNotFound = errors.New("registry not found")
	// ErrCorrupt means a stored registry does not match its manifest, or
	// the manifest does not decode.
	ErrCorrupt = errors.New("corrupt registry")
)

// Pos is a position in a definitions file. Line and Col count from 1;
// Col counts characters. The zero Pos is for objects not read from a
// file.
type Pos struct {
	File string
	Line int
	Col  int
}

func (p Pos) String() string {
	if p.Line == 0 {
		if p.File == "" {
			return "-"
		}
		return p.File
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

func (p Pos) before(q Pos) bool {
	return p.Line < q.Line || p.Line == q.Line && p.Col < q.Col
}

// Problem is one problem of a definitions file, at a position.
type Problem struct {
	Pos Pos
	Msg string
}

func (p *Problem) Error() string { return p.Pos.String() + ": " + p.Msg }

// Problems is every problem found in a definitions file, in file order.
// Parse and Validate return it; it wraps ErrDefs.
type Problems []*Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap makes errors.Is(err, ErrDefs) hold.
func (ps Problems) Unwrap() error { return ErrDefs }

func (ps *Problems) add(pos Pos, format string, args ...any) {
	*ps = append(*ps, &Problem{Pos: pos, Msg: fmt.Sprintf(format, args...)})
}

// err sorts the problems into file order, drops repeats and returns them
// as an error, or nil when there are none.
func (ps Problems) err() error {
	if len(ps) == 0 {
		return nil
	}
	slices.SortStableFunc(ps, func(a, b *Problem) int {
		switch {
		case a.Pos.before(b.Pos):
			return -1
		case b.Pos.before(a.Pos):
			return 1
		}
		return 0
	})
	ps = slices.CompactFunc(ps, func(a, b *Problem) bool { return *a == *b })
	return ps
}
