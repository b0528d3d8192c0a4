package reporttest

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestTab drives a live page: its own API calls are allowed, a key press
// changes it, WaitFor sees the change, and a request elsewhere and a
// console error are caught.
func TestTab(t *testing.T) {
	const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>live</title></head>
<body><p id="out">waiting</p><script>
document.addEventListener("keydown", (e) => {
	if (e.key === "x") {
		fetch("/api", {headers: {"X-Test": "1"}}).then((r) => r.text()).then((s) => { document.getElementById("out").textContent = s; });
	}
	if (e.key === "y") {
		const img = document.createElement("img");
		img.src = "http://192.0.2.1:9/pixel.png";
		document.body.appendChild(img);
		console.error("boom");
	}
});
</script></body></html>`
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(page))
	})
	mux.HandleFunc("GET /api", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("answer " + r.Header.Get("X-Test")))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	tab := Open(t, srv.URL+"/")
	tab.Press("x")
	tab.WaitFor(`document.getElementById("out").textContent === "answer 1"`)
	res := tab.Check()
	if res.Title != "live" || !strings.Contains(res.Text, "answer 1") {
		t.Errorf("title %q, text %q; want live, answer 1", res.Title, res.Text)
	}
	tab.Reload()
	tab.WaitFor(`document.getElementById("out").textContent === "waiting"`)

	tab.Press("y")
	tab.WaitFor(`document.querySelector("img") !== null`)
	var n int
	tab.Eval(`document.images.length`, &n)
	if n != 1 {
		t.Errorf("%d images, want 1", n)
	}
	res = tab.Result()
	if len(res.Requests) != 1 || !strings.Contains(res.Requests[0], "192.0.2.1") {
		t.Errorf("requests %v, want only the image's", res.Requests)
	}
	if len(res.Console) == 0 || !strings.Contains(strings.Join(res.Console, " "), "boom") {
		t.Errorf("console %v, want the error", res.Console)
	}
}
