package metrics

import (
	"encoding/json"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
)

func TestClassifyErrors(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name    string
		y       []int32
		prob    []float64
		classes []string
		want    error
		msg     string // in the error
	}{
		{"empty", nil, nil, []string{"a", "b"}, ErrEmpty, "no rows"},
		{"one class", []int32{0}, []float64{1}, []string{"a"}, ErrInvalid, "1 classes"},
		{"short prob", []int32{0, 1}, []float64{0.5, 0.5, 1}, []string{"a", "b"}, ErrInvalid, "3 probabilities for 2 rows"},
		{"long prob", []int32{0}, []float64{0.5, 0.5, 1}, []string{"a", "b"}, ErrInvalid, "3 probabilities for 1 rows"},
		{"code too big", []int32{0, 2}, []float64{1, 0, 0, 1}, []string{"a", "b"}, ErrInvalid, "y row 1: class code 2"},
		{"negative code", []int32{-1}, []float64{1, 0}, []string{"a", "b"}, ErrInvalid, "y row 0: class code -1"},
		{"NaN", []int32{0, 1, 1}, []float64{1, 0, 0.5, 0.5, nan, 1}, []string{"a", "b"}, ErrInvalid, "row 2, class 0 is NaN"},
		{"infinite", []int32{0}, []float64{math.Inf(1), 0}, []string{"a", "b"}, ErrInvalid, "row 0, class 0 is +Inf"},
		{"negative", []int32{0}, []float64{1.5, -0.5}, []string{"a", "b"}, ErrInvalid, "row 0, class 0 is 1.5"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Classify(tc.y, tc.prob, tc.classes)
			if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("Classify error %v, want %v containing %q", err, tc.want, tc.msg)
			}
			for name, f := range map[string]func([]int32, []float64, int) (float64, error){
				"ROCAUC": ROCAUC, "AveragePrecision": AveragePrecision, "LogLoss": LogLoss,
			} {
				got, err := f(tc.y, tc.prob, len(tc.classes))
				if !errors.Is(err, tc.want) || !math.IsNaN(got) {
					t.Errorf("%s = %v, %v; want NaN, %v", name, got, err, tc.want)
				}
			}
			if _, err := ClassifyByGroup(tc.y, tc.prob, tc.classes, nil); !errors.Is(err, tc.want) {
				t.Errorf("ClassifyByGroup error %v, want %v", err, tc.want)
			}
		})
	}
}

func TestRegressErrors(t *testing.T) {
	tests := []struct {
		name    string
		y, pred []float64
		want    error
		msg     string
	}{
		{"empty", nil, nil, ErrEmpty, "no rows"},
		{"lengths", []float64{1, 2}, []float64{1}, ErrInvalid, "2 targets but 1 predictions"},
		{"NaN target", []float64{1, math.NaN()}, []float64{1, 2}, ErrInvalid, "target of row 1 is NaN"},
		{"infinite prediction", []float64{1, 2}, []float64{math.Inf(-1), 2}, ErrInvalid, "prediction of row 0 is -Inf"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Regress(tc.y, tc.pred); !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("Regress error %v, want %v containing %q", err, tc.want, tc.msg)
			}
			for name, f := range map[string]func(y, pred []float64) (float64, error){"RMSE": RMSE, "MAE": MAE, "R2": R2} {
				if got, err := f(tc.y, tc.pred); !errors.Is(err, tc.want) || !math.IsNaN(got) {
					t.Errorf("%s = %v, %v; want NaN, %v", name, got, err, tc.want)
				}
			}
			if _, err := RegressByGroup(tc.y, tc.pred, nil); !errors.Is(err, tc.want) {
				t.Errorf("RegressByGroup error %v, want %v", err, tc.want)
			}
		})
	}
}

func TestUndefined(t *testing.T) {
	classes := []string{"no", "yes"}
	got, err := Classify([]int32{1, 1}, []float64{0.2, 0.8, 0.6, 0.4}, classes)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{`roc_auc: y holds only class "yes"`, `pr_auc: y holds only class "yes"`}
	if !slices.Equal(got.Undefined, want) || !math.IsNaN(got.ROCAUC) || !math.IsNaN(got.PRAUC) {
		t.Errorf("Classify = %+v, want NaN areas and Undefined %q", got, want)
	}
	if got.Accuracy != 0.5 || got.Recall != 0.5 || got.Precision != 1 {
		t.Errorf("accuracy, precision, recall = %v, %v, %v; want 0.5, 1, 0.5", got.Accuracy, got.Precision, got.Recall)
	}

	three := []string{"a", "b", "c"}
	got, err = Classify([]int32{0, 1}, []float64{0.5, 0.25, 0.25, 0.2, 0.7, 0.1}, three)
	if err != nil {
		t.Fatal(err)
	}
	want = []string{`roc_auc: class "c" does not occur in y`, `pr_auc: class "c" does not occur in y`}
	if !slices.Equal(got.Undefined, want) {
		t.Errorf("Undefined = %q, want %q", got.Undefined, want)
	}

	got, err = Classify([]int32{0, 1, 2}, []float64{0.5, 0.25, 0.25, 0.2, 0.7, 0.1, 0.1, 0.1, 0.1}, three)
	if err != nil {
		t.Fatal(err)
	}
	want = []string{"roc_auc: row 2 of the probabilities sums to 0.30000000000000004, not 1"}
	if !slices.Equal(got.Undefined, want) || math.IsNaN(got.PRAUC) {
		t.Errorf("Undefined = %q, PRAUC %v; want %q and a number", got.Undefined, got.PRAUC, want)
	}

	r, err := Regress([]float64{1}, []float64{2})
	if err != nil {
		t.Fatal(err)
	}
	if !math.IsNaN(r.R2) || !slices.Equal(r.Undefined, []string{"r2: fewer than two rows"}) || r.RMSE != 1 || r.MAE != 1 {
		t.Errorf("Regress one row = %+v", r)
	}
}

func TestScores(t *testing.T) {
	// Class 2 is neither true nor predicted: Macro leaves it out, as
	// scikit-learn does without labels=.
	m := Confusion{{3, 1, 0}, {2, 4, 0}, {0, 0, 0}}
	tests := []struct {
		avg  Average
		want Scores
	}{
		{Macro, Scores{Precision: (0.6 + 0.8) / 2, Recall: (0.75 + 4.0/6) / 2, F1: (2*0.6*0.75/(0.6+0.75) + 2*0.8*(4.0/6)/(0.8+4.0/6)) / 2}},
		{Micro, Scores{Precision: 0.7, Recall: 0.7, F1: 2 * 0.7 * 0.7 / 1.4}},
		{Weighted, Scores{Precision: (0.6*4 + 0.8*6) / 10, Recall: (0.75*4 + 4.0/6*6) / 10, F1: (2*0.6*0.75/(0.6+0.75)*4 + 2*0.8*(4.0/6)/(0.8+4.0/6)*6) / 10}},
	}
	for _, tc := range tests {
		t.Run(tc.avg.String(), func(t *testing.T) {
			got, err := m.Scores(tc.avg)
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range [][2]float64{{got.Precision, tc.want.Precision}, {got.Recall, tc.want.Recall}, {got.F1, tc.want.F1}} {
				if math.Abs(v[0]-v[1]) > 1e-15 {
					t.Errorf("Scores(%v) = %+v, want %+v", tc.avg, got, tc.want)
					break
				}
			}
		})
	}
	if _, err := m.Scores(Binary); !errors.Is(err, ErrInvalid) {
		t.Errorf("binary scores of 3 classes: error %v, want ErrInvalid", err)
	}
	if _, err := (Confusion{{0, 0}, {0, 0}}).Scores(Macro); !errors.Is(err, ErrEmpty) {
		t.Errorf("scores of no rows: error %v, want ErrEmpty", err)
	}
	if _, err := (Confusion{{1, 0}, {0}}).Scores(Macro); !errors.Is(err, ErrInvalid) {
		t.Errorf("scores of a ragged matrix: error %v, want ErrInvalid", err)
	}
	if _, err := m.Scores(Average(9)); !errors.Is(err, ErrInvalid) {
		t.Errorf("unknown average: error %v, want ErrInvalid", err)
	}
	// Never predicting the positive class: precision 0/0 is 0.
	got, err := Confusion{{3, 0}, {2, 0}}.Scores(Binary)
	if err != nil || got != (Scores{}) {
		t.Errorf("Scores(Binary) = %+v, %v; want zeros", got, err)
	}
}

func TestPredict(t *testing.T) {
	prob := []float64{0.5, 0.5, 0.2, 0.8, math.NaN(), 0.1, 0.3, 0.3, 0.4}
	got := Predict(make([]int32, 0, 1), prob[:6], 2)
	if want := []int32{0, 1, 0}; !slices.Equal(got, want) {
		t.Errorf("Predict(k=2) = %v, want %v (ties and NaN to the lowest class)", got, want)
	}
	if got := Predict(nil, prob, 3); !slices.Equal(got, []int32{0, 0, 2}) {
		t.Errorf("Predict(k=3) = %v, want [0 0 2]", got)
	}
	if got := Predict(nil, prob, 0); len(got) != 0 {
		t.Errorf("Predict(k=0) = %v, want empty", got)
	}
}

func TestConfusionErrors(t *testing.T) {
	if _, err := NewConfusion([]int32{0}, []int32{0, 1}, 2); !errors.Is(err, ErrInvalid) {
		t.Errorf("lengths: %v", err)
	}
	if _, err := NewConfusion([]int32{0}, []int32{3}, 2); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "predictions row 0") {
		t.Errorf("prediction out of range: %v", err)
	}
	if _, err := NewConfusion(nil, nil, 0); !errors.Is(err, ErrInvalid) {
		t.Errorf("no classes: %v", err)
	}
	if _, err := Accuracy(nil, nil); !errors.Is(err, ErrEmpty) {
		t.Errorf("Accuracy of nothing: %v", err)
	}
	if _, err := Accuracy([]int32{1}, nil); !errors.Is(err, ErrInvalid) {
		t.Errorf("Accuracy lengths: %v", err)
	}
	if _, err := ROCCurve([]int32{0, 1}, []float64{1, 0, 0, 1}, 2, 2); !errors.Is(err, ErrInvalid) {
		t.Errorf("ROCCurve of class 2 of 2: %v", err)
	}
	if got := (Confusion{{0}}).Accuracy(); !math.IsNaN(got) {
		t.Errorf("Accuracy of an empty matrix = %v, want NaN", got)
	}
}

func TestGroupErrors(t *testing.T) {
	y := []float64{1, 2, 3}
	g := func(column string, codes []int32, levels ...string) Group {
		return Group{Column: column, Codes: codes, Levels: levels}
	}
	tests := []struct {
		name   string
		groups []Group
		msg    string
	}{
		{"twice", []Group{g("a", []int32{0, 0, 0}, "x"), g("a", []int32{0, 0, 0}, "x")}, `"a" given twice`},
		{"rows", []Group{g("a", []int32{0, 0}, "x")}, `"a" has 2 rows, want 3`},
		{"code", []Group{g("a", []int32{0, 1, 0}, "x")}, `row 1: level code 1 outside [-1, 1)`},
		{"code -2", []Group{g("a", []int32{0, -2, 0}, "x")}, `row 1: level code -2`},
		{"level twice", []Group{g("a", []int32{0, 1, 0}, "x", "x")}, `level "x" twice`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := RegressByGroup(y, y, tc.groups)
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tc.msg) || got != nil {
				t.Errorf("RegressByGroup = %v, %v; want ErrInvalid containing %q", got, err, tc.msg)
			}
		})
	}
}

func TestByGroupOrder(t *testing.T) {
	// Levels are unsorted, one has no rows, one row has no level.
	y := []float64{1, 2, 3, 4, 5}
	groups := []Group{
		{Column: "zone", Codes: []int32{1, 0, 1, -1, 0}, Levels: []string{"west", "east", "north"}},
		{Column: "age", Codes: []int32{0, 0, 0, 0, 0}, Levels: []string{"all"}},
	}
	got, err := RegressByGroup(y, y, groups)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, g := range got {
		names = append(names, g.Column+"="+g.Level+":"+string(rune('0'+g.N)))
	}
	if want := []string{"age=all:5", "zone=east:2", "zone=west:2"}; !slices.Equal(names, want) {
		t.Errorf("slices %q, want %q", names, want)
	}
}

func TestSpreadOf(t *testing.T) {
	c := func(level string, acc float64) GroupMetrics {
		return GroupMetrics{Column: "gender", Level: level, N: 10, Classification: &Classification{Accuracy: acc, ROCAUC: math.NaN()}}
	}
	gs := []GroupMetrics{c("F", 0.8), c("M", 0.85), c("X", 0.8),
		{Column: "region", Level: "n", Regression: &Regression{RMSE: 1}}}
	got, err := SpreadOf(gs, "gender", MetricAccuracy)
	if err != nil {
		t.Fatal(err)
	}
	lo, hi := 0.8, 0.85
	want := Spread{Column: "gender", Metric: "accuracy", Levels: 3, Min: lo, MinLevel: "F", Max: hi, MaxLevel: "M", Gap: hi - lo}
	if !spreadEqual(got, want) {
		t.Errorf("SpreadOf = %+v, want %+v", got, want)
	}
	if _, err := SpreadOf(gs, "gender", MetricROCAUC); !errors.Is(err, ErrUndefined) {
		t.Errorf("all-NaN spread: error %v, want ErrUndefined", err)
	}
	if _, err := SpreadOf(gs, "gender", MetricRMSE); !errors.Is(err, ErrInvalid) {
		t.Errorf("regression metric of a classification: error %v, want ErrInvalid", err)
	}
	if _, err := SpreadOf(gs, "age", MetricAccuracy); !errors.Is(err, ErrInvalid) {
		t.Errorf("unknown column: error %v, want ErrInvalid", err)
	}
	if _, err := SpreadOf([]GroupMetrics{{Column: "a"}}, "a", MetricN); !errors.Is(err, ErrInvalid) {
		t.Errorf("empty slice: error %v, want ErrInvalid", err)
	}
	if got, err := SpreadOf(gs, "region", MetricRMSE); err != nil || got.Gap != 0 || got.MinLevel != "n" {
		t.Errorf("one-level spread = %+v, %v", got, err)
	}
}

func spreadEqual(a, b Spread) bool {
	return a.Column == b.Column && a.Metric == b.Metric && a.Levels == b.Levels &&
		a.Min == b.Min && a.MinLevel == b.MinLevel && a.Max == b.Max && a.MaxLevel == b.MaxLevel &&
		a.Gap == b.Gap && slices.Equal(a.Undefined, b.Undefined)
}

func TestJSON(t *testing.T) {
	c, err := Classify([]int32{0, 0}, []float64{0.9, 0.1, 0.4, 0.6}, []string{"no", "yes"})
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"n":2`, `"classes":["no","yes"]`, `"accuracy":0.5`, `"average":"binary"`,
		`"precision":0`, `"recall":0`, `"f1":0`, `"roc_auc":"NaN"`, `"pr_auc":"NaN"`, `"log_loss":`,
		`"confusion_matrix":[[1,1],[0,0]]`, `"undefined":["roc_auc: y holds only class \"no\""`} {
		if !strings.Contains(string(data), want) {
			t.Errorf("JSON %s lacks %s", data, want)
		}
	}
	var back Classification
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if again, _ := json.Marshal(back); string(again) != string(data) {
		t.Errorf("round trip:\n got %s\nwant %s", again, data)
	}

	r := Regression{N: 1, RMSE: 1e-7, MAE: 1e21, R2: math.NaN(), Undefined: []string{"r2: fewer than two rows"}}
	data, err = json.Marshal([]GroupMetrics{{Column: "g", Level: "a", N: 1, Regression: &r}})
	if err != nil {
		t.Fatal(err)
	}
	want := `[{"column":"g","level":"a","n":1,"regression":{"n":1,"rmse":1e-7,"mae":1e+21,"r2":"NaN","undefined":["r2: fewer than two rows"]}}]`
	if string(data) != want {
		t.Errorf("JSON\n got %s\nwant %s", data, want)
	}
	var gs []GroupMetrics
	if err := json.Unmarshal(data, &gs); err != nil || gs[0].Regression == nil || !math.IsNaN(gs[0].Regression.R2) || gs[0].Regression.RMSE != 1e-7 {
		t.Errorf("read back %+v, %v", gs, err)
	}

	curve := Curve{FPR: []float64{0, math.Inf(1)}, TPR: []float64{math.NaN(), math.Inf(-1)}, Thresholds: nil}
	data, err = json.Marshal(curve)
	if want := `{"fpr":[0,"Infinity"],"tpr":["NaN","-Infinity"],"thresholds":null}`; err != nil || string(data) != want {
		t.Errorf("Curve JSON %s, %v; want %s", data, err, want)
	}
	var cb Curve
	if err := json.Unmarshal(data, &cb); err != nil || !math.IsInf(cb.FPR[1], 1) || !math.IsNaN(cb.TPR[0]) || cb.Thresholds != nil {
		t.Errorf("Curve read back %+v, %v", cb, err)
	}

	s := Spread{Column: "g", Metric: "r2", Min: math.NaN(), Max: math.NaN(), Gap: math.NaN(), Undefined: []string{"a"}}
	data, err = json.Marshal(s)
	if want := `{"column":"g","metric":"r2","levels":0,"min":"NaN","min_level":"","max":"NaN","max_level":"","gap":"NaN","undefined":["a"]}`; err != nil || string(data) != want {
		t.Errorf("Spread JSON %s, %v; want %s", data, err, want)
	}
	var sb Spread
	if err := json.Unmarshal(data, &sb); err != nil || !math.IsNaN(sb.Gap) || sb.Undefined[0] != "a" {
		t.Errorf("Spread read back %+v, %v", sb, err)
	}

	for _, bad := range []string{`{"accuracy":"nan"}`, `{"average":"median"}`, `{"accuracy":true}`} {
		if err := json.Unmarshal([]byte(bad), &back); err == nil {
			t.Errorf("Unmarshal(%s) succeeded", bad)
		}
	}
	if _, err := json.Marshal(Classification{Average: Average(7)}); err == nil {
		t.Error("Marshal of an unknown average succeeded")
	}
}
