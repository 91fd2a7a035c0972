package spec

import (
	"net/http"
	"testing"
)

// TestValidateGitHubNullable: GitHub's description (OpenAPI 3.0) marks
// fields nullable beside an enum that does not list null, or beside an
// allOf with no type, and its API sends null there (an open alert's
// dismissed_reason, an advisory's private_fork). nullable: true lets a
// null through whatever else the schema says, as the real answers need;
// any other value is still held to the rest.
func TestValidateGitHubNullable(t *testing.T) {
	s := loadTestdata(t, "github-slice.json")
	tests := []struct {
		op, body, want string
	}{
		{"code-scanning/get-alert", `{"number": 1, "state": "open", "dismissed_reason": null}`, ""},
		{"code-scanning/get-alert", `{"number": 1, "state": null, "dismissed_reason": "won't fix"}`, ""},
		{"code-scanning/get-alert", `{"number": 1, "state": "open", "dismissed_reason": "bored"}`, "$.dismissed_reason enum"},
		{"security-advisories/get-repository-advisory", `{"ghsa_id": "GHSA-1", "private_fork": null}`, ""},
		{"security-advisories/get-repository-advisory", `{"ghsa_id": "GHSA-1", "private_fork": {"id": 1, "full_name": "o/r"}}`, ""},
		{"security-advisories/get-repository-advisory", `{"ghsa_id": "GHSA-1", "private_fork": {"id": "x"}}`, "$.private_fork required; $.private_fork.id type"},
	}
	for _, tt := range tests {
		op, ok := s.Index.Find(tt.op)
		if !ok {
			t.Fatalf("no %s", tt.op)
		}
		r, ok := s.Response(op, http.StatusOK, "application/json")
		if !ok || !r.HasSchema() {
			t.Fatalf("%s: no documented 200", tt.op)
		}
		if got := paths(r.Validate([]byte(tt.body), nil)); got != tt.want {
			t.Errorf("%s %s: findings %q, want %q", tt.op, tt.body, got, tt.want)
		}
	}
}
