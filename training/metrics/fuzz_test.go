package metrics

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
)

// FuzzClassify feeds Classify, ClassifyByGroup and ROCCurve arbitrary codes and
// probabilities, NaN and out-of-range values included. They must never
// panic; they must reject NaN with an error naming its row; and what
// they accept must give metrics in range and valid JSON.
func FuzzClassify(f *testing.F) {
	f.Add([]byte{0, 0x80, 0, 1, 0xff, 0x10}, uint8(2), false)
	f.Add([]byte{1, 1, 1, 1, 1, 1, 1, 1, 1}, uint8(3), true)
	f.Add([]byte{2, 0xff, 0xf8, 0, 0, 0, 0}, uint8(2), false) // NaN
	f.Add([]byte{}, uint8(2), false)
	f.Fuzz(func(t *testing.T, data []byte, kb uint8, normalise bool) {
		k := 1 + int(kb)%6
		y, prob, hasNaN := decodeClassification(data, k, normalise)
		classes := classNames(k)
		c, err := Classify(y, prob, classes)
		groups := []Group{{Column: "g", Codes: make([]int32, len(y)), Levels: []string{"b", "a"}}}
		for i := range y {
			groups[0].Codes[i] = int32(i%3) - 1
		}
		gs, gerr := ClassifyByGroup(y, prob, classes, groups)
		if (err == nil) != (gerr == nil) {
			t.Fatalf("Classify error %v, ClassifyByGroup error %v", err, gerr)
		}
		codesOK := true
		for _, c := range y {
			codesOK = codesOK && c >= 0 && int(c) < k
		}
		if hasNaN && k >= 2 && codesOK { // NaN is the only fault
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "is NaN") {
				t.Fatalf("NaN probability: error %v, want ErrInvalid naming the row", err)
			}
		}
		if err != nil {
			if !errors.Is(err, ErrInvalid) && !errors.Is(err, ErrEmpty) {
				t.Fatalf("error %v wraps neither ErrInvalid nor ErrEmpty", err)
			}
			return
		}
		checkInvariants(t, &c)
		for class := range int32(k) {
			curve, err := ROCCurve(y, prob, k, class)
			if err != nil && !errors.Is(err, ErrUndefined) {
				t.Fatalf("ROCCurve(class %d): %v", class, err)
			}
			if n := len(curve.FPR); n < 2 || len(curve.TPR) != n || len(curve.Thresholds) != n {
				t.Fatalf("ROCCurve(class %d) has %d, %d, %d points", class, n, len(curve.TPR), len(curve.Thresholds))
			}
			if _, err := json.Marshal(curve); err != nil {
				t.Fatal(err)
			}
		}
		for i := range gs {
			checkInvariants(t, gs[i].Classification)
		}
		if _, err := json.Marshal(gs); err != nil {
			t.Fatal(err)
		}
	})
}

// decodeClassification reads rows of one code byte and k probability
// bytes pairs; a pair of 0xffff is NaN, 0xfffe +Inf, 0xfffd -0.5, others
// are v/0xfffc.
func decodeClassification(data []byte, k int, normalise bool) (y []int32, prob []float64, hasNaN bool) {
	row := 1 + 2*k
	for len(data) >= row {
		y = append(y, int32(data[0]%uint8(k+1))-int32(data[0]>>7)) // some codes out of range
		start := len(prob)
		for j := range k {
			v := binary.LittleEndian.Uint16(data[1+2*j:])
			var p float64
			switch v {
			case 0xffff:
				p, hasNaN = math.NaN(), true
			case 0xfffe:
				p = math.Inf(1)
			case 0xfffd:
				p = -0.5
			default:
				p = float64(v) / 0xfffc
			}
			prob = append(prob, p)
		}
		if normalise {
			sum := 0.0
			for _, p := range prob[start:] {
				sum += p
			}
			for j := range prob[start:] {
				prob[start+j] /= sum
			}
		}
		data = data[row:]
	}
	return y, prob, hasNaN
}

// checkInvariants checks what holds for any valid input.
func checkInvariants(t *testing.T, c *Classification) {
	t.Helper()
	in01 := func(x float64) bool { return x >= 0 && x <= 1 }
	for name, v := range map[string]float64{"accuracy": c.Accuracy, "precision": c.Precision, "recall": c.Recall, "f1": c.F1} {
		if !in01(v) {
			t.Fatalf("%s = %v, outside [0, 1]", name, v)
		}
	}
	for name, v := range map[string]float64{"roc_auc": c.ROCAUC, "pr_auc": c.PRAUC} {
		undefined := false
		for _, u := range c.Undefined {
			undefined = undefined || strings.HasPrefix(u, name+": ")
		}
		if math.IsNaN(v) != undefined || !math.IsNaN(v) && !in01(v) {
			t.Fatalf("%s = %v with Undefined %q", name, v, c.Undefined)
		}
	}
	if !(c.LogLoss >= 0) || math.IsInf(c.LogLoss, 0) {
		t.Fatalf("log_loss = %v", c.LogLoss)
	}
	if got := c.Confusion.Total(); got != int64(c.N) {
		t.Fatalf("confusion counts %d rows of %d", got, c.N)
	}
	data, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	var back Classification
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatalf("%s: %v", data, err)
	}
}

// FuzzRegress feeds Regress and RegressByGroup arbitrary float64 bit
// patterns. They must never panic, must reject exactly the inputs with
// a NaN or an infinity, and must marshal what they return.
func FuzzRegress(f *testing.F) {
	le := binary.LittleEndian
	seed := func(xs ...float64) []byte {
		var b []byte
		for _, x := range xs {
			b = le.AppendUint64(b, math.Float64bits(x))
		}
		return b
	}
	f.Add(seed(1, 2, 3, 4))
	f.Add(seed(1, 1, 1, 1.5))
	f.Add(seed(math.NaN(), 0))
	f.Add(seed(math.MaxFloat64, -math.MaxFloat64, -math.MaxFloat64, math.MaxFloat64))
	f.Add([]byte{1})
	f.Fuzz(func(t *testing.T, data []byte) {
		var y, pred []float64
		finite := true
		for ; len(data) >= 16; data = data[16:] {
			a, b := math.Float64frombits(le.Uint64(data)), math.Float64frombits(le.Uint64(data[8:]))
			y, pred = append(y, a), append(pred, b)
			for _, v := range []float64{a, b} {
				finite = finite && !math.IsNaN(v) && !math.IsInf(v, 0)
			}
		}
		r, err := Regress(y, pred)
		groups := []Group{{Column: "g", Codes: make([]int32, len(y)), Levels: []string{"x"}}}
		gs, gerr := RegressByGroup(y, pred, groups)
		switch {
		case len(y) == 0:
			if !errors.Is(err, ErrEmpty) || !errors.Is(gerr, ErrEmpty) {
				t.Fatalf("no rows: errors %v, %v", err, gerr)
			}
			return
		case !finite:
			if !errors.Is(err, ErrInvalid) || !errors.Is(gerr, ErrInvalid) {
				t.Fatalf("non-finite input: errors %v, %v", err, gerr)
			}
			return
		case err != nil || gerr != nil:
			t.Fatalf("finite input: errors %v, %v", err, gerr)
		}
		if !(r.MAE >= 0) || !(r.RMSE >= 0) {
			t.Fatalf("rmse %v, mae %v", r.RMSE, r.MAE)
		}
		if math.IsNaN(r.R2) && len(y) >= 2 && !math.IsInf(r.RMSE, 0) && !math.IsInf(r.MAE, 0) {
			// NaN only from overflow (Inf/Inf); otherwise R² is a number.
			t.Fatalf("R² NaN for %d finite rows with rmse %v", len(y), r.RMSE)
		}
		if len(gs) != 1 || gs[0].Regression.N != len(y) {
			t.Fatalf("groups %+v", gs)
		}
		if _, err := json.Marshal(gs); err != nil {
			t.Fatal(err)
		}
	})
}
