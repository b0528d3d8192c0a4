package dataset

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"os/user"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/assayhq/assay/dataset/csvconv"
	"github.com/assayhq/assay/dataset/profile"
	"github.com/assayhq/assay/dataset/store"
)

// CommitOptions configure Commit.
type CommitOptions struct {
	Name    string   // dataset name
	Paths   []string // files, directories or globs of Parquet or CSV files
	Message string
	// Append adds the files to the head version instead of replacing its
	// file set; the schema must match the head's.
	Append   bool
	Metadata map[string]string
	Author   string    // default: $ASSAY_AUTHOR, else user@host
	Time     time.Time // default: now
	CSV      csvconv.Options
	Workers  int // scan workers (default GOMAXPROCS)
	// Retries bounds how often an append retries after losing a race for
	// the next version number (default 64).
	Retries int
	// Gate, when set, sees the version about to be committed (its files
	// and a provisional manifest, nothing stored yet) after the input is
	// validated; an error stops the commit with nothing written. assay's
	// `commit --check rules.yaml` runs the checks here.
	Gate func(ctx context.Context, version *Source) error
}

// Validate checks the options that need no I/O.
func (o *CommitOptions) Validate() error {
	if err := ValidateName("dataset", o.Name); err != nil {
		return err
	}
	if len(o.Paths) == 0 {
		return fmt.Errorf("%w: no files to commit", ErrInvalid)
	}
	if strings.TrimSpace(o.Message) == "" {
		return fmt.Errorf("%w: a commit needs a message (-m)", ErrInvalid)
	}
	for k := range o.Metadata {
		if k == "" {
			return fmt.Errorf("%w: empty metadata key", ErrInvalid)
		}
	}
	return nil
}

// DefaultAuthor names the committer: $ASSAY_AUTHOR, else user@host.
func DefaultAuthor() string {
	if a := os.Getenv("ASSAY_AUTHOR"); a != "" {
		return a
	}
	name := os.Getenv("USER")
	if name == "" {
		if u, err := user.Current(); err == nil {
			name = u.Username
		}
	}
	if name == "" {
		name = "unknown"
	}
	host, _ := os.Hostname()
	if host == "" {
		return name
	}
	return name + "@" + host
}

// gate shows the version about to be committed to opts.Gate.
func (r *Repo) gate(ctx context.Context, opts CommitOptions, head *Manifest, schema Schema, prep *prepared) error {
	m := &Manifest{Format: FormatVersion, Dataset: opts.Name, Version: 1, Op: "commit", Message: opts.Message,
		Author: opts.Author, Time: time.Now().UTC(), Metadata: opts.Metadata, Schema: schema}
	var inputs []Input
	if head != nil {
		m.Version, m.Parent = head.Version+1, head.Version
		if opts.Append {
			m.Op = "append"
			m.Schema = head.Schema.Merge(schema)
			inputs = append(inputs, r.Inputs(head)...)
		}
	}
	inputs = append(inputs, prep.inputs()...)
	src := &Source{Label: fmt.Sprintf("%s (not committed)", m.Label()), Manifest: m, repo: r, inputs: inputs}
	return opts.Gate(ctx, src)
}

// csvTypes returns the CSV conversion types that reproduce a schema's
// columns, for the columns CSV conversion can produce.
func csvTypes(s Schema) map[string]csvconv.Type {
	out := map[string]csvconv.Type{}
	for _, c := range s {
		switch {
		case c.Type == Int64:
			out[c.Name] = csvconv.Int64
		case c.Type == Float64:
			out[c.Name] = csvconv.Float64
		case c.Type == Bool:
			out[c.Name] = csvconv.Bool
		case c.Type == String:
			out[c.Name] = csvconv.String
		case c.Type == TimestampUS && c.UTC:
			out[c.Name] = csvconv.Timestamp
		}
	}
	return out
}

// staged is a file ready to be referenced by a manifest.
type staged struct {
	File
	path string
}

// Commit records the files as the next version of a dataset. Everything
// that can be wrong with the input (missing files, bad CSV, mixed schemas,
// a schema that does not match on append) is found before anything is
// written. Then the data objects and the profile are stored, and last the
// manifest is created with put-if-absent: the version appears complete or
// not at all. Losing the race for the version number is an ErrConflict
// error naming it; an append retries on the new head instead.
func (r *Repo) Commit(ctx context.Context, opts CommitOptions) (*Manifest, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	if opts.Author == "" {
		opts.Author = DefaultAuthor()
	}
	if opts.Retries <= 0 {
		opts.Retries = 64
	}
	head, err := r.Head(ctx, opts.Name)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return nil, err
	}
	csv := opts.CSV
	if opts.Append && head != nil {
		// CSV columns take the types they have in the head, so that, say,
		// a batch of whole numbers in a float64 column stays float64.
		csv.Prefer = csvTypes(head.Schema)
	}
	prep, err := prepare(ctx, opts.Paths, csv)
	if err != nil {
		return nil, err
	}
	defer prep.Close()

	scan, err := NewScanner(ctx, prep.inputs())
	if err != nil {
		return nil, err
	}
	defer scan.Close()

	files := make([]staged, len(prep.files))
	var prof *profile.Profile
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		var err error
		prof, err = Profile(gctx, scan, ScanOptions{Workers: opts.Workers})
		return err
	})
	g.Go(func() error {
		for i, f := range prep.files {
			name := f.Path
			if f.Source != "" {
				name = f.Source
			}
			id, size, err := hashFile(gctx, f.Path, name)
			if err != nil {
				return err
			}
			files[i] = staged{File: File{Name: f.Name, Object: id, Size: size, Source: f.Source}, path: f.Path}
		}
		return nil
	})
	if err := g.Wait(); err != nil {
		return nil, err
	}
	var rows int64
	for i := range files {
		for _, rg := range scan.RowGroups() {
			if rg.File == i {
				files[i].Rows += rg.NumRows
			}
		}
		rows += files[i].Rows
	}

	if opts.Append && head != nil {
		if err := head.Schema.Compatible(scan.Schema()); err != nil {
			return nil, fmt.Errorf("append to %s: %w", head.Label(), err)
		}
	}

	if opts.Gate != nil {
		if err := r.gate(ctx, opts, head, scan.Schema(), prep); err != nil {
			return nil, err
		}
	}

	// Write the data objects: identical content is stored once.
	for _, f := range files {
		if err := r.putObjectFile(ctx, f.Object, f.path, f.displayName()); err != nil {
			return nil, err
		}
	}

	for attempt := 0; ; attempt++ {
		m, err := r.nextManifest(ctx, opts, head, scan.Schema(), files, prof)
		if err != nil {
			return nil, err
		}
		err = r.putManifest(ctx, m)
		if err == nil {
			return m, nil
		}
		if !errors.Is(err, ErrConflict) || !opts.Append || attempt >= opts.Retries {
			return nil, err
		}
		if head, err = r.Head(ctx, opts.Name); err != nil {
			return nil, err
		}
		if err := head.Schema.Compatible(scan.Schema()); err != nil {
			return nil, fmt.Errorf("append to %s: %w", head.Label(), err)
		}
		if err := sleepCtx(ctx, time.Duration(attempt+1)*7*time.Millisecond); err != nil {
			return nil, err
		}
	}
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// nextManifest builds the manifest of the version after head.
func (r *Repo) nextManifest(ctx context.Context, opts CommitOptions, head *Manifest, schema Schema, files []staged, prof *profile.Profile) (*Manifest, error) {
	now := opts.Time
	if now.IsZero() {
		now = time.Now()
	}
	m := &Manifest{
		Format:   FormatVersion,
		Dataset:  opts.Name,
		Version:  1,
		Op:       "commit",
		Message:  opts.Message,
		Author:   opts.Author,
		Time:     now.UTC().Truncate(time.Millisecond),
		Metadata: maps.Clone(opts.Metadata),
		Schema:   schema,
	}
	if head != nil {
		m.Version, m.Parent = head.Version+1, head.Version
	}
	total := prof
	if opts.Append && head != nil {
		m.Op = "append"
		m.Schema = head.Schema.Merge(schema)
		m.Files = append(m.Files, head.Files...)
		base, err := r.LoadProfile(ctx, head)
		if err != nil {
			return nil, err
		}
		// prof is reused across retries: merge it into the head's copy.
		if err := base.Merge(prof); err != nil {
			return nil, fmt.Errorf("append to %s: %w", head.Label(), err)
		}
		total = base
	}
	names := map[string]bool{}
	for _, f := range m.Files {
		names[f.Name] = true
	}
	for _, f := range files {
		nf := f.File
		nf.Name = uniqueName(names, nf.Name)
		names[nf.Name] = true
		m.Files = append(m.Files, nf)
	}
	for _, f := range m.Files {
		m.Rows += f.Rows
		m.Bytes += f.Size
	}
	blob, err := total.MarshalBinary()
	if err != nil {
		return nil, err
	}
	if m.ProfileObject, err = r.putObjectBytes(ctx, blob); err != nil {
		return nil, err
	}
	sum := total.Summary()
	m.Profile = &sum
	return m, nil
}

// uniqueName returns name, or name with "-2", "-3"… before its extension
// when a file of the version already has it.
func uniqueName(taken map[string]bool, name string) string {
	if !taken[name] {
		return name
	}
	ext := filepath.Ext(name)
	stem := strings.TrimSuffix(name, ext)
	for i := 2; ; i++ {
		n := fmt.Sprintf("%s-%d%s", stem, i, ext)
		if !taken[n] {
			return n
		}
	}
}

func (r *Repo) putManifest(ctx context.Context, m *Manifest) error {
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	key := manifestKey(m.Dataset, m.Version)
	if err := r.store.PutIfAbsent(ctx, key, bytes.NewReader(append(data, '\n'))); err != nil {
		if errors.Is(err, store.ErrExists) {
			return fmt.Errorf("%w: %s was committed by another writer first; nothing was written for this commit (retry, or use --append)", ErrConflict, m.Label())
		}
		return fmt.Errorf("write %s: %w", m.Label(), err)
	}
	return nil
}

// pathless drops the path of a temporary file (a CSV's Parquet copy) from
// an error about it, when the message names the file otherwise.
func pathless(err error, path, name string) error {
	var pe *fs.PathError
	if name != path && errors.As(err, &pe) && pe.Path == path {
		return pe.Err
	}
	return err
}

// displayName names a staged file in messages: the CSV it was converted
// from, not the temporary Parquet file, which the user never saw.
func (f staged) displayName() string {
	if f.Source != "" {
		return f.Source
	}
	return f.path
}

// hashFile returns the object id and size of a file; name is the file's
// name in messages.
func hashFile(ctx context.Context, path, name string) (string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, fmt.Errorf("hash %s: %w", name, pathless(err, path, name))
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, store.ContextReader(ctx, f))
	if err != nil {
		return "", 0, fmt.Errorf("hash %s: %w", name, pathless(err, path, name))
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil)), n, nil
}

// putObjectFile stores a file under its id unless the object exists; name
// is the file's name in messages.
func (r *Repo) putObjectFile(ctx context.Context, id, path, name string) error {
	key, err := objectKey(id)
	if err != nil {
		return err
	}
	if b, err := r.store.Open(ctx, key); err == nil {
		b.Close()
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("store %s: %w", name, pathless(err, path, name))
	}
	defer f.Close()
	h := sha256.New()
	err = r.store.PutIfAbsent(ctx, key, io.TeeReader(store.ContextReader(ctx, f), h))
	if err != nil && !errors.Is(err, store.ErrExists) {
		return fmt.Errorf("store %s: %w", name, pathless(err, path, name))
	}
	if err == nil && "sha256:"+hex.EncodeToString(h.Sum(nil)) != id {
		// The file changed between hashing and copying.
		r.store.Delete(ctx, key)
		return fmt.Errorf("%w: %s changed while it was being committed", ErrInvalid, name)
	}
	return nil
}

// putObjectBytes stores data as an object and returns its id.
func (r *Repo) putObjectBytes(ctx context.Context, data []byte) (string, error) {
	sum := sha256.Sum256(data)
	id := "sha256:" + hex.EncodeToString(sum[:])
	key, _ := objectKey(id)
	err := r.store.PutIfAbsent(ctx, key, bytes.NewReader(data))
	if err != nil && !errors.Is(err, store.ErrExists) {
		return "", err
	}
	return id, nil
}
