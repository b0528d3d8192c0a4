package main

import (
	"io"
	"os"
)

// streams are the command's standard input, output and error: all output
// goes through them, so tests can capture it.
type streams struct {
	In  io.Reader
	Out io.Writer
	Err io.Writer
	// Terminal is set when stderr is a terminal; progress is shown only
	// then.
	Terminal bool
}

func systemStreams() *streams {
	terminal := false
	if st, err := os.Stderr.Stat(); err == nil {
		terminal = st.Mode()&os.ModeCharDevice != 0
	}
	return &streams{In: os.Stdin, Out: os.Stdout, Err: os.Stderr, Terminal: terminal}
}
