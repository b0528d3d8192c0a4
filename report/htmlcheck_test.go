package report

import (
	"fmt"
	"html"
	"net/url"
	"regexp"
	"strings"
)

// This file holds a strict, small checker for the HTML that Render writes.
// It is stricter than a browser: it accepts only the elements the templates
// use, requires quoted attributes, balanced tags and valid character
// references, and knows the nesting rules that would make a browser
// rearrange the tree (a block inside <p>, text inside <table>, …).

// parsedPage is what checkHTML learned about a page.
type parsedPage struct {
	Styles, Scripts []string            // contents of <style> and <script>
	Title           string              // decoded <title>
	Text            string              // decoded text of <body>, elements separated by spaces
	IDs             map[string]bool     // decoded id attributes
	Links           []string            // decoded href attributes
	Attrs           map[string][]string // decoded values by attribute name
	Count           map[string]int      // elements by name
}

var (
	startTagRE = regexp.MustCompile(`^<([a-z][a-z0-9]*)((?:\s+[a-zA-Z][-a-zA-Z0-9]*(?:="[^"<]*")?)*)\s*(/?)>`)
	attrRE     = regexp.MustCompile(`\s+([a-zA-Z][-a-zA-Z0-9]*)(?:="([^"]*)")?`)
	endTagRE   = regexp.MustCompile(`^</([a-z][a-z0-9]*)>`)
	charRefRE  = regexp.MustCompile(`^&(?:#[0-9]{1,7}|#x[0-9a-fA-F]{1,6}|lt|gt|amp|quot|apos|nbsp);`)
)

// known lists the elements the page may contain, with the parents each may
// have ("" for any).
var known = map[string][]string{
	"html": {"#root"}, "head": {"html"}, "body": {"html"},
	"meta": {"head"}, "title": {"head", "svg", "g", "rect"}, "style": {"head"}, "script": {"body"},
	"div": {""}, "header": {""}, "main": {"div"}, "nav": {"div"}, "section": {"main"},
	"article": {"div"}, "h1": {"header"}, "h2": {"section"}, "h3": {"article"},
	"p": {""}, "strong": {""}, "a": {""},
	"ul": {""}, "li": {"ul"}, "dl": {""}, "dt": {"div", "dl"}, "dd": {"div", "dl"},
	"table": {"div"}, "caption": {"table"}, "thead": {"table"}, "tbody": {"table"},
	"tr": {"thead", "tbody"}, "th": {"tr"}, "td": {"tr"},
	"figure": {""}, "figcaption": {"figure"},
	"svg": {"figure"}, "g": {"svg", "g"}, "rect": {"svg", "g"}, "line": {"svg", "g"}, "text": {"svg", "g"},
	"polyline": {"svg", "g"}, "circle": {"svg", "g"},
}

var (
	voidElements = map[string]bool{"meta": true}
	rawText      = map[string]bool{"style": true, "script": true, "title": true} // title: no markup either
	svgElements  = map[string]bool{"svg": true, "g": true, "rect": true, "line": true, "text": true,
		"polyline": true, "circle": true}
	// Elements that close an open <p> in a browser, so must not be in one.
	blockElements = map[string]bool{"div": true, "p": true, "ul": true, "dl": true, "table": true,
		"figure": true, "section": true, "article": true, "header": true, "nav": true, "main": true,
		"h1": true, "h2": true, "h3": true}
	// Elements whose text content the parser would move out (foster parenting).
	noText = map[string]bool{"html": true, "head": true, "table": true, "thead": true, "tbody": true,
		"tr": true, "ul": true, "dl": true, "svg": true, "g": true}
)

// checkHTML checks doc and reports the first problem, with its offset.
func checkHTML(doc string) (*parsedPage, error) {
	const doctype = "<!DOCTYPE html>\n"
	if !strings.HasPrefix(doc, doctype) {
		return nil, fmt.Errorf("page does not start with %q", doctype)
	}
	pp := &parsedPage{IDs: map[string]bool{}, Attrs: map[string][]string{}, Count: map[string]int{}}
	var text strings.Builder
	stack := []string{"#root"}
	pos := len(doctype)
	fail := func(format string, args ...any) (*parsedPage, error) {
		ctx := doc[pos:min(len(doc), pos+60)]
		return nil, fmt.Errorf("offset %d (%q): %s", pos, ctx, fmt.Sprintf(format, args...))
	}
	inBody := false
	for pos < len(doc) {
		i := strings.IndexByte(doc[pos:], '<')
		if i < 0 {
			i = len(doc) - pos
		}
		if t := doc[pos : pos+i]; t != "" {
			if err := checkRefs(t); err != nil {
				return fail("text: %v", err)
			}
			if strings.TrimSpace(t) != "" && noText[stack[len(stack)-1]] {
				return fail("text directly inside <%s>", stack[len(stack)-1])
			}
			if strings.TrimSpace(t) != "" && len(stack) == 1 {
				return fail("text outside <html>")
			}
			if inBody {
				text.WriteString(html.UnescapeString(t))
			}
		}
		pos += i
		if pos >= len(doc) {
			break
		}
		rest := doc[pos:]
		if m := endTagRE.FindStringSubmatch(rest); m != nil {
			if top := stack[len(stack)-1]; top != m[1] {
				return fail("</%s> closes <%s>", m[1], top)
			}
			stack = stack[:len(stack)-1]
			pos += len(m[0])
			text.WriteByte(' ')
			continue
		}
		m := startTagRE.FindStringSubmatch(rest)
		if m == nil {
			return fail("malformed tag or stray '<'")
		}
		name, selfClose := m[1], m[3] == "/"
		parents, ok := known[name]
		if !ok {
			return fail("unexpected element <%s>", name)
		}
		parent := stack[len(stack)-1]
		if parents[0] != "" && !contains(parents, parent) {
			return fail("<%s> inside <%s>", name, parent)
		}
		if parent == "p" && blockElements[name] {
			return fail("<%s> inside <p>", name)
		}
		if name == "a" && contains(stack, "a") {
			return fail("nested <a>")
		}
		inSVG := contains(stack, "svg") || name == "svg"
		if selfClose && !(inSVG && name != "svg") {
			return fail("self-closing <%s/> outside SVG", name)
		}
		seen := map[string]bool{}
		for _, a := range attrRE.FindAllStringSubmatch(m[2], -1) {
			an, av := a[1], a[2]
			if seen[an] {
				return fail("duplicate attribute %s", an)
			}
			seen[an] = true
			if strings.HasPrefix(strings.ToLower(an), "on") || an == "style" || an == "src" {
				return fail("attribute %s not allowed", an)
			}
			if err := checkRefs(av); err != nil {
				return fail("attribute %s: %v", an, err)
			}
			av = html.UnescapeString(av)
			pp.Attrs[an] = append(pp.Attrs[an], av)
			switch an {
			case "id":
				if pp.IDs[av] {
					return fail("duplicate id %q", av)
				}
				if av == "" || strings.ContainsAny(av, " \t\n") {
					return fail("invalid id %q", av)
				}
				pp.IDs[av] = true
			case "href":
				pp.Links = append(pp.Links, av)
			}
		}
		pp.Count[name]++
		pos += len(m[0])
		if name == "body" {
			inBody = true
		}
		if voidElements[name] {
			continue
		}
		if selfClose {
			continue
		}
		if rawText[name] {
			end := "</" + name + ">"
			j := strings.Index(doc[pos:], end)
			if j < 0 {
				return fail("unclosed <%s>", name)
			}
			content := doc[pos : pos+j]
			if strings.Contains(strings.ToLower(content), "<"+name) || strings.Contains(strings.ToLower(content), "</") {
				return fail("markup inside <%s>", name)
			}
			switch name {
			case "style":
				pp.Styles = append(pp.Styles, content)
			case "script":
				pp.Scripts = append(pp.Scripts, content)
			case "title":
				if err := checkRefs(content); err != nil {
					return fail("title: %v", err)
				}
				if parent == "head" {
					pp.Title = html.UnescapeString(content)
				}
				if inBody {
					text.WriteString(html.UnescapeString(content))
				}
			}
			pos += j + len(end)
			continue
		}
		stack = append(stack, name)
		if inBody {
			text.WriteByte(' ')
		}
	}
	if len(stack) != 1 {
		return nil, fmt.Errorf("unclosed elements at end: %v", stack[1:])
	}
	for _, want := range []string{"html", "head", "body"} {
		if pp.Count[want] != 1 {
			return nil, fmt.Errorf("%d <%s> elements, want 1", pp.Count[want], want)
		}
	}
	for _, l := range pp.Links {
		if !strings.HasPrefix(l, "#") {
			return nil, fmt.Errorf("link %q leaves the page", l)
		}
		frag, err := url.PathUnescape(l[1:])
		if err != nil {
			return nil, fmt.Errorf("link %q: %v", l, err)
		}
		if !pp.IDs[frag] {
			return nil, fmt.Errorf("link %q has no target", l)
		}
	}
	pp.Text = text.String()
	return pp, nil
}

// checkRefs checks that every '&' in s starts a character reference.
func checkRefs(s string) error {
	for i := strings.IndexByte(s, '&'); i >= 0; {
		if !charRefRE.MatchString(s[i:]) {
			return fmt.Errorf("bare '&' in %q", s[i:min(len(s), i+12)])
		}
		j := strings.IndexByte(s[i+1:], '&')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
