package metrics

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
)

// The summary types encode floats that JSON has no numbers for as the
// strings "NaN", "Infinity" and "-Infinity", as the rest of assay does
// (see checks.WriteJSON), and read them back.
const (
	jsonNaN    = "NaN"
	jsonPosInf = "Infinity"
	jsonNegInf = "-Infinity"
)

// jsonFloat is a float64 that encodes NaN and the infinities as strings.
type jsonFloat float64

// MarshalJSON writes f as encoding/json writes a float64, or as one of
// the strings for non-finite values.
func (f jsonFloat) MarshalJSON() ([]byte, error) {
	return appendFloat(nil, float64(f)), nil
}

// UnmarshalJSON reads a number or one of the strings.
func (f *jsonFloat) UnmarshalJSON(data []byte) error {
	if len(data) > 0 && data[0] == '"' {
		var s string
		if err := json.Unmarshal(data, &s); err != nil {
			return err
		}
		switch s {
		case jsonNaN:
			*f = jsonFloat(math.NaN())
		case jsonPosInf:
			*f = jsonFloat(math.Inf(1))
		case jsonNegInf:
			*f = jsonFloat(math.Inf(-1))
		default:
			return fmt.Errorf("metrics: %q is not a number: %w", s, ErrInvalid)
		}
		return nil
	}
	var x float64
	if err := json.Unmarshal(data, &x); err != nil {
		return err
	}
	*f = jsonFloat(x)
	return nil
}

// appendFloat appends x as encoding/json writes a float64 (shortest
// representation, exponent outside [1e-6, 1e21)), or as one of the
// strings for non-finite values.
func appendFloat(b []byte, x float64) []byte {
	switch {
	case math.IsNaN(x):
		return append(b, `"`+jsonNaN+`"`...)
	case math.IsInf(x, 1):
		return append(b, `"`+jsonPosInf+`"`...)
	case math.IsInf(x, -1):
		return append(b, `"`+jsonNegInf+`"`...)
	}
	format := byte('f')
	if a := math.Abs(x); a != 0 && (a < 1e-6 || a >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, x, format, -1, 64)
	if format == 'e' {
		// 1e-07 → 1e-7, as encoding/json writes it.
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

// jsonFloats is a []float64 whose elements encode as jsonFloat.
type jsonFloats []float64

// MarshalJSON writes the floats as an array.
func (fs jsonFloats) MarshalJSON() ([]byte, error) {
	if fs == nil {
		return []byte("null"), nil
	}
	b := append(make([]byte, 0, 2+20*len(fs)), '[')
	for i, x := range fs {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendFloat(b, x)
	}
	return append(b, ']'), nil
}

// UnmarshalJSON reads an array of numbers and strings.
func (fs *jsonFloats) UnmarshalJSON(data []byte) error {
	var xs []jsonFloat
	if err := json.Unmarshal(data, &xs); err != nil {
		return err
	}
	if xs == nil {
		*fs = nil
		return nil
	}
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = float64(x)
	}
	*fs = out
	return nil
}

// jsonClassification is the JSON shape of a Classification.
type jsonClassification struct {
	N         int       `json:"n"`
	Classes   []string  `json:"classes"`
	Accuracy  jsonFloat `json:"accuracy"`
	Average   Average   `json:"average"`
	Precision jsonFloat `json:"precision"`
	Recall    jsonFloat `json:"recall"`
	F1        jsonFloat `json:"f1"`
	ROCAUC    jsonFloat `json:"roc_auc"`
	PRAUC     jsonFloat `json:"pr_auc"`
	LogLoss   jsonFloat `json:"log_loss"`
	Confusion Confusion `json:"confusion_matrix"`
	Undefined []string  `json:"undefined,omitempty"`
}

// MarshalJSON encodes c with snake_case keys: n, classes, accuracy,
// average, precision, recall, f1, roc_auc, pr_auc, log_loss,
// confusion_matrix and, when some metric is NaN, undefined.
func (c Classification) MarshalJSON() ([]byte, error) {
	return json.Marshal(jsonClassification{
		N: c.N, Classes: c.Classes, Accuracy: jsonFloat(c.Accuracy), Average: c.Average,
		Precision: jsonFloat(c.Precision), Recall: jsonFloat(c.Recall), F1: jsonFloat(c.F1),
		ROCAUC: jsonFloat(c.ROCAUC), PRAUC: jsonFloat(c.PRAUC), LogLoss: jsonFloat(c.LogLoss),
		Confusion: c.Confusion, Undefined: c.Undefined,
	})
}

// UnmarshalJSON reads what MarshalJSON writes.
func (c *Classification) UnmarshalJSON(data []byte) error {
	var j jsonClassification
	if err := json.Unmarshal(data, &j); err != nil {
		return err
	}
	*c = Classification{
		N: j.N, Classes: j.Classes, Accuracy: float64(j.Accuracy), Average: j.Average,
		Precision: float64(j.Precision), Recall: float64(j.Recall), F1: float64(j.F1),
		ROCAUC: float64(j.ROCAUC), PRAUC: float64(j.PRAUC), LogLoss: float64(j.LogLoss),
		Confusion: j.Confusion, Undefined: j.Undefined,
	}
	return nil
}

// jsonRegression is the JSON shape of a Regression.
type jsonRegression struct {
	N         int       `json:"n"`
	RMSE      jsonFloat `json:"rmse"`
	MAE       jsonFloat `json:"mae"`
	R2        jsonFloat `json:"r2"`
	Undefined []string  `json:"undefined,omitempty"`
}

// MarshalJSON encodes r with the keys n, rmse, mae, r2 and, when some
// metric is NaN, undefined.
func (r Regression) MarshalJSON() ([]byte, error) {
	return json.Marshal(jsonRegression{
		N: r.N, RMSE: jsonFloat(r.RMSE), MAE: jsonFloat(r.MAE), R2: jsonFloat(r.R2), Undefined: r.Undefined,
	})
}

// UnmarshalJSON reads what MarshalJSON writes.
func (r *Regression) UnmarshalJSON(data []byte) error {
	var j jsonRegression
	if err := json.Unmarshal(data, &j); err != nil {
		return err
	}
	*r = Regression{N: j.N, RMSE: float64(j.RMSE), MAE: float64(j.MAE), R2: float64(j.R2), Undefined: j.Undefined}
	return nil
}

// jsonCurve is the JSON shape of a Curve.
type jsonCurve struct {
	FPR        jsonFloats `json:"fpr"`
	TPR        jsonFloats `json:"tpr"`
	Thresholds jsonFloats `json:"thresholds"`
}

// MarshalJSON encodes c with the keys fpr, tpr and thresholds.
func (c Curve) MarshalJSON() ([]byte, error) {
	return json.Marshal(jsonCurve{FPR: c.FPR, TPR: c.TPR, Thresholds: c.Thresholds})
}

// UnmarshalJSON reads what MarshalJSON writes.
func (c *Curve) UnmarshalJSON(data []byte) error {
	var j jsonCurve
	if err := json.Unmarshal(data, &j); err != nil {
		return err
	}
	*c = Curve{FPR: j.FPR, TPR: j.TPR, Thresholds: j.Thresholds}
	return nil
}

// jsonSpread is the JSON shape of a Spread.
type jsonSpread struct {
	Column    string    `json:"column"`
	Metric    string    `json:"metric"`
	Levels    int       `json:"levels"`
	Min       jsonFloat `json:"min"`
	MinLevel  string    `json:"min_level"`
	Max       jsonFloat `json:"max"`
	MaxLevel  string    `json:"max_level"`
	Gap       jsonFloat `json:"gap"`
	Undefined []string  `json:"undefined,omitempty"`
}

// MarshalJSON encodes s with the keys column, metric, levels, min,
// min_level, max, max_level, gap and, when some level's metric is NaN,
// undefined.
func (s Spread) MarshalJSON() ([]byte, error) {
	return json.Marshal(jsonSpread{
		Column: s.Column, Metric: s.Metric, Levels: s.Levels,
		Min: jsonFloat(s.Min), MinLevel: s.MinLevel, Max: jsonFloat(s.Max), MaxLevel: s.MaxLevel,
		Gap: jsonFloat(s.Gap), Undefined: s.Undefined,
	})
}

// UnmarshalJSON reads what MarshalJSON writes.
func (s *Spread) UnmarshalJSON(data []byte) error {
	var j jsonSpread
	if err := json.Unmarshal(data, &j); err != nil {
		return err
	}
	*s = Spread{
		Column: j.Column, Metric: j.Metric, Levels: j.Levels,
		Min: float64(j.Min), MinLevel: j.MinLevel, Max: float64(j.Max), MaxLevel: j.MaxLevel,
		Gap: float64(j.Gap), Undefined: j.Undefined,
	}
	return nil
}
