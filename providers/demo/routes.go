package demo

import (
	"bytes"
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"strings"
)

// methods maps an HTTP method to the handler for one route.
type methods map[string]http.HandlerFunc

// servedRoute is a path pattern the mux serves and its methods, sorted.
type servedRoute struct {
	path    string
	methods []string
}

// routes wires every endpoint. Methods are dispatched here rather than by
// ServeMux patterns so that a wrong method gets a JSON 405 like every other
// error, and so each request is counted under its route.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()

	s.route(mux, "/oauth2/token", methods{"POST": s.handleToken})
	s.route(mux, "/oauth2/auth", methods{"GET": s.handleAuthorize, "POST": s.handleAuthorize})
	s.route(mux, "/oauth2/revoke", methods{"POST": s.handleRevoke})
	s.route(mux, "/oauth2/introspect", methods{"POST": s.handleIntrospect})
	s.route(mux, "/oauth2/device_authorization", methods{"POST": s.handleDeviceAuthorization})
	s.route(mux, "/device", methods{"GET": s.handleDevicePage, "POST": s.handleDeviceDecision})
	s.route(mux, "/.well-known/openid-configuration", methods{"GET": s.handleDiscovery})
	s.route(mux, "/.well-known/oauth-authorization-server", methods{"GET": s.handleDiscovery})
	s.route(mux, "/.well-known/jwks.json", methods{"GET": s.handleJWKS})
	s.route(mux, "/_stats", methods{"GET": s.handleStats})
	s.route(mux, OpenAPIPath, methods{"GET": s.handleOpenAPI})

	s.route(mux, "/api/me", methods{"GET": s.api("", s.handleMe)})
	s.route(mux, "/api/items", methods{
		"GET":  s.api("api:read", s.handleListItems),
		"POST": s.api("api:write", s.handleCreateItem),
	})
	s.route(mux, "/api/items/{id}", methods{
		"GET":    s.api("api:read", s.handleGetItem),
		"DELETE": s.api("api:write", s.handleDeleteItem),
	})
	s.route(mux, "/api/big", methods{"GET": s.api("api:read", s.handleBig)})
	s.route(mux, "/api/slow", methods{"GET": s.api("api:read", s.handleSlow)})
	s.route(mux, "/api/status/{code}", methods{"GET": s.api("api:read", s.handleStatus)})

	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "not_found",
			"There is no "+r.URL.Path+" here; the sample API lives under /api/ (try /api/me or /api/items) and is described at "+OpenAPIPath+".")
	})
	return mux
}

// route registers path, counting every request to it and answering 405
// for a method it does not serve. HEAD is served as GET. It also records
// the route in s.served, which the OpenAPI description is checked against.
func (s *Server) route(mux *http.ServeMux, path string, m methods) {
	allowed := slices.Sorted(maps.Keys(m))
	s.served = append(s.served, servedRoute{path: path, methods: allowed})
	mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
		s.stats.endpoint(path)
		method := r.Method
		if method == http.MethodHead {
			method = http.MethodGet
		}
		h, ok := m[method]
		if !ok {
			w.Header().Set("Allow", strings.Join(allowed, ", "))
			writeError(w, http.StatusMethodNotAllowed, "method_not_allowed",
				r.Method+" is not allowed on "+path+"; use "+strings.Join(allowed, " or ")+".")
			return
		}
		h(w, r)
	})
}

// handleStats serves the request counts as JSON.
func (s *Server) handleStats(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, s.Stats())
}

// writeJSON writes v as the JSON body with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	var body bytes.Buffer
	enc := json.NewEncoder(&body)
	enc.SetEscapeHTML(false) // the bodies are read by people, not embedded in HTML
	if err := enc.Encode(v); err != nil {
		http.Error(w, `{"error":"server_error"}`, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body.Bytes())
}

// apiError is the JSON body of every error the demo writes itself.
type apiError struct {
	Error       string `json:"error"`
	Description string `json:"error_description,omitempty"`
}

func writeError(w http.ResponseWriter, status int, code, description string) {
	writeJSON(w, status, apiError{Error: code, Description: description})
}
