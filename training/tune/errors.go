package tune

import (
	"errors"
	"fmt"
	"strings"
)

// Errors returned by this package, to be tested with errors.Is.
var (
	// ErrSpace means a search space is bad: its file does not parse, or
	// a parameter has bounds, a step, a grid or choices that cannot be
	// searched. The error is a Problems listing every problem found.
	ErrSpace = errors.New("tune: bad search space")
	// ErrOptions means study options are out of range: an unknown
	// sampler, no trials, no direction, or a grid search over a float
	// parameter with neither step nor grid. The message names the field.
	ErrOptions = errors.New("tune: invalid options")
	// ErrPruned is what an objective returns when Trial.Report told it
	// to stop. The trial is recorded as pruned, with its last
	// intermediate value. An objective may return it wrapped.
	ErrPruned = errors.New("tune: trial pruned")
)

// Pos is a position in a space file. Line and Col count from 1; they
// are 0 for a space built in Go.
type Pos struct {
	File string
	Line int
	Col  int
}

// Problem is one problem of a search space, at a position.
type Problem struct {
	Pos Pos
	Msg string
}

func (p *Problem) Error() string {
	switch {
	case p.Pos.Line > 0:
		return fmt.Sprintf("%s:%d:%d: %s", p.Pos.File, p.Pos.Line, p.Pos.Col, p.Msg)
	case p.Pos.File != "":
		return p.Pos.File + ": " + p.Msg
	}
	return p.Msg
}

// Problems is every problem found in a search space, in file order (in
// parameter order for a space built in Go). It wraps ErrSpace.
type Problems []*Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap makes errors.Is(err, ErrSpace) hold.
func (ps Problems) Unwrap() error { return ErrSpace }

func (ps *Problems) add(pos Pos, format string, args ...any) {
	*ps = append(*ps, &Problem{Pos: pos, Msg: fmt.Sprintf(format, args...)})
}

func (ps Problems) err() error {
	if len(ps) == 0 {
		return nil
	}
	return ps
}
