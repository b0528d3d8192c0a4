package expr

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/expr-lang/expr/file"
)

// Error classes. Compile errors are *Error values that unwrap to one of
// them.
var (
	// ErrSyntax: the source does not parse, or a literal in it (a
	// regular expression, a date, a time, a duration) is malformed.
	ErrSyntax = errors.New("syntax error")
	// ErrUnknownColumn: an identifier names no column of the schema (or a
	// column that cannot be scanned).
	ErrUnknownColumn = errors.New("unknown column")
	// ErrUnknownFunction: a call of a function that is neither an
	// expr-lang builtin nor, in an aggregate expression, an aggregate.
	ErrUnknownFunction = errors.New("unknown function")
	// ErrType: operands or arguments of the wrong type or number.
	ErrType = errors.New("type mismatch")
	// ErrUnsupported: a construct that cannot be evaluated here (in an
	// aggregate expression, or anywhere when fallback is disabled).
	ErrUnsupported = errors.New("unsupported expression")
	// ErrEval: evaluation failed (a record without a referenced column or
	// with a column of another type; a runtime error on the fallback
	// path).
	ErrEval = errors.New("evaluation failed")
)

// Error is a compile error positioned in the expression's source.
type Error struct {
	Err    error  // the class: ErrSyntax, ErrUnknownColumn, …
	Msg    string // what is wrong, without the position
	Offset int    // byte offset of the offending token in the source
	Line   int    // 1-based line of the offending token
	Column int    // 1-based column, counted in characters
	// Snippet is the source line and a caret under the column, each line
	// indented by " | ".
	Snippet string
}

func (e *Error) Error() string { return fmt.Sprintf("%d:%d: %s", e.Line, e.Column, e.Msg) }

// Unwrap returns the error's class.
func (e *Error) Unwrap() error { return e.Err }

// newError positions an error at rune offset pos (expr-lang's locations
// count runes) of src.
func newError(src string, pos int, class error, msg string) *Error {
	e := &Error{Err: class, Msg: msg, Line: 1, Column: 1}
	runes := 0
	lineStart := 0
	e.Offset = len(src)
	for i, r := range src {
		if runes == pos {
			e.Offset = i
			break
		}
		if r == '\n' {
			e.Line++
			e.Column = 1
			lineStart = i + 1
		} else {
			e.Column++
		}
		runes++
	}
	if pos < 0 {
		e.Offset, e.Line, e.Column, lineStart = 0, 1, 1, 0
	}
	end := strings.IndexByte(src[lineStart:], '\n')
	if end < 0 {
		end = len(src)
	} else {
		end += lineStart
	}
	line := src[lineStart:end]
	if line != "" {
		col := utf8.RuneCountInString(src[lineStart:e.Offset])
		e.Snippet = " | " + strings.ReplaceAll(line, "\t", " ") + "\n | " + strings.Repeat(".", col) + "^"
	}
	return e
}

// fromExprError converts an expr-lang error (from its parser or
// expr.Compile) into an *Error of the given class.
func fromExprError(src string, err error, class error) error {
	var fe *file.Error
	if errors.As(err, &fe) {
		return newError(src, fe.From, class, fe.Message)
	}
	return newError(src, 0, class, err.Error())
}
