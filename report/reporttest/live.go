package reporttest

import (
	"context"
	"encoding/json"
	"net/url"
	"os"
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

// Tab is headless Chromium showing a page that a test serves live (from
// an httptest.Server, say) and drives: it presses keys, clicks, reloads,
// waits for the page to change and looks at it. Like Load, it records
// console errors and warnings, exceptions, Content-Security-Policy
// violations and requests; requests to the page's own origin (its API)
// are allowed, requests anywhere else are recorded.
//
// Every method fails the test on a browser error. A Tab belongs to one
// test goroutine; the browser closes when the test ends.
type Tab struct {
	t      testing.TB
	ctx    context.Context
	url    string
	origin string

	mu  sync.Mutex
	res Result
}

// Open starts headless Chromium and loads the page at pageURL. Without
// Chromium the test is skipped, or fails when ASSAY_REQUIRE_CHROMIUM=1.
// The whole session, page loads and waits included, must end within two
// minutes.
func Open(t testing.TB, pageURL string) *Tab {
	t.Helper()
	bin := chromium()
	if bin == "" {
		skipWithoutChromium(t)
	}
	u, err := url.Parse(pageURL)
	if err != nil || u.Scheme == "" || u.Host == "" {
		t.Fatalf("reporttest: open %q: not an absolute URL", pageURL)
	}
	tab := &Tab{t: t, url: pageURL, origin: u.Scheme + "://" + u.Host}
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
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	bctx, bcancel := chromedp.NewContext(actx)
	t.Cleanup(func() {
		bcancel()
		acancel()
		cancel()
	})
	tab.ctx = bctx
	if err := chromedp.Listen(bctx, tab.event); err != nil {
		t.Fatalf("reporttest: start chromium: %v", err)
	}
	tab.Do("load "+pageURL, chromedp.Navigate(pageURL), chromedp.WaitReady("body"))
	return tab
}

// skipWithoutChromium skips the test, or fails it when the environment
// requires Chromium.
func skipWithoutChromium(t testing.TB) {
	t.Helper()
	if os.Getenv("ASSAY_REQUIRE_CHROMIUM") == "1" {
		t.Fatal("chromium is not installed (apt-get install chromium)")
	}
	t.Skip("chromium is not installed; .ci/run installs it and runs this check")
}

// event records what the page does, as load does, except that requests to
// the page's origin are its own.
func (tab *Tab) event(ev any) {
	tab.mu.Lock()
	defer tab.mu.Unlock()
	switch e := ev.(type) {
	case *network.EventRequestWillBeSent:
		if u := e.Request.URL; u != tab.origin && !strings.HasPrefix(u, tab.origin+"/") {
			tab.res.Requests = append(tab.res.Requests, u)
		}
	case *runtime.EventConsoleAPICalled:
		if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeWarning {
			var parts []string
			for _, a := range e.Args {
				parts = append(parts, strings.Trim(string(a.Value), `"`))
			}
			tab.res.Console = append(tab.res.Console, string(e.Type)+": "+strings.Join(parts, " "))
		}
	case *runtime.EventExceptionThrown:
		tab.res.Console = append(tab.res.Console, "exception: "+e.ExceptionDetails.Text)
	case *log.EventEntryAdded:
		if e.Entry.Level == log.EntryLevelError || e.Entry.Level == log.EntryLevelWarning {
			tab.res.Console = append(tab.res.Console, string(e.Entry.Source)+" "+string(e.Entry.Level)+": "+e.Entry.Text)
		}
	}
}

// Do runs chromedp actions in the tab; what names them in a failure.
func (tab *Tab) Do(what string, actions ...chromedp.Action[chromedp.Void]) {
	tab.t.Helper()
	if err := chromedp.Do(tab.ctx, actions...); err != nil {
		tab.t.Fatalf("reporttest: %s: %v", what, err)
	}
}

// Press types keys into the focused element, one key event per rune, as
// a user would ("r", "2", "a", "\r" for Enter).
func (tab *Tab) Press(keys string) {
	tab.t.Helper()
	tab.Do("press "+strings.TrimSpace(keys), chromedp.KeyEvent(keys))
}

// Click clicks the first element that matches the CSS selector, with the
// mouse, once it is visible.
func (tab *Tab) Click(selector string) {
	tab.t.Helper()
	tab.Do("click "+selector, chromedp.Click(chromedp.CSS(selector)))
}

// Reload reloads the page and waits for its body.
func (tab *Tab) Reload() {
	tab.t.Helper()
	tab.Do("reload "+tab.url, chromedp.Reload(), chromedp.WaitReady("body"))
}

// Eval evaluates the JavaScript expression js in the page and decodes its
// value, which must survive JSON, into out. The expression runs from the
// DevTools protocol, so the page's Content-Security-Policy does not apply
// to it.
func (tab *Tab) Eval(js string, out any) {
	tab.t.Helper()
	value, err := chromedp.Run(tab.ctx, chromedp.Evaluate[[]byte](js))
	if err != nil {
		tab.t.Fatalf("reporttest: evaluate %.80q: %v", js, err)
	}
	if err := json.Unmarshal(value, out); err != nil {
		tab.t.Fatalf("reporttest: decode the value of %.80q: %v (value %.200s)", js, err, value)
	}
}

// WaitFor waits until the JavaScript expression cond is true in the page,
// testing it now and after every change to the document. It uses no
// timer: the wait ends when the page gets there, or when the session's
// deadline fails the test. Like Eval's, the expression is not subject to
// the page's Content-Security-Policy.
func (tab *Tab) WaitFor(cond string) {
	tab.t.Helper()
	js := `new Promise((resolve) => {
		const ok = () => { try { return !!(` + cond + `); } catch (e) { return false; } };
		if (ok()) { resolve(true); return; }
		const obs = new MutationObserver(() => { if (ok()) { obs.disconnect(); resolve(true); } });
		obs.observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
	})`
	if _, err := chromedp.Run(tab.ctx, chromedp.Evaluate[bool](js, chromedp.EvalAwaitPromise)); err != nil {
		tab.mu.Lock()
		console := tab.res.Console
		tab.mu.Unlock()
		tab.t.Fatalf("reporttest: wait for %s: %v (console: %v)", cond, err, console)
	}
}

// Result returns what the tab has recorded so far; Title and Text are the
// page's now.
func (tab *Tab) Result() Result {
	tab.t.Helper()
	title, err := chromedp.Run(tab.ctx, chromedp.Title())
	if err != nil {
		tab.t.Fatalf("reporttest: read title: %v", err)
	}
	text, err := chromedp.Run(tab.ctx, chromedp.Evaluate[string](`document.body.innerText`))
	if err != nil {
		tab.t.Fatalf("reporttest: read text: %v", err)
	}
	tab.mu.Lock()
	defer tab.mu.Unlock()
	res := tab.res
	res.Requests = append([]string(nil), res.Requests...)
	res.Console = append([]string(nil), res.Console...)
	res.Title, res.Text = title, text
	return res
}

// Check fails the test if the page has, so far, made a request outside
// its origin, logged a console error or warning, thrown, violated its
// Content-Security-Policy, or has no title.
func (tab *Tab) Check() Result {
	tab.t.Helper()
	res := tab.Result()
	check(tab.t, tab.url, res)
	return res
}
