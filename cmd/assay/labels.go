package main

import (
	"context"
	"fmt"
	stdio "io"
	"os"
	"os/user"
	"strings"

	"github.com/spf13/cobra"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/labels"
	"github.com/assayhq/assay/labels/conflicts"
	"github.com/assayhq/assay/labels/review"
	"github.com/assayhq/assay/report"
)

func newLabelsCmd(io *streams, g *globalOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "labels",
		Short: "Find label problems (conflicts, disagreement, likely errors), review them, apply the decisions",
		Long: `Find label problems and fix them as a new dataset version:

  assay labels conflicts REF --label COL       rows with the same features and different labels
  assay labels agreement REF --annotators A,B  how far annotators agree; consensus labels
  assay labels issues REF --label COL --pred-probs COLS|FILE   likely label errors (confident learning)
  assay labels review REF --label COL --from conflicts|issues  a local review page
  assay labels apply REF --decisions FILE -m MSG               the decisions as a new version

Exit codes: 0 no problem found, 1 problems found (or a threshold missed),
2 bad input.`,
	}
	cmd.AddCommand(newLabelsConflictsCmd(io, g), newLabelsIssuesCmd(io, g), newLabelsReviewCmd(io, g), newLabelsAgreementCmd(io, g), newLabelsApplyCmd(io, g))
	return cmd
}

// writeLabelReport prints a label report as text or JSON and writes its
// HTML page when asked.
func writeLabelReport(io *streams, format, html string, rep any, text func(w stdio.Writer) error, page func() report.Page) error {
	var err error
	if format == "json" {
		err = writeJSON(io.Out, rep)
	} else {
		err = text(io.Out)
	}
	if err != nil {
		return err
	}
	if html != "" {
		return report.WriteFile(html, page())
	}
	return nil
}

// openLabelSource opens a ref or path for a labels command.
func openLabelSource(ctx context.Context, g *globalOptions, refText string) (*dataset.Repo, *dataset.Source, error) {
	repo, err := g.maybeRepo(ctx)
	if err != nil {
		return nil, nil, err
	}
	src, err := dataset.OpenSource(ctx, repo, refText, dataset.DefaultCSVOptions())
	return repo, src, err
}

type labelsAgreementOptions struct {
	*globalOptions
	Annotators []string
	Item       string
	Long       string
	Format     string
	HTML       string
	Output     string
	MinAlpha   float64
	Workers    int
}

func newLabelsAgreementCmd(io *streams, g *globalOptions) *cobra.Command {
	opts := &labelsAgreementOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "agreement REF (--annotators COL,COL,... | --long ITEM,ANNOTATOR,LABEL)",
		Short: "Measure annotator agreement and derive consensus labels",
		Long: `Measure how far annotators agree, and derive consensus labels.

Labels come one column per annotator (--annotators; a row is an item, a
null is "not labelled") or one row per label (--long ITEM,ANNOTATOR,LABEL).
Reported: Cohen's kappa for every pair on the items both labelled; Fleiss'
kappa on the items labelled by all; Krippendorff's alpha (nominal; missing
labels allowed); each annotator's agreement with the majority of the
others; consensus labels by majority vote (ties go to the label given most
often overall, then to the first class) and by Dawid-Skene EM, written per
item with --output. An undefined coefficient (no shared items, or a single
label everywhere) is reported as undefined, not as 0 or 1.

Exit codes: 0 done (and alpha ≥ --min-alpha), 1 alpha below --min-alpha
or undefined with --min-alpha, 2 bad input.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runLabelsAgreement(cmd.Context(), io, opts, args[0])
		},
	}
	f := cmd.Flags()
	f.StringSliceVar(&opts.Annotators, "annotators", nil, "one label column per annotator (wide form)")
	f.StringVar(&opts.Item, "item", "", "wide form: the column that names each item in --output (default: the row number)")
	f.StringVar(&opts.Long, "long", "", "ITEM,ANNOTATOR,LABEL columns (long form)")
	f.StringVar(&opts.Format, "format", "text", "output format: text or json")
	f.StringVar(&opts.HTML, "html", "", "also write an HTML report to `FILE`")
	f.StringVar(&opts.Output, "output", "", "write each item's consensus labels to a Parquet `FILE`")
	f.Float64Var(&opts.MinAlpha, "min-alpha", -1, "exit 1 when Krippendorff's alpha is below this")
	f.IntVar(&opts.Workers, "workers", 0, "scan workers (default: one per core)")
	return cmd
}

func runLabelsAgreement(ctx context.Context, io *streams, opts *labelsAgreementOptions, refText string) error {
	if err := checkFormat(opts.Format, "text", "json"); err != nil {
		return err
	}
	aopts := labels.AgreementOptions{Annotators: opts.Annotators, Item: opts.Item, Workers: opts.Workers}
	if opts.Long != "" {
		parts := strings.Split(opts.Long, ",")
		if len(parts) != 3 {
			return fmt.Errorf("%w: --long %q: want ITEM,ANNOTATOR,LABEL", dataset.ErrInvalid, opts.Long)
		}
		aopts.Long = &labels.LongForm{Item: parts[0], Annotator: parts[1], Label: parts[2]}
	}
	_, src, err := openLabelSource(ctx, opts.globalOptions, refText)
	if err != nil {
		return err
	}
	defer src.Close()
	rep, err := labels.Agreement(ctx, src, aopts)
	if err != nil {
		return err
	}
	err = writeLabelReport(io, opts.Format, opts.HTML, rep, func(w stdio.Writer) error { return labels.WriteAgreementText(w, rep) },
		func() report.Page { return labels.AgreementPage(rep) })
	if err != nil {
		return err
	}
	if opts.Output != "" {
		if err := labels.WriteConsensus(opts.Output, rep); err != nil {
			return err
		}
	}
	if opts.MinAlpha >= 0 && (rep.Krippendorff.Value == nil || *rep.Krippendorff.Value < opts.MinAlpha) {
		return &failure{msg: fmt.Sprintf("Krippendorff's alpha %s is below --min-alpha %v", coefString(rep.Krippendorff), opts.MinAlpha)}
	}
	return nil
}

func coefString(c labels.Coefficient) string {
	if c.Value == nil {
		return "(undefined: " + c.Undefined + ")"
	}
	return fmt.Sprintf("%.4f", *c.Value)
}

type labelsApplyOptions struct {
	*globalOptions
	Decisions string
	Message   string
	Author    string
	Format    string
}

func newLabelsApplyCmd(io *streams, g *globalOptions) *cobra.Command {
	opts := &labelsApplyOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "apply REF --decisions FILE -m MESSAGE",
		Short: "Commit review decisions as a new dataset version",
		Long: `Commit the decisions of a review as a new version of the dataset: the same
rows and columns, the label column changed where a reviewer accepted a
suggestion or relabelled (the last decision per item counts; skipped items
change nothing). The decisions are recorded in the new version's metadata
(labels.decisions), an audit trail of who decided what, when and why.
Nothing is edited in place.

The decisions file must have been made for REF (the same dataset version
and label column), and REF must be the newest version. Exit codes: 0
committed, 2 bad input (nothing written).`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runLabelsApply(cmd.Context(), io, opts, args[0])
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Decisions, "decisions", "", "the review's decision log (JSON Lines)")
	f.StringVarP(&opts.Message, "message", "m", "", "the commit message")
	f.StringVar(&opts.Author, "author", "", "the commit author (default: $ASSAY_AUTHOR, else user@host)")
	f.StringVar(&opts.Format, "format", "text", "output format: text or json")
	cmd.MarkFlagRequired("decisions")
	cmd.MarkFlagRequired("message")
	return cmd
}

func runLabelsApply(ctx context.Context, io *streams, opts *labelsApplyOptions, refText string) error {
	if err := checkFormat(opts.Format, "text", "json"); err != nil {
		return err
	}
	repo, m, err := opts.resolveVersion(ctx, refText, "labels apply", "")
	if err != nil {
		return err
	}
	decisions, err := review.ReadDecisions(opts.Decisions)
	if err != nil {
		return err
	}
	src, err := dataset.OpenSource(ctx, repo, m.Label(), dataset.DefaultCSVOptions())
	if err != nil {
		return err
	}
	defer src.Close()
	plan, err := labels.PlanDecisions(m, decisions, opts.Decisions)
	if err != nil {
		return err
	}
	nm, err := labels.Apply(ctx, repo, src, labels.ApplyOptions{Label: plan.Column, Changes: plan.Changes,
		Message: opts.Message, Author: opts.Author, Metadata: plan.Metadata})
	if err != nil {
		return err
	}
	if opts.Format == "json" {
		return writeJSON(io.Out, struct {
			Version   int            `json:"version"`
			From      string         `json:"from"`
			Committed string         `json:"committed"`
			Changed   int            `json:"changed_rows"`
			Actions   map[string]int `json:"decisions"`
		}{jsonVersion, m.Label(), nm.Label(), len(plan.Changes), plan.Actions})
	}
	fmt.Fprintf(io.Out, "%s: %s from %s (%d rows relabelled; decisions: %d accepted, %d relabelled, %d skipped)\n",
		nm.Label(), opts.Message, m.Label(), len(plan.Changes), plan.Actions[review.Accept], plan.Actions[review.Relabel], plan.Actions[review.Skip])
	return nil
}

type labelsIssuesOptions struct {
	*globalOptions
	Label     string
	PredProbs []string
	CV        int
	Features  []string
	Filter    string
	Rank      string
	MaxIssues int
	Format    string
	HTML      string
	Workers   int
}

// addIssuesFlags adds the flags that choose the probabilities and the
// filter, shared by issues and review.
func addIssuesFlags(cmd *cobra.Command, o *labelsIssuesOptions) {
	f := cmd.Flags()
	f.StringVar(&o.Label, "label", "", "the label column")
	f.StringSliceVar(&o.PredProbs, "pred-probs", nil, "out-of-sample class probabilities: columns (one per class, p_CLASS or CLASS=COL), or a Parquet or CSV FILE with them")
	f.IntVar(&o.CV, "cv", 0, "no model? compute baseline probabilities by K-fold cross-validation")
	f.StringSliceVar(&o.Features, "features", nil, "--cv: the feature columns (default: all but the label)")
	f.StringVar(&o.Filter, "filter", "prune_by_noise_rate", "prune_by_noise_rate, prune_by_class, both, confident_learning or predicted_neq_given")
	f.StringVar(&o.Rank, "rank", "self_confidence", "self_confidence, normalized_margin or confidence_weighted_entropy")
	f.IntVar(&o.Workers, "workers", 0, "workers (default: one per core)")
}

func (o *labelsIssuesOptions) issuesOptions() labels.IssuesOptions {
	io := labels.IssuesOptions{Label: o.Label, CV: o.CV, Features: o.Features, Filter: o.Filter, Rank: o.Rank, Workers: o.Workers}
	if len(o.PredProbs) == 1 && isPathLike(o.PredProbs[0]) {
		io.ProbsFile = o.PredProbs[0]
	} else {
		io.PredProbs = o.PredProbs
	}
	return io
}

// isPathLike says whether a --pred-probs value names a file.
func isPathLike(s string) bool {
	ref, err := dataset.ParseRef(s)
	return err == nil && ref.Kind == dataset.RefPath
}

func newLabelsIssuesCmd(io *streams, g *globalOptions) *cobra.Command {
	opts := &labelsIssuesOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "issues REF --label COL (--pred-probs COLS|FILE | --cv K)",
		Short: "Find likely label errors with confident learning (as Cleanlab)",
		Long: `Find likely label errors with confident learning, as Cleanlab's
find_label_issues does: per-class thresholds (the mean predicted
probability of each class over the rows labelled with it), the confident
joint of given and likely true labels, its calibration, the noise matrix,
Cleanlab's estimate of the number of issues, the filter's flagged rows,
and a ranking by label quality (lowest first; ties by row number).

The probabilities must be out of sample (from a model that did not train
on the row): columns of REF (--pred-probs p_No,p_Yes; a column per class,
matched by name p_CLASS or CLASS=COLUMN, else in class order: classes sort
as text, or as numbers for numeric labels), or a file with one row per row
of REF. Without a model, --cv K trains assay's baseline (a multinomial
logistic regression) by K-fold cross-validation; the output says so.

Exit codes: 0 at most --max-issues rows flagged, 1 more, 2 bad input.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runLabelsIssues(cmd.Context(), io, opts, args[0])
		},
	}
	addIssuesFlags(cmd, opts)
	f := cmd.Flags()
	f.IntVar(&opts.MaxIssues, "max-issues", 0, "flagged rows tolerated before exit 1")
	f.StringVar(&opts.Format, "format", "text", "output format: text or json")
	f.StringVar(&opts.HTML, "html", "", "also write an HTML report to `FILE`")
	cmd.MarkFlagRequired("label")
	return cmd
}

func runLabelsIssues(ctx context.Context, io *streams, opts *labelsIssuesOptions, refText string) error {
	if err := checkFormat(opts.Format, "text", "json"); err != nil {
		return err
	}
	_, src, err := openLabelSource(ctx, opts.globalOptions, refText)
	if err != nil {
		return err
	}
	defer src.Close()
	rep, err := labels.Issues(ctx, src, opts.issuesOptions())
	if err != nil {
		return err
	}
	err = writeLabelReport(io, opts.Format, opts.HTML, rep, func(w stdio.Writer) error { return labels.WriteIssuesText(w, rep) },
		func() report.Page { return labels.IssuesPage(rep) })
	if err != nil {
		return err
	}
	if rep.Flagged > opts.MaxIssues {
		return &failure{msg: fmt.Sprintf("%d rows of %s flagged as likely label errors (--max-issues %d)", rep.Flagged, rep.Source, opts.MaxIssues)}
	}
	return nil
}

type labelsReviewOptions struct {
	labelsIssuesOptions
	conflicts   labelsConflictsOptions
	From        string
	Serve       string
	Decisions   string
	Reviewer    string
	Show        []string
	Limit       int
	AllowRemote bool
}

func newLabelsReviewCmd(io *streams, g *globalOptions) *cobra.Command {
	opts := &labelsReviewOptions{labelsIssuesOptions: labelsIssuesOptions{globalOptions: g}}
	cmd := &cobra.Command{
		Use:   "review REF --label COL --from conflicts|issues [--serve 127.0.0.1:PORT]",
		Short: "Review label problems on a local web page; decisions are saved as they are made",
		Long: `Serve a review page for the label problems of a dataset version: a queue,
likeliest problems first, each with the row, its given and suggested label
and the evidence (conflicting rows, class probabilities). Accept (A),
relabel (R, or 1-9 for a class), skip (S), move with J and K; every
decision is appended to the decisions file at once, with the reviewer,
time and reason, so a review can stop and resume. Then:

  assay labels apply REF --decisions FILE -m MESSAGE

The page has no external assets and the server listens on loopback only.
--from issues takes the flags of assay labels issues (--pred-probs, --cv,
--filter, --rank); --from conflicts those of assay labels conflicts.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runLabelsReview(cmd.Context(), io, opts, args[0])
		},
	}
	addIssuesFlags(cmd, &opts.labelsIssuesOptions)
	// --features is shared: the baseline's features, or the columns rows
	// are compared on.
	f := cmd.Flags()
	f.BoolVar(&opts.conflicts.CaseFold, "case-fold", false, "conflicts: compare text case-insensitively")
	f.StringSliceVar(&opts.conflicts.Exclude, "exclude", nil, "conflicts: columns left out of the default features, such as row identifiers")
	f.Float64Var(&opts.conflicts.FloatTolerance, "float-tolerance", 0, "conflicts: numbers within this absolute difference match")
	f.IntVar(&opts.conflicts.NearK, "near", 0, "conflicts: near-duplicates, each row's K nearest neighbours")
	f.Float64Var(&opts.conflicts.NearThreshold, "near-threshold", 0, "conflicts: near-duplicates within this standardised distance")
	f.StringVar(&opts.From, "from", "", "what to review: conflicts or issues")
	f.StringVar(&opts.Serve, "serve", review.DefaultAddr, "loopback address to serve on (port 0: any free port)")
	f.StringVar(&opts.Decisions, "decisions", "", "the decisions file (default: DATASET@vN.LABEL.review.jsonl here)")
	f.StringVar(&opts.Reviewer, "reviewer", "", "the reviewer's name (default: $ASSAY_AUTHOR, else the user name)")
	f.StringSliceVar(&opts.Show, "show", nil, "columns to show for each row (default: all)")
	f.BoolVar(&opts.AllowRemote, "allow-remote", false, "let --serve name an address that is not loopback (the page has no login)")
	f.IntVar(&opts.Limit, "limit", 1000, "the most items in the queue, likeliest problems first (0: all)")
	cmd.MarkFlagRequired("label")
	cmd.MarkFlagRequired("from")
	return cmd
}

func runLabelsReview(ctx context.Context, io *streams, opts *labelsReviewOptions, refText string) error {
	repo, m, err := opts.resolveVersion(ctx, refText, "labels review", " (decisions apply to a version: commit the file first)")
	if err != nil {
		return err
	}
	src, err := dataset.OpenSource(ctx, repo, m.Label(), dataset.DefaultCSVOptions())
	if err != nil {
		return err
	}
	defer src.Close()
	show := opts.Show
	if show == nil {
		show = m.Schema.Supported().Names()
	}
	table, err := labels.Load(ctx, src, show, opts.Workers)
	if err != nil {
		return err
	}
	q := &review.Queue{Dataset: m.Label(), Version: m.Version, Label: opts.Label, Source: opts.From}
	switch opts.From {
	case "issues":
		rep, err := labels.Issues(ctx, src, opts.issuesOptions())
		if err != nil {
			return err
		}
		q.Title = fmt.Sprintf("Likely label errors in %s (%s)", m.Label(), rep.ProbsFrom)
		if opts.Limit > 0 && len(rep.Issues) > opts.Limit {
			rep.Issues = rep.Issues[:opts.Limit]
		}
		q.Items = labels.IssuesQueue(rep, table, show)
	case "conflicts":
		c := opts.conflicts
		c.Label, c.Features, c.Workers = opts.Label, opts.Features, opts.Workers
		rep, err := labels.Conflicts(ctx, src, c.conflictsOptions())
		if err != nil {
			return err
		}
		q.Title = fmt.Sprintf("Label conflicts in %s: rows with the same features and different labels", m.Label())
		if opts.Limit > 0 && len(rep.Groups) > opts.Limit {
			rep.Groups = rep.Groups[:opts.Limit]
		}
		q.Items = labels.ConflictsQueue(rep, table, show)
	default:
		return fmt.Errorf("%w: --from %q: want conflicts or issues", dataset.ErrInvalid, opts.From)
	}
	path := opts.Decisions
	if path == "" {
		path = fmt.Sprintf("%s@v%d.%s.review.jsonl", m.Dataset, m.Version, opts.Label)
	}
	log, err := review.OpenLog(path, q)
	if err != nil {
		return err
	}
	defer log.Close()
	for _, w := range log.Warnings() {
		fmt.Fprintln(io.Err, "warning:", w)
	}
	reviewer := opts.Reviewer
	if reviewer == "" {
		reviewer = defaultAuthor()
	}
	listen := review.Listen
	if opts.AllowRemote {
		listen = review.ListenAnywhere
	}
	ln, url, err := listen(opts.Serve)
	if err != nil {
		return err
	}
	if opts.AllowRemote {
		fmt.Fprintf(io.Err, "warning: serving on %s: anyone who can reach it can record decisions as %s\n", opts.Serve, reviewer)
	}
	fmt.Fprintf(io.Err, "Review %d items of %s at %s (decisions: %s; Ctrl-C stops)\n", len(q.Items), q.Dataset, url, path)
	if err := review.Serve(ctx, ln, review.NewServer(q, log, reviewer)); err != nil {
		return err
	}
	fmt.Fprintf(io.Err, "Stopped. Apply the decisions with: assay labels apply %s --decisions %s -m MESSAGE\n", m.Label(), path)
	return nil
}

// defaultAuthor is the person recorded with a change: $ASSAY_AUTHOR, else
// the user name.
func defaultAuthor() string {
	if a := os.Getenv("ASSAY_AUTHOR"); a != "" {
		return a
	}
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return "reviewer"
}

type labelsConflictsOptions struct {
	*globalOptions
	Label          string
	Features       []string
	Exclude        []string
	CaseFold       bool
	FloatTolerance float64
	NearK          int
	NearThreshold  float64
	MaxConflicts   int
	Format         string
	HTML           string
	Workers        int
}

// addConflictsFlags adds the flags that say what makes rows the same,
// shared by conflicts and review.
func addConflictsFlags(cmd *cobra.Command, o *labelsConflictsOptions) {
	f := cmd.Flags()
	f.StringSliceVar(&o.Features, "features", nil, "the columns rows are compared on (default: all but the label and --exclude)")
	f.StringSliceVar(&o.Exclude, "exclude", nil, "columns left out of the default features, such as row identifiers")
	f.BoolVar(&o.CaseFold, "case-fold", false, "compare text case-insensitively (surrounding white space is always ignored)")
	f.Float64Var(&o.FloatTolerance, "float-tolerance", 0, "numbers within this absolute difference match")
	f.IntVar(&o.NearK, "near", 0, "near-duplicates instead: each row's K nearest neighbours on standardised features")
	f.Float64Var(&o.NearThreshold, "near-threshold", 0, "near-duplicates instead: neighbours within this standardised distance")
}

func (o *labelsConflictsOptions) conflictsOptions() labels.ConflictsOptions {
	c := labels.ConflictsOptions{Label: o.Label, Features: o.Features, Exclude: o.Exclude, CaseFold: o.CaseFold, FloatTolerance: o.FloatTolerance, Workers: o.Workers}
	if o.NearK > 0 || o.NearThreshold > 0 {
		c.Near = &conflicts.NearOptions{K: o.NearK, Radius: o.NearThreshold}
	}
	return c
}

func newLabelsConflictsCmd(io *streams, g *globalOptions) *cobra.Command {
	opts := &labelsConflictsOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "conflicts REF --label COL [--features COLS] [--near K | --near-threshold D]",
		Short: "Find rows with the same features and different labels",
		Long: `Find groups of rows whose features are identical (text trimmed, and with
--case-fold compared case-insensitively; numbers equal, or within
--float-tolerance) but whose labels differ: at most one label of each
group can be right. Each group is reported with its label distribution and
a suggested label (the majority; ties go to the label most frequent
overall). Most contested groups first.

--near K or --near-threshold D finds near-duplicates instead: neighbours
on standardised features (exact search for small data, locality-sensitive
hashing for large; the recall of the search is reported).

Exit codes: 0 at most --max-conflicts groups, 1 more, 2 bad input.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runLabelsConflicts(cmd.Context(), io, opts, args[0])
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Label, "label", "", "the label column")
	addConflictsFlags(cmd, opts)
	f.IntVar(&opts.MaxConflicts, "max-conflicts", 0, "conflict groups tolerated before exit 1")
	f.StringVar(&opts.Format, "format", "text", "output format: text or json")
	f.StringVar(&opts.HTML, "html", "", "also write an HTML report to `FILE`")
	f.IntVar(&opts.Workers, "workers", 0, "workers (default: one per core)")
	cmd.MarkFlagRequired("label")
	return cmd
}

func runLabelsConflicts(ctx context.Context, io *streams, opts *labelsConflictsOptions, refText string) error {
	if err := checkFormat(opts.Format, "text", "json"); err != nil {
		return err
	}
	_, src, err := openLabelSource(ctx, opts.globalOptions, refText)
	if err != nil {
		return err
	}
	defer src.Close()
	rep, err := labels.Conflicts(ctx, src, opts.conflictsOptions())
	if err != nil {
		return err
	}
	err = writeLabelReport(io, opts.Format, opts.HTML, rep, func(w stdio.Writer) error { return labels.WriteConflictsText(w, rep) },
		func() report.Page { return labels.ConflictsPage(rep) })
	if err != nil {
		return err
	}
	if len(rep.Groups) > opts.MaxConflicts {
		return &failure{msg: fmt.Sprintf("%d groups of %s rows have the same features and different labels (--max-conflicts %d)", len(rep.Groups), rep.Source, opts.MaxConflicts)}
	}
	return nil
}
