package yamlcheck

import (
	"errors"
	"strings"
	"testing"
)

type config struct {
	Name   string            `yaml:"name"`
	Count  int               `yaml:"count"`
	Rate   float64           `yaml:"rate"`
	On     bool              `yaml:"on"`
	Tags   []string          `yaml:"tags"`
	Params map[string]any    `yaml:"params"`
	Inner  *inner            `yaml:"inner"`
	Items  []inner           `yaml:"items"`
	Labels map[string]string `yaml:"labels"`
}

type inner struct {
	URL    string   `yaml:"url"`
	Events []string `yaml:"events"`
}

func TestDecode(t *testing.T) {
	src := "name: churn\ncount: 3\nrate: 1\non: true\ntags: [a, b]\nparams: {x: 1, y: [2]}\ninner:\n  url: http://x\nitems:\n  - url: u1\n  - url: u2\n    events: [e]\n"
	var c config
	f, err := Decode("c.yaml", []byte(src), &c)
	if err != nil {
		t.Fatal(err)
	}
	if c.Name != "churn" || c.Count != 3 || c.Rate != 1 || !c.On || len(c.Tags) != 2 || c.Inner.URL != "http://x" || c.Items[1].Events[0] != "e" || c.Params["x"] == nil {
		t.Errorf("got %+v", c)
	}
	if got := f.Pos("items[1].events").String(); got != "c.yaml:12:13" {
		t.Errorf("position of items[1].events: %s", got)
	}
	if got := f.Pos("items[1].nothing").String(); got != "c.yaml:11:5" {
		t.Errorf("the closest enclosing value: %s", got)
	}
	f.Errorf("inner.url", "unreachable")
	f.Errorf("name", "taken")
	if err := f.Err(); err == nil || err.Error() != "c.yaml:1:7: taken\nc.yaml:8:8: unreachable" {
		t.Errorf("caller's problems: %v", err)
	}
}

func TestProblems(t *testing.T) {
	src := "nme: x\ncount: many\nrate: fast\non: yes please\ntags: a\ninner:\n  urll: u\n  url: [1]\nitems:\n  - url: u\n    url: v\nlabels: {a: 1}\n"
	var c config
	_, err := Decode("c.yaml", []byte(src), &c)
	if !errors.Is(err, ErrYAML) {
		t.Fatalf("got %v", err)
	}
	want := []string{
		"c.yaml:1:1: unknown key nme in the file; did you mean name?",
		"c.yaml:2:8: count: want an integer, got \"many\"",
		"c.yaml:3:7: rate: want a number, got \"fast\"",
		"c.yaml:4:5: on: want true or false, got \"yes please\"",
		"c.yaml:5:7: tags: want a list, got \"a\"",
		"c.yaml:7:3: unknown key urll in inner; did you mean url?",
		"c.yaml:8:8: inner.url: want a string, got a list",
		"c.yaml:11:5: duplicate key url (first at line 10)",
		"c.yaml:12:13: labels.a: want a string, got 1 (quote it if it is text)",
	}
	if got := err.Error(); got != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", got, strings.Join(want, "\n"))
	}
	if c.Name != "" {
		t.Error("v was filled despite problems")
	}
}

func TestUnknownKeysWait(t *testing.T) {
	var c config
	f, err := Decode("c.yaml", []byte("name: churn\nnaem: x\ncount: 2\n"), &c)
	if err != nil || c.Name != "churn" || c.Count != 2 {
		t.Fatalf("an unknown key stopped the reading: %+v %v", c, err)
	}
	f.Errorf("count", "too few")
	if err := f.Err(); err == nil || err.Error() != "c.yaml:2:1: unknown key naem in the file; want name, count, rate, on, tags, params, inner, items, labels\nc.yaml:3:8: too few" {
		t.Errorf("got %v", err)
	}
}

func TestBadYAML(t *testing.T) {
	var c config
	for src, want := range map[string]string{
		"":                        "c.yaml:1:1: empty file",
		"name: [\n":               "bad YAML",
		"name: x\n---\nname: y\n": "2 YAML documents",
		"name: &a x\ntags: *a\n":  "aliases",
		"name: !!str x\n":         "YAML tags",
		"gates:\n !0 0000000":     "",
	} {
		f, err := Decode("c.yaml", []byte(src), &c)
		if err == nil {
			err = f.Err()
		}
		if !errors.Is(err, ErrYAML) || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: got %v, want %q", src, err, want)
		}
	}
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte("name: churn\nitems:\n  - url: u\n"))
	f.Add([]byte("gates:\n !0 0000000"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var c config
		f, err := Decode("f.yaml", data, &c)
		if err == nil {
			err = f.Err()
		}
		if err != nil && !errors.Is(err, ErrYAML) {
			t.Fatalf("error without ErrYAML: %v", err)
		}
	})
}
