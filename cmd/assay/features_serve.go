package main

import (
	"context"
	"fmt"
	"net"
	"runtime"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/featurestore"
	"github.com/assayhq/assay/featurestore/defs"
	"github.com/assayhq/assay/featurestore/online"
	"github.com/assayhq/assay/featurestore/serve"
)

// defaultServeAddr is Feast's feature server port, on loopback.
const defaultServeAddr = "127.0.0.1:6566"

type featuresServeOptions struct {
	Addr        string
	Registry    int
	MaxBody     int64
	MaxEntities int
	Procs       int
}

func newFeaturesServeCmd(io *streams, g *globalOptions) *cobra.Command {
	opts := &featuresServeOptions{}
	cmd := &cobra.Command{
		Use:   "serve [--addr HOST:PORT]",
		Short: "Serve online features over HTTP (Feast's JSON API)",
		Long: `Serve the online store over HTTP until interrupted:

  POST /get-online-features   {"features": ["view:feature", ...] or "feature_service": "NAME",
                               "entities": {"join_key": [value, ...]}, "full_feature_names": false}
  GET  /health

The answer has, per feature name, one value, status (PRESENT, MISSING or
EXPIRED by the view's TTL; an expired value is null) and event timestamp
per entity row, as Feast's feature server writes it. Bad requests get 400
with {"error": "..."}; bodies over --max-body get 413.

The embedded online store is opened for reading and shared with other
readers; materializing into it waits until the server stops (use a redis
online_store to do both at once). The server has no login: serve on
loopback, or behind a proxy that authenticates.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runFeaturesServe(cmd.Context(), io, g, opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Addr, "addr", defaultServeAddr, "the address to listen on")
	f.IntVar(&opts.Registry, "registry-version", 0, "the definitions' version (default: the newest)")
	f.Int64Var(&opts.MaxBody, "max-body", serve.DefaultMaxBody, "the largest request body, in bytes")
	f.IntVar(&opts.MaxEntities, "max-entities", serve.DefaultMaxEntities, "the most entity rows per request")
	f.IntVar(&opts.Procs, "procs", 0, "OS threads running Go code at once (GOMAXPROCS; default: one per core); 1 can serve more on a small machine shared with Redis or clients")
	return cmd
}

// onlineServer is a feature server over the stored definitions and the
// online store, opened for reading.
type onlineServer struct {
	*serve.Server
	store   online.Store
	storeID string
	reg     *defs.Registry
	version int
	kinds   map[string]online.Kind // join key types, from the sources
}

// openOnlineServer opens the definitions of the version asked for, the
// online store and a server over them. The caller closes the store.
func openOnlineServer(ctx context.Context, g *globalOptions, version int, opts serve.Options) (*onlineServer, error) {
	repo, err := g.openRepo(ctx)
	if err != nil {
		return nil, err
	}
	reg, m, err := defs.Load(ctx, repo, version)
	if err != nil {
		return nil, err
	}
	kinds, err := featurestore.KeyKinds(ctx, reg, openerFor(repo))
	if err != nil {
		return nil, err
	}
	store, id, err := featurestore.OpenOnline(ctx, repo, reg.Online, featurestore.OnlineOptions{ReadOnly: true, Wait: 5 * time.Second})
	if err != nil {
		return nil, err
	}
	opts.KeyKinds = kinds
	srv, err := serve.New(reg, store, opts)
	if err != nil {
		store.Close()
		return nil, fmt.Errorf("%w: %v", dataset.ErrInvalid, err)
	}
	return &onlineServer{Server: srv, store: store, storeID: id, reg: reg, version: m.Version, kinds: kinds}, nil
}

func runFeaturesServe(ctx context.Context, io *streams, g *globalOptions, opts *featuresServeOptions) error {
	if opts.MaxBody <= 0 || opts.MaxEntities <= 0 || opts.Procs < 0 {
		return fmt.Errorf("%w: --max-body and --max-entities must be positive, --procs not negative", dataset.ErrInvalid)
	}
	if opts.Procs > 0 {
		// The server is the whole process from here on.
		runtime.GOMAXPROCS(opts.Procs)
	}
	srv, err := openOnlineServer(ctx, g, opts.Registry, serve.Options{MaxBody: opts.MaxBody, MaxEntities: opts.MaxEntities})
	if err != nil {
		return err
	}
	defer srv.store.Close()
	ln, err := net.Listen("tcp", opts.Addr)
	if err != nil {
		return fmt.Errorf("%w: --addr: %v", dataset.ErrInvalid, err)
	}
	if host, _, _ := net.SplitHostPort(opts.Addr); !isLoopback(host) {
		fmt.Fprintf(io.Err, "warning: serving on %s without a login: anyone who can reach it can read the features\n", opts.Addr)
	}
	fmt.Fprintf(io.Err, "Serving features v%d from %s at http://%s/get-online-features (Ctrl-C stops)\n", srv.version, srv.storeID, ln.Addr())
	if err := srv.Serve(ctx, ln); err != nil {
		return fmt.Errorf("features serve: %w", err)
	}
	fmt.Fprintln(io.Err, "Stopped.")
	return nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

type featuresGetOptions struct {
	Features  []string
	Entities  []string
	FullNames bool
	At        string
	Registry  int
	Format    string
}

func newFeaturesGetCmd(io *streams, g *globalOptions) *cobra.Command {
	opts := &featuresGetOptions{}
	cmd := &cobra.Command{
		Use:   "get --features SERVICE|view:feature,... --entity KEY=VALUE[,KEY=VALUE] ...",
		Short: "Read features of entities from the online store",
		Long: `Read the online features of one or more entities, as the feature server
answers them: each --entity is one entity row, its join keys as
KEY=VALUE pairs separated by commas. Values are read as the join key's
type in the sources (integer or string).

Each value has a status: present; missing (never materialized, or null);
or expired (older than the view's TTL at --at, default now), shown as
null. --format json writes the feature server's answer.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runFeaturesGet(cmd.Context(), io, g, opts)
		},
	}
	f := cmd.Flags()
	f.StringSliceVar(&opts.Features, "features", nil, "a feature service, views, or view:feature references")
	f.StringArrayVar(&opts.Entities, "entity", nil, "an entity row: `KEY=VALUE[,KEY=VALUE]` (repeatable)")
	f.BoolVar(&opts.FullNames, "full-names", false, "name features view__feature")
	f.StringVar(&opts.At, "at", "now", "the `TIME` freshness is judged at")
	f.IntVar(&opts.Registry, "registry-version", 0, "the definitions' version (default: the newest)")
	f.StringVar(&opts.Format, "format", "text", "output format: text or json")
	cmd.MarkFlagRequired("features")
	cmd.MarkFlagRequired("entity")
	return cmd
}

func runFeaturesGet(ctx context.Context, io *streams, g *globalOptions, opts *featuresGetOptions) error {
	if err := checkFormat(opts.Format, "text", "json"); err != nil {
		return err
	}
	at, err := parseWhen("at", opts.At, time.Now())
	if err != nil {
		return err
	}
	srv, err := openOnlineServer(ctx, g, opts.Registry, serve.Options{Now: func() time.Time { return at }})
	if err != nil {
		return err
	}
	defer srv.store.Close()
	req := &serve.Request{FullFeatureNames: opts.FullNames, Entities: map[string][]online.Value{}}
	if len(opts.Features) == 1 && !strings.Contains(opts.Features[0], ":") && srv.reg.Service(opts.Features[0]) != nil {
		req.FeatureService = opts.Features[0]
	} else {
		req.Features = opts.Features
	}
	if err := parseEntityRows(opts.Entities, srv.kinds, req.Entities); err != nil {
		return err
	}
	resp, err := srv.Get(ctx, req)
	if err != nil {
		return fmt.Errorf("%w: %v", dataset.ErrInvalid, err)
	}
	if opts.Format == "json" {
		_, err := io.Out.Write(append(resp.AppendJSON(nil), '\n'))
		return err
	}
	tw := tabwriter.NewWriter(io.Out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(resp.FeatureNames, "\t"))
	for row := range len(resp.Columns[0].Values) {
		cells := make([]string, len(resp.Columns))
		for j, c := range resp.Columns {
			cells[j] = formatOnline(c.Values[row], c.Statuses[row])
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	return tw.Flush()
}

// formatOnline shows a value with its status: the value when present,
// "-" when missing, "expired" when expired.
func formatOnline(v online.Value, s online.Status) string {
	switch s {
	case online.Missing:
		return "-"
	case online.Expired:
		return "expired"
	}
	if v.Kind() == online.KindString {
		return v.Str()
	}
	return v.String()
}

// parseEntityRows reads --entity flags into join key columns. Every row
// names the same keys.
func parseEntityRows(rows []string, kinds map[string]online.Kind, out map[string][]online.Value) error {
	var first []string
	for i, row := range rows {
		var names []string
		for pair := range strings.SplitSeq(row, ",") {
			k, v, ok := strings.Cut(pair, "=")
			k = strings.TrimSpace(k)
			if !ok || k == "" {
				return fmt.Errorf("%w: --entity %q: want KEY=VALUE pairs separated by commas", dataset.ErrInvalid, row)
			}
			if len(out[k]) != i {
				return fmt.Errorf("%w: --entity %q: %s given twice", dataset.ErrInvalid, row, k)
			}
			val := online.String(v)
			kind, known := kinds[k]
			if !known {
				return fmt.Errorf("%w: --entity %q: %s is not a join key of any view", dataset.ErrInvalid, row, k)
			}
			if kind == online.KindInt64 {
				n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
				if err != nil {
					return fmt.Errorf("%w: --entity %q: %s is an integer key; got %q", dataset.ErrInvalid, row, k, v)
				}
				val = online.Int(n)
			}
			out[k] = append(out[k], val)
			names = append(names, k)
		}
		if i == 0 {
			first = names
		} else if len(names) != len(first) {
			return fmt.Errorf("%w: --entity %q: give the same keys in every row (%s)", dataset.ErrInvalid, row, strings.Join(first, ", "))
		}
	}
	return nil
}
