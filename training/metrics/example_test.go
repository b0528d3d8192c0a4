package metrics_test

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/assayhq/assay/training/metrics"
)

// Six rows of a yes/no model: true classes and, per row, the predicted
// probabilities of "no" and "yes".
var (
	classes = []string{"no", "yes"}
	y       = []int32{0, 0, 1, 1, 0, 1}
	prob    = []float64{
		0.9, 0.1,
		0.6, 0.4,
		0.35, 0.65,
		0.2, 0.8,
		0.45, 0.55,
		0.7, 0.3,
	}
)

func ExampleClassify() {
	c, err := metrics.Classify(y, prob, classes)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("accuracy %.3f, %s F1 %.3f, ROC AUC %.3f, PR AUC %.3f, log loss %.3f\n",
		c.Accuracy, c.Average, c.F1, c.ROCAUC, c.PRAUC, c.LogLoss)
	fmt.Println("confusion", c.Confusion)
	// Output:
	// accuracy 0.667, binary F1 0.667, ROC AUC 0.778, PR AUC 0.867, log loss 0.545
	// confusion [[2 1] [1 2]]
}

func ExampleClassify_json() {
	// Only "no" rows: the areas are undefined, NaN in JSON as "NaN".
	c, err := metrics.Classify([]int32{0, 0}, []float64{0.8, 0.2, 0.3, 0.7}, classes)
	if err != nil {
		fmt.Println(err)
		return
	}
	data, err := json.Marshal(c)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(string(data))
	// Output:
	// {"n":2,"classes":["no","yes"],"accuracy":0.5,"average":"binary","precision":0,"recall":0,"f1":0,"roc_auc":"NaN","pr_auc":"NaN","log_loss":0.7135581778200729,"confusion_matrix":[[1,1],[0,0]],"undefined":["roc_auc: y holds only class \"no\"","pr_auc: y holds only class \"no\""]}
}

func ExamplePredict() {
	fmt.Println(metrics.Predict(nil, []float64{0.5, 0.5, 0.2, 0.8}, 2))
	// Output: [0 1]
}

func ExampleAccuracy() {
	acc, err := metrics.Accuracy(y, metrics.Predict(nil, prob, 2))
	fmt.Printf("%.4f %v\n", acc, err)
	// Output: 0.6667 <nil>
}

func ExampleNewConfusion() {
	m, err := metrics.NewConfusion([]int32{0, 1, 2, 2}, []int32{0, 2, 2, 1}, 3)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(m, m.Accuracy())
	// Output: [[1 0 0] [0 0 1] [0 1 1]] 0.5
}

func ExampleConfusion_Scores() {
	m := metrics.Confusion{{5, 1, 0}, {2, 3, 1}, {0, 0, 4}}
	for _, avg := range []metrics.Average{metrics.Macro, metrics.Weighted, metrics.Micro} {
		s, _ := m.Scores(avg)
		fmt.Printf("%-8s precision %.3f recall %.3f f1 %.3f\n", avg, s.Precision, s.Recall, s.F1)
	}
	// Output:
	// macro    precision 0.755 recall 0.778 f1 0.753
	// weighted precision 0.749 recall 0.750 f1 0.736
	// micro    precision 0.750 recall 0.750 f1 0.750
}

func ExampleROCAUC() {
	auc, err := metrics.ROCAUC(y, prob, 2)
	fmt.Printf("%.4f %v\n", auc, err)

	// Three classes, but y has no row of class 2: one-vs-rest is
	// undefined for it (scikit-learn raises).
	auc, err = metrics.ROCAUC([]int32{0, 1}, []float64{0.7, 0.2, 0.1, 0.3, 0.6, 0.1}, 3)
	fmt.Println(auc, errors.Is(err, metrics.ErrUndefined), err)
	// Output:
	// 0.7778 <nil>
	// NaN true metrics: roc_auc: class 2 does not occur in y: metric undefined
}

func ExampleAveragePrecision() {
	ap, err := metrics.AveragePrecision(y, prob, 2)
	fmt.Printf("%.4f %v\n", ap, err)
	// Output: 0.8667 <nil>
}

func ExampleROCCurve() {
	c, err := metrics.ROCCurve(y, prob, 2, 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	for i := range c.FPR {
		fmt.Printf("threshold %.2f: fpr %.3f tpr %.3f\n", c.Thresholds[i], c.FPR[i], c.TPR[i])
	}
	// Output:
	// threshold 1.80: fpr 0.000 tpr 0.000
	// threshold 0.80: fpr 0.000 tpr 0.333
	// threshold 0.65: fpr 0.000 tpr 0.667
	// threshold 0.40: fpr 0.667 tpr 0.667
	// threshold 0.30: fpr 0.667 tpr 1.000
	// threshold 0.10: fpr 1.000 tpr 1.000
}

func ExampleLogLoss() {
	// Probabilities of 0 and 1 are clipped, so a confident miss costs
	// -log(2.2e-16), not infinity.
	ll, err := metrics.LogLoss([]int32{0, 1}, []float64{1, 0, 1, 0}, 2)
	fmt.Printf("%.4f %v\n", ll, err)
	// Output: 18.0218 <nil>
}

func ExampleRegress() {
	r, err := metrics.Regress([]float64{3, -0.5, 2, 7}, []float64{2.5, 0, 2, 8})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("rmse %.4f mae %.4f r2 %.4f\n", r.RMSE, r.MAE, r.R2)
	// Output: rmse 0.6124 mae 0.5000 r2 0.9486
}

func ExampleRMSE() {
	rmse, _ := metrics.RMSE([]float64{1, 2, 3}, []float64{1, 2, 5})
	mae, _ := metrics.MAE([]float64{1, 2, 3}, []float64{1, 2, 5})
	fmt.Printf("%.4f %.4f\n", rmse, mae)
	// Output: 1.1547 0.6667
}

func ExampleMAE() {
	mae, err := metrics.MAE([]float64{10, 20}, []float64{12, 17})
	fmt.Println(mae, err)
	// Output: 2.5 <nil>
}

func ExampleR2() {
	// A constant target: 1 for a perfect prediction, 0 otherwise.
	perfect, _ := metrics.R2([]float64{2, 2, 2}, []float64{2, 2, 2})
	imperfect, _ := metrics.R2([]float64{2, 2, 2}, []float64{2, 2, 3})
	_, err := metrics.R2([]float64{2}, []float64{2})
	fmt.Println(perfect, imperfect, err)
	// Output: 1 0 metrics: r2: fewer than two rows: metric undefined
}

func ExampleClassifyByGroup() {
	gender := metrics.Group{
		Column: "gender",
		Codes:  []int32{0, 0, 0, 1, 1, 1},
		Levels: []string{"F", "M"},
	}
	gs, err := metrics.ClassifyByGroup(y, prob, classes, []metrics.Group{gender})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, g := range gs {
		fmt.Printf("%s=%s n=%d accuracy %.3f roc_auc %.3f\n", g.Column, g.Level, g.N, g.Classification.Accuracy, g.Classification.ROCAUC)
	}
	// Output:
	// gender=F n=3 accuracy 1.000 roc_auc 1.000
	// gender=M n=3 accuracy 0.333 roc_auc 0.500
}

func ExampleRegressByGroup() {
	store := metrics.Group{Column: "store", Codes: []int32{0, 0, 1, 1, -1}, Levels: []string{"a", "b"}}
	gs, err := metrics.RegressByGroup([]float64{1, 2, 3, 4, 5}, []float64{1, 3, 3, 3, 0}, []metrics.Group{store})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, g := range gs {
		fmt.Printf("%s=%s n=%d rmse %.4f\n", g.Column, g.Level, g.N, g.Regression.RMSE)
	}
	// Output:
	// store=a n=2 rmse 0.7071
	// store=b n=2 rmse 0.7071
}

func ExampleSpreadOf() {
	gender := metrics.Group{Column: "gender", Codes: []int32{0, 0, 0, 1, 1, 1}, Levels: []string{"F", "M"}}
	gs, err := metrics.ClassifyByGroup(y, prob, classes, []metrics.Group{gender})
	if err != nil {
		fmt.Println(err)
		return
	}
	// A promotion gate: accuracy by gender within 0.05, each above 0.6.
	s, err := metrics.SpreadOf(gs, "gender", metrics.MetricAccuracy)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("gap %.3f (%s %.3f, %s %.3f): pass %v\n", s.Gap, s.MinLevel, s.Min, s.MaxLevel, s.Max, s.Gap <= 0.05 && s.Min >= 0.6)
	// Output: gap 0.667 (M 0.333, F 1.000): pass false
}
