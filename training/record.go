package training

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"golang.org/x/sync/errgroup"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/report"
	"github.com/assayhq/assay/training/frame"
	"github.com/assayhq/assay/training/track"
)

// RunInfo is what a run records besides the result.
type RunInfo struct {
	Kind    string // train, trial or ensemble (default train)
	Study   string
	Trainer string
	Data    track.Data
	Schema  *frame.Schema
	Author  string
	// Files are more artifacts to store with the run.
	Files map[string][]byte
}

// ReportFile is the name of a run's HTML report among its files.
const ReportFile = "report.html"

// Record stores a result as a run: the model, the evaluation, and the
// run record that publishes them.
func Record(ctx context.Context, repo *dataset.Repo, res *Result, info RunInfo) (*track.Run, error) {
	model, err := res.Model.MarshalBinary()
	if err != nil {
		return nil, fmt.Errorf("encode the model: %w", err)
	}
	evalJSON, err := json.Marshal(res.Evaluation)
	if err != nil {
		return nil, fmt.Errorf("encode the metrics: %w", err)
	}
	sig, err := json.Marshal(info.Schema)
	if err != nil {
		return nil, err
	}
	kind := info.Kind
	if kind == "" {
		kind = "train"
	}
	params := map[string]any{}
	for k, v := range res.Params {
		params[k] = v
	}
	run := &track.Run{ID: track.NewRunID(res.Started), Kind: kind, Study: info.Study, Trainer: info.Trainer,
		Params: params, Data: info.Data, Metrics: evalJSON, Summary: res.Summary, Signature: sig,
		Started: res.Started, Finished: res.Finished, Author: info.Author}
	files := map[string][]byte{track.ModelFile: model}
	for name, data := range info.Files {
		files[name] = data
	}
	// The run's report is one of its artifacts.
	var page bytes.Buffer
	if err := report.Render(&page, *RunPage(run, res.Evaluation)); err != nil {
		return nil, err
	}
	files[ReportFile] = page.Bytes()
	if err := track.SaveRun(ctx, repo, run, files); err != nil {
		return nil, err
	}
	return run, nil
}

// LoadModel reads the model and signature of a run.
func LoadModel(ctx context.Context, repo *dataset.Repo, run *track.Run) (Model, *frame.Schema, error) {
	var s frame.Schema
	if err := json.Unmarshal(run.Signature, &s); err != nil {
		return nil, nil, fmt.Errorf("%w: run %s: bad signature: %v", dataset.ErrCorrupt, run.ID, err)
	}
	data, err := track.ReadFile(ctx, repo, run.ID, track.ModelFile)
	if err != nil {
		return nil, nil, err
	}
	m, err := Decode(run.Trainer, data, &s)
	if err != nil {
		return nil, nil, fmt.Errorf("run %s: %w", run.ID, err)
	}
	return m, &s, nil
}

// RunEvaluation decodes a run's metrics.
func RunEvaluation(run *track.Run) (*Evaluation, error) {
	var ev Evaluation
	if err := json.Unmarshal(run.Metrics, &ev); err != nil {
		return nil, fmt.Errorf("%w: run %s: bad metrics: %v", dataset.ErrCorrupt, run.ID, err)
	}
	return &ev, nil
}

// PredictOptions say how to write batch predictions.
type PredictOptions struct {
	Output string
	// Columns are the source's columns written before the predictions
	// (ids, say); nil means all of them.
	Columns []string
	// Metadata is written into the output's footer.
	Metadata map[string]string
}

// Predictions reports a batch prediction.
type Predictions struct {
	Rows    int            `json:"rows"`
	Columns []string       `json:"columns"` // the prediction columns added
	Unseen  map[string]int `json:"unseen_levels,omitempty"`
}

// PredictSource checks src against the model's signature and streams
// it: each record batch of its rows is encoded, predicted and written
// with src's columns followed by the predictions: for classification
// p_CLASS per class and the predicted class (prediction); for
// regression, prediction. Nothing is written when the signature does
// not match.
func PredictSource(ctx context.Context, m Model, s *frame.Schema, src *dataset.Source, opts PredictOptions) (*Predictions, error) {
	sc, err := src.Scanner(ctx)
	if err != nil {
		return nil, err
	}
	defer sc.Close()
	all := sc.Schema().Supported()
	if err := frame.CheckSignature(s, all, src.Label); err != nil {
		return nil, err
	}
	// The columns read: those written first, then the features not
	// among them.
	inSchema := all
	if opts.Columns != nil {
		inSchema = nil
		for _, c := range opts.Columns {
			i := all.Index(c)
			if i < 0 {
				return nil, fmt.Errorf("%w: %s has no column %q to write (columns: %s)", dataset.ErrInvalid, src.Label, c, strings.Join(all.Names(), ", "))
			}
			inSchema = append(inSchema, all[i])
		}
	}
	read := slices.Clone(inSchema)
	for _, f := range s.Features {
		if read.Index(f.Name) < 0 {
			read = append(read, all[all.Index(f.Name)])
		}
	}
	enc, err := frame.NewEncoder(s, read, src.Label)
	if err != nil {
		return nil, err
	}
	k := width(s)
	fields := slices.Clone(inSchema.Arrow().Fields())
	var names []string
	if s.Target.Task == frame.Classification {
		for _, c := range s.Target.Classes {
			names = append(names, "p_"+c)
			fields = append(fields, arrow.Field{Name: "p_" + c, Type: arrow.PrimitiveTypes.Float64})
		}
		fields = append(fields, arrow.Field{Name: "prediction", Type: arrow.BinaryTypes.String})
	} else {
		fields = append(fields, arrow.Field{Name: "prediction", Type: arrow.PrimitiveTypes.Float64})
	}
	names = append(names, "prediction")
	for _, f := range inSchema {
		if slices.Contains(names, f.Name) {
			return nil, fmt.Errorf("%w: %s already has a column %s; predictions would overwrite it", dataset.ErrInvalid, src.Label, f.Name)
		}
	}
	schema := arrow.NewSchema(fields, nil)
	wopts := dataset.DefaultWriterOptions()
	wopts.Metadata = opts.Metadata
	rows := 0
	var x frame.Matrix
	var out []float64
	err = dataset.WriteFile(opts.Output, schema, wopts, func(w *dataset.Writer) error {
		// Batches are predicted while the one before is written: the scan
		// (one worker, so rows keep their order) hands each batch, kept
		// with Retain, to a writer goroutine.
		type ready struct {
			rec   arrow.RecordBatch
			built []arrow.Array
		}
		queue := make(chan ready, 2)
		g, gctx := errgroup.WithContext(ctx)
		g.Go(func() error {
			var werr error
			for r := range queue {
				if werr == nil {
					cols := append(slices.Clone(r.rec.Columns()[:len(inSchema)]), r.built...)
					outRec := array.NewRecordBatch(schema, cols, r.rec.NumRows())
					werr = w.Write(outRec)
					outRec.Release()
				}
				r.rec.Release()
				for _, a := range r.built {
					a.Release()
				}
			}
			return werr
		})
		g.Go(func() error {
			defer close(queue)
			return sc.Scan(gctx, dataset.ScanOptions{Columns: read.Names(), Workers: 1}, func(ctx context.Context, rg dataset.RowGroup, br *dataset.BatchReader) error {
				for br.Next() {
					rec := br.Record()
					n := int(rec.NumRows())
					enc.Encode(rec, &x)
					out = slices.Grow(out[:0], n*k)[:n*k]
					if err := m.Predict(ctx, &x, out); err != nil {
						return err
					}
					rec.Retain()
					select {
					case queue <- ready{rec, predictionArrays(s, out, k, 0, n)}:
					case <-ctx.Done():
						rec.Release()
						return ctx.Err()
					}
					rows += n
				}
				return br.Err()
			})
		})
		return g.Wait()
	})
	if err != nil {
		return nil, err
	}
	return &Predictions{Rows: rows, Columns: names, Unseen: enc.Unseen}, nil
}

// predictionArrays builds the prediction columns of rows [row0, row0+n).
func predictionArrays(s *frame.Schema, out []float64, k, row0, n int) []arrow.Array {
	alloc := memory.DefaultAllocator
	if s.Target.Task == frame.Regression {
		b := array.NewFloat64Builder(alloc)
		defer b.Release()
		b.AppendValues(out[row0:row0+n], nil)
		return []arrow.Array{b.NewArray()}
	}
	var arrs []arrow.Array
	for c := range k {
		b := array.NewFloat64Builder(alloc)
		for i := row0; i < row0+n; i++ {
			b.Append(out[i*k+c])
		}
		arrs = append(arrs, b.NewArray())
		b.Release()
	}
	b := array.NewStringBuilder(alloc)
	defer b.Release()
	for i := row0; i < row0+n; i++ {
		best := 0
		for c := 1; c < k; c++ {
			if out[i*k+c] > out[i*k+best] {
				best = c
			}
		}
		b.Append(s.Target.Classes[best])
	}
	return append(arrs, b.NewArray())
}

// ScoreRows scores a model on rows of a source (row numbers of the
// source, as Evaluation.TestRows holds them) by one metric.
func ScoreRows(ctx context.Context, m Model, s *frame.Schema, src *dataset.Source, rows []int, metric string) (float64, error) {
	sc, err := EvaluateRows(ctx, m, s, src, rows)
	if err != nil {
		return 0, err
	}
	v, err := sc.Value(metric)
	if err != nil {
		return 0, fmt.Errorf("%w: %v", dataset.ErrInvalid, err)
	}
	return v, nil
}

// EvaluateRows scores a model on rows of a source (row numbers of the
// source, as Evaluation.TestRows holds them).
func EvaluateRows(ctx context.Context, m Model, s *frame.Schema, src *dataset.Source, rows []int) (*Scores, error) {
	d, err := frame.LoadWith(ctx, src, s, true, 0)
	if err != nil {
		return nil, err
	}
	at := make(map[int]int, len(d.Rows))
	for i, r := range d.Rows {
		at[r] = i
	}
	sub := make([]int, 0, len(rows))
	for _, r := range rows {
		i, ok := at[r]
		if !ok {
			return nil, fmt.Errorf("%w: row %d of %s is not in the data (it has changed since the run)", dataset.ErrInvalid, r, src.Label)
		}
		sub = append(sub, i)
	}
	return score(ctx, m, d.X.Subset(sub), d.Y.Subset(sub))
}
