package checks

import (
	"bytes"
	"encoding"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"reflect"
	"strconv"
	"time"
)

// WriteJSON writes run as one indented JSON document: the versioned shape
// documented in docs/check-results.md, with "version" set to ResultVersion.
// Keys come in the order of the Run and Result struct fields (map keys,
// such as metric names and sample columns, sorted). Floats that JSON cannot
// hold are written as the strings "NaN", "Infinity" and "-Infinity",
// wherever they occur (observed values, metrics, percentages), so the
// output is always valid JSON; json.Unmarshal into a Run reads them back.
func WriteJSON(w io.Writer, run *Run) error {
	if run == nil {
		return errNilRun
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(run)
}

// MarshalJSON encodes a run in its documented shape (see WriteJSON), so
// that json.Marshal of a Run, such as the copy the repository stores, is
// the same document and never fails on NaN or infinite values.
func (r Run) MarshalJSON() ([]byte, error) {
	return marshalPlain(toJSONRun(&r))
}

// UnmarshalJSON reads a run written by MarshalJSON or WriteJSON. It
// rejects documents of a newer version than ResultVersion. The strings
// "NaN", "Infinity" and "-Infinity" in float fields and observed values
// become the floats they stand for; whole numbers among observed values
// become int64, other numbers float64.
func (r *Run) UnmarshalJSON(data []byte) error {
	var j jsonRun
	if err := json.Unmarshal(data, &j); err != nil {
		return err
	}
	if j.Version > ResultVersion {
		return fmt.Errorf("checks: results of version %d are newer than this assay reads (%d)", j.Version, ResultVersion)
	}
	*r = fromJSONRun(&j)
	return nil
}

// MarshalJSON encodes one result as it appears in a Run's "results".
func (r Result) MarshalJSON() ([]byte, error) {
	return marshalPlain(toJSONResult(&r))
}

// UnmarshalJSON reads one result written by MarshalJSON.
func (r *Result) UnmarshalJSON(data []byte) error {
	var j jsonResult
	if err := json.Unmarshal(data, &j); err != nil {
		return err
	}
	*r = *fromJSONResult(&j)
	return nil
}

// MarshalJSON encodes one group result as it appears in "groups".
func (g GroupResult) MarshalJSON() ([]byte, error) {
	return marshalPlain(toJSONGroup(&g))
}

// UnmarshalJSON reads one group result written by MarshalJSON.
func (g *GroupResult) UnmarshalJSON(data []byte) error {
	var j jsonGroup
	if err := json.Unmarshal(data, &j); err != nil {
		return err
	}
	*g = *fromJSONGroup(&j)
	return nil
}

// marshalPlain marshals v without escaping <, > and &: whoever encodes
// the enclosing document decides that (json.Marshal escapes them when it
// compacts this output; WriteJSON does not).
func marshalPlain(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// The wire types mirror Run, Result and GroupResult field for field, in
// the same order and with the same keys (a test holds them to it), with
// jsonFloat for every float and jsonValue for every free-form value.

type jsonRun struct {
	Version int                  `json:"version"`
	Source  string               `json:"source"`
	Dataset string               `json:"dataset,omitempty"`
	DataVer int                  `json:"dataset_version,omitempty"`
	Rules   string               `json:"rules"`
	Time    time.Time            `json:"time"`
	Success bool                 `json:"success"`
	Rows    int64                `json:"rows"`
	Elapsed jsonFloat            `json:"elapsed_seconds"`
	Counts  Counts               `json:"counts"`
	Metrics map[string]jsonFloat `json:"metrics,omitempty"`
	Results []*jsonResult        `json:"results"`
}

type jsonResult struct {
	Name                        string       `json:"name"`
	Kind                        Kind         `json:"kind"`
	Column                      string       `json:"column,omitempty"`
	Columns                     []string     `json:"columns,omitempty"`
	Severity                    Severity     `json:"severity"`
	Status                      Status       `json:"status"`
	Success                     bool         `json:"success"`
	Line                        int          `json:"line"`
	Expected                    string       `json:"expected"`
	Message                     string       `json:"message,omitempty"`
	ElementCount                int64        `json:"element_count"`
	MissingCount                int64        `json:"missing_count"`
	MissingPercent              jsonFloat    `json:"missing_percent"`
	UnexpectedCount             int64        `json:"unexpected_count"`
	UnexpectedPercent           jsonFloat    `json:"unexpected_percent"`
	UnexpectedPercentTotal      jsonFloat    `json:"unexpected_percent_total"`
	UnexpectedPercentNonmissing jsonFloat    `json:"unexpected_percent_nonmissing"`
	ObservedValue               jsonValue    `json:"observed_value"`
	Samples                     []Sample     `json:"samples,omitempty"`
	PartialUnexpectedList       []jsonValue  `json:"partial_unexpected_list,omitempty"`
	Duplicates                  *Duplicates  `json:"duplicates,omitempty"`
	Groups                      []*jsonGroup `json:"groups,omitempty"`
	FailingGroups               int          `json:"failing_groups,omitempty"`
}

type jsonGroup struct {
	Group                       map[string]*string `json:"group"`
	Success                     bool               `json:"success"`
	ElementCount                int64              `json:"element_count"`
	MissingCount                int64              `json:"missing_count"`
	UnexpectedCount             int64              `json:"unexpected_count"`
	UnexpectedPercent           jsonFloat          `json:"unexpected_percent"`
	UnexpectedPercentTotal      jsonFloat          `json:"unexpected_percent_total"`
	UnexpectedPercentNonmissing jsonFloat          `json:"unexpected_percent_nonmissing"`
	ObservedValue               jsonValue          `json:"observed_value"`
	Samples                     []Sample           `json:"samples,omitempty"`
}

func toJSONRun(r *Run) *jsonRun {
	j := &jsonRun{
		Version: ResultVersion,
		Source:  r.Source,
		Dataset: r.Dataset,
		DataVer: r.DataVer,
		Rules:   r.Rules,
		Time:    r.Time,
		Success: r.Success,
		Rows:    r.Rows,
		Elapsed: jsonFloat(r.Elapsed),
		Counts:  r.Counts,
		Results: []*jsonResult{},
	}
	if r.Metrics != nil {
		j.Metrics = make(map[string]jsonFloat, len(r.Metrics))
		for k, v := range r.Metrics {
			j.Metrics[k] = jsonFloat(v)
		}
	}
	for _, res := range r.Results {
		if res != nil {
			j.Results = append(j.Results, toJSONResult(res))
		}
	}
	return j
}

func fromJSONRun(j *jsonRun) Run {
	r := Run{
		Version: j.Version,
		Source:  j.Source,
		Dataset: j.Dataset,
		DataVer: j.DataVer,
		Rules:   j.Rules,
		Time:    j.Time,
		Success: j.Success,
		Rows:    j.Rows,
		Elapsed: float64(j.Elapsed),
		Counts:  j.Counts,
	}
	if j.Metrics != nil {
		r.Metrics = make(map[string]float64, len(j.Metrics))
		for k, v := range j.Metrics {
			r.Metrics[k] = float64(v)
		}
	}
	r.Results = make([]*Result, 0, len(j.Results))
	for _, res := range j.Results {
		if res != nil {
			r.Results = append(r.Results, fromJSONResult(res))
		}
	}
	return r
}

func toJSONResult(r *Result) *jsonResult {
	j := &jsonResult{
		Name:                        r.Name,
		Kind:                        r.Kind,
		Column:                      r.Column,
		Columns:                     r.Columns,
		Severity:                    r.Severity,
		Status:                      r.Status,
		Success:                     r.Success,
		Line:                        r.Line,
		Expected:                    r.Expected,
		Message:                     r.Message,
		ElementCount:                r.ElementCount,
		MissingCount:                r.MissingCount,
		MissingPercent:              jsonFloat(r.MissingPercent),
		UnexpectedCount:             r.UnexpectedCount,
		UnexpectedPercent:           jsonFloat(r.UnexpectedPercent),
		UnexpectedPercentTotal:      jsonFloat(r.UnexpectedPercentTotal),
		UnexpectedPercentNonmissing: jsonFloat(r.UnexpectedPercentNonmissing),
		ObservedValue:               jsonValue{r.ObservedValue},
		Samples:                     r.Samples,
		Duplicates:                  r.Duplicates,
		FailingGroups:               r.FailingGroups,
	}
	if r.PartialUnexpectedList != nil {
		j.PartialUnexpectedList = make([]jsonValue, len(r.PartialUnexpectedList))
		for i, v := range r.PartialUnexpectedList {
			j.PartialUnexpectedList[i] = jsonValue{v}
		}
	}
	for _, g := range r.Groups {
		if g != nil {
			j.Groups = append(j.Groups, toJSONGroup(g))
		}
	}
	return j
}

func fromJSONResult(j *jsonResult) *Result {
	r := &Result{
		Name:                        j.Name,
		Kind:                        j.Kind,
		Column:                      j.Column,
		Columns:                     j.Columns,
		Severity:                    j.Severity,
		Status:                      j.Status,
		Success:                     j.Success,
		Line:                        j.Line,
		Expected:                    j.Expected,
		Message:                     j.Message,
		ElementCount:                j.ElementCount,
		MissingCount:                j.MissingCount,
		MissingPercent:              float64(j.MissingPercent),
		UnexpectedCount:             j.UnexpectedCount,
		UnexpectedPercent:           float64(j.UnexpectedPercent),
		UnexpectedPercentTotal:      float64(j.UnexpectedPercentTotal),
		UnexpectedPercentNonmissing: float64(j.UnexpectedPercentNonmissing),
		ObservedValue:               j.ObservedValue.v,
		Samples:                     j.Samples,
		Duplicates:                  j.Duplicates,
		FailingGroups:               j.FailingGroups,
	}
	if j.PartialUnexpectedList != nil {
		r.PartialUnexpectedList = make([]any, len(j.PartialUnexpectedList))
		for i, v := range j.PartialUnexpectedList {
			r.PartialUnexpectedList[i] = v.v
		}
	}
	for _, g := range j.Groups {
		if g != nil {
			r.Groups = append(r.Groups, fromJSONGroup(g))
		}
	}
	return r
}

func toJSONGroup(g *GroupResult) *jsonGroup {
	return &jsonGroup{
		Group:                       g.Group,
		Success:                     g.Success,
		ElementCount:                g.ElementCount,
		MissingCount:                g.MissingCount,
		UnexpectedCount:             g.UnexpectedCount,
		UnexpectedPercent:           jsonFloat(g.UnexpectedPercent),
		UnexpectedPercentTotal:      jsonFloat(g.UnexpectedPercentTotal),
		UnexpectedPercentNonmissing: jsonFloat(g.UnexpectedPercentNonmissing),
		ObservedValue:               jsonValue{g.ObservedValue},
		Samples:                     g.Samples,
	}
}

func fromJSONGroup(j *jsonGroup) *GroupResult {
	return &GroupResult{
		Group:                       j.Group,
		Success:                     j.Success,
		ElementCount:                j.ElementCount,
		MissingCount:                j.MissingCount,
		UnexpectedCount:             j.UnexpectedCount,
		UnexpectedPercent:           float64(j.UnexpectedPercent),
		UnexpectedPercentTotal:      float64(j.UnexpectedPercentTotal),
		UnexpectedPercentNonmissing: float64(j.UnexpectedPercentNonmissing),
		ObservedValue:               j.ObservedValue.v,
		Samples:                     j.Samples,
	}
}

// The strings that stand for the floats JSON has no numbers for.
const (
	jsonNaN    = "NaN"
	jsonPosInf = "Infinity"
	jsonNegInf = "-Infinity"
)

// jsonFloat is a float64 that encodes NaN and the infinities as strings.
type jsonFloat float64

func (f jsonFloat) MarshalJSON() ([]byte, error) {
	return appendFloat(nil, float64(f)), nil
}

func (f *jsonFloat) UnmarshalJSON(data []byte) error {
	if len(data) > 0 && data[0] == '"' {
		var s string
		if err := json.Unmarshal(data, &s); err != nil {
			return err
		}
		x, ok := nonFinite(s)
		if !ok {
			return fmt.Errorf("checks: %q is not a number", s)
		}
		*f = jsonFloat(x)
		return nil
	}
	var x float64
	if err := json.Unmarshal(data, &x); err != nil {
		return err
	}
	*f = jsonFloat(x)
	return nil
}

// appendFloat appends x as encoding/json writes a float64, or as one of
// the strings for non-finite values.
func appendFloat(b []byte, x float64) []byte {
	switch {
	case math.IsNaN(x):
		return append(b, `"`+jsonNaN+`"`...)
	case math.IsInf(x, 1):
		return append(b, `"`+jsonPosInf+`"`...)
	case math.IsInf(x, -1):
		return append(b, `"`+jsonNegInf+`"`...)
	}
	enc, _ := json.Marshal(x) // finite: cannot fail
	return append(b, enc...)
}

func nonFinite(s string) (float64, bool) {
	switch s {
	case jsonNaN:
		return math.NaN(), true
	case jsonPosInf:
		return math.Inf(1), true
	case jsonNegInf:
		return math.Inf(-1), true
	}
	return 0, false
}

// jsonValue is a free-form value (an observed value, an unexpected value)
// that always encodes: non-finite floats at any depth become strings, and
// a value JSON cannot hold at all (a channel, a complex number, a type
// whose own encoding fails) is written as its fmt.Sprint text.
type jsonValue struct{ v any }

func (j jsonValue) MarshalJSON() ([]byte, error) {
	b, err := marshalPlain(safeValue(reflect.ValueOf(j.v), 0))
	if err != nil {
		return marshalPlain(fmt.Sprint(j.v))
	}
	return b, nil
}

func (j *jsonValue) UnmarshalJSON(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return err
	}
	j.v = readValue(v)
	return nil
}

// maxValueDepth bounds how deep safeValue follows nested values (and so
// stops at cycles).
const maxValueDepth = 32

var (
	marshalerType     = reflect.TypeFor[json.Marshaler]()
	textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()
)

// safeValue returns a value encoding/json can encode that encodes as v
// would, except that non-finite floats become strings.
func safeValue(v reflect.Value, depth int) any {
	if !v.IsValid() {
		return nil
	}
	if depth > maxValueDepth {
		return fmt.Sprint(v.Interface())
	}
	t := v.Type()
	if t.Implements(marshalerType) || t.Implements(textMarshalerType) {
		if t.Kind() == reflect.Pointer && v.IsNil() {
			return nil
		}
		if _, err := json.Marshal(v.Interface()); err == nil {
			return v.Interface()
		}
		// Its own encoding fails (on NaN, say): fall through to its kind.
	}
	switch v.Kind() {
	case reflect.Float32, reflect.Float64:
		x := v.Float()
		if s, ok := nonFiniteText(x); ok {
			return s
		}
		if v.Kind() == reflect.Float32 {
			return float32(x)
		}
		return x
	case reflect.Bool:
		return v.Bool()
	case reflect.String:
		return v.String()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return v.Uint()
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return safeValue(v.Elem(), depth+1)
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.IsNil() {
			return nil
		}
		if t.Elem().Kind() == reflect.Uint8 {
			return v.Interface() // bytes: base64, as encoding/json writes them
		}
		out := make([]any, v.Len())
		for i := range out {
			out[i] = safeValue(v.Index(i), depth+1)
		}
		return out
	case reflect.Map:
		if v.IsNil() {
			return nil
		}
		out := make(map[string]any, v.Len())
		for it := v.MapRange(); it.Next(); {
			out[mapKey(it.Key())] = safeValue(it.Value(), depth+1)
		}
		return out
	case reflect.Struct:
		if _, err := json.Marshal(v.Interface()); err == nil {
			return v.Interface()
		}
	}
	return fmt.Sprint(v.Interface())
}

func nonFiniteText(x float64) (string, bool) {
	switch {
	case math.IsNaN(x):
		return jsonNaN, true
	case math.IsInf(x, 1):
		return jsonPosInf, true
	case math.IsInf(x, -1):
		return jsonNegInf, true
	}
	return "", false
}

// mapKey is the JSON key encoding/json would write for a map key.
func mapKey(k reflect.Value) string {
	if k.Kind() == reflect.String {
		return k.String()
	}
	if tm, ok := k.Interface().(encoding.TextMarshaler); ok {
		if b, err := tm.MarshalText(); err == nil {
			return string(b)
		}
	}
	return fmt.Sprint(k.Interface())
}

// readValue turns a decoded JSON value (numbers as json.Number) into the
// values a run holds: whole numbers become int64, other numbers float64,
// the strings for non-finite floats become those floats.
func readValue(v any) any {
	switch v := v.(type) {
	case json.Number:
		if i, err := strconv.ParseInt(string(v), 10, 64); err == nil {
			return i
		}
		f, err := strconv.ParseFloat(string(v), 64)
		if err != nil {
			return string(v) // out of float64 range: keep the text
		}
		return f
	case string:
		if x, ok := nonFinite(v); ok {
			return x
		}
		return v
	case []any:
		for i := range v {
			v[i] = readValue(v[i])
		}
		return v
	case map[string]any:
		for k := range v {
			v[k] = readValue(v[k])
		}
		return v
	}
	return v
}
