package serve

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// startFast serves s with Serve on a loopback port until the test ends,
// and returns a function sending one request to it.
func startFast(t *testing.T, s *Server) func(method, path, body string) *httptest.ResponseRecorder {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Serve after shutdown: %v", err)
			}
		case <-time.After(5 * time.Second):
			t.Error("Serve did not return after the context ended")
		}
	})
	client := &http.Client{Timeout: 5 * time.Second}
	return func(method, path, body string) *httptest.ResponseRecorder {
		t.Helper()
		req, err := http.NewRequest(method, "http://"+ln.Addr().String()+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		w := httptest.NewRecorder()
		for k, v := range resp.Header {
			w.Header()[k] = v
		}
		w.WriteHeader(resp.StatusCode)
		io.Copy(w, resp.Body)
		return w
	}
}

// TestServeFast checks that the fasthttp server answers as ServeHTTP does.
func TestServeFast(t *testing.T) {
	s, _ := fixture(t, Options{MaxBody: 100})
	do := startFast(t, s)

	w := do(http.MethodGet, "/get-online-features", "")
	wantError(t, w, http.StatusMethodNotAllowed, "method GET not allowed")
	if got := w.Header().Get("Allow"); got != "POST" {
		t.Errorf("got Allow %q, want POST", got)
	}
	wantError(t, do(http.MethodPost, "/nope", "{}"), http.StatusNotFound, "no route /nope")
	wantError(t, do(http.MethodPost, "/health", ""), http.StatusMethodNotAllowed, "method POST not allowed")
	if w := do(http.MethodGet, "/health", ""); w.Code != http.StatusOK || w.Body.String() != "ok\n" {
		t.Errorf("health: got %d %q, want 200 \"ok\\n\"", w.Code, w.Body)
	}
	wantError(t, do(http.MethodPost, "/get-online-features", `{"features": ["a",]}`), http.StatusBadRequest, "invalid JSON at line 1, column 19")

	// The same bytes as ServeHTTP's answer.
	body := `{"features": ["customer_stats:tenure"], "entities": {"customer_id": [1, 2]}}`
	got := do(http.MethodPost, "/get-online-features", body)
	want := post(t, s, body)
	if got.Code != http.StatusOK || !bytes.Equal(got.Body.Bytes(), want.Body.Bytes()) {
		t.Errorf("got %d %s\nwant %d %s", got.Code, got.Body, want.Code, want.Body)
	}
	decode(t, got)

	// 100 bytes pass, 101 get a 413, as do bodies fasthttp stops reading.
	body = `{"features": ["customer_stats:tenure"], "entities": {"customer_id": [1]}}`
	body = body[:len(body)-2] + strings.Repeat(" ", 100-len(body)) + "}}"
	decode(t, do(http.MethodPost, "/get-online-features", body))
	wantError(t, do(http.MethodPost, "/get-online-features", body+" "), http.StatusRequestEntityTooLarge, "request body over the limit of 100 bytes")
	wantError(t, do(http.MethodPost, "/get-online-features", body+strings.Repeat(" ", 10000)), http.StatusRequestEntityTooLarge, "over the limit")
}

func TestAnswer(t *testing.T) {
	s, _ := fixture(t, Options{MaxBody: 10})
	code, out := s.Answer(context.Background(), []byte(`{"features": []}`), []byte("x"))
	if code != http.StatusRequestEntityTooLarge || !strings.HasPrefix(string(out), `x{"error":"request body over the limit of 10 bytes"}`) {
		t.Errorf("got %d %s", code, out)
	}
}
