package review

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestAppendAndResume appends decisions, closes the log, opens it again
// and finds them, completed from the queue.
func TestAppendAndResume(t *testing.T) {
	q := testQueue()
	l, path := openTestLog(t, q)
	for _, d := range []Decision{
		{Item: "row:2", Action: Relabel, Label: "maybe", Reviewer: "ana", Reason: "see notes"},
		{Item: "row:1", Action: Accept, Reviewer: "ana"},
		{Item: "group:5", Action: Skip, Reviewer: "bo"},
	} {
		if err := l.Append(d); err != nil {
			t.Fatalf("append %s: %v", d.Item, err)
		}
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	l2, err := OpenLog(path, q)
	if err != nil {
		t.Fatal(err)
	}
	defer l2.Close()
	if w := l2.Warnings(); len(w) > 0 {
		t.Errorf("warnings %q, want none", w)
	}
	at := func(s int) time.Time { return time.Date(2026, 3, 1, 10, 0, s, 0, time.UTC) }
	want := []Decision{
		{Item: "row:2", Rows: []int{2}, Action: Relabel, Label: "maybe", Previous: "yes", Reviewer: "ana", Time: at(1), Reason: "see notes"},
		{Item: "row:1", Rows: []int{1}, Action: Accept, Label: "yes", Previous: "no", Reviewer: "ana", Time: at(2)},
		{Item: "group:5", Rows: []int{5, 6, 7}, Action: Skip, Previous: "yes", Reviewer: "bo", Time: at(3)},
	}
	for i := range want {
		want[i].Dataset, want[i].Version, want[i].LabelColumn = "churn@v3", 3, "churned"
	}
	if got := l2.Decisions(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("reopened log holds\n%v\nwant\n%v", got, want)
	}
	got, err := ReadDecisions(path)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("ReadDecisions = \n%v\nwant\n%v", got, want)
	}
	if d, ok := l2.Latest("row:1"); !ok || d.Action != Accept {
		t.Errorf("Latest(row:1) = %v, %v; want the accept", d, ok)
	}
	if _, ok := l2.Latest("row:3"); ok {
		t.Error("Latest(row:3) found a decision; want none")
	}
	// One line per decision, each with the format version.
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("the log has %d lines, want 3:\n%s", len(lines), data)
	}
	if wantLine := `{"format":1,"item":"row:2","rows":[2],"action":"relabel","label":"maybe","previous":"yes","reviewer":"ana","time":"2026-03-01T10:00:01Z","reason":"see notes","dataset":"churn@v3","version":3,"label_column":"churned"}`; lines[0] != wantLine {
		t.Errorf("first line\n%s\nwant\n%s", lines[0], wantLine)
	}
}

// TestLastWins changes a decision: the log keeps both, the later one is
// effective.
func TestLastWins(t *testing.T) {
	q := testQueue()
	l, path := openTestLog(t, q)
	for _, d := range []Decision{
		{Item: "row:2", Action: Relabel, Label: "maybe", Reviewer: "ana"},
		{Item: "row:1", Action: Skip, Reviewer: "ana"},
		{Item: "row:2", Action: Accept, Reviewer: "bo"},
	} {
		if err := l.Append(d); err != nil {
			t.Fatal(err)
		}
	}
	if d, _ := l.Latest("row:2"); d.Action != Accept || d.Reviewer != "bo" {
		t.Errorf("Latest(row:2) = %v, want bo's accept", d)
	}
	l.Close()
	l2, err := OpenLog(path, q)
	if err != nil {
		t.Fatal(err)
	}
	defer l2.Close()
	if n := len(l2.Decisions()); n != 3 {
		t.Errorf("the log holds %d decisions, want all 3", n)
	}
	var items []string
	for _, d := range l2.Effective() {
		items = append(items, d.Item+"="+d.Action)
	}
	if want := []string{"row:1=skip", "row:2=accept"}; !slices.Equal(items, want) {
		t.Errorf("effective decisions %v, want %v", items, want)
	}
}

func TestEffective(t *testing.T) {
	d := func(item, action string) Decision { return Decision{Item: item, Action: action} }
	tests := []struct {
		name string
		in   []Decision
		want string
	}{
		{"none", nil, "[]"},
		{"one each", []Decision{d("a", Skip), d("b", Accept)}, "[a:skip b:accept]"},
		{"changed", []Decision{d("a", Skip), d("b", Accept), d("a", Relabel)}, "[b:accept a:relabel]"},
		{"changed back", []Decision{d("a", Skip), d("a", Accept), d("a", Skip)}, "[a:skip]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, d := range Effective(tt.in) {
				got = append(got, d.Item+":"+d.Action)
			}
			if s := "[" + strings.Join(got, " ") + "]"; s != tt.want {
				t.Errorf("got %s, want %s", s, tt.want)
			}
		})
	}
}

// TestTornLastLine opens a log whose last line a crash cut short: the line
// is ignored and cut off, a warning says so, and appending goes on.
func TestTornLastLine(t *testing.T) {
	for _, torn := range []string{`{"format":1,"item":"row:3","act`, "\x00\x00\x00\x00", `{"format":1}`} {
		t.Run(fmt.Sprintf("%.12q", torn), func(t *testing.T) {
			q := testQueue()
			l, path := openTestLog(t, q)
			l.Append(Decision{Item: "row:2", Action: Accept, Reviewer: "ana"})
			l.Append(Decision{Item: "row:1", Action: Skip, Reviewer: "ana"})
			l.Close()
			f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
			if err != nil {
				t.Fatal(err)
			}
			f.WriteString(torn)
			f.Close()

			ds, err := ReadDecisions(path)
			if err != nil || len(ds) != 2 {
				t.Fatalf("ReadDecisions = %d decisions, %v; want 2, no error", len(ds), err)
			}
			l2, err := OpenLog(path, q)
			if err != nil {
				t.Fatal(err)
			}
			defer l2.Close()
			l2.now = clock()
			w := l2.Warnings()
			if len(w) != 1 || !strings.Contains(w[0], path+":3:") || !strings.Contains(w[0], "torn last line") {
				t.Errorf("warnings %q, want one about the torn line 3", w)
			}
			if n := len(l2.Decisions()); n != 2 {
				t.Errorf("%d decisions, want 2", n)
			}
			if err := l2.Append(Decision{Item: "row:3", Action: Relabel, Label: "no", Reviewer: "ana"}); err != nil {
				t.Fatal(err)
			}
			ds, err = ReadDecisions(path)
			if err != nil {
				t.Fatalf("after the append: %v", err)
			}
			if len(ds) != 3 || ds[2].Item != "row:3" {
				t.Errorf("after the append the log holds %v, want 3 decisions ending with row:3", ds)
			}
		})
	}
}

// TestCorruptLine rejects a log with a bad line that is not a torn last
// line, naming the file and line.
func TestCorruptLine(t *testing.T) {
	good := `{"format":1,"item":"row:2","rows":[2],"action":"accept","label":"no","previous":"yes","reviewer":"ana","time":"2026-03-01T10:00:01Z","dataset":"churn@v3","version":3,"label_column":"churned"}`
	tests := []struct {
		name string
		bad  string
		col  int
		msg  string
	}{
		{"not json", `{"format":1,"item":}`, 20, "invalid character"},
		{"zeros", "\x00\x00\x00", 1, "invalid character"},
		{"wrong type", `{"format":1,"item":"row:2","rows":"2"}`, 0, "cannot unmarshal"},
		{"no format", `{"item":"row:2","action":"skip"}`, 0, "no format version"},
		{"newer format", `{"format":2,"item":"row:2","action":"skip"}`, 0, "format version 2 is not supported"},
		{"no item", `{"format":1,"action":"skip"}`, 0, "names no item"},
		{"unknown action", `{"format":1,"item":"row:2","action":"delete"}`, 0, `unknown action "delete"`},
		{"relabel without label", `{"format":1,"item":"row:2","action":"relabel"}`, 0, "has no label"},
	}
	for _, tt := range tests {
		for _, where := range []string{"middle", "last"} {
			t.Run(tt.name+"/"+where, func(t *testing.T) {
				path := filepath.Join(t.TempDir(), "decisions.jsonl")
				lines := []string{good, tt.bad, good}
				if where == "last" {
					lines = lines[:2]
				}
				os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644)
				_, err := OpenLog(path, testQueue())
				if !errors.Is(err, ErrCorrupt) {
					t.Fatalf("OpenLog: %v, want ErrCorrupt", err)
				}
				var le *LineError
				if !errors.As(err, &le) || le.Path != path || le.Line != 2 {
					t.Fatalf("OpenLog: %v, want a *LineError at %s:2", err, path)
				}
				if tt.col > 0 && le.Col != tt.col {
					t.Errorf("column %d, want %d", le.Col, tt.col)
				}
				if !strings.Contains(err.Error(), path+":2") || !strings.Contains(err.Error(), tt.msg) {
					t.Errorf("error %q, want %s:2 and %q", err, path, tt.msg)
				}
				if _, err := ReadDecisions(path); !errors.Is(err, ErrCorrupt) {
					t.Errorf("ReadDecisions: %v, want ErrCorrupt", err)
				}
			})
		}
	}
}

// TestMismatch refuses a log written for another dataset version or label
// column, naming both.
func TestMismatch(t *testing.T) {
	tests := []struct {
		name   string
		change func(q *Queue)
		want   []string
	}{
		{"version", func(q *Queue) { q.Dataset, q.Version = "churn@v4", 4 }, []string{"churn@v3 (version 3", "churn@v4 (version 4"}},
		{"label column", func(q *Queue) { q.Label = "churn_flag" }, []string{`label column "churned"`, `label column "churn_flag"`}},
		{"dataset", func(q *Queue) { q.Dataset = "leads@v3" }, []string{"churn@v3", "leads@v3"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, path := openTestLog(t, testQueue())
			if err := l.Append(Decision{Item: "row:2", Action: Skip, Reviewer: "ana"}); err != nil {
				t.Fatal(err)
			}
			l.Close()
			q := testQueue()
			tt.change(q)
			_, err := OpenLog(path, q)
			if !errors.Is(err, ErrMismatch) {
				t.Fatalf("OpenLog: %v, want ErrMismatch", err)
			}
			for _, w := range append(tt.want, path+":1") {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

// TestInvalidDecisions rejects decisions the queue does not allow, and
// writes nothing.
func TestInvalidDecisions(t *testing.T) {
	tests := []struct {
		name string
		d    Decision
		err  error
		msg  string
	}{
		{"unknown item", Decision{Item: "row:99", Action: Skip}, ErrInvalid, "no such item"},
		{"no item", Decision{Action: Skip}, ErrInvalid, "no such item"},
		{"unknown action", Decision{Item: "row:2", Action: "delete"}, ErrInvalid, `unknown action "delete"`},
		{"no action", Decision{Item: "row:2"}, ErrInvalid, "unknown action"},
		{"relabel to no class", Decision{Item: "row:2", Action: Relabel, Label: "perhaps"}, ErrInvalid, `"perhaps", which is not one of its classes ("no", "yes", "maybe")`},
		{"relabel without label", Decision{Item: "row:2", Action: Relabel}, ErrInvalid, "not one of its classes"},
		{"accept another label", Decision{Item: "row:2", Action: Accept, Label: "maybe"}, ErrInvalid, `the suggestion is "no"`},
		{"accept without suggestion", Decision{Item: "row:4", Action: Accept}, ErrInvalid, "no suggestion"},
		{"skip with label", Decision{Item: "row:2", Action: Skip, Label: "no"}, ErrInvalid, "takes no label"},
		{"other rows", Decision{Item: "row:2", Action: Skip, Rows: []int{3}}, ErrInvalid, "rows [3]"},
		{"other previous", Decision{Item: "row:2", Action: Skip, Previous: "no"}, ErrInvalid, `given label is "yes"`},
		{"other version", Decision{Item: "row:2", Action: Skip, Version: 2}, ErrMismatch, "version 2"},
		{"other column", Decision{Item: "row:2", Action: Skip, LabelColumn: "x"}, ErrMismatch, `label column "x"`},
		{"no reviewer", Decision{Item: "row:2", Action: Skip, Reviewer: "-"}, ErrInvalid, "no reviewer"},
		{"long reason", Decision{Item: "row:2", Action: Skip, Reason: strings.Repeat("x", maxReason+1)}, ErrInvalid, "reason is"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, path := openTestLog(t, testQueue())
			d := tt.d
			switch d.Reviewer {
			case "":
				d.Reviewer = "ana"
			case "-":
				d.Reviewer = ""
			}
			err := l.Append(d)
			if !errors.Is(err, tt.err) {
				t.Fatalf("Append: %v, want %v", err, tt.err)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error %q lacks %q", err, tt.msg)
			}
			if n := len(l.Decisions()); n != 0 {
				t.Errorf("%d decisions recorded, want none", n)
			}
			if fi, err := os.Stat(path); err != nil || fi.Size() != 0 {
				t.Errorf("the log file is %d bytes (%v), want empty", fi.Size(), err)
			}
		})
	}
}

// TestConcurrentAppends appends from two goroutines at once: the appends
// are serialized, every decision lands on a line of its own, and each
// goroutine's decisions stay in the order it made them.
func TestConcurrentAppends(t *testing.T) {
	q := testQueue()
	l, path := openTestLog(t, q)
	const n = 100
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for g, reviewer := range []string{"ana", "bo"} {
		wg.Go(func() {
			for i := range n {
				d := Decision{Item: q.Items[i%len(q.Items)].ID, Action: Skip, Reviewer: reviewer, Reason: fmt.Sprint(i)}
				if err := l.Append(d); err != nil {
					errs[g] = err
					return
				}
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	ds, err := ReadDecisions(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 2*n {
		t.Fatalf("the log holds %d decisions, want %d", len(ds), 2*n)
	}
	next := map[string]int{}
	for _, d := range ds {
		if want := fmt.Sprint(next[d.Reviewer]); d.Reason != want {
			t.Fatalf("%s's decision %q came when %q was due", d.Reviewer, d.Reason, want)
		}
		next[d.Reviewer]++
	}
	if fmt.Sprint(ds) != fmt.Sprint(l.Decisions()) {
		t.Error("the log in memory and on disk differ")
	}
}

// TestClosed refuses appends to a closed log.
func TestClosed(t *testing.T) {
	l, _ := openTestLog(t, testQueue())
	l.Close()
	if err := l.Append(Decision{Item: "row:2", Action: Skip, Reviewer: "ana"}); !errors.Is(err, os.ErrClosed) {
		t.Errorf("Append after Close: %v, want os.ErrClosed", err)
	}
	if err := l.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

// TestUnknownItemsInLog keeps decisions about items that left the queue,
// with a warning.
func TestUnknownItemsInLog(t *testing.T) {
	l, path := openTestLog(t, testQueue())
	l.Append(Decision{Item: "row:1", Action: Skip, Reviewer: "ana"})
	l.Append(Decision{Item: "row:2", Action: Skip, Reviewer: "ana"})
	l.Close()
	q := testQueue()
	q.Items = q.Items[1:] // without row:1
	l2, err := OpenLog(path, q)
	if err != nil {
		t.Fatal(err)
	}
	defer l2.Close()
	if w := l2.Warnings(); len(w) != 1 || !strings.Contains(w[0], "1 decisions concern items that are not in this queue") {
		t.Errorf("warnings %q, want one about 1 decision", w)
	}
	if n := len(l2.Decisions()); n != 2 {
		t.Errorf("%d decisions, want 2", n)
	}
}

func TestQueueValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(q *Queue)
		msg    string
	}{
		{"ok", func(q *Queue) {}, ""},
		{"no dataset", func(q *Queue) { q.Dataset = "" }, "names no dataset"},
		{"no label column", func(q *Queue) { q.Label = "" }, "names no label column"},
		{"no ID", func(q *Queue) { q.Items[1].ID = "" }, "item 2 has no ID"},
		{"duplicate ID", func(q *Queue) { q.Items[1].ID = "row:1" }, `item 2 ("row:1"): the ID is used twice`},
		{"NaN score", func(q *Queue) { q.Items[0].Score = nanF() }, "score NaN"},
		{"infinite probability", func(q *Queue) { q.Items[1].Evidence.Probs["no"] = infF() }, `probability of "no" is +Inf`},
		{"NaN distance", func(q *Queue) { q.Items[1].Evidence.Neighbours.Rows[0].Distance = nanF() }, "neighbour row 40"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := testQueue()
			tt.change(q)
			err := q.Validate()
			if tt.msg == "" {
				if err != nil {
					t.Fatalf("Validate: %v, want nil", err)
				}
				return
			}
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("Validate: %v, want ErrInvalid with %q", err, tt.msg)
			}
			if _, err := OpenLog(filepath.Join(t.TempDir(), "log"), q); !errors.Is(err, ErrInvalid) {
				t.Errorf("OpenLog: %v, want ErrInvalid", err)
			}
		})
	}
}

// FuzzParse feeds arbitrary logs to the reader: it never panics, and what
// it accepts it reads again the same.
func FuzzParse(f *testing.F) {
	f.Add([]byte(`{"format":1,"item":"row:2","rows":[2],"action":"accept","label":"no","previous":"yes","reviewer":"ana","time":"2026-03-01T10:00:01Z","dataset":"churn@v3","version":3,"label_column":"churned"}` + "\n"))
	f.Add([]byte("{\"format\":1,\"item\":\"a\",\"action\":\"skip\"}\n{\"for"))
	f.Add([]byte("\n\n\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ds, lines, good, err := parse("log", data)
		if err != nil {
			var le *LineError
			if !errors.As(err, &le) || !errors.Is(err, ErrCorrupt) || le.Line < 1 {
				t.Fatalf("error %v is not a corrupt-line error", err)
			}
			return
		}
		if good > len(data) || len(ds) != len(lines) || (good < len(data) && data[len(data)-1] == '\n') {
			t.Fatalf("good %d of %d bytes, %d decisions, %d lines", good, len(data), len(ds), len(lines))
		}
		ds2, _, good2, err := parse("log", data[:good])
		if err != nil || good2 != good || fmt.Sprint(ds2) != fmt.Sprint(ds) {
			t.Fatalf("the whole lines read differently: %v", err)
		}
	})
}
