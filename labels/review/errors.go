package review

import (
	"errors"
	"fmt"
)

var (
	// ErrInvalid means a queue or a decision was rejected: an unknown item,
	// an unknown action, a class the item does not offer, a field that
	// contradicts the queue. The error says which.
	ErrInvalid = errors.New("invalid")
	// ErrMismatch means a log was written for another dataset version or
	// label column than the queue under review. The error names both.
	ErrMismatch = errors.New("log mismatch")
	// ErrCorrupt means a line of a log, other than a torn last line, is
	// not a decision. The error is a *LineError naming the file and line.
	ErrCorrupt = errors.New("corrupt log")
)

// LineError is a problem with one line of a log: where it is, what is
// wrong and the start of the line.
type LineError struct {
	Path    string
	Line    int // 1-based
	Col     int // 1-based byte column, 0 when not known
	Msg     string
	Snippet string // the line's start, at most 60 bytes
	Err     error  // the class of the problem: ErrCorrupt or ErrMismatch
}

func (e *LineError) Error() string {
	pos := fmt.Sprintf("%s:%d", e.Path, e.Line)
	if e.Col > 0 {
		pos += fmt.Sprintf(":%d", e.Col)
	}
	s := pos + ": " + e.Msg
	if e.Snippet != "" {
		s += ": " + e.Snippet
	}
	return s
}

// Unwrap makes errors.Is(err, ErrCorrupt) (or ErrMismatch) hold.
func (e *LineError) Unwrap() error { return e.Err }
