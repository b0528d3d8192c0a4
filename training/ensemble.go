package training

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/assayhq/assay/dataset"
	"github.com/assayhq/assay/training/frame"
)

// Ensemble averages the predictions of its members: class probabilities
// for classification (soft voting), values for regression.
type Ensemble struct {
	Members []Member
	// width is the number of outputs per row.
	width int
}

// Member is one model of an ensemble, with the run it came from.
type Member struct {
	Run     string `json:"run"`
	Trainer string `json:"trainer"`
	Model   Model  `json:"-"`
}

// ensembleFile is an ensemble's encoding: each member's trainer and model.
type ensembleFile struct {
	Format  int `json:"format"`
	Members []struct {
		Run     string `json:"run"`
		Trainer string `json:"trainer"`
		Model   []byte `json:"model"`
	} `json:"members"`
}

// NewEnsemble builds an ensemble for a schema.
func NewEnsemble(s *frame.Schema, members []Member) (*Ensemble, error) {
	if len(members) < 2 {
		return nil, fmt.Errorf("%w: an ensemble needs at least 2 models, got %d", dataset.ErrInvalid, len(members))
	}
	return &Ensemble{Members: members, width: width(s)}, nil
}

// width is the number of model outputs per row of a schema.
func width(s *frame.Schema) int {
	if s.Target.Task == frame.Classification {
		return len(s.Target.Classes)
	}
	return 1
}

// Predict averages the members' predictions.
func (e *Ensemble) Predict(ctx context.Context, x *frame.Matrix, out []float64) error {
	clear(out)
	buf := make([]float64, len(out))
	for _, m := range e.Members {
		if err := m.Model.Predict(ctx, x, buf); err != nil {
			return fmt.Errorf("ensemble member %s (%s): %w", m.Run, m.Trainer, err)
		}
		for i, v := range buf {
			out[i] += v
		}
	}
	inv := 1 / float64(len(e.Members))
	for i := range out {
		out[i] *= inv
	}
	return nil
}

// MarshalBinary encodes the ensemble with its members' models.
func (e *Ensemble) MarshalBinary() ([]byte, error) {
	f := ensembleFile{Format: 1}
	for _, m := range e.Members {
		data, err := m.Model.MarshalBinary()
		if err != nil {
			return nil, err
		}
		f.Members = append(f.Members, struct {
			Run     string `json:"run"`
			Trainer string `json:"trainer"`
			Model   []byte `json:"model"`
		}{m.Run, m.Trainer, data})
	}
	return json.Marshal(f)
}

func decodeEnsemble(data []byte, s *frame.Schema) (Model, error) {
	var f ensembleFile
	if err := json.Unmarshal(data, &f); err != nil || f.Format != 1 {
		return nil, fmt.Errorf("%w: ensemble model: %v", dataset.ErrCorrupt, err)
	}
	var members []Member
	for _, fm := range f.Members {
		if fm.Trainer == "ensemble" {
			return nil, fmt.Errorf("%w: an ensemble inside an ensemble", dataset.ErrCorrupt)
		}
		m, err := Decode(fm.Trainer, fm.Model, s)
		if err != nil {
			return nil, fmt.Errorf("ensemble member %s: %w", fm.Run, err)
		}
		members = append(members, Member{Run: fm.Run, Trainer: fm.Trainer, Model: m})
	}
	return NewEnsemble(s, members)
}
