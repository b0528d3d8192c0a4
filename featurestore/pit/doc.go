// Package pit is the point-in-time (as-of) join that builds training sets
// the way Feast does: for every entity row and every feature view it picks
// the feature row that was current at the entity row's event time.
//
// Glossary:
//
//   - Entity rows (Entities): the rows of the training set, each with join
//     key values and an event timestamp t. They are kept in their original
//     order and multiplicity; duplicates stay duplicates.
//   - Feature view (View): feature rows with join key values, a feature
//     timestamp, an optional created timestamp and feature columns. Each view
//     names the join key columns it uses; the entity rows must have columns
//     of those names and types. Different views may use different keys, and
//     keys may have several columns.
//   - TTL: a view's time-to-live, in the timestamps' unit; 0 means forever.
//   - Match: for one view, the index of the chosen view row per entity row,
//     or -1. Gather turns a feature column and a Match into an output column.
//
// Semantics, per entity row (keys, t) and view:
//
//   - candidates are the view rows with equal join keys and feature time
//     ≤ t, and, when TTL > 0, feature time ≥ t − TTL (both bounds inclusive);
//   - the latest feature time wins; ties go to the latest created timestamp
//     when the view has one; a tie that remains goes to the row that comes
//     later in the view's input order;
//   - no candidate gives Match -1 (nulls once gathered), and the entity row
//     is kept.
//
// A null in any join key column, on either side, never matches. An entity
// row with a null event time, and a view row with a null feature time,
// never match. Created timestamps have no nulls: a caller that has them
// should map them to math.MinInt64, which loses every tie. Timestamps are
// int64 in one unit (for example microseconds since the epoch); the caller
// converts. The created timestamp is only a tie-break: there is no
// created ≤ t filter.
//
// # Algorithm
//
// Join is a hash-partitioned sort-merge as-of join on columnar data in
// memory. Join keys are first turned into one uint64 code per row: a single
// int64 key is its own code; string and multi-column keys are coded densely
// through dictionaries built from the entity rows, so a view row whose key
// no entity row has is dropped at once. Both sides are then scattered, in
// parallel and stably, into up to 256 partitions by a hash of the code (few
// enough that the scatter's write streams stay in cache). Within a
// partition, through a hash table private to one worker, its view rows
// are grouped by key with a counting sort and each group is sorted by
// (feature time, input order); its entity rows are grouped and sorted by
// event time the same way; then one merge pass per key group walks both.
// Partitions are joined by Options.Workers goroutines, each with its own
// reused buffers; there are no per-row allocations.
//
// Memory is about 24 bytes per view row and 24 bytes per entity row (per
// distinct key set), plus 4 bytes per entity row per view for the Match.
package pit
