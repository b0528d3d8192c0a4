// Package reporttest checks HTML reports the way users see them: loaded in
// headless Chromium, with every console message, script error,
// Content-Security-Policy violation and network request recorded.
//
// Tests call Check on each page they produce, or Inspect to also look at
// the page's elements as the browser laid them out. Chromium must be installed
// (Debian's chromium package; .ci/run installs it). Without it the check is
// skipped, unless ASSAY_REQUIRE_CHROMIUM=1 (set by .ci/run) makes that a
// failure.
package reporttest

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Result is what the browser saw while loading a page.
type Result struct {
	Title    string   // document.title
	Requests []string // URLs requested, the page itself excluded
	Console  []string // console errors and warnings, uncaught exceptions, CSP violations
	Text     string   // document.body.innerText
}

// chromium returns the browser's path, or "" when there is none.
func chromium() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// Load opens the HTML file in headless Chromium, served from a loopback
// HTTP server so that any request the page makes is seen, and returns what
// happened. It fails the test on browser errors.
func Load(t testing.TB, path string) Result {
	t.Helper()
	res, _ := load(t, path, "")
	return res
}

// load is Load that also evaluates the JavaScript expression js, if any,
// once the page is loaded, and returns its value as JSON.
func load(t testing.TB, path, js string) (Result, []byte) {
	t.Helper()
	bin := chromium()
	if bin == "" {
		if os.Getenv("ASSAY_REQUIRE_CHROMIUM") == "1" {
			t.Fatal("chromium is not installed (apt-get install chromium)")
		}
		t.Skip("chromium is not installed; .ci/run installs it and runs this check")
	}
	page, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu  sync.Mutex
		res Result
	)
	mux := http.NewServeMux()
	mux.HandleFunc("/report.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(page)
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		res.Requests = append(res.Requests, "served "+r.URL.Path)
		mu.Unlock()
		http.NotFound(w, r)
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: mux}
	go srv.Serve(ln)
	defer srv.Close()
	pageURL := fmt.Sprintf("http://%s/report.html", ln.Addr())

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(bin),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(filepath.Join(t.TempDir(), "chromium")),
	)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	defer acancel()
	bctx, bcancel := chromedp.NewContext(actx)
	defer bcancel()
	err = chromedp.Listen(bctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case *network.EventRequestWillBeSent:
			if e.Request.URL != pageURL {
				res.Requests = append(res.Requests, e.Request.URL)
			}
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeWarning {
				var parts []string
				for _, a := range e.Args {
					parts = append(parts, strings.Trim(string(a.Value), `"`))
				}
				res.Console = append(res.Console, string(e.Type)+": "+strings.Join(parts, " "))
			}
		case *runtime.EventExceptionThrown:
			res.Console = append(res.Console, "exception: "+e.ExceptionDetails.Text)
		case *log.EventEntryAdded:
			// The browser's own messages about the page: a blocked
			// resource, a Content-Security-Policy violation.
			if e.Entry.Level == log.EntryLevelError || e.Entry.Level == log.EntryLevelWarning {
				res.Console = append(res.Console, string(e.Entry.Source)+" "+string(e.Entry.Level)+": "+e.Entry.Text)
			}
		}
	})
	if err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	err = chromedp.Do(bctx, chromedp.Navigate(pageURL), chromedp.WaitReady("body"))
	if err != nil {
		t.Fatalf("load %s in chromium: %v", path, err)
	}
	title, err := chromedp.Run(bctx, chromedp.Title())
	if err != nil {
		t.Fatalf("read title of %s: %v", path, err)
	}
	text, err := chromedp.Run(bctx, chromedp.Evaluate[string](`document.body.innerText`))
	if err != nil {
		t.Fatalf("read text of %s: %v", path, err)
	}
	var value []byte
	if js != "" {
		value, err = chromedp.Run(bctx, chromedp.Evaluate[[]byte](js))
		if err != nil {
			t.Fatalf("evaluate script in %s: %v", path, err)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	res.Title, res.Text = title, text
	return res, value
}

// Check loads the page and fails the test if it made any network request,
// logged a console error or warning, threw, violated its
// Content-Security-Policy, or has no title.
func Check(t testing.TB, path string) Result {
	t.Helper()
	res, _ := load(t, path, "")
	check(t, path, res)
	return res
}

// Inspect is Check that also evaluates the JavaScript expression js in the
// loaded page and decodes its value, which must survive JSON, into out: a
// test's way to look at the page as the browser laid it out (element
// sizes from getBBox, computed styles). The expression runs from the
// DevTools protocol, so the page's Content-Security-Policy does not apply
// to it.
func Inspect(t testing.TB, path, js string, out any) Result {
	t.Helper()
	res, value := load(t, path, js)
	check(t, path, res)
	if err := json.Unmarshal(value, out); err != nil {
		t.Fatalf("decode the value of the script in %s: %v (value %.200s)", path, err, value)
	}
	return res
}

func check(t testing.TB, path string, res Result) {
	t.Helper()
	if len(res.Requests) > 0 {
		t.Errorf("%s made network requests: %v", path, res.Requests)
	}
	if len(res.Console) > 0 {
		t.Errorf("%s logged to the console: %v", path, res.Console)
	}
	if res.Title == "" {
		t.Errorf("%s has no title", path)
	}
}
