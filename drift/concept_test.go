package drift

import (
	"math"
	"strconv"
	"testing"
	"time"
)

// conceptData writes a reference where y = [x > 0.5] (5% noise) and the
// model predicts exactly that, and a current side where, from row
// changeAt on, the relation flips for segment "c": the model's errors
// rise there. Rows carry a timestamp, a minute apart, written newest
// first so that only --time puts them in order.
func conceptData(t *testing.T, n, changeAt int) (ref, cur string) {
	dir := t.TempDir()
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	header := []string{"at", "x", "seg", "y", "pred"}
	side := func(name string, seed rng, flip bool) string {
		r := seed
		rows := make([][]string, n)
		for i := range n {
			x := r.float()
			seg := []string{"a", "b", "c"}[r.next()%3]
			y := x > 0.5
			if r.float() < 0.05 {
				y = !y
			}
			if flip && i >= changeAt && seg == "c" {
				y = !y
			}
			rows[n-1-i] = []string{start.Add(time.Duration(i) * time.Minute).Format(time.RFC3339),
				strconv.FormatFloat(x, 'g', -1, 64), seg, b01(y), b01(x > 0.5)}
		}
		return writeCSV(t, dir, name, header, n, func(i int) []string { return rows[i] })
	}
	return side("ref.csv", 11, false), side("cur.csv", 12, true)
}

func b01(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

func TestConceptDrift(t *testing.T) {
	const n, changeAt = 6000, 3000
	ref, cur := conceptData(t, n, changeAt)
	rep := compare(t, nil, ref, cur, Options{Columns: []string{"x", "seg"}, Target: "y", Prediction: "pred", Time: "at"})
	c := rep.Concept
	if c == nil || c.Performance == nil {
		t.Fatal("no concept drift result")
	}
	if acc := float64(c.Performance.Ref["accuracy"]); math.Abs(acc-0.95) > 0.015 {
		t.Errorf("reference accuracy %v, want about 0.95", acc)
	}
	// Current: 5% noise before the change; after it a third of the rows
	// are flipped: accuracy about (0.95 + 0.95·2/3 + 0.05/3) / 2 ≈ 0.8.
	if acc := float64(c.Performance.Cur["accuracy"]); math.Abs(acc-0.8) > 0.02 {
		t.Errorf("current accuracy %v, want about 0.8", acc)
	}
	if !c.Performance.Drifted {
		t.Error("performance drop not reported as drift")
	}
	if c.TargetDrift == nil || c.PredDrift == nil {
		t.Fatal("no target or prediction drift")
	}
	if c.PredDrift.Drifted {
		t.Error("prediction drifted, though predictions follow the same rule on both sides")
	}
	found := false
	for _, cd := range c.Conditional {
		if cd.Feature == "seg" && cd.Bin == "c" {
			found = true
		}
		if cd.Feature == "seg" && cd.Bin != "c" {
			t.Errorf("P(y | seg=%s) reported as moved: %v -> %v", cd.Bin, cd.RefRate, cd.CurRate)
		}
	}
	// P(y | seg = c) itself stays near 0.5 (x is uniform); the change
	// shows within the bins of x, where y's rate moves for every bin.
	if found {
		t.Error("P(y | seg=c) moved, though flipping a uniform relation keeps its rate")
	}
	xs := 0
	for _, cd := range c.Conditional {
		if cd.Feature == "x" {
			xs++
		}
	}
	if xs < 10 {
		t.Errorf("%d bins of x with a moved target rate, want most of the 20", xs)
	}
	if len(c.Detectors) != 4 {
		t.Fatalf("%d detectors, want DDM, EDDM, ADWIN and Page-Hinkley", len(c.Detectors))
	}
	for _, d := range c.Detectors {
		// Rows are stored newest first: row r holds minute n-1-r. Events
		// are in time order.
		var alarm *Event
		for i, e := range d.Events {
			if minute := n - 1 - e.Row; e.Kind == "drift" && minute >= changeAt {
				alarm = &d.Events[i]
				break
			}
		}
		if alarm == nil {
			t.Errorf("%s: no alarm after the change (events %v)", d.Name, d.Events)
			continue
		}
		minute := n - 1 - alarm.Row
		if d.Name != "eddm" && minute > changeAt+1000 {
			t.Errorf("%s: first alarm after the change at minute %d, want within 1,000 rows of %d", d.Name, minute, changeAt)
		}
		want := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(minute) * time.Minute).Format(time.RFC3339)
		if alarm.Time != want {
			t.Errorf("%s: alarm time %q, want %q", d.Name, alarm.Time, want)
		}
		if len(d.Series) != n || len(d.X) != n || !d.XTime {
			t.Errorf("%s: chart series of %d points at %d x (time %v), want %d", d.Name, len(d.Series), len(d.X), d.XTime, n)
		}
	}
}

func TestRegressionPerformance(t *testing.T) {
	dir := t.TempDir()
	header := []string{"x", "y", "pred"}
	mk := func(name string, noise float64) string {
		r := rng(5)
		return writeCSV(t, dir, name, header, 2000, func(i int) []string {
			x := r.float() * 10
			y := 3*x + 1
			return []string{strconv.FormatFloat(x, 'g', -1, 64), strconv.FormatFloat(y, 'g', -1, 64),
				strconv.FormatFloat(y+noise*r.normal(), 'g', -1, 64)}
		})
	}
	rep := compare(t, nil, mk("r.csv", 1), mk("c.csv", 2), Options{Target: "y", Prediction: "pred"})
	p := rep.Concept.Performance
	if p == nil || p.Task != "regression" {
		t.Fatalf("performance %+v, want regression", p)
	}
	if r, c := float64(p.Ref["rmse"]), float64(p.Cur["rmse"]); math.Abs(r-1) > 0.05 || math.Abs(c-2) > 0.1 {
		t.Errorf("rmse %v -> %v, want about 1 -> 2", r, c)
	}
	if !p.Drifted {
		t.Error("doubled RMSE not reported as drift")
	}
	for _, d := range rep.Concept.Detectors {
		if d.Name == "ddm" || d.Name == "eddm" {
			t.Errorf("%s ran on a numeric error stream; it needs 0/1 errors", d.Name)
		}
	}
}

func TestLogErfc(t *testing.T) {
	// ln erfc(x) from mpmath (mp.dps = 50): mp.log(mp.erfc(x)).
	for _, tt := range []struct{ x, want float64 }{
		{1, -1.8496055099332482},
		{10, -102.87988902484489},
		{24.9, -623.79803756557437},
		{25.1, -633.80602485873522},
		{100, -10005.177585122664},
	} {
		if got := logErfc(tt.x); !relClose(got, tt.want, 1e-9) {
			t.Errorf("logErfc(%v) = %.17g, want %.17g", tt.x, got, tt.want)
		}
	}
}

// TestErrorColumn: the detectors run over a column of errors, in time
// order, without a target or prediction.
func TestErrorColumn(t *testing.T) {
	dir := t.TempDir()
	const n, changeAt = 3000, 2000
	r := rng(9)
	cur := writeCSV(t, dir, "cur.csv", []string{"step", "err", "x"}, n, func(i int) []string {
		rate := 0.05
		if i >= changeAt {
			rate = 0.4
		}
		return []string{strconv.Itoa(i), b01(r.float() < rate), strconv.Itoa(i % 10)}
	})
	rep := compare(t, nil, cur, cur, Options{Error: "err", Time: "step"})
	if len(rep.Columns) != 1 || rep.Columns[0].Column != "x" {
		t.Errorf("compared %d columns, want x alone (not the error or time column)", len(rep.Columns))
	}
	c := rep.Concept
	if c == nil || len(c.Detectors) != 4 || c.Error != "err" {
		t.Fatalf("concept %+v, want four detectors over err", c)
	}
	for _, d := range c.Detectors {
		hit := false
		for _, e := range d.Events {
			if e.Kind == "drift" && e.Row >= changeAt && e.Row < changeAt+300 {
				hit = true
			}
		}
		if !hit {
			t.Errorf("%s: no alarm within 300 rows of the change at row %d: %v", d.Name, changeAt, d.Events)
		}
	}
	// A text error column cannot be a stream: said, not ignored.
	txt := writeCSV(t, dir, "txt.csv", []string{"err", "x"}, 100, func(i int) []string { return []string{"e" + strconv.Itoa(i%2), "1"} })
	rep = compare(t, nil, txt, txt, Options{Error: "err"})
	if rep.Concept == nil || len(rep.Concept.Detectors) != 0 || len(rep.Concept.Notes) != 1 {
		t.Errorf("text error column: %+v", rep.Concept)
	}
}
