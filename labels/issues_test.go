package labels

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/assayhq/assay/dataset"
)

// TestIssuesMatchCleanlab runs the whole pipeline (CSV, string classes,
// probability columns matched by name) and compares the flagged rows, in
// order, with Cleanlab 2.9's find_label_issues for every filter and rank
// (testdata/cleanlab/gen.py).
func TestIssuesMatchCleanlab(t *testing.T) {
	data, err := os.ReadFile("testdata/cleanlab/expected.json")
	if err != nil {
		t.Fatal(err)
	}
	var fx struct {
		Cases []struct {
			Filter, Rank string
			Rows         []int
		}
	}
	if err := json.Unmarshal(data, &fx); err != nil {
		t.Fatal(err)
	}
	src := openSource(t, nil, "testdata/cleanlab/pets.csv")
	for _, c := range fx.Cases {
		rep, err := Issues(context.Background(), src, IssuesOptions{Label: "kind", PredProbs: []string{"p_dog", "p_cat", "p_bird"}, Filter: c.Filter, Rank: c.Rank})
		if err != nil {
			t.Fatal(err)
		}
		var rows []int
		for _, is := range rep.Issues {
			rows = append(rows, is.Row)
		}
		if !slices.Equal(rows, c.Rows) {
			t.Errorf("%s, %s: flagged %v, Cleanlab %v", c.Filter, c.Rank, rows, c.Rows)
		}
		if rep.ProbsFrom != "columns p_bird, p_cat, p_dog" {
			t.Errorf("probabilities from %q", rep.ProbsFrom)
		}
	}
}

func TestIssuesSkipsUnlabelledRows(t *testing.T) {
	dir := t.TempDir()
	src := openSource(t, nil, writeCSV(t, dir, "d.csv", "y,p_a,p_b\na,0.9,0.1\n,0.5,0.5\nb,0.95,0.05\nb,0.1,0.9\na,0.8,0.2\nb,0.2,0.8\n"))
	rep, err := Issues(context.Background(), src, IssuesOptions{Label: "y", PredProbs: []string{"p_a", "p_b"}})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Labelled != 5 || rep.Rows != 6 || rep.Flagged != 1 || rep.Issues[0].Row != 2 || rep.Issues[0].Suggested != "a" {
		t.Errorf("labelled %d of %d, issues %+v; want row 2 (b, likely a)", rep.Labelled, rep.Rows, rep.Issues)
	}
}

func TestIssuesBadInput(t *testing.T) {
	dir := t.TempDir()
	src := openSource(t, nil, "testdata/cleanlab/pets.csv")
	short := writeCSV(t, dir, "short.csv", "p_bird,p_cat,p_dog\n0.2,0.3,0.5\n")
	bad := openSource(t, nil, writeCSV(t, dir, "bad.csv", "y,p_a,p_b\na,0.9,0.3\nb,0.2,0.8\n"))
	for _, tt := range []struct {
		src  *dataset.Source
		opts IssuesOptions
		want string
	}{
		{src, IssuesOptions{Label: "nope", PredProbs: []string{"p_bird"}}, `no column "nope"`},
		{src, IssuesOptions{Label: "kind", PredProbs: []string{"p_bird", "p_cat"}}, "2 probability columns for 3 classes (bird, cat, dog)"},
		{src, IssuesOptions{Label: "kind"}, "give the predicted probabilities"},
		{src, IssuesOptions{Label: "kind", PredProbs: []string{"p_bird"}, CV: 3}, "one of them"},
		{src, IssuesOptions{Label: "kind", ProbsFile: short}, "short.csv has 1 rows, the data 60"},
		{bad, IssuesOptions{Label: "y", PredProbs: []string{"p_a", "p_b"}}, "row 0: probabilities p_a, p_b sum to 1.2"},
	} {
		_, err := Issues(context.Background(), tt.src, tt.opts)
		if err == nil || !strings.Contains(err.Error(), tt.want) || !errors.Is(err, dataset.ErrInvalid) {
			t.Errorf("%+v: error %v, want %q", tt.opts, err, tt.want)
		}
	}
}

// TestQueues checks the review items built from conflicts and issues.
func TestQueues(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	src := openSource(t, nil, writeCSV(t, dir, "dup.csv", "id,name,kind\n1,Tom,cat\n2,Tom,dog\n3,Rex,dog\n4,Tom,cat\n"))
	rep, err := Conflicts(ctx, src, ConflictsOptions{Label: "kind", Exclude: []string{"id"}})
	if err != nil {
		t.Fatal(err)
	}
	tab, err := Load(ctx, src, []string{"id", "name", "kind"}, 1)
	if err != nil {
		t.Fatal(err)
	}
	items := ConflictsQueue(rep, tab, []string{"id", "name"})
	if len(items) != 1 {
		t.Fatalf("%d items", len(items))
	}
	it := items[0]
	if it.ID != "group:1" || !slices.Equal(it.Rows, []int{0, 1, 3}) || it.Suggested != "cat" || it.Given != "cat×2 dog×1" ||
		len(it.Evidence.Conflicts.Rows) != 3 || it.Evidence.Conflicts.Rows[1].Label != "dog" || it.Fields[0].Value != "1" {
		t.Errorf("conflict item %+v", it)
	}

	pets := openSource(t, nil, "testdata/cleanlab/pets.csv")
	iss, err := Issues(ctx, pets, IssuesOptions{Label: "kind", PredProbs: []string{"p_bird", "p_cat", "p_dog"}})
	if err != nil {
		t.Fatal(err)
	}
	ptab, err := Load(ctx, pets, []string{"id"}, 1)
	if err != nil {
		t.Fatal(err)
	}
	items = IssuesQueue(iss, ptab, []string{"id"})
	if len(items) != iss.Flagged || items[0].ID != "row:57" || items[0].Evidence.Probs["bird"]+items[0].Evidence.Probs["cat"]+items[0].Evidence.Probs["dog"] < 0.999 {
		t.Errorf("issue items: %d, first %+v", len(items), items[0])
	}
	for i := 1; i < len(items); i++ {
		if items[i].Score > items[i-1].Score {
			t.Fatalf("item %d scores above item %d: the queue must come likeliest first", i, i-1)
		}
	}
}

func TestNearestLabelled(t *testing.T) {
	dir := t.TempDir()
	src := openSource(t, nil, writeCSV(t, dir, "n.csv", "x,c,y\n0,a,p\n1,a,q\n10,a,q\n0,b,p\n0.5,a,\n100,a,q\n"))
	tab, err := Load(context.Background(), src, []string{"x", "c", "y"}, 1)
	if err != nil {
		t.Fatal(err)
	}
	l := Encode(tab.Column("y"))
	feats := neighbourFeatures(tab, nil, []string{"y"})
	got := nearestLabelled(feats, l, []int{0}, 3)
	// x has mean 18.6 and sd about 36: row 1 (Δx 1) and row 2 (Δx 10)
	// are nearer than row 3 (Δx 0, but c differs: 1); row 4 has no label.
	if len(got) != 1 || len(got[0]) != 3 || got[0][0].Row != 1 || got[0][1].Row != 2 || got[0][2].Row != 3 || got[0][0].Label != "q" {
		t.Fatalf("neighbours of row 0: %+v", got)
	}
	if d := got[0][2].Distance; math.Abs(d-1) > 1e-12 {
		t.Errorf("distance to row 3 %v, want 1 (one differing text value)", d)
	}
	if nearestLabelled(feats, l, make([]int, int(neighbourBudget)/6+1), 3) != nil {
		t.Error("a search over the budget ran")
	}
}
