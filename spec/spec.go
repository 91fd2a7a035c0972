// Package spec reads a provider's OpenAPI description: it loads the file or
// URL (with a cache and its validator), lists the operations in one pass
// over the bytes (the index, cached by the bytes' hash), builds what
// choosing an operation puts in the composer (Skeleton) and ranks the
// operations against typed words (Match). It draws nothing and fetches no
// token: the caller hands it an HTTP client and, for a private spec, a way
// to authorize a request.
package spec

import (
	"fmt"
	"strings"
	"sync"

	"github.com/keyhole-sh/keyhole/internal/rank"
)

// Operation is one operation of the spec, as the index lists it.
type Operation struct {
	Method     string      `json:"method"` // upper case: GET, POST, ...
	Path       string      `json:"path"`   // as written: /repos/{owner}/{repo}
	ID         string      `json:"operationId,omitempty"`
	Summary    string      `json:"summary,omitempty"`
	Tags       []string    `json:"tags,omitempty"`
	Deprecated bool        `json:"deprecated,omitempty"`
	Parameters []Parameter `json:"parameters,omitempty"`
	// Scopes is the security requirement, from the operation or the
	// document's default, as "scheme:scope" (or "scheme" for a scheme
	// without scopes), alternatives flattened in order.
	Scopes []string `json:"scopes,omitempty"`
	// Security keeps what Scopes flattens: the requirement's
	// alternatives, any one of which is enough (OR), in the order written.
	// Empty when none is needed or none is said.
	Security []Alternative `json:"security,omitempty"`
	// Servers are the operation's own servers (or its path's), when it
	// overrides the document's.
	Servers []string `json:"servers,omitempty"`
	// Body is the request body, nil when the operation takes none.
	Body *Body `json:"body,omitempty"`
	// Pointer is the operation's JSON pointer in the document
	// (/paths/~1repos~1{owner}/get), for finding its details later.
	Pointer string `json:"pointer"`
}

// Parameter is one parameter of an operation, its $ref resolved.
type Parameter struct {
	Name     string `json:"name"`
	In       string `json:"in"` // path, query, header or cookie
	Required bool   `json:"required"`
	Type     string `json:"type"` // the schema's type ("string", "integer|null"), "" when not said
}

// Body is an operation's request body.
type Body struct {
	Required    bool   `json:"required,omitempty"`
	ContentType string `json:"contentType"` // the JSON one when there are several
}

// Index is what one pass over a spec finds: enough to list, filter and
// fill the composer without building the full document model.
type Index struct {
	// Version is the document's openapi field (3.0.x, 3.1.x or 3.2.x).
	Version string `json:"version"`
	Title   string `json:"title,omitempty"`
	// Servers are the document's server URLs.
	Servers    []string    `json:"servers,omitempty"`
	Operations []Operation `json:"operations"`
	// Webhooks name the 3.1 webhooks: requests the API sends, which are
	// not listed, but which say why a list may be empty.
	Webhooks []string `json:"webhooks,omitempty"`
	// Paths counts the path items, operations or not.
	Paths int `json:"paths,omitempty"`

	rankOnce sync.Once
	ranked   *rank.Set // what Match ranks, one candidate per operation
}

// Find returns the operation whose operationId is id.
func (ix *Index) Find(id string) (*Operation, bool) {
	for i := range ix.Operations {
		if ix.Operations[i].ID == id {
			return &ix.Operations[i], true
		}
	}
	return nil, false
}

// Empty says why the index lists no operation, for a person who expected
// some (an empty list without a word reads as a bug); "" when it lists
// any.
func (ix *Index) Empty() string {
	switch {
	case len(ix.Operations) > 0:
		return ""
	case len(ix.Webhooks) > 0:
		names := ix.Webhooks
		more := ""
		if len(names) > 3 {
			names, more = names[:3], ", …"
		}
		return fmt.Sprintf("the spec lists no operation to send: it has only webhooks (%s%s), the requests the API sends to you", strings.Join(names, ", "), more)
	case ix.Paths == 0:
		return "the spec lists no operation: it has no paths"
	}
	return fmt.Sprintf("the spec lists no operation: its %d paths have no get, put, post, delete, options, head, patch, trace or query", ix.Paths)
}
