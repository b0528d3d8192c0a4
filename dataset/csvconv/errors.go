package csvconv

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

var (
	// ErrNoFiles is returned by Infer when it is given no files.
	ErrNoFiles = errors.New("no CSV files")

	// ErrNoHeader is returned for an input without a header record (an
	// empty file, or one holding only blank lines).
	ErrNoHeader = errors.New("no header row")

	// ErrHeader is returned for a header with an empty, duplicate or
	// non-UTF-8 column name. The message names the column positions.
	ErrHeader = errors.New("invalid header")

	// ErrHeaderMismatch is returned when a file's header differs from the
	// first file's header (Infer) or from the columns given (Convert).
	ErrHeaderMismatch = errors.New("header does not match")

	// ErrUnknownColumn is returned when a type hint names a column that is
	// not in the header.
	ErrUnknownColumn = errors.New("unknown column")

	// ErrInvalidType is returned for a type name that is not one of
	// int64, float64, bool, timestamp and string, and for a malformed type
	// hint.
	ErrInvalidType = errors.New("invalid type")
)

// ParseError reports a cell that does not fit its column's type during
// Convert. Conversion stops at the first such cell.
type ParseError struct {
	File   string // file name as given to Convert
	Line   int    // 1-based line where the cell starts
	Column int    // 1-based column (field) number
	Name   string // column name from the header
	Value  string // the cell as written
	Type   Type   // the column's type
	// Inferred is true when Type was inferred from a sample, false when it
	// came from a type hint.
	Inferred bool
	// Preferred is true when Type came from Options.Prefer: the column's
	// type in the version the file is appended to.
	Preferred bool
	// SampleRows is the Options.SampleRows the type was inferred with
	// (0 or negative: the whole file).
	SampleRows int
}

// maxSnippet is the longest cell value an error message quotes in full.
const maxSnippet = 60

func (e *ParseError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s:%d:%d: column %q: %s ", e.File, e.Line, e.Column, e.Name, snippet(e.Value))
	if e.Type == String {
		b.WriteString("is not valid UTF-8 text")
		return b.String()
	}
	fmt.Fprintf(&b, "is not %s", e.Type)
	if e.Preferred {
		fmt.Fprintf(&b, " (the column is %s in the version this file is appended to)", e.Type)
		return b.String()
	}
	if !e.Inferred {
		fmt.Fprintf(&b, " (as hinted: %s=%s)", e.Name, e.Type)
		return b.String()
	}
	if e.SampleRows > 0 {
		fmt.Fprintf(&b, " (inferred from the first %d rows)", e.SampleRows)
	} else {
		b.WriteString(" (inferred)")
	}
	wider := join(kindOfType(e.Type), classify(e.Value)).resolve()
	if wider == Float64 {
		fmt.Fprintf(&b, "; pass --schema %s=float64 to widen it", e.Name)
	} else {
		fmt.Fprintf(&b, "; pass --schema %s=string to keep it as text", e.Name)
	}
	return b.String()
}

// SyntaxError reports CSV that encoding/csv cannot read (a stray quote, a
// record with the wrong number of fields). Err is the cause, one of
// csv.ErrBareQuote, csv.ErrQuote or csv.ErrFieldCount, possibly wrapped with
// detail.
type SyntaxError struct {
	File   string // file name
	Line   int    // 1-based line of the error
	Column int    // 1-based byte column of the error, as encoding/csv reports it
	Err    error
}

func (e *SyntaxError) Error() string {
	return e.File + ":" + strconv.Itoa(e.Line) + ":" + strconv.Itoa(e.Column) + ": " + e.Err.Error()
}

func (e *SyntaxError) Unwrap() error { return e.Err }

// snippet quotes s for an error message, shortening it when it is long.
func snippet(s string) string {
	if len(s) <= maxSnippet {
		return strconv.Quote(s)
	}
	cut := maxSnippet
	for cut > 0 && s[cut]&0xC0 == 0x80 { // do not split a UTF-8 sequence
		cut--
	}
	return strconv.Quote(s[:cut]) + "…"
}
