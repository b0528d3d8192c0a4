package checks

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

var (
	// ErrRules means a rule file is bad: it does not parse, names an
	// unknown key, column or function, has a bad expression or a type
	// mismatch. The error is a Problems listing every problem found.
	ErrRules = errors.New("bad rule file")
	// ErrFailed means the checks ran and an error-level check failed.
	ErrFailed = errors.New("checks failed")
)

// Problem is one problem of a rule file, at a position.
type Problem struct {
	Pos Pos
	Msg string
}

func (p *Problem) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s", p.Pos.File, p.Pos.Line, p.Pos.Col, p.Msg)
}

// Problems is every problem found in a rule file, in file order. It is the
// error parsing and compiling return, and it wraps ErrRules.
type Problems []*Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap makes errors.Is(err, ErrRules) hold.
func (ps Problems) Unwrap() error { return ErrRules }

// add appends a problem at pos.
func (ps *Problems) add(pos Pos, format string, args ...any) {
	*ps = append(*ps, &Problem{Pos: pos, Msg: fmt.Sprintf(format, args...)})
}

// err returns the problems as an error, or nil when there are none.
func (ps Problems) err() error {
	if len(ps) == 0 {
		return nil
	}
	return ps
}

// JoinProblems merges the problems of two steps (parsing, then compiling
// the checks that parsed) into one error, in file order. Either may be
// nil; an error that is not Problems wins as it is.
func JoinProblems(a, b error) error {
	var all Problems
	for _, err := range []error{a, b} {
		if err == nil {
			continue
		}
		ps, ok := err.(Problems)
		if !ok {
			return err
		}
		all = append(all, ps...)
	}
	if len(all) == 0 {
		return nil
	}
	slices.SortStableFunc(all, func(x, y *Problem) int {
		if x.Pos.Line != y.Pos.Line {
			return x.Pos.Line - y.Pos.Line
		}
		return x.Pos.Col - y.Pos.Col
	})
	return all
}
