// Package store defines the blob store every assay repository lives in.
//
// A Store holds immutable blobs under slash-separated keys such as
// "objects/sha256/ab/cdef…" or "datasets/churn/v/000003.json". It offers only
// operations an S3-compatible object store can do atomically:
//
//   - Open: read a blob with random access (S3: ranged GET);
//   - PutIfAbsent: create a blob only if its key is free (S3: conditional
//     PUT with If-None-Match: *), the primitive atomic commits build on;
//   - List: the keys under a prefix, with size and modification time;
//   - Delete: remove a blob (idempotent).
//
// Implementations live in subpackages (local, mem) and all pass the
// conformance suite in storetest.
package store

import (
	"context"
	"errors"
	"io"
	"time"
)

// Store is a blob store. Keys are non-empty, slash-separated, relative paths
// whose elements are not "." or ".."; implementations reject other keys with
// ErrInvalidKey. All methods are safe for concurrent use, also from several
// processes sharing one store.
type Store interface {
	// Open returns the blob stored under key, or an error wrapping
	// ErrNotFound.
	Open(ctx context.Context, key string) (Blob, error)
	// PutIfAbsent stores the content of r under key if no blob has that key.
	// It returns an error wrapping ErrExists, and stores nothing, when the
	// key is taken. The blob becomes visible all at once, complete, or not
	// at all: readers never see a partial blob, even after a crash.
	PutIfAbsent(ctx context.Context, key string, r io.Reader) error
	// List returns the entries whose keys start with prefix, sorted by key.
	// A prefix ending in "/" lists a "directory" recursively.
	List(ctx context.Context, prefix string) ([]Entry, error)
	// Delete removes the blob under key. Deleting a missing key is not an
	// error.
	Delete(ctx context.Context, key string) error
}

// Blob is an open blob: random access for Parquet footers and pages.
type Blob interface {
	io.ReaderAt
	io.Closer
	// Size is the length of the blob in bytes.
	Size() int64
}

// Entry describes one blob in a listing.
type Entry struct {
	Key     string
	Size    int64
	ModTime time.Time
}

var (
	// ErrNotFound means no blob has the key.
	ErrNotFound = errors.New("not found")
	// ErrExists means PutIfAbsent found the key taken.
	ErrExists = errors.New("already exists")
	// ErrInvalidKey means the key is empty, absolute, or has "." or ".."
	// elements, or other characters the store cannot hold.
	ErrInvalidKey = errors.New("invalid key")
)

// ContextReader returns a reader of r that fails with ctx's error once ctx
// is done, so that long copies into or out of a store stop on
// cancellation.
func ContextReader(ctx context.Context, r io.Reader) io.Reader { return ctxReader{ctx, r} }

type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
