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
