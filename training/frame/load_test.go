package frame

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/examples/churn"
)

func openCSV(t *testing.T, name, data string) *dataset.Source {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	src, err := dataset.OpenSource(context.Background(), nil, path, dataset.DefaultCSVOptions())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { src.Close() })
	return src
}

func TestLoadChurn(t *testing.T) {
	src := openCSV(t, "telco.csv", string(churn.CSV))
	d, s, err := Load(context.Background(), src, LoadOptions{Target: "Churn", Exclude: []string{"customerID"}, Categorical: []string{"SeniorCitizen"}})
	if err != nil {
		t.Fatal(err)
	}
	if d.X.Rows != 7043 || d.Y.Task != Classification || !slices.Equal(d.Y.Classes, []string{"No", "Yes"}) || len(d.X.Features) != 19 {
		t.Fatalf("got %d rows, task %v, classes %v, %d features", d.X.Rows, d.Y.Task, d.Y.Classes, len(d.X.Features))
	}
	if err := d.X.Validate(); err != nil {
		t.Fatal(err)
	}
	yes := 0
	for _, c := range d.Y.Class {
		yes += int(c)
	}
	if yes != 1869 {
		t.Errorf("got %d churners, want 1869", yes)
	}
	byName := map[string]*Feature{}
	for j := range d.X.Features {
		byName[d.X.Features[j].Name] = &d.X.Features[j]
	}
	if f := byName["SeniorCitizen"]; f.Kind != Categorical || !slices.Equal(f.Levels, []string{"0", "1"}) {
		t.Errorf("SeniorCitizen: %v %v", f.Kind, f.Levels)
	}
	if f := byName["Contract"]; f.Kind != Categorical || !slices.Equal(f.Levels, []string{"Month-to-month", "One year", "Two year"}) || f.Cat[0] != 0 {
		t.Errorf("Contract: %v %v", f.Levels, f.Cat[:3])
	}
	nan := 0
	for _, v := range byName["TotalCharges"].Num {
		if math.IsNaN(v) {
			nan++
		}
	}
	if byName["TotalCharges"].Kind != Numeric || nan != 11 || byName["tenure"].Num[1] != 34 {
		t.Errorf("TotalCharges: %d NaN; tenure[1] %v", nan, byName["tenure"].Num[1])
	}

	// The same source through the schema gives the same matrix.
	d2, err := LoadWith(context.Background(), src, s, true, 2)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(d2.Y.Class, d.Y.Class) || !slices.Equal(d2.X.Features[15].Cat, d.X.Features[15].Cat) || len(d2.Unseen) != 0 {
		t.Errorf("LoadWith differs from Load")
	}
}

func TestLoadWithSignature(t *testing.T) {
	train := openCSV(t, "train.csv", "x,color,y\n1,red,a\n2,blue,b\n,red,\n4,green,a\n")
	d, s, err := Load(context.Background(), train, LoadOptions{Target: "y"})
	if err != nil {
		t.Fatal(err)
	}
	if d.X.Rows != 3 || d.DroppedTarget != 1 || !slices.Equal(d.Rows, []int{0, 1, 3}) || !slices.Equal(s.Features[1].Levels, []string{"blue", "green", "red"}) {
		t.Fatalf("got %+v, schema %+v", d, s)
	}
	// Prediction data: no target, every row kept, an unseen level missing.
	pred := openCSV(t, "pred.csv", "color,x,extra\nred,1,9\npink,,9\n")
	p, err := LoadWith(context.Background(), pred, s, false, 1)
	if err != nil {
		t.Fatal(err)
	}
	if p.X.Rows != 2 || p.Y != nil || p.X.Features[1].Cat[0] != 2 || p.X.Features[1].Cat[1] != Missing || p.Unseen["color"] != 1 || !math.IsNaN(p.X.Features[0].Num[1]) {
		t.Errorf("got %+v", p.X.Features)
	}
	bad := openCSV(t, "bad.csv", "x,colour\nfoo,red\n")
	_, err = LoadWith(context.Background(), bad, s, false, 1)
	if !errors.Is(err, dataset.ErrInvalid) || !strings.Contains(err.Error(), "column x is string, the model was trained on int64") || !strings.Contains(err.Error(), "no column color (string)") {
		t.Errorf("signature mismatch: got %v", err)
	}
}

func TestLoadBadInput(t *testing.T) {
	src := openCSV(t, "t.csv", "x,y,when\n1,2.5,2026-01-01\n2,3.5,2026-01-02\n")
	ctx := context.Background()
	cases := []struct {
		opts LoadOptions
		want string
	}{
		{LoadOptions{Target: "z"}, `has no target column "z" (columns: x, y, when)`},
		{LoadOptions{Target: "y", Features: []string{"x", "q"}}, "no feature column q"},
		{LoadOptions{Target: "y", Features: []string{"y"}}, "the target y cannot also be a feature"},
		{LoadOptions{Target: "y", Task: "ranking"}, `task "ranking"`},
		{LoadOptions{Target: "x", Task: "classification", Features: []string{"y"}, Categorical: []string{"when"}}, "--categorical when is not a feature"},
		{LoadOptions{Target: "when", Features: []string{"x"}}, "target when is timestamp"},
	}
	for _, c := range cases {
		_, _, err := Load(ctx, src, c.opts)
		if !errors.Is(err, dataset.ErrInvalid) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: got %v, want %q", c.opts, err, c.want)
		}
	}
	// Auto task: floats regress; the timestamp is not a default feature.
	d, s, err := Load(ctx, src, LoadOptions{Target: "y"})
	if err != nil || d.Y.Task != Regression || len(s.Features) != 1 || s.Features[0].Name != "x" {
		t.Errorf("got %+v %+v %v", d, s, err)
	}
}

func TestWriteRoundTrip(t *testing.T) {
	src := openCSV(t, "t.csv", "x,color,y\n1.5,red,a\n,blue,b\n3,,a\n")
	d, s, err := Load(context.Background(), src, LoadOptions{Target: "y"})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, name := range []string{"out.parquet", "out.csv"} {
		path := filepath.Join(dir, name)
		write := WriteParquet
		if strings.HasSuffix(name, ".csv") {
			write = WriteCSV
		}
		if err := write(path, d.X, d.Y); err != nil {
			t.Fatal(err)
		}
		back, err := dataset.OpenSource(context.Background(), nil, path, dataset.DefaultCSVOptions())
		if err != nil {
			t.Fatal(err)
		}
		d2, err := LoadWith(context.Background(), back, s, true, 1)
		back.Close()
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(d2.Y.Class, d.Y.Class) || !slices.Equal(d2.X.Features[1].Cat, d.X.Features[1].Cat) ||
			d2.X.Features[0].Num[0] != 1.5 || !math.IsNaN(d2.X.Features[0].Num[1]) {
			t.Errorf("%s: got %+v", name, d2.X.Features)
		}
	}
}

// TestEncoderMatchesLoadWith encodes the churn data batch by batch and
// compares with LoadWith.
func TestEncoderMatchesLoadWith(t *testing.T) {
	ctx := context.Background()
	src := openCSV(t, "telco.csv", string(churn.CSV))
	_, s, err := Load(ctx, src, LoadOptions{Target: "Churn", Exclude: []string{"customerID"}, Categorical: []string{"SeniorCitizen"}})
	if err != nil {
		t.Fatal(err)
	}
	// A level the model never saw: drop "Two year" from Contract.
	for j := range s.Features {
		if s.Features[j].Name == "Contract" {
			s.Features[j].Levels = []string{"Month-to-month", "One year"}
		}
	}
	want, err := LoadWith(ctx, src, s, false, 1)
	if err != nil {
		t.Fatal(err)
	}
	sc, err := src.Scanner(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer sc.Close()
	enc, err := NewEncoder(s, sc.Schema(), src.Label)
	if err != nil {
		t.Fatal(err)
	}
	row := 0
	var m Matrix
	err = sc.Scan(ctx, dataset.ScanOptions{Workers: 1}, func(ctx context.Context, rg dataset.RowGroup, br *dataset.BatchReader) error {
		for br.Next() {
			enc.Encode(br.Record(), &m)
			for j := range m.Features {
				g, w := &m.Features[j], &want.X.Features[j]
				for i := range m.Rows {
					same := g.Kind == Categorical && g.Cat[i] == w.Cat[row+i] ||
						g.Kind == Numeric && (g.Num[i] == w.Num[row+i] || math.IsNaN(g.Num[i]) && math.IsNaN(w.Num[row+i]))
					if !same {
						t.Fatalf("row %d, %s: encoder and LoadWith differ", row+i, g.Name)
					}
				}
			}
			row += m.Rows
		}
		return br.Err()
	})
	if err != nil || row != 7043 {
		t.Fatalf("%d rows, %v", row, err)
	}
	if enc.Unseen["Contract"] != want.Unseen["Contract"] || enc.Unseen["Contract"] == 0 {
		t.Errorf("unseen: encoder %v, LoadWith %v", enc.Unseen, want.Unseen)
	}
	bad := openCSV(t, "bad.csv", "gender,tenure\nMale,x\n")
	bsc, _ := bad.Scanner(ctx)
	defer bsc.Close()
	if _, err := NewEncoder(s, bsc.Schema(), bad.Label); !errors.Is(err, dataset.ErrInvalid) || !strings.Contains(err.Error(), "column tenure is string, the model was trained on int64") {
		t.Errorf("signature: %v", err)
	}
}
