package review

import (
	"fmt"
	"math"
	"path/filepath"
	"testing"
	"time"
)

// testQueue returns a queue of five items, listed out of review order:
// by score they are b (0.9), a and c (0.8, tied, by ID), e (0.5), d (0.1).
func testQueue() *Queue {
	classes := []string{"no", "yes", "maybe"}
	item := func(id string, row int, score float64, given, suggested string) Item {
		return Item{
			ID: id, Rows: []int{row}, Score: score, Given: given, Suggested: suggested, Classes: classes,
			Fields: []Field{{Name: "tenure", Value: fmt.Sprint(row)}, {Name: "plan", Value: "basic"}},
		}
	}
	q := &Queue{
		Title:   "Review churn labels",
		Dataset: "churn@v3",
		Version: 3,
		Label:   "churned",
		Source:  "issues",
		Items: []Item{
			item("row:1", 1, 0.8, "no", "yes"),
			item("row:2", 2, 0.9, "yes", "no"),
			item("row:3", 3, 0.8, "no", "yes"),
			item("row:4", 4, 0.1, "maybe", ""),
			item("group:5", 5, 0.5, "yes", "no"),
		},
	}
	q.Items[4].Rows = []int{5, 6, 7}
	q.Items[4].Evidence = Evidence{
		Conflicts: &Conflicts{Columns: []string{"tenure", "plan"}, Rows: []ConflictRow{
			{Row: 5, Values: []string{"5", "basic"}, Label: "yes"},
			{Row: 6, Values: []string{"5", "basic"}, Label: "no"},
			{Row: 7, Values: []string{"5", "basic"}, Label: "no"},
		}},
		Note: "Three rows with the same features disagree.",
	}
	q.Items[1].Evidence = Evidence{
		Probs: map[string]float64{"no": 0.81, "yes": 0.12, "maybe": 0.07},
		Neighbours: &Neighbours{Columns: []string{"tenure"}, Rows: []Neighbour{
			{Row: 40, Distance: 0.125, Label: "no", Values: []string{"2"}},
			{Row: 41, Distance: 0.25, Label: "no", Values: []string{"3"}},
		}},
		Note: "The model <b>disagrees</b> & the neighbours too.",
	}
	return q
}

// clock returns a fake clock for a log: each call is one second after the
// last, from 2026-03-01 10:00:00 UTC.
func clock() func() time.Time {
	t := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	return func() time.Time {
		t = t.Add(time.Second)
		return t
	}
}

// openTestLog opens a log in a temporary directory with a fake clock.
func openTestLog(t *testing.T, q *Queue) (*Log, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "decisions.jsonl")
	l, err := OpenLog(path, q)
	if err != nil {
		t.Fatal(err)
	}
	l.now = clock()
	t.Cleanup(func() { l.Close() })
	return l, path
}

func nanF() float64 { return math.NaN() }
func infF() float64 { return math.Inf(1) }
