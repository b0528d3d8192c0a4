package frame

import (
	"math"
	"slices"
	"strings"
	"testing"
)

func TestSubsetAndValidate(t *testing.T) {
	m := &Matrix{Rows: 3, Features: []Feature{
		{Name: "x", Kind: Numeric, Num: []float64{1, math.NaN(), 3}},
		{Name: "c", Kind: Categorical, Cat: []int32{0, 1, Missing}, Levels: []string{"a", "b"}},
	}}
	if err := m.Validate(); err != nil {
		t.Fatal(err)
	}
	s := m.Subset([]int{2, 0, 2})
	if s.Rows != 3 || !slices.Equal(s.Features[1].Cat, []int32{Missing, 0, Missing}) || s.Features[0].Num[1] != 1 {
		t.Errorf("got %+v", s.Features)
	}
	if !m.Features[0].IsMissing(1) || m.Features[1].IsMissing(0) || !m.Features[1].IsMissing(2) {
		t.Error("IsMissing")
	}
	y := &Target{Task: Classification, Class: []int32{1, 0, 1}, Classes: []string{"n", "y"}}
	if got := y.Subset([]int{1, 2}); !slices.Equal(got.Class, []int32{0, 1}) || got.Len() != 2 {
		t.Errorf("target subset %+v", got)
	}
	m.Features[1].Cat[0] = 2
	if err := m.Validate(); err == nil || !strings.Contains(err.Error(), "code 2 out of range") {
		t.Errorf("got %v", err)
	}
	m.Features[1].Cat = m.Features[1].Cat[:2]
	if err := m.Validate(); err == nil || !strings.Contains(err.Error(), "has 2 rows, want 3") {
		t.Errorf("got %v", err)
	}
}
