// Package external trains and applies models with a program outside
// assay (a Python script, say), through files in a directory:
//
//	COMMAND... train DIR
//	  reads  DIR/spec.json       the target, task, classes, features and the parameters
//	         DIR/train.parquet   the training rows: features and target
//	         DIR/train.csv       the same as CSV, for programs without a Parquet reader
//	  writes DIR/model/          the model, any files
//	         DIR/metrics.json    optional: an object of numbers, recorded with the run
//
//	COMMAND... predict DIR
//	  reads  DIR/spec.json, DIR/model/ (as written by train)
//	         DIR/input.parquet, DIR/input.csv   the rows to predict: features only
//	  writes DIR/predictions.csv
//	         classification: one column per class, named by the class, with its
//	         probability; regression: one column "prediction"; a row per input row,
//	         in order
//
// Categorical features are written as their level names, numbers as
// floats; missing values are null (empty in CSV). A non-zero exit status
// fails the run, with the end of the program's standard error. The model
// directory is stored with the run (as a tar archive) and unpacked for
// each prediction. examples/external has a working scikit-learn trainer.
package external

import (
	"archive/tar"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/assayhq/assay/training/frame"
)

// Spec is DIR/spec.json.
type Spec struct {
	Target   string         `json:"target"`
	Task     frame.Task     `json:"task"`
	Classes  []string       `json:"classes,omitempty"`
	Features []frame.Column `json:"features"`
	Params   map[string]any `json:"params"`
	Seed     uint64         `json:"seed"`
}

// Model is a model trained by an external command.
type Model struct {
	Command []string `json:"command"`
	Spec    Spec     `json:"spec"`
	Archive []byte   `json:"archive"` // a tar of the model directory
	// Metrics are what the program wrote to metrics.json.
	Metrics map[string]float64 `json:"metrics,omitempty"`
}

// Train runs command to train on x and y.
func Train(ctx context.Context, command []string, x *frame.Matrix, y *frame.Target, features []frame.Column, params map[string]any, seed uint64) (*Model, error) {
	if len(command) == 0 {
		return nil, errors.New("external trainer: no command")
	}
	dir, err := os.MkdirTemp("", "assay-train-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	spec := Spec{Target: y.Name, Task: y.Task, Classes: y.Classes, Features: features, Params: params, Seed: seed}
	if spec.Params == nil {
		spec.Params = map[string]any{}
	}
	if err := writeSpec(dir, spec); err != nil {
		return nil, err
	}
	if err := frame.WriteParquet(filepath.Join(dir, "train.parquet"), x, y); err != nil {
		return nil, err
	}
	if err := frame.WriteCSV(filepath.Join(dir, "train.csv"), x, y); err != nil {
		return nil, err
	}
	if err := run(ctx, command, "train", dir); err != nil {
		return nil, err
	}
	m := &Model{Command: command, Spec: spec}
	if st, err := os.Stat(filepath.Join(dir, "model")); err != nil || !st.IsDir() {
		return nil, fmt.Errorf("external trainer %s: it wrote no model directory (DIR/model)", command[0])
	}
	if m.Archive, err = archive(filepath.Join(dir, "model")); err != nil {
		return nil, err
	}
	if data, err := os.ReadFile(filepath.Join(dir, "metrics.json")); err == nil {
		if err := json.Unmarshal(data, &m.Metrics); err != nil {
			return nil, fmt.Errorf("external trainer %s: metrics.json: want an object of numbers: %v", command[0], err)
		}
	}
	return m, nil
}

// Predict runs the command on x and writes, per row, the class
// probabilities (row-major, one per class) or the prediction into out.
func (m *Model) Predict(ctx context.Context, x *frame.Matrix, out []float64) error {
	k := 1
	if m.Spec.Task == frame.Classification {
		k = len(m.Spec.Classes)
	}
	if len(out) != x.Rows*k {
		return fmt.Errorf("external model: out has %d values for %d rows × %d", len(out), x.Rows, k)
	}
	dir, err := os.MkdirTemp("", "assay-predict-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if err := writeSpec(dir, m.Spec); err != nil {
		return err
	}
	if err := unarchive(m.Archive, filepath.Join(dir, "model")); err != nil {
		return err
	}
	if err := frame.WriteParquet(filepath.Join(dir, "input.parquet"), x, nil); err != nil {
		return err
	}
	if err := frame.WriteCSV(filepath.Join(dir, "input.csv"), x, nil); err != nil {
		return err
	}
	if err := run(ctx, m.Command, "predict", dir); err != nil {
		return err
	}
	want := []string{"prediction"}
	if m.Spec.Task == frame.Classification {
		want = m.Spec.Classes
	}
	return readPredictions(filepath.Join(dir, "predictions.csv"), want, x.Rows, out)
}

// MarshalBinary encodes the model.
func (m *Model) MarshalBinary() ([]byte, error) { return json.Marshal(m) }

// Unmarshal decodes a model encoded by MarshalBinary.
func Unmarshal(data []byte) (*Model, error) {
	var m Model
	if err := json.Unmarshal(data, &m); err != nil || len(m.Command) == 0 {
		return nil, fmt.Errorf("external model: corrupt (%v)", err)
	}
	return &m, nil
}

func writeSpec(dir string, s Spec) error {
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "spec.json"), data, 0o644)
}

// run runs command MODE DIR, failing with the end of its stderr.
func run(ctx context.Context, command []string, mode, dir string) error {
	args := append(append([]string{}, command[1:]...), mode, dir)
	cmd := exec.CommandContext(ctx, command[0], args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	cmd.Stdout = io.Discard
	if err := cmd.Run(); err != nil {
		tail := strings.TrimSpace(stderr.String())
		if len(tail) > 2000 {
			tail = "…" + tail[len(tail)-2000:]
		}
		if tail != "" {
			tail = ":\n" + tail
		}
		return fmt.Errorf("external trainer %s %s: %v%s", command[0], mode, err, tail)
	}
	return nil
}

// readPredictions reads the program's predictions.csv: the columns want,
// in any order, n rows of numbers.
func readPredictions(path string, want []string, n int, out []float64) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("external model: no predictions: %v", err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	header, err := r.Read()
	if err != nil {
		return fmt.Errorf("external model: predictions.csv: %v", err)
	}
	col := make([]int, len(want))
	for j, w := range want {
		col[j] = -1
		for c, h := range header {
			if strings.TrimSpace(h) == w {
				col[j] = c
			}
		}
		if col[j] < 0 {
			return fmt.Errorf("external model: predictions.csv has no column %q (header: %s)", w, strings.Join(header, ","))
		}
	}
	k := len(want)
	for i := 0; ; i++ {
		rec, err := r.Read()
		if err == io.EOF {
			if i != n {
				return fmt.Errorf("external model: predictions.csv has %d rows for %d inputs", i, n)
			}
			return nil
		}
		if err != nil {
			return fmt.Errorf("external model: predictions.csv: %v", err)
		}
		if i >= n {
			return fmt.Errorf("external model: predictions.csv has more rows than the %d inputs", n)
		}
		for j, c := range col {
			v, err := strconv.ParseFloat(strings.TrimSpace(rec[c]), 64)
			if err != nil {
				return fmt.Errorf("external model: predictions.csv line %d, column %s: %q is not a number", i+2, want[j], rec[c])
			}
			out[i*k+j] = v
		}
	}
}

// archive tars the regular files under dir.
func archive(dir string) ([]byte, error) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if !d.Type().IsRegular() {
			return fmt.Errorf("external trainer: model file %s is not a regular file", path)
		}
		rel, _ := filepath.Rel(dir, path)
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if err := tw.WriteHeader(&tar.Header{Name: filepath.ToSlash(rel), Mode: 0o644, Size: int64(len(data))}); err != nil {
			return err
		}
		_, err = tw.Write(data)
		return err
	})
	if err != nil {
		return nil, err
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// unarchive unpacks an archive into dir, refusing paths that leave it.
func unarchive(data []byte, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tr := tar.NewReader(bytes.NewReader(data))
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("external model: corrupt archive: %v", err)
		}
		name := filepath.FromSlash(h.Name)
		if !filepath.IsLocal(name) {
			return fmt.Errorf("external model: archive path %q leaves the model directory", h.Name)
		}
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		f, err := os.Create(path)
		if err != nil {
			return err
		}
		_, err = io.Copy(f, tr)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	}
}
