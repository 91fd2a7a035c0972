package httpfile

import (
	"strings"
)

// Format writes r as a block that Parse reads back to the same request:
// the ### line with its name, keyhole's # @provider and # @secret, the
// request line, the headers, a blank line and the body, then # @capture
// and # @assert after it, where people write them. It ends in a newline.
//
// Format does not check r: a URL with a space, a header name with a
// colon or a body line starting with ### would read back differently.
// Parse never makes such a request; a caller building one from what a
// user typed checks it first (Check).
func Format(r Request) []byte {
	var b strings.Builder
	b.WriteString("###")
	if r.Name != "" {
		if strings.HasPrefix(r.Name, "#") {
			// `### #x` would read back as "x": the #s are the separator's.
			b.WriteString("\n# @name " + r.Name)
		} else {
			b.WriteString(" " + r.Name)
		}
	}
	b.WriteByte('\n')
	if r.Provider != "" {
		b.WriteString("# @provider " + r.Provider + "\n")
	}
	for _, s := range r.Secrets {
		b.WriteString("# @secret " + s + "\n")
	}
	method := r.Method
	if method == "" {
		method = "GET"
	}
	b.WriteString(method + " " + r.URL)
	if r.Version != "" {
		b.WriteString(" " + r.Version)
	}
	b.WriteByte('\n')
	for _, h := range r.Headers {
		b.WriteString(h.Name + ": " + h.Value + "\n")
	}
	if len(r.Body) > 0 || len(r.Captures) > 0 || len(r.Asserts) > 0 {
		b.WriteByte('\n')
	}
	for _, p := range r.Body {
		b.WriteString(p.source() + "\n")
	}
	for _, d := range r.Captures {
		b.WriteString("# @capture " + d.Text + "\n")
	}
	for _, d := range r.Asserts {
		b.WriteString("# @assert " + d.Text + "\n")
	}
	return []byte(b.String())
}
