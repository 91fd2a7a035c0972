package demo

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// OpenAPIPath is where the demo serves the OpenAPI 3.1 description of its
// sample API, without authentication: a provider's openapi setting is
// baseURL + OpenAPIPath.
const OpenAPIPath = "/openapi.json"

// OpenAPI returns the OpenAPI 3.1 description of the sample API served at
// baseURL ("http://127.0.0.1:PORT"), as indented JSON. Its servers entry
// and OAuth 2.0 URLs are absolute, so it is only right for that one run of
// the demo.
func OpenAPI(baseURL string) []byte {
	b, err := marshalJSON(openAPIDocument(strings.TrimRight(baseURL, "/")), "  ")
	if err != nil {
		// The document is our own constant data: failing to encode it is
		// a bug, not a condition to handle.
		panic("demo: encode the OpenAPI description: " + err.Error())
	}
	return b
}

// handleOpenAPI serves the description for this server, from memory. It
// must not be cached by clients: the port in it changes every time the
// demo starts.
func (s *Server) handleOpenAPI(w http.ResponseWriter, r *http.Request) {
	doc := s.openapi.forBase(s.baseURL(r))
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(doc)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(doc)
	}
}

// openAPICache keeps the last description built, since encoding it costs
// milliseconds. A started server has one base URL, so it is built once;
// one built with New takes its base from each request's Host, and a new
// Host builds anew.
type openAPICache struct {
	mu   sync.Mutex
	base string
	doc  []byte
}

func (c *openAPICache) forBase(base string) []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.doc == nil || c.base != base {
		c.base, c.doc = base, OpenAPI(base)
	}
	return c.doc
}

// The types below are the parts of OpenAPI 3.1 the description uses, with
// their fields in the order the specification lists them, so the
// document reads the way people expect.

type oaDocument struct {
	OpenAPI    string       `json:"openapi"`
	Info       oaInfo       `json:"info"`
	Servers    []oaServer   `json:"servers"`
	Tags       []oaTag      `json:"tags"`
	Paths      ordered      `json:"paths"`
	Components oaComponents `json:"components"`
}

type oaInfo struct {
	Title       string `json:"title"`
	Version     string `json:"version"`
	Description string `json:"description"`
}

type oaServer struct {
	URL         string `json:"url"`
	Description string `json:"description"`
}

type oaTag struct {
	Name        string `json:"name"`
	Description string `json:"description"`
}

type oaPathItem struct {
	Get    *oaOperation `json:"get,omitempty"`
	Post   *oaOperation `json:"post,omitempty"`
	Delete *oaOperation `json:"delete,omitempty"`
}

type oaOperation struct {
	Tags        []string       `json:"tags"`
	Summary     string         `json:"summary"`
	Description string         `json:"description"`
	OperationID string         `json:"operationId"`
	Parameters  []oaParameter  `json:"parameters,omitempty"`
	RequestBody *oaRequestBody `json:"requestBody,omitempty"`
	Responses   ordered        `json:"responses"`
	Security    []ordered      `json:"security"`
}

type oaParameter struct {
	Name        string    `json:"name"`
	In          string    `json:"in"`
	Description string    `json:"description"`
	Required    bool      `json:"required"`
	Schema      *oaSchema `json:"schema"`
	Example     any       `json:"example,omitempty"`
}

type oaRequestBody struct {
	Description string  `json:"description"`
	Content     ordered `json:"content"`
	Required    bool    `json:"required"`
}

type oaMediaType struct {
	Schema  *oaSchema `json:"schema"`
	Example any       `json:"example,omitempty"`
}

type oaResponse struct {
	Ref         string  `json:"$ref,omitempty"`
	Description string  `json:"description,omitempty"`
	Headers     ordered `json:"headers,omitempty"`
	Content     ordered `json:"content,omitempty"`
}

type oaHeader struct {
	Description string    `json:"description"`
	Required    bool      `json:"required,omitempty"`
	Schema      *oaSchema `json:"schema"`
}

// oaSchema is the JSON Schema 2020-12 subset the description uses.
type oaSchema struct {
	Ref         string    `json:"$ref,omitempty"`
	Type        any       `json:"type,omitempty"` // a name, or a list such as ["string", "null"]
	Description string    `json:"description,omitempty"`
	Format      string    `json:"format,omitempty"`
	Const       any       `json:"const,omitempty"`
	Pattern     string    `json:"pattern,omitempty"`
	MinLength   *int      `json:"minLength,omitempty"`
	MaxLength   *int      `json:"maxLength,omitempty"`
	Minimum     *int      `json:"minimum,omitempty"`
	Maximum     *int      `json:"maximum,omitempty"`
	Default     any       `json:"default,omitempty"`
	Items       *oaSchema `json:"items,omitempty"`
	MaxItems    *int      `json:"maxItems,omitempty"`
	Properties  ordered   `json:"properties,omitempty"`
	Required    []string  `json:"required,omitempty"`
	Examples    []any     `json:"examples,omitempty"`
}

type oaComponents struct {
	Schemas         ordered `json:"schemas"`
	Responses       ordered `json:"responses"`
	SecuritySchemes ordered `json:"securitySchemes"`
}

type oaSecurityScheme struct {
	Type        string  `json:"type"`
	Description string  `json:"description"`
	Flows       ordered `json:"flows"`
}

type oaFlow struct {
	AuthorizationURL       string  `json:"authorizationUrl,omitempty"`
	DeviceAuthorizationURL string  `json:"deviceAuthorizationUrl,omitempty"`
	TokenURL               string  `json:"tokenUrl"`
	RefreshURL             string  `json:"refreshUrl,omitempty"`
	Scopes                 ordered `json:"scopes"`
}

// ordered is a JSON object that keeps its members in the order written:
// paths, properties and responses read best in the order they were
// designed in, and a browser lists operations in document order.
type ordered []member

type member struct {
	name  string
	value any
}

func (o ordered) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, m := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		name, err := marshalJSON(m.name, "")
		if err != nil {
			return nil, err
		}
		value, err := marshalJSON(m.value, "")
		if err != nil {
			return nil, fmt.Errorf("%s: %w", m.name, err)
		}
		b.Write(bytes.TrimSpace(name))
		b.WriteByte(':')
		b.Write(bytes.TrimSpace(value))
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// marshalJSON encodes v without escaping <, > and &: the description is
// read by people and tools, never embedded in HTML.
func marshalJSON(v any, indent string) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", indent)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// intp returns a pointer to n, for the optional numbers of a schema.
func intp(n int) *int { return &n }
