package labels

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/assayhq/assay/report"
	"github.com/assayhq/assay/report/reporttest"
)

// TestPagesInBrowser renders the conflicts, agreement and issues reports
// and loads each in headless Chromium: no console errors, no requests,
// and the content there.
func TestPagesInBrowser(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	pets := openSource(t, nil, "testdata/cleanlab/pets.csv")
	dup := openSource(t, nil, writeCSV(t, dir, "dup.csv", "name,weight,kind\nTom,4,cat\nTom,4,dog\nRex,30,dog\nRex,30,dog\n"))
	ratings := openSource(t, nil, writeCSV(t, dir, "r.csv", "a,b,c\n1,1,1\n1,2,1\n2,2,2\n3,3,1\n"))

	issues, err := Issues(ctx, pets, IssuesOptions{Label: "kind", PredProbs: []string{"p_bird", "p_cat", "p_dog"}})
	if err != nil {
		t.Fatal(err)
	}
	conflicts, err := Conflicts(ctx, dup, ConflictsOptions{Label: "kind"})
	if err != nil {
		t.Fatal(err)
	}
	agreement, err := Agreement(ctx, ratings, AgreementOptions{Annotators: []string{"a", "b", "c"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		page report.Page
		want []string
	}{
		{"issues", IssuesPage(issues), []string{"Label issues in testdata/cleanlab/pets.csv", "Confident joint", "P(suggested)"}},
		{"conflicts", ConflictsPage(conflicts), []string{"Label conflicts in", "1 groups of rows share their features", "Group 1: cat×1 dog×1"}},
		{"agreement", AgreementPage(agreement), []string{"Annotator agreement on", "Krippendorff's alpha", "Dawid-Skene confusion matrices"}},
	} {
		path := filepath.Join(dir, tt.name+".html")
		if err := report.WriteFile(path, tt.page); err != nil {
			t.Fatal(err)
		}
		res := reporttest.Check(t, path)
		for _, w := range tt.want {
			if !strings.Contains(res.Text, w) {
				t.Errorf("%s page lacks %q", tt.name, w)
			}
		}
	}
}
