// Package dataset versions Parquet datasets and reads them.
//
// Glossary:
//   - Repo: a repository of datasets in a blob store (see store and
//     FORMAT.md). Content-addressed objects hold the data files; one
//     immutable manifest per version lists them.
//   - Manifest: a version of a dataset: files, schema, row count, parent,
//     message, author, time, metadata and profile.
//   - Ref: how users name data: name, name@v3, name@TAG, name@~1,
//     name@<time>, or a path or glob of files (ParseRef).
//   - Source: resolved data a command reads, a version or local files.
//   - Scanner: streams Arrow record batches from Parquet files, one row
//     group per task, row groups in parallel. It is the only place where
//     Parquet becomes Arrow.
//   - Profile: the mergeable per-column summary (package profile), computed
//     at commit and stored with the version.
//
// Commits are atomic: objects are stored first, then the manifest is
// created with put-if-absent on the next version number. Errors wrap the
// sentinels of errors.go, which callers map to exit codes.
package dataset
