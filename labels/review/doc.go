// Package review serves a local web page on which a person reviews label
// problems one by one, and keeps their decisions in an append-only log, so
// that a review can stop at any time and resume later.
//
// Glossary:
//   - Queue: what to review, built by the command from a conflicts or
//     issues run: the dataset version, the label column and the Items.
//   - Item: one label problem: a row ("row:123") or a group of rows with
//     the same features ("group:7"), its given and suggested labels, the
//     classes it may be relabelled to, the row's Fields and the Evidence.
//     Items are reviewed in order of Score, highest first, ties by ID.
//   - Evidence: why an item is in the queue: Conflicts (rows with the same
//     features and their labels), Probs (a model's class probabilities),
//     Neighbours (the nearest rows, their distances and labels), a Note.
//   - Decision: what a reviewer decided about an item: accept the
//     suggestion, relabel to a class, or skip; with who, when and why.
//   - Log: the decisions, one JSON object a line, appended and synced as
//     they are made and never rewritten. A later decision about an item
//     supersedes the earlier ones (Effective).
//   - Server: the review page and its small JSON API (NewServer), served on
//     loopback (Listen, Serve).
//
// # The log
//
// The log is a JSON Lines file. Each line is one Decision with a format
// version:
//
//	{"format":1,"item":"row:12","rows":[12],"action":"relabel","label":"yes",
//	 "previous":"no","reviewer":"ana","time":"2026-03-01T10:04:05.123Z",
//	 "reason":"typo","dataset":"churn@v3","version":3,"label_column":"churned"}
//
// (one line in the file). Action is accept, relabel or skip; Label is the
// new label (the suggestion for accept, empty for skip); Previous is the
// label the dataset gives. A decision is durable once Append returns: its
// line, newline included, has been written in one call and synced. A
// crash during a write can leave a torn last line, without its newline;
// OpenLog cuts it off and says so in Warnings, ReadDecisions ignores it.
// Any other line that is not a valid decision makes the log corrupt, and
// the error names the file and line. A log belongs to one dataset version
// and label column: OpenLog refuses a log written for another.
//
// # The page
//
// GET / serves one self-contained HTML page: inline CSS and JavaScript
// whose hashes are the only ones a strict Content-Security-Policy allows,
// no external scripts, styles, fonts or images, and no request anywhere but
// to its own server. The page is driven by keyboard or mouse: A accepts
// the suggestion, R opens the class picker and the digits 1–9 relabel to
// a class directly, S skips, J and K (or the right and left arrow keys)
// go to the next and previous item, N to the next undecided one, E to the
// reason field, where Enter saves the reason.
//
// The API (JSON) is GET /api/queue, the items with their effective
// decisions, and POST /api/decide, which records a decision and returns
// the updated item. Both need the token the page carries, in the
// X-Assay-Token header, and refuse requests from other origins and
// requests whose Host is a domain name other than localhost (DNS
// rebinding), so that a web page open in the reviewer's browser cannot
// read the queue or record decisions.
package review
