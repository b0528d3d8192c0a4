package review

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"
)

// DefaultAddr is where the review is served unless told otherwise: a free
// port on the loopback interface.
const DefaultAddr = "127.0.0.1:0"

// Listen opens a listener for the review on addr ("" means DefaultAddr)
// and returns it with the page's URL. The page has no login, so addr must
// be on loopback: 127.0.0.1, ::1 or localhost, any port. To review on
// another machine, forward the port (ssh -L).
func Listen(addr string) (net.Listener, string, error) {
	if addr == "" {
		addr = DefaultAddr
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, "", fmt.Errorf("review: listen on %q: %v: %w", addr, err, ErrInvalid)
	}
	if ip := net.ParseIP(host); !strings.EqualFold(host, "localhost") && (ip == nil || !ip.IsLoopback()) {
		return nil, "", fmt.Errorf("review: listen on %q: not a loopback address; the review page has no login, so it is served on 127.0.0.1, ::1 or localhost only: %w", addr, ErrInvalid)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, "", fmt.Errorf("review: %w", err)
	}
	return ln, "http://" + ln.Addr().String() + "/", nil
}

// Serve serves h on ln until ctx is done, then shuts the server down,
// letting requests in flight (a decision being written) finish. It
// returns nil after such a shutdown, or the error that stopped the
// server. It closes ln.
func Serve(ctx context.Context, ln net.Listener, h http.Handler) error {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return fmt.Errorf("review: serve: %w", err)
	case <-ctx.Done():
	}
	// Requests under way get two seconds to finish; then the rest are
	// closed (connections a browser opened ahead and never used would
	// keep a graceful shutdown waiting). A decision is durable once its
	// request returned; one cut off may be lost, and a torn last line is
	// cut off when the log is next opened.
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
	defer cancel()
	err := srv.Shutdown(sctx)
	if errors.Is(err, context.DeadlineExceeded) {
		err = srv.Close()
	}
	if serr := <-done; !errors.Is(serr, http.ErrServerClosed) && serr != nil && err == nil {
		err = serr
	}
	if err != nil {
		return fmt.Errorf("review: shut down: %w", err)
	}
	return nil
}

// ListenAnywhere is Listen without the loopback restriction, for a user
// who asks, explicitly, to serve the page on another interface (a shared
// machine, say). The page has no login: anyone who can reach the address
// can record decisions, under the reviewer name the server was given.
func ListenAnywhere(addr string) (net.Listener, string, error) {
	if _, _, err := net.SplitHostPort(addr); err != nil {
		return nil, "", fmt.Errorf("review: listen on %q: %v: %w", addr, err, ErrInvalid)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, "", fmt.Errorf("review: %w", err)
	}
	return ln, "http://" + ln.Addr().String() + "/", nil
}
