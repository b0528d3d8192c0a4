package review

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"

	"github.com/assayhq/assay/report"
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
// letting requests in flight (a decision being written) finish (see
// report.Serve). A decision is durable once its request returned; one cut
// off may be lost, and a torn last line is cut off when the log is next
// opened. It closes ln.
func Serve(ctx context.Context, ln net.Listener, h http.Handler) error {
	if err := report.Serve(ctx, ln, h); err != nil {
		return fmt.Errorf("review: %w", err)
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
