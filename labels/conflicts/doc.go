// Package conflicts finds label conflicts: rows whose features are the
// same, or nearly the same, but whose labels differ. It is pure
// computation on columns already in memory; the caller loads them
// (labels.Load, or the scan of a check) and says which are features.
//
// Glossary:
//
//   - A feature is a column the rows are compared on: numeric (float64) or
//     text (string), each value possibly null.
//   - A row's normalised features are what is compared. Text is trimmed of
//     surrounding white space (strings.TrimSpace, always) and, with
//     Options.CaseFold, case-folded by Unicode simple folding (the
//     equivalence strings.EqualFold uses: "K", "k" and the Kelvin sign are
//     one letter; "ß" is not "ss"). Numbers compare by value: 0 and -0 are
//     equal, every NaN equals every NaN, +Inf equals +Inf. A null equals a
//     null and nothing else.
//   - A label is a class code: an index into the class names, or -1 where
//     the label is missing. Rows without a label are left out of
//     everything: they are in no group and count nowhere.
//   - A duplicate group is a set of two or more labelled rows with equal
//     normalised features (Exact). A conflict group is a duplicate group
//     whose rows carry two or more distinct labels; an agreeing group is
//     one whose rows all carry the same label.
//   - Within tolerance (Options.FloatTolerance t > 0): two rows match when
//     every text feature is equal as above, the same numeric features are
//     null, non-finite numbers are equal, and every other numeric feature
//     differs by at most t, computed as math.Abs(a-b) <= t in float64 (the
//     bound is inclusive). Matching is not transitive (1.0 matches 1.4 and
//     1.4 matches 1.8, but 1.0 does not match 1.8 with t = 0.5), so a group
//     is a connected component of the matching relation: rows linked by a
//     chain of matches (single linkage). A group's spread can therefore
//     exceed t; keep t to the size of noise in the data (rounding, unit
//     conversion), not to the size of real differences.
//   - A near group (Near) is a neighbourhood in a standardised feature
//     space: a point (the rows sharing one normalised feature vector) and
//     its nearest other points, reported when its rows carry two or more
//     distinct labels. See Near for the distance.
//   - A group's distribution counts its rows per label; its suggested
//     label is the majority. Ties go to the label that is most frequent
//     among all labelled rows, then to the smallest code. Its score is
//     1 − (majority rows / rows): 0.5 for a 1:1 split, 0.67 for 1:1:1, 0.25
//     for 3:1. Groups come as a review queue: highest score first, then
//     larger groups, then by first row.
//
// Costs. Exact hashes every row once (xxh3 for text), groups rows by hash
// in cache-sized partitions and verifies equality, so hash collisions
// never merge rows: linear time, about 40 bytes of memory per row. A
// tolerance adds a k-d tree search per set of rows whose text features
// are equal; it costs time in proportion to the pairs of distinct rows
// within tolerance of each other (quadratic in the worst case, when the
// tolerance is wide compared with the spread of the data). Near is exact
// (brute force, in parallel) up to NearOptions.ExactLimit distinct points
// and approximate (random-projection LSH) beyond; see Near.
package conflicts
