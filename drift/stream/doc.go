// Package stream detects concept drift in a time-ordered stream, one value
// at a time: typically a model's errors (1 when a prediction was wrong, 0
// when it was right) or its loss.
//
// It implements the four detectors of river's river.drift module with
// river's default parameters and update rules, so that a stream fed to
// river and to assay raises the same alarms at the same indexes:
//
//	ddm           DDM, Gama et al. 2004 (river.drift.binary.DDM): 0/1 errors
//	eddm          EDDM, Baena-García et al. 2006 (river.drift.binary.EDDM): 0/1 errors
//	adwin         ADWIN, Bifet & Gavaldà 2007 (river.drift.ADWIN): real values
//	page_hinkley  Page-Hinkley, Page 1954 (river.drift.PageHinkley): real values
//
// The rules were taken from river's source (river/drift/binary/ddm.py,
// eddm.py, river/drift/page_hinkley.py, and the Rust ADWIN river now ships,
// rust_src/adwin.rs), not re-derived from the papers; where river departs
// from a paper, this package follows river and says so on the type.
//
// Glossary:
//
//   - Update feeds one value and reports the detector's state after it:
//     warning (the stream may be changing) and drift (it has changed).
//   - Warning zone: the run of consecutive updates with warning set. Only
//     DDM and EDDM have one; ADWIN and Page-Hinkley never warn.
//   - Drift, or alarm: a change detected at this update. As in river, a
//     detector that reported drift starts afresh at its next update (the
//     next Update call first resets it), so every alarm is one update and
//     the evidence for the next one is gathered from scratch.
//   - Warm-up: updates before a detector may signal (DDM: the first 30
//     values; EDDM: 30 values and 31 errors; ADWIN: a check every 32 values
//     once the window holds more than 10; Page-Hinkley: 30 values).
//   - Index: the 0-based position of a value in the stream given to Run.
//
// Values that are not finite (NaN, ±Inf) are not observations: Update
// ignores them (the state is unchanged and it reports neither warning nor
// drift) and Run reports no event at their index. A missing label thus
// neither helps nor hurts a detector. river would fold them into its
// running sums, which then stay NaN or infinite.
//
// Run feeds a whole stream and returns its events: a "drift" event at each
// alarm and a "warning" event where a warning zone starts (not at every
// update inside it).
package stream
