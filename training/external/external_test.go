package external

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/examples/churn"
	"github.com/assayhq/assay/training/frame"
)

// TestMain lets the test binary act as an external trainer (a class-prior
// model), so that the contract is tested without Python.
func TestMain(m *testing.M) {
	if os.Getenv("ASSAY_FAKE_TRAINER") == "1" {
		if err := fakeTrainer(os.Args[len(os.Args)-2], os.Args[len(os.Args)-1]); err != nil {
			fmt.Fprintln(os.Stderr, "fake trainer:", err)
			os.Exit(3)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// fakeTrainer learns the class shares of train.csv and predicts them for
// every row.
func fakeTrainer(mode, dir string) error {
	var spec Spec
	data, err := os.ReadFile(filepath.Join(dir, "spec.json"))
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, &spec); err != nil {
		return err
	}
	if spec.Params["fail"] == true {
		return fmt.Errorf("asked to fail")
	}
	switch mode {
	case "train":
		f, err := os.Open(filepath.Join(dir, "train.csv"))
		if err != nil {
			return err
		}
		recs, err := csv.NewReader(f).ReadAll()
		f.Close()
		if err != nil {
			return err
		}
		if _, err := os.Stat(filepath.Join(dir, "train.parquet")); err != nil {
			return err
		}
		col := len(recs[0]) - 1
		shares := map[string]float64{}
		for _, r := range recs[1:] {
			shares[r[col]] += 1 / float64(len(recs)-1)
		}
		os.MkdirAll(filepath.Join(dir, "model", "sub"), 0o755)
		js, _ := json.Marshal(shares)
		if err := os.WriteFile(filepath.Join(dir, "model", "sub", "shares.json"), js, 0o644); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, "metrics.json"), []byte(`{"rows": `+fmt.Sprint(len(recs)-1)+`}`), 0o644)
	case "predict":
		js, err := os.ReadFile(filepath.Join(dir, "model", "sub", "shares.json"))
		if err != nil {
			return err
		}
		var shares map[string]float64
		json.Unmarshal(js, &shares)
		f, _ := os.Open(filepath.Join(dir, "input.csv"))
		recs, _ := csv.NewReader(f).ReadAll()
		f.Close()
		out, _ := os.Create(filepath.Join(dir, "predictions.csv"))
		defer out.Close()
		w := csv.NewWriter(out)
		// Columns in reverse class order: the reader matches names.
		var header []string
		for i := len(spec.Classes) - 1; i >= 0; i-- {
			header = append(header, spec.Classes[i])
		}
		w.Write(header)
		for range recs[1:] {
			var row []string
			for _, c := range header {
				row = append(row, fmt.Sprint(shares[c]))
			}
			w.Write(row)
		}
		w.Flush()
		return w.Error()
	}
	return fmt.Errorf("unknown mode %s", mode)
}

func churnData(t *testing.T) (*frame.Data, *frame.Schema) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "telco.csv")
	if err := os.WriteFile(path, churn.CSV, 0o644); err != nil {
		t.Fatal(err)
	}
	src, err := dataset.OpenSource(context.Background(), nil, path, dataset.DefaultCSVOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	d, s, err := frame.Load(context.Background(), src, frame.LoadOptions{Target: "Churn", Exclude: []string{"customerID"}})
	if err != nil {
		t.Fatal(err)
	}
	return d, s
}

func TestContract(t *testing.T) {
	t.Setenv("ASSAY_FAKE_TRAINER", "1")
	d, s := churnData(t)
	ctx := context.Background()
	cmd := []string{os.Args[0]}
	m, err := Train(ctx, cmd, d.X, d.Y, s.Features, map[string]any{"C": 1}, 7)
	if err != nil {
		t.Fatal(err)
	}
	if m.Metrics["rows"] != 7043 || m.Spec.Seed != 7 || len(m.Archive) == 0 {
		t.Fatalf("got %+v", m.Metrics)
	}
	// Through its encoding, as a run stores it.
	data, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	m2, err := Unmarshal(data)
	if err != nil {
		t.Fatal(err)
	}
	sub := d.X.Subset([]int{0, 1, 2})
	out := make([]float64, 3*2)
	if err := m2.Predict(ctx, sub, out); err != nil {
		t.Fatal(err)
	}
	// Churn is Yes for 1869 of 7043.
	if math.Abs(out[1]-1869.0/7043) > 1e-9 || math.Abs(out[0]+out[1]-1) > 1e-9 || out[4] != out[0] {
		t.Errorf("got %v", out)
	}
	// A failing program: its stderr in the error.
	_, err = Train(ctx, cmd, d.X, d.Y, s.Features, map[string]any{"fail": true}, 7)
	if err == nil || !strings.Contains(err.Error(), "fake trainer: asked to fail") || !strings.Contains(err.Error(), "train: exit status 3") {
		t.Errorf("failing trainer: got %v", err)
	}
	if _, err := Train(ctx, []string{"/nonexistent/trainer"}, d.X, d.Y, s.Features, nil, 0); err == nil {
		t.Error("missing program: no error")
	}
	if _, err := Unmarshal([]byte("{")); err == nil {
		t.Error("corrupt model: no error")
	}
	bad := &Model{Command: cmd, Spec: m.Spec, Archive: []byte("not a tar")}
	if err := bad.Predict(ctx, sub, out); err == nil || !strings.Contains(err.Error(), "corrupt archive") {
		t.Errorf("corrupt archive: got %v", err)
	}
}

// python finds a python3 that imports pandas and scikit-learn.
func python() (string, bool) {
	cands := []string{"python3", "/usr/bin/python3"}
	for _, c := range cands {
		if py, err := exec.LookPath(c); err == nil && exec.Command(py, "-c", "import pandas, sklearn").Run() == nil {
			return py, true
		}
	}
	return "", false
}

// TestSklearnExample runs examples/external/sklearn_logistic.py on the
// churn data. It needs python3 with pandas and scikit-learn (Debian's
// python3-sklearn and python3-pandas, which .ci/run installs); without
// them it is skipped, unless ASSAY_REQUIRE_PYTHON=1 (.ci/run). The
// contract itself is always tested by TestContract.
func TestSklearnExample(t *testing.T) {
	py, ok := python()
	if !ok {
		if os.Getenv("ASSAY_REQUIRE_PYTHON") == "1" {
			t.Fatal("python3 with pandas and scikit-learn is not installed (apt-get install python3-sklearn python3-pandas)")
		}
		t.Skip("python3 with pandas and scikit-learn is not installed")
	}
	d, s := churnData(t)
	ctx := context.Background()
	cmd := []string{py, "../../examples/external/sklearn_logistic.py"}
	// Train on the first 5,000 rows, predict the rest.
	train, test := make([]int, 5000), make([]int, d.X.Rows-5000)
	for i := range train {
		train[i] = i
	}
	for i := range test {
		test[i] = 5000 + i
	}
	m, err := Train(ctx, cmd, d.X.Subset(train), d.Y.Subset(train), s.Features, map[string]any{"C": 1.0}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if a := m.Metrics["accuracy"]; a < 0.78 || a > 0.85 {
		t.Errorf("training accuracy %v", a)
	}
	out := make([]float64, len(test)*2)
	if err := m.Predict(ctx, d.X.Subset(test), out); err != nil {
		t.Fatal(err)
	}
	right := 0
	for i, r := range test {
		pred := int32(0)
		if out[2*i+1] > out[2*i] {
			pred = 1
		}
		if pred == d.Y.Class[r] {
			right++
		}
	}
	if acc := float64(right) / float64(len(test)); acc < 0.78 {
		t.Errorf("held-out accuracy %v; logistic regression gets about 0.80 on churn", acc)
	}
}
