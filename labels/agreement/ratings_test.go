package agreement

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
)

func TestFromLong(t *testing.T) {
	r, err := FromLong(
		[]int{0, 0, 1, 2, 2, 0},
		[]int{0, 1, 1, 0, 1, 0},
		[]int{2, 1, 0, 1, 1, 2}, // the last row repeats the first: fine
		3, 2, 3)
	if err != nil {
		t.Fatal(err)
	}
	want := []int32{2, 1, Missing, 0, 1, 1}
	if !slices.Equal(r.Labels, want) || r.Items != 3 || r.Annotators != 2 || r.K != 3 {
		t.Errorf("got %+v, want labels %v", r, want)
	}
	if got := r.Label(1, 0); got != Missing {
		t.Errorf("Label(1, 0) = %d, want Missing", got)
	}
}

func TestFromLongErrors(t *testing.T) {
	tests := []struct {
		name                string
		items, anns, labels []int
		nItems, nAnns, k    int
		want                error
		msg                 string
	}{
		{"lengths", []int{0}, []int{0, 1}, []int{0}, 1, 2, 2, ErrInvalid, "long form with 1 items, 2 annotators and 1 labels"},
		{"item", []int{0, 3}, []int{0, 0}, []int{0, 0}, 3, 1, 2, ErrInvalid, "row 1: item 3 is not in 0..2"},
		{"negative item", []int{-1}, []int{0}, []int{0}, 3, 1, 2, ErrInvalid, "row 0: item -1"},
		{"annotator", []int{0}, []int{2}, []int{0}, 1, 2, 2, ErrInvalid, "row 0: annotator 2 is not in 0..1"},
		{"label", []int{0}, []int{0}, []int{2}, 1, 1, 2, ErrInvalid, "row 0: label 2 is not in 0..1"},
		{"missing label", []int{0}, []int{0}, []int{Missing}, 1, 1, 2, ErrInvalid, "row 0: label -1"},
		{"no classes", nil, nil, nil, 1, 1, 0, ErrInvalid, "0 classes"},
		{"too many classes", nil, nil, nil, 1, 1, MaxK + 1, ErrInvalid, "classes"},
		{"negative size", nil, nil, nil, -1, 1, 2, ErrInvalid, "-1 items"},
		{"too large", nil, nil, nil, MaxCells, 2, 2, ErrInvalid, "more than"},
		{"conflict", []int{4, 1, 4}, []int{1, 1, 1}, []int{0, 1, 2}, 5, 2, 3, ErrConflict, "row 2: annotator 1 labelled item 4 twice, as 0 and as 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := FromLong(tt.items, tt.anns, tt.labels, tt.nItems, tt.nAnns, tt.k)
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("got %q, want it to contain %q", err, tt.msg)
			}
		})
	}
	_, err := FromLong([]int{4, 4}, []int{1, 1}, []int{0, 2}, 5, 2, 3)
	var ce *ConflictError
	if !errors.As(err, &ce) || ce.Item != 4 || ce.Annotator != 1 || ce.First != 0 || ce.Second != 2 || ce.Row != 1 {
		t.Errorf("got %#v, want a ConflictError for item 4, annotator 1", err)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		r    Ratings
		msg  string
	}{
		{"length", Ratings{Items: 2, Annotators: 2, K: 2, Labels: []int32{0, 1, 0}}, "3 labels for 2 items × 2 annotators"},
		{"label", Ratings{Items: 2, Annotators: 2, K: 2, Labels: []int32{0, 1, 0, 2}}, "item 1, annotator 1: label 2 is not in 0..1"},
		{"below missing", Ratings{Items: 1, Annotators: 2, K: 2, Labels: []int32{-2, 1}}, "item 0, annotator 0: label -2"},
		{"no classes", Ratings{Items: 0, Annotators: 2}, "0 classes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.r.Validate()
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("got %v, want ErrInvalid with %q", err, tt.msg)
			}
			// Every entry point rejects it the same way.
			if _, err := CohenKappa(tt.r); !errors.Is(err, ErrInvalid) {
				t.Errorf("CohenKappa: got %v", err)
			}
			if _, err := FleissKappa(tt.r); !errors.Is(err, ErrInvalid) {
				t.Errorf("FleissKappa: got %v", err)
			}
			if _, err := KrippendorffAlpha(tt.r); !errors.Is(err, ErrInvalid) {
				t.Errorf("KrippendorffAlpha: got %v", err)
			}
			if _, err := MajorityVote(tt.r); !errors.Is(err, ErrInvalid) {
				t.Errorf("MajorityVote: got %v", err)
			}
			if _, err := AnnotatorAgreement(tt.r); !errors.Is(err, ErrInvalid) {
				t.Errorf("AnnotatorAgreement: got %v", err)
			}
		})
	}
}

func TestReasonText(t *testing.T) {
	for r, want := range map[Reason]string{Defined: "", NoItems: "no-items", NoVariation: "no-variation", TooFewAnnotators: "too-few-annotators", 9: "reason(9)"} {
		b, _ := r.MarshalText()
		if string(b) != want {
			t.Errorf("%d: got %q, want %q", r, b, want)
		}
	}
}

// TestEmpty: no items, or no annotators, is not an error; every
// coefficient is undefined for lack of items.
func TestEmpty(t *testing.T) {
	for _, r := range []Ratings{
		{Items: 0, Annotators: 3, K: 2},
		{Items: 4, Annotators: 0, K: 2},
	} {
		pairs, err := CohenKappa(r)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range pairs {
			if p.Undefined != NoItems || !math.IsNaN(p.Value) {
				t.Errorf("%+v: pair %+v, want NaN, no-items", r, p)
			}
		}
		f, err := FleissKappa(r)
		if err != nil || !math.IsNaN(f.Value) || f.Undefined == Defined {
			t.Errorf("%+v: Fleiss %+v, %v", r, f, err)
		}
		a, err := KrippendorffAlpha(r)
		if err != nil || !math.IsNaN(a.Value) || a.Undefined != NoItems {
			t.Errorf("%+v: alpha %+v, %v", r, a, err)
		}
		v, err := MajorityVote(r)
		if err != nil || len(v.Labels) != r.Items {
			t.Errorf("%+v: vote %+v, %v", r, v, err)
		}
		for _, l := range v.Labels {
			if l != Missing {
				t.Errorf("%+v: vote %v, want Missing", r, v.Labels)
			}
		}
		if _, err := AnnotatorAgreement(r); err != nil {
			t.Error(err)
		}
	}
}
