package csvconv

import (
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"unicode/utf8"
)

// checkEvery is how many records pass between two checks of the context.
const checkEvery = 1024

const (
	bom       = "\xEF\xBB\xBF" // UTF-8 byte order mark
	gzipMagic = "\x1F\x8B"
)

// source is an open CSV input positioned after its header.
type source struct {
	name   string
	header []string
	// headerLine is the line the header starts on (blank lines before it
	// are skipped).
	headerLine int
	csv        *csv.Reader
	close      func() error
}

// openFile opens name and reads its header.
func openFile(name string) (*source, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	src, err := newSource(name, f)
	if err != nil {
		f.Close()
		return nil, err
	}
	closeCSV := src.close
	src.close = func() error {
		err := closeCSV()
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		return err
	}
	return src, nil
}

// newSource reads CSV from r, decompressing gzip and dropping a UTF-8 byte
// order mark, and reads the header. name is used in error messages.
func newSource(name string, r io.Reader) (*source, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	closeFn := func() error { return nil }
	if magic, _ := br.Peek(len(gzipMagic)); string(magic) == gzipMagic {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", name, err)
		}
		closeFn = zr.Close
		br = bufio.NewReaderSize(zr, 64<<10)
	}
	if head, _ := br.Peek(len(bom)); string(head) == bom {
		br.Discard(len(bom))
	}
	cr := csv.NewReader(br)
	cr.ReuseRecord = true
	src := &source{name: name, csv: cr, close: closeFn}

	rec, err := cr.Read()
	if err == io.EOF {
		return nil, fmt.Errorf("%s: %w", name, ErrNoHeader)
	}
	if err != nil {
		return nil, src.wrap(err, rec)
	}
	src.header = slices.Clone(rec)
	src.headerLine, _ = cr.FieldPos(0)
	if err := src.checkHeader(); err != nil {
		return nil, err
	}
	return src, nil
}

// checkHeader reports every empty, duplicate or non-UTF-8 name at once.
func (s *source) checkHeader() error {
	var problems []string
	first := make(map[string]int, len(s.header))
	for i, name := range s.header {
		switch {
		case !utf8.ValidString(name):
			problems = append(problems, fmt.Sprintf("column %d name %s is not valid UTF-8", i+1, snippet(name)))
		case strings.TrimSpace(name) == "":
			problems = append(problems, fmt.Sprintf("column %d has an empty name", i+1))
		default:
			if j, ok := first[name]; ok {
				problems = append(problems, fmt.Sprintf("column %d name %s duplicates column %d", i+1, snippet(name), j+1))
			} else {
				first[name] = i
			}
		}
	}
	if problems == nil {
		return nil
	}
	return fmt.Errorf("%s:%d: %w: %s", s.name, s.headerLine, ErrHeader, strings.Join(problems, "; "))
}

// read returns the next data record, io.EOF at the end, or an error that
// names the file, line and column.
func (s *source) read() ([]string, error) {
	rec, err := s.csv.Read()
	if err != nil {
		return nil, s.wrap(err, rec)
	}
	return rec, nil
}

// wrap turns an error from encoding/csv into a *SyntaxError; other errors
// (I/O, gzip) are wrapped with the file name.
func (s *source) wrap(err error, rec []string) error {
	if err == io.EOF {
		return err
	}
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return fmt.Errorf("read %s: %w", s.name, err)
	}
	cause := pe.Err
	if errors.Is(cause, csv.ErrFieldCount) {
		cause = fmt.Errorf("%w: row has %d fields, header has %d: %s",
			csv.ErrFieldCount, len(rec), len(s.header), snippet(strings.Join(rec, ",")))
	}
	if pe.StartLine != pe.Line {
		cause = fmt.Errorf("%w (in the record starting on line %d)", cause, pe.StartLine)
	}
	return &SyntaxError{File: s.name, Line: pe.Line, Column: pe.Column, Err: cause}
}
