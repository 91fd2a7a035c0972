package spec

import (
	"fmt"
	"strings"
	"testing"
)

// components are the schemas the table's $refs point at.
const components = `{
	"Pet": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}, "tag": {"$ref": "#/components/schemas/Tag"}}},
	"Tag": {"type": "string", "enum": ["cat", "dog"]},
	"Node": {"type": "object", "properties": {"next": {"$ref": "#/components/schemas/Node"}, "v": {"type": "integer"}}},
	"Loop": {"$ref": "#/components/schemas/Loop2"},
	"Loop2": {"allOf": [{"$ref": "#/components/schemas/Loop"}]},
	"Deep": {"type": "array", "items": {"$ref": "#/components/schemas/Deep"}},
	"Tree": {"$defs": {"leaf": {"type": "integer"}}, "type": "array", "items": {"$ref": "#/$defs/leaf"}}
}`

// checkSchema validates body against schema inside a document of the
// given OpenAPI version, and returns the findings as "path rule" lines.
func checkSchema(t *testing.T, version, schema, body string, redact func(string) string) Result {
	t.Helper()
	doc := fmt.Sprintf(`{"openapi": %q, "components": {"schemas": %s}, "x-test": %s}`, version, components, schema)
	if err := checkJSON("t.json", []byte(doc)); err != nil {
		t.Fatalf("the test's document: %v", err)
	}
	d := newDoc("t.json", []byte(doc))
	return validate(d, strings.HasPrefix(version, "3.0"), d.root.Get("x-test"), []byte(body), redact)
}

func paths(r Result) string {
	var out []string
	for _, f := range r.Findings {
		out = append(out, f.Path+" "+f.Rule)
	}
	return strings.Join(out, "; ")
}

func TestValidateKeywords(t *testing.T) {
	tests := []struct {
		name, version, schema, body, want string
	}{
		{"type ok", "3.1.0", `{"type":"string"}`, `"a"`, ""},
		{"type", "3.1.0", `{"type":"string"}`, `1`, "$ type"},
		{"integer", "3.1.0", `{"type":"integer"}`, `1.5`, "$ type"},
		{"integer 1.0", "3.1.0", `{"type":"integer"}`, `1.0`, ""},
		{"3.1 type list null", "3.1.0", `{"type":["string","null"]}`, `null`, ""},
		{"3.1 type list", "3.1.0", `{"type":["string","null"]}`, `true`, "$ type"},
		{"3.0 nullable", "3.0.3", `{"type":"string","nullable":true}`, `null`, ""},
		{"3.0 not nullable", "3.0.3", `{"type":"string"}`, `null`, "$ type"},
		{"enum", "3.1.0", `{"enum":["a","b"]}`, `"c"`, "$ enum"},
		{"enum number", "3.1.0", `{"enum":[1,2]}`, `2.0`, ""},
		{"const", "3.1.0", `{"const":{"a":1}}`, `{"a":2}`, "$ const"},
		{"const ok", "3.1.0", `{"const":{"a":1}}`, `{"a":1}`, ""},
		{"required", "3.1.0", `{"type":"object","required":["id","name"]}`, `{"id":1}`, "$ required"},
		{"properties", "3.1.0", `{"properties":{"id":{"type":"integer"}}}`, `{"id":"x"}`, "$.id type"},
		{"additionalProperties false", "3.1.0", `{"properties":{"id":{}},"additionalProperties":false}`, `{"id":1,"x":2}`, "$.x additionalProperties"},
		{"additionalProperties schema", "3.1.0", `{"additionalProperties":{"type":"integer"}}`, `{"a b":"x"}`, `$["a b"] type`},
		{"patternProperties", "3.1.0", `{"patternProperties":{"^x-":{"type":"integer"}},"additionalProperties":false}`, `{"x-a":"s"}`, `$["x-a"] type`},
		{"items", "3.1.0", `{"items":{"type":"integer"}}`, `[1,2,"x",4]`, "$[2] type"},
		{"prefixItems", "3.1.0", `{"prefixItems":[{"type":"string"},{"type":"integer"}],"items":{"type":"boolean"}}`, `["a","b",true,1]`, "$[1] type; $[3] type"},
		{"minItems", "3.1.0", `{"minItems":2}`, `[1]`, "$ minItems"},
		{"maxItems", "3.1.0", `{"maxItems":1}`, `[1,2]`, "$ maxItems"},
		{"uniqueItems", "3.1.0", `{"uniqueItems":true}`, `[{"a":1},{"a":1.0}]`, "$ uniqueItems"},
		{"minLength", "3.1.0", `{"minLength":3}`, `"éé"`, "$ minLength"},
		{"maxLength", "3.1.0", `{"maxLength":2}`, `"ééé"`, "$ maxLength"},
		{"pattern", "3.1.0", `{"pattern":"^[a-z]+$"}`, `"A1"`, "$ pattern"},
		{"pattern not RE2", "3.1.0", `{"items":{"pattern":"^(?=a)"}}`, `["a","b"]`, "$[0] pattern"},
		{"minimum", "3.1.0", `{"minimum":1}`, `0`, "$ minimum"},
		{"maximum", "3.1.0", `{"maximum":1}`, `1.5`, "$ maximum"},
		{"3.1 exclusiveMinimum", "3.1.0", `{"exclusiveMinimum":1}`, `1`, "$ exclusiveMinimum"},
		{"3.1 exclusiveMaximum", "3.1.0", `{"exclusiveMaximum":1}`, `1`, "$ exclusiveMaximum"},
		{"3.0 exclusiveMinimum", "3.0.3", `{"minimum":1,"exclusiveMinimum":true}`, `1`, "$ exclusiveMinimum"},
		{"3.0 exclusiveMaximum", "3.0.3", `{"maximum":1,"exclusiveMaximum":true}`, `1`, "$ exclusiveMaximum"},
		{"multipleOf", "3.1.0", `{"multipleOf":0.1}`, `0.3`, ""},
		{"multipleOf broken", "3.1.0", `{"multipleOf":2}`, `3`, "$ multipleOf"},
		{"allOf", "3.1.0", `{"allOf":[{"type":"integer"},{"minimum":5}]}`, `3`, "$ minimum"},
		{"anyOf", "3.1.0", `{"anyOf":[{"type":"integer"},{"type":"boolean"}]}`, `"x"`, "$ anyOf"},
		{"anyOf ok", "3.1.0", `{"anyOf":[{"type":"integer"},{"type":"boolean"}]}`, `true`, ""},
		{"oneOf none", "3.1.0", `{"oneOf":[{"type":"integer"},{"type":"boolean"}]}`, `"x"`, "$ oneOf"},
		{"oneOf two", "3.1.0", `{"oneOf":[{"type":"number"},{"type":"integer"}]}`, `1`, "$ oneOf"},
		{"oneOf one", "3.1.0", `{"oneOf":[{"type":"number"},{"type":"integer"}]}`, `1.5`, ""},
		{"not", "3.1.0", `{"not":{"type":"string"}}`, `"x"`, "$ not"},
		{"boolean schema false", "3.1.0", `{"properties":{"a":false}}`, `{"a":1}`, "$.a false"},
		{"$ref", "3.1.0", `{"type":"array","items":{"$ref":"#/components/schemas/Pet"}}`, `[{"name":"a"},{"tag":"cow"}]`, "$[1] required; $[1].tag enum"},
		{"3.1 $ref siblings apply", "3.1.0", `{"$ref":"#/components/schemas/Tag","description":"x","minLength":5}`, `"cat"`, "$ minLength"},
		{"3.0 $ref siblings ignored", "3.0.3", `{"$ref":"#/components/schemas/Tag","minLength":5}`, `"cat"`, ""},
		{"recursive schema, finite body", "3.1.0", `{"$ref":"#/components/schemas/Node"}`, `{"next":{"next":{"v":"x"}}}`, "$.next.next.v type"},
		{"$ref cycle", "3.1.0", `{"$ref":"#/components/schemas/Loop"}`, `1`, "$ $ref"},
		{"$ref unresolvable", "3.1.0", `{"$ref":"#/components/schemas/Nope"}`, `1`, "$ $ref"},
		{"$defs", "3.1.0", `{"$ref":"#/components/schemas/Tree"}`, `[1,"x"]`, "$[1] type"},
		{"format date-time", "3.1.0", `{"format":"date-time"}`, `"2024-01-02 10:00"`, "$ format"},
		{"format date-time ok", "3.1.0", `{"format":"date-time"}`, `"2024-01-02T10:00:00.5+01:00"`, ""},
		{"format date", "3.1.0", `{"format":"date"}`, `"2024-13-01"`, "$ format"},
		{"format email", "3.1.0", `{"format":"email"}`, `"no at sign"`, "$ format"},
		{"format email ok", "3.1.0", `{"format":"email"}`, `"a@example.com"`, ""},
		{"format uuid", "3.1.0", `{"format":"uuid"}`, `"123e4567-e89b-12d3-a456-42661417400"`, "$ format"},
		{"format uuid ok", "3.1.0", `{"format":"uuid"}`, `"123e4567-e89b-12d3-a456-426614174000"`, ""},
		{"format uri", "3.1.0", `{"format":"uri"}`, `"/relative"`, "$ format"},
		{"format ipv4", "3.1.0", `{"format":"ipv4"}`, `"::1"`, "$ format"},
		{"format ipv6", "3.1.0", `{"format":"ipv6"}`, `"10.0.0.1"`, "$ format"},
		{"format unknown", "3.1.0", `{"format":"hostname"}`, `"!!"`, ""},
		{"format on a number", "3.1.0", `{"format":"int64"}`, `1`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := checkSchema(t, tt.version, tt.schema, tt.body, nil)
			if got := paths(r); got != tt.want {
				t.Errorf("findings %q, want %q\n%v", got, tt.want, r.Findings)
			}
			for _, f := range r.Findings {
				if f.Message == "" {
					t.Errorf("finding %v has no message", f)
				}
			}
		})
	}
}

func TestValidateNotesUncheckedFormatsOnce(t *testing.T) {
	r := checkSchema(t, "3.1.0", `{"items":{"format":"hostname"}}`, `["a","b","c"]`, nil)
	if len(r.Notes) != 1 || !strings.Contains(r.Notes[0], `"hostname"`) {
		t.Errorf("notes %q, want one about hostname", r.Notes)
	}
}

func TestValidateInvalidPatternIsReportedOnce(t *testing.T) {
	r := checkSchema(t, "3.1.0", `{"items":{"pattern":"(a"}}`, `["a","b","c"]`, nil)
	if len(r.Findings) != 1 || !strings.Contains(r.Findings[0].Message, "not an RE2 expression") {
		t.Errorf("findings %v, want one about the spec's pattern", r.Findings)
	}
}

func TestValidateRedactsQuotedValues(t *testing.T) {
	const secret = "ghp_abcdefghijklmnopqrstuvwxyz0123456789"
	redact := func(s string) string { return strings.ReplaceAll(s, secret, "ghp_…masked") }
	r := checkSchema(t, "3.1.0", `{"properties":{"token":{"enum":["x"]},"t2":{"maxLength":3},"t3":{"pattern":"^x$"},"t4":{"format":"email"},"t5":{"const":"x"}}}`,
		`{"token":"`+secret+`","t2":"`+secret+`","t3":"`+secret+`","t4":"`+secret+`","t5":"`+secret+`"}`, redact)
	if len(r.Findings) != 5 {
		t.Fatalf("findings %v, want 5", r.Findings)
	}
	for _, f := range r.Findings {
		if strings.Contains(f.Message, "ghp_abc") {
			t.Errorf("finding quotes the secret: %v", f)
		}
		if !strings.Contains(f.Message, "masked") {
			t.Errorf("finding does not quote the value through the redactor: %v", f)
		}
	}
}

func TestValidateLimits(t *testing.T) {
	big := `"` + strings.Repeat("a", MaxValidateSize) + `"`
	if r := checkSchema(t, "3.1.0", `{}`, big, nil); !strings.Contains(r.Cut, "10 MB") {
		t.Errorf("a body over the limit: cut %q", r.Cut)
	}
	body := "[" + strings.Repeat(`"x",`, 500) + `"x"]`
	r := checkSchema(t, "3.1.0", `{"items":{"type":"integer"}}`, body, nil)
	if len(r.Findings) != MaxFindings || !strings.Contains(r.Cut, "stopped after") {
		t.Errorf("%d findings, cut %q: want %d and a cut", len(r.Findings), r.Cut, MaxFindings)
	}
	if r := checkSchema(t, "3.1.0", `{}`, `{"a":`, nil); !strings.Contains(r.Cut, "not JSON") {
		t.Errorf("a broken body: cut %q", r.Cut)
	}
	// A recursive schema over a body nested deeper than the limit: the
	// depth limit says so rather than recursing on.
	deep := strings.Repeat("[", 400) + strings.Repeat("]", 400)
	r = checkSchema(t, "3.1.0", `{"$ref":"#/components/schemas/Deep"}`, deep, nil)
	if len(r.Findings) != 1 || r.Findings[0].Rule != "depth" {
		t.Errorf("a body deeper than the limit: findings %v", r.Findings)
	}
}
