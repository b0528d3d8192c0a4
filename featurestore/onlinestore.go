package featurestore

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/dataset/store/local"
	"github.com/assayhq/assay/featurestore/defs"
	"github.com/assayhq/assay/featurestore/online"
)

// DefaultOnlinePath is the embedded online store's file, relative to a
// local repository's directory.
const DefaultOnlinePath = "featurestore/online.bolt"

// OnlineOptions say how to open the online store.
type OnlineOptions struct {
	// ReadOnly opens a bolt store for reading, sharing it with other
	// readers (serving, get); it must exist.
	ReadOnly bool
	// Wait bounds the wait for another process's lock on a bolt file.
	Wait time.Duration
}

// OpenOnline opens the online store the definitions name; nil cfg means
// the default, a bolt file inside the repository. It returns the store
// and its identity for materialization runs (bolt:PATH or the Redis URL
// and prefix).
func OpenOnline(ctx context.Context, repo *dataset.Repo, cfg *defs.OnlineStore, opts OnlineOptions) (online.Store, string, error) {
	if cfg == nil {
		cfg = &defs.OnlineStore{Type: defs.OnlineBolt}
	}
	switch cfg.Type {
	case defs.OnlineBolt:
		path := cfg.Path
		if path == "" {
			path = DefaultOnlinePath
		}
		id := "bolt:" + filepath.ToSlash(path)
		if !filepath.IsAbs(path) {
			ls, ok := repo.Store().(*local.Store)
			if !ok {
				return nil, "", fmt.Errorf("%w: the repository %s is not a local directory, so it cannot hold the embedded online store: name an absolute path or a redis online_store in the definitions", dataset.ErrInvalid, repo.Location)
			}
			path = filepath.Join(ls.Dir(), path)
		}
		if opts.ReadOnly {
			if _, err := os.Stat(path); os.IsNotExist(err) {
				return nil, "", fmt.Errorf("%w: the online store %s does not exist yet: run `assay features materialize` first", dataset.ErrNotFound, path)
			}
		} else if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return nil, "", err
		}
		s, err := online.OpenBolt(path, online.BoltOptions{ReadOnly: opts.ReadOnly, Timeout: opts.Wait})
		if err != nil {
			return nil, "", err
		}
		return s, id, nil
	case defs.OnlineRedis:
		ro, err := redis.ParseURL(cfg.URL)
		if err != nil {
			return nil, "", fmt.Errorf("%w: online store %s: %v", dataset.ErrInvalid, cfg.URL, err)
		}
		if pw := os.Getenv(defs.RedisPasswordEnv); pw != "" {
			ro.Password = pw
		}
		client := redis.NewClient(ro)
		pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		if err := client.Ping(pctx).Err(); err != nil {
			client.Close()
			return nil, "", fmt.Errorf("online store %s: %w", cfg.URL, err)
		}
		s, err := online.NewRedis(ctx, client, online.RedisOptions{Prefix: cfg.Prefix})
		if err != nil {
			client.Close()
			return nil, "", err
		}
		u, _ := url.Parse(cfg.URL)
		id := u.Redacted()
		if cfg.Prefix != "" {
			id += " prefix " + cfg.Prefix
		}
		return s, id, nil
	}
	return nil, "", fmt.Errorf("%w: unknown online store type %q", dataset.ErrInvalid, cfg.Type)
}

// KeyKinds returns the online type of every join key the views use, read
// from their sources' schemas: integers are online.KindInt64, strings
// online.KindString. A key that is an integer in one source and a string
// in another is an error.
func KeyKinds(ctx context.Context, reg *defs.Registry, open Opener) (map[string]online.Kind, error) {
	kinds := map[string]online.Kind{}
	from := map[string]string{} // key → the source that set its kind
	type read struct {
		schema dataset.Schema
		label  string
	}
	schemas := map[string]read{} // by source: views often share one
	for _, v := range reg.Views {
		s := reg.Source(v.Source)
		r, ok := schemas[s.Name]
		if !ok {
			var err error
			if r.schema, r.label, err = sourceSchema(ctx, open, s); err != nil {
				return nil, fmt.Errorf("view %s: source %s: %w", v.Name, s.Name, err)
			}
			schemas[s.Name] = r
		}
		schema := r.schema
		for _, k := range viewKeys(reg, v) {
			i := schema.Index(k)
			if i < 0 {
				return nil, fmt.Errorf("%w: view %s: %s has no join key column %q", dataset.ErrInvalid, v.Name, r.label, k)
			}
			kind := online.KindString
			switch schema[i].Type {
			case dataset.Int32, dataset.Int64:
				kind = online.KindInt64
			case dataset.String, dataset.Binary:
			default:
				return nil, fmt.Errorf("%w: view %s: join key %q is %s; keys must be integers or strings", dataset.ErrInvalid, v.Name, k, schema[i].Type)
			}
			if old, ok := kinds[k]; ok && old != kind {
				return nil, fmt.Errorf("%w: join key %q is %s in source %s and %s in source %s", dataset.ErrInvalid, k, old, from[k], kind, s.Name)
			}
			kinds[k], from[k] = kind, s.Name
		}
	}
	return kinds, nil
}

// sourceSchema reads the schema of a source's data and the label of what
// it read (tx@v3 or a path).
func sourceSchema(ctx context.Context, open Opener, s *defs.Source) (dataset.Schema, string, error) {
	src, err := open(ctx, s.Path)
	if err != nil {
		return nil, "", err
	}
	defer src.Close()
	sc, err := src.Scanner(ctx)
	if err != nil {
		return nil, "", err
	}
	defer sc.Close()
	return sc.Schema(), src.Label, nil
}
