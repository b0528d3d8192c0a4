package confident

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
)

func probs(k int, rows ...[]float64) Probs {
	p := Probs{N: len(rows), K: k}
	for _, r := range rows {
		p.Data = append(p.Data, r...)
	}
	return p
}

func TestValidate(t *testing.T) {
	good := probs(2, []float64{0.9, 0.1}, []float64{0.2, 0.8}, []float64{0.5, 0.5})
	tests := []struct {
		name    string
		labels  []int
		p       Probs
		tol     float64
		row     int    // the RowError's row, −1 for other errors, −2 for none
		message string // part of the message
	}{
		{"ok", []int{0, 1, 1}, good, 1e-3, -2, ""},
		{"all zero", []int{0, 0, 0}, good, 1e-3, -2, ""},
		{"missing class", []int{0, 2, 0}, probs(3, []float64{1, 0, 0}, []float64{0, 0, 1}, []float64{0.4, 0.3, 0.3}), 1e-3, -2, ""},
		{"no rows", nil, Probs{K: 2}, 1e-3, -1, "no rows"},
		{"one class", []int{0}, probs(1, []float64{1}), 1e-3, -1, "1 classes"},
		{"too many classes", []int{0}, Probs{N: 1, K: MaxClasses + 1, Data: make([]float64, MaxClasses+1)}, 1e-3, -1, "at most"},
		{"labels length", []int{0, 1}, good, 1e-3, -1, "2 labels for 3 rows"},
		{"data length", []int{0, 1, 1}, Probs{N: 3, K: 2, Data: good.Data[:5]}, 1e-3, -1, "5 probabilities"},
		{"negative label", []int{0, -1, 1}, good, 1e-3, 1, "label -1"},
		{"label too big", []int{0, 1, 2}, good, 1e-3, 2, "label 2"},
		{"NaN", []int{0, 1, 1}, probs(2, []float64{0.9, 0.1}, []float64{math.NaN(), 0.8}, []float64{0.5, 0.5}), 1e-3, 1, "class 0 is NaN"},
		{"Inf", []int{0, 1, 1}, probs(2, []float64{0.9, 0.1}, []float64{0.2, 0.8}, []float64{math.Inf(1), 0.5}), 1e-3, 2, "+Inf"},
		{"above 1", []int{0, 1, 1}, probs(2, []float64{1.1, -0.1}, []float64{0.2, 0.8}, []float64{0.5, 0.5}), -1, 0, "class 0 is 1.1"},
		{"below 0", []int{0, 1, 1}, probs(2, []float64{0.9, 0.1}, []float64{1.5, -0.5}, []float64{0.5, 0.5}), -1, 1, "class 0 is 1.5"},
		{"within slack", []int{0, 1, 1}, probs(2, []float64{1 + 5e-7, -5e-7}, []float64{0.2, 0.8}, []float64{0.5, 0.5}), 1e-3, -2, ""},
		{"sum", []int{0, 1, 1}, probs(2, []float64{0.9, 0.1}, []float64{0.2, 0.8}, []float64{0.5, 0.49}), 1e-3, 2, "sum to 0.99"},
		{"sum within tol", []int{0, 1, 1}, probs(2, []float64{0.9, 0.1}, []float64{0.2, 0.8}, []float64{0.5, 0.49}), 0.02, -2, ""},
		{"sum unchecked", []int{0, 1, 1}, probs(2, []float64{0.9, 0.1}, []float64{0.2, 0.8}, []float64{0.1, 0.1}), -1, -2, ""},
		{"first bad row", []int{0, 5, 1}, probs(2, []float64{0.9, 0.2}, []float64{0.2, 0.8}, []float64{0.5, 0.5}), 1e-3, 0, "sum"},
		{"single class", []int{1, 1, 1}, good, 1e-3, -1, "at least 2 classes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Validate(tt.labels, tt.p, tt.tol)
			if tt.row == -2 {
				if err != nil {
					t.Fatalf("got %v, want nil", err)
				}
				return
			}
			if err == nil {
				t.Fatal("got nil, want an error")
			}
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("got %v, want an ErrInvalid", err)
			}
			var re *RowError
			switch {
			case tt.row >= 0 && !errors.As(err, &re):
				t.Errorf("got %v, want a RowError", err)
			case tt.row >= 0 && re.Row != tt.row:
				t.Errorf("got row %d, want %d (%v)", re.Row, tt.row, err)
			case tt.row == -1 && errors.As(err, &re):
				t.Errorf("got a RowError %v, want a shape error", err)
			}
			if !strings.Contains(err.Error(), tt.message) {
				t.Errorf("got %q, want it to mention %q", err, tt.message)
			}
			// FindIssues reports the same error.
			if _, ferr := FindIssues(tt.labels, tt.p, Options{SumTol: tt.tol}); tt.tol != 0 && (ferr == nil || ferr.Error() != err.Error()) {
				t.Errorf("FindIssues: got %v, want %v", ferr, err)
			}
		})
	}
}

func TestValidateFirstRowAcrossChunks(t *testing.T) {
	labels, p := genCase(genSpec{N: 200_000, K: 3, Seed: 9, Noise: 0.1, Peak: 1})
	p.Data[150_000*3+1] = math.NaN()
	labels[190_000] = 7
	p.Data[120_000*3] += 0.01
	for _, w := range []int{1, 2, 7} {
		_, err := FindIssues(labels, p, Options{Workers: w})
		var re *RowError
		if !errors.As(err, &re) || re.Row != 120_000 {
			t.Errorf("workers %d: got %v, want row 120000", w, err)
		}
	}
}

func TestOptionsValidate(t *testing.T) {
	for _, o := range []Options{
		{Filter: "prune"},
		{Rank: "entropy"},
		{FracNoise: -0.1},
		{FracNoise: 1.5},
		{FracNoise: math.NaN()},
		{MinExamplesPerClass: -1},
	} {
		err := o.Validate()
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("%+v: got %v, want ErrInvalid", o, err)
		}
		if _, ferr := FindIssues([]int{0, 1}, probs(2, []float64{1, 0}, []float64{0, 1}), o); !errors.Is(ferr, ErrInvalid) {
			t.Errorf("FindIssues %+v: got %v, want ErrInvalid", o, ferr)
		}
	}
	if err := (Options{}).Validate(); err != nil {
		t.Errorf("zero Options: %v", err)
	}
	if _, err := Scores([]int{0, 1}, probs(2, []float64{1, 0}, []float64{0, 1}), "margin"); !errors.Is(err, ErrInvalid) {
		t.Errorf("Scores with a bad method: got %v, want ErrInvalid", err)
	}
}

// TestDefaults checks that the zero Options are Cleanlab's defaults.
func TestDefaults(t *testing.T) {
	labels, p := genCase(genSpec{N: 3000, K: 4, Seed: 11, Noise: 0.3, Peak: 1, Grid: 20})
	got, err := FindIssues(labels, p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want, err := FindIssues(labels, p, Options{Filter: FilterPruneByNoiseRate, Rank: RankSelfConfidence,
		FracNoise: 1, MinExamplesPerClass: 1, SumTol: DefaultSumTol})
	if err != nil {
		t.Fatal(err)
	}
	if got.Filter != FilterPruneByNoiseRate || got.Rank != RankSelfConfidence {
		t.Errorf("got filter %q, rank %q", got.Filter, got.Rank)
	}
	if !slices.Equal(got.Issue, want.Issue) || !slices.Equal(got.Order, want.Order) {
		t.Error("zero Options differ from the explicit defaults")
	}
}

// TestConfidenceWeightedEntropyRange checks that a probability within
// Cleanlab's 1e-6 slack but above 1 passes validation yet fails
// confidence_weighted_entropy, as in Cleanlab.
func TestConfidenceWeightedEntropyRange(t *testing.T) {
	labels := []int{0, 1, 1}
	p := probs(2, []float64{0.9, 0.1}, []float64{-5e-7, 1 + 5e-7}, []float64{0.5, 0.5})
	if _, err := FindIssues(labels, p, Options{}); err != nil {
		t.Fatalf("self_confidence: %v", err)
	}
	_, err := FindIssues(labels, p, Options{Rank: RankConfidenceWeightedEntropy})
	var re *RowError
	if !errors.As(err, &re) || re.Row != 1 {
		t.Errorf("FindIssues: got %v, want a RowError for row 1", err)
	}
	if _, err := Scores(labels, p, RankConfidenceWeightedEntropy); !errors.As(err, &re) || re.Row != 1 {
		t.Errorf("Scores: got %v, want a RowError for row 1", err)
	}
}

func TestResultShape(t *testing.T) {
	labels, p := genCase(genSpec{N: 5000, K: 5, Seed: 12, Noise: 0.2, Peak: 1})
	for _, f := range allFilters {
		res, err := FindIssues(labels, p, Options{Filter: f, Rank: RankNormalizedMargin})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Issue) != p.N || len(res.Scores) != p.N || len(res.SuggestedLabel) != p.N {
			t.Fatalf("%s: per-row slices of %d, %d, %d, want %d", f, len(res.Issue), len(res.Scores), len(res.SuggestedLabel), p.N)
		}
		flagged := 0
		for _, b := range res.Issue {
			if b {
				flagged++
			}
		}
		if len(res.Order) != flagged {
			t.Errorf("%s: %d rows in Order, %d flagged", f, len(res.Order), flagged)
		}
		for _, r := range res.Order {
			if !res.Issue[r] {
				t.Errorf("%s: row %d in Order is not flagged", f, r)
			}
		}
		if f == FilterConfidentLearning && flagged != res.NumIssues {
			t.Errorf("confident_learning flags %d rows, NumIssues %d", flagged, res.NumIssues)
		}
		if (f == FilterLowNormalizedMargin || f == FilterLowSelfConfidence) && flagged != res.NumIssues {
			t.Errorf("%s flags %d rows, want NumIssues %d", f, flagged, res.NumIssues)
		}
		var total int64
		for i, r := range res.CalibratedJoint {
			var s int64
			for _, v := range r {
				s += v
			}
			if s != res.LabelCounts[i] {
				t.Errorf("calibrated row %d sums to %d, want its label count %d", i, s, res.LabelCounts[i])
			}
			total += s
		}
		if total != int64(p.N) {
			t.Errorf("calibrated joint sums to %d, want %d", total, p.N)
		}
	}
}
