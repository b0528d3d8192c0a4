package tune_test

import (
	"context"
	"fmt"

	"github.com/assayhq/assay/training/tune"
)

func ExampleParse() {
	src := `trainer: gbdt
metric: cv.roc_auc
direction: maximize
space:
  learning_rate: {type: log_float, low: 0.01, high: 0.3}
  max_depth: {type: categorical, choices: [3, 6, 0]}
  max_leaf_nodes: {type: int, low: 8, high: 64, step: 8}
`
	s, err := tune.Parse("space.yaml", []byte(src))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range s.Params {
		fmt.Println(p.Name, p.Kind, p.Log)
	}
	_, err = tune.Parse("space.yaml", []byte("direction: maximise\nspace:\n  lr: {type: log_float, low: 0, high: 1}\n"))
	fmt.Println(err)
	// Output:
	// learning_rate float true
	// max_depth categorical false
	// max_leaf_nodes int false
	// space.yaml:1:1: direction "maximise": want maximize or minimize (did you mean "maximize"?)
	// space.yaml:3:25: lr: a log-scale float needs low > 0, got 0
}

func ExampleRun() {
	space := &tune.Space{Direction: tune.Minimize, Params: []tune.Param{
		tune.Float("x", -5, 5),
		tune.Int("n", 1, 9),
		tune.Categorical("kind", "a", "b"),
	}}
	objective := func(ctx context.Context, t *tune.Trial) (float64, error) {
		x, n := t.Params["x"].(float64), t.Params["n"].(int64)
		v := (x-1)*(x-1) + float64((n-4)*(n-4))
		if t.Params["kind"] == "b" {
			v += 1
		}
		// Intermediate values let the pruner stop a poor trial early.
		for step := range 3 {
			if t.Report(step, v*float64(3-step)) {
				return 0, tune.ErrPruned
			}
		}
		return v, nil
	}
	res, err := tune.Run(context.Background(), tune.Options{
		Space: space, Trials: 60, Parallel: 4, Window: 4, Seed: 1, Pruner: tune.NewMedianPruner(),
	}, objective)
	if err != nil {
		fmt.Println(err)
		return
	}
	b := res.Best
	fmt.Printf("%d trials; best: x≈%.0f n=%d kind=%s\n", len(res.Trials), b.Params["x"], b.Params["n"], b.Params["kind"])
	// Output:
	// 60 trials; best: x≈1 n=4 kind=a
}
