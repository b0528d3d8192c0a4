package review_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"os/signal"
	"path/filepath"

	"github.com/assayhq/assay/labels/review"
)

// A review's decisions go to a log; a later decision about an item
// supersedes the earlier one.
func Example() {
	dir, err := os.MkdirTemp("", "review")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "decisions.jsonl")

	q := &review.Queue{
		Dataset: "churn@v3", Version: 3, Label: "churned", Source: "issues",
		Items: []review.Item{
			{ID: "row:12", Rows: []int{12}, Score: 0.97, Given: "no", Suggested: "yes", Classes: []string{"no", "yes"}},
			{ID: "row:40", Rows: []int{40}, Score: 0.91, Given: "yes", Suggested: "no", Classes: []string{"no", "yes"}},
		},
	}
	l, err := review.OpenLog(path, q)
	if err != nil {
		log.Fatal(err)
	}
	for _, d := range []review.Decision{
		{Item: "row:12", Action: review.Relabel, Label: "no", Reviewer: "ana"},
		{Item: "row:40", Action: review.Skip, Reviewer: "ana"},
		{Item: "row:12", Action: review.Accept, Reviewer: "ana", Reason: "the contract ended"},
	} {
		if err := l.Append(d); err != nil {
			log.Fatal(err)
		}
	}
	l.Close()

	ds, err := review.ReadDecisions(path)
	if err != nil {
		log.Fatal(err)
	}
	for _, d := range review.Effective(ds) {
		fmt.Printf("%s %v: %s %q → %q\n", d.Item, d.Rows, d.Action, d.Previous, d.Label)
	}
	// Output:
	// row:40 [40]: skip "yes" → ""
	// row:12 [12]: accept "no" → "yes"
}

// How a command serves a review: open the log, print the warnings, serve
// on loopback until Ctrl-C.
func ExampleNewServer() {
	q := &review.Queue{Dataset: "churn@v3", Version: 3, Label: "churned"} // built from a conflicts or issues run
	l, err := review.OpenLog("churn-v3-churned.review.jsonl", q)
	if err != nil {
		log.Fatal(err)
	}
	defer l.Close()
	for _, w := range l.Warnings() {
		fmt.Fprintln(os.Stderr, "warning:", w)
	}
	ln, url, err := review.Listen(review.DefaultAddr)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Fprintf(os.Stderr, "Reviewing %d items of %s; open %s (Ctrl-C stops)\n", len(q.Items), q.Dataset, url)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := review.Serve(ctx, ln, review.NewServer(q, l, "ana")); err != nil {
		log.Fatal(err)
	}
}
