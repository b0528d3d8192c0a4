package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/dataset/store"
	"github.com/assayhq/assay/dataset/store/local"
	"github.com/assayhq/assay/dataset/store/s3"
)

// The exchange is where a pipeline leaves its merged states for the
// launcher: a directory on a disk both see (the default, a temporary
// directory, suits runners on this machine) or an S3 prefix.

// openExchange opens the exchange store at a directory or s3:// URL.
func openExchange(ctx context.Context, location string) (store.Store, error) {
	if !dataset.IsURL(location) {
		return local.New(location)
	}
	opts, err := s3.ParseURL(location)
	if err != nil {
		return nil, err
	}
	return s3.New(ctx, opts)
}

// newRunKey returns a fresh key prefix for one run's states.
func newRunKey() string {
	var b [8]byte
	rand.Read(b[:])
	return "assay-beam/" + hex.EncodeToString(b[:])
}

// readState reads a stream's merged state and deletes it.
func readState(ctx context.Context, st store.Store, run string, stream int) ([]byte, error) {
	key := stateKey(run, stream)
	blob, err := st.Open(ctx, key)
	if err != nil {
		return nil, err
	}
	b, err := io.ReadAll(io.NewSectionReader(blob, 0, blob.Size()))
	blob.Close()
	if err != nil {
		return nil, err
	}
	return b, st.Delete(ctx, key)
}
