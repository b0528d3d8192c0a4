package drift

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/assayhq/assay/report"
	"github.com/assayhq/assay/report/reporttest"
)

// TestPageInBrowser renders a report with every part (column charts,
// whole-row drift, concept drift with detector charts) and loads it in
// headless Chromium: it must render without errors or requests, with a
// distribution chart per column and a line chart with event markers per
// detector, inside their plots.
func TestPageInBrowser(t *testing.T) {
	ref, cur := conceptData(t, 4000, 2000)
	rep := compare(t, nil, ref, cur, Options{Columns: []string{"x", "seg"}, Target: "y", Prediction: "pred", Time: "at", Multivariate: "classifier"})
	path := filepath.Join(t.TempDir(), "drift.html")
	if err := report.WriteFile(path, Page(rep)); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Comparisons, Lines, Markers, MarkersOutside int
		Cards                                       []string
	}
	res := reporttest.Inspect(t, path, `(() => {
		const out = {Comparisons: document.querySelectorAll("svg.cmp").length,
			Lines: document.querySelectorAll("svg.linechart").length, Markers: 0, MarkersOutside: 0,
			Cards: [...document.querySelectorAll(".card h3")].map(h => h.textContent.trim())};
		for (const svg of document.querySelectorAll("svg.linechart")) {
			const box = svg.getBoundingClientRect();
			for (const m of svg.querySelectorAll(".markers .mk")) {
				out.Markers++;
				const b = m.getBoundingClientRect();
				if (b.left < box.left || b.right > box.right || b.height <= 0) out.MarkersOutside++;
			}
		}
		return out;
	})()`, &got)
	// x, seg, the target and the prediction each have a distribution.
	if got.Comparisons != 4 {
		t.Errorf("%d distribution charts, want 4 (cards %v)", got.Comparisons, got.Cards)
	}
	if got.Lines != len(rep.Concept.Detectors) || got.Lines != 4 {
		t.Errorf("%d line charts for %d detectors, want 4", got.Lines, len(rep.Concept.Detectors))
	}
	events := 0
	for _, d := range rep.Concept.Detectors {
		events += len(d.Events)
	}
	if got.Markers != events || got.MarkersOutside != 0 {
		t.Errorf("%d markers drawn (%d outside their chart) for %d events", got.Markers, got.MarkersOutside, events)
	}
	for _, want := range []string{"Drift of", "Whole-row drift", "Held-out ROC AUC", "P(y | feature)", "adwin over the current rows", "Model performance (classification)"} {
		if !strings.Contains(res.Text, want) {
			t.Errorf("page text lacks %q", want)
		}
	}
}
