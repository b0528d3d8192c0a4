package dataset

import (
	"context"
	"fmt"
	"strings"

	"github.com/assayhq/assay/dataset/store/s3"
)

// IsURL reports whether a repository location is a URL (s3://bucket/prefix)
// rather than a local directory.
func IsURL(location string) bool { return strings.HasPrefix(location, "s3://") }

// OpenLocation opens the repository at a local directory or at an
// s3://bucket/prefix URL (endpoint, region and credentials from the usual
// AWS environment variables; see package s3).
func OpenLocation(ctx context.Context, location string) (*Repo, error) {
	if !IsURL(location) {
		return OpenDir(ctx, location)
	}
	st, err := openS3(ctx, location)
	if err != nil {
		return nil, err
	}
	return New(ctx, st, location)
}

// InitLocation creates a repository at a local directory or an s3:// URL.
func InitLocation(ctx context.Context, location string) (*Repo, error) {
	if !IsURL(location) {
		return InitDir(ctx, location)
	}
	st, err := openS3(ctx, location)
	if err != nil {
		return nil, err
	}
	return Init(ctx, st, location)
}

func openS3(ctx context.Context, location string) (*s3.Store, error) {
	opts, err := s3.ParseURL(location)
	if err != nil {
		return nil, fmt.Errorf("%w: repository %s: %v", ErrInvalid, location, err)
	}
	st, err := s3.New(ctx, opts)
	if err != nil {
		return nil, fmt.Errorf("repository %s: %w", location, err)
	}
	return st, nil
}
