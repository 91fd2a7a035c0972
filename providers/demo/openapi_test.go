package demo_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/keyhole-sh/keyhole/providers/demo"
)

// The parts of an OpenAPI document the tests read.
type spec struct {
	OpenAPI string `json:"openapi"`
	Servers []struct {
		URL string `json:"url"`
	} `json:"servers"`
	Paths      map[string]map[string]specOp `json:"paths"`
	Components struct {
		Schemas         map[string]map[string]any `json:"schemas"`
		Responses       map[string]specResponse   `json:"responses"`
		SecuritySchemes map[string]struct {
			Type  string `json:"type"`
			Flows map[string]struct {
				AuthorizationURL       string            `json:"authorizationUrl"`
				DeviceAuthorizationURL string            `json:"deviceAuthorizationUrl"`
				TokenURL               string            `json:"tokenUrl"`
				RefreshURL             string            `json:"refreshUrl"`
				Scopes                 map[string]string `json:"scopes"`
			} `json:"flows"`
		} `json:"securitySchemes"`
	} `json:"components"`
}

type specOp struct {
	OperationID string   `json:"operationId"`
	Summary     string   `json:"summary"`
	Description string   `json:"description"`
	Tags        []string `json:"tags"`
	Parameters  []struct {
		Name     string         `json:"name"`
		In       string         `json:"in"`
		Required bool           `json:"required"`
		Schema   map[string]any `json:"schema"`
		Example  any            `json:"example"`
	} `json:"parameters"`
	RequestBody *struct {
		Required bool `json:"required"`
		Content  map[string]struct {
			Schema  map[string]any `json:"schema"`
			Example any            `json:"example"`
		} `json:"content"`
	} `json:"requestBody"`
	Responses map[string]specResponse `json:"responses"`
	Security  []map[string][]string   `json:"security"`
}

type specResponse struct {
	Ref         string `json:"$ref"`
	Description string `json:"description"`
	Headers     map[string]struct {
		Required bool `json:"required"`
	} `json:"headers"`
	Content map[string]struct {
		Schema map[string]any `json:"schema"`
	} `json:"content"`
}

// loadSpec fetches the description from a served demo, checking how it is
// served.
func loadSpec(t *testing.T, base string) spec {
	t.Helper()
	resp, body := call(t, "GET", base+demo.OpenAPIPath, "", nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s without a token: %d %s", demo.OpenAPIPath, resp.StatusCode, body)
	}
	if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q, want no-store: the port in it changes every run", cc)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q", ct)
	}
	var s spec
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&s); err != nil {
		t.Fatalf("the description is not JSON: %v", err)
	}
	return s
}

// response resolves a response's $ref.
func (s spec) response(t *testing.T, r specResponse) specResponse {
	t.Helper()
	if r.Ref == "" {
		return r
	}
	name, ok := strings.CutPrefix(r.Ref, "#/components/responses/")
	got, found := s.Components.Responses[name]
	if !ok || !found {
		t.Fatalf("response $ref %q resolves to nothing", r.Ref)
	}
	return got
}

func TestOpenAPIServed(t *testing.T) {
	t.Parallel()
	_, base := testServer(t, demo.Options{})
	s := loadSpec(t, base)
	if s.OpenAPI != "3.1.0" || len(s.Servers) != 1 || s.Servers[0].URL != base {
		t.Errorf("openapi %q, servers %+v, want 3.1.0 and %s", s.OpenAPI, s.Servers, base)
	}
	resp, body := call(t, "HEAD", base+demo.OpenAPIPath, "", nil)
	if resp.StatusCode != 200 || len(body) != 0 {
		t.Errorf("HEAD: %d, %d bytes", resp.StatusCode, len(body))
	}
	resp, body = call(t, "POST", base+demo.OpenAPIPath, "", strings.NewReader("{}"))
	wantJSONError(t, "POST "+demo.OpenAPIPath, resp, body, http.StatusMethodNotAllowed, "method_not_allowed")

	// A started server names itself, whatever Host a client sends: the
	// description must not send a browser's requests (and tokens)
	// elsewhere.
	srv, err := demo.Start(demo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	req := get(t, srv.URL()+demo.OpenAPIPath)
	req.Host = "evil.example:443"
	resp, body = do(t, req)
	if resp.StatusCode != 200 || strings.Contains(string(body), "evil.example") || !bytes.Equal(body, demo.OpenAPI(srv.URL())) {
		t.Errorf("with Host evil.example: %d, the description is not the one for %s:\n%.300s", resp.StatusCode, srv.URL(), body)
	}
}

// Every /api route the mux serves is documented with exactly its
// methods, and nothing else is.
func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	t.Parallel()
	srv, base := testServer(t, demo.Options{})
	s := loadSpec(t, base)
	served := map[string][]string{}
	for path, methods := range demo.ServedRoutes(srv) {
		if strings.HasPrefix(path, "/api/") {
			served[path] = methods
		}
	}
	documented := map[string][]string{}
	for path, item := range s.Paths {
		for _, m := range slices.Sorted(maps.Keys(item)) {
			documented[path] = append(documented[path], strings.ToUpper(m))
		}
	}
	for path, methods := range served {
		if got := documented[path]; !slices.Equal(got, methods) {
			t.Errorf("%s serves %v, the description documents %v", path, methods, got)
		}
	}
	for path := range documented {
		if _, ok := served[path]; !ok {
			t.Errorf("the description documents %s, which the server does not serve", path)
		}
	}
	if len(served) < 6 {
		t.Errorf("only %d /api routes served: %v", len(served), served)
	}
}

// The OAuth 2.0 flows are the server's own endpoints and scopes, as its
// RFC 8414 metadata gives them.
func TestOpenAPISecurityMatchesDiscovery(t *testing.T) {
	t.Parallel()
	_, base := testServer(t, demo.Options{})
	s := loadSpec(t, base)
	_, body := call(t, "GET", base+"/.well-known/oauth-authorization-server", "", nil)
	var md struct {
		AuthorizationEndpoint       string   `json:"authorization_endpoint"`
		TokenEndpoint               string   `json:"token_endpoint"`
		DeviceAuthorizationEndpoint string   `json:"device_authorization_endpoint"`
		ScopesSupported             []string `json:"scopes_supported"`
	}
	if err := json.Unmarshal(body, &md); err != nil {
		t.Fatal(err)
	}
	scheme, ok := s.Components.SecuritySchemes["oauth2"]
	if !ok || scheme.Type != "oauth2" || len(scheme.Flows) != 3 {
		t.Fatalf("securitySchemes = %+v", s.Components.SecuritySchemes)
	}
	cc, code, device := scheme.Flows["clientCredentials"], scheme.Flows["authorizationCode"], scheme.Flows["x-deviceAuthorization"]
	for what, pair := range map[string][2]string{
		"clientCredentials tokenUrl":                   {cc.TokenURL, md.TokenEndpoint},
		"authorizationCode authorizationUrl":           {code.AuthorizationURL, md.AuthorizationEndpoint},
		"authorizationCode tokenUrl":                   {code.TokenURL, md.TokenEndpoint},
		"authorizationCode refreshUrl":                 {code.RefreshURL, md.TokenEndpoint},
		"x-deviceAuthorization deviceAuthorizationUrl": {device.DeviceAuthorizationURL, md.DeviceAuthorizationEndpoint},
		"x-deviceAuthorization tokenUrl":               {device.TokenURL, md.TokenEndpoint},
		"authorizationCode scopes":                     {strings.Join(slices.Sorted(maps.Keys(code.Scopes)), " "), strings.Join(md.ScopesSupported, " ")},
		"x-deviceAuthorization scopes":                 {strings.Join(slices.Sorted(maps.Keys(device.Scopes)), " "), strings.Join(md.ScopesSupported, " ")},
		"clientCredentials scopes (no offline_access)": {strings.Join(slices.Sorted(maps.Keys(cc.Scopes)), " "), "api:read api:write"},
		"clientCredentials tokenUrl is on this server": {strings.TrimPrefix(cc.TokenURL, base), "/oauth2/token"},
	} {
		if pair[0] != pair[1] || pair[0] == "" {
			t.Errorf("%s = %q, want %q", what, pair[0], pair[1])
		}
	}
	// The scopes each flow offers are the ones its client may really get.
	if tok := ccToken(t, base, slices.Sorted(maps.Keys(cc.Scopes))...); tok == "" {
		t.Error("demo-cc cannot get the clientCredentials scopes")
	}
}

// walkCase is one request the walk sends for an operation.
type walkCase struct {
	name   string
	params map[string]string // path and query values over the examples
	body   *string           // over the example body
	token  string            // "" for none
	twice  bool              // the token also as access_token, which is a 400
	want   int               // when not 0, the status this case must get
}

// Every documented operation, sent as the description says (its
// examples, the scopes it declares), answers a documented status with a
// body its schema allows and the headers it promises; without a token, or
// with a token lacking one of its scopes, it answers the documented 401 or
// 403; and every status documented for it is seen. So the description and
// the server cannot drift apart.
func TestOpenAPIMatchesServer(t *testing.T) {
	t.Parallel()
	srv, base := testServer(t, demo.Options{})
	s := loadSpec(t, base)
	tokens := map[string]string{}
	tokenFor := func(scopes ...string) string {
		key := strings.Join(scopes, " ")
		if tokens[key] == "" {
			tokens[key] = ccToken(t, base, scopes...)
		}
		return tokens[key]
	}
	all := []string{"api:read", "api:write"} // what demo-cc may get
	create := func() string {
		resp, body := call(t, "POST", base+"/api/items", tokenFor(all...), strings.NewReader(`{"name":"To delete"}`))
		if resp.StatusCode != http.StatusCreated {
			t.Fatalf("create: %d %s", resp.StatusCode, body)
		}
		return decodeJSON[testItem](t, "create", body).ID
	}
	str := func(s string) *string { return &s }

	// Values beyond the examples, so that each documented status is met.
	extra := map[string][]walkCase{
		"listItems":  {{params: map[string]string{"page": "0"}, want: 400}, {params: map[string]string{"page": "99"}, want: 200}},
		"createItem": {{body: str(`{"name":""}`), want: 400}, {body: str(`{"name":"` + strings.Repeat("n", 1<<20) + `"}`), want: 413}},
		"getItem":    {{params: map[string]string{"id": "itm_9999"}, want: 404}},
		"deleteItem": {{params: map[string]string{"id": "itm_9999"}, want: 404}, {params: map[string]string{"id": "created"}, want: 204}},
		"getBig":     {{params: map[string]string{"mb": "0"}, want: 400}},
		"getSlow":    {{params: map[string]string{"ms": "-1"}, want: 400}},
		"getStatus": {
			{params: map[string]string{"code": "200"}, want: 200}, {params: map[string]string{"code": "503"}, want: 503},
			{params: map[string]string{"code": "204"}, want: 204}, {params: map[string]string{"code": "600"}, want: 400},
		},
	}
	// Documented statuses the walk cannot cause, and why.
	unreachable := map[string]string{
		"getSlow 503": "answered only when the server closes during the wait",
	}

	ops := map[string]bool{}
	for _, path := range slices.Sorted(maps.Keys(s.Paths)) {
		for _, method := range slices.Sorted(maps.Keys(s.Paths[path])) {
			op := s.Paths[path][method]
			method = strings.ToUpper(method)
			if op.OperationID == "" || ops[op.OperationID] || op.Summary == "" || op.Description == "" || len(op.Tags) == 0 {
				t.Errorf("%s %s: operationId %q (unique), summary, description and tags are all needed", method, path, op.OperationID)
			}
			ops[op.OperationID] = true
			if len(op.Security) != 1 || len(op.Security[0]) != 1 || op.Security[0]["oauth2"] == nil {
				t.Fatalf("%s: security %v, want one oauth2 requirement", op.OperationID, op.Security)
			}
			scopes := op.Security[0]["oauth2"]

			cases := []walkCase{
				{name: "with the declared scopes " + strings.Join(scopes, " "), token: tokenFor(scopes...)},
				{name: "without a token", want: 401},
				{name: "token twice", token: tokenFor(all...), twice: true, want: 400},
			}
			if len(scopes) == 0 { // any token: the narrowest one demo-cc gets
				cases[0].token = tokenFor("api:write")
			}
			for _, need := range scopes {
				others := slices.DeleteFunc(slices.Clone(all), func(s string) bool { return s == need })
				cases = append(cases, walkCase{name: "without " + need, token: tokenFor(others...), want: 403})
			}
			for _, c := range extra[op.OperationID] {
				c.name, c.token = fmt.Sprintf("with %v", c.params), tokenFor(all...)
				if c.body != nil {
					c.name = fmt.Sprintf("with a %d-byte body", len(*c.body))
				}
				if c.params["id"] == "created" {
					c.params = map[string]string{"id": create()}
				}
				cases = append(cases, c)
			}

			seen := map[string]bool{}
			before := srv.Stats().Endpoints[path]
			for _, c := range cases {
				status := walkOne(t, s, base, method, path, op, c)
				if c.want != 0 && status != c.want {
					t.Errorf("%s %s: %d, want %d", op.OperationID, c.name, status, c.want)
				}
				seen[strconv.Itoa(status)] = true
			}
			// The documented path is the very pattern that served them.
			if got := srv.Stats().Endpoints[path] - before; got != len(cases) {
				t.Errorf("%s: the route %s counted %d of %d requests: the path is not the server's pattern", op.OperationID, path, got, len(cases))
			}
			for code := range op.Responses {
				if code != "default" && !seen[code] && unreachable[op.OperationID+" "+code] == "" {
					t.Errorf("%s: documented status %s never seen in the walk (saw %v)", op.OperationID, code, slices.Sorted(maps.Keys(seen)))
				}
			}
		}
	}
	for _, id := range slices.Sorted(maps.Keys(extra)) {
		if !ops[id] {
			t.Errorf("extra cases for %s, which the description does not have", id)
		}
	}
}

// walkOne sends one case of an operation and checks the answer against
// the description; it returns the status.
func walkOne(t *testing.T, s spec, base, method, path string, op specOp, c walkCase) int {
	t.Helper()
	what := op.OperationID + " " + c.name
	query := url.Values{}
	for _, p := range op.Parameters {
		v, ok := c.params[p.Name]
		if !ok {
			if p.Example == nil {
				if p.Required {
					t.Errorf("%s: required parameter %s has no example", what, p.Name)
				}
				continue
			}
			for _, problem := range checkSchema(s, p.Schema, p.Example, "$") {
				t.Errorf("%s: the example of %s: %s", what, p.Name, problem)
			}
			v = fmt.Sprint(p.Example)
		}
		switch p.In {
		case "path":
			if !strings.Contains(path, "{"+p.Name+"}") || !p.Required {
				t.Errorf("%s: path parameter %s is not in %s or not required", what, p.Name, path)
			}
			path = strings.ReplaceAll(path, "{"+p.Name+"}", url.PathEscape(v))
		case "query":
			query.Set(p.Name, v)
		default:
			t.Errorf("%s: parameter %s in %s", what, p.Name, p.In)
		}
	}
	if strings.Contains(path, "{") {
		t.Errorf("%s: %s has an undocumented path parameter", what, path)
	}
	if c.twice {
		query.Set("access_token", c.token)
	}
	u := base + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}

	var body io.Reader
	if rb := op.RequestBody; rb != nil {
		media, ok := rb.Content["application/json"]
		if !ok || media.Example == nil || !rb.Required {
			t.Fatalf("%s: the request body needs an application/json example", what)
		}
		for _, problem := range checkSchema(s, media.Schema, media.Example, "$") {
			t.Errorf("%s: the example body: %s", what, problem)
		}
		b, _ := json.Marshal(media.Example)
		if c.body != nil {
			b = []byte(*c.body)
		}
		body = bytes.NewReader(b)
	}

	resp, got := call(t, method, u, c.token, body)
	status := strconv.Itoa(resp.StatusCode)
	documented, ok := op.Responses[status]
	if !ok {
		documented, ok = op.Responses["default"]
	}
	if !ok {
		t.Errorf("%s: status %s is not documented (documented: %v)", what, status, slices.Sorted(maps.Keys(op.Responses)))
		return resp.StatusCode
	}
	documented = s.response(t, documented)
	for name, h := range documented.Headers {
		if h.Required && resp.Header.Get(name) == "" {
			t.Errorf("%s: %s without the %s header it documents", what, status, name)
		}
	}
	if resp.StatusCode == 401 || resp.StatusCode == 403 {
		if !strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), "Bearer ") {
			t.Errorf("%s: %s without a Bearer challenge", what, status)
		}
	}
	if len(got) == 0 && (resp.StatusCode == http.StatusNoContent || resp.StatusCode == http.StatusNotModified) {
		return resp.StatusCode // may carry no body, whatever a "default" response says
	}
	if len(documented.Content) == 0 {
		if len(got) != 0 {
			t.Errorf("%s: %s documents no body but has %d bytes", what, status, len(got))
		}
		return resp.StatusCode
	}
	ct := resp.Header.Get("Content-Type")
	media, ok := documented.Content[ct]
	if !ok {
		t.Errorf("%s: %s with Content-Type %q, documented %v", what, status, ct, slices.Sorted(maps.Keys(documented.Content)))
		return resp.StatusCode
	}
	var v any
	if err := json.Unmarshal(got, &v); err != nil {
		t.Errorf("%s: %s: body is not JSON: %v", what, status, err)
		return resp.StatusCode
	}
	for _, problem := range checkSchema(s, media.Schema, v, "$") {
		t.Errorf("%s: %s body: %s", what, status, problem)
	}
	return resp.StatusCode
}

// checkSchema lists where v breaks schema: the JSON Schema keywords the
// description uses, and one rule stricter than JSON Schema: an object
// member the schema does not name is a finding, so a field the server adds
// without documenting it fails too.
func checkSchema(s spec, schema map[string]any, v any, at string) []string {
	if schema == nil {
		return []string{at + ": no schema"}
	}
	if ref, ok := schema["$ref"].(string); ok {
		name, _ := strings.CutPrefix(ref, "#/components/schemas/")
		target, found := s.Components.Schemas[name]
		if !found {
			return []string{at + ": $ref " + ref + " resolves to nothing"}
		}
		return checkSchema(s, target, v, at)
	}
	var problems []string
	fail := func(format string, args ...any) { problems = append(problems, at+": "+fmt.Sprintf(format, args...)) }

	if !typeAllows(schema["type"], v) {
		return []string{fmt.Sprintf("%s: %T %v, want type %v", at, v, v, schema["type"])}
	}
	if c, ok := schema["const"]; ok && fmt.Sprint(c) != fmt.Sprint(v) {
		fail("%v, want %v", v, c)
	}
	if n, ok := v.(float64); ok {
		if lo, ok := schema["minimum"].(float64); ok && n < lo {
			fail("%v < minimum %v", n, lo)
		}
		if hi, ok := schema["maximum"].(float64); ok && n > hi {
			fail("%v > maximum %v", n, hi)
		}
	}
	if str, ok := v.(string); ok {
		if p, ok := schema["pattern"].(string); ok && !regexp.MustCompile(p).MatchString(str) {
			fail("%q does not match %s", str, p)
		}
		if n, ok := schema["maxLength"].(float64); ok && float64(len([]rune(str))) > n {
			fail("longer than %v", n)
		}
		if n, ok := schema["minLength"].(float64); ok && float64(len([]rune(str))) < n {
			fail("shorter than %v", n)
		}
		if schema["format"] == "date-time" {
			if _, err := time.Parse(time.RFC3339, str); err != nil {
				fail("%q is not a date-time", str)
			}
		}
	}
	if arr, ok := v.([]any); ok {
		if n, ok := schema["maxItems"].(float64); ok && float64(len(arr)) > n {
			fail("more than %v items", n)
		}
		items, _ := schema["items"].(map[string]any)
		for i, e := range arr {
			if i >= 3 && len(arr) > 100 {
				break // a big array's records are all alike
			}
			problems = append(problems, checkSchema(s, items, e, fmt.Sprintf("%s[%d]", at, i))...)
		}
	}
	if obj, ok := v.(map[string]any); ok {
		props, _ := schema["properties"].(map[string]any)
		for _, name := range slices.Sorted(maps.Keys(obj)) {
			p, ok := props[name].(map[string]any)
			if !ok {
				fail("member %q is not documented", name)
				continue
			}
			problems = append(problems, checkSchema(s, p, obj[name], at+"."+name)...)
		}
		required, _ := schema["required"].([]any)
		for _, name := range required {
			if _, ok := obj[name.(string)]; !ok {
				fail("required member %q is missing", name)
			}
		}
	}
	return problems
}

// typeAllows reports whether v has one of the JSON Schema types in t, a
// name or a list of names; no type allows anything.
func typeAllows(t, v any) bool {
	var names []any
	switch t := t.(type) {
	case nil:
		return true
	case string:
		names = []any{t}
	case []any:
		names = t
	}
	for _, name := range names {
		switch n, _ := v.(float64); name {
		case "null":
			if v == nil {
				return true
			}
		case "object":
			if _, ok := v.(map[string]any); ok {
				return true
			}
		case "array":
			if _, ok := v.([]any); ok {
				return true
			}
		case "string":
			if _, ok := v.(string); ok {
				return true
			}
		case "boolean":
			if _, ok := v.(bool); ok {
				return true
			}
		case "number":
			if _, ok := v.(float64); ok {
				return true
			}
		case "integer":
			if _, ok := v.(float64); ok && n == float64(int64(n)) {
				return true
			}
		}
	}
	return false
}
