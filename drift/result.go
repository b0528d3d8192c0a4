package drift

import (
	"time"

	"github.com/assayhq/assay/dataset/profile"
)

// ReportVersion is the version of the JSON shape of a Report.
const ReportVersion = 1

// Float is a number whose JSON form keeps NaN and ±Inf (as "NaN",
// "Infinity", "-Infinity").
type Float = profile.Float

// Report is the outcome of comparing current data with a reference. Its
// JSON form is what `assay drift --format json` prints and what the
// repository stores for monitors.
type Report struct {
	Version   int       `json:"version"`
	Reference string    `json:"reference"`
	Current   string    `json:"current"`
	Time      time.Time `json:"time"`
	RefRows   int64     `json:"reference_rows"`
	CurRows   int64     `json:"current_rows"`
	// Sampled is set when a side had more rows than the sample cap; tests
	// then run on a uniform sample (counts stay exact).
	Sampled    bool   `json:"sampled,omitempty"`
	Method     string `json:"method"`     // auto or the method asked for
	Correction string `json:"correction"` // none, bonferroni or bh
	// Dataset drift: the share of drifted columns against the threshold,
	// under Evidently's names (DatasetDriftMetric).
	Threshold     float64         `json:"drift_share"`
	DriftedCount  int             `json:"number_of_drifted_columns"`
	ColumnCount   int             `json:"number_of_columns"`
	DriftedShare  float64         `json:"share_of_drifted_columns"`
	Drifted       bool            `json:"dataset_drift"`
	Columns       []*ColumnResult `json:"columns"`
	Multivariate  *Multivariate   `json:"multivariate,omitempty"`
	Concept       *Concept        `json:"concept,omitempty"`
	Elapsed       float64         `json:"elapsed_seconds"`
	ReferenceNote string          `json:"reference_note,omitempty"`
}

// ColumnResult is the comparison of one column.
type ColumnResult struct {
	Column string `json:"column"`
	Type   string `json:"type"`
	Kind   string `json:"kind"` // numeric or categorical
	// Test names the test or distance, as --method does: ks, chisquare,
	// z, anderson, cvm, mannwhitney (tests); wasserstein (normed by the
	// reference's sd), psi, jensenshannon, kl, hellinger, tvd (distances).
	Test      string `json:"test"`
	Statistic Float  `json:"statistic"`
	// PValue is null for distances. LogPValue is its natural log,
	// computed so that a p-value too small for a float is still a number.
	PValue    *Float `json:"p_value"`
	LogPValue *Float `json:"log_p_value"`
	// AdjustedPValue is the p-value after the run's correction.
	AdjustedPValue *Float `json:"adjusted_p_value,omitempty"`
	// Threshold is the p-value below which (tests) or the distance at or
	// above which (distances) the column has drifted.
	Threshold Float `json:"threshold"`
	// Drifted is the verdict: the test's, or a change in the missing
	// share (MissingDrift).
	Drifted     bool `json:"drifted"`
	TestDrifted bool `json:"test_drifted"`

	RefCount int64 `json:"reference_values"` // non-missing values tested
	CurCount int64 `json:"current_values"`
	Distinct int   `json:"distinct_values"` // in reference ∪ current

	// Missing shares (nulls, and NaN for floats) and their change.
	MissingRef   float64 `json:"missing_share_reference"`
	MissingCur   float64 `json:"missing_share_current"`
	MissingDrift bool    `json:"missing_drift"`

	// Explanation.
	MeanShift      *Float             `json:"mean_shift_sd,omitempty"` // (mean cur − mean ref) / sd ref
	QuantileShifts map[string]Float   `json:"quantile_shifts_sd,omitempty"`
	Moved          []Move             `json:"moved,omitempty"` // bins or categories that moved most
	New            []string           `json:"new_categories,omitempty"`
	Gone           []string           `json:"gone_categories,omitempty"`
	Bins           *Bins              `json:"bins,omitempty"`
	Notes          []string           `json:"notes,omitempty"`
	Extra          map[string]float64 `json:"-"`
}

// Move is a bin or category whose share changed.
type Move struct {
	Label    string  `json:"label"`
	RefShare float64 `json:"reference_share"`
	CurShare float64 `json:"current_share"`
}

// Bins are the reference's bins (numeric: edges; categorical: labels, the
// last possibly "other") with both sides' counts: what binned tests and
// charts use.
type Bins struct {
	Edges  []Float  `json:"edges,omitempty"`
	Labels []string `json:"labels,omitempty"`
	Ref    []int64  `json:"reference"`
	Cur    []int64  `json:"current"`
}

// Multivariate is the drift of the rows as a whole.
type Multivariate struct {
	Method string `json:"method"` // classifier or pca
	// Classifier: the held-out ROC AUC of a model telling reference rows
	// from current rows (0.5: indistinguishable), and the features that
	// separate them most.
	AUC      *Float    `json:"auc,omitempty"`
	Features []Feature `json:"features,omitempty"`
	// PCA: the reconstruction error of current rows against the
	// reference's components, and the reference's mean ± 3 sd band.
	Error     *Float `json:"reconstruction_error,omitempty"`
	RefError  *Float `json:"reference_error,omitempty"`
	Lower     *Float `json:"lower,omitempty"`
	Upper     *Float `json:"upper,omitempty"`
	Threshold Float  `json:"threshold"`
	Drifted   bool   `json:"drifted"`
}

// Feature is a feature's weight in telling the sides apart.
type Feature struct {
	Name       string  `json:"name"`
	Importance float64 `json:"importance"`
}

// Concept is concept drift: the relation of target to features, and the
// model's errors.
type Concept struct {
	Target      string        `json:"target,omitempty"`
	Prediction  string        `json:"prediction,omitempty"`
	Error       string        `json:"error_column,omitempty"`
	TargetDrift *ColumnResult `json:"target_drift,omitempty"`
	PredDrift   *ColumnResult `json:"prediction_drift,omitempty"`
	// Conditional compares P(target | feature bin) between the sides.
	Conditional []Conditional `json:"conditional,omitempty"`
	Performance *Performance  `json:"performance,omitempty"`
	Detectors   []Detector    `json:"detectors,omitempty"`
	Notes       []string      `json:"notes,omitempty"`
}

// Conditional is the change of the target rate (or mean) within a
// feature's bin.
type Conditional struct {
	Feature string  `json:"feature"`
	Bin     string  `json:"bin"`
	RefRate float64 `json:"reference_rate"`
	CurRate float64 `json:"current_rate"`
	RefN    int64   `json:"reference_rows"`
	CurN    int64   `json:"current_rows"`
	PValue  Float   `json:"p_value"`
	// LogPValue is ln PValue, finite where PValue underflows to 0.
	LogPValue Float `json:"log_p_value"`
	Drifted   bool  `json:"drifted"`
}

// Performance compares model quality on both sides.
type Performance struct {
	Task    string           `json:"task"` // classification or regression
	Ref     map[string]Float `json:"reference"`
	Cur     map[string]Float `json:"current"`
	Drifted bool             `json:"drifted"`
}

// Detector is an error-stream detector's run over the current data.
type Detector struct {
	Name   string  `json:"name"`
	Params string  `json:"params"` // the detector with its parameters
	Events []Event `json:"events"`
	// Series is the error rate over the last 200 rows, for the chart, at
	// X: Unix seconds when XTime, else row numbers (shared by detectors).
	Series []float64 `json:"-"`
	X      []float64 `json:"-"`
	XTime  bool      `json:"-"`
}

// Event is a warning or an alarm of a detector.
type Event struct {
	Kind string  `json:"kind"` // warning or drift
	Row  int     `json:"row"`
	Time string  `json:"time,omitempty"`
	x    float64 // on the chart's x axis
}
