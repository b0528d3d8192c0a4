package linear

import (
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/assayhq/assay/training/frame"
)

var nan = math.NaN()

// small is a training frame: a numeric feature with a missing value, a
// constant one, and a categorical one whose level "z" is never used.
func small() *frame.Matrix {
	return &frame.Matrix{Rows: 4, Features: []frame.Feature{
		{Name: "a", Kind: frame.Numeric, Num: []float64{1, 2, nan, 5}},
		{Name: "k", Kind: frame.Numeric, Num: []float64{7, 7, 7, 7}},
		{Name: "c", Kind: frame.Categorical, Cat: []int32{0, 1, frame.Missing, 0}, Levels: []string{"x", "y", "z"}},
	}}
}

func TestDesignFit(t *testing.T) {
	d, err := FitDesign(small(), DesignOptions{Standardize: true})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := d.Columns(), []string{"a", "k", "c=x", "c=y"}; !slices.Equal(got, want) {
		t.Errorf("got columns %q, want %q (a level unused in training gets no column)", got, want)
	}
	// a: mean of 1, 2, 5 is 8/3; imputed column 1, 2, 8/3, 5 has
	// population variance (25/9 + 4/9 + 0 + 49/9)/4 = 78/36.
	a := d.Inputs[0]
	if !near(a.Mean, 8.0/3, 1e-15) || !near(a.Scale, math.Sqrt(78.0/36), 1e-15) {
		t.Errorf("got a mean %v scale %v, want %v %v", a.Mean, a.Scale, 8.0/3, math.Sqrt(78.0/36))
	}
	if k := d.Inputs[1]; k.Mean != 7 || k.Scale != 1 {
		t.Errorf("got constant column mean %v scale %v, want 7 and 1", k.Mean, k.Scale)
	}
	x, err := d.Transform(small())
	if err != nil {
		t.Fatal(err)
	}
	want := [][]float64{
		{(1 - 8.0/3) / a.Scale, 0, 1, 0},
		{(2 - 8.0/3) / a.Scale, 0, 0, 1},
		{0, 0, 0, 0},
		{(5 - 8.0/3) / a.Scale, 0, 1, 0},
	}
	for i, row := range want {
		for j, w := range row {
			if got := x.At(i, j); !near(got, w, 1e-15) {
				t.Errorf("row %d column %d: got %v, want %v", i, j, got, w)
			}
		}
	}
}

func TestDesignTransformNewData(t *testing.T) {
	d, err := FitDesign(small(), DesignOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// Other levels, in another order, another feature order and an extra
	// feature: matched by name; "w" was never seen, "y" is a column.
	m := &frame.Matrix{Rows: 3, Features: []frame.Feature{
		{Name: "c", Kind: frame.Categorical, Cat: []int32{0, 1, 2}, Levels: []string{"w", "x", "y"}},
		{Name: "extra", Kind: frame.Numeric, Num: []float64{9, 9, 9}},
		{Name: "k", Kind: frame.Numeric, Num: []float64{1, nan, 3}},
		{Name: "a", Kind: frame.Numeric, Num: []float64{nan, -1, 0}},
	}}
	x, err := d.Transform(m)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]float64{
		{8.0 / 3, 1, 0, 0},
		{-1, 7, 1, 0},
		{0, 3, 0, 1},
	}
	for i, row := range want {
		for j, w := range row {
			if got := x.At(i, j); got != w {
				t.Errorf("row %d column %d: got %v, want %v", i, j, got, w)
			}
		}
	}
}

func TestDesignAllMissing(t *testing.T) {
	m := &frame.Matrix{Rows: 3, Features: []frame.Feature{
		{Name: "gone", Kind: frame.Numeric, Num: []float64{nan, nan, nan}},
		{Name: "b", Kind: frame.Numeric, Num: []float64{1, 2, 3}},
	}}
	d, err := FitDesign(m, DesignOptions{Standardize: true})
	if err != nil {
		t.Fatal(err)
	}
	x, err := d.Transform(m)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if got := x.At(i, 0); got != 0 {
			t.Errorf("row %d: got %v for an all-missing feature, want 0", i, got)
		}
	}
}

func TestDesignErrors(t *testing.T) {
	good, err := FitDesign(small(), DesignOptions{})
	if err != nil {
		t.Fatal(err)
	}
	inf := small()
	inf.Features[0].Num[1] = math.Inf(1)
	dup := small()
	dup.Features[1].Name = "a"
	short := small()
	short.Features[0].Num = short.Features[0].Num[:2]
	onlyMissing := &frame.Matrix{Rows: 2, Features: []frame.Feature{
		{Name: "c", Kind: frame.Categorical, Cat: []int32{-1, -1}, Levels: []string{"x"}},
	}}
	fits := []struct {
		name string
		m    *frame.Matrix
	}{
		{"no rows", &frame.Matrix{}},
		{"infinite value", inf},
		{"repeated name", dup},
		{"ragged", short},
		{"no columns", onlyMissing},
	}
	for _, tt := range fits {
		t.Run("fit/"+tt.name, func(t *testing.T) {
			if _, err := FitDesign(tt.m, DesignOptions{}); !errors.Is(err, ErrInvalid) {
				t.Errorf("got error %v, want ErrInvalid", err)
			}
		})
	}
	missing := small()
	missing.Features = missing.Features[1:]
	kind := small()
	kind.Features[0] = frame.Feature{Name: "a", Kind: frame.Categorical, Cat: []int32{0, 0, 0, 0}, Levels: []string{"q"}}
	badCode := small()
	badCode.Features[2].Cat[0] = 3
	transforms := []struct {
		name string
		m    *frame.Matrix
	}{
		{"missing feature", missing},
		{"other kind", kind},
		{"infinite value", inf},
		{"code out of range", badCode},
		{"no rows", &frame.Matrix{Features: small().Subset(nil).Features}},
	}
	for _, tt := range transforms {
		t.Run("transform/"+tt.name, func(t *testing.T) {
			if _, err := good.Transform(tt.m); !errors.Is(err, ErrInvalid) {
				t.Errorf("got error %v, want ErrInvalid", err)
			}
		})
	}
}
