package main

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/featurestore"
	"github.com/assayhq/assay/featurestore/defs"
)

func newFeaturesCmd(io *streams, g *globalOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "features",
		Short: "Define features once; build point-in-time training sets; serve them online",
		Long: `Define features once and use them the same way for training:

  assay features apply FILE          validate and store the definitions (versioned)
  assay features list                the stored versions
  assay features show [VERSION]      the definitions
  assay features training-set --entities REF --features SERVICE|view:feature,... -o out.parquet
  assay features materialize --start T --end T     latest values per entity into the online store
  assay features materialize-incremental --end T   the same, from where the last run ended
  assay features get --features F --entity KEY=VALUE   read the online store
  assay features serve --addr HOST:PORT             the online store over HTTP (Feast's API)

See docs/features.md for the definitions' format and the join's rules.`,
	}
	cmd.AddCommand(newFeaturesApplyCmd(io, g), newFeaturesListCmd(io, g), newFeaturesShowCmd(io, g), newFeaturesTrainingSetCmd(io, g),
		newFeaturesMaterializeCmd(io, g, false), newFeaturesMaterializeCmd(io, g, true), newFeaturesGetCmd(io, g), newFeaturesServeCmd(io, g))
	return cmd
}

// runFeaturesApply validates the definitions in path against their
// sources and stores them as the next version.
func runFeaturesApply(ctx context.Context, io *streams, g *globalOptions, path, author string) error {
	repo, err := g.openRepo(ctx)
	if err != nil {
		return err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("%w: %v", dataset.ErrInvalid, err)
	}
	reg, err := defs.Parse(path, data)
	if err != nil {
		return err
	}
	open := openerFor(repo)
	err = reg.Validate(func(s defs.Source) (dataset.Schema, error) {
		src, err := open(ctx, s.Path)
		if err != nil {
			return nil, err
		}
		defer src.Close()
		sc, err := src.Scanner(ctx)
		if err != nil {
			return nil, err
		}
		defer sc.Close()
		return sc.Schema(), nil
	})
	if err != nil {
		return err
	}
	if author == "" {
		author = defaultAuthor()
	}
	m, err := defs.Save(ctx, repo, filepath.Base(path), data, author)
	if err != nil {
		return err
	}
	fmt.Fprintf(io.Out, "features v%d: %d entities, %d sources, %d feature views, %d services (from %s)\n",
		m.Version, len(reg.Entities), len(reg.Sources), len(reg.Views), len(reg.Services), path)
	return nil
}

// openerFor opens sources by dataset ref or path, in repo if there is one.
func openerFor(repo *dataset.Repo) featurestore.Opener {
	return func(ctx context.Context, path string) (*dataset.Source, error) {
		return dataset.OpenSource(ctx, repo, path, dataset.DefaultCSVOptions())
	}
}

func newFeaturesApplyCmd(io *streams, g *globalOptions) *cobra.Command {
	var author string
	cmd := &cobra.Command{
		Use:   "apply FILE",
		Short: "Validate feature definitions against their sources and store them as a new version",
		Long: `Validate a definitions file and store it in the repository as the next
version. Every problem is reported at once, with file:line:column: unknown
keys and columns, bad expressions and filters, duplicate names, TTLs that
do not parse, services naming unknown features. Nothing is stored then.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runFeaturesApply(cmd.Context(), io, g, args[0], author)
		},
	}
	cmd.Flags().StringVar(&author, "author", "", "who applies (default: $ASSAY_AUTHOR, else the user name)")
	return cmd
}

func newFeaturesListCmd(io *streams, g *globalOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List the stored versions of the feature definitions",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			repo, err := g.openRepo(cmd.Context())
			if err != nil {
				return err
			}
			ms, err := defs.Versions(cmd.Context(), repo)
			if err != nil {
				return err
			}
			if len(ms) == 0 {
				fmt.Fprintln(io.Out, "No feature definitions stored yet: assay features apply FILE")
				return nil
			}
			t := newTable(io.Out)
			t.row("VERSION", "TIME", "AUTHOR", "FILE", "SHA256")
			for _, m := range ms {
				t.row(fmt.Sprintf("v%d", m.Version), m.Time.UTC().Format("2006-01-02T15:04:05Z"), m.Author, m.Source, m.SHA256[:12])
			}
			return t.flush()
		},
	}
}

func newFeaturesShowCmd(io *streams, g *globalOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "show [VERSION]",
		Short: "Show the feature definitions (the newest version, or VERSION)",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			repo, err := g.openRepo(cmd.Context())
			if err != nil {
				return err
			}
			version := 0
			if len(args) == 1 {
				if _, err := fmt.Sscanf(strings.TrimPrefix(args[0], "v"), "%d", &version); err != nil || version < 1 {
					return fmt.Errorf("%w: version %q: want v1, v2, … or 1, 2, …", dataset.ErrInvalid, args[0])
				}
			}
			reg, m, err := defs.Load(cmd.Context(), repo, version)
			if err != nil {
				return err
			}
			fmt.Fprintf(io.Out, "features v%d (%s, %s by %s)\n", m.Version, m.Source, m.Time.UTC().Format("2006-01-02T15:04:05Z"), m.Author)
			for _, e := range reg.Entities {
				fmt.Fprintf(io.Out, "entity %s: join keys %s\n", e.Name, strings.Join(e.JoinKeys, ", "))
			}
			for _, s := range reg.Sources {
				created := ""
				if s.Created != "" {
					created = ", created " + s.Created
				}
				fmt.Fprintf(io.Out, "source %s: %s (timestamp %s%s)\n", s.Name, s.Path, s.Timestamp, created)
			}
			for _, v := range reg.Views {
				ttl := "forever"
				if v.TTL > 0 {
					ttl = defs.FormatTTL(v.TTL)
				}
				fmt.Fprintf(io.Out, "view %s: entities %s, source %s, ttl %s", v.Name, strings.Join(v.Entities, ", "), v.Source, ttl)
				if v.Filter != "" {
					fmt.Fprintf(io.Out, ", filter %q", v.Filter)
				}
				fmt.Fprintln(io.Out)
				for _, f := range v.Features {
					if f.Column() {
						fmt.Fprintf(io.Out, "  %s\n", f.Name)
					} else {
						fmt.Fprintf(io.Out, "  %s = %s\n", f.Name, f.Expr)
					}
				}
			}
			for _, s := range reg.Services {
				fmt.Fprintf(io.Out, "service %s: %s\n", s.Name, strings.Join(s.Features, ", "))
			}
			switch o := reg.Online; {
			case o == nil:
				fmt.Fprintf(io.Out, "online store: bolt %s (the default)\n", featurestore.DefaultOnlinePath)
			case o.Type == defs.OnlineRedis:
				prefix := ""
				if o.Prefix != "" {
					prefix = ", prefix " + o.Prefix
				}
				fmt.Fprintf(io.Out, "online store: redis %s%s\n", o.URL, prefix)
			default:
				path := o.Path
				if path == "" {
					path = featurestore.DefaultOnlinePath
				}
				fmt.Fprintf(io.Out, "online store: bolt %s\n", path)
			}
			return nil
		},
	}
}

type featuresTrainingOptions struct {
	Entities  string
	Features  []string
	EventTime string
	FullNames bool
	Output    string
	Commit    string
	Registry  int
	Format    string
	Workers   int
}

func newFeaturesTrainingSetCmd(io *streams, g *globalOptions) *cobra.Command {
	opts := &featuresTrainingOptions{}
	cmd := &cobra.Command{
		Use:   "training-set --entities REF|PATH --features SERVICE|view:feature,... -o out.parquet [--commit NAME]",
		Short: "Build a point-in-time correct training set",
		Long: `Build a training set: every entity row (join keys and an event timestamp),
in order, with each feature's value as of the row's time. Per row and
feature view: the view's latest row with the same join keys whose feature
time is at or before the event time and, when the view has a TTL, at or
after the event time minus the TTL (both bounds inclusive); ties on
feature time go to the latest created timestamp; no match leaves the
features null and keeps the row. Views join on their own keys.

The output's footer records its lineage (assay.lineage): the entity rows'
source, the definitions' version, the dataset versions read, the
features. --commit NAME also commits it as a dataset version, with the
lineage in its metadata.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runFeaturesTrainingSet(cmd.Context(), io, g, opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Entities, "entities", "", "the entity rows: a dataset ref or a Parquet or CSV path")
	f.StringSliceVar(&opts.Features, "features", nil, "a feature service, views, or view:feature references")
	f.StringVar(&opts.EventTime, "event-time", featurestore.DefaultEventTime, "the entity rows' timestamp column")
	f.BoolVar(&opts.FullNames, "full-names", false, "name feature columns view__feature")
	f.StringVarP(&opts.Output, "output", "o", "", "the Parquet file to write")
	f.StringVar(&opts.Commit, "commit", "", "also commit the training set as a version of dataset `NAME`")
	f.IntVar(&opts.Registry, "registry-version", 0, "the definitions' version (default: the newest)")
	f.StringVar(&opts.Format, "format", "text", "output format: text or json")
	f.IntVar(&opts.Workers, "workers", 0, "workers (default: one per core)")
	cmd.MarkFlagRequired("entities")
	cmd.MarkFlagRequired("features")
	cmd.MarkFlagRequired("output")
	return cmd
}

func runFeaturesTrainingSet(ctx context.Context, io *streams, g *globalOptions, opts *featuresTrainingOptions) error {
	if err := checkFormat(opts.Format, "text", "json"); err != nil {
		return err
	}
	repo, err := g.openRepo(ctx)
	if err != nil {
		return err
	}
	reg, m, err := defs.Load(ctx, repo, opts.Registry)
	if err != nil {
		return err
	}
	open := openerFor(repo)
	ents, err := open(ctx, opts.Entities)
	if err != nil {
		return err
	}
	defer ents.Close()
	lin, err := featurestore.TrainingSet(ctx, ents, open, featurestore.TrainingOptions{
		Registry: reg, RegistryVersion: m.Version, Features: opts.Features, EventTime: opts.EventTime,
		FullNames: opts.FullNames, Output: opts.Output, Workers: opts.Workers,
	})
	if err != nil {
		return err
	}
	committed := ""
	if opts.Commit != "" {
		data, err := json.Marshal(lin)
		if err != nil {
			return err
		}
		nm, err := repo.Commit(ctx, dataset.CommitOptions{Name: opts.Commit, Paths: []string{opts.Output},
			Message: "training set: " + strings.Join(opts.Features, ", "), Metadata: map[string]string{"features.lineage": string(data)}})
		if err != nil {
			return err
		}
		committed = nm.Label()
	}
	if opts.Format == "json" {
		return writeJSON(io.Out, struct {
			*featurestore.Lineage
			Output    string `json:"output"`
			Committed string `json:"committed,omitempty"`
		}{lin, opts.Output, committed})
	}
	fmt.Fprintf(io.Out, "%s: %d rows from %s with %d features (definitions v%d)\n", opts.Output, lin.Rows, lin.Entities, len(lin.Features), lin.Registry)
	for _, view := range slices.Sorted(maps.Keys(lin.Matched)) {
		fmt.Fprintf(io.Out, "  %s: %d of %d rows matched\n", view, lin.Matched[view], lin.Rows)
	}
	if committed != "" {
		fmt.Fprintf(io.Out, "committed as %s\n", committed)
	}
	return nil
}
