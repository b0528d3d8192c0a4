package dataset

import (
	"context"
	"fmt"
	"strings"

	"github.com/assayhq/assay/dataset/csvconv"
	"github.com/assayhq/assay/dataset/profile"
)

// Source is data a command reads: a dataset version from a repository, or
// Parquet and CSV files named by path or glob (no repository needed).
type Source struct {
	// Label names the source in output: "churn@v3" or the path as given.
	Label string
	// Manifest is the version's manifest; nil for paths.
	Manifest *Manifest
	repo     *Repo
	prep     *prepared
	inputs   []Input
}

// OpenSource resolves a ref. repo may be nil, for paths; a dataset ref
// without a repository is an ErrNotFound error that says so.
func OpenSource(ctx context.Context, repo *Repo, refText string, csv csvconv.Options) (*Source, error) {
	ref, err := ParseRef(refText)
	if err != nil {
		return nil, err
	}
	if ref.Kind == RefPath {
		prep, err := prepare(ctx, []string{ref.Path}, csv)
		if err != nil {
			return nil, err
		}
		return &Source{Label: ref.Path, prep: prep, inputs: prep.inputs()}, nil
	}
	if repo == nil {
		return nil, fmt.Errorf("%w: %q names a dataset, but there is no repository (run `assay init`, pass --repo, or give a file path)", ErrNotFound, refText)
	}
	m, err := repo.Resolve(ctx, ref)
	if err != nil {
		return nil, err
	}
	return &Source{Label: m.Label(), Manifest: m, repo: repo, inputs: repo.Inputs(m)}, nil
}

// Close removes temporary files (Parquet converted from CSV).
func (s *Source) Close() error {
	if s.prep != nil {
		return s.prep.Close()
	}
	return nil
}

// Converted reports whether any of the source's files is Parquet converted
// from CSV on this machine (in a temporary directory other machines do not
// see).
func (s *Source) Converted() bool {
	if s.prep == nil {
		return false
	}
	for _, f := range s.prep.files {
		if f.Source != "" {
			return true
		}
	}
	return false
}

// Inputs returns the source's files as scan inputs.
func (s *Source) Inputs() []Input { return s.inputs }

// Scanner opens the source's files for scanning; close it after use.
func (s *Source) Scanner(ctx context.Context) (*Scanner, error) {
	return NewScanner(ctx, s.inputs)
}

// Profile returns the profile of the named columns (nil: all). A dataset
// version answers from the profile stored at commit, without a scan;
// files are scanned.
func (s *Source) Profile(ctx context.Context, columns []string, workers int) (*profile.Profile, error) {
	if s.Manifest != nil && s.Manifest.ProfileObject != "" {
		p, err := s.repo.LoadProfile(ctx, s.Manifest)
		if err != nil {
			return nil, err
		}
		if columns == nil {
			return p, nil
		}
		sel, err := p.Select(columns)
		if err != nil {
			return nil, s.columnError(columns)
		}
		return sel, nil
	}
	sc, err := s.Scanner(ctx)
	if err != nil {
		return nil, err
	}
	defer sc.Close()
	return Profile(ctx, sc, ScanOptions{Columns: columns, Workers: workers})
}

func (s *Source) columnError(columns []string) error {
	for _, c := range columns {
		i := s.Manifest.Schema.Index(c)
		if i < 0 {
			return fmt.Errorf("%w: %s has no column %q (columns: %s)", ErrInvalid, s.Label, c, joinNames(s.Manifest.Schema.Names()))
		}
		if u := s.Manifest.Schema[i].Unsupported; u != "" {
			return fmt.Errorf("%w: %s: column %q: %s", ErrInvalid, s.Label, c, u)
		}
	}
	return fmt.Errorf("%w: %s: columns %s", ErrInvalid, s.Label, strings.Join(columns, ", "))
}

// DefaultCSVOptions are the CSV conversion options of commands that read
// CSV paths without flags for them.
func DefaultCSVOptions() csvconv.Options { return csvconv.DefaultOptions() }

// Metadata returns the value of a key of the Parquet footer's key-value
// metadata in the source's first file ("" when absent): what
// WriterOptions.Metadata wrote, such as a training set's lineage.
func (s *Source) Metadata(ctx context.Context, key string) (string, error) {
	if len(s.inputs) == 0 {
		return "", nil
	}
	in := s.inputs[0]
	b, err := in.Open(ctx)
	if err != nil {
		return "", err
	}
	defer b.Close()
	f, err := openParquet(in.Name, b)
	if err != nil {
		return "", err
	}
	v, _ := f.Lookup(key)
	return v, nil
}
