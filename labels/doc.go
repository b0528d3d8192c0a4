// Package labels finds label problems and turns reviewed decisions into a
// new dataset version: the data a label command needs, loaded whole
// (Load), label columns encoded as classes (Encode), predicted
// probabilities from columns or a file (ProbsFrom, LoadProbs), a
// cross-validated baseline model for users without one (CrossValProbs),
// and Apply, which commits relabelled rows with their audit trail.
//
// The analyses live in subpackages: conflicts (rows with the same
// features and different labels), agreement (inter-annotator agreement
// and consensus), confident (Cleanlab's confident learning) and review
// (the review page and its append-only decision log).
package labels
