package track

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/dataset/store"
	"github.com/assayhq/assay/dataset/suggest"
)

// Version is a registered model version, stored as
// models/NAME/v/NNNNNN.json.
type Version struct {
	Format      int       `json:"format"`
	Model       string    `json:"model"`
	Version     int       `json:"version"`
	Run         string    `json:"run"`
	Trainer     string    `json:"trainer"`
	Description string    `json:"description,omitempty"`
	Author      string    `json:"author,omitempty"`
	Time        time.Time `json:"time"`
	// Signature and Summary are copied from the run, so that listing and
	// comparing versions reads no run.
	Signature json.RawMessage `json:"signature,omitempty"`
	Summary   Summary         `json:"summary,omitempty"`
}

// Label returns "name@vN".
func (v *Version) Label() string { return fmt.Sprintf("%s@v%d", v.Model, v.Version) }

// Tag is one entry of a version's tag log.
type Tag struct {
	Key    string    `json:"key"`
	Value  string    `json:"value"`
	Author string    `json:"author,omitempty"`
	Time   time.Time `json:"time"`
}

// aliasRecord is one entry of an alias's log; Version 0 removes it.
type aliasRecord struct {
	Format  int       `json:"format"`
	Version int       `json:"version"`
	Author  string    `json:"author,omitempty"`
	Time    time.Time `json:"time"`
}

var nameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$`)

// ValidateName checks a model or alias name: 1-128 of [A-Za-z0-9._-],
// starting with a letter or digit, no "..", and not readable as a
// version ("v3", "3").
func ValidateName(kind, name string) error {
	switch {
	case !nameRE.MatchString(name) || strings.Contains(name, ".."):
		return fmt.Errorf("%w: %s name %q: use 1 to 128 letters, digits, '.', '_' and '-', starting with a letter or digit", dataset.ErrInvalid, kind, name)
	case isVersion(name):
		return fmt.Errorf("%w: %s name %q reads as a version", dataset.ErrInvalid, kind, name)
	}
	return nil
}

func isVersion(s string) bool {
	_, err := strconv.Atoi(strings.TrimPrefix(s, "v"))
	return err == nil
}

func modelPrefix(name string) string { return "models/" + name + "/" }

// maxAttempts bounds the numbers tried when writers race.
const maxAttempts = 100

// Register stores a run as the next version of model name.
func Register(ctx context.Context, repo *dataset.Repo, name string, run *Run, description, author string) (*Version, error) {
	if err := ValidateName("model", name); err != nil {
		return nil, err
	}
	v := &Version{Format: FormatVersion, Model: name, Run: run.ID, Trainer: run.Trainer, Description: description,
		Author: author, Time: time.Now().UTC(), Signature: run.Signature, Summary: run.Summary}
	next, _, err := logNext(ctx, repo, modelPrefix(name)+"v/")
	if err != nil {
		return nil, err
	}
	for range maxAttempts {
		v.Version = next
		js, err := json.MarshalIndent(v, "", "  ")
		if err != nil {
			return nil, err
		}
		err = put(ctx, repo, fmt.Sprintf("%sv/%06d.json", modelPrefix(name), next), js)
		if errors.Is(err, store.ErrExists) {
			next++
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("register %s: %w", name, err)
		}
		return v, nil
	}
	return nil, fmt.Errorf("register %s: %w: gave up after %d taken numbers", name, dataset.ErrConflict, maxAttempts)
}

// Models lists the registered model names, sorted.
func Models(ctx context.Context, repo *dataset.Repo) ([]string, error) {
	entries, err := repo.Store().List(ctx, "models/")
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		parts := strings.Split(e.Key, "/")
		if len(parts) == 4 && parts[2] == "v" {
			out = append(out, parts[1])
		}
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// Versions returns the versions of a model, oldest first.
func Versions(ctx context.Context, repo *dataset.Repo, name string) ([]*Version, error) {
	_, keys, err := logNext(ctx, repo, modelPrefix(name)+"v/")
	if err != nil {
		return nil, err
	}
	if len(keys) == 0 {
		return nil, unknownModel(ctx, repo, name)
	}
	out := make([]*Version, 0, len(keys))
	for _, k := range keys {
		v, err := readVersion(ctx, repo, k)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

func readVersion(ctx context.Context, repo *dataset.Repo, key string) (*Version, error) {
	data, err := read(ctx, repo, key)
	if err != nil {
		return nil, err
	}
	var v Version
	if err := json.Unmarshal(data, &v); err != nil || v.Version < 1 {
		return nil, fmt.Errorf("%w: %s: bad model version", dataset.ErrCorrupt, key)
	}
	return &v, nil
}

// GetVersion returns version n of a model.
func GetVersion(ctx context.Context, repo *dataset.Repo, name string, n int) (*Version, error) {
	v, err := readVersion(ctx, repo, fmt.Sprintf("%sv/%06d.json", modelPrefix(name), n))
	if errors.Is(err, dataset.ErrNotFound) {
		if _, verr := Versions(ctx, repo, name); verr != nil {
			return nil, verr
		}
		return nil, fmt.Errorf("%w: model %s has no version %d", dataset.ErrNotFound, name, n)
	}
	return v, err
}

func unknownModel(ctx context.Context, repo *dataset.Repo, name string) error {
	names, err := Models(ctx, repo)
	if err != nil {
		return err
	}
	msg := fmt.Sprintf("no model is registered as %s", name)
	if near := suggest.Nearest(name, names); near != "" {
		msg += "; did you mean " + near + "?"
	} else if len(names) == 0 {
		msg += " (no models yet: assay models register RUN --name NAME)"
	}
	return fmt.Errorf("%w: %s", dataset.ErrNotFound, msg)
}

// Resolve reads a model reference: NAME (the newest version), NAME@vN
// or NAME@N, or NAME@ALIAS.
func Resolve(ctx context.Context, repo *dataset.Repo, ref string) (*Version, error) {
	name, sel, hasSel := strings.Cut(ref, "@")
	if err := ValidateName("model", name); err != nil {
		return nil, err
	}
	if !hasSel {
		vs, err := Versions(ctx, repo, name)
		if err != nil {
			return nil, err
		}
		return vs[len(vs)-1], nil
	}
	if isVersion(sel) {
		n, _ := strconv.Atoi(strings.TrimPrefix(sel, "v"))
		return GetVersion(ctx, repo, name, n)
	}
	aliases, err := Aliases(ctx, repo, name)
	if err != nil {
		return nil, err
	}
	n, ok := aliases[sel]
	if !ok {
		if _, err := Versions(ctx, repo, name); err != nil {
			return nil, err
		}
		known := make([]string, 0, len(aliases))
		for a := range aliases {
			known = append(known, a)
		}
		slices.Sort(known)
		hint := "it has no aliases"
		if len(known) > 0 {
			hint = "aliases: " + strings.Join(known, ", ")
		}
		return nil, fmt.Errorf("%w: model %s has no alias %s (%s)", dataset.ErrNotFound, name, sel, hint)
	}
	return GetVersion(ctx, repo, name, n)
}

// SetAlias points alias of model name at version n, atomically: one put
// of the next entry of the alias's log. n = 0 removes the alias. A
// writer that moved it at the same time makes this an ErrConflict.
func SetAlias(ctx context.Context, repo *dataset.Repo, name, alias string, n int, author string) error {
	if err := ValidateName("alias", alias); err != nil {
		return err
	}
	if n > 0 {
		if _, err := GetVersion(ctx, repo, name, n); err != nil {
			return err
		}
	}
	prefix := fmt.Sprintf("%saliases/%s/", modelPrefix(name), alias)
	next, _, err := logNext(ctx, repo, prefix)
	if err != nil {
		return err
	}
	js, _ := json.Marshal(aliasRecord{Format: FormatVersion, Version: n, Author: author, Time: time.Now().UTC()})
	err = put(ctx, repo, fmt.Sprintf("%s%06d.json", prefix, next), js)
	if errors.Is(err, store.ErrExists) {
		return fmt.Errorf("%w: alias %s@%s was moved by another writer at the same time", dataset.ErrConflict, name, alias)
	}
	return err
}

// Aliases returns the aliases of a model and the versions they name.
func Aliases(ctx context.Context, repo *dataset.Repo, name string) (map[string]int, error) {
	prefix := modelPrefix(name) + "aliases/"
	entries, err := repo.Store().List(ctx, prefix)
	if err != nil {
		return nil, err
	}
	last := map[string]string{} // alias → its newest log key (keys sort by number)
	for _, e := range entries {
		alias, rest, ok := strings.Cut(strings.TrimPrefix(e.Key, prefix), "/")
		if ok && !strings.Contains(rest, "/") && strings.HasSuffix(rest, ".json") {
			last[alias] = e.Key
		}
	}
	out := map[string]int{}
	for alias, key := range last {
		data, err := read(ctx, repo, key)
		if err != nil {
			return nil, err
		}
		var rec aliasRecord
		if err := json.Unmarshal(data, &rec); err != nil || rec.Version < 0 {
			return nil, fmt.Errorf("%w: %s: bad alias record", dataset.ErrCorrupt, key)
		}
		if rec.Version > 0 {
			out[alias] = rec.Version
		}
	}
	return out, nil
}

// SetTag adds a tag entry to version n of model name.
func SetTag(ctx context.Context, repo *dataset.Repo, name string, n int, key, value, author string) error {
	if key == "" || strings.ContainsAny(key, "\n") {
		return fmt.Errorf("%w: bad tag key %q", dataset.ErrInvalid, key)
	}
	if _, err := GetVersion(ctx, repo, name, n); err != nil {
		return err
	}
	prefix := fmt.Sprintf("%sv/%06d/tags/", modelPrefix(name), n)
	js, _ := json.Marshal(Tag{Key: key, Value: value, Author: author, Time: time.Now().UTC()})
	for range maxAttempts {
		next, _, err := logNext(ctx, repo, prefix)
		if err != nil {
			return err
		}
		err = put(ctx, repo, fmt.Sprintf("%s%06d.json", prefix, next), js)
		if !errors.Is(err, store.ErrExists) {
			return err
		}
	}
	return fmt.Errorf("tag %s@v%d: %w", name, n, dataset.ErrConflict)
}

// Tags returns the current tags of version n: the newest value per key.
func Tags(ctx context.Context, repo *dataset.Repo, name string, n int) (map[string]Tag, error) {
	_, keys, err := logNext(ctx, repo, fmt.Sprintf("%sv/%06d/tags/", modelPrefix(name), n))
	if err != nil {
		return nil, err
	}
	out := map[string]Tag{}
	for _, k := range keys {
		data, err := read(ctx, repo, k)
		if err != nil {
			return nil, err
		}
		var t Tag
		if err := json.Unmarshal(data, &t); err != nil {
			return nil, fmt.Errorf("%w: %s: bad tag", dataset.ErrCorrupt, k)
		}
		out[t.Key] = t
	}
	return out, nil
}
