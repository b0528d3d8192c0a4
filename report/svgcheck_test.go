package report

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var svgRE = regexp.MustCompile(`(?s)<svg[ >].*?</svg>`)

// checkSVG checks every chart in a rendered page as XML, stricter than
// checkHTML: each <svg> is well-formed on its own, is an image with a
// label, has only finite numbers for coordinates and sizes, no negative
// sizes, nothing placed outside its view box, and no text longer than a
// chart can hold.
func checkSVG(t *testing.T, page string) {
	t.Helper()
	for _, svg := range svgRE.FindAllString(page, -1) {
		if err := checkOneSVG(svg); err != nil {
			t.Errorf("%v in\n%.2000s", err, svg)
		}
	}
}

func checkOneSVG(svg string) error {
	d := xml.NewDecoder(strings.NewReader(svg))
	d.Strict = true
	var w, h float64
	var stack []string
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("not XML: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			name := tok.Name.Local
			stack = append(stack, name)
			attrs := map[string]string{}
			for _, a := range tok.Attr {
				attrs[a.Name.Local] = a.Value
			}
			if name == "svg" {
				if attrs["role"] != "img" || attrs["aria-label"] == "" {
					return fmt.Errorf("<svg> without role=img and an aria-label")
				}
				var x, y float64
				if _, err := fmt.Sscanf(attrs["viewBox"], "%g %g %g %g", &x, &y, &w, &h); err != nil || x != 0 || y != 0 || !(w > 0) || !(h > 0) {
					return fmt.Errorf("viewBox %q", attrs["viewBox"])
				}
			}
			if err := checkCoords(name, attrs, w, h); err != nil {
				return err
			}
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			// SVG text is not wrapped, so long labels must be cut.
			if len(stack) > 0 && stack[len(stack)-1] == "text" && len([]rune(string(tok))) > 60 {
				return fmt.Errorf("SVG text of %d characters: %.40q…", len([]rune(string(tok))), tok)
			}
		}
	}
	return nil
}

// checkCoords checks the geometry attributes of one element in a view box
// w by h: finite, sizes not negative, places inside (give or take 1).
func checkCoords(name string, attrs map[string]string, w, h float64) error {
	num := func(a string) (float64, bool, error) {
		s, ok := attrs[a]
		if !ok {
			return 0, false, nil
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || !finite(f) {
			return 0, true, fmt.Errorf("<%s %s=%q>: not a finite number", name, a, s)
		}
		return f, true, nil
	}
	inside := func(a string, v, limit float64) error {
		if v < -1 || v > limit+1 {
			return fmt.Errorf("<%s %s=%q> outside the view box 0 0 %g %g", name, a, attrs[a], w, h)
		}
		return nil
	}
	if name == "svg" {
		return nil
	}
	for _, a := range []string{"x", "x1", "x2", "cx", "y", "y1", "y2", "cy", "width", "height", "r"} {
		v, ok, err := num(a)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		switch a {
		case "width", "height", "r":
			if v < 0 {
				return fmt.Errorf("<%s %s=%q>: negative", name, a, attrs[a])
			}
		case "y", "y1", "y2", "cy":
			if err := inside(a, v, h); err != nil {
				return err
			}
		default:
			if err := inside(a, v, w); err != nil {
				return err
			}
		}
	}
	x, _, _ := num("x")
	y, _, _ := num("y")
	if width, ok, _ := num("width"); ok {
		if err := inside("width", x+width, w); err != nil {
			return err
		}
	}
	if height, ok, _ := num("height"); ok {
		if err := inside("height", y+height, h); err != nil {
			return err
		}
	}
	if points, ok := attrs["points"]; ok {
		for _, p := range strings.Fields(points) {
			var px, py float64
			if _, err := fmt.Sscanf(p, "%g,%g", &px, &py); err != nil || !finite(px) || !finite(py) {
				return fmt.Errorf("<%s points> has %q", name, p)
			}
			if px < -1 || px > w+1 || py < -1 || py > h+1 {
				return fmt.Errorf("<%s points> has %q outside the view box 0 0 %g %g", name, p, w, h)
			}
		}
	}
	return nil
}

// TestCheckSVG makes sure the checker can fail.
func TestCheckSVG(t *testing.T) {
	const head = `<svg viewBox="0 0 100 50" role="img" aria-label="a">`
	tests := []struct{ svg, want string }{
		{head + `<rect x="1" y="2" width="3" height="4"/></svg>`, ""},
		{head + `<rect x="1" y="2" width="3" height="4"></svg>`, "not XML"},
		{`<svg viewBox="0 0 100 50"></svg>`, "role=img"},
		{head + `<rect x="NaN" y="2" width="3" height="4"/></svg>`, "not a finite number"},
		{head + `<rect x="1" y="2" width="-3" height="4"/></svg>`, "negative"},
		{head + `<rect x="90" y="2" width="30" height="4"/></svg>`, "outside"},
		{head + `<line x1="0" x2="0" y1="0" y2="60"/></svg>`, "outside"},
		{head + `<polyline points="0,0 1,+Inf"/></svg>`, "points"},
		{head + `<polyline points="0,0 200,1"/></svg>`, "outside"},
		{head + `<text x="1" y="2">` + strings.Repeat("x", 61) + `</text></svg>`, "SVG text"},
	}
	for _, tt := range tests {
		err := checkOneSVG(tt.svg)
		if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("checkOneSVG(%q) = %v, want %q", tt.svg, err, tt.want)
		}
	}
}
