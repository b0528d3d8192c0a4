package review

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/assayhq/assay/report/reporttest"
	"github.com/chromedp/chromedp"
)

// pageState is what the browser test reads from the page.
type pageState struct {
	State    string   `json:"state"`
	Item     string   `json:"item"`
	Progress string   `json:"progress"`
	Decision string   `json:"decision"`
	Queue    []string `json:"queue"`
	Picker   bool     `json:"picker"`
	Error    string   `json:"error"`
}

const readState = `(() => ({
	state: document.getElementById("main").dataset.state,
	item: document.getElementById("main").dataset.item || "",
	progress: document.getElementById("progress-text").textContent,
	decision: document.getElementById("decision").textContent,
	queue: Array.from(document.querySelectorAll("#queue button")).map(b => b.querySelector(".q-id").textContent + " " + b.querySelector(".q-state").textContent),
	picker: !document.getElementById("picker").hidden,
	error: document.getElementById("error").hidden ? "" : document.getElementById("error").textContent,
}))()`

// ready is true once the page has loaded the queue or saved a decision,
// is on item id and shows the progress.
func ready(id, progress string) string {
	return fmt.Sprintf(`document.getElementById("main").dataset.state === "ready" && document.getElementById("main").dataset.item === %q && document.getElementById("progress-text").textContent === %q`, id, progress)
}

// TestReviewInBrowser reviews the test queue in headless Chromium with the
// keyboard only: relabels two items (R then a digit, and a digit alone),
// accepts one with a reason, skips one, goes back, reloads, and finds the
// review resumed and the log holding exactly those decisions.
func TestReviewInBrowser(t *testing.T) {
	q := testQueue()
	l, path := openTestLog(t, q)
	srv := httptest.NewServer(NewServer(q, l, "ana"))
	defer srv.Close()

	tab := reporttest.Open(t, srv.URL+"/")
	tab.WaitFor(ready("row:2", "0 of 5 decided"))
	res := tab.Check()
	if res.Title != "Review churn labels" {
		t.Errorf("title = %q, want %q", res.Title, "Review churn labels")
	}
	for _, want := range []string{"churn@v3", "churned", "ana", "Class probabilities", "0.81", "Nearest neighbours",
		"The model <b>disagrees</b> & the neighbours too.", "tenure", "Given", "Suggested"} {
		if !strings.Contains(res.Text, want) {
			t.Errorf("page text lacks %q", want)
		}
	}

	// row:2: R opens the picker, 3 relabels to the third class.
	tab.Press("r")
	tab.WaitFor(`!document.getElementById("picker").hidden && document.activeElement.dataset.class === "no"`)
	tab.Press("3")
	tab.WaitFor(ready("row:1", "1 of 5 decided"))
	// row:1: the digit alone relabels, to the first class.
	tab.Press("1")
	tab.WaitFor(ready("row:3", "2 of 5 decided"))
	// row:3: E goes to the reason field, Enter keeps the reason, A accepts.
	tab.Press("e")
	tab.WaitFor(`document.activeElement.id === "reason"`)
	tab.Press("obvious")
	tab.Press("\r")
	tab.WaitFor(`document.activeElement.id === "item-title" && document.getElementById("status").textContent.startsWith("Reason kept")`)
	tab.Press("a")
	tab.WaitFor(ready("group:5", "3 of 5 decided"))
	// group:5: S skips.
	tab.Press("s")
	tab.WaitFor(ready("row:4", "4 of 5 decided (1 skipped)"))
	// K goes back to the skipped item, J forward again.
	tab.Press("k")
	tab.WaitFor(`document.getElementById("main").dataset.item === "group:5"`)
	var st pageState
	tab.Eval(readState, &st)
	if !strings.HasPrefix(st.Decision, "Skipped by ana") {
		t.Errorf("group:5 shows decision %q, want it skipped by ana", st.Decision)
	}
	tab.Press("j")
	tab.WaitFor(`document.getElementById("main").dataset.item === "row:4"`)

	tab.Reload()
	tab.WaitFor(ready("row:4", "4 of 5 decided (1 skipped)"))
	tab.Eval(readState, &st)
	wantQueue := []string{"row:2 → maybe", "row:1 → no", "row:3 accepted", "group:5 skipped", "row:4 open"}
	if fmt.Sprint(st.Queue) != fmt.Sprint(wantQueue) {
		t.Errorf("queue after reload = %q, want %q", st.Queue, wantQueue)
	}
	if st.Decision != "Undecided" || st.Error != "" {
		t.Errorf("row:4 shows decision %q, error %q; want it undecided, no error", st.Decision, st.Error)
	}
	tab.Press("k")
	tab.Press("k")
	tab.WaitFor(`document.getElementById("main").dataset.item === "row:3"`)
	tab.Eval(readState, &st)
	if want := "Accepted “yes” by ana, "; !strings.HasPrefix(st.Decision, want) || !strings.HasSuffix(st.Decision, "— “obvious”") {
		t.Errorf("row:3 shows decision %q, want %q…— “obvious”", st.Decision, want)
	}
	tab.Check()

	got, err := ReadDecisions(path)
	if err != nil {
		t.Fatal(err)
	}
	at := func(s int) time.Time { return time.Date(2026, 3, 1, 10, 0, s, 0, time.UTC) }
	want := []Decision{
		{Item: "row:2", Rows: []int{2}, Action: Relabel, Label: "maybe", Previous: "yes", Time: at(1)},
		{Item: "row:1", Rows: []int{1}, Action: Relabel, Label: "no", Previous: "no", Time: at(2)},
		{Item: "row:3", Rows: []int{3}, Action: Accept, Label: "yes", Previous: "no", Time: at(3), Reason: "obvious"},
		{Item: "group:5", Rows: []int{5, 6, 7}, Action: Skip, Previous: "yes", Time: at(4)},
	}
	for i := range want {
		want[i].Reviewer, want[i].Dataset, want[i].Version, want[i].LabelColumn = "ana", "churn@v3", 3, "churned"
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("log holds\n%v\nwant\n%v", got, want)
	}
}

// TestPageAtNarrowWidth loads the page at a phone's width: nothing is
// wider than the screen. It decides with the mouse, then changes the
// decision's reason with the keyboard.
func TestPageAtNarrowWidth(t *testing.T) {
	q := testQueue()
	l, path := openTestLog(t, q)
	srv := httptest.NewServer(NewServer(q, l, "ana"))
	defer srv.Close()

	tab := reporttest.Open(t, srv.URL+"/")
	tab.Do("narrow the viewport", chromedp.EmulateViewport(360, 640))
	tab.Reload()
	tab.WaitFor(ready("row:2", "0 of 5 decided"))
	var layout struct {
		Scroll, Width int
		Outside       []string
	}
	tab.Eval(`(() => {
		const w = document.documentElement.clientWidth;
		const outside = Array.from(document.querySelectorAll("button, input, h1, h2, table, .probs"))
			.filter(e => e.offsetParent !== null)
			.filter(e => { const r = e.getBoundingClientRect(); return r.left < 0 || r.right > w + 0.5; })
			.map(e => e.id || e.tagName);
		return {scroll: document.documentElement.scrollWidth, width: w, outside};
	})()`, &layout)
	if layout.Scroll > layout.Width {
		t.Errorf("page is %dpx wide at a %dpx viewport", layout.Scroll, layout.Width)
	}
	if len(layout.Outside) > 0 {
		t.Errorf("elements outside the viewport: %v", layout.Outside)
	}
	// The mouse works too: the second queue entry, then Accept, which
	// moves on to the next undecided item.
	tab.Click(`#queue li:nth-child(2) button`)
	tab.WaitFor(`document.getElementById("main").dataset.item === "row:1"`)
	tab.Click(`#accept`)
	tab.WaitFor(ready("row:3", "1 of 5 decided"))
	// Back to row:1 to give a reason: Enter saves it with the decision,
	// as a new line in the log, and stays on the item.
	tab.Press("k")
	tab.WaitFor(`document.getElementById("main").dataset.item === "row:1"`)
	tab.Press("e")
	tab.WaitFor(`document.activeElement.id === "reason"`)
	tab.Press("ended\r")
	tab.WaitFor(`document.getElementById("main").dataset.state === "ready" && document.getElementById("decision").textContent.endsWith("— “ended”")`)
	tab.Check()

	ds, err := ReadDecisions(path)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range ds {
		got = append(got, fmt.Sprintf("%s %s %s %q", d.Item, d.Action, d.Label, d.Reason))
	}
	if want := []string{`row:1 accept yes ""`, `row:1 accept yes "ended"`}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("the log holds %q, want %q", got, want)
	}
}
