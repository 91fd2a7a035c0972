// Package httpfile reads and writes the .http files of the JetBrains HTTP
// Client and the VS Code REST Client, the text format teams already keep
// their requests in. Parse never fails as a whole: a block that does not
// parse is reported with its line and the others load, so one typo does
// not hide a whole collection. What keyhole does not run (JavaScript
// handlers, response references, output redirects, directives of the
// other tools) is kept out of the requests and reported, never an error:
// a file written for another tool still opens.
//
// Parse only reads text: variables ({{…}}) are left as written for
// collection/vars, files named by `< ./file` are not opened, and nothing
// is sent.
package httpfile

import (
	"fmt"
	"strings"

	"github.com/keyhole-sh/keyhole/internal/termtext"
)

// File is one parsed .http file.
type File struct {
	Path     string
	Vars     []Var     // file variables `@name = value`, in file order (a variable may be used before its definition)
	Requests []Request // in file order
	Problems []Problem // blocks that did not parse: reported, not loaded
	NotRun   []NotRun  // what keyhole keeps but does not run, once per kind per file
}

// Var is a file variable, `@name = value`.
type Var struct {
	Name, Value string
	Line        int
}

// Problem is a block that did not parse; Line is the line at fault.
type Problem struct {
	Path   string
	Line   int
	Reason string
}

// Error says where and why, as FILE:LINE: reason, so editors and
// terminals can jump to it. The reason quotes the file through the
// terminal sanitizer; the path is cleaned here (a file's name is not
// keyhole's either).
func (p Problem) Error() string {
	return fmt.Sprintf("%s:%d: %s", termtext.Line(p.Path), p.Line, p.Reason)
}

// NotRun is a construct keyhole keeps but does not run, at its first
// line in the file, e.g. "response handler > {% … %}". What quotes the
// file through the terminal sanitizer.
type NotRun struct {
	Line int
	What string
}

// Request is one request block.
type Request struct {
	Name     string      // `### name`, `# @name x`, `# @name = x`; "" if none
	Line     int         // line of the request line (1-based)
	Method   string      // upper-case; GET for the short form
	URL      string      // raw, unresolved, query continuation lines joined
	Version  string      // "HTTP/1.1" etc., or ""
	Headers  []Header    // in file order
	Body     []BodyPart  // in order; empty = no body
	Provider string      // `# @provider NAME`
	Captures []Directive // `# @capture NAME = PATH` (Text = "NAME = PATH")
	Asserts  []Directive // `# @assert EXPR`
	Secrets  []string    // `# @secret NAME`
	Start    int         // byte offset of the block's first byte (its ### line, or 0 for the first block)
	End      int         // byte offset just past the block (the next ### line, or the end of the source)
}

// Header is one header line.
type Header struct {
	Name, Value string
	Line        int
}

// BodyPart is a run of body lines, or a file the body includes: `< ./f`
// sets File, `<@ ./f` sets File and Substitute (variables in the file's
// text are substituted). The body is its parts joined by a line ending:
// a Text holds its lines joined by "\n" (a CRLF file's too), with no line
// ending at its end; a multipart body is sent with CRLF, as both tools do.
type BodyPart struct {
	Text       string
	File       string
	Substitute bool
	Line       int
}

// Directive is a keyhole directive's text after its name, trimmed.
type Directive struct {
	Text string
	Line int
}

// BodyText is the body with its file parts written as `< FILE` lines, as
// a preview shows it; the runner reads the files instead.
func (r Request) BodyText() string {
	var b strings.Builder
	for i, p := range r.Body {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(p.source())
	}
	return b.String()
}

// source is the part as a .http file writes it: its text, or its file
// as a `< FILE` or `<@ FILE` line.
func (p BodyPart) source() string {
	switch {
	case p.File != "" && p.Substitute:
		return "<@ " + p.File
	case p.File != "":
		return "< " + p.File
	}
	return p.Text
}
