package csvconv

import (
	"context"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/parquet-go/parquet-go"
)

// batchRows is the number of rows handed to the Parquet writer at once.
const batchRows = 1024

// Convert reads the CSV file and writes it to w as one Parquet file with
// the columns cols (from Infer; the file's header must name the same
// columns in the same order). It returns the number of rows written. A cell
// that does not fit its column's type stops the conversion with a
// *ParseError; malformed CSV with a *SyntaxError. On error, w holds an
// incomplete file that the caller must discard. file is opened and used in
// error messages; opts.Types only decides whether an error calls a type
// inferred or hinted.
func Convert(ctx context.Context, file string, w io.Writer, cols []Column, opts Options) (int64, error) {
	schema, err := Schema(cols)
	if err != nil {
		return 0, err
	}
	src, err := openFile(file)
	if err != nil {
		return 0, err
	}
	defer src.close()
	return convert(ctx, src, w, schema, cols, opts)
}

func convert(ctx context.Context, src *source, w io.Writer, schema *parquet.Schema, cols []Column, opts Options) (int64, error) {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.Name
	}
	if err := sameHeader(src, names, "the columns"); err != nil {
		return 0, err
	}

	pw := parquet.NewWriter(w, schema,
		parquet.Compression(&parquet.Snappy),
		parquet.MaxRowsPerRowGroup(opts.rowGroupRows()),
		parquet.DictionaryMaxBytes(DictionaryMaxBytes),
	)
	enc := newEncoder(src.name, cols, opts)
	var total int64
	for {
		if err := ctx.Err(); err != nil {
			return total, err
		}
		n, err := enc.fill(src)
		if n > 0 {
			if _, werr := pw.WriteRows(enc.rows[:n]); werr != nil {
				return total, fmt.Errorf("write parquet for %s: %w", src.name, werr)
			}
			total += int64(n)
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return total, err
		}
	}
	if err := pw.Close(); err != nil {
		return total, fmt.Errorf("write parquet for %s: %w", src.name, err)
	}
	return total, nil
}

// encoder turns CSV records into a batch of Parquet rows, reusing the rows
// and a byte arena for strings across batches.
type encoder struct {
	file  string
	cols  []Column
	parse []cellParser
	opts  Options
	rows  []parquet.Row
	arena []byte
}

// cellParser converts a trimmed, non-empty cell; raw is the cell as
// written.
type cellParser func(e *encoder, raw, trimmed string) (parquet.Value, bool)

func newEncoder(file string, cols []Column, opts Options) *encoder {
	e := &encoder{file: file, cols: cols, opts: opts, parse: make([]cellParser, len(cols))}
	for i, c := range cols {
		switch c.Type {
		case Int64:
			e.parse[i] = parseInt64Cell
		case Float64:
			e.parse[i] = parseFloat64Cell
		case Bool:
			e.parse[i] = parseBoolCell
		case Timestamp:
			e.parse[i] = parseTimestampCell
		default:
			e.parse[i] = parseStringCell
		}
	}
	e.rows = make([]parquet.Row, batchRows)
	for i := range e.rows {
		e.rows[i] = make(parquet.Row, len(cols))
	}
	return e
}

// fill reads up to batchRows records into e.rows and returns how many it
// filled; the error is io.EOF at the end of the input.
func (e *encoder) fill(src *source) (int, error) {
	e.arena = e.arena[:0]
	for n := range e.rows {
		rec, err := src.read()
		if err != nil {
			return n, err
		}
		row := e.rows[n]
		for i, raw := range rec {
			s := trim(raw)
			if s == "" {
				row[i] = parquet.NullValue().Level(0, 0, i)
				continue
			}
			v, ok := e.parse[i](e, raw, s)
			if !ok {
				return n, e.cellError(src, i, raw)
			}
			row[i] = v.Level(0, 1, i)
		}
	}
	return len(e.rows), nil
}

func (e *encoder) cellError(src *source, i int, raw string) error {
	line, _ := src.csv.FieldPos(i)
	_, preferred, hinted := e.opts.typeOf(e.cols[i].Name)
	return &ParseError{
		File:       e.file,
		Line:       line,
		Column:     i + 1,
		Name:       e.cols[i].Name,
		Value:      raw,
		Type:       e.cols[i].Type,
		Inferred:   !hinted,
		Preferred:  preferred,
		SampleRows: e.opts.SampleRows,
	}
}

func parseInt64Cell(_ *encoder, _, s string) (parquet.Value, bool) {
	v, ok, _ := parseInt(s)
	return parquet.Int64Value(v), ok
}

func parseFloat64Cell(_ *encoder, _, s string) (parquet.Value, bool) {
	v, ok := parseFloat(s)
	return parquet.DoubleValue(v), ok
}

func parseBoolCell(_ *encoder, _, s string) (parquet.Value, bool) {
	v, ok := parseBool(s)
	return parquet.BooleanValue(v), ok
}

func parseTimestampCell(_ *encoder, _, s string) (parquet.Value, bool) {
	v, ok := parseTimestamp(s)
	return parquet.Int64Value(v), ok
}

// parseStringCell keeps the cell as written. The bytes are copied into the
// batch arena: a slice taken before the arena grows keeps pointing at the
// old array, which stays valid until the batch is written.
func parseStringCell(e *encoder, raw, _ string) (parquet.Value, bool) {
	if !utf8.ValidString(raw) {
		return parquet.Value{}, false
	}
	start := len(e.arena)
	e.arena = append(e.arena, raw...)
	return parquet.ByteArrayValue(e.arena[start:len(e.arena):len(e.arena)]), true
}
