// Package report renders assay's HTML reports, so that every report — a
// dataset profile, a check run, a drift comparison, a label review, a
// training run — has one look.
//
// Feature packages describe a report as plain data and hand it to Render or
// WriteFile; report imports nothing else from assay. The vocabulary:
//
//   - Page: one report, one self-contained HTML file: a title, a subtitle,
//     a few Meta facts (ref, command, time) and Sections in order. By
//     convention the first section is a summary table that links to the
//     others.
//   - Section: a titled part of the page with an optional intro paragraph
//     and Blocks. Sections are listed in a table of contents.
//   - Block: one piece of content: a Table, a Histogram, a Bars chart, a
//     Comparison of a reference and a current distribution, a Line chart
//     of series with Markers at events and HLines at thresholds, a Stats
//     grid of key/value facts, a Note (info, warning, error) or a Grid of
//     Cards, each card holding blocks of its own (one card per column,
//     say).
//   - Level: the state a cell, note or card is coloured by: ok, info, warn,
//     error.
//   - Anchor: turns any name (a column name) into a safe element ID, so a
//     summary cell can link to "#"+Anchor(name).
//
// Output is one HTML5 file with inline CSS, charts as inline SVG drawn in
// Go, and a few lines of inline JavaScript that add a filter box to tables
// that ask for one; the page works without it. Nothing is loaded from
// anywhere: there are no external scripts, styles, fonts or images, and a
// Content-Security-Policy forbids fetching any. Every caller string is
// escaped (html/template), stripped of control characters and made valid
// UTF-8; links are in-page ("#id"), except on an Index (index.go), whose
// rows may link to other pages by plain relative paths inside its own
// directory (a dashboard's pages), never outside it or to other sites.
//
// The Format helpers give every report the same number style: FormatInt
// (7,043), FormatFloat (3.142), FormatPercent (0.16%), FormatBytes
// (1.2 MiB).
package report
