package spec

import (
	"fmt"
	"strings"
	"testing"
)

// githubRepos is a GitHub-shaped response and its schema: a page of 100
// repositories (GET /user/repos?per_page=100, about 430 KB), each with an
// owner and a license by $ref, URLs, dates, nullable fields and about 80
// properties, as GitHub's description has them.
func githubRepos() (doc string, body []byte) {
	var props, fields []string
	for i := range 60 {
		props = append(props, fmt.Sprintf(`"url_%d": {"type": "string", "format": "uri"}`, i))
		fields = append(fields, fmt.Sprintf(`"url_%d": "https://api.github.com/repos/octocat/hello/part/%d"`, i, i))
	}
	for i := range 10 {
		props = append(props, fmt.Sprintf(`"count_%d": {"type": "integer", "minimum": 0}`, i))
		fields = append(fields, fmt.Sprintf(`"count_%d": %d`, i, i*7))
	}
	props = append(props,
		`"id": {"type": "integer"}`, `"node_id": {"type": "string"}`,
		`"name": {"type": "string", "pattern": "^[A-Za-z0-9_.-]+$"}`,
		`"description": {"type": ["string", "null"]}`,
		`"created_at": {"type": "string", "format": "date-time"}`,
		`"visibility": {"type": "string", "enum": ["public", "private", "internal"]}`,
		`"topics": {"type": "array", "items": {"type": "string"}, "uniqueItems": true}`,
		`"owner": {"$ref": "#/components/schemas/simple-user"}`,
		`"license": {"anyOf": [{"type": "null"}, {"$ref": "#/components/schemas/license-simple"}]}`)
	fields = append(fields,
		`"id": 1296269`, `"node_id": "MDEwOlJlcG9zaXRvcnkxMjk2MjY5"`, `"name": "Hello-World"`,
		`"description": null`, `"created_at": "2011-01-26T19:01:12Z"`, `"visibility": "public"`,
		`"topics": ["octocat", "atom", "electron", "api"]`,
		`"owner": {"login": "octocat", "id": 1, "avatar_url": "https://github.com/images/error/octocat_happy.gif", "site_admin": false}`,
		`"license": {"key": "mit", "name": "MIT License", "spdx_id": "MIT"}`)
	doc = `{"openapi": "3.1.0", "components": {"schemas": {
		"simple-user": {"type": "object", "required": ["login", "id"], "properties": {"login": {"type": "string"}, "id": {"type": "integer"}, "avatar_url": {"type": "string", "format": "uri"}, "site_admin": {"type": "boolean"}}},
		"license-simple": {"type": "object", "required": ["key", "name"], "properties": {"key": {"type": "string"}, "name": {"type": "string"}, "spdx_id": {"type": ["string", "null"]}}},
		"repository": {"type": "object", "required": ["id", "name", "owner"], "properties": {` + strings.Join(props, ",") + `}}}},
		"x-test": {"type": "array", "items": {"$ref": "#/components/schemas/repository"}}}`
	repo := "{" + strings.Join(fields, ",") + "}"
	reps := make([]string, 100)
	for i := range reps {
		reps[i] = repo
	}
	return doc, []byte("[" + strings.Join(reps, ",") + "]")
}

// BenchmarkValidateGitHubRepos checks a page of 100 GitHub repositories
// against their schema.
func BenchmarkValidateGitHubRepos(b *testing.B) {
	doc, body := githubRepos()
	d := newDoc("github.json", []byte(doc))
	schema := d.root.Get("x-test")
	if r := validate(d, false, schema, body, nil); len(r.Findings) != 0 || r.Cut != "" {
		b.Fatalf("findings %v, cut %q", r.Findings, r.Cut)
	}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		validate(d, false, schema, body, nil)
	}
}
