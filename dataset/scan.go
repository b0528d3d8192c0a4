package dataset

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/parquet-go/parquet-go"
	"golang.org/x/sync/errgroup"

	"github.com/assayhq/assay/dataset/store"
)

// Input is one Parquet file of a scan: a name for messages and a way to
// open it. Files of a dataset version open from the repository's store;
// paths given on the command line open from disk.
type Input struct {
	Name string
	Open func(ctx context.Context) (store.Blob, error)
}

// FileInput returns the Input for a local file.
func FileInput(path string) Input {
	return Input{Name: path, Open: func(context.Context) (store.Blob, error) { return openLocal(path) }}
}

type localBlob struct {
	*os.File
	size int64
}

func (b localBlob) Size() int64 { return b.size }

func openLocal(path string) (store.Blob, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%s: %w", path, ErrNotFound)
		}
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if st.IsDir() {
		f.Close()
		return nil, fmt.Errorf("%w: %s is a directory", ErrInvalid, path)
	}
	return localBlob{f, st.Size()}, nil
}

// RowGroup is the unit of parallel work in a scan: one Parquet row group.
type RowGroup struct {
	Index    int    // position among the scan's row groups, in file order
	File     int    // index of its Input
	FileName string // its Input's name
	FirstRow int64  // row number (from 0, across all files) of its first row
	NumRows  int64
	pq       parquet.RowGroup
	fileRG   int // its index within its file
}

// Scanner reads Parquet files as a stream of Arrow record batches. All
// files share one schema. It decodes column pages with parquet-go straight
// into Arrow arrays: the one Parquet-to-Arrow path of assay.
//
// A Scanner holds the open files and their footers, not their data; Close
// releases them.
type Scanner struct {
	inputs    []Input
	blobs     []store.Blob
	files     []*parquet.File
	schema    Schema
	rowGroups []RowGroup
	rows      int64
}

// NewScanner opens the inputs and reads their footers. Files must share one
// schema (up to nullability); the first difference is an ErrSchema error
// naming the file and column. A file that is not Parquet is an ErrInvalid
// error naming it.
func NewScanner(ctx context.Context, inputs []Input) (*Scanner, error) {
	s := &Scanner{inputs: inputs}
	for i, in := range inputs {
		if err := ctx.Err(); err != nil {
			s.Close()
			return nil, err
		}
		b, err := in.Open(ctx)
		if err != nil {
			s.Close()
			return nil, err
		}
		s.blobs = append(s.blobs, b)
		f, err := openParquet(in.Name, b)
		if err != nil {
			s.Close()
			return nil, err
		}
		s.files = append(s.files, f)
		sch := schemaOf(f.Schema())
		if i == 0 {
			s.schema = sch
		} else if err := s.schema.Compatible(sch); err != nil {
			s.Close()
			return nil, fmt.Errorf("%s differs from %s: %w", in.Name, inputs[0].Name, err)
		} else {
			s.schema = s.schema.Merge(sch)
		}
		for j, rg := range f.RowGroups() {
			n := rg.NumRows()
			s.rowGroups = append(s.rowGroups, RowGroup{
				Index: len(s.rowGroups), File: i, FileName: in.Name,
				FirstRow: s.rows, NumRows: n, pq: rg, fileRG: j,
			})
			s.rows += n
		}
	}
	return s, nil
}

// openParquet reads a Parquet footer; a file that is not Parquet, or is
// truncated, is an input error naming the file.
func openParquet(name string, b store.Blob) (f *parquet.File, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: %s: not a readable Parquet file: %v", ErrInvalid, name, r)
		}
	}()
	if err := checkFooter(name, b); err != nil {
		return nil, err
	}
	f, err = parquet.OpenFile(b, b.Size(), parquet.SkipPageIndex(true), parquet.SkipBloomFilters(true))
	if err != nil {
		return nil, fmt.Errorf("%w: %s: not a readable Parquet file: %v", ErrInvalid, name, err)
	}
	return f, nil
}

// checkFooter reads a Parquet file's trailer (footer length and "PAR1")
// and rejects a footer longer than the file, before the decoder allocates
// what a damaged trailer claims.
func checkFooter(name string, b store.Blob) error {
	size := b.Size()
	if size < 12 {
		return fmt.Errorf("%w: %s: not a readable Parquet file: only %d bytes", ErrInvalid, name, size)
	}
	var head [4]byte
	var tail [8]byte
	if _, err := b.ReadAt(head[:], 0); err != nil {
		return fmt.Errorf("%w: %s: not a readable Parquet file: %v", ErrInvalid, name, err)
	}
	if _, err := b.ReadAt(tail[:], size-8); err != nil {
		return fmt.Errorf("%w: %s: not a readable Parquet file: %v", ErrInvalid, name, err)
	}
	if string(head[:]) != "PAR1" {
		return fmt.Errorf("%w: %s: not a readable Parquet file: no PAR1 magic number at its start", ErrInvalid, name)
	}
	if string(tail[4:]) != "PAR1" {
		return fmt.Errorf("%w: %s: not a readable Parquet file: no PAR1 magic number at its end (truncated?)", ErrInvalid, name)
	}
	if n := int64(binary.LittleEndian.Uint32(tail[:4])); n > size-12 {
		return fmt.Errorf("%w: %s: not a readable Parquet file: a footer of %d bytes in a %d-byte file (truncated or damaged)", ErrInvalid, name, n, size)
	}
	return nil
}

// Schema returns the files' shared schema.
func (s *Scanner) Schema() Schema { return s.schema }

// NumRows returns the total row count from the footers.
func (s *Scanner) NumRows() int64 { return s.rows }

// RowGroups returns the row groups in file order.
func (s *Scanner) RowGroups() []RowGroup { return s.rowGroups }

// Close closes the files.
func (s *Scanner) Close() error {
	var err error
	for _, b := range s.blobs {
		if b != nil {
			err = errors.Join(err, b.Close())
		}
	}
	s.blobs = nil
	return err
}

// ScanOptions configure Scan. The zero value reads every supported column
// with one worker per core.
type ScanOptions struct {
	// Columns to read, in this order; nil reads all supported columns. An
	// unknown or unsupported column is an ErrInvalid error.
	Columns []string
	// Workers is the number of row groups read at once (default GOMAXPROCS).
	Workers int
	// BatchRows is the most rows in one record batch (default 65,536).
	BatchRows int
	// Allocator allocates the Arrow buffers (default: a pool that recycles
	// released buffers).
	Allocator memory.Allocator
	// Only, when set, restricts the scan to the row groups it accepts.
	Only func(RowGroup) bool
}

// Projection resolves opts.Columns against the schema.
func (s *Scanner) Projection(columns []string) (Schema, error) {
	if columns == nil {
		return s.schema.Supported(), nil
	}
	out := make(Schema, 0, len(columns))
	for _, name := range columns {
		i := s.schema.Index(name)
		if i < 0 {
			return nil, fmt.Errorf("%w: %s has no column %q (columns: %s)", ErrInvalid, s.label(), name, joinNames(s.schema.Names()))
		}
		if s.schema[i].Unsupported != "" {
			return nil, fmt.Errorf("%w: %s: column %q: %s", ErrInvalid, s.label(), name, s.schema[i].Unsupported)
		}
		out = append(out, s.schema[i])
	}
	return out, nil
}

// label names the scanned files in messages.
func (s *Scanner) label() string {
	switch len(s.inputs) {
	case 0:
		return "no files"
	case 1:
		return s.inputs[0].Name
	}
	return fmt.Sprintf("%s (and %d more files)", s.inputs[0].Name, len(s.inputs)-1)
}

func joinNames(names []string) string {
	const most = 12
	if len(names) > most {
		names = append(slices.Clone(names[:most]), fmt.Sprintf("… %d more", len(names)-most))
	}
	out := ""
	for i, n := range names {
		if i > 0 {
			out += ", "
		}
		out += n
	}
	return out
}

// VisitFunc handles one row group: it reads the group's batches from r. It
// runs concurrently for different row groups.
type VisitFunc func(ctx context.Context, rg RowGroup, r *BatchReader) error

// Scan calls visit once for every row group, Workers at a time, and returns
// the first error. Row groups start in file order; callers that need order
// (increasing values, first rows) keep per-row-group results indexed by
// RowGroup.Index and combine them afterwards.
func (s *Scanner) Scan(ctx context.Context, opts ScanOptions, visit VisitFunc) error {
	proj, err := s.Projection(opts.Columns)
	if err != nil {
		return err
	}
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	batch := opts.BatchRows
	if batch <= 0 {
		batch = 1 << 16
	}
	alloc := opts.Allocator
	if alloc == nil {
		alloc = newPoolAllocator()
	}
	arrowSchema := proj.Arrow()
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(workers)
	for _, rg := range s.rowGroups {
		if gctx.Err() != nil {
			break
		}
		if opts.Only != nil && !opts.Only(rg) {
			continue
		}
		g.Go(func() error {
			r, err := s.newBatchReader(rg, proj, arrowSchema, batch, alloc)
			if err != nil {
				return err
			}
			defer r.close()
			if err := visit(gctx, rg, r); err != nil {
				return err
			}
			return r.Err()
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	return ctx.Err()
}

func (s *Scanner) newBatchReader(rg RowGroup, proj Schema, as *arrow.Schema, batch int, alloc memory.Allocator) (*BatchReader, error) {
	f := s.files[rg.File]
	r := &BatchReader{rg: rg, schema: as, batch: batch, alloc: alloc, cols: make([]*columnReader, len(proj))}
	chunks := rg.pq.ColumnChunks()
	for i, c := range proj {
		leaf, ok := f.Schema().Lookup(c.Name)
		if !ok {
			r.close()
			return nil, fmt.Errorf("%w: %s: no column %q", ErrSchema, rg.FileName, c.Name)
		}
		r.cols[i] = &columnReader{
			col:    c,
			dt:     c.Arrow(),
			maxDef: byte(leaf.MaxDefinitionLevel),
			pages:  chunks[leaf.ColumnIndex].Pages(),
			kind:   kindOf(c.Type),
			// Start from the chunk's uncompressed bytes per row, so that
			// the first batch's string buffer is reserved at about its
			// size.
			bytesPerRow: chunkBytesPerRow(f, rg, leaf.ColumnIndex),
		}
	}
	return r, nil
}

// chunkBytesPerRow estimates a column chunk's value bytes per row from its
// uncompressed size in the footer (0 when unknown).
func chunkBytesPerRow(f *parquet.File, rg RowGroup, leaf int) int {
	groups := f.Metadata().RowGroups
	if rg.fileRG >= len(groups) || leaf >= len(groups[rg.fileRG].Columns) || rg.NumRows <= 0 {
		return 0
	}
	size := groups[rg.fileRG].Columns[leaf].MetaData.TotalUncompressedSize
	return int(min(size/rg.NumRows, 1<<16))
}

// BatchReader streams the record batches of one row group.
type BatchReader struct {
	rg     RowGroup
	schema *arrow.Schema
	batch  int
	alloc  memory.Allocator
	cols   []*columnReader
	done   int64
	offset int64
	rec    arrow.RecordBatch
	err    error
	arrs   []arrow.Array
}

// Next reads the next batch; it returns false at the end of the row group
// or on error (see Err).
func (r *BatchReader) Next() bool {
	if r.rec != nil {
		r.rec.Release()
		r.rec = nil
	}
	if r.err != nil || r.done >= r.rg.NumRows {
		return false
	}
	n := int(min(int64(r.batch), r.rg.NumRows-r.done))
	r.arrs = r.arrs[:0]
	for _, c := range r.cols {
		a, err := c.read(n, r.alloc)
		if err != nil {
			for _, a := range r.arrs {
				a.Release()
			}
			r.err = fmt.Errorf("%w: %s: row group %d, column %q: %v", ErrCorrupt, r.rg.FileName, r.rg.Index, c.col.Name, err)
			return false
		}
		r.arrs = append(r.arrs, a)
	}
	r.rec = array.NewRecordBatch(r.schema, r.arrs, int64(n))
	for _, a := range r.arrs {
		a.Release()
	}
	r.offset = r.done
	r.done += int64(n)
	return true
}

// Record returns the current batch. It is valid until the next call to
// Next; Retain it to keep it longer.
func (r *BatchReader) Record() arrow.RecordBatch { return r.rec }

// Offset returns the row number, within the row group, of the current
// batch's first row.
func (r *BatchReader) Offset() int64 { return r.offset }

// Err returns the error that stopped Next, if any.
func (r *BatchReader) Err() error { return r.err }

func (r *BatchReader) close() {
	if r.rec != nil {
		r.rec.Release()
		r.rec = nil
	}
	for _, c := range r.cols {
		if c != nil {
			c.close()
		}
	}
}

// ReadAll scans the given columns of the inputs into one slice of record
// batches in row order. It holds everything in memory: for tests and
// small data only. The caller releases the records.
func ReadAll(ctx context.Context, s *Scanner, columns []string) ([]arrow.RecordBatch, error) {
	parts := make([][]arrow.RecordBatch, len(s.rowGroups))
	err := s.Scan(ctx, ScanOptions{Columns: columns}, func(ctx context.Context, rg RowGroup, r *BatchReader) error {
		for r.Next() {
			rec := r.Record()
			rec.Retain()
			parts[rg.Index] = append(parts[rg.Index], rec)
		}
		return nil
	})
	var out []arrow.RecordBatch
	for _, p := range parts {
		out = append(out, p...)
	}
	if err != nil {
		for _, r := range out {
			r.Release()
		}
		return nil, err
	}
	return out, nil
}

var _ io.Closer = (*Scanner)(nil)
