package report

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

// Server is an HTTP server ServeUntil can run and stop: net/http's, or
// another behind a small adapter.
type Server interface {
	// Serve serves on ln until the server is shut down.
	Serve(ln net.Listener) error
	// Shutdown stops accepting and waits for requests under way, until
	// ctx is done.
	Shutdown(ctx context.Context) error
}

// Serve serves h on ln with net/http until ctx is done (see ServeUntil).
// Pages the commands serve run on it (the label review).
func Serve(ctx context.Context, ln net.Listener, h http.Handler) error {
	return ServeUntil(ctx, ln, &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		IdleTimeout:       2 * time.Minute,
	})
}

// ServeUntil runs srv on ln until ctx is done, then shuts it down:
// requests under way get two seconds to finish, then the rest are closed
// when srv is an io.Closer (connections a browser opened ahead and never
// used would keep a graceful shutdown waiting). It returns nil after such
// a shutdown, or the error that stopped the server. It closes ln.
func ServeUntil(ctx context.Context, ln net.Listener, srv Server) error {
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
	defer cancel()
	err := srv.Shutdown(sctx)
	if errors.Is(err, context.DeadlineExceeded) {
		err = nil
		if c, ok := srv.(io.Closer); ok {
			err = c.Close()
		}
	}
	if serr := <-done; !errors.Is(serr, http.ErrServerClosed) && serr != nil && err == nil {
		err = serr
	}
	if err != nil {
		return fmt.Errorf("shut down: %w", err)
	}
	return nil
}
