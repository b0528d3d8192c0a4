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
