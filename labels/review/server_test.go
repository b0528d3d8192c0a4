package review

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

// newTestServer serves the test queue and returns the server, its token
// and the log's path.
func newTestServer(t *testing.T) (*server, *Log, string) {
	t.Helper()
	q := testQueue()
	l, path := openTestLog(t, q)
	s := NewServer(q, l, "ana").(*server)
	return s, l, path
}

// do sends a request to h, for 127.0.0.1:4000 unless header sets the
// Host, and returns the status and body.
func do(h http.Handler, method, target, body string, header map[string]string) (int, string) {
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, target, r)
	req.Host = "127.0.0.1:4000"
	for k, v := range header {
		if k == "Host" {
			req.Host = v
			continue
		}
		req.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w.Code, w.Body.String()
}

// TestPage serves the page with a strict Content-Security-Policy whose
// hashes are those of the page's inline style and script, and the token.
func TestPage(t *testing.T) {
	s, _, _ := newTestServer(t)
	req := httptest.NewRequest("GET", "/", nil)
	req.Host = "127.0.0.1:4000"
	w := httptest.NewRecorder()
	s.ServeHTTP(w, req)
	if w.Code != http.StatusOK {
		t.Fatalf("GET / = %d", w.Code)
	}
	page := w.Body.String()
	header := w.Header().Get("Content-Security-Policy")
	meta := regexp.MustCompile(`<meta http-equiv="Content-Security-Policy" content="([^"]*)">`).FindStringSubmatch(page)
	if meta == nil {
		t.Fatal("the page has no Content-Security-Policy meta element")
	}
	hash := func(s string) string {
		sum := sha256.Sum256([]byte(s))
		return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
	}
	style := regexp.MustCompile(`(?s)<style>(.*?)</style>`).FindAllStringSubmatch(page, -1)
	script := regexp.MustCompile(`(?s)<script>(.*?)</script>`).FindAllStringSubmatch(page, -1)
	if len(style) != 1 || len(script) != 1 {
		t.Fatalf("the page has %d style and %d script elements, want one each", len(style), len(script))
	}
	for _, csp := range []string{header, html.UnescapeString(meta[1])} {
		for _, want := range []string{"default-src 'none'", "style-src " + hash(style[0][1]) + ";", "script-src " + hash(script[0][1]) + ";",
			"connect-src 'self'", "base-uri 'none'", "form-action 'none'", "require-trusted-types-for 'script'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("policy %q lacks %q", csp, want)
			}
		}
		if strings.Contains(csp, "unsafe") {
			t.Errorf("policy %q allows something unsafe", csp)
		}
	}
	if !strings.Contains(header, "frame-ancestors 'none'") {
		t.Errorf("the header policy %q lacks frame-ancestors 'none'", header)
	}
	if !strings.Contains(page, `<meta name="assay-token" content="`+s.token+`">`) || len(s.token) < 20 {
		t.Errorf("the page does not carry the token %q", s.token)
	}
	for _, h := range []string{"X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options", "Cache-Control"} {
		if w.Header().Get(h) == "" {
			t.Errorf("no %s header", h)
		}
	}
	if m := regexp.MustCompile(`(?i)(src|href|action)\s*=\s*"(?:[a-z]+:|//)`).FindString(page); m != "" {
		t.Errorf("the page refers to another place: %s", m)
	}
	for _, want := range []string{"<title>Review churn labels</title>", "churn@v3", "churned", "ana"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
}

// TestCrossSiteRequestsRefused sends API requests a foreign web page could
// make: without the token, with a wrong one, from another origin or
// through a rebound domain name. All are refused and nothing is recorded.
func TestCrossSiteRequestsRefused(t *testing.T) {
	s, l, _ := newTestServer(t)
	body := `{"item":"row:2","action":"skip"}`
	ok := func(extra map[string]string) map[string]string {
		h := map[string]string{"Content-Type": "application/json", tokenHeader: s.token, "Host": "127.0.0.1:4000"}
		for k, v := range extra {
			if v == "" {
				delete(h, k)
			} else {
				h[k] = v
			}
		}
		return h
	}
	tests := []struct {
		name   string
		method string
		path   string
		header map[string]string
		code   int
	}{
		{"decide without token", "POST", "/api/decide", ok(map[string]string{tokenHeader: ""}), http.StatusForbidden},
		{"decide with a wrong token", "POST", "/api/decide", ok(map[string]string{tokenHeader: "guess"}), http.StatusForbidden},
		{"decide from another origin", "POST", "/api/decide", ok(map[string]string{"Origin": "http://evil.example"}), http.StatusForbidden},
		{"decide from another port", "POST", "/api/decide", ok(map[string]string{"Origin": "http://127.0.0.1:4001"}), http.StatusForbidden},
		{"decide from a null origin", "POST", "/api/decide", ok(map[string]string{"Origin": "null"}), http.StatusForbidden},
		{"decide cross-site", "POST", "/api/decide", ok(map[string]string{"Sec-Fetch-Site": "cross-site"}), http.StatusForbidden},
		{"decide same-site", "POST", "/api/decide", ok(map[string]string{"Sec-Fetch-Site": "same-site"}), http.StatusForbidden},
		{"decide via rebound DNS", "POST", "/api/decide", ok(map[string]string{"Host": "evil.example:4000", "Origin": "http://evil.example:4000"}), http.StatusForbidden},
		{"decide as a form", "POST", "/api/decide", ok(map[string]string{"Content-Type": "text/plain"}), http.StatusUnsupportedMediaType},
		{"queue without token", "GET", "/api/queue", ok(map[string]string{tokenHeader: ""}), http.StatusForbidden},
		{"queue from another origin", "GET", "/api/queue", ok(map[string]string{"Origin": "http://evil.example"}), http.StatusForbidden},
		{"page via rebound DNS", "GET", "/", ok(map[string]string{"Host": "evil.example"}), http.StatusForbidden},
		{"decide by GET", "GET", "/api/decide", ok(nil), http.StatusMethodNotAllowed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := ""
			if tt.method == "POST" {
				b = body
			}
			code, resp := do(s, tt.method, tt.path, b, tt.header)
			if code != tt.code {
				t.Errorf("%s %s = %d %s, want %d", tt.method, tt.path, code, resp, tt.code)
			}
		})
	}
	if n := len(l.Decisions()); n != 0 {
		t.Errorf("%d decisions recorded, want none", n)
	}
	// The same request with the token from the page's own origin passes.
	for _, h := range []map[string]string{
		ok(nil),
		ok(map[string]string{"Origin": "http://127.0.0.1:4000", "Sec-Fetch-Site": "same-origin"}),
		ok(map[string]string{"Host": "localhost:4000", "Origin": "http://localhost:4000"}),
		ok(map[string]string{"Host": "[::1]:4000"}),
	} {
		if code, resp := do(s, "POST", "/api/decide", body, h); code != http.StatusOK {
			t.Errorf("POST with %v = %d %s, want 200", h, code, resp)
		}
	}
}

// TestDecideAPI records decisions through the API, changes one, and
// refuses invalid ones with their reason.
func TestDecideAPI(t *testing.T) {
	s, l, path := newTestServer(t)
	header := map[string]string{"Content-Type": "application/json", tokenHeader: s.token}
	decide := func(body string) (int, decideResponse, string) {
		code, resp := do(s, "POST", "/api/decide", body, header)
		var r decideResponse
		if code == http.StatusOK {
			if err := json.Unmarshal([]byte(resp), &r); err != nil {
				t.Fatalf("decode %s: %v", resp, err)
			}
		}
		return code, r, resp
	}

	code, r, resp := decide(`{"item":"row:2","action":"relabel","label":"maybe","reason":"  typo  "}`)
	if code != http.StatusOK {
		t.Fatalf("relabel = %d %s", code, resp)
	}
	if d := r.Item.Decision; r.Item.ID != "row:2" || d == nil || d.Action != Relabel || d.Label != "maybe" || d.Reviewer != "ana" || d.Reason != "typo" || d.Previous != "yes" {
		t.Errorf("relabel answered %+v, decision %+v", r.Item.Item, r.Item.Decision)
	}
	if r.Progress != (progress{Total: 5, Decided: 1}) {
		t.Errorf("progress %+v, want 1 of 5", r.Progress)
	}
	code, r, resp = decide(`{"item":"row:2","action":"skip"}`)
	if code != http.StatusOK || r.Item.Decision == nil || r.Item.Decision.Action != Skip {
		t.Fatalf("change to skip = %d %s", code, resp)
	}
	if r.Progress != (progress{Total: 5, Decided: 1, Skipped: 1}) {
		t.Errorf("progress %+v, want 1 of 5, 1 skipped", r.Progress)
	}
	ds, err := ReadDecisions(path)
	if err != nil || len(ds) != 2 {
		t.Fatalf("the log holds %v, %v; want both decisions", ds, err)
	}
	if d, _ := l.Latest("row:2"); d.Action != Skip {
		t.Errorf("effective decision %v, want the skip", d)
	}

	for _, tt := range []struct {
		name, body string
		code       int
		msg        string
	}{
		{"unknown class", `{"item":"row:2","action":"relabel","label":"perhaps"}`, 400, "not one of its classes"},
		{"unknown item", `{"item":"row:99","action":"skip"}`, 400, `no item "row:99"`},
		{"unknown action", `{"item":"row:2","action":"delete"}`, 400, "unknown action"},
		{"reviewer from the client", `{"item":"row:2","action":"skip","reviewer":"mallory"}`, 400, "unknown field"},
		{"not json", `item=row:2`, 400, "bad decision"},
		{"two values", `{"item":"row:2","action":"skip"} {}`, 400, "more than one"},
		{"too large", `{"item":"row:2","action":"skip","reason":"` + strings.Repeat("x", maxBody) + `"}`, 413, "larger than"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, _, resp := decide(tt.body)
			var e struct{ Error string }
			json.Unmarshal([]byte(resp), &e)
			if code != tt.code || !strings.Contains(e.Error, tt.msg) {
				t.Errorf("= %d %s, want %d with %q", code, resp, tt.code, tt.msg)
			}
		})
	}
	if n := len(l.Decisions()); n != 2 {
		t.Errorf("%d decisions after the refused ones, want 2", n)
	}
}

// TestQueueAPI lists the items in review order with their effective
// decisions.
func TestQueueAPI(t *testing.T) {
	s, l, _ := newTestServer(t)
	l.Append(Decision{Item: "row:3", Action: Relabel, Label: "maybe", Reviewer: "bo"})
	l.Append(Decision{Item: "row:3", Action: Accept, Reviewer: "bo"})
	code, resp := do(s, "GET", "/api/queue", "", map[string]string{tokenHeader: s.token})
	if code != http.StatusOK {
		t.Fatalf("GET /api/queue = %d %s", code, resp)
	}
	var q queueView
	if err := json.Unmarshal([]byte(resp), &q); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, it := range q.Items {
		s := it.ID
		if it.Decision != nil {
			s += "=" + it.Decision.Action
		}
		got = append(got, s)
	}
	if want := "[row:2 row:1 row:3=accept group:5 row:4]"; fmt.Sprint(got) != want {
		t.Errorf("items %v, want %s", got, want)
	}
	if q.Progress != (progress{Total: 5, Decided: 1}) || q.Dataset != "churn@v3" || q.Label != "churned" || q.Reviewer != "ana" {
		t.Errorf("queue %+v", q)
	}
	if ev := q.Items[0].Evidence; ev.Probs["no"] != 0.81 || ev.Neighbours == nil || len(ev.Neighbours.Rows) != 2 {
		t.Errorf("evidence of row:2 = %+v", ev)
	}
}

// TestListen serves on loopback only, and Serve stops when its context
// ends.
func TestListen(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", ":0", "192.0.2.1:0", "example.com:0", "nonsense"} {
		if _, _, err := Listen(addr); !errors.Is(err, ErrInvalid) {
			t.Errorf("Listen(%q): %v, want ErrInvalid", addr, err)
		}
	}
	s, _, _ := newTestServer(t)
	ln, url, err := Listen("")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(url, "http://127.0.0.1:") || !strings.HasSuffix(url, "/") {
		t.Errorf("URL %q, want http://127.0.0.1:port/", url)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, ln, s) }()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET %s = %d", url, resp.StatusCode)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Serve: %v, want nil after the context ends", err)
	}
}

func TestListenAnywhere(t *testing.T) {
	if _, _, err := Listen("0.0.0.0:0"); !errors.Is(err, ErrInvalid) {
		t.Errorf("Listen on 0.0.0.0: %v, want ErrInvalid", err)
	}
	ln, url, err := ListenAnywhere("0.0.0.0:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	if !strings.HasPrefix(url, "http://") {
		t.Errorf("url %q", url)
	}
	if _, _, err := ListenAnywhere("nonsense"); !errors.Is(err, ErrInvalid) {
		t.Errorf("bad address: %v", err)
	}
}
