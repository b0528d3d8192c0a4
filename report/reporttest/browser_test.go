package reporttest

import (
	"os"
	"path/filepath"
	"testing"
)

// TestLoadSeesRequestsAndErrors makes sure the checker can fail: a page
// that fetches an image and throws is caught on both counts.
func TestLoadSeesRequestsAndErrors(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.html")
	html := `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bad</title></head>
<body><img src="/pixel.png" alt=""><script>console.error("boom"); undefinedFunction();</script></body></html>`
	if err := os.WriteFile(path, []byte(html), 0o644); err != nil {
		t.Fatal(err)
	}
	res := Load(t, path)
	if len(res.Requests) == 0 {
		t.Error("the image request was not seen")
	}
	if len(res.Console) < 2 {
		t.Errorf("console = %v, want the error and the exception", res.Console)
	}
}

// TestLoadSeesCSPViolations makes sure a style or script that the page's
// Content-Security-Policy blocks is reported, although the page neither
// logs nor throws.
func TestLoadSeesCSPViolations(t *testing.T) {
	path := filepath.Join(t.TempDir(), "csp.html")
	html := `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'"><title>csp</title>
<style>p { color: red; }</style></head>
<body><p>blocked style</p><script>document.title = "ran";</script></body></html>`
	if err := os.WriteFile(path, []byte(html), 0o644); err != nil {
		t.Fatal(err)
	}
	res := Load(t, path)
	if len(res.Console) < 2 {
		t.Errorf("console = %v, want the blocked style and the blocked script", res.Console)
	}
	if res.Title != "csp" {
		t.Errorf("title = %q: the blocked script ran", res.Title)
	}
}

// TestInspect evaluates a script in the loaded page and decodes its value.
func TestInspect(t *testing.T) {
	path := filepath.Join(t.TempDir(), "page.html")
	html := `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'"><title>svg</title></head>
<body><svg width="100" height="50"><rect x="10" y="5" width="30" height="20"/></svg></body></html>`
	if err := os.WriteFile(path, []byte(html), 0o644); err != nil {
		t.Fatal(err)
	}
	var box struct{ X, Y, Width, Height float64 }
	Inspect(t, path, `(() => { const b = document.querySelector("rect").getBBox();
		return {x: b.x, y: b.y, width: b.width, height: b.height}; })()`, &box)
	if box.X != 10 || box.Y != 5 || box.Width != 30 || box.Height != 20 {
		t.Errorf("bounding box %+v, want {10 5 30 20}", box)
	}
}
