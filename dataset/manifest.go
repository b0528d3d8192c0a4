package dataset

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/assayhq/assay/dataset/profile"
)

// FormatVersion is the repository format this assay writes and reads: the
// "format" field of the repository's config and of every manifest. See
// FORMAT.md.
const FormatVersion = 1

// Manifest describes one immutable version of a dataset. Its JSON form is
// stored at datasets/NAME/v/NNNNNN.json.
type Manifest struct {
	Format   int               `json:"format"`
	Dataset  string            `json:"dataset"`
	Version  int               `json:"version"`
	Parent   int               `json:"parent,omitempty"` // 0 for the first version
	Op       string            `json:"op"`               // "commit" or "append"
	Message  string            `json:"message"`
	Author   string            `json:"author"`
	Time     time.Time         `json:"time"`
	Metadata map[string]string `json:"metadata,omitempty"`
	Schema   Schema            `json:"schema"`
	Rows     int64             `json:"rows"`
	Bytes    int64             `json:"bytes"`
	Files    []File            `json:"files"`
	// Profile is the summary of every supported column, computed at commit.
	Profile *profile.Summary `json:"profile,omitempty"`
	// ProfileObject is the object holding the mergeable profile state
	// (sketches), so that appends and later analyses need no rescan.
	ProfileObject string `json:"profile_object,omitempty"`
}

// File is one data file of a version.
type File struct {
	Name   string `json:"name"`             // unique within the version
	Object string `json:"object"`           // "sha256:<hex>"
	Size   int64  `json:"size"`             // bytes
	Rows   int64  `json:"rows"`             //
	Source string `json:"source,omitempty"` // the CSV it was converted from
}

// Label is the version's ref in canonical form, e.g. "churn@v3".
func (m *Manifest) Label() string { return fmt.Sprintf("%s@v%d", m.Dataset, m.Version) }

func manifestKey(name string, version int) string {
	return fmt.Sprintf("datasets/%s/v/%06d.json", name, version)
}

func tagPrefix(name, tag string) string { return fmt.Sprintf("datasets/%s/tags/%s/", name, tag) }

// objectKey maps "sha256:<hex>" to its blob key.
func objectKey(id string) (string, error) {
	hex, ok := strings.CutPrefix(id, "sha256:")
	if !ok || len(hex) != 64 || strings.Trim(hex, "0123456789abcdef") != "" {
		return "", fmt.Errorf("%w: bad object id %q", ErrCorrupt, id)
	}
	return "objects/sha256/" + hex[:2] + "/" + hex[2:], nil
}

// objectID maps a blob key back to its id; ok is false for other keys.
func objectID(key string) (string, bool) {
	rest, ok := strings.CutPrefix(key, "objects/sha256/")
	if !ok || len(rest) != 65 || rest[2] != '/' {
		return "", false
	}
	return "sha256:" + rest[:2] + rest[3:], true
}

func decodeManifest(key string, data []byte) (*Manifest, error) {
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrCorrupt, key, err)
	}
	if m.Format != FormatVersion {
		return nil, fmt.Errorf("%w: %s: format %d, this assay reads format %d", ErrCorrupt, key, m.Format, FormatVersion)
	}
	if m.Version < 1 || m.Dataset == "" {
		return nil, fmt.Errorf("%w: %s: no dataset or version", ErrCorrupt, key)
	}
	names := make(map[string]bool, len(m.Files))
	for _, f := range m.Files {
		if err := checkFileName(f.Name); err != nil {
			return nil, fmt.Errorf("%s: %w", key, err)
		}
		if names[f.Name] {
			return nil, fmt.Errorf("%w: %s: file name %q appears twice", ErrCorrupt, key, f.Name)
		}
		names[f.Name] = true
		if _, err := objectKey(f.Object); err != nil {
			return nil, fmt.Errorf("%s: file %s: %w", key, f.Name, err)
		}
	}
	return &m, nil
}

// checkFileName rejects a file name of a version that is not a plain
// file name: checkout joins it to a directory, so "../x" or "a/b" would
// write outside it.
func checkFileName(name string) error {
	if name == "" || name == "." || name == ".." || strings.ContainsAny(name, "/\\\x00") || !filepath.IsLocal(name) {
		return fmt.Errorf("%w: bad file name %q", ErrCorrupt, name)
	}
	return nil
}

// tagRecord is one entry of a tag's log: datasets/NAME/tags/TAG/NNNNNN.json.
// The highest number is the tag's current target; moving a tag (--force)
// adds an entry, so a move is one atomic put and the history stays.
type tagRecord struct {
	Format  int       `json:"format"`
	Version int       `json:"version"`
	Author  string    `json:"author"`
	Time    time.Time `json:"time"`
}

// jsonUnmarshalStrict decodes JSON that must match v's fields exactly.
func jsonUnmarshalStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}
