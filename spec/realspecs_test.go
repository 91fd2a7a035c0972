package spec

import (
	"strings"
	"testing"
)

// Constructs met in published descriptions, each in a spec of our own.

// TestEmptyIndexSaysWhy: a spec that lists no operation says why — only
// webhooks (a 3.1 document may have no paths), no paths, or paths
// without operations — rather than leaving an empty list to be read as
// keyhole's fault.
func TestEmptyIndexSaysWhy(t *testing.T) {
	for _, tc := range []struct{ name, doc, want string }{
		{"webhooks only", `{"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
			"webhooks": {"newPet": {"post": {"responses": {"200": {"description": "ok"}}}}, "petGone": {"post": {}}}}`,
			"only webhooks (newPet, petGone), the requests the API sends to you"},
		{"no paths", `{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "components": {}}`,
			"it has no paths"},
		{"paths without operations", `{"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
			"paths": {"/a": {"parameters": []}, "/b": {"summary": "nothing"}}}`,
			"its 2 paths have no get, put"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := loadDoc(t, tc.doc)
			if got := s.Index.Empty(); !strings.Contains(got, tc.want) {
				t.Errorf("Empty() = %q, want it to say %q", got, tc.want)
			}
		})
	}
	s := loadDoc(t, `{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {"/a": {"get": {}}}, "webhooks": {"w": {}}}`)
	if got := s.Index.Empty(); got != "" {
		t.Errorf("a spec with an operation: Empty() = %q", got)
	}
}
