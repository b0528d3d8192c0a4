package dataset

import "errors"

var (
	// ErrNotFound means a dataset, version, tag, file or repository does not
	// exist.
	ErrNotFound = errors.New("not found")
	// ErrConflict means another writer created the version first. The error
	// names the version; an append retries on the new head.
	ErrConflict = errors.New("conflict")
	// ErrCorrupt means stored data does not match its hash, size or format.
	ErrCorrupt = errors.New("corrupt")
	// ErrInvalid means user input was rejected: a bad name, ref, file,
	// schema or option. The error says what and where.
	ErrInvalid = errors.New("invalid input")
	// ErrSchema means files do not share one schema, or an append does not
	// match the version it appends to. The error names the column and both
	// types.
	ErrSchema = errors.New("schema mismatch")
	// ErrExists means a repository, or a tag without --force, exists already.
	ErrExists = errors.New("already exists")
)
